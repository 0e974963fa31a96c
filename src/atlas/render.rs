//! The atlas as JSON text, rendered once per collection, feature and coordinate system: the
//! one place typed features become GeoJSON. The hot routes (items, near) then assemble
//! answers by concatenating text instead of building and serialising JSON trees on every
//! request.
//!
//! Planned features are served with their location in planners' words
//! ([`crate::geocode::confidence`]) and district-wide items marked `scope: district`
//! ([`super::scope`]).
//!
//! Near's `district_wide` list (the district-wide items only, never places we failed to
//! locate) is rendered in two forms, for every report and per report: whole features, and
//! brief references ([`crate::plan::Brief`]) that point at the items route; the list is the
//! same for every point, so repeating whole features in every answer mostly costs bytes.
//! Memory: WGS-84 is rendered when the store is made; the other systems, whole district-wide
//! lists and report answers on first use; a feature's properties text is shared by every
//! system.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use geo::{CoordsIter, Geometry};

use serde::Serialize;
use serde_json::{Value, json};

use super::scope::is_district_wide;
use super::{Atlas, FeatureView};
use crate::datum::Crs;
use crate::geocode::confidence::served_location;
use crate::plan::{Family, Layer, Location, PlannedFeature, Properties, geometry_json, in_family};
use crate::store::{FeatureText, Head};

/// What stays literal of an id in a URL path: unreserved characters and `/` (ids hold `/`,
/// the item route takes the rest of the path).
const ID_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The path of a feature on the items route, percent-encoded (ids hold `/` and Chinese).
#[must_use]
pub fn item_path(collection: &str, id: &str) -> String {
    let encoded = percent_encoding::utf8_percent_encode(id, ID_IN_PATH);
    format!("/api/collections/{collection}/items/{encoded}")
}

