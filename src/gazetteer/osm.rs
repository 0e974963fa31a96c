//! OpenStreetMap extract (`.osm.pbf`) → gazetteer entries with sourced geometry
//! (`planmap gazetteer import-osm FILE.osm.pbf [--bbox minLon,minLat,maxLon,maxLat]`).
//!
//! Input: the bytes of an `.osm.pbf` file as any `impl Read + Send` (this module opens no
//! file), the label to name it by in `source` strings and errors, and an optional bounding box
//! `minLon,minLat,maxLon,maxLat` in WGS-84 degrees. Output: a GeoJSON `FeatureCollection` string
//! in the entry format of `geodata/README.md` (one Feature per line, ready to be saved as
//! `geodata/osm-import-<name>.geojson`) and an [`ImportSummary`] of what was kept and skipped.
//!
//! What is kept, each entry with `match = "exact"`, `source` starting `OSM node/…` or
//! `OSM way/…` plus "© OpenStreetMap contributors, ODbL":
//!
//! | OSM | entry | geometry | layer | `uncertainty_m` |
//! |---|---|---|---|---|
//! | named `highway=*` ways | one per name, kind 路/街/巷/立交/… from the name's end | `LineString` if the ways chain into one line, else `MultiLineString` | streets | 10 (one way), 25 (merged) |
//! | named `railway=rail\|subway\|monorail\|light_rail` ways | one per name, kind 轨道线 | as roads | streets | as roads |
//! | named `railway=station\|halt`, `public_transport=station` | kind 站, named as the station file's loader names them (大坪 + alias 大坪站) | Point | projects | 10 |
//! | named `place=*` below city level (not `city`, `county`, `province` …) | kind from the value (片区, 社区, 村 …) | Point, or Polygon for a closed way | zones | 10 |
//! | named `leisure=park`, `natural=water`, `waterway=riverbank`, `landuse=*` | 公园, 水体, … | Polygon for a closed way, else Point | zones | 10 |
//! | named `amenity`, `shop`, `tourism`, `historic`, `leisure`, `office`, `building` | kind from the tag (学校, 医院, 楼宇 …) | Point, or Polygon for a closed way not tagged `area=no` | projects | 10 |
//!
//! Names are the `name` tag (else `name:zh`), normalised with [`super::normalise_name`];
//! aliases are `name:zh`, `alt_name`, `old_name` and `short_name` (split at `;`) when they
//! differ from the name. Coordinates are WGS-84 lon/lat rounded to 7 decimals (1 cm);
//! polygon outer rings are closed and counter-clockwise. Every entry is marked
//! `outside_district: true`: an extract is cut by a rectangle, not by the district boundary,
//! so the atlas keeps the entries that touch the district and leaves the rest out of the
//! planning layers instead of refusing the file.
//!
//! The bounding box keeps a node inside it and a way with at least one node inside it; ways
//! are kept whole, not clipped. Without a box everything in the file is kept.
//!
//! **Skipped:** relations. Multipolygon parks, lakes and river banks (in Chongqing the two
//! rivers are multipolygons) and route relations are not assembled, because a single pass
//! over a stream cannot know which unnamed ways a later relation will need; they are counted
//! in [`ImportSummary::skipped_relations`]. Roads still come in through their ways. Also
//! skipped and counted: features with no name, and named ways whose nodes are missing from
//! the extract (a way cut by the extract's edge keeps the runs of nodes it has, as separate
//! lines; an area missing any node is skipped rather than drawn with a wrong outline).
//!
//! **Cost:** one sequential pass. Every node's position is kept in a
//! `HashMap<i64, [i32; 2]>` (id → decimicrodegrees) so ways can be resolved whatever the
//! order of the file: about 20–40 bytes per node, e.g. 20–40 MB for a district extract of
//! a million nodes and around 1 GB for the 25 million nodes of a whole-province file, so cut
//! large files first (`osmium extract --bbox`). Candidate ways are buffered with their node
//! ids (8 bytes per reference). Merging the ways of one name costs O(n) per part with an
//! endpoint index.
//!
//! **Bad input:** anything that is not a complete `.osm.pbf` (garbage, JSON, an empty file, a
//! file cut inside a block, a file whose header requires features this reader lacks) gives
//! [`GazetteerError::Osm`] naming the file. A file cut exactly between two blocks cannot be
//! told from a shorter complete file; the PBF format has no end marker.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

use osmpbf::{BlobDecode, BlobReader, Element};
use serde_json::{Value, json};

use super::{GazetteerError, normalise_name, station_names};
use crate::plan::Layer;

/// The attribution every imported `source` ends with (`ODbL` 1.0 requires it).
pub const ATTRIBUTION: &str = "© OpenStreetMap contributors, ODbL";

/// Header features this reader understands (`required_features` of the `OSMHeader` block).
const SUPPORTED_FEATURES: [&str; 2] = ["OsmSchema-V0.6", "DenseNodes"];

/// Positional doubt of one OSM node or way in a city, in metres.
const ELEMENT_UNCERTAINTY_M: u32 = 10;
/// Doubt of a line merged from several ways (parts that nearly meet, carriageways), metres.
const MERGED_UNCERTAINTY_M: u32 = 25;
/// How many way ids a merged entry's `source` lists before "and N more".
const SOURCE_IDS_LISTED: usize = 10;

/// A WGS-84 position `[lon, lat]` in decimicrodegrees (10⁻⁷ degree, about 1 cm): the
/// precision of the output, and exact for comparing shared way endpoints.
pub type Position = [i32; 2];

