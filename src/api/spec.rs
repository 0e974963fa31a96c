//! The API's routes and query parameters as data: the one source both for what each handler
//! accepts (unknown parameters are refused against these lists) and for the OpenAPI 3
//! document served at `/api/openapi.json`, so the description cannot drift from the code.

use serde_json::{Map, Value, json};

use super::{Limits, MAX_LIMIT, MAX_RADIUS_M};
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

const CRS: Param = Param {
    default: Some("wgs84"),
    ..param(
        "crs",
        Kind::OneOf(&["wgs84", "gcj02", "bd09"]),
        "Coordinate system of the coordinates in the answer, and of lon/lat/bbox given",
    )
};
const REPORT_SELECTION: Param = param(
    "report",
    Kind::Text(4000),
    "Report ids, comma-separated (see /api/reports), or `all`; default: every report",
);
const F: Param = param(
    "f",
    Kind::OneOf(&["json"]),
    "Output format; only JSON is offered",
);

/// Parameters of the metadata routes (landing page, conformance, collections).
pub const META: &[Param] = &[F];

/// Parameters of `/api/collections/{id}/items`.
pub const ITEMS: &[Param] = &[
    param(
        "bbox",
        Kind::BBox,
        "minLon,minLat,maxLon,maxLat; only located features that intersect it",
    ),
    Param {
        default: Some("100"),
        ..param("limit", Kind::Integer(1, MAX_LIMIT as u64), "Page size")
    },
    Param {
        default: Some("0"),
        ..param("offset", Kind::Integer(0, 1 << 40), "Features to skip")
    },
    CRS,
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
    F,
    REPORT_SELECTION,
];

/// Parameters of `/api/collections/{id}/items/{featureId}`.
pub const ITEM: &[Param] = &[CRS, F];

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
            "The unlocated and district-level items, the same for every point: brief references (id, layer, name, kind, theme, section, action, href), whole features, or none",
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

/// The names of a parameter list, for refusing unknown ones.
#[must_use]
pub fn names(params: &[Param]) -> Vec<&'static str> {
    params.iter().map(|p| p.name).collect()
}