fn to_text<T: Serialize>(value: &T) -> String {
    // Derived Serialize impls of strings, numbers and options cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// The geometry members of features' heads already rendered in one datum, keyed by what
/// decides them (family, placement, uncertainty): a correction gives one place the same
/// placement in every report, so its features share one rendering instead of building the
/// same 64-vertex disc and its JSON once per report.
#[derive(Default)]
struct GeometryMemo {
    /// By a hash of the key: the full keys (family, uncertainty's bits, placement) and text.
    seen: HashMap<u64, Vec<Memoised>>,
}

/// One rendering in [`GeometryMemo`] with what decided it.
type Memoised = (Family, Option<u64>, Geometry<f64>, Arc<str>);

impl GeometryMemo {
    /// `"geometry":…` and, when the served geometry is a stand-in, `,"placement":…` of a
    /// planned feature in `crs`.
    fn members(&mut self, p: &PlannedFeature, crs: Crs) -> Arc<str> {
        let Some(g) = p.geometry.as_ref() else {
            return Arc::from("\"geometry\":null");
        };
        let family = Family::of_layer(p.layer);
        let u = p.location.uncertainty_m.map(f64::to_bits);
        let mut hasher = std::hash::DefaultHasher::new();
        (family as u8, u).hash(&mut hasher);
        for c in g.coords_iter() {
            (c.x.to_bits(), c.y.to_bits()).hash(&mut hasher);
        }
        let bucket = self.seen.entry(hasher.finish()).or_default();
        if let Some((.., text)) = bucket
            .iter()
            .find(|(f, v, h, _)| *f == family && *v == u && h == g)
        {
            return Arc::clone(text);
        }
        let to = |lon: f64, lat: f64| crs.from_wgs84(lon, lat);
        let (served, _) = in_family(family, g, p.location.uncertainty_m);
        let mut text = format!("\"geometry\":{}", geometry_json(&served, &to));
        if *g != served {
            let _ = write!(text, ",\"placement\":{}", geometry_json(g, &to));
        }
        let text: Arc<str> = Arc::from(text);
        bucket.push((family, u, g.clone(), Arc::clone(&text)));
        text
    }
}

/// The geometry members of a feature's GeoJSON text in `crs`. A planned feature's
/// geometry is served in its layer's family (`plan::in_family`); when that is not the
/// placement as stored (a zone's uncertainty disc, or a point written as a multipoint) the
/// placement itself follows as the foreign member `placement`, which the page draws and edits.
fn geometry_members(f: FeatureView<'_>, crs: Crs, memo: &mut GeometryMemo) -> Arc<str> {
    match f {
        FeatureView::Planned(p) => memo.members(p, crs),
        FeatureView::Context(_) => {
            let to = |lon: f64, lat: f64| crs.from_wgs84(lon, lat);
            let g = f.geometry().map_or(Value::Null, |g| geometry_json(g, &to));
            Arc::from(format!("\"geometry\":{g}"))
        }
    }
}

/// The head of a feature's GeoJSON text in `crs`: type, id and geometry.
fn feature_head(f: FeatureView<'_>, crs: Crs, memo: &mut GeometryMemo) -> Head {
    Head::new(Arc::from(to_text(&f.id())), geometry_members(f, crs, memo))
}

/// One feature as GeoJSON text in `crs`.
fn feature_text(
    f: FeatureView<'_>,
    crs: Crs,
    year: Option<i32>,
    memo: &mut GeometryMemo,
) -> FeatureText {
    let head = feature_head(f, crs, memo);
    match f {
        FeatureView::Planned(p) => {
            let (properties, placed) = served_properties(p, year);
            FeatureText::with_placed(head, &properties, &placed)
        }
        FeatureView::Context(c) => FeatureText::new(head, &to_text(&c.properties_view())),
    }
}

/// A planned feature's properties as served: the location in planners' words (Chinese
/// source, confidence from the evidence; `geocode::confidence`) and `"scope":"district"` on
/// items that apply to the whole district; and, second, the object of the members its
/// placement decides, as they are written inside the first.
fn served_properties(p: &PlannedFeature, year: Option<i32>) -> (String, String) {
    let served = served_location(&p.location);
    let mut view = served_view(p, &served);
    view.year = year;
    let mut text = to_text(&view);
    if is_district_wide(p) && text.ends_with('}') {
        text.pop();
        text.push_str(",\"scope\":\"district\"}");
    }
    (text, to_text(&view.placed))
}

/// The placed runs rendered in one change, by what decides them: the features of one place
/// in other reports share their correction's location and geometry, so one rendering serves
/// them all.
#[derive(Default)]
struct PlacedMemo {
    /// Few: a correction gives its own feature one location and the others another.
    seen: Vec<PlacedRun>,
}

/// One placed run with what decided it.
type PlacedRun = (Layer, Location, Option<Geometry<f64>>, Arc<str>);

impl PlacedMemo {
    /// Runs kept at most; past them (a change that places many things apart) each is
    /// rendered on its own.
    const KEPT: usize = 16;

    fn text(&mut self, p: &PlannedFeature) -> Arc<str> {
        if let Some((.., text)) = self
            .seen
            .iter()
            .find(|(l, loc, g, _)| *l == p.layer && *loc == p.location && *g == p.geometry)
        {
            return Arc::clone(text);
        }
        let text = FeatureText::placed_run(&placed_properties(p));
        if self.seen.len() < Self::KEPT {
            self.seen.push((
                p.layer,
                p.location.clone(),
                p.geometry.clone(),
                Arc::clone(&text),
            ));
        }
        text
    }
}

/// Only the members a planned feature's placement decides, as [`served_properties`] writes
/// them: what a correction re-renders.
fn placed_properties(p: &PlannedFeature) -> String {
    let served = served_location(&p.location);
    to_text(&served_view(p, &served).placed)
}

/// A planned feature's properties view with its location `served` in planners' words.
fn served_view<'a>(p: &'a PlannedFeature, served: &'a Location) -> Properties<'a> {
    let mut view = p.properties_view();
    view.placed.location.location = served;
    view.placed.confidence = served.confidence;
    view
}

/// The year of a planned feature's report, when the report states one.
fn report_year(atlas: &Atlas, f: FeatureView<'_>) -> Option<i32> {
    let FeatureView::Planned(p) = f else {
        return None;
    };
    atlas.metas.iter().find(|m| m.id == p.report)?.year
}

/// Whether a collection's items are all the old ones at the same positions.
pub(super) fn unchanged(reuse: &[Option<usize>], old_len: usize) -> bool {
    reuse.len() == old_len && reuse.iter().enumerate().all(|(i, r)| *r == Some(i))
}

/// A collection's rendered texts in one datum, in shared chunks.
type Items = crate::chunked::Chunked<FeatureText>;

/// Every feature of the atlas, rendered in every coordinate system, and the report answers.
///
/// Rendered at once: every feature (the hot routes serve them) and the brief district-wide
/// lists. Rendered on first use, then kept: the whole-feature district-wide lists
/// (`district_wide=full`, rarely asked) and each report's `/api/report` answer, so memory
/// grows with what is asked, not with every form of every report.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `[crs][collection][item]`, in `Crs::ALL` and `Atlas::collections` order; see
    /// [`Rendered::features`].
    features: Vec<OnceLock<Vec<Items>>>,
    /// `[collection]`: brief references to the district-wide items (`scope: district`),
    /// comma-joined. Places we could not locate are not among them.
    pub unlocated_brief: Arc<Vec<String>>,
    /// `[collection][report]`: brief references to one report's district-wide items.
    pub unlocated_brief_by_report: Arc<Vec<Vec<String>>>,
    /// `[crs][collection]`: the district-wide items, comma-joined (near's `district_wide=full`).
    unlocated: Vec<Vec<OnceLock<String>>>,
    /// `[crs][collection][report]`: one report's district-wide items, comma-joined.
    unlocated_by_report: Vec<Vec<Vec<OnceLock<String>>>>,
    /// `[report]`: the `/api/report` answer.
    reports: Vec<OnceLock<String>>,
}

