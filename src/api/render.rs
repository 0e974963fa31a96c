//! Features serialised once at start-up, per collection, item and coordinate system, so that
//! the hot routes (items, near) assemble answers by concatenating strings instead of building
//! and serialising JSON trees on every request.
//!
//! A rendered feature is split just inside its `properties` object, so near can insert
//! `distance_m` without re-serialising anything. Near's `district_wide` list is rendered once
//! in two forms: whole features, and brief references (id, layer, name, kind, theme, section,
//! action) that point at the items route; the list is the same for every point, so repeating
//! whole features in every answer mostly costs bytes. Memory: three copies (one per datum) of
//! the GeoJSON of every feature, a few MB for a district.

use serde_json::{Value, json};

use crate::atlas::{Atlas, Item};
use crate::datum::Crs;
use crate::plan::geometry_json;

/// One feature as GeoJSON text, cut after `"properties":{`.
#[derive(Debug, Clone)]
pub struct RenderedFeature {
    /// `{"type":"Feature","id":…,"geometry":…,"properties":{`
    head: String,
    /// The properties' members, or empty.
    members: String,
}

impl RenderedFeature {
    fn new(item: &Item, crs: Crs) -> RenderedFeature {
        let to = |lon: f64, lat: f64| crs.from_wgs84(lon, lat);
        let geometry = item
            .geometry
            .as_ref()
            .map_or(Value::Null, |g| geometry_json(g, &to));
        let head = format!(
            "{{\"type\":\"Feature\",\"id\":{},\"geometry\":{},\"properties\":{{",
            json!(item.id),
            geometry
        );
        let props = Value::Object(item.properties.clone()).to_string();
        let members = props[1..props.len() - 1].to_string();
        RenderedFeature { head, members }
    }

    /// Bytes [`RenderedFeature::write_with`] appends, at most (the number takes ≤ 24).
    #[must_use]
    pub fn len_with(&self, key: &str) -> usize {
        self.head.len() + self.members.len() + key.len() + 32
    }

    /// Appends the feature to `out`.
    pub fn write(&self, out: &mut String) {
        out.push_str(&self.head);
        out.push_str(&self.members);
        out.push_str("}}");
    }

    /// Appends the feature with one more number property first (`"distance_m":12.5`); `key`
    /// is written as given, so it must be a plain JSON name.
    pub fn write_with(&self, out: &mut String, key: &str, value: f64) {
        use std::fmt::Write;
        out.push_str(&self.head);
        let _ = write!(out, "\"{key}\":{}", json!(value));
        if !self.members.is_empty() {
            out.push(',');
            out.push_str(&self.members);
        }
        out.push_str("}}");
    }
}

/// Every feature of the atlas, rendered in every coordinate system.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// `[crs][collection][item]`, in `Crs::ALL` and `Atlas::collections` order.
    features: Vec<Vec<Vec<RenderedFeature>>>,
    /// `[crs][collection]`: the unlocated items, comma-joined (near's `district_wide`).
    unlocated: Vec<Vec<String>>,
    /// `[collection]`: brief references to the unlocated items, comma-joined.
    unlocated_brief: Vec<String>,
}

/// Which form near's `district_wide` list takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistrictWide {
    /// References: id, layer, name, kind, theme, section, action and the item's path.
    Brief,
    /// Whole features, as the items route returns them.
    Full,
    /// Left out (an empty list).
    None,
}

impl DistrictWide {
    /// Reads the query value (`brief`, `full`, `none`).
    #[must_use]
    pub fn parse(value: &str) -> Option<DistrictWide> {
        match value {
            "brief" => Some(DistrictWide::Brief),
            "full" => Some(DistrictWide::Full),
            "none" => Some(DistrictWide::None),
            _ => None,
        }
    }
}

/// What stays literal of an id in a URL path: unreserved characters and `/` (ids hold `/`,
/// the item route takes the rest of the path).
const ID_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A reference to an item: the properties a list needs to show and filter it, and the path of
/// the whole feature. Percent-encoded path, because ids hold `/` and Chinese.
fn brief(item: &Item, collection: &str) -> String {
    let mut out = serde_json::Map::new();
    for key in ["id", "layer", "name", "kind", "theme", "section", "action"] {
        if let Some(v) = item.properties.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let encoded = percent_encoding::utf8_percent_encode(&item.id, ID_IN_PATH);
    out.insert(
        "href".into(),
        json!(format!("/api/collections/{collection}/items/{encoded}")),
    );
    Value::Object(out).to_string()
}

fn crs_index(crs: Crs) -> usize {
    Crs::ALL.iter().position(|c| *c == crs).unwrap_or(0)
}

impl Rendered {
    /// Renders the atlas.
    #[must_use]
    pub fn new(atlas: &Atlas) -> Rendered {
        let features: Vec<Vec<Vec<RenderedFeature>>> = Crs::ALL
            .iter()
            .map(|&crs| {
                atlas
                    .collections
                    .iter()
                    .map(|c| {
                        c.items
                            .iter()
                            .map(|i| RenderedFeature::new(i, crs))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let unlocated = features
            .iter()
            .map(|by_collection: &Vec<Vec<RenderedFeature>>| {
                by_collection
                    .iter()
                    .zip(&atlas.collections)
                    .map(|(rendered, c)| {
                        let mut out = String::new();
                        for (f, item) in rendered.iter().zip(&c.items) {
                            if item.geometry.is_none() {
                                if !out.is_empty() {
                                    out.push(',');
                                }
                                f.write(&mut out);
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
                    .filter(|i| i.geometry.is_none())
                    .map(|i| brief(i, &c.id))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        Rendered {
            features,
            unlocated,
            unlocated_brief,
        }
    }

    /// The unlocated items of a collection in the given form, comma-joined.
    #[must_use]
    pub fn unlocated(&self, crs: Crs, collection: usize, form: DistrictWide) -> &str {
        match form {
            DistrictWide::Brief => &self.unlocated_brief[collection],
            DistrictWide::Full => &self.unlocated[crs_index(crs)][collection],
            DistrictWide::None => "",
        }
    }

    /// The rendered item `index` of collection number `collection`.
    #[must_use]
    pub fn get(&self, crs: Crs, collection: usize, index: usize) -> &RenderedFeature {
        &self.features[crs_index(crs)][collection][index]
    }
}

/// Joins rendered features into a JSON array.
pub fn array<'a>(features: impl Iterator<Item = &'a RenderedFeature>) -> String {
    let mut out = String::from("[");
    for (n, f) in features.enumerate() {
        if n > 0 {
            out.push(',');
        }
        f.write(&mut out);
    }
    out.push(']');
    out
}
