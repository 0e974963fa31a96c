//! The read side of the data the API serves, as a trait: [`FeatureStore`]. The in-memory atlas
//! implements it today (`atlas::AtlasStore`); a PostgreSQL/PostGIS store can implement it
//! later without the API changing. Corrections by planners live behind the `PlacementStore`
//! trait beside this one (`store::placement`, issue #13).
//!
//! Inputs: typed queries (filters from `plan`, bounding boxes and points in WGS-84 lon/lat
//! degrees, radii in metres). Outputs: typed answers whose features are GeoJSON text already
//! rendered in the requested coordinate system ([`FeatureText`]), because the hot routes
//! (items, near) assemble answers by concatenating text rather than building JSON trees on
//! every request.

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;
use thiserror::Error;

use crate::datum::Crs;
use crate::plan::{CqlFilter, Filter, Layer, SearchMatch, SortKey};
use crate::spatial::{BBox, Inside};

/// Why a store could not answer.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No collection with this id.
    #[error("no collection `{0}`; see /api/collections")]
    UnknownCollection(String),
    /// No feature with this id in the collection.
    #[error("no feature `{id}` in `{collection}`")]
    UnknownFeature {
        /// Collection id.
        collection: String,
        /// Feature id.
        id: String,
    },
    /// No report with this id.
    #[error("no report `{0}`; see `reports` in /api/report")]
    UnknownReport(String),
    /// The search text is empty once normalised.
    #[error("the search text is empty")]
    EmptyQuery,
    /// No place with this id in any report.
    #[error("no place `{0}`; place ids are in each feature's `place` property")]
    UnknownPlace(String),
}

/// One feature as GeoJSON text, cut just inside its `properties` object so a derived answer
/// (near) can add a member (`distance_m`) without re-serialising anything. The properties'
/// members are held in three runs: those before the members the placement decides, those
/// (`placed`), and those after, so a correction re-renders the placed run and shares the rest.
///
/// One pointer wide: the items of a collection are copied whole when a change touches one of
/// them, so a clone is one count, not four.
#[derive(Debug, Clone)]
pub struct FeatureText(Arc<Runs>);

/// What comes before a feature's properties, `{"type":"Feature","id":…,"geometry":…,` and
/// `"properties":{`, held as two shared texts: the id (the same in every datum and placement)
/// and the geometry members (the same for every feature one placement places: a place
/// corrected in a hundred reports shares one rendering of its geometry).
#[derive(Debug, Clone)]
pub struct Head {
    /// The id as JSON (a quoted string or a number).
    id: Arc<str>,
    /// `"geometry":…`, and any foreign member after it (`,"placement":…`).
    geometry: Arc<str>,
}

impl Head {
    const START: &'static str = "{\"type\":\"Feature\",\"id\":";
    const END: &'static str = ",\"properties\":{";

    /// A head from the id as JSON and the geometry members.
    #[must_use]
    pub fn new(id: Arc<str>, geometry: Arc<str>) -> Head {
        Head { id, geometry }
    }

    /// The same id with other geometry members.
    #[must_use]
    pub fn with_geometry(&self, geometry: Arc<str>) -> Head {
        Head {
            id: Arc::clone(&self.id),
            geometry,
        }
    }

    fn len(&self) -> usize {
        Self::START.len() + self.id.len() + 1 + self.geometry.len() + Self::END.len()
    }

    fn write(&self, out: &mut String) {
        out.push_str(Self::START);
        out.push_str(&self.id);
        out.push(',');
        out.push_str(&self.geometry);
        out.push_str(Self::END);
    }
}

/// The runs of a [`FeatureText`].
#[derive(Debug)]
struct Runs {
    /// Type, id and geometry.
    head: Head,
    /// The properties' members before `placed` (ending in its comma), or all of them; shared
    /// by the renderings of one feature in every coordinate system (only the geometry
    /// differs), so several datums cost one copy.
    before: Arc<str>,
    /// The members the placement decides, or empty.
    placed: Arc<str>,
    /// The members after `placed` (starting with a comma), or empty.
    after: Arc<str>,
}

/// Equal when they write the same text, however it is cut.
impl PartialEq for FeatureText {
    fn eq(&self, other: &FeatureText) -> bool {
        let (mut a, mut b) = (String::new(), String::new());
        self.write(&mut a);
        other.write(&mut b);
        a == b
    }
}

