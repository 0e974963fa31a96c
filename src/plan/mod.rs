//! The shared vocabulary of planmap: what a planned feature is, on which layer it sits, how it
//! was located, and how it is written out as RFC 7946 GeoJSON.
//!
//! Inputs: values built by `geocode`. Outputs: [`PlannedFeature`] and its GeoJSON form.
//! Units: coordinates are WGS-84 longitude/latitude in degrees; `uncertainty_m` is metres.
//! This module imports nothing else from the crate but the leaf [`crate::vocab`] (whose
//! [`Layer`] and [`Status`] it re-exports), so every other module can depend on it.

mod context;
mod cql;
mod datetime;
mod family;
mod filter;
mod nesting;
mod places;
mod queryable;

use std::sync::Arc;

use geo::Geometry;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use crate::vocab::{Layer, Status};
pub use context::{ContextFeature, ContextKind, ContextProperties};
pub use cql::{CqlError, CqlFilter};
pub use datetime::{DatetimeError, Interval};
pub use family::{Drawn, Family, in_family};
pub use filter::{Brief, Filter, SearchMatch, search_match};
pub use nesting::MAX_NESTING;
pub use places::{PlaceClusters, PlaceKey, SAME_PLACE_M, assign_places, name_place_id};
pub use queryable::{Queryable, Queryables, Scalar, SortKey, compare_by};

/// The verb that plans an item and the status it implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The verb as the report writes it (开工, 完工, 加快 …).
    pub verb: String,
    /// What the verb says about progress.
    pub status: Status,
}

/// A numeric target stated in the sentence that plans an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// What is counted (社会消费品零售总额, 新增停车位 …).
    pub metric: String,
    /// The number, as a decimal.
    pub value: f64,
    /// The unit as written (亿元, 个, %, 万平方米 …).
    pub unit: String,
    /// The clause the target was read from, verbatim.
    pub text: String,
}

/// The section of the report an item is planned in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRef {
    /// The part's numeral (一, 二, 三), when known.
    pub part: Option<String>,
    /// The section's number as written, e.g. `（三）`, when known.
    pub number: Option<String>,
    /// The section's heading, when known.
    pub title: Option<String>,
}

/// One place in the report that names a feature, in chars of the normalised report text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRef {
    /// Index of the sentence in the report.
    pub sentence_id: usize,
    /// First char (Unicode scalar value) of the name in the normalised text.
    pub start: usize,
    /// One past the last char of the name.
    pub end: usize,
}

/// A sentence that names a feature (under any of its names), quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionQuote {
    /// Index of the sentence in the report.
    pub sentence_id: usize,
    /// The name the sentence uses.
    pub name: String,
    /// The sentence, verbatim.
    pub quote: String,
}

/// A planned item listed under the whole it is part of (医药城 under 西部中医药产业园), because
/// the map cannot place it apart from the whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Its name as the report writes it.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// The sentence that plans it.
    pub sentence_id: usize,
    /// That sentence, verbatim.
    pub quote: String,
    /// The verb that plans it, when there is one.
    pub action: Option<Action>,
}

/// A stretch of a street the report plans (长滨路 菜园坝至储奇门段), as served: when `drawn`,
/// the feature's geometry is only the stretches, cut from the street's line at the ends'
/// projections; otherwise the whole street is drawn and `reason` says why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreetSegment {
    /// The place the stretch starts at, as written.
    pub from: String,
    /// The place it ends at, as written.
    pub to: String,
    /// The sentence that states it.
    pub sentence_id: usize,
    /// That sentence, verbatim.
    pub quote: String,
    /// Whether the geometry is cut to it.
    pub drawn: bool,
    /// Why it is not drawn (an end not placed, too far from the street …), in Chinese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How a feature was placed, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchType {
    /// A sourced geometry of this very place.
    Exact,
    /// A sourced geometry found through another name of the place.
    Alias,
    /// Placed at the place it belongs to (a building in a business district).
    PartOf,
    /// Placed from nearby sourced anchors, with a stated uncertainty.
    Anchor,
    /// Not placed; geometry is null.
    Unlocated,
    /// Placed by a planner's correction (issue #13), or by the gazetteer entry a correction
    /// made of the same name; the most trusted tier.
    Curated,
}

