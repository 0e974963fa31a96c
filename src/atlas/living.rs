//! The atlas while serving: reports, verdicts and corrections come in one change at a time,
//! and each change costs what it changes (issue #21).
//!
//! Input: the geodata and `--seeds` files once, then changes: a placement correction or its
//! removal (by feature id), a verdict on a name or its withdrawal, an uploaded report or its
//! removal; or a [`ChangeEntry`] of the store's log, whose state [`Living::replay`] reads by
//! its key. Output: after every change a new [`Atlas`] ([`Living::atlas`]) that shares every
//! unchanged report and feature (`Arc`) and every untouched collection's R-tree with the one
//! before, so a reader holding the old atlas sees the old state whole and the next request
//! the new one whole.
//!
//! What each change costs: a correction re-places only the features of its place (in every
//! report) and rebuilds the R-tree of their collections; a verdict re-reads only the reports
//! whose text contains the name; an upload reads only the new report; a removal drops one
//! report's features. Feature ids (`report/layer/slug`) and place ids depend on reading only
//! (text, base gazetteer, verdicts), never on a correction, and unkeyed place ids are given
//! in the order reports come in, so they survive corrections, reverts and new reports.

mod correct;
mod preview;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::reader::{Base, Read, Verdicts};
use super::{Atlas, AtlasError, Collection, FeatureRef, Features, NamedFile, is_txt, report_id};
use crate::gazetteer::normalise_name;
use crate::plan::{Layer, PlaceClusters, PlannedFeature};
use crate::report::meta::{ReportMeta, meta_file_name};
use crate::report::{Lexicon, Report};
use crate::store::changes::{
    ChangeEntry, ChangeKind, EditStore, StoredReport, VerdictKind, VerdictVersion,
};
use crate::store::placement::CurrentCorrection;

/// One report of the atlas: where it came from, its text, its reading and its features.
#[derive(Debug, Clone)]
struct Entry {
    /// The report id.
    id: String,
    /// The raw text, kept to re-read the report when a verdict names a word in it.
    raw: Arc<str>,
    /// Its metadata JSON (a seed's `NAME.meta.json`, or an upload's fields).
    meta_file: Option<Arc<[u8]>>,
    /// Uploaded (false for a `--seeds` report, which stays read-only).
    uploaded: bool,
    report: Arc<Report>,
    meta: ReportMeta,
    /// Automatic placement, with place ids.
    automatic: Vec<Arc<PlannedFeature>>,
    /// As served: the automatic feature itself (the same `Arc`) unless a correction applies.
    served: Vec<Arc<PlannedFeature>>,
}

/// A map looked up for every feature a change touches (a correction at a hundred reports
/// asks it hundreds of times): hashed with foldhash, seeded per process, instead of SipHash.
pub(super) type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// The serving state: base, verdicts, reports, corrections and the atlas made of them.
#[derive(Debug)]
pub struct Living {
    /// Shared with the copies a dry run reads from (`preview.rs`): it never changes.
    base: Arc<Base>,
    verdicts: Verdicts,
    lexicon: Lexicon,
    clusters: PlaceClusters,
    entries: Vec<Entry>,
    corrections: FastMap<String, CurrentCorrection>,
    /// Feature id → (entry, position), of the automatic features.
    by_id: FastMap<String, (usize, usize)>,
    /// Place id → its features (entry, position).
    by_place: FastMap<String, Vec<(usize, usize)>>,
    atlas: Arc<Atlas>,
    /// The newest change applied (0 before any).
    change: u64,
}

/// The planning layers, in collection order.
const PLANNING: [(Layer, &str, &str); 3] = [
    (
        Layer::Zones,
        "规划片区",
        "Zones the reports plan: business districts, areas, parks, historic blocks",
    ),
    (
        Layer::Streets,
        "街道与廊道",
        "Streets, lanes, interchanges, axes and corridors the reports plan",
    ),
    (
        Layer::Projects,
        "项目",
        "Projects and sites the reports plan: buildings, facilities, plots",
    ),
];