impl Eq for FeatureText {}

/// The members of a serialised JSON object: the text inside its braces, or empty.
fn members(object: &str) -> &str {
    object
        .strip_prefix('{')
        .and_then(|p| p.strip_suffix('}'))
        .unwrap_or("")
}

impl FeatureText {
    /// Cuts a serialised GeoJSON Feature whose `properties` object is its last member.
    #[must_use]
    pub fn new(head: Head, properties: &str) -> FeatureText {
        let empty: Arc<str> = Arc::from("");
        FeatureText(Arc::new(Runs {
            head,
            before: members(properties).into(),
            placed: Arc::clone(&empty),
            after: empty,
        }))
    }

    /// As [`FeatureText::new`], with the members of the object `placed` (serialised on its
    /// own) found as one run inside `properties` and kept apart; when they are not found the
    /// properties are kept whole.
    #[must_use]
    pub fn with_placed(head: Head, properties: &str, placed: &str) -> FeatureText {
        let all = members(properties);
        let placed = members(placed);
        match all.rfind(placed).filter(|_| !placed.is_empty()) {
            Some(at) => FeatureText(Arc::new(Runs {
                head,
                before: all[..at].into(),
                placed: placed.into(),
                after: all[at + placed.len()..].into(),
            })),
            None => FeatureText::new(head, properties),
        }
    }

    /// The same feature placed elsewhere: new geometry members and placed run (`placed`,
    /// members written as [`FeatureText::placed_run`] cuts them from their object), the id and
    /// the other members shared with `self`. Only for a text made by
    /// [`FeatureText::with_placed`] whose run was found.
    #[must_use]
    pub fn replaced(&self, geometry: Arc<str>, placed: Arc<str>) -> FeatureText {
        FeatureText(Arc::new(Runs {
            head: self.0.head.with_geometry(geometry),
            before: Arc::clone(&self.0.before),
            placed,
            after: Arc::clone(&self.0.after),
        }))
    }

    /// The run of members of a serialised object, as [`FeatureText::replaced`] takes it.
    #[must_use]
    pub fn placed_run(object: &str) -> Arc<str> {
        members(object).into()
    }

    /// Whether the placed run was found and kept apart, so [`FeatureText::replaced`] applies.
    #[must_use]
    pub fn has_placed(&self) -> bool {
        !self.0.placed.is_empty()
    }

    /// The same feature with other geometry members (its geometry in another datum), sharing
    /// the id and the properties' text with `self`.
    #[must_use]
    pub fn with_geometry(&self, geometry: Arc<str>) -> FeatureText {
        FeatureText(Arc::new(Runs {
            head: self.0.head.with_geometry(geometry),
            before: Arc::clone(&self.0.before),
            placed: Arc::clone(&self.0.placed),
            after: Arc::clone(&self.0.after),
        }))
    }

    fn members_len(&self) -> usize {
        self.0.before.len() + self.0.placed.len() + self.0.after.len()
    }

    /// Bytes [`FeatureText::write_with`] appends, at most (the number takes ≤ 24).
    #[must_use]
    pub fn len_with(&self, key: &str) -> usize {
        self.0.head.len() + self.members_len() + key.len() + 32
    }

    fn write_members(&self, out: &mut String) {
        out.push_str(&self.0.before);
        out.push_str(&self.0.placed);
        out.push_str(&self.0.after);
    }

    /// Appends the feature to `out`.
    pub fn write(&self, out: &mut String) {
        self.0.head.write(out);
        self.write_members(out);
        out.push_str("}}");
    }

    /// Appends the feature with one more number property first (`"distance_m":12.5`); `key`
    /// is written as given, so it must be a plain JSON name.
    pub fn write_with(&self, out: &mut String, key: &str, value: f64) {
        self.0.head.write(out);
        let _ = write!(out, "\"{key}\":{}", serde_json::json!(value));
        if self.members_len() > 0 {
            out.push(',');
            self.write_members(out);
        }
        out.push_str("}}");
    }
}