impl MatchType {
    /// The name used in GeoJSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Exact => "exact",
            MatchType::Alias => "alias",
            MatchType::PartOf => "part_of",
            MatchType::Anchor => "anchor",
            MatchType::Unlocated => "unlocated",
            MatchType::Curated => "curated",
        }
    }
}

/// How a feature was located and how far to trust it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// The tier that placed it.
    #[serde(rename = "match")]
    pub match_type: MatchType,
    /// What the position was read or derived from; for unlocated items, why.
    pub source: String,
    /// Radius in metres that covers the doubt about the position; `None` when unlocated.
    pub uncertainty_m: Option<f64>,
    /// 0–1: how sure the match of name to place is.
    pub confidence: f64,
    /// The editor whose correction placed it (`curated` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editor: Option<String>,
    /// When that correction was saved, UTC RFC 3339 (`curated` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// An item the report plans, placed (or not) on the map: what the reading found, shared,
/// and where it stands. Reads of the reading's fields go through `Deref` (`f.name`); a
/// write to them copies the reading only when another feature shares it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFeature {
    /// What the reader found and the place it was assigned to: the same for every placement,
    /// so a correction shares it with the feature it replaces instead of copying it.
    pub reading: Arc<Reading>,
    /// How it was located.
    pub location: Location,
    /// WGS-84 geometry; `None` when unlocated.
    pub geometry: Option<Geometry<f64>>,
}

impl std::ops::Deref for PlannedFeature {
    type Target = Reading;

    fn deref(&self) -> &Reading {
        &self.reading
    }
}

impl std::ops::DerefMut for PlannedFeature {
    fn deref_mut(&mut self) -> &mut Reading {
        Arc::make_mut(&mut self.reading)
    }
}

/// What the reader found of a planned item: a function of the text, the vocabulary and the
/// planners' verdicts, never of its placement (issue #21), but for a street's segments, which
/// its geometry cuts.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// Stable id `<report>/<layer>/<slug>`.
    pub id: String,
    /// The name as the report writes it.
    pub name: String,
    /// Other names of the place (from the gazetteer, canonical name first), for search and
    /// the `q` filter; not part of the GeoJSON properties.
    pub aliases: Vec<String>,
    /// Zones, streets or projects.
    pub layer: Layer,
    /// Finer type from the head word (商圈, 路, 大厦 …).
    pub kind: String,
    /// The display group of the kind (历史风貌, 道路街巷 …; about 15), for colouring.
    pub kind_group: String,
    /// Other names the report uses for this very place (解放碑中央商务区 for 解放碑), served
    /// as `aliases`.
    pub report_aliases: Vec<String>,
    /// Items placed with it as its parts (医药城 … under 西部中医药产业园).
    pub components: Vec<Component>,
    /// For a street: the stretches the report plans, drawn or not (empty: the whole street).
    pub segments: Vec<StreetSegment>,
    /// Report id.
    pub report: String,
    /// Index of the section in the report.
    pub section_id: usize,
    /// The section as the report numbers and titles it.
    pub section: SectionRef,
    /// Planning theme of the section (产业, 开放, 文旅 …).
    pub theme: String,
    /// Every place the report names it.
    pub mentions: Vec<MentionRef>,
    /// The first sentence that plans it, verbatim (never a bare heading).
    pub quote: String,
    /// Set when the quote is the first sentence of the passage a heading naming it opens.
    pub quote_note: Option<String>,
    /// Every sentence that names it, under any of its names, quoted.
    pub mention_quotes: Vec<MentionQuote>,
    /// The verb that plans it, when there is one.
    pub action: Option<Action>,
    /// Numeric targets of the planning sentence.
    pub targets: Vec<Target>,
    /// The place across reports ([`assign_places`]): the gazetteer entry id, else
    /// `name:<slug>`; empty until assigned.
    pub place: String,
}

/// Rounds a coordinate to 7 decimals (about 1 cm), the precision RFC 7946 output keeps.
#[must_use]
pub fn round7(v: f64) -> f64 {
    (v * 1e7).round() / 1e7
}

