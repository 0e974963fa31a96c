//! The live map the editing routes change (issue #13, #21), and what planners' corrections
//! say about the automatic placement.
//!
//! Inputs: a [`Living`] atlas and the changes the store acknowledges (WGS-84 lon/lat,
//! metres). Outputs: after each change the store to serve ([`LiveAtlas`] implements
//! [`LiveMap`]), made by [`AtlasStore::derive`] so untouched features keep their rendered
//! text; [`TierStats`]: per automatic match tier, how many features were corrected and how
//! far, in metres between the centroids of the automatic and the corrected geometry
//! (Haversine); and the gazetteer entries `planmap gazetteer export-curated` writes.

use std::collections::HashMap;
use std::sync::Arc;

use geo::{Centroid, Distance, Geometry, Haversine};

use super::{AtlasStore, Living, NamedFile};
use crate::gazetteer::CuratedEntry;
use crate::plan::{MatchType, PlannedFeature};
use crate::stats::COLUMNS;
use crate::store::FeatureStore;
use crate::store::changes::{ChangeEntry, EditStore, VerdictVersion};
use crate::store::corrected::{LiveMap, Previewer, TierStats};
use crate::store::placement::CurrentCorrection;

/// A [`Living`] atlas and the store made of its current atlas.
#[derive(Debug)]
pub struct LiveAtlas {
    living: Living,
    served: Arc<AtlasStore>,
}

impl LiveAtlas {
    /// Serves a living atlas.
    #[must_use]
    pub fn new(living: Living) -> LiveAtlas {
        let served = Arc::new(AtlasStore::new(Arc::clone(living.atlas())));
        LiveAtlas { living, served }
    }

    /// Reads the files and the store's state (live verdicts, uploads, corrections, up to
    /// its newest change) and serves them.
    ///
    /// # Errors
    /// A bad file (named) or a store that cannot be read; a sentence.
    pub fn open(
        geodata: &[NamedFile],
        seeds: &[NamedFile],
        store: &dyn EditStore,
    ) -> Result<LiveAtlas, String> {
        let text = |e: crate::store::placement::StoreError| e.to_string();
        // The number first: a change written meanwhile is then applied again on the next
        // write (applying a change is idempotent), never missed.
        let change = store.last_change().map_err(text)?;
        let living = Living::load(
            geodata,
            seeds,
            &store.verdicts().map_err(text)?,
            &store.stored_reports().map_err(text)?,
            &store.current().map_err(text)?,
            change,
        )
        .map_err(|e| e.to_string())?;
        Ok(LiveAtlas::new(living))
    }

    /// The living atlas.
    #[must_use]
    pub fn living(&self) -> &Living {
        &self.living
    }

    /// The store as now served.
    #[must_use]
    pub fn store(&self) -> &Arc<AtlasStore> {
        &self.served
    }
}

impl LiveMap for LiveAtlas {
    fn apply(
        &mut self,
        change: &ChangeEntry,
        store: &dyn EditStore,
    ) -> Result<Arc<dyn FeatureStore>, String> {
        let started = std::time::Instant::now();
        self.living.replay(change, store)?;
        let replayed = started.elapsed();
        if !Arc::ptr_eq(self.served.atlas(), self.living.atlas()) {
            self.served = Arc::new(self.served.derive(Arc::clone(self.living.atlas())));
        }
        tracing::debug!(
            change = change.number,
            kind = change.kind.as_str(),
            replay_ms = replayed.as_secs_f64() * 1000.0,
            total_ms = started.elapsed().as_secs_f64() * 1000.0,
            "change applied"
        );
        Ok(Arc::clone(&self.served) as Arc<dyn FeatureStore>)
    }

    fn served(&self) -> Arc<dyn FeatureStore> {
        Arc::clone(&self.served) as Arc<dyn FeatureStore>
    }

    fn stats(&self) -> Vec<TierStats> {
        stats(&self.living, &self.living.corrections())
    }

    fn is_seed(&self, report: &str) -> Option<bool> {
        self.living
            .has_report(report)
            .then(|| self.living.is_seed(report))
    }

    fn change(&self) -> u64 {
        self.living.change()
    }

    fn previewer(&self) -> Box<dyn Previewer> {
        Box::new(self.living.preview_copy())
    }
}

/// The gazetteer entries the corrections make, for review: the corrected feature's name,
/// with the kind it was read as and the aliases of the gazetteer place it had matched.
#[must_use]
pub fn entries(living: &Living, corrections: &[CurrentCorrection]) -> Vec<CuratedEntry> {
    corrections
        .iter()
        .map(|c| {
            let automatic = living.automatic(&c.feature_id);
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

/// Per automatic match tier (the order of `planmap stats`, without `curated`): features,
/// corrected features, and the Haversine distance in metres between the centroids of the
/// automatic and the corrected geometry of each corrected feature that had one.
#[must_use]
pub fn stats(living: &Living, corrections: &[CurrentCorrection]) -> Vec<TierStats> {
    let by_id: HashMap<&str, &CurrentCorrection> = corrections
        .iter()
        .map(|c| (c.feature_id.as_str(), c))
        .collect();
    COLUMNS
        .iter()
        .filter(|m| **m != MatchType::Curated)
        .map(|&m| {
            let tier: Vec<&PlannedFeature> = living
                .automatic_features()
                .map(AsRef::as_ref)
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

/// What `planmap gazetteer export-curated` writes: the corrections as gazetteer entries
/// ([`crate::gazetteer::export_curated`]) and, as the member `verdicts`, every live verdict
/// on a name (name, verdict, layer, kind, note, editor, at, change) for review.
#[must_use]
pub fn export(entries: &[CuratedEntry], verdicts: &[VerdictVersion]) -> String {
    let text = crate::gazetteer::export_curated(entries);
    let Ok(serde_json::Value::Object(mut fc)) = serde_json::from_str::<serde_json::Value>(&text)
    else {
        return text;
    };
    let list: Vec<serde_json::Value> = verdicts.iter().map(VerdictVersion::to_json).collect();
    fc.insert("verdicts".into(), list.into());
    let mut out = serde_json::Value::Object(fc).to_string();
    out.push('\n');
    out
}