impl FeatureText {
    /// Appends the feature with near's members first: `distance_m`, `distance_range_m` and
    /// `inside`, distances rounded to 0.1 m.
    pub fn write_near(&self, out: &mut String, hit_m: f64, range_m: [f64; 2], inside: Inside) {
        let r = |m: f64| serde_json::json!((m * 10.0).round() / 10.0);
        self.0.head.write(out);
        let _ = write!(
            out,
            "\"distance_m\":{},\"distance_range_m\":[{},{}],\"inside\":\"{}\"",
            r(hit_m),
            r(range_m[0]),
            r(range_m[1]),
            inside.as_str()
        );
        if self.members_len() > 0 {
            out.push(',');
            self.write_members(out);
        }
        out.push_str("}}");
    }
}

/// A collection's description for the collections list.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectionInfo<'a> {
    /// `zones`, `streets`, `projects`, `district` or `stations`.
    pub id: &'a str,
    /// Chinese title.
    pub title: &'a str,
    /// One-line description.
    pub description: &'a str,
    /// Items, located or not.
    pub item_count: usize,
    /// Items with a geometry.
    pub located_count: usize,
    /// WGS-84 bounding box of the located items.
    pub extent: Option<BBox>,
}

/// What the items route asks for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemsQuery {
    /// Only located features intersecting this WGS-84 box; without it, unlocated items too.
    pub bbox: Option<BBox>,
    /// The planners' filters.
    pub filter: Filter,
    /// Page size.
    pub limit: usize,
    /// Features to skip.
    pub offset: usize,
    /// A CQL2 filter (OGC API Features Part 3), on top of `bbox` and `filter`.
    pub cql: Option<CqlFilter>,
    /// `sortby` keys; empty keeps the collection's order (report by report, in the order the
    /// atlas lists them), which is also the tie-break.
    pub sortby: Vec<SortKey>,
    /// Only planned features of these reports (ids); empty: every report. Context features
    /// (district, stations) belong to no report and always pass.
    pub reports: Vec<String>,
}

/// One page of items.
#[derive(Debug, Clone)]
pub struct ItemsPage<'a> {
    /// Features matching the query, over all pages.
    pub number_matched: usize,
    /// This page's features, in `sortby` order, else the collection's order.
    pub features: Vec<&'a FeatureText>,
}

/// Which form near's `district_wide` list takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistrictWide {
    /// References: id, layer, name, kind, theme, section, action and the item's path.
    Brief,
    /// Whole features, as the items route returns them.
    Full,
    /// Left out (an empty list).
    None,
}

impl DistrictWide {
    /// Reads the query value (`brief`, `full`, `none`).
    #[must_use]
    pub fn parse(value: &str) -> Option<DistrictWide> {
        match value {
            "brief" => Some(DistrictWide::Brief),
            "full" => Some(DistrictWide::Full),
            "none" => Some(DistrictWide::None),
            _ => None,
        }
    }
}

/// What near asks for: a WGS-84 point, a radius in metres, the layers to search.
#[derive(Debug, Clone, PartialEq)]
pub struct NearQuery {
    /// Longitude, WGS-84 degrees.
    pub lon: f64,
    /// Latitude, WGS-84 degrees.
    pub lat: f64,
    /// Search radius, metres.
    pub radius_m: f64,
    /// Most features returned.
    pub limit: usize,
    /// Planning layers to search.
    pub layers: Vec<Layer>,
    /// The form of the district-wide list.
    pub district_wide: DistrictWide,
    /// Only features (and district-wide items) of these reports (ids); empty: every report.
    pub reports: Vec<String>,
}

/// One feature near the point.
#[derive(Debug, Clone)]
pub struct NearHit<'a> {
    /// True distance in metres from the point to the drawn geometry (0 inside an area).
    pub distance_m: f64,
    /// `[max(0, d − u), d + u]`: the distance widened by the feature's `uncertainty_m`.
    pub distance_range_m: [f64; 2],
    /// Whether the radius holds the feature for certain or only possibly.
    pub inside: Inside,
    /// The feature.
    pub feature: &'a FeatureText,
}

/// Near's answer: features by distance, and the district-wide items of the searched layers.
#[derive(Debug, Clone)]
pub struct NearAnswer<'a> {
    /// Nearest first; ties (a point inside several areas) smallest area first, then by name.
    pub hits: Vec<NearHit<'a>>,
    /// Per searched layer, its district-wide items (`scope: district`) as comma-joined JSON
    /// values (possibly empty).
    pub district_wide: Vec<&'a str>,
}

