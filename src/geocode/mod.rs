//! Planned items × gazetteer → planned features on the map, with match type and uncertainty.
//!
//! Inputs: a parsed [`Report`], a [`Gazetteer`] and the district boundary (WGS-84). Output:
//! one [`PlannedFeature`] per planned item, never fewer: what cannot be placed is kept with
//! `geometry = None` and `location.match = unlocated`.
//!
//! Tiers, in order of trust (ARCHITECTURE.md): the place itself (`exact`, or `alias` when
//! found through another name, or `anchor` for curated placements), a join of places (a line
//! through them, `anchor`), the place the name contains or the zone the passage is about
//! (`part_of`), else `unlocated`. [`Placer::new`] also validates every gazetteer geometry:
//! finite lon/lat, closed rings, inside or touching the district unless marked otherwise.
//! Distances are metres by Haversine.

mod merge;
mod segment;

use std::collections::HashMap;
use std::sync::Arc;

use geo::{
    BoundingRect, Centroid, Coord, Distance, Geometry, Haversine, InteriorPoint, Intersects,
    LineString, MultiPolygon, Orient, Point, orient::Direction,
};
use thiserror::Error;

use crate::gazetteer::{Gazetteer, Place, Tier};
use crate::plan::{Layer, Location, MatchType, MentionQuote, PlannedFeature, Reading};
use crate::report::{PlannedItem, Report};
use crate::text::slug;

pub mod confidence;

/// A gazetteer entry whose geometry cannot be used.
#[derive(Debug, Error)]
pub enum GeocodeError {
    /// The geometry is not valid GeoJSON geometry for a place.
    #[error("{file}: entry {id}: invalid geometry: {message}")]
    InvalidGeometry {
        /// File the entry came from.
        file: String,
        /// Entry id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// The geometry lies wholly outside the district and is not marked `outside_district`.
    #[error(
        "{file}: entry {id}: lies outside the district boundary (mark it outside_district if that is intended)"
    )]
    OutsideDistrict {
        /// File the entry came from.
        file: String,
        /// Entry id.
        id: String,
    },
}

/// A gazetteer place with its geometry in geo-types.
#[derive(Debug, Clone)]
pub struct LocatedPlace {
    /// The gazetteer entry.
    pub place: Place,
    /// Its geometry (polygons oriented counter-clockwise, RFC 7946).
    pub geometry: Geometry<f64>,
    /// A point inside or on it, for joins and part-of placements.
    pub anchor: Point<f64>,
    /// Largest distance in metres from `anchor` to the geometry's bounding box corners: how
    /// far a thing "somewhere in this place" can be from the anchor.
    pub radius_m: f64,
}

fn valid_coord(c: &Coord<f64>) -> bool {
    c.x.is_finite()
        && c.y.is_finite()
        && (-180.0..=180.0).contains(&c.x)
        && (-90.0..=90.0).contains(&c.y)
}

fn check(geometry: &Geometry<f64>) -> Result<(), String> {
    use geo::CoordsIter;
    if geometry.coords_count() == 0 {
        return Err("empty geometry".into());
    }
    if !geometry.coords_iter().all(|c| valid_coord(&c)) {
        return Err("coordinates must be finite lon,lat in range".into());
    }
    // Rings were checked as written in `to_geo` (geo-types would have closed them silently).
    let lines_ok = match geometry {
        Geometry::LineString(l) => l.0.len() >= 2,
        Geometry::MultiLineString(ml) => ml.0.iter().all(|l| l.0.len() >= 2),
        _ => true,
    };
    if lines_ok {
        Ok(())
    } else {
        Err("a line needs at least 2 positions".into())
    }
}

/// Orients polygon rings as RFC 7946 wants: exterior counter-clockwise, holes clockwise.
fn orient(geometry: Geometry<f64>) -> Geometry<f64> {
    match geometry {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(mp.orient(Direction::Default)),
        g => g,
    }
}

fn anchor_of(geometry: &Geometry<f64>) -> Option<(Point<f64>, f64)> {
    let anchor = geometry.interior_point().or_else(|| geometry.centroid())?;
    let rect = geometry.bounding_rect()?;
    let corners = [
        rect.min(),
        rect.max(),
        Coord {
            x: rect.min().x,
            y: rect.max().y,
        },
        Coord {
            x: rect.max().x,
            y: rect.min().y,
        },
    ];
    let radius_m = corners
        .iter()
        .map(|c| Haversine.distance(anchor, Point::from(*c)))
        .fold(0.0, f64::max);
    Some((anchor, radius_m))
}

