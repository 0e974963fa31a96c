//! Planners' corrections applied when the atlas is built (issue #13).
//!
//! Inputs: the geodata and report files, and the live [`CurrentCorrection`]s of the
//! placement store (WGS-84 lon/lat, metres). Outputs: an [`Atlas`] in which
//! - each corrected feature has the planner's geometry and `location = {match: "curated",
//!   source, uncertainty_m, editor, at}`;
//! - each corrected name (and the aliases of the gazetteer place it had matched) is a
//!   gazetteer entry of tier `curated`, so the same name in every report is placed the same way;
//!
//! and [`TierStats`]: per automatic match tier, how many features were corrected and how far,
//! in metres between the centroids of the automatic and the corrected geometry (Haversine).
//!
//! The automatic atlas (no corrections) is built once by [`Corrector::new`] and kept: it is
//! what the statistics measure from and where a corrected feature's kind and aliases are read.

use std::collections::HashMap;
use std::sync::Arc;

use geo::{Centroid, Distance, Geometry, Haversine};

use super::{Atlas, AtlasError, AtlasStore, NamedFile};
use crate::gazetteer::{CuratedEntry, normalise_name};
use crate::plan::{Location, MatchType, PlannedFeature};
use crate::stats::COLUMNS;
use crate::store::corrected::{Rebuild, Rebuilt, TierStats};
use crate::store::placement::CurrentCorrection;

/// What the build applies: the corrections themselves and the gazetteer entries made of them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Curation<'a> {
    /// The live corrections, each applied to its own feature by id.
    pub corrections: &'a [CurrentCorrection],
    /// The corrected names, added to the gazetteer as the most trusted tier.
    pub entries: &'a [CuratedEntry],
}

/// Rebuilds the atlas with corrections applied, from the files it was first built from.
#[derive(Debug)]
pub struct Corrector {
    geodata: Vec<NamedFile>,
    seeds: Vec<NamedFile>,
    automatic: Arc<Atlas>,
}

impl Corrector {
    /// Builds the automatic atlas (no corrections) once and keeps the files for rebuilds.
    ///
    /// # Errors
    /// The first bad file or entry, as [`Atlas::build`].
    pub fn new(geodata: Vec<NamedFile>, seeds: Vec<NamedFile>) -> Result<Corrector, AtlasError> {
        let automatic = Arc::new(Atlas::build(&geodata, &seeds)?);
        Ok(Corrector {
            geodata,
            seeds,
            automatic,
        })
    }

    /// The atlas without any correction.
    #[must_use]
    pub fn automatic(&self) -> &Arc<Atlas> {
        &self.automatic
    }

    /// The gazetteer entries the corrections make: the corrected feature's name, with the
    /// kind it was read as and the aliases of the gazetteer place it had matched.
    #[must_use]
    pub fn entries(&self, corrections: &[CurrentCorrection]) -> Vec<CuratedEntry> {
        let by_id: HashMap<&str, &PlannedFeature> = self
            .automatic
            .features
            .iter()
            .map(|f| (f.id.as_str(), f))
            .collect();
        corrections
            .iter()
            .map(|c| {
                let automatic = by_id.get(c.feature_id.as_str());
                CuratedEntry {
                    name: c.name.clone(),
                    aliases: automatic.map(|f| f.aliases.clone()).unwrap_or_default(),
                    kind: automatic.map(|f| f.kind.clone()).unwrap_or_default(),
                    layer: c.layer,
                    geometry: geojson::Geometry::new(geojson::GeometryValue::from(&c.geometry)),
                    uncertainty_m: c.uncertainty_m,
                    source: c.source.clone(),
                    editor: c.editor.clone(),
                    at: c.at.clone(),
                    note: c.note.clone(),
                    feature_id: c.feature_id.clone(),
                }
            })
            .collect()
    }

