//! Several reports in one atlas: which report is which (id, title, district, year, kind), the
//! features of each, the places they share, and what changed between two of them.
//!
//! Input: a built [`Atlas`] (its reports, their [`crate::report::meta::ReportMeta`] and the
//! planned features, each carrying its `place`). Output: a [`Reports`] index whose answers
//! are JSON: the list of reports with counts (`/api/reports`), one place's commitments in time
//! order (`/api/places/{id}`) and a comparison of two reports
//! (`/api/reports/{a}/compare/{b}`). Reports are put in time order by year, then id; a report
//! without a year comes after those with one. Costs: building is linear in the features; a
//! place answer is linear in its commitments; a comparison is linear in the two reports'
//! features.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::Atlas;
use super::render::item_path;
use crate::plan::{PlannedFeature, geometry_json};

/// The atlas's reports indexed for the report, place and compare routes.
#[derive(Debug, Clone)]
pub struct Reports {
    /// Report positions (in `Atlas::reports`) in time order.
    pub order: Vec<usize>,
    /// Per report position: its rank in time order.
    rank: Vec<usize>,
    /// Per report position: the positions (in `Atlas::features`) of its features.
    pub features: Vec<Vec<usize>>,
    /// Place id → its features, in time order of their reports, then report order.
    places: HashMap<String, Vec<usize>>,
    /// The `/api/reports` answer, rendered once.
    pub list: String,
}