/// Writes a geo geometry as a GeoJSON geometry object, passing each lon/lat through `to_crs`
/// (identity for WGS-84) and rounding to 7 decimals. The JSON comes from the `geojson` crate's
/// serde types (not written by hand); this runs once per feature and datum when the store is
/// made, never per request.
#[must_use]
pub fn geometry_json(geometry: &Geometry<f64>, to_crs: &dyn Fn(f64, f64) -> (f64, f64)) -> Value {
    use geo::MapCoords;
    let moved = geometry.map_coords(|c| {
        let (lon, lat) = to_crs(c.x, c.y);
        geo::Coord {
            x: round7(lon),
            y: round7(lat),
        }
    });
    let value = geojson::GeometryValue::from(&moved);
    serde_json::to_value(geojson::Geometry::new(value)).unwrap_or(Value::Null)
}

/// The GeoJSON `properties` of a planned feature (the data model in ARCHITECTURE.md), as a
/// view that serialises with serde: the one place the properties' names are written.
#[derive(Debug, Clone, Serialize)]
pub struct Properties<'a> {
    /// Stable id.
    pub id: &'a str,
    /// The name as the report writes it.
    pub name: &'a str,
    /// Its layer.
    pub layer: Layer,
    /// Its kind.
    pub kind: &'a str,
    /// Display group of its kind.
    pub kind_group: &'a str,
    /// Other names the report uses for it.
    pub aliases: &'a [String],
    /// Parts listed under it.
    pub components: &'a [Component],
    /// The stretches of a street the report plans.
    pub segments: &'a [StreetSegment],
    /// Report id.
    pub report: &'a str,
    /// The place across reports.
    pub place: &'a str,
    /// Section reference.
    pub section: &'a SectionRef,
    /// Planning theme.
    pub theme: &'a str,
    /// Where the report names it.
    pub mentions: &'a [MentionRef],
    /// The planning sentence.
    pub quote: &'a str,
    /// Why the quote is not the sentence naming it, when it is not.
    pub quote_note: Option<&'a str>,
    /// Every sentence naming it.
    pub mention_quotes: &'a [MentionQuote],
    /// Verb and status.
    pub action: Option<&'a Action>,
    /// Numeric targets.
    pub targets: &'a [Target],
    /// What its placement decides (a correction changes these members only), served as
    /// members of the properties themselves.
    #[serde(flatten)]
    pub placed: PlacedProperties<'a>,
    /// `action.status`, flat; `None` without a planning verb.
    pub status: Option<Status>,
    /// The year of its report, when the report states one.
    pub year: Option<i32>,
}

/// The members of [`Properties`] that the placement decides, in the order served: written
/// together, so a correction re-renders them alone.
#[derive(Debug, Clone, Serialize)]
pub struct PlacedProperties<'a> {
    /// Length in metres (Haversine) of what is drawn, for a line; left out otherwise, so a
    /// GIS client that types fields from the values it sees types it as a number, never as
    /// text from nulls alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_m: Option<f64>,
    /// How it was located, and how the served geometry stands for the placement.
    pub location: LocationView<'a>,
    /// `location.uncertainty_m`, flat, for GIS clients that style by a top-level field.
    pub uncertainty_m: Option<f64>,
    /// `location.match`, flat.
    #[serde(rename = "match")]
    pub match_type: MatchType,
    /// `location.confidence`, flat.
    pub confidence: f64,
}

/// A location as served: the placement's fields and, when the served geometry is a stand-in
/// for it in the collection's geometry family ([`in_family`]), how it was drawn.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView<'a> {
    /// The location itself.
    #[serde(flatten)]
    pub location: &'a Location,
    /// `disc`, `outline`, `vertices` or `interior_point`; absent when the served geometry is
    /// the placement itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drawn: Option<Drawn>,
}

impl PlannedFeature {
    /// Whether `other` is this feature placed elsewhere: the same reading, only the location
    /// and the geometry (what a correction changes) may differ, so the members of its
    /// properties other than [`PlacedProperties`] are the same text. Every field is named,
    /// so a new field must be sorted here before this compiles.
    #[must_use]
    pub fn same_but_placement(&self, other: &PlannedFeature) -> bool {
        let PlannedFeature {
            reading,
            location: _,
            geometry: _,
        } = self;
        Arc::ptr_eq(reading, &other.reading) || **reading == *other.reading
    }

