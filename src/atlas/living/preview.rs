//! What an upload would serve, read without adding it: the dry run of `POST /api/reports`
//! (issue #21), so a planner reviews a reading before it is published.
//!
//! Input: an upload as the store would hand it to [`Living::add_report`] (text, id, title,
//! year …). Output: JSON with the report's `summary` exactly as `/api/reports` would list it
//! once published, the features per layer (`layers`: read, located), the `unlocated` places
//! with their quotes, the district-wide items, and every feature read (`features`: id, name,
//! layer, kind, match, located, uncertainty in metres, verb, sentence). Nothing changes:
//! the reading uses the same base, verdicts and reader as the upload, the place ids are given
//! on a copy of the clusters (an unkeyed name's id is the one publishing now would give),
//! and the corrections of the same places in other reports apply as they would.
//!
//! The reading takes as long as the text (seconds for a long report), so it is done on a
//! copy ([`Living::preview_copy`]) taken under the writer lock and read after the lock is let
//! go: writes wait for the copy, not for the reading. The copy shares the geodata reader, the
//! reports and the features (`Arc`) and copies the rest (verdicts, known names, place
//! clusters, corrections, the id and place maps); it is the live map of that moment, so the
//! dry run answers what a publication at that moment would serve.

use std::sync::Arc;

use geo::MultiPolygon;
use serde_json::{Value, json};

use super::correct::corrected_feature;
use super::{Living, upload_meta};
use crate::atlas::reader::Read;
use crate::atlas::reports::Reports;
use crate::atlas::scope::is_district_wide;
use crate::atlas::{Atlas, AtlasError};
use crate::plan::{Layer, PlannedFeature};
use crate::store::changes::StoredReport;
use crate::store::corrected::Previewer;

impl Living {
    /// A copy of the live map as it is now, to read a dry run from without the writer lock
    /// (see the module doc for what it shares and what it copies).
    #[must_use]
    pub fn preview_copy(&self) -> Living {
        Living {
            base: Arc::clone(&self.base),
            verdicts: self.verdicts.clone(),
            lexicon: self.lexicon.clone(),
            clusters: self.clusters.clone(),
            entries: self.entries.clone(),
            corrections: self.corrections.clone(),
            by_id: self.by_id.clone(),
            by_place: self.by_place.clone(),
            atlas: Arc::clone(&self.atlas),
            change: self.change,
        }
    }

    /// Reads `upload` as [`Living::add_report`] would, without adding it, and says what
    /// would be served (see the module doc).
    ///
    /// # Errors
    /// A bad metadata field, as the upload itself would meet.
    pub fn preview(&self, upload: &StoredReport) -> Result<Value, AtlasError> {
        let id = upload.report.id.as_str();
        let meta_file = upload_meta(upload);
        let Read {
            report,
            meta,
            mut features,
            keys,
        } = self.base.read(
            id,
            &upload.report.text,
            Some(&meta_file),
            &self.lexicon,
            &self.verdicts,
        )?;
        // A copy: the ids a publication would give, leaving the served clusters untouched.
        let mut clusters = self.clusters.clone();
        clusters.assign(&mut features, &keys);
        let orphans = self.orphans();
        let served: Vec<Arc<PlannedFeature>> = features
            .into_iter()
            .map(|f| {
                let corrected = self.corrected_of(&f.place);
                Arc::new(match self.correction_for(&f, &orphans, &corrected) {
                    None => f,
                    Some((c, own)) => corrected_feature(&f, c, own),
                })
            })
            .collect();
        // The summary from the very index `/api/reports` is rendered by, over the atlas as it
        // would be (its other entries are not kept).
        let now = &self.atlas;
        let mut atlas = Atlas {
            collections: Vec::new(),
            reports: now.reports.clone(),
            metas: now.metas.clone(),
            uploaded: now.uploaded.clone(),
            features: now.features.clone(),
            context: Arc::clone(&now.context),
            boundary: MultiPolygon::new(Vec::new()),
            warnings: Vec::new(),
        };
        atlas.reports.push(Arc::new(report));
        Arc::make_mut(&mut atlas.metas).push(meta);
        atlas.uploaded.push(true);
        atlas.features.extend(served.iter().cloned());
        let list: Value = serde_json::from_str(&Reports::new(&atlas).list).unwrap_or(Value::Null);
        let summary = list["reports"]
            .as_array()
            .and_then(|l| l.iter().find(|r| r["id"] == id))
            .cloned()
            .unwrap_or(Value::Null);
        Ok(preview_json(&summary, &served))
    }
}

impl Previewer for Living {
    fn preview(&self, upload: &StoredReport) -> Result<Value, String> {
        Living::preview(self, upload).map_err(|e| e.to_string())
    }
}

/// The dry run's answer from the summary and the features that would be served.
fn preview_json(summary: &Value, served: &[Arc<PlannedFeature>]) -> Value {
    let layers: serde_json::Map<String, Value> = Layer::ALL
        .iter()
        .map(|l| {
            let of: Vec<&Arc<PlannedFeature>> = served.iter().filter(|f| f.layer == *l).collect();
            let located = of.iter().filter(|f| f.geometry.is_some()).count();
            (
                l.as_str().to_owned(),
                json!({"features": of.len(), "located": located}),
            )
        })
        .collect();
    let brief = |f: &PlannedFeature| {
        json!({
            "id": f.id,
            "name": f.name,
            "layer": f.layer,
            "kind": f.kind,
            "quote": f.quote,
        })
    };
    let unlocated: Vec<Value> = served
        .iter()
        .filter(|f| f.geometry.is_none() && !is_district_wide(f))
        .map(|f| brief(f))
        .collect();
    let district_wide: Vec<Value> = served
        .iter()
        .filter(|f| is_district_wide(f))
        .map(|f| brief(f))
        .collect();
    let features: Vec<Value> = served
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "name": f.name,
                "layer": f.layer,
                "kind": f.kind,
                "match": f.location.match_type.as_str(),
                "located": f.geometry.is_some(),
                "uncertainty_m": f.location.uncertainty_m,
                "verb": f.action.as_ref().map(|a| a.verb.as_str()),
                "sentence": f.quote,
            })
        })
        .collect();
    json!({
        "dry_run": true,
        "summary": summary,
        "layers": layers,
        "unlocated": unlocated,
        "district_wide": district_wide,
        "features": features,
    })
}
