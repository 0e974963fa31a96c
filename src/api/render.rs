//! Features serialised once at start-up, per collection, item and coordinate system, so that
//! the hot routes (items, near) assemble answers by concatenating strings instead of building
//! and serialising JSON trees on every request.
//!
//! A rendered feature is split just inside its `properties` object, so near can insert
//! `distance_m` without re-serialising anything. Memory: three copies (one per datum) of the
//! GeoJSON of every feature, a few MB for a district.

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
        Rendered {
            features,
            unlocated,
        }
    }

    /// The unlocated items of a collection, comma-joined.
    #[must_use]
    pub fn unlocated(&self, crs: Crs, collection: usize) -> &str {
        &self.unlocated[crs_index(crs)][collection]
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