    /// The GeoJSON `properties` view of this feature.
    #[must_use]
    pub fn properties_view(&self) -> Properties<'_> {
        Properties {
            id: &self.id,
            name: &self.name,
            layer: self.layer,
            kind: &self.kind,
            kind_group: &self.kind_group,
            aliases: &self.report_aliases,
            components: &self.components,
            segments: &self.segments,
            report: &self.report,
            place: &self.place,
            section: &self.section,
            theme: &self.theme,
            mentions: &self.mentions,
            quote: &self.quote,
            quote_note: self.quote_note.as_deref(),
            mention_quotes: &self.mention_quotes,
            action: self.action.as_ref(),
            targets: &self.targets,
            placed: PlacedProperties {
                length_m: self.length_m(),
                location: LocationView {
                    location: &self.location,
                    drawn: self.drawn(),
                },
                uncertainty_m: self.location.uncertainty_m,
                match_type: self.location.match_type,
                confidence: self.location.confidence,
            },
            status: self.status(),
            year: None,
        }
    }

    /// Its geometry as served in its layer's family, and how that stands for the placement
    /// (`None` for the second when it is the placement, only written as the multi-type).
    #[must_use]
    pub fn served_geometry(&self) -> Option<(Geometry<f64>, Option<Drawn>)> {
        let g = self.geometry.as_ref()?;
        Some(in_family(
            Family::of_layer(self.layer),
            g,
            self.location.uncertainty_m,
        ))
    }

    /// How its served geometry stands for the placement, if it is a stand-in.
    #[must_use]
    pub fn drawn(&self) -> Option<Drawn> {
        family::drawn(Family::of_layer(self.layer), self.geometry.as_ref()?)
    }

    /// The GeoJSON `properties` object of the data model in ARCHITECTURE.md.
    #[must_use]
    pub fn properties(&self) -> Map<String, Value> {
        match serde_json::to_value(self.properties_view()) {
            Ok(Value::Object(map)) => map,
            // A struct of strings, numbers and derived types always serialises to an object.
            _ => Map::new(),
        }
    }

    /// The feature as a GeoJSON Feature, coordinates passed through `to_crs`.
    #[must_use]
    pub fn to_geojson(&self, to_crs: &dyn Fn(f64, f64) -> (f64, f64)) -> Value {
        json!({
            "type": "Feature",
            "id": self.id,
            "geometry": self.geometry.as_ref().map(|g| geometry_json(g, to_crs)),
            "properties": self.properties_view(),
        })
    }

    /// Length in metres (Haversine, rounded to the metre) of the drawn line, `None` for a
    /// point, an area or no geometry.
    #[must_use]
    pub fn length_m(&self) -> Option<f64> {
        use geo::{Haversine, Length};
        let metres = match self.geometry.as_ref()? {
            Geometry::LineString(l) => Haversine.length(l),
            Geometry::MultiLineString(ml) => Haversine.length(ml),
            _ => return None,
        };
        Some(metres.round())
    }

    /// The status of its action, if it has one.
    #[must_use]
    pub fn status(&self) -> Option<Status> {
        self.action.as_ref().map(|a| a.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_json_rounds_to_seven_decimals_in_lon_lat_order() {
        let g = Geometry::Point(geo::Point::new(106.123_456_789_1, 29.987_654_321_9));
        let v = geometry_json(&g, &|lon, lat| (lon, lat));
        assert_eq!(v["coordinates"], json!([106.123_456_8, 29.987_654_3]));
        assert_eq!(
            v,
            json!({"type": "Point", "coordinates": [106.123_456_8, 29.987_654_3]})
        );
    }

    #[test]
    fn geometry_json_writes_polygons_as_rings_of_positions() {
        let ring = geo::LineString::from(vec![
            (106.0, 29.0),
            (106.1, 29.0),
            (106.1, 29.1),
            (106.0, 29.1),
        ]);
        let square = geo::Polygon::new(ring, vec![]);
        let v = geometry_json(&Geometry::Polygon(square), &|lon, lat| (lon, lat));
        assert_eq!(v["type"], "Polygon");
        let ring = v["coordinates"][0].as_array().expect("outer ring");
        assert_eq!(ring.len(), 5, "closed ring");
        assert_eq!(ring[0], ring[4]);
        assert_eq!(v.as_object().map(serde_json::Map::len), Some(2), "{v}");
    }
}