impl Living {
    /// Reads the geodata and the seed reports (no verdicts, uploads or corrections).
    ///
    /// # Errors
    /// The first bad file or entry, named; no report at all.
    pub fn new(geodata: &[NamedFile], seeds: &[NamedFile]) -> Result<Living, AtlasError> {
        Living::load(geodata, seeds, &[], &[], &[], 0)
    }

    /// Reads the geodata, the seeds and the stored state: live verdicts, uploaded reports
    /// (in upload order, after the seeds) and corrections; `change` is the store's newest
    /// change number.
    ///
    /// # Errors
    /// The first bad file or entry, named; no report at all.
    pub fn load(
        geodata: &[NamedFile],
        seeds: &[NamedFile],
        verdicts: &[VerdictVersion],
        uploads: &[StoredReport],
        corrections: &[CurrentCorrection],
        change: u64,
    ) -> Result<Living, AtlasError> {
        let base = Arc::new(Base::new(geodata)?);
        let mut v = Verdicts::default();
        for verdict in verdicts {
            add_verdict(&mut v, verdict);
        }
        let lexicon = base.lexicon(&v);
        let mut living = Living {
            base,
            verdicts: v,
            lexicon,
            clusters: PlaceClusters::default(),
            entries: Vec::new(),
            corrections: corrections
                .iter()
                .map(|c| (c.feature_id.clone(), c.clone()))
                .collect(),
            by_id: FastMap::default(),
            by_place: FastMap::default(),
            atlas: Arc::new(Atlas::empty()),
            change,
        };
        let mut texts: Vec<&NamedFile> = seeds.iter().filter(|f| is_txt(&f.name)).collect();
        texts.sort_by(|a, b| a.name.cmp(&b.name));
        for f in texts {
            let text = std::str::from_utf8(&f.bytes).map_err(|e| AtlasError::Encoding {
                file: f.name.clone(),
                byte: e.valid_up_to(),
            })?;
            let id = report_id(&f.name);
            let meta_name = meta_file_name(&id);
            let meta_file = seeds
                .iter()
                .find(|m| m.name.rsplit('/').next() == Some(meta_name.as_str()))
                .map(|m| Arc::from(m.bytes.as_slice()));
            living.push_entry(id, Arc::from(text), meta_file, false)?;
        }
        for upload in uploads {
            let meta = upload_meta(upload);
            living.push_entry(
                upload.report.id.clone(),
                Arc::from(upload.report.text.as_str()),
                Some(meta),
                true,
            )?;
        }
        if living.entries.is_empty() {
            return Err(AtlasError::NoReports);
        }
        living.reindex();
        let all: Vec<(usize, usize)> = living.by_id.values().copied().collect();
        living.serve(&all);
        living.publish(None);
        Ok(living)
    }

    /// The atlas as it is now.
    #[must_use]
    pub fn atlas(&self) -> &Arc<Atlas> {
        &self.atlas
    }

    /// The newest change applied.
    #[must_use]
    pub fn change(&self) -> u64 {
        self.change
    }

    /// The live corrections applied, by feature id.
    #[must_use]
    pub fn corrections(&self) -> Vec<CurrentCorrection> {
        let mut list: Vec<CurrentCorrection> = self.corrections.values().cloned().collect();
        list.sort_by(|a, b| a.feature_id.cmp(&b.feature_id));
        list
    }

    /// The automatic placement of a feature (before any correction).
    #[must_use]
    pub fn automatic(&self, feature_id: &str) -> Option<&Arc<PlannedFeature>> {
        let &(e, i) = self.by_id.get(feature_id)?;
        Some(&self.entries[e].automatic[i])
    }

    /// Every automatic feature, in atlas order.
    pub fn automatic_features(&self) -> impl Iterator<Item = &Arc<PlannedFeature>> {
        self.entries.iter().flat_map(|e| e.automatic.iter())
    }

    /// Whether a report id is one of the read-only `--seeds` reports.
    #[must_use]
    pub fn is_seed(&self, id: &str) -> bool {
        self.entries.iter().any(|e| e.id == id && !e.uploaded)
    }