/// What to import and how to name the input.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// Keep only features inside `minLon,minLat,maxLon,maxLat` (WGS-84 degrees); `None`
    /// keeps the whole file.
    pub bbox: Option<[f64; 4]>,
    /// The input's name (usually its file name), used in `source` strings and errors.
    pub file_label: String,
}

/// How many entries of each kind an import wrote, and how many features it left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Road entries (one per name, merged from its `highway` ways).
    pub roads: usize,
    /// `place=*` entries.
    pub places: usize,
    /// Points of interest and named buildings.
    pub pois: usize,
    /// Parks, water and land-use areas.
    pub areas: usize,
    /// Railway and metro line entries (one per name).
    pub railways: usize,
    /// Station entries.
    pub stations: usize,
    /// Features of a kept kind inside the box but without a name.
    pub skipped_unnamed: usize,
    /// Named ways (inside the box, when one is given) left out because too few of their
    /// nodes are in the file to draw them.
    pub skipped_incomplete: usize,
    /// Named relations of a kept kind (multipolygons, routes) in the whole file: not imported.
    pub skipped_relations: usize,
}

impl ImportSummary {
    /// Entries written: everything but the skipped counts.
    #[must_use]
    pub fn entries(&self) -> usize {
        self.roads + self.places + self.pois + self.areas + self.railways + self.stations
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entries: {} roads, {} railways, {} stations, {} places, {} areas, {} POIs; \
             skipped {} unnamed, {} incomplete ways, {} relations",
            self.entries(),
            self.roads,
            self.railways,
            self.stations,
            self.places,
            self.areas,
            self.pois,
            self.skipped_unnamed,
            self.skipped_incomplete,
            self.skipped_relations
        )
    }
}

/// Parses `minLon,minLat,maxLon,maxLat` (WGS-84 degrees), as the `--bbox` flag takes it.
///
/// # Errors
/// Not four numbers, or not a box on the globe (min above max, latitude beyond ±90°,
/// longitude beyond ±180°), with a message saying which.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("bbox `{text}`: {e}; expected minLon,minLat,maxLon,maxLat"))?;
    let bbox: [f64; 4] = numbers
        .try_into()
        .map_err(|_| format!("bbox `{text}`: expected four numbers minLon,minLat,maxLon,maxLat"))?;
    Bbox::new(bbox)?;
    Ok(bbox)
}

/// Reads an `.osm.pbf`, keeps the named features (inside `options.bbox` when given) and
/// returns them as a GeoJSON `FeatureCollection` in the gazetteer entry format of
/// `geodata/README.md`, plus counts. See the module docs for what is kept and skipped.
///
/// # Errors
/// [`GazetteerError::Osm`] naming `options.file_label` when the input is not a complete,
/// readable `.osm.pbf` or the box is invalid. Never panics on bad input.
pub fn import_osm<R: Read + Send>(
    reader: R,
    options: &ImportOptions,
) -> Result<(String, ImportSummary), GazetteerError> {
    let file = options.file_label.as_str();
    let osm_error = |message: String| GazetteerError::Osm {
        file: file.to_string(),
        message,
    };
    let bbox = options.bbox.map(Bbox::new).transpose().map_err(osm_error)?;
    // osmpbf does unchecked integer arithmetic on coordinates and delta codes, which panics
    // on crafted input in debug builds; a bad file must come back as an error, not a crash.
    let extract = catch_unwind(AssertUnwindSafe(|| read_extract(reader, bbox.as_ref())))
        .map_err(|_| osm_error("malformed .osm.pbf: the PBF decoder gave up on its data".into()))?
        .map_err(osm_error)?;
    let (entries, summary) = build_entries(extract, bbox.as_ref(), file);
    Ok((feature_collection(&entries), summary))
}

/// The box to keep, in WGS-84 degrees.
#[derive(Debug, Clone, Copy)]
struct Bbox {
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
}

impl Bbox {
    fn new([min_lon, min_lat, max_lon, max_lat]: [f64; 4]) -> Result<Bbox, String> {
        let on_globe = (-180.0..=180.0).contains(&min_lon)
            && (-180.0..=180.0).contains(&max_lon)
            && (-90.0..=90.0).contains(&min_lat)
            && (-90.0..=90.0).contains(&max_lat);
        if !(on_globe && min_lon <= max_lon && min_lat <= max_lat) {
            return Err(format!(
                "bbox {min_lon},{min_lat},{max_lon},{max_lat} is not a WGS-84 box \
                 minLon,minLat,maxLon,maxLat"
            ));
        }
        Ok(Bbox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        })
    }

    fn contains(&self, p: Position) -> bool {
        let (lon, lat) = degrees(p);
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

fn degrees([lon, lat]: Position) -> (f64, f64) {
    (f64::from(lon) / 1e7, f64::from(lat) / 1e7)
}

/// Nanodegrees (as osmpbf gives them) → decimicrodegrees, rounded; `None` off the globe.
fn position(nano_lon: i64, nano_lat: i64) -> Option<Position> {
    let round = |nano: i64| nano.checked_add(50).map(|n| n.div_euclid(100));
    let lon = i32::try_from(round(nano_lon)?).ok()?;
    let lat = i32::try_from(round(nano_lat)?).ok()?;
    ((-1_800_000_000..=1_800_000_000).contains(&lon) && (-900_000_000..=900_000_000).contains(&lat))
        .then_some([lon, lat])
}

/// What kind of entry a feature becomes; also the order of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Category {
    Road,
    Railway,
    Station,
    Place,
    Area,
    Poi,
}

