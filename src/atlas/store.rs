//! The in-memory [`FeatureStore`]: an [`Atlas`] and its features rendered once. Queries cost
//! what the R-tree costs (near, bbox: logarithmic in the features plus the hits) or a scan of
//! one collection (filters, search: a few hundred features for a district). Near widens its
//! search by the collection's largest uncertainty and keeps what may lie within the radius.

mod derive;

use derive::NearFacts;

use std::collections::HashMap;
use std::sync::Arc;

use geo::{Centroid, InteriorPoint};

use super::render::{Rendered, crs_index};
use super::reports::Reports;
use super::{Atlas, Collection, FeatureRef, FeatureView};
use crate::datum::Crs;
use crate::plan::{Layer, Queryables, compare_by, search_match};
use crate::spatial::{BBox, Inside, classify};
use crate::store::{
    CollectionCount, CollectionInfo, DistrictWide, FeatureStore, FeatureText, HealthInfo,
    ItemsPage, ItemsQuery, NearAnswer, NearHit, NearQuery, SearchHit, StoreError,
};

/// An atlas served through [`FeatureStore`].
#[derive(Debug, Clone)]
pub struct AtlasStore {
    atlas: Arc<Atlas>,
    rendered: Rendered,
    /// What near needs beyond the geometry, per collection and item; see [`NearFacts`].
    near_facts: Vec<Arc<NearFacts>>,
    /// Counted once: the atlas never changes under a store (a change makes a new one),
    /// and `/health` is polled often.
    health: HealthInfo,
    /// The reports in time order, their features and the places they share.
    reports: Reports,
    /// Per planned feature (`Atlas::features`), the position of its report.
    report_of: Arc<Vec<usize>>,
    /// Per collection: item id → position, so a feature is found without reading every
    /// feature of its collection (each a pointer away).
    positions: Arc<Vec<HashMap<String, usize>>>,
}

impl AtlasStore {
    /// Renders every feature once (milliseconds for a district).
    #[must_use]
    pub fn new(atlas: Arc<Atlas>) -> AtlasStore {
        let rendered = Rendered::new(&atlas);
        let near_facts = atlas
            .collections
            .iter()
            .map(|c| Arc::new(NearFacts::new(&atlas, c)))
            .collect();
        AtlasStore::assemble(atlas, rendered, near_facts)
    }

    fn assemble(
        atlas: Arc<Atlas>,
        rendered: Rendered,
        near_facts: Vec<Arc<NearFacts>>,
    ) -> AtlasStore {
        let health = count(&atlas);
        let reports = Reports::new(&atlas);
        let positions: HashMap<&str, usize> = atlas
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let report_of: Vec<usize> = atlas
            .features
            .iter()
            .map(|f| {
                positions
                    .get(f.report.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let report_of = Arc::new(report_of);
        let positions = atlas
            .collections
            .iter()
            .map(|c| {
                // The first item of an id, as a scan would find it.
                let mut at = HashMap::with_capacity(c.items.len());
                for (i, &r) in c.items.iter().enumerate() {
                    at.entry(atlas.get(r).id().to_owned()).or_insert(i);
                }
                at
            })
            .collect();
        AtlasStore {
            positions: Arc::new(positions),
            atlas,
            rendered,
            near_facts,
            health,
            reports,
            report_of,
        }
    }

    /// The reports index (time order, per-report features, shared places).
    #[must_use]
    pub fn reports_index(&self) -> &Reports {
        &self.reports
    }

    /// Which report positions a selection of ids keeps; `None` keeps every report. Unknown
    /// ids select nothing (the API refuses them before asking).
    fn selection(&self, ids: &[String]) -> Option<Vec<bool>> {
        if ids.is_empty() {
            return None;
        }
        let mut keep = vec![false; self.atlas.reports.len()];
        for id in ids {
            if let Some(i) = Reports::position(&self.atlas, id) {
                keep[i] = true;
            }
        }
        Some(keep)
    }

    /// Whether a collection's item belongs to a selected report (context features always do).
    fn selected(&self, keep: Option<&[bool]>, r: FeatureRef) -> bool {
        match (keep, r) {
            (None, _) | (_, FeatureRef::Context(_)) => true,
            (Some(keep), FeatureRef::Planned(i)) => {
                keep.get(self.report_of[i]).copied().unwrap_or(false)
            }
        }
    }

    /// The atlas served.
    #[must_use]
    pub fn atlas(&self) -> &Arc<Atlas> {
        &self.atlas
    }

    fn position(&self, id: &str) -> Result<usize, StoreError> {
        self.atlas
            .collections
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| StoreError::UnknownCollection(id.to_string()))
    }
}

/// What `/health` reports of an atlas: reports, features, unlocated, per collection counts.
fn count(atlas: &Atlas) -> HealthInfo {
    HealthInfo {
        reports: atlas.reports.len(),
        features: atlas.features.len(),
        unlocated: atlas
            .features
            .iter()
            .filter(|f| f.geometry.is_none())
            .count(),
        collections: atlas
            .collections
            .iter()
            .map(|c| CollectionCount {
                id: c.id.clone(),
                items: c.items.len(),
                located: c.index.len(),
            })
            .collect(),
    }
}

/// The typed queryables of any feature, for CQL2 filters and `sortby`.
fn queryables(f: FeatureView<'_>) -> &dyn Queryables {
    match f {
        FeatureView::Planned(p) => p,
        FeatureView::Context(c) => c,
    }
}

fn info(c: &Collection) -> CollectionInfo<'_> {
    CollectionInfo {
        id: &c.id,
        title: &c.title,
        description: &c.description,
        item_count: c.items.len(),
        located_count: c.index.len(),
        extent: c.extent,
    }
}

impl FeatureStore for AtlasStore {
    fn collections(&self) -> Vec<CollectionInfo<'_>> {
        self.atlas.collections.iter().map(info).collect()
    }