/// The position of a datum in `Crs::ALL`, the first index of [`Rendered::features`].
#[must_use]
pub fn crs_index(crs: Crs) -> usize {
    Crs::ALL.iter().position(|c| *c == crs).unwrap_or(0)
}

impl Rendered {
    /// Renders the atlas.
    #[must_use]
    pub fn new(atlas: &Atlas) -> Rendered {
        // The first datum (WGS-84, what the page and GIS clients ask for) is rendered now; the
        // others on first use, sharing its properties' text (only the geometry differs).
        let mut memo = GeometryMemo::default();
        let first: Vec<Items> = atlas
            .collections
            .iter()
            .map(|c| {
                c.items
                    .iter()
                    .map(|&r| {
                        let f = atlas.get(r);
                        feature_text(f, Crs::ALL[0], report_year(atlas, f), &mut memo)
                    })
                    .collect()
            })
            .collect();
        let features: Vec<OnceLock<Vec<Items>>> = std::iter::once(OnceLock::from(first))
            .chain(Crs::ALL[1..].iter().map(|_| OnceLock::new()))
            .collect();
        Rendered {
            features,
            ..Rendered::lists(atlas)
        }
    }

    /// Everything but the features: the brief district-wide lists now, the rest on first use.
    fn lists(atlas: &Atlas) -> Rendered {
        Rendered::lazy(
            atlas,
            Arc::new(Rendered::briefs(atlas)),
            Arc::new(brief_by_report(atlas)),
        )
    }

