//! The API's routes and query parameters as data: the one source both for what each handler
//! accepts (unknown parameters are refused against these lists, here) and for the OpenAPI 3
//! document served at `/api/openapi.json` (written from them by [`openapi()`], in a file of its own),
//! so the description cannot drift from the code.

mod living;
mod openapi;

pub use openapi::openapi;

use super::{MAX_LIMIT, MAX_RADIUS_M};
use crate::plan::{Layer, Status};

/// The type and range of a query parameter.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A finite number in `min..=max`.
    Number(f64, f64),
    /// A whole number in `min..=max`.
    Integer(u64, u64),
    /// Text of at most this many chars.
    Text(usize),
    /// One of these values.
    OneOf(&'static [&'static str]),
    /// `minLon,minLat,maxLon,maxLat`.
    BBox,
    /// A comma-separated list of these values.
    ListOf(&'static [&'static str]),
    /// One status of a planning verb (the vocabulary's statuses).
    Status,
    /// A comma-separated list of planning layers (the vocabulary's layers).
    Layers,
}

impl Kind {
    /// The values a `Status` or `Layers` parameter takes, from the typed vocabulary, so the
    /// API cannot list a name the model does not know; `None` for other kinds.
    #[must_use]
    pub fn vocabulary(self) -> Option<Vec<&'static str>> {
        match self {
            Kind::Status => Some(Status::ALL.iter().map(|s| s.as_str()).collect()),
            Kind::Layers => Some(Layer::ALL.iter().map(|l| l.as_str()).collect()),
            _ => None,
        }
    }
}

/// One query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Its name.
    pub name: &'static str,
    /// Its type and range.
    pub kind: Kind,
    /// Whether the route needs it.
    pub required: bool,
    /// Its default, as the client would write it.
    pub default: Option<&'static str>,
    /// What it does.
    pub description: &'static str,
}

const fn param(name: &'static str, kind: Kind, description: &'static str) -> Param {
    Param {
        name,
        kind,
        required: false,
        default: None,
        description,
    }
}

/// Every value a `crs`, `bbox-crs` or `filter-crs` parameter takes: the OGC/EPSG URIs of OGC
/// API Features Part 2, then the vendor names of the Chinese datums (`datum::Crs` parses
/// exactly these; a unit test keeps the two lists equal).
pub const CRS_VALUES: &[&str] = &[
    "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "http://www.opengis.net/def/crs/EPSG/0/4326",
    "http://www.opengis.net/def/crs/EPSG/0/3857",
    "wgs84",
    "gcj02",
    "bd09",
    "urn:planmap:crs:gcj02",
    "urn:planmap:crs:bd09",
];

