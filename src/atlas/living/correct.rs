//! Placement corrections on the living map: which correction places a feature, and the
//! re-placing of a corrected place's features in every report (issue #21).
//!
//! Input: the [`Living`] state (automatic features, corrections by feature id, features by
//! place) and a correction or its removal. Output: the served features of the touched place
//! replaced by corrected copies (the planner's WGS-84 geometry, a `curated` location), then a
//! new atlas published for them alone.

use std::sync::Arc;

use super::{FastMap, Living};
use crate::gazetteer::normalise_name;
use crate::plan::{Location, MatchType, PlannedFeature};
use crate::store::placement::CurrentCorrection;

impl Living {
    /// The correction that places a feature: its own; else one saved under an id the reader
    /// no longer gives for the same name in the same report (`orphans`: the corrections of
    /// no feature); else the newest correction of the same place named the same way in
    /// another report (`corrected`: the corrected features of its place). Two features of one
    /// place in one report (湖广会馆 and 湖广会馆巴渝美食休闲基地) are two things the report
    /// plans, so neither takes the other's correction.
    pub(super) fn correction_for<'a>(
        &'a self,
        f: &PlannedFeature,
        orphans: &[&'a CurrentCorrection],
        corrected: &[(usize, usize)],
    ) -> Option<(&'a CurrentCorrection, bool)> {
        if let Some(c) = self.corrections.get(&f.id) {
            return Some((c, true));
        }
        let prefix = format!("{}/", f.report);
        if let Some(c) = orphans
            .iter()
            .filter(|c| c.feature_id.starts_with(&prefix) && normalise_name(&c.name) == f.name)
            .max_by(|a, b| a.at.cmp(&b.at))
        {
            return Some((c, true));
        }
        corrected
            .iter()
            .map(|&(e, i)| &self.entries[e].automatic[i])
            .filter(|g| g.report != f.report && same_name(f, g))
            .filter_map(|g| self.corrections.get(&g.id))
            .max_by(|a, b| {
                a.at.cmp(&b.at)
                    .then_with(|| b.feature_id.cmp(&a.feature_id))
            })
            .map(|c| (c, false))
    }

    /// The corrections saved under an id the reader no longer gives.
    pub(super) fn orphans(&self) -> Vec<&CurrentCorrection> {
        self.corrections
            .values()
            .filter(|c| !self.by_id.contains_key(&c.feature_id))
            .collect()
    }

    /// The features of `place` (entry, position) that a correction of their own places.
    pub(super) fn corrected_of(&self, place: &str) -> Vec<(usize, usize)> {
        self.by_place
            .get(place)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&(e, i)| {
                self.corrections
                    .contains_key(&self.entries[e].automatic[i].id)
            })
            .collect()
    }

    /// Recomputes the served form of these features from their automatic one. The
    /// corrections of no feature, and each place's corrected features, are found once per
    /// call, not once per feature (a place may have a feature in each of many reports).
    pub(super) fn serve(&mut self, positions: &[(usize, usize)]) {
        let orphans = self.orphans();
        let mut corrected: FastMap<&str, Vec<(usize, usize)>> = FastMap::default();
        for &(e, i) in positions {
            let place = self.entries[e].automatic[i].place.as_str();
            corrected
                .entry(place)
                .or_insert_with(|| self.corrected_of(place));
        }
        // A correction places its own feature and the same place's features in other
        // reports: its location is written once for each.
        let mut locations: FastMap<(&str, bool), Location> = FastMap::default();
        let served: Vec<Arc<PlannedFeature>> = positions
            .iter()
            .map(|&(e, i)| {
                let automatic = &self.entries[e].automatic[i];
                let candidates = corrected
                    .get(automatic.place.as_str())
                    .map_or(&[][..], Vec::as_slice);
                match self.correction_for(automatic, &orphans, candidates) {
                    None => Arc::clone(automatic),
                    Some((c, own)) => {
                        let location = locations
                            .entry((c.feature_id.as_str(), own))
                            .or_insert_with(|| corrected_location(c, own))
                            .clone();
                        Arc::new(placed_by(automatic, c, location))
                    }
                }
            })
            .collect();
        for (&(e, i), served) in positions.iter().zip(served) {
            self.entries[e].served[i] = served;
        }
    }

    /// Applies a correction (`Some`) or its removal (`None`) of `feature_id`: re-places the
    /// features of its place only. Returns how many features were re-placed.
    pub fn set_correction(
        &mut self,
        feature_id: &str,
        correction: Option<CurrentCorrection>,
    ) -> usize {
        match correction {
            Some(c) => self.corrections.insert(feature_id.to_owned(), c),
            None => self.corrections.remove(feature_id),
        };
        let mut touched: Vec<(usize, usize)> = Vec::new();
        if let Some(&(e, i)) = self.by_id.get(feature_id) {
            let place = self.entries[e].automatic[i].place.clone();
            touched.extend(self.by_place.get(&place).into_iter().flatten().copied());
            if !touched.contains(&(e, i)) {
                touched.push((e, i));
            }
        } else {
            // Saved under an id the reader no longer gives: its report's feature of that name.
            let prefix = feature_id.split('/').next().unwrap_or_default();
            for (e, entry) in self.entries.iter().enumerate() {
                if entry.id == prefix {
                    touched.extend((0..entry.automatic.len()).map(|i| (e, i)));
                }
            }
        }
        self.serve(&touched);
        self.publish(Some(&touched));
        touched.len()
    }
}

/// A feature placed by a correction: the planner's geometry and a `curated` location. `own`
/// is false when the correction was made on another feature of the same place, which the
/// source then names.
pub(super) fn corrected_feature(
    f: &PlannedFeature,
    c: &CurrentCorrection,
    own: bool,
) -> PlannedFeature {
    placed_by(f, c, corrected_location(c, own))
}

/// The `curated` location a correction gives: its own feature's, or (`own` false) another
/// feature's of the same place, whose source then names the correction.
fn corrected_location(c: &CurrentCorrection, own: bool) -> Location {
    Location {
        match_type: MatchType::Curated,
        source: if own {
            c.source.clone()
        } else {
            format!(
                "{} (planner correction by {}, {}, on {})",
                c.source, c.editor, c.at, c.feature_id
            )
        },
        uncertainty_m: Some(c.uncertainty_m),
        // The planner placed this very place: no name matching is left to doubt.
        confidence: if own { 1.0 } else { 0.9 },
        editor: Some(c.editor.clone()),
        at: Some(c.at.clone()),
    }
}

/// `f` at the correction's geometry with `location`.
fn placed_by(f: &PlannedFeature, c: &CurrentCorrection, location: Location) -> PlannedFeature {
    let mut f = PlannedFeature {
        reading: Arc::clone(&f.reading),
        location,
        geometry: Some(c.geometry.clone()),
    };
    // The planner's geometry replaces any cut of a street to its segments. (Only a street
    // with segments copies its reading; the others share it with the automatic feature.)
    if !f.segments.is_empty() {
        for s in &mut f.segments {
            s.drawn = false;
            s.reason = Some("规划人员的更正替换了该路的几何".into());
        }
    }
    f
}

/// Whether two features name their place the same way: the same name, or one's name is
/// another name the other's report uses for it.
fn same_name(a: &PlannedFeature, b: &PlannedFeature) -> bool {
    a.name == b.name || a.report_aliases.contains(&b.name) || b.report_aliases.contains(&a.name)
}