    fn collection(&self, id: &str) -> Result<CollectionInfo<'_>, StoreError> {
        Ok(info(&self.atlas.collections[self.position(id)?]))
    }

    fn items(
        &self,
        collection: &str,
        query: &ItemsQuery,
        crs: Crs,
    ) -> Result<ItemsPage<'_>, StoreError> {
        let ci = self.position(collection)?;
        let c = &self.atlas.collections[ci];
        let candidates: Vec<usize> = match query.bbox {
            Some(b) => c.index.within_bbox(b),
            None => (0..c.items.len()).collect(),
        };
        let keep = self.selection(&query.reports);
        let candidates: Vec<usize> = match keep.as_deref() {
            None => candidates,
            Some(k) => candidates
                .into_iter()
                .filter(|&i| self.selected(Some(k), c.items[i]))
                .collect(),
        };
        let mut matched: Vec<usize> = if query.filter.is_empty() {
            candidates
        } else {
            candidates
                .into_iter()
                .filter(|&i| self.atlas.get(c.items[i]).passes(&query.filter))
                .collect()
        };
        if let Some(cql) = &query.cql {
            matched.retain(|&i| cql.matches(queryables(self.atlas.get(c.items[i]))));
        }
        if !query.sortby.is_empty() {
            // Stable, so features equal under every key keep the collection's order.
            matched.sort_by(|&a, &b| {
                compare_by(
                    queryables(self.atlas.get(c.items[a])),
                    queryables(self.atlas.get(c.items[b])),
                    &query.sortby,
                )
            });
        }
        let rendered = &self.rendered.features(&self.atlas, crs_index(crs))[ci];
        Ok(ItemsPage {
            number_matched: matched.len(),
            features: matched
                .iter()
                .skip(query.offset)
                .take(query.limit)
                .map(|&i| &rendered[i])
                .collect(),
        })
    }

    fn item(&self, collection: &str, id: &str, crs: Crs) -> Result<&FeatureText, StoreError> {
        let ci = self.position(collection)?;
        let i = self
            .positions
            .get(ci)
            .and_then(|p| p.get(id))
            .copied()
            .ok_or_else(|| StoreError::UnknownFeature {
                collection: collection.to_string(),
                id: id.to_string(),
            })?;
        Ok(&self.rendered.features(&self.atlas, crs_index(crs))[ci][i])
    }

    fn bbox(&self, collection: &str, bbox: BBox) -> Result<Vec<&str>, StoreError> {
        let c = &self.atlas.collections[self.position(collection)?];
        Ok(c.index
            .within_bbox(bbox)
            .into_iter()
            .map(|i| self.atlas.get(c.items[i]).id())
            .collect())
    }

    fn near(&self, query: &NearQuery, crs: Crs) -> NearAnswer<'_> {
        let k = crs_index(crs);
        // (distance, range, inside, collection, item)
        let mut hits: Vec<(f64, [f64; 2], Inside, usize, usize)> = Vec::new();
        let mut searched = Vec::with_capacity(query.layers.len());
        let keep = self.selection(&query.reports);
        for layer in &query.layers {
            let Ok(ci) = self.position(layer.as_str()) else {
                continue;
            };
            searched.push(ci);
            let items = &self.atlas.collections[ci].items;
            let facts = &self.near_facts[ci];
            // A feature drawn up to its uncertainty beyond the radius may still lie within it,
            // so the tree is asked for the radius widened by the collection's largest doubt,
            // and each candidate is then judged by its own. No limit here: ties are ordered
            // below, before the answer is cut.
            let widened_m = query.radius_m + facts.max_uncertainty_m;
            for (i, d) in self.atlas.collections[ci].index.near(
                query.lon,
                query.lat,
                widened_m,
                usize::MAX,
                &|i| self.selected(keep.as_deref(), items[i]),
            ) {
                if let Some((range, inside)) = classify(d, facts.uncertainty_m[i], query.radius_m) {
                    hits.push((d, range, inside, ci, i));
                }
            }
        }
        let feature = |ci: usize, i: usize| self.atlas.get(self.atlas.collections[ci].items[i]);
        let area = |ci: usize, i: usize| self.near_facts[ci].area_m2[i];
        hits.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then_with(|| area(a.3, a.4).total_cmp(&area(b.3, b.4)))
                .then_with(|| feature(a.3, a.4).name().cmp(feature(b.3, b.4).name()))
                .then_with(|| feature(a.3, a.4).id().cmp(feature(b.3, b.4).id()))
        });
        hits.truncate(query.limit);
        NearAnswer {
            hits: hits
                .into_iter()
                .map(|(d, range, inside, ci, i)| NearHit {
                    distance_m: d,
                    distance_range_m: range,
                    inside,
                    feature: &self.rendered.features(&self.atlas, k)[ci][i],
                })
                .collect(),
            district_wide: match keep {
                None => searched
                    .into_iter()
                    .map(|ci| match query.district_wide {
                        DistrictWide::Brief => self.rendered.unlocated_brief[ci].as_str(),
                        DistrictWide::Full => {
                            self.rendered.unlocated_full(&self.atlas, k, ci, None)
                        }
                        DistrictWide::None => "",
                    })
                    .collect(),
                // Per selected report, in time order, so a list of several reads oldest first.
                Some(keep) => searched
                    .into_iter()
                    .flat_map(|ci| {
                        self.reports
                            .order
                            .iter()
                            .filter(|&&r| keep[r])
                            .map(move |&r| (ci, r))
                    })
                    .map(|(ci, r)| match query.district_wide {
                        DistrictWide::Brief => {
                            self.rendered.unlocated_brief_by_report[ci][r].as_str()
                        }
                        DistrictWide::Full => {
                            self.rendered.unlocated_full(&self.atlas, k, ci, Some(r))
                        }
                        DistrictWide::None => "",
                    })
                    .collect(),
            },
        }
    }

    fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit<'_>>, StoreError> {
        self.search_in(text, limit, &[])
    }

    fn search_in(
        &self,
        text: &str,
        limit: usize,
        reports: &[String],
    ) -> Result<Vec<SearchHit<'_>>, StoreError> {
        let keep = self.selection(reports);
        // The same normal form as the reports, so Traditional input and full-width digits find
        // the same names.
        let query = crate::gazetteer::normalise_name(text.trim());
        if query.is_empty() {
            return Err(StoreError::EmptyQuery);
        }
        let mut hits: Vec<(usize, SearchHit<'_>)> = Vec::new();
        for layer in Layer::ALL {
            let Some(c) = self.atlas.collection(layer.as_str()) else {
                continue;
            };
            for &r in &c.items {
                if !self.selected(keep.as_deref(), r) {
                    continue;
                }
                let FeatureView::Planned(f) = self.atlas.get(r) else {
                    continue;
                };
                let Some(matched) = search_match(&f.name, &f.aliases, &f.quote, &query) else {
                    continue;
                };
                let center = f
                    .geometry
                    .as_ref()
                    .and_then(|g| g.interior_point().or_else(|| g.centroid()))
                    .map(|p| (p.x(), p.y()));
                hits.push((
                    f.name.chars().count(),
                    SearchHit {
                        id: &f.id,
                        name: &f.name,
                        layer,
                        kind: &f.kind,
                        matched,
                        center,
                    },
                ));
            }
        }
        // Stable: equal ranks keep layer and report order.
        hits.sort_by_key(|(len, h)| (h.matched, *len));
        hits.truncate(limit);
        Ok(hits.into_iter().map(|(_, h)| h).collect())
    }

    fn report(&self, id: Option<&str>) -> Result<&str, StoreError> {
        let index = match id {
            None => (!self.atlas.reports.is_empty()).then_some(0),
            Some(id) => self.atlas.reports.iter().position(|r| r.id == id),
        }
        .ok_or_else(|| StoreError::UnknownReport(id.unwrap_or_default().to_string()))?;
        Ok(self.rendered.report(&self.atlas, index))
    }

    fn health(&self) -> HealthInfo {
        self.health.clone()
    }

    fn report_ids(&self) -> Vec<&str> {
        self.reports
            .order
            .iter()
            .map(|&r| self.atlas.reports[r].id.as_str())
            .collect()
    }

    fn reports(&self) -> &str {
        &self.reports.list
    }

    fn place(&self, id: &str) -> Result<String, StoreError> {
        self.reports
            .place_json(&self.atlas, id)
            .map(|v| v.to_string())
            .ok_or_else(|| StoreError::UnknownPlace(id.to_string()))
    }

    fn compare(&self, a: &str, b: &str) -> Result<String, StoreError> {
        let position = |id: &str| {
            Reports::position(&self.atlas, id)
                .ok_or_else(|| StoreError::UnknownReport(id.to_string()))
        };
        let (a, b) = (position(a)?, position(b)?);
        Ok(self.reports.compare_json(&self.atlas, a, b).to_string())
    }
}