impl Category {
    fn layer(self) -> Layer {
        match self {
            Category::Road | Category::Railway => Layer::Streets,
            Category::Place | Category::Area => Layer::Zones,
            Category::Station | Category::Poi => Layer::Projects,
        }
    }

    /// Prefix of the ids of entries merged by name.
    fn line_prefix(self) -> &'static str {
        if self == Category::Railway {
            "osm-rail"
        } else {
            "osm-road"
        }
    }
}

/// The tags of one element, borrowed from the block's string table.
struct Tags<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Tags<'a> {
    /// The trimmed value of `key`, if present and not empty.
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn is(&self, key: &str, value: &str) -> bool {
        self.get(key) == Some(value)
    }
}

/// Shape of the element being classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Node,
    OpenWay,
    ClosedWay,
}

/// `highway` values that are not roads.
const NOT_ROADS: [&str; 5] = ["platform", "bus_stop", "elevator", "services", "rest_area"];
/// `railway` values that are lines.
const RAIL_LINES: [&str; 4] = ["rail", "subway", "monorail", "light_rail"];
/// `place` values for areas larger than a district: a point standing for all of 重庆 would
/// match the city's name throughout a report, so these are not imported.
const BIGGER_THAN_DISTRICT: [&str; 8] = [
    "continent",
    "country",
    "state",
    "region",
    "province",
    "city",
    "county",
    "municipality",
];
/// Keys that make a named element a point of interest, in order of precedence.
const POI_KEYS: [&str; 7] = [
    "amenity", "tourism", "historic", "shop", "leisure", "office", "building",
];

/// Which category an element falls in and the tag that put it there (`highway=primary`).
fn classify(tags: &Tags<'_>, shape: Shape) -> Option<(Category, String)> {
    let tag = |key: &str| tags.get(key).map(|v| format!("{key}={v}"));
    let is_station = tags.is("railway", "station")
        || tags.is("railway", "halt")
        || tags.is("public_transport", "station");
    let station_tag = || {
        tag("railway")
            .filter(|_| tags.is("railway", "station") || tags.is("railway", "halt"))
            .or_else(|| tag("public_transport"))
    };
    let area_tag = || {
        if tags.is("leisure", "park") {
            tag("leisure")
        } else if tags.is("natural", "water") {
            tag("natural")
        } else if tags.is("waterway", "riverbank") {
            tag("waterway")
        } else {
            tag("landuse")
        }
    };
    let poi_tag = || {
        POI_KEYS
            .iter()
            .filter(|k| !(**k == "building" && tags.is("building", "no")))
            .find_map(|k| tag(k))
    };
    if shape != Shape::Node {
        if let Some(highway) = tags.get("highway").filter(|v| !NOT_ROADS.contains(v)) {
            return Some((Category::Road, format!("highway={highway}")));
        }
        if let Some(railway) = tags.get("railway").filter(|v| RAIL_LINES.contains(v)) {
            return Some((Category::Railway, format!("railway={railway}")));
        }
    }
    if is_station {
        return station_tag().map(|t| (Category::Station, t));
    }
    if let Some(t) = area_tag() {
        return Some((Category::Area, t));
    }
    if shape != Shape::OpenWay
        && let Some(place) = tags.get("place")
        && !BIGGER_THAN_DISTRICT.contains(&place)
    {
        return Some((Category::Place, format!("place={place}")));
    }
    poi_tag().map(|t| (Category::Poi, t))
}

/// Head word of a road from the end of its name.
fn road_kind(name: &str) -> &'static str {
    const ENDINGS: [(&str, &str); 11] = [
        ("立交", "立交"),
        ("隧道", "隧道"),
        ("大道", "大道"),
        ("步道", "步道"),
        ("桥", "桥"),
        ("梯", "梯"),
        ("路", "路"),
        ("街", "街"),
        ("巷", "巷"),
        ("坡", "坡"),
        ("道", "道"),
    ];
    ENDINGS
        .iter()
        .find(|(end, _)| name.ends_with(end))
        .map_or("道路", |(_, kind)| kind)
}

/// `key=value` → kind; `*` as value is the key's default. Read top to bottom, first match.
const KINDS: &[(&str, &str, &str)] = &[
    ("leisure", "park", "公园"),
    ("natural", "water", "水体"),
    ("waterway", "riverbank", "水体"),
    ("landuse", "residential", "居住区"),
    ("landuse", "commercial", "商业区"),
    ("landuse", "retail", "商业区"),
    ("landuse", "industrial", "工业区"),
    ("landuse", "construction", "工地"),
    ("landuse", "grass", "绿地"),
    ("landuse", "recreation_ground", "绿地"),
    ("landuse", "cemetery", "墓地"),
    ("landuse", "*", "用地"),
    ("place", "town", "镇"),
    ("place", "village", "村"),
    ("place", "hamlet", "村"),
    ("place", "suburb", "片区"),
    ("place", "quarter", "片区"),
    ("place", "neighbourhood", "社区"),
    ("place", "island", "岛"),
    ("place", "islet", "岛"),
    ("place", "square", "广场"),
    ("place", "*", "地名"),
    ("amenity", "school", "学校"),
    ("amenity", "kindergarten", "学校"),
    ("amenity", "university", "学校"),
    ("amenity", "college", "学校"),
    ("amenity", "hospital", "医院"),
    ("amenity", "clinic", "医院"),
    ("amenity", "library", "图书馆"),
    ("amenity", "theatre", "剧院"),
    ("amenity", "arts_centre", "文化设施"),
    ("amenity", "marketplace", "市场"),
    ("amenity", "place_of_worship", "宗教场所"),
    ("amenity", "townhall", "政府机构"),
    ("amenity", "parking", "停车场"),
    ("amenity", "*", "设施"),
    ("tourism", "museum", "博物馆"),
    ("tourism", "gallery", "美术馆"),
    ("tourism", "hotel", "酒店"),
    ("tourism", "viewpoint", "观景点"),
    ("tourism", "*", "景点"),
    ("historic", "*", "遗址"),
    ("shop", "mall", "商场"),
    ("shop", "department_store", "商场"),
    ("shop", "*", "商店"),
    ("leisure", "stadium", "体育场馆"),
    ("leisure", "sports_centre", "体育场馆"),
    ("leisure", "*", "休闲场所"),
    ("office", "*", "办公"),
    ("building", "*", "楼宇"),
];

