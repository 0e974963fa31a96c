//! The store after a change, derived from the one before it: what a change did not touch is
//! shared (rendered texts, near facts, the reports index, the id map), what it touched is
//! rendered again (issue #21: a change costs what it changes).
//!
//! Input: the store before and the new atlas, which shares every unchanged feature `Arc`
//! with the old one. Output: a new [`AtlasStore`] serving exactly what one built afresh
//! from the new atlas serves (`tests/integration/living.rs` checks it byte for byte). Also
//! the per-item facts near needs ([`NearFacts`]: uncertainty in metres, area in m²).

use std::collections::HashMap;
use std::sync::Arc;

use super::super::render::unchanged;
use super::super::scope::area_m2;
use super::super::{Atlas, Collection, FeatureRef, FeatureView};
use super::AtlasStore;

impl AtlasStore {
    /// The store of an atlas made from this one's by a change: features that are the same
    /// `Arc` as before keep their rendered text and near facts, the rest are rendered now.
    /// Costs a pointer lookup per feature plus the rendering of what changed, and the
    /// report index and counts, which are linear in the features.
    #[must_use]
    pub fn derive(&self, atlas: Arc<Atlas>) -> AtlasStore {
        let reuse = self.reuse(&atlas);
        let same_features = self.atlas.reports.len() == atlas.reports.len()
            && self
                .atlas
                .reports
                .iter()
                .zip(&atlas.reports)
                .all(|(a, b)| Arc::ptr_eq(a, b))
            && self.atlas.collections.len() == atlas.collections.len()
            && self
                .atlas
                .collections
                .iter()
                .zip(&atlas.collections)
                .all(|(a, b)| a.items == b.items);
        let rendered = self
            .rendered
            .derive(&atlas, &self.atlas, &reuse, same_features);
        let near_facts = atlas
            .collections
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let old = self
                    .atlas
                    .collections
                    .iter()
                    .position(|o| o.id == c.id)
                    .map(|oi| &self.near_facts[oi]);
                match old {
                    Some(old) if unchanged(&reuse[ci], old.uncertainty_m.len()) => Arc::clone(old),
                    _ => Arc::new(NearFacts::derive(
                        &atlas,
                        c,
                        old.map(AsRef::as_ref),
                        &reuse[ci],
                    )),
                }
            })
            .collect();
        if same_features {
            // A correction: the reports index and which report each feature is in stay;
            // only the features it replaced can change the located counts.
            let changed = self.replaced_features(&atlas, &reuse);
            let mut health = self.health.clone();
            for &(_, was, is) in &changed {
                health.unlocated =
                    (health.unlocated + usize::from(was)).saturating_sub(usize::from(is));
            }
            for (count, c) in health.collections.iter_mut().zip(&atlas.collections) {
                count.located = c.index.len();
            }
            return AtlasStore {
                health,
                reports: self.reports.with_changed(&atlas, &changed, &self.report_of),
                report_of: Arc::clone(&self.report_of),
                positions: Arc::clone(&self.positions),
                atlas,
                rendered,
                near_facts,
            };
        }
        AtlasStore::assemble(atlas, rendered, near_facts)
    }

    /// Per collection of `atlas`, per item: its position in this store's collection when it
    /// is the same feature there (its rendering and facts can be kept), else `None`.
    fn reuse(&self, atlas: &Atlas) -> Vec<Vec<Option<usize>>> {
        // Per planned feature, whether it is another `Arc` than before, found chunk by chunk
        // (a chunk both lists share holds none), when the lists are as long.
        let replaced: Option<Vec<bool>> = (self.atlas.features.len() == atlas.features.len()
            && Arc::ptr_eq(&self.atlas.context, &atlas.context))
        .then(|| {
            atlas
                .features
                .changed_from(&self.atlas.features, Arc::ptr_eq)
        });
        atlas
            .collections
            .iter()
            .map(|c| {
                let Some(old) = self.atlas.collection(&c.id) else {
                    return vec![None; c.items.len()];
                };
                if old.items == c.items {
                    // Which features exist is unchanged (a correction): compare in place, by
                    // the chunk-by-chunk flags when the feature lists allow it.
                    return c
                        .items
                        .iter()
                        .enumerate()
                        .map(|(i, &r)| {
                            let same = match (r, &replaced) {
                                (FeatureRef::Planned(k), Some(replaced)) => !replaced[k],
                                (FeatureRef::Context(_), Some(_)) => true,
                                _ => self.feature_ptr(r) == feature_ptr(atlas, r),
                            };
                            same.then_some(i)
                        })
                        .collect();
                }
                let old_at: HashMap<usize, usize> = old
                    .items
                    .iter()
                    .enumerate()
                    .map(|(j, &r)| (self.feature_ptr(r), j))
                    .collect();
                c.items
                    .iter()
                    .map(|&r| old_at.get(&feature_ptr(atlas, r)).copied())
                    .collect()
            })
            .collect()
    }

    /// The planned features a change replaced (a new `Arc` at the same item), as (position
    /// in `Atlas::features`, located before, located now).
    fn replaced_features(
        &self,
        atlas: &Atlas,
        reuse: &[Vec<Option<usize>>],
    ) -> Vec<(usize, bool, bool)> {
        self.atlas
            .collections
            .iter()
            .zip(reuse)
            .flat_map(|(c, reuse)| c.items.iter().zip(reuse))
            .filter_map(|(&r, reused)| match (r, reused) {
                (FeatureRef::Planned(k), None) => Some((
                    k,
                    self.atlas.features[k].geometry.is_some(),
                    atlas.features[k].geometry.is_some(),
                )),
                _ => None,
            })
            .collect()
    }

    fn feature_ptr(&self, r: FeatureRef) -> usize {
        feature_ptr(&self.atlas, r)
    }
}