    /// Near's brief district-wide lists per collection.
    fn briefs(atlas: &Atlas) -> Vec<String> {
        atlas
            .collections
            .iter()
            .map(|c| {
                c.items
                    .iter()
                    .filter_map(|&r| match atlas.get(r) {
                        FeatureView::Planned(f) if is_district_wide(f) => {
                            Some(to_text(&f.brief(item_path(&c.id, &f.id))))
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    }

    /// The given brief lists; features, whole district-wide lists and report answers to be
    /// rendered on first use.
    fn lazy(
        atlas: &Atlas,
        unlocated_brief: Arc<Vec<String>>,
        unlocated_brief_by_report: Arc<Vec<Vec<String>>>,
    ) -> Rendered {
        let n = atlas.reports.len();
        let collections = atlas.collections.len();
        let lazy = |k: usize| (0..k).map(|_| OnceLock::new()).collect::<Vec<_>>();
        Rendered {
            features: Crs::ALL.iter().map(|_| OnceLock::new()).collect(),
            unlocated_brief,
            unlocated_brief_by_report,
            unlocated: Crs::ALL.iter().map(|_| lazy(collections)).collect(),
            unlocated_by_report: Crs::ALL
                .iter()
                .map(|_| (0..collections).map(|_| lazy(n)).collect())
                .collect(),
            reports: lazy(n),
        }
    }

    /// The rendering of an atlas made from the one `self` rendered by a change: a feature
    /// that is the same `Arc` as before (`reuse[collection][item]` is its old position in
    /// that collection) keeps its text in every datum rendered so far (the text is shared,
    /// not copied); the others are rendered now. With `same_features` (the same features in
    /// every collection and the same reports: a correction) the brief district-wide lists are
    /// kept (a brief holds no geometry, and what is district-wide depends on name and kind
    /// only), else made again; whole lists and report answers are rendered on first use.
    #[must_use]
    pub fn derive(
        &self,
        atlas: &Atlas,
        previous: &Atlas,
        reuse: &[Vec<Option<usize>>],
        same_features: bool,
    ) -> Rendered {
        let mut features: Vec<OnceLock<Vec<Items>>> = Vec::with_capacity(Crs::ALL.len());
        for (k, cell) in self.features.iter().enumerate() {
            let old = cell.get();
            // WGS-84 is always rendered; another datum only if it was before.
            if k > 0 && old.is_none() {
                features.push(OnceLock::new());
                continue;
            }
            let first = features.first().and_then(OnceLock::get);
            let mut memo = GeometryMemo::default();
            let mut placed_memo = PlacedMemo::default();
            let made: Vec<Items> = atlas
                .collections
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let old = old.and_then(|o| o.get(ci));
                    let kept = |i: usize| reuse[ci][i] == Some(i);
                    Items::derive(old, c.items.len(), kept, |i| {
                        let r = c.items[i];
                        match (reuse[ci][i], old) {
                            (Some(j), Some(o)) => o[j].clone(),
                            (None, Some(o)) if k == 0 && same_features => {
                                match (atlas.get(r), previous.get(r)) {
                                    (FeatureView::Planned(now), FeatureView::Planned(before))
                                        if o[i].has_placed() && now.same_but_placement(before) =>
                                    {
                                        o[i].replaced(
                                            geometry_members(atlas.get(r), Crs::ALL[k], &mut memo),
                                            placed_memo.text(now),
                                        )
                                    }
                                    _ => feature_text(
                                        atlas.get(r),
                                        Crs::ALL[k],
                                        report_year(atlas, atlas.get(r)),
                                        &mut memo,
                                    ),
                                }
                            }
                            _ => match first {
                                Some(first) if k > 0 => first[ci][i].with_geometry(
                                    geometry_members(atlas.get(r), Crs::ALL[k], &mut memo),
                                ),
                                _ => feature_text(
                                    atlas.get(r),
                                    Crs::ALL[k],
                                    report_year(atlas, atlas.get(r)),
                                    &mut memo,
                                ),
                            },
                        }
                    })
                })
                .collect();
            features.push(OnceLock::from(made));
        }
        let rest = if same_features {
            Rendered::lazy(
                atlas,
                Arc::clone(&self.unlocated_brief),
                Arc::clone(&self.unlocated_brief_by_report),
            )
        } else {
            Rendered::lists(atlas)
        };
        Rendered { features, ..rest }
    }

    /// Every feature in datum `k` (a position in `Crs::ALL`), `[collection][item]`: rendered
    /// when the store is made for WGS-84, on first use for the others.
    #[must_use]
    pub fn features(&self, atlas: &Atlas, k: usize) -> &Vec<Items> {
        self.features[k].get_or_init(|| {
            let crs = Crs::ALL[k];
            let first = self.features(atlas, 0);
            let mut memo = GeometryMemo::default();
            atlas
                .collections
                .iter()
                .zip(first)
                .map(|(c, rendered)| {
                    c.items
                        .iter()
                        .zip(rendered.iter())
                        .map(|(&r, text)| {
                            text.with_geometry(geometry_members(atlas.get(r), crs, &mut memo))
                        })
                        .collect()
                })
                .collect()
        })
    }

    /// The district-wide items of collection `ci` in datum `k` as whole features, comma-joined:
    /// of every report, or of report position `report` only.
    #[must_use]
    pub fn unlocated_full(
        &self,
        atlas: &Atlas,
        k: usize,
        ci: usize,
        report: Option<usize>,
    ) -> &str {
        let cell = match report {
            None => &self.unlocated[k][ci],
            Some(r) => &self.unlocated_by_report[k][ci][r],
        };
        cell.get_or_init(|| {
            let c = &atlas.collections[ci];
            let wanted = report.map(|r| atlas.reports[r].id.as_str());
            let mut out = String::new();
            for (text, &r) in self.features(atlas, k)[ci].iter().zip(&c.items) {
                let FeatureView::Planned(f) = atlas.get(r) else {
                    continue;
                };
                if is_district_wide(f) && wanted.is_none_or(|w| f.report == w) {
                    if !out.is_empty() {
                        out.push(',');
                    }
                    text.write(&mut out);
                }
            }
            out
        })
    }

    /// The `/api/report` answer of report position `index`.
    #[must_use]
    pub fn report(&self, atlas: &Atlas, index: usize) -> &str {
        self.reports[index].get_or_init(|| report_text(atlas, index))
    }
}

/// Near's brief district-wide lists split by report: `[collection][report]`, comma-joined.
fn brief_by_report(atlas: &Atlas) -> Vec<Vec<String>> {
    let positions: std::collections::HashMap<&str, usize> = atlas
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let position = |id: &str| positions.get(id).copied();
    let n = atlas.reports.len();
    atlas
        .collections
        .iter()
        .map(|c| {
            let mut out = vec![String::new(); n];
            for &r in &c.items {
                if let FeatureView::Planned(f) = atlas.get(r)
                    && is_district_wide(f)
                    && let Some(i) = position(&f.report)
                {
                    if !out[i].is_empty() {
                        out[i].push(',');
                    }
                    out[i].push_str(&to_text(&f.brief(item_path(&c.id, &f.id))));
                }
            }
            out
        })
        .collect()
}

/// The `/api/report` answer for report number `index`: text, sections, sentences with the
/// feature ids each mentions, and the items the gazetteer could not place.
fn report_text(atlas: &Atlas, index: usize) -> String {
    let report = &atlas.reports[index];
    let by_sentence = atlas.sentence_features(report);
    let sentences: Vec<Value> = report
        .sentences
        .iter()
        .map(|st| {
            json!({
                "id": st.id,
                "section_id": st.section_id,
                "start": st.start,
                "end": st.end,
                "feature_ids": by_sentence.get(&st.id).cloned().unwrap_or_default(),
            })
        })
        .collect();
    json!({
        "id": report.id,
        "title": report.title,
        "text": report.text,
        "reports": atlas.reports.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        "sections": report.sections,
        "sentences": sentences,
        // Every numeric target with its sentence and owner: `district` (an aggregate, or no
        // place bound) or the places the clause binds it to, with their feature ids.
        "targets": report.targets.iter().map(|t| json!({
            "sentence_id": t.sentence_id,
            "metric": t.target.metric,
            "value": t.target.value,
            "unit": t.target.unit,
            "text": t.target.text,
            "owner": t.owner,
            "places": t.places,
            "feature_ids": atlas.features_named(&report.id, &t.places),
        })).collect::<Vec<_>>(),
        // Every item the gazetteer could not place, with the sentence that names it, so a
        // curator can add it; the page lists these as district-wide.
        "unresolved": atlas.features.iter()
            .filter(|f| f.report == report.id && f.geometry.is_none())
            .map(|f| json!({
                "id": f.id,
                "name": f.name,
                "layer": f.layer,
                "kind": f.kind,
                "sentence_id": f.mentions.first().map(|m| m.sentence_id),
                "quote": f.quote,
                "quote_note": f.quote_note,
            }))
            .collect::<Vec<_>>(),
    })
    .to_string()
}
