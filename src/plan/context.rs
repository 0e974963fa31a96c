//! Context features: what the map shows around the plan without the report planning it (the
//! district boundary, rail stations). Typed like planned features, so filters and search read
//! fields rather than JSON.
//!
//! Inputs: values built by the atlas from geodata files. Output: [`ContextFeature`] and its
//! GeoJSON properties. Coordinates WGS-84 lon/lat in degrees.

use geo::Geometry;
use serde::Serialize;

/// What a context feature is, with what only that kind carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ContextKind {
    /// The district boundary.
    District,
    /// A rail, metro or monorail station; `station` is OpenStreetMap's `station` tag
    /// (`subway`, `monorail`, …) when given.
    Station {
        /// The OSM `station` tag.
        station: Option<String>,
    },
}

/// A context feature of the `district` or `stations` collection.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextFeature {
    /// Feature id, unique in the atlas (`district/yuzhong`, `stations/12`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names, for search and the `q` filter.
    pub aliases: Vec<String>,
    /// What it is.
    pub kind: ContextKind,
    /// Where it comes from (file, licence).
    pub source: String,
    /// WGS-84 geometry.
    pub geometry: Geometry<f64>,
}

/// The GeoJSON properties of a context feature.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ContextProperties<'a> {
    /// The district: name and source.
    District {
        /// Name.
        name: &'a str,
        /// Source.
        source: &'a str,
    },
    /// A station: name, OSM station tag and source.
    Station {
        /// Name.
        name: &'a str,
        /// OSM `station` tag, null when absent.
        station: Option<&'a str>,
        /// Source.
        source: &'a str,
    },
}

impl ContextFeature {
    /// The GeoJSON properties view of this feature.
    #[must_use]
    pub fn properties_view(&self) -> ContextProperties<'_> {
        match &self.kind {
            ContextKind::District => ContextProperties::District {
                name: &self.name,
                source: &self.source,
            },
            ContextKind::Station { station } => ContextProperties::Station {
                name: &self.name,
                station: station.as_deref(),
                source: &self.source,
            },
        }
    }
}