fn schema(kind: Kind, default: Option<&str>) -> Value {
    let mut s = match kind {
        Kind::Number(min, max) => json!({"type": "number", "minimum": min, "maximum": max}),
        Kind::Integer(min, max) => json!({"type": "integer", "minimum": min, "maximum": max}),
        Kind::Text(max) => json!({"type": "string", "minLength": 1, "maxLength": max}),
        Kind::OneOf(values) => json!({"type": "string", "enum": values}),
        Kind::BBox => {
            json!({"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4})
        }
        Kind::ListOf(values) => {
            json!({"type": "array", "items": {"type": "string", "enum": values}})
        }
        Kind::Status => json!({"type": "string", "enum": kind.vocabulary()}),
        Kind::Layers => {
            json!({"type": "array", "items": {"type": "string", "enum": kind.vocabulary()}})
        }
    };
    if let Some(d) = default {
        s["default"] = match kind {
            Kind::Number(..) => d.parse::<f64>().map_or(Value::Null, |x| json!(x)),
            Kind::Integer(..) => d.parse::<u64>().map_or(Value::Null, |x| json!(x)),
            _ => json!(d),
        };
    }
    s
}

fn parameters(params: &[Param]) -> Vec<Value> {
    params
        .iter()
        .map(|p| {
            let mut v = json!({
                "name": p.name,
                "in": "query",
                "required": p.required,
                "description": p.description,
                "schema": schema(p.kind, p.default),
            });
            if matches!(p.kind, Kind::BBox | Kind::ListOf(_) | Kind::Layers) {
                v["style"] = json!("form");
                v["explode"] = json!(false);
            }
            v
        })
        .collect()
}

fn path_param(name: &str, description: &str, values: Option<&[&str]>) -> Value {
    let schema = values.map_or_else(
        || json!({"type": "string"}),
        |v| json!({"type": "string", "enum": v}),
    );
    json!({"name": name, "in": "path", "required": true, "description": description, "schema": schema})
}

fn responses(ok: &str, media: &str, not_found: bool) -> Value {
    let error = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut r = json!({
        "200": {"description": ok, "content": {media: {"schema": {"type": "object"}}}},
        "400": {"description": "A query parameter is malformed, out of range or unknown", "content": error["content"]},
    });
    if not_found {
        r["404"] = json!({"description": "No such collection, feature or report", "content": error["content"]});
    }
    r["414"] = json!({"description": "The request URI is longer than the server accepts", "content": error["content"]});
    r["503"] = json!({"description": "Overloaded or timed out; retry shortly", "content": error["content"]});
    r
}

/// The routes of several reports: the list, one report, a comparison, one place.
fn reports_paths(paths: &mut Map<String, Value>) {
    let get = |id: &str, summary: &str, params: Vec<Value>| json!({"get": {"operationId": id, "summary": summary, "parameters": params, "responses": responses(id, "application/json", true)}});
    let with = |path: Vec<Value>| {
        let mut v = path;
        v.extend(parameters(REPORTS));
        v
    };
    let report = |name: &str| path_param(name, "a report id (see /api/reports)", None);
    paths.insert(
        "/api/reports".into(),
        get(
            "reports",
            "Every loaded report in time order: id, title, district, year, kind, counts; and the newest",
            parameters(REPORTS),
        ),
    );
    paths.insert(
        "/api/reports/{reportId}".into(),
        get(
            "reportById",
            "One report: text, sections, sentences with offsets and feature ids, unresolved items",
            with(vec![report("reportId")]),
        ),
    );
    paths.insert(
        "/api/reports/{a}/compare/{b}".into(),
        get(
            "compare",
            "Places new in b, dropped since a, and continued (verb, status and targets in each)",
            with(vec![report("a"), report("b")]),
        ),
    );
    paths.insert(
        "/api/places/{placeId}".into(),
        get(
            "place",
            "One place across reports and its commitments in time order: report, year, verb, status, targets, quote, feature id",
            with(vec![path_param(
                "placeId",
                "a place id (a feature's `place` property)",
                None,
            )]),
        ),
    );
}

/// The collections a client may ask for.
pub const COLLECTIONS: &[&str] = &["zones", "streets", "projects", "district", "stations"];

/// The OpenAPI 3.0 document of the API, with the maxima of the running server's limits.
#[must_use]
pub fn openapi(limits: &Limits) -> Value {
    let mut doc = document();
    // The tables give the default maxima; a server configured otherwise says so.
    if let Some(paths) = doc["paths"].as_object_mut() {
        for path in paths.values_mut() {
            if let Some(params) = path["get"]["parameters"].as_array_mut() {
                for p in params {
                    match p["name"].as_str() {
                        Some("limit") if p["schema"]["maximum"] == json!(MAX_LIMIT) => {
                            p["schema"]["maximum"] = json!(limits.max_limit);
                        }
                        Some("radius_m") => p["schema"]["maximum"] = json!(limits.max_radius_m),
                        _ => {}
                    }
                }
            }
        }
    }
    doc
}

#[expect(
    clippy::too_many_lines,
    reason = "one JSON literal of every path; split, the document would be read in pieces"
)]
fn document() -> Value {
    let get = |id: &str, summary: &str, params: Vec<Value>, resp: Value| json!({"get": {"operationId": id, "summary": summary, "parameters": params, "responses": resp}});
    let collection = path_param(
        "collectionId",
        "zones, streets, projects, district or stations",
        Some(COLLECTIONS),
    );
    let mut items_params = vec![collection.clone()];
    items_params.extend(parameters(ITEMS));
    let mut item_params = vec![
        collection.clone(),
        path_param("featureId", "the feature's id", None),
    ];
    item_params.extend(parameters(ITEM));
    let mut coll_params = vec![collection];
    coll_params.extend(parameters(META));
    let mut paths = Map::new();
    paths.insert("/health".into(), get("health", "200 with what is loaded: reports, features, unlocated features, and per collection its items and located items", vec![], json!({"200": {"description": "loaded", "content": {"application/json": {"schema": {"type": "object", "required": ["status", "reports", "features", "unlocated", "collections"]}}}}})));
    paths.insert(
        "/api".into(),
        get(
            "landing",
            "OGC API landing page",
            parameters(META),
            responses("links", "application/json", false),
        ),
    );
    paths.insert(
        "/api/conformance".into(),
        get(
            "conformance",
            "Conformance classes",
            parameters(META),
            responses("conformsTo", "application/json", false),
        ),
    );
    paths.insert(
        "/api/collections".into(),
        get(
            "collections",
            "The planning layers and context layers",
            parameters(META),
            responses("collections", "application/json", false),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}".into(),
        get(
            "collection",
            "One collection",
            coll_params,
            responses("collection", "application/json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/items".into(),
        get(
            "items",
            "Features of a collection",
            items_params,
            responses("FeatureCollection", "application/geo+json", true),
        ),
    );
    paths.insert(
        "/api/collections/{collectionId}/items/{featureId}".into(),
        get(
            "item",
            "One feature",
            item_params,
            responses("Feature", "application/geo+json", true),
        ),
    );
    paths.insert(
        "/api/near".into(),
        get(
            "near",
            "What is planned near a point, by distance in metres",
            parameters(NEAR),
            responses(
                "features with distance_m, and district_wide",
                "application/geo+json",
                false,
            ),
        ),
    );
    paths.insert(
        "/api/search".into(),
        get(
            "search",
            "Names, aliases and quotes",
            parameters(SEARCH),
            responses("results", "application/json", false),
        ),
    );
    paths.insert(
        "/api/report".into(),
        get(
            "report",
            "The report: text, sections, sentences with offsets and feature ids",
            parameters(REPORT),
            responses("report", "application/json", true),
        ),
    );
    reports_paths(&mut paths);
    paths.insert(
        "/api/vocabulary".into(),
        get(
            "vocabulary",
            "The vocabulary the parser and the page share: generic terms (通名) → kind → layer, statuses, themes",
            parameters(META),
            responses("vocabulary", "application/json", false),
        ),
    );
    paths.insert("/api/openapi.json".into(), get("openapi", "This document", vec![], json!({"200": {"description": "OpenAPI 3.0", "content": {"application/vnd.oai.openapi+json;version=3.0": {"schema": {"type": "object"}}}}})));
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "planmap API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Planned zones, streets and projects read from district government work reports (OGC API Features Part 1: core, GeoJSON, OAS 3.0), plus near, search and report routes. Errors are JSON {code, message, parameter}."
        },
        "paths": paths,
        "components": {"schemas": {"Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "parameter": {"type": "string", "nullable": true}}
        }}}
    })
}