/// The kind of an entry from its category, defining tag (`key=value`) and name.
fn kind_of(category: Category, tag: &str, name: &str) -> String {
    match category {
        Category::Road => road_kind(name).to_string(),
        Category::Railway => "轨道线".to_string(),
        Category::Station => "站".to_string(),
        Category::Place | Category::Area | Category::Poi => {
            let (key, value) = tag.split_once('=').unwrap_or((tag, ""));
            KINDS
                .iter()
                .find(|(k, v, _)| *k == key && (*v == value || *v == "*"))
                .map_or("地标", |(_, _, kind)| kind)
                .to_string()
        }
    }
}

/// The normalised name (`name`, else `name:zh`) and the aliases that differ from it.
fn names(tags: &Tags<'_>) -> (Option<String>, Vec<String>) {
    let name = tags
        .get("name")
        .or_else(|| tags.get("name:zh"))
        .map(normalise_name)
        .filter(|n| !n.trim().is_empty());
    let Some(name) = name else {
        return (None, Vec::new());
    };
    let mut aliases: Vec<String> = Vec::new();
    for key in ["name:zh", "alt_name", "old_name", "short_name"] {
        for alias in tags.get(key).into_iter().flat_map(|v| v.split(';')) {
            let alias = normalise_name(alias.trim());
            if !alias.is_empty() && alias != name && !aliases.contains(&alias) {
                aliases.push(alias);
            }
        }
    }
    (Some(name), aliases)
}

/// An element that passed classification, before its geometry is known.
#[derive(Debug, Clone)]
struct Candidate {
    /// `node` or `way`.
    element: &'static str,
    id: i64,
    category: Category,
    /// The tag that decided the category, `key=value`.
    tag: String,
    /// `None` for an unnamed feature, kept only to be counted.
    name: Option<String>,
    aliases: Vec<String>,
}

/// A way waiting for its node positions.
#[derive(Debug, Clone)]
struct PendingWay {
    candidate: Candidate,
    refs: Vec<i64>,
    /// Closed ring that should be drawn as a Polygon.
    polygon: bool,
}

/// Everything one pass over the file keeps.
#[derive(Debug, Default)]
struct Extract {
    positions: HashMap<i64, Position>,
    nodes: Vec<(Candidate, Position)>,
    ways: Vec<PendingWay>,
    unnamed_nodes: usize,
    named_relations: usize,
}

impl Extract {
    fn add(&mut self, element: &Element<'_>, bbox: Option<&Bbox>) {
        match element {
            Element::DenseNode(n) => {
                self.add_node(n.id(), n.nano_lon(), n.nano_lat(), n.tags(), bbox);
            }
            Element::Node(n) => {
                self.add_node(n.id(), n.nano_lon(), n.nano_lat(), n.tags(), bbox);
            }
            Element::Way(w) => {
                self.add_way(w.id(), w.refs().collect(), &Tags(w.tags().collect()));
            }
            Element::Relation(r) => {
                let tags = Tags(r.tags().collect());
                if names(&tags).0.is_some() && classify(&tags, Shape::ClosedWay).is_some() {
                    self.named_relations += 1;
                }
            }
        }
    }

    fn add_node<'a>(
        &mut self,
        id: i64,
        nano_lon: i64,
        nano_lat: i64,
        tags: impl Iterator<Item = (&'a str, &'a str)>,
        bbox: Option<&Bbox>,
    ) {
        let Some(p) = position(nano_lon, nano_lat) else {
            return;
        };
        self.positions.insert(id, p);
        let tags = Tags(tags.collect());
        if tags.0.is_empty() || bbox.is_some_and(|b| !b.contains(p)) {
            return;
        }
        let Some((category, tag)) = classify(&tags, Shape::Node) else {
            return;
        };
        let (name, aliases) = names(&tags);
        if name.is_none() {
            self.unnamed_nodes += 1;
            return;
        }
        let candidate = Candidate {
            element: "node",
            id,
            category,
            tag,
            name,
            aliases,
        };
        self.nodes.push((candidate, p));
    }

    fn add_way(&mut self, id: i64, refs: Vec<i64>, tags: &Tags<'_>) {
        if tags.0.is_empty() || refs.len() < 2 {
            return;
        }
        let closed = refs.len() >= 4 && refs.first() == refs.last();
        let shape = if closed {
            Shape::ClosedWay
        } else {
            Shape::OpenWay
        };
        let Some((category, tag)) = classify(tags, shape) else {
            return;
        };
        let (name, aliases) = names(tags);
        let polygon = closed
            && matches!(category, Category::Place | Category::Area | Category::Poi)
            && !tags.is("area", "no");
        self.ways.push(PendingWay {
            candidate: Candidate {
                element: "way",
                id,
                category,
                tag,
                name,
                aliases,
            },
            refs,
            polygon,
        });
    }
}

