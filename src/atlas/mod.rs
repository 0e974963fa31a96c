//! The atlas: everything the server serves. One atlas is read-only; a change (a correction,
//! a verdict, an uploaded report) makes the next one, sharing what it did not touch
//! ([`living`]).
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
pub mod living;
pub mod reader;
mod render;
pub mod reports;
mod scope;
mod store;

use std::collections::HashMap;
use std::sync::Arc;

use geo::{BoundingRect, Geometry, MultiPolygon};
use thiserror::Error;

pub use living::Living;
pub use render::item_path;
pub use store::AtlasStore;

use crate::gazetteer::GazetteerError;
use crate::geocode::GeocodeError;
use crate::plan::{ContextFeature, PlannedFeature};
use crate::report::Report;
use crate::report::meta::{MetaError, ReportMeta};
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
    /// R-tree over the items' geometries (same numbering as `items`); shared by the atlases
    /// made after a change that did not touch this collection.
    pub index: Arc<SpatialIndex>,
    /// Bounding box of the located items.
    pub extent: Option<BBox>,
}

/// The planned features of every report, in report order, in shared chunks.
pub type Features = crate::chunked::Chunked<Arc<PlannedFeature>>;

/// Everything served.
#[derive(Debug, Clone)]
pub struct Atlas {
    /// Collections in the order the landing page lists them.
    pub collections: Vec<Collection>,
    /// Parsed reports. Their copies of the text are emptied once read (`normalized`, with its
    /// raw-offset map, and each sentence's `text`): every offset served is into
    /// `Report::text`, which is kept, and each feature keeps its quote.
    pub reports: Vec<Arc<Report>>,
    /// What each report is (title, district, year, kind), in the order of `reports`.
    pub metas: Arc<Vec<ReportMeta>>,
    /// Per report: uploaded by an editor (true) or one of the read-only `--seeds` (false).
    pub uploaded: Vec<bool>,
    /// The planned features of all reports, in report order; each shared with the atlases
    /// before and after a change that did not touch it.
    pub features: Features,
    /// The context features (district, stations); held once for every atlas.
    pub context: Arc<Vec<ContextFeature>>,
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
        let living = Living::new(geodata, seeds)?;
        Ok(Arc::unwrap_or_clone(Arc::clone(living.atlas())))
    }

    /// An atlas with nothing in it, the state before the first is published.
    #[must_use]
    pub fn empty() -> Atlas {
        Atlas {
            collections: Vec::new(),
            reports: Vec::new(),
            metas: Arc::new(Vec::new()),
            uploaded: Vec::new(),
            features: Features::default(),
            context: Arc::new(Vec::new()),
            boundary: MultiPolygon::new(Vec::new()),
            warnings: Vec::new(),
        }
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
            index: Arc::new(SpatialIndex::new(geometries)),
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