    /// Whether any report (seed or upload) has this id.
    #[must_use]
    pub fn has_report(&self, id: &str) -> bool {
        self.entries.iter().any(|e| e.id == id)
    }

    /// Reads one report and appends it (not yet indexed or served).
    fn push_entry(
        &mut self,
        id: String,
        raw: Arc<str>,
        meta_file: Option<Arc<[u8]>>,
        uploaded: bool,
    ) -> Result<(), AtlasError> {
        let read = self.base.read(
            &id,
            &raw,
            meta_file.as_deref(),
            &self.lexicon,
            &self.verdicts,
        )?;
        let entry = self.entry_of(id, raw, meta_file, uploaded, read);
        self.entries.push(entry);
        Ok(())
    }

    fn entry_of(
        &mut self,
        id: String,
        raw: Arc<str>,
        meta_file: Option<Arc<[u8]>>,
        uploaded: bool,
        read: Read,
    ) -> Entry {
        let Read {
            report,
            meta,
            mut features,
            keys,
        } = read;
        self.clusters.assign(&mut features, &keys);
        let automatic: Vec<Arc<PlannedFeature>> = features.into_iter().map(Arc::new).collect();
        Entry {
            id,
            raw,
            meta_file,
            uploaded,
            report: Arc::new(report),
            meta,
            served: automatic.clone(),
            automatic,
        }
    }

    /// Rebuilds the id and place maps (after a change of which features exist).
    fn reindex(&mut self) {
        self.by_id.clear();
        self.by_place.clear();
        for (e, entry) in self.entries.iter().enumerate() {
            for (i, f) in entry.automatic.iter().enumerate() {
                self.by_id.insert(f.id.clone(), (e, i));
                self.by_place
                    .entry(f.place.clone())
                    .or_default()
                    .push((e, i));
            }
        }
    }

    /// Applies a verdict (`Some`) or its withdrawal (`None`) on a name: re-reads only the
    /// reports whose text contains it. Returns the ids of the reports re-read.
    ///
    /// # Errors
    /// A bad metadata file on re-reading (it was read before, so only a bug fails here).
    pub fn set_verdict(
        &mut self,
        name: &str,
        verdict: Option<&VerdictVersion>,
    ) -> Result<Vec<String>, AtlasError> {
        let name = normalise_name(name);
        self.verdicts.place.remove(&name);
        self.verdicts.not_place.remove(&name);
        if let Some(v) = verdict {
            add_verdict(&mut self.verdicts, v);
        }
        self.lexicon = self.base.lexicon(&self.verdicts);
        let mut reread = Vec::new();
        for e in 0..self.entries.len() {
            if !self.entries[e].report.text.contains(name.as_str()) {
                continue;
            }
            let entry = &self.entries[e];
            let read = self.base.read(
                &entry.id,
                &entry.raw,
                entry.meta_file.as_deref(),
                &self.lexicon,
                &self.verdicts,
            )?;
            let (id, raw, meta_file, uploaded) = (
                entry.id.clone(),
                Arc::clone(&entry.raw),
                entry.meta_file.clone(),
                entry.uploaded,
            );
            reread.push(id.clone());
            self.entries[e] = self.entry_of(id, raw, meta_file, uploaded, read);
        }
        self.after_reading(&reread, HashSet::new());
        Ok(reread)
    }

    /// Reads an uploaded report and serves it.
    ///
    /// # Errors
    /// A bad metadata field.
    pub fn add_report(&mut self, upload: &StoredReport) -> Result<(), AtlasError> {
        self.entries
            .retain(|e| e.id != upload.report.id || !e.uploaded);
        self.push_entry(
            upload.report.id.clone(),
            Arc::from(upload.report.text.as_str()),
            Some(upload_meta(upload)),
            true,
        )?;
        self.after_reading(std::slice::from_ref(&upload.report.id), HashSet::new());
        Ok(())
    }

    /// Takes an uploaded report out; false when there is none of this id.
    pub fn remove_report(&mut self, id: &str) -> bool {
        let Some(e) = self.entries.iter().position(|e| e.id == id && e.uploaded) else {
            return false;
        };
        let removed = self.entries.remove(e);
        let places: HashSet<String> = removed.automatic.iter().map(|f| f.place.clone()).collect();
        self.after_reading(&[], places);
        true
    }