/// Counts the bytes read, so a file cut a few bytes into the next block's length prefix
/// (which osmpbf takes for a clean end) is still caught.
struct CountingReader<'a, R> {
    inner: R,
    count: &'a AtomicU64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The one pass over the file: header checks, node positions, candidate nodes and ways.
fn read_extract<R: Read + Send>(reader: R, bbox: Option<&Bbox>) -> Result<Extract, String> {
    let count = AtomicU64::new(0);
    let blobs = BlobReader::new(CountingReader {
        inner: reader,
        count: &count,
    });
    let mut extract = Extract::default();
    let mut header_seen = false;
    let mut complete_bytes = 0;
    for (index, blob) in blobs.enumerate() {
        let not_pbf = |e: osmpbf::Error| {
            format!("not a readable .osm.pbf: block {index} (after byte {complete_bytes}): {e}")
        };
        let blob = blob.map_err(not_pbf)?;
        match blob.decode().map_err(not_pbf)? {
            BlobDecode::OsmHeader(header) => {
                if let Some(feature) = header
                    .required_features()
                    .iter()
                    .find(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
                {
                    return Err(format!(
                        "the file requires the PBF feature `{feature}`, which this reader does not support"
                    ));
                }
                header_seen = true;
            }
            BlobDecode::OsmData(block) => {
                if !header_seen {
                    return Err(
                        "not a valid .osm.pbf: data block before the OSMHeader block".into(),
                    );
                }
                block.for_each_element(|e| extract.add(&e, bbox));
            }
            BlobDecode::Unknown(_) => {}
        }
        complete_bytes = count.load(Ordering::Relaxed);
    }
    if !header_seen {
        return Err("not an .osm.pbf: no OSMHeader block (empty file?)".into());
    }
    let read = count.load(Ordering::Relaxed);
    if read > complete_bytes {
        return Err(format!(
            "truncated .osm.pbf: {} stray bytes after the last complete block at byte {complete_bytes}",
            read - complete_bytes
        ));
    }
    Ok(extract)
}

/// One gazetteer entry, ready to be written.
#[derive(Debug, Clone)]
struct Entry {
    category: Category,
    id: String,
    name: String,
    aliases: Vec<String>,
    kind: String,
    source: String,
    uncertainty_m: u32,
    geometry: Geometry,
}

/// The ways of one name, gathered for merging.
#[derive(Debug, Default)]
struct LineGroup {
    way_ids: Vec<i64>,
    tags: BTreeSet<String>,
    aliases: Vec<String>,
    parts: Vec<Vec<Position>>,
}

/// The runs of consecutive nodes of `refs` whose positions are known, each at least two
/// distinct positions long (repeated positions dropped).
fn resolve_runs(refs: &[i64], positions: &HashMap<i64, Position>) -> Vec<Vec<Position>> {
    let mut runs = Vec::new();
    let mut run: Vec<Position> = Vec::new();
    for id in refs {
        match positions.get(id) {
            Some(p) if run.last() == Some(p) => {}
            Some(p) => run.push(*p),
            None if run.len() >= 2 => runs.push(std::mem::take(&mut run)),
            None => run.clear(),
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

fn source(element_ids: &str, tag: &str, note: &str, file: &str) -> String {
    let file = if file.is_empty() {
        String::new()
    } else {
        format!(", {file}")
    };
    format!("OSM {element_ids} ({tag}{note}){file}; {ATTRIBUTION}")
}

/// Resolves ways, merges lines by name, applies the box and counts.
fn build_entries(extract: Extract, bbox: Option<&Bbox>, file: &str) -> (Vec<Entry>, ImportSummary) {
    let mut summary = ImportSummary {
        skipped_unnamed: extract.unnamed_nodes,
        skipped_relations: extract.named_relations,
        ..ImportSummary::default()
    };
    let mut entries: Vec<Entry> = extract
        .nodes
        .into_iter()
        .map(|(c, p)| element_entry(c, point(p), file))
        .collect();
    let mut lines: BTreeMap<(Category, String), LineGroup> = BTreeMap::new();
    for way in extract.ways {
        let runs = resolve_runs(&way.refs, &extract.positions);
        let known: Vec<Position> = way
            .refs
            .iter()
            .filter_map(|id| extract.positions.get(id).copied())
            .collect();
        if let Some(b) = bbox
            && !known.iter().any(|p| b.contains(*p))
        {
            continue;
        }
        let candidate = way.candidate;
        let Some(name) = candidate.name.clone() else {
            summary.skipped_unnamed += 1;
            continue;
        };
        if runs.is_empty() {
            summary.skipped_incomplete += 1;
            continue;
        }
        match candidate.category {
            Category::Road | Category::Railway => {
                let group = lines.entry((candidate.category, name)).or_default();
                group.way_ids.push(candidate.id);
                group.tags.insert(candidate.tag);
                for alias in candidate.aliases {
                    if !group.aliases.contains(&alias) {
                        group.aliases.push(alias);
                    }
                }
                group.parts.extend(runs);
            }
            _ if way.polygon => {
                if known.len() != way.refs.len() {
                    summary.skipped_incomplete += 1;
                    continue;
                }
                let geometry = polygon(&known).unwrap_or_else(|| point(centroid(&known)));
                entries.push(element_entry(candidate, geometry, file));
            }
            _ => {
                let closed = way.refs.first() == way.refs.last();
                let p = if closed && known.len() == way.refs.len() {
                    centroid(&known)
                } else {
                    halfway(runs.iter().max_by_key(|r| r.len()).map_or(&known, |r| r))
                };
                entries.push(element_entry(candidate, point(p), file));
            }
        }
    }
    entries.sort_by(|a, b| (a.category, &a.id).cmp(&(b.category, &b.id)));

    let mut ids: HashSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut merged: Vec<Entry> = Vec::new();
    for ((category, name), group) in lines {
        let slug = crate::report::slug(&name);
        let base = if slug.is_empty() {
            format!("{}-way-{}", category.line_prefix(), group.way_ids[0])
        } else {
            format!("{}-{slug}", category.line_prefix())
        };
        let mut id = base.clone();
        for n in 2.. {
            if ids.insert(id.clone()) {
                break;
            }
            id = format!("{base}-{n}");
        }
        merged.push(line_entry(category, id, name, group, file));
    }
    merged.extend(entries);

    for e in &merged {
        let slot = match e.category {
            Category::Road => &mut summary.roads,
            Category::Railway => &mut summary.railways,
            Category::Station => &mut summary.stations,
            Category::Place => &mut summary.places,
            Category::Area => &mut summary.areas,
            Category::Poi => &mut summary.pois,
        };
        *slot += 1;
    }
    (merged, summary)
}

/// The entry of one node or one way (not merged).
fn element_entry(candidate: Candidate, geometry: Geometry, file: &str) -> Entry {
    let (name, aliases) = match candidate.category {
        Category::Station => station_names(candidate.name.unwrap_or_default(), candidate.aliases),
        _ => (candidate.name.unwrap_or_default(), candidate.aliases),
    };
    Entry {
        category: candidate.category,
        id: format!("osm-{}-{}", candidate.element, candidate.id),
        kind: kind_of(candidate.category, &candidate.tag, &name),
        source: source(
            &format!("{}/{}", candidate.element, candidate.id),
            &candidate.tag,
            "",
            file,
        ),
        name,
        aliases,
        uncertainty_m: ELEMENT_UNCERTAINTY_M,
        geometry,
    }
}

/// The entry of all the ways of one name.
fn line_entry(category: Category, id: String, name: String, group: LineGroup, file: &str) -> Entry {
    let lines = merge_lines(group.parts);
    let n_ways = group.way_ids.len();
    let mut listed: Vec<String> = group
        .way_ids
        .iter()
        .take(SOURCE_IDS_LISTED)
        .map(|id| format!("way/{id}"))
        .collect();
    if n_ways > SOURCE_IDS_LISTED {
        listed.push(format!("and {} more", n_ways - SOURCE_IDS_LISTED));
    }
    let tags: Vec<String> = group.tags.into_iter().collect();
    let note = if n_ways > 1 {
        format!(
            "; {n_ways} ways named {name} joined end to end into {} line{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        )
    } else if lines.len() > 1 {
        format!("; {} parts with nodes in the file", lines.len())
    } else {
        String::new()
    };
    let geometry = match lines.as_slice() {
        [line] => Geometry {
            kind: "LineString",
            coordinates: coordinates(line),
        },
        _ => Geometry {
            kind: "MultiLineString",
            coordinates: lines.iter().map(|l| coordinates(l)).collect(),
        },
    };
    Entry {
        category,
        id,
        kind: kind_of(category, &tags[0], &name),
        source: source(&listed.join(", "), &tags.join(", "), &note, file),
        name,
        aliases: group.aliases,
        uncertainty_m: if n_ways > 1 {
            MERGED_UNCERTAINTY_M
        } else {
            ELEMENT_UNCERTAINTY_M
        },
        geometry,
    }
}

/// Joins lines whose endpoints coincide into as few lines as possible, reversing parts where
/// needed. Each result starts from the first unused part (in input order) and grows at both
/// ends; where three or more parts meet at one point (a fork), the earliest part is taken.
/// Parts shorter than two positions are dropped. Cost: O(total positions) with an endpoint
/// index.
#[must_use]
pub fn merge_lines(parts: Vec<Vec<Position>>) -> Vec<Vec<Position>> {
    let parts: Vec<Vec<Position>> = parts.into_iter().filter(|p| p.len() >= 2).collect();
    let mut ends: HashMap<Position, Vec<usize>> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        ends.entry(p[0]).or_default().push(i);
        ends.entry(p[p.len() - 1]).or_default().push(i);
    }
    let mut used = vec![false; parts.len()];
    let mut next_unused = |at: Position, used: &mut [bool]| -> Option<usize> {
        let found = ends.get_mut(&at)?;
        found.retain(|&j| !used[j]);
        let j = *found.first()?;
        used[j] = true;
        Some(j)
    };
    let mut merged = Vec::new();
    for start in 0..parts.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let mut line: VecDeque<Position> = parts[start].iter().copied().collect();
        while let Some(&end) = line.back()
            && let Some(j) = next_unused(end, &mut used)
        {
            let p = &parts[j];
            if p[0] == end {
                line.extend(&p[1..]);
            } else {
                line.extend(p.iter().rev().skip(1));
            }
        }
        while let Some(&front) = line.front()
            && let Some(j) = next_unused(front, &mut used)
        {
            let p = &parts[j];
            if p[p.len() - 1] == front {
                p.iter().rev().skip(1).for_each(|q| line.push_front(*q));
            } else {
                p.iter().skip(1).for_each(|q| line.push_front(*q));
            }
        }
        merged.push(line.into_iter().collect());
    }
    merged
}

/// Twice the signed area of a ring in decimicrodegrees² (positive: counter-clockwise).
fn doubled_area(ring: &[Position]) -> i128 {
    ring.windows(2)
        .map(|w| {
            i128::from(w[0][0]) * i128::from(w[1][1]) - i128::from(w[1][0]) * i128::from(w[0][1])
        })
        .sum()
}

/// A closed ring → Polygon with a counter-clockwise ring; `None` for a degenerate ring.
fn polygon(ring: &[Position]) -> Option<Geometry> {
    let mut ring: Vec<Position> = ring.to_vec();
    ring.dedup();
    if ring.len() < 4 || ring.first() != ring.last() {
        return None;
    }
    match doubled_area(&ring) {
        0 => return None,
        a if a < 0 => ring.reverse(),
        _ => {}
    }
    Some(Geometry {
        kind: "Polygon",
        coordinates: Value::Array(vec![coordinates(&ring)]),
    })
}

/// Area centroid of a closed ring (vertex mean for a degenerate one), rounded to 10⁻⁷°.
fn centroid(ring: &[Position]) -> Position {
    let Some(&origin) = ring.first() else {
        return [0, 0];
    };
    // Relative to the first vertex, so the products stay small and exact in f64.
    let rel: Vec<(f64, f64)> = ring
        .iter()
        .map(|p| (f64::from(p[0] - origin[0]), f64::from(p[1] - origin[1])))
        .collect();
    let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in rel.windows(2) {
        let cross = w[0].0 * w[1].1 - w[1].0 * w[0].1;
        a2 += cross;
        cx += (w[0].0 + w[1].0) * cross;
        cy += (w[0].1 + w[1].1) * cross;
    }
    let (dx, dy) = if a2.abs() > f64::EPSILON {
        (cx / (3.0 * a2), cy / (3.0 * a2))
    } else {
        let (sx, sy, n) = rel.iter().fold((0.0, 0.0, 0.0), |(sx, sy, n), p| {
            (sx + p.0, sy + p.1, n + 1.0)
        });
        (sx / n, sy / n)
    };
    offset(origin, dx, dy)
}

/// The point halfway along a line, by length (longitude scaled by cos latitude).
fn halfway(line: &[Position]) -> Position {
    let Some(&first) = line.first() else {
        return [0, 0];
    };
    let scale = degrees(first).1.to_radians().cos();
    let length = |a: Position, b: Position| {
        let dx = f64::from(b[0] - a[0]) * scale;
        let dy = f64::from(b[1] - a[1]);
        dx.hypot(dy)
    };
    let total: f64 = line.windows(2).map(|w| length(w[0], w[1])).sum();
    let mut left = total / 2.0;
    for w in line.windows(2) {
        let l = length(w[0], w[1]);
        if l > 0.0 && left <= l {
            let t = left / l;
            let dx = f64::from(w[1][0] - w[0][0]) * t;
            let dy = f64::from(w[1][1] - w[0][1]) * t;
            return offset(w[0], dx, dy);
        }
        left -= l;
    }
    first
}

/// `origin` moved by a (small) offset in decimicrodegrees, rounded.
#[expect(
    clippy::cast_possible_truncation,
    reason = "offsets within one way or ring are far below i32::MAX decimicrodegrees, and \
              `as` saturates anyway"
)]
fn offset(origin: Position, dx: f64, dy: f64) -> Position {
    let round = |base: i32, d: f64| base.saturating_add(d.round() as i32);
    [round(origin[0], dx), round(origin[1], dy)]
}

/// A `GeoJSON` geometry: its type and its `coordinates` member.
#[derive(Debug, Clone, PartialEq)]
struct Geometry {
    kind: &'static str,
    coordinates: Value,
}

fn coordinate(p: Position) -> Value {
    let (lon, lat) = degrees(p);
    json!([lon, lat])
}

fn coordinates(line: &[Position]) -> Value {
    line.iter().map(|p| coordinate(*p)).collect()
}

fn point(p: Position) -> Geometry {
    Geometry {
        kind: "Point",
        coordinates: coordinate(p),
    }
}

/// The `FeatureCollection` text, one `Feature` per line (as `geodata/` keeps its files), members
/// in the order of `geodata/README.md` rather than `serde_json`'s alphabetical order.
fn feature_collection(entries: &[Entry]) -> String {
    let features: Vec<String> = entries.iter().map(feature).collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    )
}