const CRS: Param = Param {
    default: Some("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
    ..param(
        "crs",
        Kind::OneOf(CRS_VALUES),
        "Coordinate system of the answer's coordinates (OGC API Features Part 2): CRS84 (lon,lat, the default), EPSG:4326 (lat,lon), EPSG:3857 (metres). Vendor extension for Chinese basemaps: gcj02 (urn:planmap:crs:gcj02) and bd09 (urn:planmap:crs:bd09), lon,lat in those datums, which have no EPSG code; with them, lon/lat given and a bbox without bbox-crs are read in that datum too. wgs84 is a short name of CRS84",
    )
};
// 1000 characters: dozens of report ids, and short enough that a request even over the bound
// stays within the URI limit, so it is answered 400 naming `report`, not 414.
const REPORT_SELECTION: Param = param(
    "report",
    Kind::Text(1000),
    "Report ids, comma-separated (see /api/reports), or `all`; default: every report",
);
const F: Param = param(
    "f",
    Kind::OneOf(&["json"]),
    "Output format; only JSON is offered",
);
const F_HTML: Param = param(
    "f",
    Kind::OneOf(&["json", "html"]),
    "Output format: json (the default for clients that do not ask for text/html), or html, a readable page with a map (the default for browsers); json and html of the landing page, collections, items and one item",
);

/// Parameters of the JSON-only metadata routes (conformance, queryables, schema …).
pub const META: &[Param] = &[F];

/// Parameters of the metadata routes that also answer HTML (landing page, collections, one
/// collection).
pub const PAGES: &[Param] = &[F_HTML];

/// Parameters of `/api/collections/{id}/items`.
pub const ITEMS: &[Param] = &[
    param(
        "bbox",
        Kind::BBox,
        "minLon,minLat,maxLon,maxLat; only located features that intersect it",
    ),
    Param {
        default: Some("100"),
        ..param(
            "limit",
            Kind::Integer(1, 1 << 40),
            "Page size; a limit above the server's maximum (10000 by default) is served that maximum (OGC API Features Part 1)",
        )
    },
    Param {
        default: Some("0"),
        ..param("offset", Kind::Integer(0, 1 << 40), "Features to skip")
    },
    CRS,
    DATETIME,
    param(
        "theme",
        Kind::Text(200),
        "Planning theme (产业, 开放, 改革, 文旅, 生态, 城市更新, 治理, 民生, 综合)",
    ),
    param(
        "section",
        Kind::Text(200),
        "Section number as written (（三）) or its title",
    ),
    param("status", Kind::Status, "Status of the planning verb"),
    param(
        "q",
        Kind::Text(200),
        "Text in the name, an alias or the quote",
    ),
    F_HTML,
    BBOX_CRS,
    FILTER,
    FILTER_LANG,
    FILTER_CRS,
    SORTBY,
    PROPERTIES,
    REPORT_SELECTION,
];

/// `datetime` of Part 1: a planned feature's time is its report's year.
const DATETIME: Param = param(
    "datetime",
    Kind::Text(100),
    "An RFC 3339 instant (2025-03-01, 2025-03-01T08:00:00Z) or interval (2025-01-01/2025-12-31; `..` or nothing for an open end): only features whose report's year meets it. A planned feature's time is the whole calendar year its report plans; reports without a year have no time and are left out. Context layers (district, stations) have no time and are kept whole",
);

/// The Part 2, 3 and sorting parameters of the items route.
const BBOX_CRS: Param = param(
    "bbox-crs",
    Kind::OneOf(CRS_VALUES),
    "Coordinate system of bbox (Part 2): CRS84 by default (lon,lat), EPSG:4326 (minLat,minLon,maxLat,maxLon), EPSG:3857 (metres); a vendor datum when crs is one and bbox-crs is absent",
);
const FILTER: Param = param(
    "filter",
    // Long enough for a polygon of some forty vertices; the URI limit (16 KiB) bounds it anyway,
    // and a longer declared maximum would let a schema-violating value hit 414 instead of 400.
    Kind::Text(1000),
    "A CQL2 filter (Part 3) on the queryables of /api/collections/{collectionId}/queryables, e.g. theme='产业' AND S_INTERSECTS(geometry, BBOX(106.56,29.55,106.59,29.57)); combined with bbox and the other filters",
);
const FILTER_LANG: Param = Param {
    default: Some("cql2-text"),
    ..param(
        "filter-lang",
        Kind::OneOf(&["cql2-text", "cql2-json"]),
        "Encoding of filter",
    )
};
const FILTER_CRS: Param = Param {
    default: Some("http://www.opengis.net/def/crs/OGC/1.3/CRS84"),
    ..param(
        "filter-crs",
        Kind::OneOf(CRS_VALUES),
        "Coordinate system of the geometry literals in filter",
    )
};
const SORTBY: Param = param(
    "sortby",
    Kind::Text(200),
    "Comma-separated queryables, each optionally prefixed by + (ascending, default) or - (descending), e.g. -uncertainty_m,name; nulls sort last ascending, first descending; ties and the default keep the collection's order (report by report, in reading order)",
);
const PROPERTIES: Param = param(
    "properties",
    Kind::Text(400),
    "Comma-separated names of the properties to keep in each feature (e.g. name,kind); the others are left out",
);

/// Parameters of `/api/collections/places/items`: paging, the datum and the report
/// selection (the places are built from the selected reports).
pub const PLACES: &[Param] = &[
    Param {
        default: Some("100"),
        ..param(
            "limit",
            Kind::Integer(1, 1 << 40),
            "Page size; above the server's maximum, the maximum",
        )
    },
    Param {
        default: Some("0"),
        ..param("offset", Kind::Integer(0, 1 << 40), "Features to skip")
    },
    CRS,
    F_HTML,
    REPORT_SELECTION,
];

/// Parameters of `/api/collections/{id}/items/{featureId}`.
pub const ITEM: &[Param] = &[CRS, F_HTML, PROPERTIES];

/// Parameters of `/api/near`.
pub const NEAR: &[Param] = &[
    Param {
        required: true,
        ..param("lon", Kind::Number(-180.0, 180.0), "Longitude of the point")
    },
    Param {
        required: true,
        ..param("lat", Kind::Number(-90.0, 90.0), "Latitude of the point")
    },
    Param {
        default: Some("500"),
        ..param(
            "radius_m",
            Kind::Number(0.0, MAX_RADIUS_M),
            "Radius in metres",
        )
    },
    Param {
        default: Some("100"),
        ..param(
            "limit",
            Kind::Integer(1, MAX_LIMIT as u64),
            "Most features returned",
        )
    },
    param("layers", Kind::Layers, "Layers to search (default all)"),
    Param {
        default: Some("brief"),
        ..param(
            "district_wide",
            Kind::OneOf(&["brief", "full", "none"]),
            "The items that apply to the whole district (scope: district; policies, district-wide programmes), the same for every point: brief references (id, layer, name, kind, theme, section, action, href), whole features, or none. Places that could not be located are not among them: they are in the items route with geometry null",
        )
    },
    CRS,
    REPORT_SELECTION,
];

/// Parameters of `/api/search`.
pub const SEARCH: &[Param] = &[
    Param {
        required: true,
        ..param(
            "q",
            Kind::Text(200),
            "Text to find: a name, an alias or words of a quote; Chinese needs no spaces",
        )
    },
    Param {
        default: Some("10"),
        ..param("limit", Kind::Integer(1, 100), "Most results")
    },
    CRS,
    REPORT_SELECTION,
];

/// Parameters of `/api/report`.
pub const REPORT: &[Param] = &[
    param(
        "id",
        Kind::Text(200),
        "Report id (default: the first report)",
    ),
    param(
        "report",
        Kind::Text(200),
        "Report id, the same as `id` (the name the other routes use)",
    ),
];

/// Parameters of `/api/reports`, `/api/reports/{id}`, its compare route and `/api/places/{id}`.
pub const REPORTS: &[Param] = &[F];

/// Parameters of `GET /api/reports`.
pub const REPORTS_LIST: &[Param] = &[
    F,
    param(
        "removed",
        Kind::OneOf(&["true", "false"]),
        "true: instead of the served reports, the uploads taken out ({removed: [...]}, newest removal first): id, title, district, year, kind, chars, who uploaded it, when and why, and who took it out, when, why and in which change",
    ),
];

/// The report fields `POST /api/reports` takes as query parameters when the body is the
/// file itself (`text/plain`, `.docx`, PDF) rather than JSON.
pub const UPLOAD_FIELDS: [&str; 6] = ["id", "title", "district", "year", "kind", "note"];

/// Parameters of `POST /api/reports`.
pub const UPLOAD: &[Param] = &[
    F,
    param(
        "dry_run",
        Kind::OneOf(&["true", "false"]),
        "true: read the report and answer 200 with what would be served (summary, counts per layer, unlocated places with their quotes, every feature read), storing nothing and taking no change number",
    ),
    param(
        "id",
        Kind::Text(120),
        "With a file body: the report id (letters, digits, CJK, -, _, .); default upload-<change number>",
    ),
    param("title", Kind::Text(200), "With a file body: its title"),
    param(
        "district",
        Kind::Text(200),
        "With a file body: its district",
    ),
    param(
        "year",
        Kind::Integer(1, 9999),
        "With a file body: the year it plans",
    ),
    param(
        "kind",
        Kind::Text(200),
        "With a file body: 工作报告, 规划, 行动计划, 通知, 新闻, 其他",
    ),
    param(
        "note",
        Kind::Text(200),
        "With a file body: why it is added (default 上传报告)",
    ),
];

/// Parameters of `PUT …/items/{featureId}/placement`.
pub const PLACEMENT_PUT: &[Param] = &[Param {
    description: "Coordinate system of the geometry sent (converted to WGS-84 before storing) and of the feature answered",
    ..CRS
}];

/// Parameters of `DELETE …/items/{featureId}/placement`.
pub const PLACEMENT_DELETE: &[Param] = &[
    CRS,
    param(
        "note",
        Kind::Text(200),
        "Why the correction is removed, when the body does not say (`{\"note\": …}`)",
    ),
];

/// Parameters of `DELETE /api/reports/{id}` and `DELETE /api/lexicon/{name}`.
pub const NOTE_DELETE: &[Param] = &[param(
    "note",
    Kind::Text(200),
    "Why it is taken out, when the body does not say (`{\"note\": …}`)",
)];

/// The names of a parameter list, for refusing unknown ones.
#[must_use]
pub fn names(params: &[Param]) -> Vec<&'static str> {
    params.iter().map(|p| p.name).collect()
}

/// The collections a client may ask for.
pub const COLLECTIONS: &[&str] = &[
    "zones", "streets", "projects", "district", "stations", "places",
];