impl Reports {
    /// Indexes the atlas's reports and places.
    #[must_use]
    pub fn new(atlas: &Atlas) -> Reports {
        let n = atlas.reports.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let (ma, mb) = (&atlas.metas[a], &atlas.metas[b]);
            (ma.year.is_none(), ma.year, &ma.id).cmp(&(mb.year.is_none(), mb.year, &mb.id))
        });
        let mut rank = vec![0; n];
        for (r, &i) in order.iter().enumerate() {
            rank[i] = r;
        }
        let position: HashMap<&str, usize> = atlas
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut features = vec![Vec::new(); n];
        let mut places: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in atlas.features.iter().enumerate() {
            if let Some(&r) = position.get(f.report.as_str()) {
                features[r].push(i);
            }
            places.entry(f.place.clone()).or_default().push(i);
        }
        for list in places.values_mut() {
            // Stable: features of one report keep their report order.
            list.sort_by_key(|&i| {
                position
                    .get(atlas.features[i].report.as_str())
                    .map(|&r| rank[r])
            });
        }
        let mut reports = Reports {
            order,
            rank,
            features,
            places,
            list: String::new(),
        };
        reports.list = reports.list_json(atlas).to_string();
        reports
    }

    /// The index of an atlas with the same reports and features as the one `self` indexes
    /// (a correction changed only placements): everything kept but the list, whose located
    /// counts are made again.
    #[must_use]
    pub fn with_same_features(&self, atlas: &Atlas) -> Reports {
        let mut reports = Reports {
            list: String::new(),
            ..self.clone()
        };
        reports.list = reports.list_json(atlas).to_string();
        reports
    }

    /// The position of a report by id.
    #[must_use]
    pub fn position(atlas: &Atlas, id: &str) -> Option<usize> {
        atlas.reports.iter().position(|r| r.id == id)
    }

    /// The newest report: the last in time order.
    #[must_use]
    pub fn newest(&self) -> Option<usize> {
        self.order.last().copied()
    }

    fn list_json(&self, atlas: &Atlas) -> Value {
        // The places named in more than one report, found once (not per feature).
        let in_several: std::collections::HashSet<&str> = self
            .places
            .iter()
            .filter(|(_, list)| {
                list.first().is_some_and(|&first| {
                    list.iter()
                        .any(|&j| atlas.features[j].report != atlas.features[first].report)
                })
            })
            .map(|(p, _)| p.as_str())
            .collect();
        let reports: Vec<Value> = self
            .order
            .iter()
            .map(|&r| {
                let meta = &atlas.metas[r];
                let features = &self.features[r];
                let count = |layer: &str| {
                    features
                        .iter()
                        .filter(|&&i| atlas.features[i].layer.as_str() == layer)
                        .count()
                };
                let located = features
                    .iter()
                    .filter(|&&i| atlas.features[i].geometry.is_some())
                    .count();
                let shared = features
                    .iter()
                    .filter(|&&i| in_several.contains(atlas.features[i].place.as_str()))
                    .count();
                json!({
                    "id": meta.id,
                    "title": meta.title,
                    "district": meta.district,
                    "year": meta.year,
                    "kind": meta.kind,
                    "sources": meta.sources,
                    "counts": {
                        "features": features.len(),
                        "located": located,
                        "unlocated": features.len() - located,
                        "zones": count("zones"),
                        "streets": count("streets"),
                        "projects": count("projects"),
                        "in_other_reports": shared,
                    },
                    "href": report_path(&meta.id),
                    "uploaded": atlas.uploaded.get(r).copied().unwrap_or(false),
                })
            })
            .collect();
        json!({
            "reports": reports,
            "newest": self.newest().map(|r| atlas.reports[r].id.as_str()),
            "places": self.places.len(),
        })
    }

    /// The `/api/places/{id}` answer: the place, its latest drawn geometry (WGS-84) and its
    /// commitments in time order; `None` for an unknown place.
    #[must_use]
    pub fn place_json(&self, atlas: &Atlas, place: &str) -> Option<Value> {
        let list = self.places.get(place)?;
        let latest = &atlas.features[*list.last()?];
        let drawn = list
            .iter()
            .rev()
            .find_map(|&i| atlas.features[i].geometry.as_ref());
        let commitments: Vec<Value> = list
            .iter()
            .map(|&i| {
                let f = &atlas.features[i];
                let mut c = commitment(f);
                if let Some(r) = Reports::position(atlas, &f.report) {
                    c["year"] = json!(atlas.metas[r].year);
                    c["report_title"] = json!(atlas.metas[r].title);
                }
                c
            })
            .collect();
        Some(json!({
            "place": place,
            "name": latest.name,
            "layer": latest.layer,
            "kind": latest.kind,
            "geometry": drawn.map(|g| geometry_json(g, &|lon, lat| (lon, lat))),
            "reports": list.iter().map(|&i| atlas.features[i].report.as_str()).collect::<Vec<_>>(),
            "commitments": commitments,
        }))
    }

    /// The `/api/reports/{a}/compare/{b}` answer: places new in `b`, dropped since `a`, and
    /// continued, each with its commitment in both; `a` and `b` are report positions.
    #[must_use]
    pub fn compare_json(&self, atlas: &Atlas, a: usize, b: usize) -> Value {
        // The first feature of each place in each report, in report order.
        let firsts = |r: usize| {
            let mut seen: Vec<(&str, usize)> = Vec::new();
            for &i in &self.features[r] {
                let p = atlas.features[i].place.as_str();
                if !seen.iter().any(|(q, _)| *q == p) {
                    seen.push((p, i));
                }
            }
            seen
        };
        let (in_a, in_b) = (firsts(a), firsts(b));
        let find =
            |list: &[(&str, usize)], p: &str| list.iter().find(|(q, _)| *q == p).map(|x| x.1);
        let mut new = Vec::new();
        let mut continued = Vec::new();
        for &(p, j) in &in_b {
            match find(&in_a, p) {
                None => new.push(entry(&atlas.features[j])),
                Some(i) => {
                    let (fa, fb) = (&atlas.features[i], &atlas.features[j]);
                    let verb = |f: &PlannedFeature| f.action.as_ref().map(|x| x.verb.clone());
                    let status = |f: &PlannedFeature| f.action.as_ref().map(|x| x.status);
                    continued.push(json!({
                        "place": p,
                        "name": fb.name,
                        "layer": fb.layer,
                        "kind": fb.kind,
                        "status_changed": status(fa) != status(fb),
                        "verb_changed": verb(fa) != verb(fb),
                        "targets_changed": fa.targets != fb.targets,
                        "change": format!(
                            "{} → {}",
                            verb(fa).unwrap_or_else(|| "—".into()),
                            verb(fb).unwrap_or_else(|| "—".into())
                        ),
                        "a": commitment(fa),
                        "b": commitment(fb),
                    }));
                }
            }
        }
        let dropped: Vec<Value> = in_a
            .iter()
            .filter(|(p, _)| find(&in_b, p).is_none())
            .map(|&(_, i)| entry(&atlas.features[i]))
            .collect();
        let about = |r: usize| {
            let m = &atlas.metas[r];
            json!({"id": m.id, "title": m.title, "year": m.year, "district": m.district})
        };
        json!({
            "a": about(a),
            "b": about(b),
            "earlier_first": self.rank[a] <= self.rank[b],
            "counts": {"new": new.len(), "dropped": dropped.len(), "continued": continued.len()},
            "new": new,
            "dropped": dropped,
            "continued": continued,
        })
    }
}

/// A place's commitment in one report: the feature and what its sentence says.
fn commitment(f: &PlannedFeature) -> Value {
    json!({
        "report": f.report,
        "feature": f.id,
        "href": item_path(f.layer.as_str(), &f.id),
        "name": f.name,
        "verb": f.action.as_ref().map(|a| a.verb.as_str()),
        "status": f.action.as_ref().map(|a| a.status),
        "targets": f.targets,
        "quote": f.quote,
        "section": f.section,
        "located": f.geometry.is_some(),
    })
}

/// A place in one report only (new or dropped in a comparison).
fn entry(f: &PlannedFeature) -> Value {
    json!({
        "place": f.place,
        "name": f.name,
        "layer": f.layer,
        "kind": f.kind,
        "commitment": commitment(f),
    })
}

/// The path of a report on the API (`/api/reports/{id}`, the id percent-encoded).
#[must_use]
pub fn report_path(id: &str) -> String {
    format!("/api/reports/{}", encode(id))
}

/// A report id as one path segment.
fn encode(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}