fn feature(e: &Entry) -> String {
    let text = |s: &str| Value::from(s).to_string();
    format!(
        "{{\"type\":\"Feature\",\"properties\":{{\"id\":{},\"name\":{},\"aliases\":{},\
         \"kind\":{},\"layer\":{},\"match\":\"exact\",\"source\":{},\"uncertainty_m\":{},\
         \"outside_district\":true}},\"geometry\":{{\"type\":{},\"coordinates\":{}}}}}",
        text(&e.id),
        text(&e.name),
        Value::from(e.aliases.clone()),
        text(&e.kind),
        text(e.category.layer().as_str()),
        text(&e.source),
        e.uncertainty_m,
        text(e.geometry.kind),
        e.geometry.coordinates,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(i32, i32)]) -> Vec<Position> {
        points.iter().map(|&(x, y)| [x, y]).collect()
    }

    #[test]
    fn parts_sharing_endpoints_chain_into_one_line_whatever_their_direction() {
        let merged = merge_lines(vec![
            line(&[(2, 0), (3, 0)]),
            line(&[(2, 0), (1, 0)]),
            line(&[(5, 0), (4, 0), (3, 0)]),
            line(&[(0, 0), (1, 0)]),
        ]);
        assert_eq!(merged.len(), 1);
        let mut got = merged[0].clone();
        if got[0] != [0, 0] {
            got.reverse();
        }
        assert_eq!(got, line(&[(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)]));
    }

    #[test]
    fn parts_that_do_not_touch_stay_apart_and_short_parts_are_dropped() {
        let merged = merge_lines(vec![
            line(&[(0, 0), (1, 0)]),
            line(&[(5, 5)]),
            line(&[(3, 0), (4, 0)]),
            line(&[(1, 0), (2, 0)]),
        ]);
        assert_eq!(
            merged,
            vec![line(&[(0, 0), (1, 0), (2, 0)]), line(&[(3, 0), (4, 0)])]
        );
    }

    #[test]
    fn a_clockwise_ring_becomes_a_counter_clockwise_polygon() {
        let cw = line(&[(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)]);
        assert!(doubled_area(&cw) < 0);
        let geometry = polygon(&cw).expect("a polygon");
        assert_eq!(geometry.kind, "Polygon");
        let ring: Vec<Position> = geometry.coordinates[0]
            .as_array()
            .expect("ring")
            .iter()
            .map(|c| {
                let lon = c[0].as_f64().expect("lon");
                let lat = c[1].as_f64().expect("lat");
                [(lon * 1e7).round(), (lat * 1e7).round()].map(|v| v as i32)
            })
            .collect();
        assert!(doubled_area(&ring) > 0);
        assert_eq!(ring.first(), ring.last());
    }

    #[test]
    fn a_run_of_nodes_breaks_where_the_extract_lacks_a_node() {
        let positions: HashMap<i64, Position> = [
            (1, [0, 0]),
            (2, [1, 0]),
            (4, [3, 0]),
            (5, [4, 0]),
            (7, [6, 0]),
        ]
        .into();
        let runs = resolve_runs(&[1, 2, 3, 4, 5, 6, 7], &positions);
        assert_eq!(runs, vec![line(&[(0, 0), (1, 0)]), line(&[(3, 0), (4, 0)])]);
    }

    #[test]
    fn halfway_and_centroid_fall_where_expected() {
        assert_eq!(halfway(&line(&[(0, 0), (0, 10), (0, 30)])), [0, 15]);
        assert_eq!(
            centroid(&line(&[(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)])),
            [10, 10]
        );
    }

    #[test]
    fn stations_are_named_as_the_station_file_names_them() {
        let names = |n: &str| station_names(n.to_string(), Vec::new());
        assert_eq!(names("较场口"), ("较场口".into(), vec!["较场口站".into()]));
        assert_eq!(names("大坪站"), ("大坪".into(), vec!["大坪站".into()]));
        assert_eq!(names("重庆站"), ("重庆站".into(), Vec::<String>::new()));
    }

    #[test]
    fn a_city_is_not_a_place_to_import_but_a_neighbourhood_is() {
        let city = Tags(vec![("place", "city"), ("name", "重庆")]);
        assert_eq!(classify(&city, Shape::Node), None);
        let quarter = Tags(vec![("place", "quarter"), ("name", "解放碑")]);
        assert_eq!(
            classify(&quarter, Shape::Node),
            Some((Category::Place, "place=quarter".into()))
        );
    }

    #[test]
    fn a_bbox_must_be_four_numbers_min_before_max() {
        assert_eq!(
            parse_bbox("106.5,29.5,106.6,29.6"),
            Ok([106.5, 29.5, 106.6, 29.6])
        );
        assert!(parse_bbox("106.6,29.5,106.5,29.6").is_err());
        assert!(parse_bbox("106.5,29.5,106.6").is_err());
        assert!(parse_bbox("a,b,c,d").is_err());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// A line cut into pieces, shuffled and some reversed, merges back into itself.
        #[test]
        fn a_cut_line_merges_back_into_itself(
            steps in proptest::collection::vec((1..1000_i32, -1000..1000_i32), 2..40),
            cuts in proptest::collection::vec(0..40_usize, 0..10),
            order_seed in 0..u64::MAX,
        ) {
            // Strictly increasing longitude: no position repeats, so the merge is unique.
            let mut p = [1_065_000_000, 295_000_000];
            let mut original = vec![p];
            for (dx, dy) in steps {
                p = [p[0] + dx, p[1] + dy];
                original.push(p);
            }
            let mut cut_at: Vec<usize> = cuts.into_iter().map(|c| 1 + c % (original.len() - 1)).collect();
            cut_at.sort_unstable();
            cut_at.dedup();
            let mut parts = Vec::new();
            let mut from = 0;
            for at in cut_at.into_iter().chain([original.len() - 1]) {
                if at > from {
                    parts.push(original[from..=at].to_vec());
                    from = at;
                }
            }
            // Deterministic shuffle and reversal from the seed.
            let mut seed = order_seed;
            let mut shuffled = Vec::new();
            while !parts.is_empty() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let mut part = parts.remove((seed >> 33) as usize % parts.len());
                if seed & 1 == 1 {
                    part.reverse();
                }
                shuffled.push(part);
            }
            let merged = merge_lines(shuffled);
            proptest::prop_assert_eq!(merged.len(), 1);
            let mut got = merged[0].clone();
            if got[0] != original[0] {
                got.reverse();
            }
            proptest::prop_assert_eq!(got, original);
        }
    }
}