/// One search result.
#[derive(Debug, Clone)]
pub struct SearchHit<'a> {
    /// Feature id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its layer.
    pub layer: Layer,
    /// Its kind.
    pub kind: &'a str,
    /// Where the query was found; best first.
    pub matched: SearchMatch,
    /// A point on or in the geometry, WGS-84 lon/lat; `None` when unlocated.
    pub center: Option<(f64, f64)>,
}

/// What `/health` reports: what is loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthInfo {
    /// Reports loaded.
    pub reports: usize,
    /// Planned features over all reports.
    pub features: usize,
    /// Planned features without a location.
    pub unlocated: usize,
    /// Per collection: id, items, located items.
    pub collections: Vec<CollectionCount>,
}

/// Item counts of one collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionCount {
    /// Collection id.
    pub id: String,
    /// Items.
    pub items: usize,
    /// Items with a geometry.
    pub located: usize,
}

/// The read model the API serves from. Every coordinate in and out is WGS-84 except the
/// rendered features, which come in the requested [`Crs`].
pub trait FeatureStore: Send + Sync {
    /// Every collection, in the order the landing page lists them.
    fn collections(&self) -> Vec<CollectionInfo<'_>>;

    /// One collection.
    ///
    /// # Errors
    /// [`StoreError::UnknownCollection`].
    fn collection(&self, id: &str) -> Result<CollectionInfo<'_>, StoreError>;

    /// A page of a collection's features passing the query's box and filters.
    ///
    /// # Errors
    /// [`StoreError::UnknownCollection`].
    fn items(
        &self,
        collection: &str,
        query: &ItemsQuery,
        crs: Crs,
    ) -> Result<ItemsPage<'_>, StoreError>;

    /// One feature by id.
    ///
    /// # Errors
    /// [`StoreError::UnknownCollection`] or [`StoreError::UnknownFeature`].
    fn item(&self, collection: &str, id: &str, crs: Crs) -> Result<&FeatureText, StoreError>;

    /// The ids of a collection's located features whose geometry intersects a WGS-84 box.
    ///
    /// # Errors
    /// [`StoreError::UnknownCollection`].
    fn bbox(&self, collection: &str, bbox: BBox) -> Result<Vec<&str>, StoreError>;

    /// Features of the query's layers that may lie within its radius once their uncertainty
    /// is counted (`d − u ≤ radius`), by true distance to the drawn geometry, and the layers'
    /// district-wide items.
    fn near(&self, query: &NearQuery, crs: Crs) -> NearAnswer<'_>;

    /// Planned features whose name, alias or quote holds `text` (normalised here the way the
    /// reports are), best first, at most `limit`.
    ///
    /// # Errors
    /// [`StoreError::EmptyQuery`] when nothing is left of `text` once normalised.
    fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit<'_>>, StoreError>;

    /// The report answer (`/api/report`) as JSON text: the first report without an id.
    ///
    /// # Errors
    /// [`StoreError::UnknownReport`].
    fn report(&self, id: Option<&str>) -> Result<&str, StoreError>;

    /// What is loaded, for `/health`.
    fn health(&self) -> HealthInfo;

    /// The ids of the loaded reports, in time order (oldest first).
    fn report_ids(&self) -> Vec<&str>;

    /// The `/api/reports` answer as JSON text: every report with its title, district, year,
    /// kind and counts, in time order, and which is the newest.
    fn reports(&self) -> &str;

    /// Like [`FeatureStore::search`], only among the features of `reports` (ids; empty:
    /// every report).
    ///
    /// # Errors
    /// [`StoreError::EmptyQuery`] when nothing is left of `text` once normalised.
    fn search_in(
        &self,
        text: &str,
        limit: usize,
        reports: &[String],
    ) -> Result<Vec<SearchHit<'_>>, StoreError>;

    /// The `/api/places/{id}` answer as JSON: one place and its commitments in time order.
    ///
    /// # Errors
    /// [`StoreError::UnknownPlace`].
    fn place(&self, id: &str) -> Result<String, StoreError>;

    /// The `/api/reports/{a}/compare/{b}` answer as JSON: places new in `b`, dropped since
    /// `a`, and continued with their commitments in each.
    ///
    /// # Errors
    /// [`StoreError::UnknownReport`] naming the unknown id.
    fn compare(&self, a: &str, b: &str) -> Result<String, StoreError>;
}