    /// After reports were read or removed: the maps, the corrections that may now apply to
    /// the new features (and, by place, to others; `places` are those a removed report
    /// had), and a new atlas.
    fn after_reading(&mut self, reports: &[String], mut places: HashSet<String>) {
        self.reindex();
        let mut touched: Vec<(usize, usize)> = Vec::new();
        for (e, entry) in self.entries.iter().enumerate() {
            if reports.contains(&entry.id) {
                for (i, f) in entry.automatic.iter().enumerate() {
                    touched.push((e, i));
                    places.insert(f.place.clone());
                }
            }
        }
        // A corrected place gained or lost features: its features elsewhere may change.
        for place in &places {
            for &p in self.by_place.get(place).into_iter().flatten() {
                if !touched.contains(&p) {
                    touched.push(p);
                }
            }
        }
        self.serve(&touched);
        self.publish(None);
    }

    /// Reads the state a change names from the store and applies it (a replica replaying
    /// the log, or this server after its own write).
    ///
    /// # Errors
    /// The store cannot be read, or the report cannot be read; a sentence.
    pub fn replay(&mut self, change: &ChangeEntry, store: &dyn EditStore) -> Result<(), String> {
        match change.kind {
            ChangeKind::Placed | ChangeKind::Reverted => {
                let current = store
                    .current()
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .find(|c| c.feature_id == change.key);
                self.set_correction(&change.key, current);
            }
            ChangeKind::VerdictSet | ChangeKind::VerdictRemoved => {
                let live = store
                    .verdicts()
                    .map_err(|e| e.to_string())?
                    .into_iter()
                    .find(|v| v.name == change.key);
                self.set_verdict(&change.key, live.as_ref())
                    .map_err(|e| e.to_string())?;
            }
            ChangeKind::ReportAdded => {
                if let Some(r) = store
                    .stored_report(&change.key)
                    .map_err(|e| e.to_string())?
                {
                    self.add_report(&r).map_err(|e| e.to_string())?;
                }
            }
            ChangeKind::ReportRemoved => {
                self.remove_report(&change.key);
            }
        }
        self.change = self.change.max(change.number);
        Ok(())
    }

    /// Makes the new atlas from the entries, sharing every feature and report `Arc`.
    /// Every entry's served features in order (`offsets`: where each entry's start). With
    /// `touched` the same features as `previous`'s, some re-served: the chunks holding none
    /// of them are shared.
    fn served_features(
        &self,
        previous: &Atlas,
        offsets: &[usize],
        touched: Option<&[(usize, usize)]>,
    ) -> Features {
        let total = self.entries.iter().map(|e| e.served.len()).sum();
        match touched {
            Some(touched) if previous.features.len() == total => {
                let mut changed = vec![false; total];
                for &(e, i) in touched {
                    changed[offsets[e] + i] = true;
                }
                Features::derive(
                    Some(&previous.features),
                    total,
                    |k| !changed[k],
                    |k| {
                        // The last entry starting at or before k holds it (an empty entry
                        // starts where the next does).
                        let e = offsets.partition_point(|&o| o <= k) - 1;
                        Arc::clone(&self.entries[e].served[k - offsets[e]])
                    },
                )
            }
            _ => self
                .entries
                .iter()
                .flat_map(|e| e.served.iter().cloned())
                .collect(),
        }
    }

