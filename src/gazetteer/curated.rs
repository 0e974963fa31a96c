//! The `curated` tier: planners' corrections made gazetteer entries, so a name one planner
//! placed is placed the same way in every report and text that mentions it (issue #13).
//!
//! Input: [`CuratedEntry`]s (one per corrected name: the name, its aliases, the corrected
//! geometry in WGS-84 lon/lat, uncertainty in metres, source and editor). Output: places of
//! [`Tier::Corrected`] with match type `curated` in the [`Gazetteer`], and
//! [`export_curated`], the same entries in the `geodata/gazetteer.geojson` format for review
//! and commit.

use serde_json::{Value, json};

use super::{Gazetteer, Place, Tier, normalise_name};
use crate::plan::{Layer, MatchType};
use crate::text::slug;

/// One corrected name, as the atlas hands it to the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct CuratedEntry {
    /// The corrected feature's name.
    pub name: String,
    /// Other names of the place (the gazetteer's, when the feature had matched an entry).
    pub aliases: Vec<String>,
    /// Head-word kind of the feature (商圈, 路 …).
    pub kind: String,
    /// The layer the feature is served on.
    pub layer: Layer,
    /// The corrected geometry, WGS-84 lon/lat.
    pub geometry: geojson::Geometry,
    /// The correction's uncertainty radius, metres.
    pub uncertainty_m: f64,
    /// What the planner read the placement from.
    pub source: String,
    /// The editor's account name.
    pub editor: String,
    /// When the correction was saved, UTC RFC 3339.
    pub at: String,
    /// Why the planner placed it.
    pub note: String,
    /// The feature the correction was made on.
    pub feature_id: String,
}

impl CuratedEntry {
    /// The id of its gazetteer place: `curated-<slug of the name>`.
    #[must_use]
    pub fn place_id(&self) -> String {
        format!("curated-{}", slug(&normalise_name(&self.name)))
    }

    /// The place's `source`: the correction's source, who made it and when, so a feature
    /// placed through it in another report says whose knowledge placed it.
    #[must_use]
    pub fn place_source(&self) -> String {
        format!(
            "{} (planner correction by {}, {}, on {})",
            self.source, self.editor, self.at, self.feature_id
        )
    }
}

impl Gazetteer {
    /// Adds one place of tier [`Tier::Corrected`] per corrected name. When two entries share
    /// a name (two reports' features corrected), the later correction (by `at`) wins, as
    /// it is the newer knowledge. Entries are marked `outside_district`, so the placer skips
    /// one that lies outside rather than failing (the note of such a correction said why).
    /// Returns the number of places added.
    pub fn add_curated(&mut self, entries: &[CuratedEntry]) -> usize {
        let mut newest: Vec<&CuratedEntry> = entries.iter().collect();
        newest.sort_by(|a, b| {
            b.at.cmp(&a.at)
                .then_with(|| a.feature_id.cmp(&b.feature_id))
        });
        let mut added = 0;
        for e in newest {
            let id = e.place_id();
            if self.places.iter().any(|p| p.id == id) {
                continue;
            }
            let name = normalise_name(&e.name);
            let mut aliases: Vec<String> = e
                .aliases
                .iter()
                .map(|a| normalise_name(a))
                .filter(|a| *a != name)
                .collect();
            aliases.dedup();
            self.places.push(Place {
                id,
                name,
                aliases,
                kind: e.kind.clone(),
                layer: e.layer,
                match_type: MatchType::Curated,
                source: e.place_source(),
                uncertainty_m: e.uncertainty_m,
                geometry: e.geometry.clone(),
                outside_district: true,
                tier: Tier::Corrected,
                file: "planners' corrections (the data store)".to_owned(),
            });
            added += 1;
        }
        added
    }
}

/// The entries as a FeatureCollection in the format of `geodata/gazetteer.geojson` (id, name,
/// aliases, kind, layer, match, source, uncertainty_m), one per corrected name, newest
/// correction first where names repeat, plus `feature_id`, `editor`, `at` and `note` for
/// the reviewer (the loader ignores them). `match` is `anchor`, the loader's word for a
/// curated placement with a stated radius; a radius of 0 m is written as 1 m because the
/// loader needs a positive one.
#[must_use]
pub fn export_curated(entries: &[CuratedEntry]) -> String {
    let mut g = Gazetteer::new();
    g.add_curated(entries);
    let features: Vec<Value> = g
        .places()
        .iter()
        .filter_map(|p| {
            let e = entries
                .iter()
                .filter(|e| e.place_id() == p.id)
                .max_by(|a, b| a.at.cmp(&b.at))?;
            Some(json!({
                "type": "Feature",
                "properties": {
                    "id": p.id,
                    "name": p.name,
                    "aliases": p.aliases,
                    "kind": p.kind,
                    "layer": p.layer.as_str(),
                    "match": "anchor",
                    "source": p.source,
                    "uncertainty_m": p.uncertainty_m.max(1.0),
                    "feature_id": e.feature_id,
                    "editor": e.editor,
                    "at": e.at,
                    "note": e.note,
                },
                "geometry": p.geometry,
            }))
        })
        .collect();
    let lines: Vec<String> = features.iter().map(Value::to_string).collect();
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        lines.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, at: &str, lon: f64) -> CuratedEntry {
        CuratedEntry {
            name: name.to_owned(),
            aliases: vec!["储奇门".to_owned()],
            kind: "街区".to_owned(),
            layer: Layer::Zones,
            geometry: geojson::Geometry::new(geojson::GeometryValue::new_point(vec![lon, 29.5535])),
            uncertainty_m: 80.0,
            source: "现场踏勘".to_owned(),
            editor: "li.ming".to_owned(),
            at: at.to_owned(),
            note: "按码头位置修正".to_owned(),
            feature_id: format!("r-{at}/zones/x"),
        }
    }

    #[test]
    fn a_corrected_name_is_found_by_name_and_alias_as_the_most_trusted_place() {
        let mut g = Gazetteer::new();
        assert_eq!(
            g.add_curated(&[entry("储奇门街区", "2026-12-01", 106.58)]),
            1
        );
        let p = g.find_name("储奇门").expect("by alias");
        assert_eq!(p.tier, Tier::Corrected);
        assert_eq!(p.match_type, MatchType::Curated);
        assert!(p.source.contains("li.ming"), "{}", p.source);
        assert!(Tier::Corrected < Tier::OsmImport);
    }

    #[test]
    fn the_newer_of_two_corrections_of_one_name_wins() {
        let mut g = Gazetteer::new();
        let added = g.add_curated(&[
            entry("储奇门街区", "2026-12-01", 106.58),
            entry("储奇门街区", "2026-12-02", 106.59),
        ]);
        assert_eq!(added, 1);
        let p = g.find_name("储奇门街区").expect("placed");
        assert!(p.source.contains("2026-12-02"), "{}", p.source);
    }

    #[test]
    fn the_export_loads_back_as_a_gazetteer_file() {
        let text = export_curated(&[entry("储奇门街区", "2026-12-01", 106.58)]);
        let mut g = Gazetteer::new();
        let n = g
            .add_entries("gazetteer-curated.geojson", text.as_bytes(), Tier::Curated)
            .expect("the loader reads the export");
        assert_eq!(n, 1);
        let p = g.find_name("储奇门").expect("alias kept");
        assert_eq!(p.layer, Layer::Zones);
        assert!((p.uncertainty_m - 80.0).abs() < f64::EPSILON);
    }
}