/// Converts a geojson geometry to geo-types, checked and oriented.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn to_geo(g: &geojson::Geometry) -> Result<Geometry<f64>, String> {
    // geo-types closes rings silently; RFC 7946 requires the file to close them, so check the
    // positions as written.
    let ring_ok = |r: &Vec<geojson::Position>| r.len() >= 4 && r.first() == r.last();
    let rings_ok = match &g.value {
        geojson::GeometryValue::Polygon { coordinates } => coordinates.iter().all(ring_ok),
        geojson::GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().all(ring_ok)
        }
        _ => true,
    };
    if !rings_ok {
        return Err(
            "a polygon ring needs at least 4 positions and must end where it starts".into(),
        );
    }
    let geometry = Geometry::<f64>::try_from(g).map_err(|e| e.to_string())?;
    check(&geometry)?;
    Ok(orient(geometry))
}

/// Places planned items; built once from a gazetteer and the district boundary.
#[derive(Debug, Clone)]
pub struct Placer {
    places: Vec<LocatedPlace>,
    by_id: HashMap<String, usize>,
    boundary: MultiPolygon<f64>,
}

/// Confidence of a match, by tier: how sure we are that the name means this place.
fn confidence(m: MatchType) -> f64 {
    match m {
        MatchType::Exact => 0.95,
        // A planner's placement of the name (curated) is as sure as an alias of a sourced place.
        MatchType::Alias | MatchType::Curated => 0.9,
        MatchType::Anchor => 0.8,
        MatchType::PartOf => 0.6,
        MatchType::Unlocated => 0.0,
    }
}

impl Placer {
    /// Validates every gazetteer geometry and indexes the places. Stations and other entries
    /// marked `outside_district` may lie outside the boundary; every other entry must
    /// intersect it.
    ///
    /// # Errors
    /// The first invalid entry, naming its file and id.
    pub fn new(gazetteer: &Gazetteer, boundary: MultiPolygon<f64>) -> Result<Placer, GeocodeError> {
        let mut places = Vec::new();
        let mut by_id = HashMap::new();
        for place in gazetteer.places() {
            let invalid = |message: String| GeocodeError::InvalidGeometry {
                file: place.file.clone(),
                id: place.id.clone(),
                message,
            };
            let geometry = to_geo(&place.geometry).map_err(invalid)?;
            let inside = boundary.intersects(&geometry);
            if !inside && !place.outside_district {
                return Err(GeocodeError::OutsideDistrict {
                    file: place.file.clone(),
                    id: place.id.clone(),
                });
            }
            if !inside {
                // Stations outside the district stay out of the planning layers.
                continue;
            }
            let (anchor, radius_m) =
                anchor_of(&geometry).ok_or_else(|| invalid("no interior point".into()))?;
            by_id.insert(place.id.clone(), places.len());
            places.push(LocatedPlace {
                place: place.clone(),
                geometry,
                anchor,
                radius_m,
            });
        }
        Ok(Placer {
            places,
            by_id,
            boundary,
        })
    }

    /// The located places (those inside or touching the district).
    #[must_use]
    pub fn places(&self) -> &[LocatedPlace] {
        &self.places
    }

    /// The district boundary.
    #[must_use]
    pub fn boundary(&self) -> &MultiPolygon<f64> {
        &self.boundary
    }