    /// `touched`: only these features (entry, position) were re-served, so which features
    /// exist is unchanged: a collection without one of them is shared whole, one with some
    /// gets its R-tree with just their geometries replaced. `None`: which features exist may
    /// have changed, so every planning collection is made anew.
    fn publish(&mut self, touched: Option<&[(usize, usize)]>) {
        let previous = Arc::clone(&self.atlas);
        // Where each entry's features start in `features`.
        let offsets: Vec<usize> = self
            .entries
            .iter()
            .scan(0, |at, e| {
                let start = *at;
                *at += e.served.len();
                Some(start)
            })
            .collect();
        let features = self.served_features(&previous, &offsets, touched);
        let mut warnings = self.base.warnings.clone();
        for c in self.corrections.values() {
            if !self.by_id.contains_key(&c.feature_id) {
                warnings.push(format!(
                    "correction of {} (version {}): no such feature now; it places the feature of its name in its report, if any",
                    c.feature_id, c.version
                ));
            }
        }
        let mut atlas = Atlas {
            collections: Vec::new(),
            reports: self.entries.iter().map(|e| Arc::clone(&e.report)).collect(),
            // A correction leaves the reports as they were.
            metas: match touched {
                Some(_) if previous.metas.len() == self.entries.len() => {
                    Arc::clone(&previous.metas)
                }
                _ => Arc::new(self.entries.iter().map(|e| e.meta.clone()).collect()),
            },
            uploaded: self.entries.iter().map(|e| e.uploaded).collect(),
            features,
            context: Arc::clone(&self.base.context),
            boundary: self.base.boundary.clone(),
            warnings,
        };
        for (ci, (layer, title, description)) in PLANNING.into_iter().enumerate() {
            let c = if let (Some(old), Some(touched)) = (previous.collections.get(ci), touched) {
                let changed: Vec<(usize, Option<geo::Geometry<f64>>)> = touched
                    .iter()
                    .map(|&(e, i)| offsets[e] + i)
                    .filter(|&k| atlas.features[k].layer == layer)
                    .filter_map(|k| {
                        let pos = old
                            .items
                            .binary_search_by_key(&k, |r| match r {
                                FeatureRef::Planned(j) => *j,
                                FeatureRef::Context(_) => usize::MAX,
                            })
                            .ok()?;
                        Some((pos, atlas.features[k].geometry.clone()))
                    })
                    .collect();
                if changed.is_empty() {
                    old.clone()
                } else {
                    let index = old.index.with_replaced(changed);
                    Collection {
                        extent: index.extent(),
                        index: Arc::new(index),
                        ..old.clone()
                    }
                }
            } else {
                let items = (0..atlas.features.len())
                    .filter(|&i| atlas.features[i].layer == layer)
                    .map(FeatureRef::Planned)
                    .collect();
                atlas.collection_of(layer.as_str(), title, description, items)
            };
            atlas.collections.push(c);
        }
        if previous.collections.len() == PLANNING.len() + 2 {
            atlas
                .collections
                .extend(previous.collections[PLANNING.len()..].iter().cloned());
        } else {
            let c = atlas.collection_of(
                "district",
                "渝中区界",
                "The district boundary (context layer)",
                vec![FeatureRef::Context(0)],
            );
            atlas.collections.push(c);
            let c = atlas.collection_of(
                "stations",
                "轨道站点",
                "Rail, metro and monorail stations from OpenStreetMap (context layer; © OpenStreetMap contributors, ODbL)",
                (self.base.stations_from..atlas.context.len()).map(FeatureRef::Context).collect(),
            );
            atlas.collections.push(c);
        }
        self.atlas = Arc::new(atlas);
    }
}

/// Adds a live verdict to the set.
fn add_verdict(v: &mut Verdicts, verdict: &VerdictVersion) {
    let name = normalise_name(&verdict.name);
    match verdict.verdict {
        Some(VerdictKind::Place) => {
            v.place.insert(name, (verdict.layer, verdict.kind.clone()));
        }
        Some(VerdictKind::NotPlace) => {
            v.not_place.insert(name);
        }
        None => {}
    }
}

/// An upload's fields as the metadata JSON the reader takes.
fn upload_meta(upload: &StoredReport) -> Arc<[u8]> {
    let r = &upload.report;
    let mut meta = serde_json::Map::new();
    for (k, v) in [
        ("title", &r.title),
        ("district", &r.district),
        ("kind", &r.kind),
    ] {
        if let Some(v) = v {
            meta.insert(k.into(), v.clone().into());
        }
    }
    if let Some(y) = r.year {
        meta.insert("year".into(), y.into());
    }
    Arc::from(serde_json::Value::Object(meta).to_string().into_bytes())
}
