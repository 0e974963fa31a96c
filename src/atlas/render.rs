//! The atlas as JSON text, rendered once when the store is made, per collection, feature and
//! coordinate system: the one place typed features become GeoJSON. The hot routes (items,
//! near) then assemble answers by concatenating text instead of building and serialising JSON
//! trees on every request.
//!
//! Near's `district_wide` list is rendered in two forms: whole features, and brief references
//! ([`crate::plan::Brief`]) that point at the items route; the list is the same for every
//! point, so repeating whole features in every answer mostly costs bytes. Memory: three copies
//! (one per datum) of the GeoJSON of every feature, a few MB for a district.

use serde::Serialize;
use serde_json::{Value, json};

use super::{Atlas, FeatureView};
use crate::datum::Crs;
use crate::plan::geometry_json;
use crate::store::FeatureText;

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

/// One feature as GeoJSON text in `crs`.
fn feature_text(f: FeatureView<'_>, crs: Crs) -> FeatureText {
    let to = |lon: f64, lat: f64| crs.from_wgs84(lon, lat);
    let geometry = f.geometry().map_or(Value::Null, |g| geometry_json(g, &to));
    let head = format!(
        "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{},\"properties\":{{",
        json!(f.id()),
        geometry
    );
    let properties = match f {
        FeatureView::Planned(p) => to_text(&p.properties_view()),
        FeatureView::Context(c) => to_text(&c.properties_view()),
    };
    FeatureText::new(head, &properties)
}

/// Every feature of the atlas, rendered in every coordinate system, and the report answers.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `[crs][collection][item]`, in `Crs::ALL` and `Atlas::collections` order.
    pub features: Vec<Vec<Vec<FeatureText>>>,
    /// `[crs][collection]`: the unlocated items, comma-joined (near's `district_wide`).
    pub unlocated: Vec<Vec<String>>,
    /// `[collection]`: brief references to the unlocated items, comma-joined.
    pub unlocated_brief: Vec<String>,
    /// `[report]`: the `/api/report` answer.
    pub reports: Vec<String>,
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
        let features: Vec<Vec<Vec<FeatureText>>> = Crs::ALL
            .iter()
            .map(|&crs| {
                atlas
                    .collections
                    .iter()
                    .map(|c| {
                        c.items
                            .iter()
                            .map(|&r| feature_text(atlas.get(r), crs))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let unlocated = features
            .iter()
            .map(|by_collection| {
                by_collection
                    .iter()
                    .zip(&atlas.collections)
                    .map(|(rendered, c)| {
                        let mut out = String::new();
                        for (text, &r) in rendered.iter().zip(&c.items) {
                            if atlas.get(r).geometry().is_none() {
                                if !out.is_empty() {
                                    out.push(',');
                                }
                                text.write(&mut out);
                            }
                        }
                        out
                    })
                    .collect()
            })
            .collect();
        let unlocated_brief = atlas
            .collections
            .iter()
            .map(|c| {
                c.items
                    .iter()
                    .filter_map(|&r| match atlas.get(r) {
                        FeatureView::Planned(f) if f.geometry.is_none() => {
                            Some(to_text(&f.brief(item_path(&c.id, &f.id))))
                        }
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        let reports = (0..atlas.reports.len())
            .map(|i| report_text(atlas, i))
            .collect();
        Rendered {
            features,
            unlocated,
            unlocated_brief,
            reports,
        }
    }
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
