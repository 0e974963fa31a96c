//! One place across reports: the same zone, street or project named in several reports gets
//! one stable `place` id, so its commitments can be read in time order and compared.
//!
//! Input: the planned features of every report and, per feature, the key its place is known
//! by ([`PlaceKey`]: the gazetteer entry the name itself matched, else its name's slug, which
//! the caller makes with the one slug function). Output: [`PlannedFeature::place`] filled in.
//!
//! Rule: the same gazetteer entry is the same place. Without an entry, the same name is the
//! same place only where the geometries agree: both within [`SAME_PLACE_M`] of each other, or
//! either unlocated (nothing says otherwise). A name placed far apart in two reports is two
//! places (`name:<slug>` and `name:<slug>~2`), because one name can belong to two sites and
//! merging them would show a planner a history that never happened. Ids depend only on the
//! features, in the order given, so the same input gives the same ids.

use geo::{BoundingRect, Distance, Haversine, Point};

use super::PlannedFeature;

/// Farthest apart, in metres, two drawn positions of one unkeyed name may be and still be read
/// as one place (the centres of the boxes of their geometries): a block or a street's length.
pub const SAME_PLACE_M: f64 = 1_000.0;

/// What a feature's place is known by before ids are given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceKey {
    /// The gazetteer entry the name itself matched (its id).
    Gazetteer(String),
    /// The slug of its name (the same slug its feature id ends in).
    Name(String),
}

/// The place id of an unkeyed name: `name:<slug>`.
#[must_use]
pub fn name_place_id(slug: &str) -> String {
    format!("name:{slug}")
}

/// The centre of a geometry's bounding box, WGS-84.
fn centre(f: &PlannedFeature) -> Option<Point<f64>> {
    let r = f.geometry.as_ref()?.bounding_rect()?;
    Some(r.center().into())
}

/// Fills in every feature's `place` from its key (`keys[i]` belongs to `features[i]`).
///
/// # Panics
/// Never: a feature without a key (a shorter `keys`) keeps the id its name gives.
pub fn assign_places(features: &mut [PlannedFeature], keys: &[PlaceKey]) {
    PlaceClusters::default().assign(features, keys);
}

/// The places of unkeyed names given so far, so the features of a report read later (an
/// upload, a re-reading after a verdict) get the ids the earlier ones have: ids are given in
/// the order reports come in and never renumbered while the server runs.
#[derive(Debug, Clone, Default)]
pub struct PlaceClusters {
    /// Per unkeyed slug: its clusters so far, each with a representative centre (None while
    /// every member is unlocated).
    clusters: std::collections::HashMap<String, Vec<Option<Point<f64>>>>,
}

impl PlaceClusters {
    /// Fills in every feature's `place` from its key (`keys[i]` belongs to `features[i]`),
    /// joining the clusters of the features given before.
    pub fn assign(&mut self, features: &mut [PlannedFeature], keys: &[PlaceKey]) {
        for (i, f) in features.iter_mut().enumerate() {
            let key = keys
                .get(i)
                .cloned()
                .unwrap_or_else(|| PlaceKey::Name(f.name.clone()));
            f.place = match key {
                PlaceKey::Gazetteer(id) => id,
                PlaceKey::Name(slug) => {
                    let at = centre(f);
                    let list = self.clusters.entry(slug.clone()).or_default();
                    let found = list.iter().position(|rep| match (rep, at) {
                        (Some(a), Some(b)) => Haversine.distance(*a, b) <= SAME_PLACE_M,
                        _ => true,
                    });
                    let n = if let Some(n) = found {
                        if list[n].is_none() {
                            list[n] = at;
                        }
                        n
                    } else {
                        list.push(at);
                        list.len() - 1
                    };
                    if n == 0 {
                        name_place_id(&slug)
                    } else {
                        format!("{}~{}", name_place_id(&slug), n + 1)
                    }
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::plan::{Layer, Location, MatchType, Reading, SectionRef};

    fn feature(report: &str, name: &str, at: Option<(f64, f64)>) -> PlannedFeature {
        PlannedFeature {
            reading: Arc::new(Reading {
                id: format!("{report}/projects/{name}"),
                name: name.into(),
                aliases: Vec::new(),
                layer: Layer::Projects,
                kind: "中心".into(),
                report: report.into(),
                section_id: 0,
                section: SectionRef::default(),
                theme: String::new(),
                mentions: Vec::new(),
                quote: String::new(),
                action: None,
                targets: Vec::new(),
                place: String::new(),
                kind_group: String::new(),
                report_aliases: Vec::new(),
                components: Vec::new(),
                segments: Vec::new(),
                quote_note: None,
                mention_quotes: Vec::new(),
            }),
            location: Location {
                match_type: MatchType::Unlocated,
                source: String::new(),
                uncertainty_m: None,
                confidence: 0.0,
                editor: None,
                at: None,
            },
            geometry: at.map(|(lon, lat)| geo::Geometry::Point(Point::new(lon, lat))),
        }
    }

    #[test]
    fn the_same_gazetteer_entry_is_one_place_whatever_the_name() {
        let mut fs = vec![
            feature("a", "解放碑", Some((106.577, 29.557))),
            feature("b", "解放碑商圈", Some((106.578, 29.558))),
        ];
        let keys = vec![
            PlaceKey::Gazetteer("jfb".into()),
            PlaceKey::Gazetteer("jfb".into()),
        ];
        assign_places(&mut fs, &keys);
        assert_eq!(fs[0].place, "jfb");
        assert_eq!(fs[1].place, "jfb");
    }

    #[test]
    fn one_name_near_itself_or_unlocated_is_one_place_and_far_away_is_another() {
        let mut fs = vec![
            feature("a", "新馆", None),
            feature("b", "新馆", Some((106.570, 29.550))),
            feature("c", "新馆", Some((106.572, 29.551))),
            feature("d", "新馆", Some((106.500, 29.500))),
        ];
        let keys = vec![PlaceKey::Name("新馆".into()); 4];
        assign_places(&mut fs, &keys);
        assert_eq!(fs[0].place, "name:新馆");
        assert_eq!(fs[1].place, "name:新馆");
        assert_eq!(fs[2].place, "name:新馆", "about 220 m from the first drawn");
        assert_eq!(fs[3].place, "name:新馆~2", "about 9 km away: another site");
    }
}