    /// Whether the place with this id lies in (or touches) the district.
    #[must_use]
    pub fn is_located(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    fn by_id(&self, id: &str) -> Option<&LocatedPlace> {
        self.by_id.get(id).map(|&i| &self.places[i])
    }

    /// The most trusted located place whose name or alias is `name`.
    fn by_name(&self, name: &str) -> Option<&LocatedPlace> {
        self.places
            .iter()
            .filter(|p| p.place.name == name || p.place.aliases.iter().any(|a| a == name))
            .min_by_key(|p| p.place.tier)
    }

    /// The located place an item names itself: its gazetteer key, else its exact name.
    fn own_place(&self, item: &PlannedItem) -> Option<&LocatedPlace> {
        item.key
            .as_deref()
            .and_then(|k| self.by_id(k))
            .or_else(|| self.by_name(&item.name))
    }

    /// Places one item as the place itself, a join, or where it belongs. `resolved` holds the
    /// items already placed by name, for containers that are themselves planned items.
    fn place_item(
        &self,
        item: &PlannedItem,
        resolved: &HashMap<String, (Geometry<f64>, Location)>,
    ) -> (Option<Geometry<f64>>, Location) {
        // 1. The place itself.
        let own = self.own_place(item);
        if let Some(p) = own {
            let m = match p.place.match_type {
                MatchType::Exact if p.place.name != item.name => MatchType::Alias,
                m => m,
            };
            return (
                Some(p.geometry.clone()),
                Location {
                    match_type: m,
                    source: p.place.source.clone(),
                    uncertainty_m: Some(p.place.uncertainty_m),
                    confidence: confidence(m),
                    editor: None,
                    at: None,
                },
            );
        }
        // 2. A join: a line through the places it joins.
        if item.parts.len() >= 2 {
            let located: Vec<&LocatedPlace> =
                item.parts.iter().filter_map(|p| self.by_name(p)).collect();
            if located.len() == item.parts.len() {
                let line = LineString::from(located.iter().map(|p| p.anchor.0).collect::<Vec<_>>());
                let uncertainty = located
                    .iter()
                    .map(|p| p.place.uncertainty_m.max(p.radius_m))
                    .fold(0.0, f64::max);
                let names: Vec<String> = located
                    .iter()
                    .map(|p| format!("{} ({})", p.place.name, p.place.id))
                    .collect();
                return (
                    Some(Geometry::LineString(line)),
                    Location {
                        match_type: MatchType::Anchor,
                        source: format!(
                            "line through the gazetteer places it joins: {}",
                            names.join(" — ")
                        ),
                        uncertainty_m: Some(uncertainty.round()),
                        confidence: confidence(MatchType::Anchor),
                        editor: None,
                        at: None,
                    },
                );
            }
        }
        // 3. The known place its name contains (山城巷 in 山城巷二期), then 4. the zone its
        // passage is about (化龙桥国际商务区 for 陆海国际中心).
        let contained = item.contains.iter().find_map(|k| self.by_id(k));
        if let Some(p) = contained {
            return self.part_of(
                item,
                &p.geometry,
                p.anchor,
                p.radius_m,
                p.place.uncertainty_m,
                &format!("{} ({}): {}", p.place.name, p.place.id, p.place.source),
            );
        }
        // Only an area hosts what its passage names: a passage opened by a street or a point
        // (鹅岭正街。) says nothing of where another street or site in it lies.
        if let Some(container) = &item.container
            && let Some((g, loc)) = resolved.get(container)
            && matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_))
            && let (Some((anchor, radius_m)), Some(u)) = (anchor_of(g), loc.uncertainty_m)
        {
            return self.part_of(
                item,
                g,
                anchor,
                radius_m,
                u,
                &format!("{container}: {}", loc.source),
            );
        }
        (
            None,
            Location {
                match_type: MatchType::Unlocated,
                source: "no gazetteer entry names this place; listed for curation".into(),
                uncertainty_m: None,
                confidence: 0.0,
                editor: None,
                at: None,
            },
        )
    }

    /// A part-of placement: a zone or street inside a zone takes the host's geometry; a
    /// project is a point at the host's anchor, as uncertain as the host is wide.
    #[expect(
        clippy::unused_self,
        reason = "a method beside the other placements, so every tier is read on the Placer"
    )]
    fn part_of(
        &self,
        item: &PlannedItem,
        host: &Geometry<f64>,
        anchor: Point<f64>,
        radius_m: f64,
        host_uncertainty_m: f64,
        host_source: &str,
    ) -> (Option<Geometry<f64>>, Location) {
        let is_area = matches!(host, Geometry::Polygon(_) | Geometry::MultiPolygon(_));
        let (geometry, uncertainty) = if item.layer == Layer::Projects && is_area {
            (Geometry::Point(anchor), host_uncertainty_m + radius_m)
        } else {
            (host.clone(), host_uncertainty_m)
        };
        (
            Some(geometry),
            Location {
                match_type: MatchType::PartOf,
                source: format!("part of {host_source}"),
                uncertainty_m: Some(uncertainty.round()),
                confidence: confidence(MatchType::PartOf),
                editor: None,
                at: None,
            },
        )
    }

    /// The located place an item names by its very name or an alias, not a station.
    fn named_place(&self, item: &PlannedItem) -> Option<&LocatedPlace> {
        self.own_place(item).filter(|p| {
            p.place.tier != Tier::OsmStation
                && (p.place.name == item.name || p.place.aliases.contains(&item.name))
        })
    }

    /// Places every item of a report. Items are placed in text order, so a passage's topic
    /// zone is placed before the projects in it; then names of one place become one feature
    /// and parts placed with their whole are listed under it (`geocode/merge.rs`).
    #[must_use]
    pub fn place_report(&self, report: &Report) -> Vec<PlannedFeature> {
        let mut resolved: HashMap<String, (Geometry<f64>, Location)> = HashMap::new();
        let mut features = Vec::with_capacity(report.items.len());
        let mut entries = Vec::with_capacity(report.items.len());
        for item in &report.items {
            // The gazetteer's layer (given explicitly, or from its own kind) wins over the
            // report's head word when the item names that very place by its name, or by an
            // alias of the same kind group: 朝天门—解放碑—通远门 is a street-like axis, whatever
            // its last word suggests, but 陕西路停车场 (filed under 陕西路) stays a car park. An
            // item that only contains a place's name (来福士国际金融集聚区 at 来福士) keeps its
            // own head word, and stations carry no layer of their own.
            let named = self.named_place(item);
            let layer = named
                .filter(|p| {
                    p.place.name == item.name
                        || item.kind.is_empty()
                        || crate::vocab::kind_group(&item.kind)
                            == crate::vocab::kind_group(&p.place.kind)
                })
                .map_or(item.layer, |p| p.place.layer);
            let relayered;
            let item = if layer == item.layer {
                item
            } else {
                relayered = PlannedItem {
                    layer,
                    ..item.clone()
                };
                &relayered
            };
            let (geometry, location) = self.place_item(item, &resolved);
            if let Some(g) = &geometry {
                resolved.insert(item.name.clone(), (g.clone(), location.clone()));
            }
            let section = &report.sections[item.section_id];
            // The item's own words and kind give its theme; the chapter's only as a fallback.
            let theme = crate::vocab::theme_of_item(&item.name, &item.kind)
                .map_or_else(|| section.theme.clone(), str::to_string);
            let mut mention_quotes: Vec<MentionQuote> = Vec::new();
            for m in &item.mentions {
                if !mention_quotes
                    .iter()
                    .any(|q| q.sentence_id == m.sentence_id)
                {
                    mention_quotes.push(MentionQuote {
                        sentence_id: m.sentence_id,
                        name: item.name.clone(),
                        quote: report.sentences[m.sentence_id].text.clone(),
                    });
                }
            }
            let aliases = named.map_or_else(Vec::new, |p| {
                std::iter::once(p.place.name.clone())
                    .chain(p.place.aliases.iter().cloned())
                    .collect()
            });
            entries.push(merge::Entry {
                place: named.map(|p| p.place.id.clone()),
                names: aliases.clone(),
            });
            features.push(PlannedFeature {
                reading: Arc::new(Reading {
                    id: format!("{}/{}/{}", report.id, item.layer.as_str(), slug(&item.name)),
                    name: item.name.clone(),
                    aliases,
                    layer: item.layer,
                    kind: item.kind.clone(),
                    kind_group: crate::vocab::kind_group(&item.kind).to_string(),
                    report_aliases: Vec::new(),
                    components: Vec::new(),
                    segments: Vec::new(),
                    report: report.id.clone(),
                    section_id: item.section_id,
                    section: section.reference(),
                    theme,
                    mentions: item.mentions.clone(),
                    quote: report.sentences[item.quote_sentence_id].text.clone(),
                    quote_note: item.quote_note.clone(),
                    mention_quotes,
                    action: item.action.clone(),
                    targets: item.targets.clone(),
                    place: String::new(),
                }),
                location,
                geometry,
            });
        }
        // The ends of a street's segments come after it in the text: cut once all are placed.
        for (feature, item) in features.iter_mut().zip(&report.items) {
            if !item.segments.is_empty() {
                segment::cut_street(feature, &item.segments, report, &resolved);
            }
        }
        merge::merge(features, &entries)
    }
}