/// Per item of a collection: the uncertainty in metres (0 for context features, whose
/// geometry is their source's) and the geodesic area in m² (ties at 0 m are ordered smallest
/// first: the block a point lies in before the district around it); and the collection's
/// largest uncertainty, by which near widens its search.
#[derive(Debug, Clone, Default)]
pub(super) struct NearFacts {
    pub(super) uncertainty_m: Vec<f64>,
    pub(super) area_m2: Vec<f64>,
    pub(super) max_uncertainty_m: f64,
}

impl NearFacts {
    pub(super) fn new(atlas: &Atlas, c: &Collection) -> NearFacts {
        NearFacts::derive(atlas, c, None, &vec![None; c.items.len()])
    }

    /// The facts of a collection, taking those of an unchanged item (`reuse[i]`, its old
    /// position) from `old`.
    fn derive(
        atlas: &Atlas,
        c: &Collection,
        old: Option<&NearFacts>,
        reuse: &[Option<usize>],
    ) -> NearFacts {
        let mut facts = NearFacts {
            uncertainty_m: Vec::with_capacity(c.items.len()),
            area_m2: Vec::with_capacity(c.items.len()),
            max_uncertainty_m: 0.0,
        };
        for (i, &r) in c.items.iter().enumerate() {
            let (u, area) = match (old, reuse[i]) {
                (Some(old), Some(j)) => (old.uncertainty_m[j], old.area_m2[j]),
                _ => match atlas.get(r) {
                    FeatureView::Planned(f) => (
                        f.location.uncertainty_m.unwrap_or(0.0).max(0.0),
                        f.geometry.as_ref().map_or(0.0, area_m2),
                    ),
                    FeatureView::Context(f) => (0.0, area_m2(&f.geometry)),
                },
            };
            facts.max_uncertainty_m = facts.max_uncertainty_m.max(u);
            facts.uncertainty_m.push(u);
            facts.area_m2.push(area);
        }
        facts
    }
}

/// The address of the feature a collection item refers to: equal for two atlases exactly
/// when they share that feature (the same `Arc`, or the same shared context list).
fn feature_ptr(atlas: &Atlas, r: FeatureRef) -> usize {
    match r {
        FeatureRef::Planned(i) => Arc::as_ptr(&atlas.features[i]) as usize,
        FeatureRef::Context(i) => std::ptr::from_ref(&atlas.context[i]) as usize,
    }
}