    /// The atlas with `corrections` applied, and the statistics of how far they moved the
    /// automatic placements. A correction whose feature no longer exists (the report was
    /// edited) is kept in the store, applied by name only, and named in the atlas's warnings.
    ///
    /// # Errors
    /// As [`Atlas::build`]; the files were read once already, so only a bug fails here.
    pub fn build(
        &self,
        corrections: &[CurrentCorrection],
    ) -> Result<(Arc<Atlas>, Vec<TierStats>), AtlasError> {
        let stats = stats(&self.automatic, corrections);
        if corrections.is_empty() {
            // Shared, not copied: with no correction the served atlas is the automatic one,
            // and a second copy would double the server's memory (issue #15's RSS budget).
            return Ok((Arc::clone(&self.automatic), stats));
        }
        let entries = self.entries(corrections);
        let mut atlas = Atlas::build_curated(
            &self.geodata,
            &self.seeds,
            Curation {
                corrections,
                entries: &entries,
            },
        )?;
        for c in corrections {
            if !atlas.features.iter().any(|f| f.id == c.feature_id) {
                atlas.warnings.push(format!(
                    "correction of {} (version {}): no such feature now; its name still places other mentions",
                    c.feature_id, c.version
                ));
            }
        }
        Ok((Arc::new(atlas), stats))
    }

    /// The rebuild function the HTTP layer calls after each saved correction.
    #[must_use]
    pub fn rebuild_fn(self: Arc<Self>) -> Rebuild {
        Arc::new(move |corrections: &[CurrentCorrection]| {
            let (atlas, stats) = self.build(corrections).map_err(|e| e.to_string())?;
            for w in &atlas.warnings {
                tracing::warn!("{w}");
            }
            Ok(Rebuilt {
                store: Arc::new(AtlasStore::new(atlas)),
                stats,
            })
        })
    }
}

/// Applies the corrections to the placed features: a corrected feature takes the planner's
/// geometry and a `curated` location; a feature placed through a corrected name's gazetteer
/// entry gets that correction's editor and time.
pub(super) fn apply(features: &mut [PlannedFeature], curation: Curation<'_>) {
    let by_id: HashMap<&str, &CurrentCorrection> = curation
        .corrections
        .iter()
        .map(|c| (c.feature_id.as_str(), c))
        .collect();
    for f in features.iter_mut() {
        if let Some(c) = by_id.get(f.id.as_str()) {
            f.geometry = Some(c.geometry.clone());
            // The planner's geometry replaces any cut of a street to its segments.
            for s in &mut f.segments {
                s.drawn = false;
                s.reason = Some("规划人员的更正替换了该路的几何".into());
            }
            f.location = Location {
                match_type: MatchType::Curated,
                source: c.source.clone(),
                uncertainty_m: Some(c.uncertainty_m),
                // The planner placed this very feature: no name matching is left to doubt.
                confidence: 1.0,
                editor: Some(c.editor.clone()),
                at: Some(c.at.clone()),
            };
        } else if f.location.match_type == MatchType::Curated {
            let names: Vec<String> = std::iter::once(&f.name)
                .chain(f.aliases.first())
                .map(|n| normalise_name(n))
                .collect();
            if let Some(e) = curation
                .entries
                .iter()
                .filter(|e| names.contains(&normalise_name(&e.name)))
                .max_by(|a, b| a.at.cmp(&b.at))
            {
                f.location.editor = Some(e.editor.clone());
                f.location.at = Some(e.at.clone());
            }
        }
    }
}

/// Per automatic match tier (the order of `planmap stats`, without `curated`): features,
/// corrected features, and the Haversine distance in metres between the centroids of the
/// automatic and the corrected geometry of each corrected feature that had one.
#[must_use]
pub fn stats(automatic: &Atlas, corrections: &[CurrentCorrection]) -> Vec<TierStats> {
    let by_id: HashMap<&str, &CurrentCorrection> = corrections
        .iter()
        .map(|c| (c.feature_id.as_str(), c))
        .collect();
    COLUMNS
        .iter()
        .filter(|m| **m != MatchType::Curated)
        .map(|&m| {
            let tier: Vec<&PlannedFeature> = automatic
                .features
                .iter()
                .filter(|f| f.location.match_type == m)
                .collect();
            let corrected: Vec<(&PlannedFeature, &CurrentCorrection)> = tier
                .iter()
                .filter_map(|f| by_id.get(f.id.as_str()).map(|c| (*f, *c)))
                .collect();
            let distances = corrected
                .iter()
                .filter_map(|(f, c)| centroid_distance_m(f.geometry.as_ref()?, &c.geometry))
                .collect();
            TierStats::new(m.as_str(), tier.len(), corrected.len(), distances)
        })
        .collect()
}

/// Haversine distance in metres between the centroids of two WGS-84 geometries.
#[must_use]
pub fn centroid_distance_m(a: &Geometry<f64>, b: &Geometry<f64>) -> Option<f64> {
    Some(Haversine.distance(a.centroid()?, b.centroid()?))
}
