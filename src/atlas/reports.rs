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
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use super::Atlas;
use super::render::item_path;
use crate::plan::{Layer, PlannedFeature, geometry_json};
use crate::report::meta::MetaSources;

/// The atlas's reports indexed for the report, place and compare routes.
///
/// What depends on which features exist only (per-report feature lists, places, the counts
/// that do not look at geometry) is shared (`Arc`) between the indexes of an atlas and of
/// its corrections; the `/api/reports` answer is kept per report, so a correction renders
/// again only the entries whose located count it changed.
#[derive(Debug, Clone)]
pub struct Reports {
    /// Report positions (in `Atlas::reports`) in time order.
    pub order: Vec<usize>,
    /// Per report position: its rank in time order.
    rank: Vec<usize>,
    /// Per report position: the positions (in `Atlas::features`) of its features.
    pub features: Arc<Vec<Vec<usize>>>,
    /// Place id → its features, in time order of their reports, then report order.
    places: Arc<HashMap<String, Vec<usize>>>,
    /// Per report position: how many of its features name a place another report names.
    shared: Arc<Vec<usize>>,
    /// Per report position: how many of its features are in each layer, in the order of
    /// `Layer::ALL` (kept, so a correction renders an entry without visiting its features).
    layers: Arc<Vec<[usize; 3]>>,
    /// Per report position: how many of its features are located.
    located: Vec<usize>,
    /// Per rank in time order: that report's entry of the list, as JSON text.
    entries: Vec<Arc<str>>,
    /// The list's text before and after its entries.
    frame: Arc<(String, String)>,
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
        let mut layers = vec![[0; 3]; n];
        let mut places: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in atlas.features.iter().enumerate() {
            if let Some(&r) = position.get(f.report.as_str()) {
                features[r].push(i);
                if let Some(l) = Layer::ALL.iter().position(|&l| l == f.layer) {
                    layers[r][l] += 1;
                }
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
        let features = Arc::new(features);
        let places = Arc::new(places);
        let shared = Arc::new(shared_counts(atlas, &features, &places));
        let located = located_counts(atlas, &features);
        let mut reports = Reports {
            order,
            rank,
            features,
            places,
            shared,
            layers: Arc::new(layers),
            located,
            entries: Vec::new(),
            frame: Arc::new((String::new(), String::new())),
            list: String::new(),
        };
        reports.entries = (0..n)
            .map(|k| reports.entry_text(atlas, reports.order[k]))
            .collect();
        reports.frame = Arc::new(reports.frame_text(atlas));
        reports.list = reports.list_text();
        reports
    }

    /// The index of an atlas with the same reports and features as the one `self` indexes
    /// (a correction changed only placements): everything kept but the located counts, and
    /// the list entries of the reports whose located count changed. `changed` holds the
    /// features the change replaced, as (position in `Atlas::features`, located before,
    /// located now); `report_of` the report position of every feature.
    #[must_use]
    pub fn with_changed(
        &self,
        atlas: &Atlas,
        changed: &[(usize, bool, bool)],
        report_of: &[usize],
    ) -> Reports {
        let mut located = self.located.clone();
        for &(k, was, is) in changed {
            if let Some(n) = report_of.get(k).and_then(|&r| located.get_mut(r)) {
                *n = (*n + usize::from(is)).saturating_sub(usize::from(was));
            }
        }
        let mut reports = Reports {
            located,
            list: String::new(),
            ..self.clone()
        };
        for (k, &r) in self.order.iter().enumerate() {
            if reports.located[r] != self.located[r] {
                reports.entries[k] = reports.entry_text(atlas, r);
            }
        }
        reports.list = reports.list_text();
        reports
    }

    /// The `/api/reports` answer: the frame around the entries, comma-joined (what
    /// serialising the whole list as one JSON value gives).
    fn list_text(&self) -> String {
        let (head, tail) = &*self.frame;
        let body: usize = self.entries.iter().map(|e| e.len() + 1).sum();
        let mut list = String::with_capacity(head.len() + body + tail.len());
        list.push_str(head);
        for (k, entry) in self.entries.iter().enumerate() {
            if k > 0 {
                list.push(',');
            }
            list.push_str(entry);
        }
        list.push_str(tail);
        list
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

    /// The list's text around its entries: everything up to and including `"reports":[`,
    /// and from its `]` on. Rendered with an empty list, then cut there: a string value in
    /// the rest (an id, a title) shows a quote only escaped, so `"reports":[]` is the key.
    fn frame_text(&self, atlas: &Atlas) -> (String, String) {
        let text = json!({
            "reports": [],
            "newest": self.newest().map(|r| atlas.reports[r].id.as_str()),
            "places": self.places.len(),
        })
        .to_string();
        let key = "\"reports\":[";
        let at = text.find(key).map_or(0, |i| i + key.len());
        (text[..at].to_owned(), text[at..].to_owned())
    }

    /// One report's entry of the list (report position `r`), as JSON text: serialised from
    /// borrowed fields, no JSON tree (a correction renders one entry per report it touches).
    fn entry_text(&self, atlas: &Atlas, r: usize) -> Arc<str> {
        let meta = &atlas.metas[r];
        let features = self.features[r].len();
        let [zones, streets, projects] = self.layers[r];
        let located = self.located[r];
        let entry = Entry {
            id: &meta.id,
            title: &meta.title,
            district: meta.district.as_deref(),
            year: meta.year,
            kind: &meta.kind,
            sources: &meta.sources,
            counts: Counts {
                features,
                located,
                unlocated: features - located,
                zones,
                streets,
                projects,
                in_other_reports: self.shared[r],
            },
            href: report_path(&meta.id),
            uploaded: atlas.uploaded.get(r).copied().unwrap_or(false),
        };
        serde_json::to_string(&entry)
            .unwrap_or_else(|_| "null".into())
            .into()
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

/// A report's entry of the `/api/reports` list, members in the order served.
#[derive(Serialize)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    district: Option<&'a str>,
    year: Option<i32>,
    kind: &'a str,
    sources: &'a MetaSources,
    counts: Counts,
    href: String,
    uploaded: bool,
}

/// The counts of a report's entry.
#[derive(Serialize)]
struct Counts {
    features: usize,
    located: usize,
    unlocated: usize,
    zones: usize,
    streets: usize,
    projects: usize,
    in_other_reports: usize,
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

/// Per report position: how many of its features are located.
fn located_counts(atlas: &Atlas, features: &[Vec<usize>]) -> Vec<usize> {
    features
        .iter()
        .map(|list| {
            list.iter()
                .filter(|&&i| atlas.features[i].geometry.is_some())
                .count()
        })
        .collect()
}

/// Per report position: how many of its features name a place named in more than one
/// report (the places are found once, not per feature).
fn shared_counts(
    atlas: &Atlas,
    features: &[Vec<usize>],
    places: &HashMap<String, Vec<usize>>,
) -> Vec<usize> {
    let in_several: std::collections::HashSet<&str> = places
        .iter()
        .filter(|(_, list)| {
            list.first().is_some_and(|&first| {
                list.iter()
                    .any(|&j| atlas.features[j].report != atlas.features[first].report)
            })
        })
        .map(|(p, _)| p.as_str())
        .collect();
    features
        .iter()
        .map(|list| {
            list.iter()
                .filter(|&&i| in_several.contains(atlas.features[i].place.as_str()))
                .count()
        })
        .collect()
}
