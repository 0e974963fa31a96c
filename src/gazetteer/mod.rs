//! Place names → places: the curated gazetteer, OpenStreetMap stations, imported OSM extracts
//! and the district boundary, each entry with its `source` and `uncertainty_m`.
//!
//! Input: GeoJSON bytes (`&[u8]`) with the file's name for error messages. Output: [`Place`]s
//! whose geometry stays a `geojson::Geometry` (this module knows nothing of geo-types; the
//! geometric checks live in `geocode`). Coordinates are WGS-84 lon/lat; uncertainty in metres.
//!
//! Name normalisation is the report's own ([`crate::text::normalize()`]), so a name typed in
//! the gazetteer matches the same name in any report, Traditional or Simplified.

mod curated;

use std::collections::HashSet;

use serde_json::Value;
use thiserror::Error;

use crate::plan::{Layer, MatchType};
use crate::text::{LexiconTerm, normalize};

pub use curated::{CuratedEntry, export_curated};

/// What went wrong loading gazetteer data; every variant names the file.
#[derive(Debug, Error)]
pub enum GazetteerError {
    /// The file is not valid JSON / GeoJSON.
    #[error("{file}:{line}:{column}: invalid GeoJSON: {message}")]
    Json {
        /// File name.
        file: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The file parsed but is not a FeatureCollection.
    #[error("{file}: expected a GeoJSON FeatureCollection")]
    NotFeatureCollection {
        /// File name.
        file: String,
    },
    /// One entry is wrong.
    #[error("{file}: entry {index} ({entry}): {message}")]
    Entry {
        /// File name.
        file: String,
        /// 0-based index of the feature in the file.
        index: usize,
        /// The entry's id or name.
        entry: String,
        /// What is wrong.
        message: String,
    },
    /// Two entries share an id.
    #[error("{file}: duplicate id {id}")]
    DuplicateId {
        /// File name.
        file: String,
        /// The id.
        id: String,
    },
}

/// Which tier a file belongs to; decides precedence when two files name the same place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    /// A planner's correction of a feature, made an entry of its name and aliases
    /// ([`CuratedEntry`]): the most trusted, as a person who knows the place placed it. Its
    /// places have match type `curated`.
    Corrected,
    /// Imported from a real OSM extract (`planmap gazetteer import-osm`): sourced geometry.
    OsmImport,
    /// OpenStreetMap station points.
    OsmStation,
    /// Hand-curated entries anchored to sourced points.
    Curated,
}

/// One place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Stable id, unique over the whole gazetteer.
    pub id: String,
    /// Canonical name (normalised Simplified Chinese).
    pub name: String,
    /// Other names (normalised).
    pub aliases: Vec<String>,
    /// Head-word kind (商圈, 路, 站 …).
    pub kind: String,
    /// Layer a planned item at this place falls in.
    pub layer: Layer,
    /// `exact` for a sourced geometry of this very place, `anchor` for a placement derived
    /// from sourced anchors.
    pub match_type: MatchType,
    /// What the geometry was read or derived from.
    pub source: String,
    /// Radius in metres covering the doubt about the geometry.
    pub uncertainty_m: f64,
    /// WGS-84 geometry.
    pub geometry: geojson::Geometry,
    /// True for the rare entry that lies outside the district on purpose.
    pub outside_district: bool,
    /// Which file tier it came from.
    pub tier: Tier,
    /// The file it came from.
    pub file: String,
}

/// A loaded gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
}

/// A station's name and aliases, the one rule for the station file and for OSM imports: the
/// name without a trailing 站 (大坪站 → 大坪) and `<name>站` as an alias, since a report writes
/// both; except 重庆, the city's own name, which stays 重庆站 with no bare alias.
/// Otherwise "X站" in a report would resolve to the less trusted station-file entry while "X"
/// resolves to the import, or "重庆" everywhere would become a station.
pub(crate) fn station_names(name: String, mut aliases: Vec<String>) -> (String, Vec<String>) {
    let base = match name.strip_suffix('站') {
        Some(b) if b.chars().count() >= 2 => b.to_string(),
        _ => name,
    };
    let (name, with_suffix) = if base == "重庆" {
        (format!("{base}站"), None)
    } else {
        (base.clone(), Some(format!("{base}站")))
    };
    aliases.retain(|a| *a != name && *a != base);
    if let Some(alias) = with_suffix
        && !aliases.contains(&alias)
    {
        aliases.push(alias);
    }
    (name, aliases)
}

/// Normalises a name the way reports are normalised.
#[must_use]
pub fn normalise_name(name: &str) -> String {
    normalize(name).text.replace('\n', "")
}

fn json_error(file: &str, e: &serde_json::Error) -> GazetteerError {
    GazetteerError::Json {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Parses a FeatureCollection, naming the file and line on error; every GeoJSON file planmap
/// reads goes through here.
///
/// # Errors
/// Invalid JSON (with line and column) or a document that is not a FeatureCollection.
pub fn feature_collection(
    file: &str,
    bytes: &[u8],
) -> Result<Vec<geojson::Feature>, GazetteerError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| json_error(file, &e))?;
    if value.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(GazetteerError::NotFeatureCollection {
            file: file.to_string(),
        });
    }
    let fc: geojson::FeatureCollection =
        serde_json::from_value(value).map_err(|e| json_error(file, &e))?;
    Ok(fc.features)
}

fn str_prop<'a>(props: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    props
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

impl Gazetteer {
    /// An empty gazetteer.
    #[must_use]
    pub fn new() -> Gazetteer {
        Gazetteer::default()
    }

    /// Every place, in load order.
    #[must_use]
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Adds curated or imported entries (the format of `geodata/README.md`). Every entry
    /// needs `id`, `name`, `kind`, `source`, a positive `uncertainty_m` and a geometry.
    ///
    /// # Errors
    /// Invalid JSON (with line and column), a missing or empty field, or a duplicate id, each
    /// naming the file and the entry.
    pub fn add_entries(
        &mut self,
        file: &str,
        bytes: &[u8],
        tier: Tier,
    ) -> Result<usize, GazetteerError> {
        let features = feature_collection(file, bytes)?;
        let mut seen: HashSet<String> = self.places.iter().map(|p| p.id.clone()).collect();
        let n = features.len();
        for (index, f) in features.into_iter().enumerate() {
            let props = f.properties.unwrap_or_default();
            let label = str_prop(&props, "id")
                .or_else(|| str_prop(&props, "name"))
                .unwrap_or("?")
                .to_string();
            let err = |message: &str| GazetteerError::Entry {
                file: file.to_string(),
                index,
                entry: label.clone(),
                message: message.to_string(),
            };
            let id = str_prop(&props, "id")
                .ok_or_else(|| err("missing `id`"))?
                .to_string();
            let name = str_prop(&props, "name").ok_or_else(|| err("missing `name`"))?;
            let source = str_prop(&props, "source").ok_or_else(|| err("missing `source`"))?;
            let uncertainty_m = props
                .get("uncertainty_m")
                .and_then(Value::as_f64)
                .ok_or_else(|| err("missing numeric `uncertainty_m`"))?;
            if !(uncertainty_m.is_finite() && uncertainty_m > 0.0) {
                return Err(err("`uncertainty_m` must be a positive number of metres"));
            }
            let geometry = f.geometry.ok_or_else(|| err("missing geometry"))?;
            let kind = str_prop(&props, "kind").unwrap_or_default().to_string();
            let layer = match str_prop(&props, "layer") {
                Some(l) => Layer::parse(l)
                    .ok_or_else(|| err("`layer` must be zones, streets or projects"))?,
                // A kind the vocabulary does not know is a site: the narrowest claim.
                None => crate::vocab::layer_of_kind(&kind).unwrap_or(Layer::Projects),
            };
            let match_type = match str_prop(&props, "match").unwrap_or("anchor") {
                "exact" => MatchType::Exact,
                "anchor" => MatchType::Anchor,
                _ => return Err(err("`match` must be exact or anchor")),
            };
            let aliases = match props.get("aliases") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(normalise_name)
                            .ok_or_else(|| err("`aliases` must be strings"))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return Err(err("`aliases` must be a list of strings")),
            };
            if !seen.insert(id.clone()) {
                return Err(GazetteerError::DuplicateId {
                    file: file.to_string(),
                    id,
                });
            }
            self.places.push(Place {
                id,
                name: normalise_name(name),
                aliases,
                kind,
                layer,
                match_type,
                source: source.to_string(),
                uncertainty_m,
                geometry,
                outside_district: props
                    .get("outside_district")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                tier,
                file: file.to_string(),
            });
        }
        Ok(n)
    }

    /// Adds the named stations of an OpenStreetMap station file, one entry per station name.
    /// The same station is often several points (a metro, a monorail and a rail platform a few
    /// hundred metres apart, tagged `大坪` and `大坪站` alike), so an entry's geometry is the
    /// MultiPoint of every point of that name, each exactly as in the file; a single point
    /// stays a Point. `uncertainty_m` is 50: a station node stands for a platform complex.
    ///
    /// # Errors
    /// Invalid JSON or a feature that is not a Point, naming the file and entry.
    pub fn add_osm_stations(&mut self, file: &str, bytes: &[u8]) -> Result<usize, GazetteerError> {
        let features = feature_collection(file, bytes)?;
        // base name → (kinds, positions), in file order
        let mut chosen: Vec<(String, Vec<String>, Vec<geojson::Position>)> = Vec::new();
        for (index, f) in features.into_iter().enumerate() {
            let props = f.properties.unwrap_or_default();
            let Some(name) = str_prop(&props, "name") else {
                continue;
            };
            let station = str_prop(&props, "station").unwrap_or("station").to_string();
            let err = |message: &str| GazetteerError::Entry {
                file: file.to_string(),
                index,
                entry: name.to_string(),
                message: message.to_string(),
            };
            let geometry = f.geometry.ok_or_else(|| err("missing geometry"))?;
            let geojson::GeometryValue::Point { coordinates } = geometry.value else {
                return Err(err("a station must be a Point"));
            };
            let name = normalise_name(name);
            let base = match name.strip_suffix('站') {
                Some(b) if b.chars().count() >= 2 => b.to_string(),
                _ => name,
            };
            match chosen.iter_mut().find(|(n, _, _)| *n == base) {
                Some((_, kinds, points)) => {
                    if !points.contains(&coordinates) {
                        points.push(coordinates);
                        kinds.push(station);
                    }
                }
                None => chosen.push((base, vec![station], vec![coordinates])),
            }
        }
        let n = chosen.len();
        for (base, kinds, points) in chosen {
            let id = format!("osm-station-{}", crate::text::slug(&base));
            let (name, aliases) = station_names(base.clone(), Vec::new());
            let geometry = if points.len() == 1 {
                geojson::Geometry::new(geojson::GeometryValue::new_point(points[0].clone()))
            } else {
                geojson::Geometry::new(geojson::GeometryValue::new_multi_point(points.clone()))
            };
            self.places.push(Place {
                id,
                name,
                aliases,
                kind: "站".into(),
                layer: Layer::Projects,
                match_type: MatchType::Exact,
                source: format!(
                    "OpenStreetMap station \"{base}\" ({} point{}: {}), {file}; © OpenStreetMap contributors, ODbL",
                    points.len(),
                    if points.len() == 1 { "" } else { "s" },
                    kinds.join(", ")
                ),
                uncertainty_m: 50.0,
                geometry,
                outside_district: true,
                tier: Tier::OsmStation,
                file: file.to_string(),
            });
        }
        Ok(n)
    }

    /// The lexicon the report parser searches: every name and alias, each pointing at its
    /// place. Where two places share a name, the more trusted tier wins (imported OSM, then
    /// stations, then curated).
    #[must_use]
    pub fn lexicon_terms(&self) -> Vec<LexiconTerm> {
        let mut order: Vec<&Place> = self.places.iter().collect();
        order.sort_by_key(|p| p.tier);
        let mut seen = HashSet::new();
        let mut terms = Vec::new();
        for p in order {
            for text in std::iter::once(&p.name).chain(&p.aliases) {
                if seen.insert(text.clone()) {
                    terms.push(LexiconTerm {
                        text: text.clone(),
                        key: p.id.clone(),
                        kind: p.kind.clone(),
                    });
                }
            }
        }
        terms
    }

    /// The place with this id.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Place> {
        self.places.iter().find(|p| p.id == id)
    }

    /// The most trusted place whose name or alias is exactly `name`.
    #[must_use]
    pub fn find_name(&self, name: &str) -> Option<&Place> {
        self.places
            .iter()
            .filter(|p| p.name == name || p.aliases.iter().any(|a| a == name))
            .min_by_key(|p| p.tier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"id":"a","name":"解放碑","aliases":["解放碑商圈"],"kind":"商圈",
       "source":"test","uncertainty_m":300,"match":"anchor"},
       "geometry":{"type":"Point","coordinates":[106.577,29.559]}}]}"#;

    #[test]
    fn an_entry_keeps_its_source_and_uncertainty() {
        let mut g = Gazetteer::new();
        g.add_entries("g.geojson", ENTRY.as_bytes(), Tier::Curated)
            .expect("loads");
        let p = g.find_name("解放碑商圈").expect("by alias");
        assert_eq!(p.source, "test");
        assert!((p.uncertainty_m - 300.0).abs() < f64::EPSILON);
        assert_eq!(p.layer, Layer::Zones);
    }

    #[test]
    fn an_entry_without_uncertainty_is_refused_naming_file_and_entry() {
        let bad = ENTRY.replace(r#""uncertainty_m":300,"#, "");
        let err = Gazetteer::new()
            .add_entries("g.geojson", bad.as_bytes(), Tier::Curated)
            .expect_err("refused");
        let msg = err.to_string();
        assert!(
            msg.contains("g.geojson") && msg.contains("(a)") && msg.contains("uncertainty_m"),
            "{msg}"
        );
    }

    #[test]
    fn invalid_json_names_the_file_and_line() {
        let err = Gazetteer::new()
            .add_entries(
                "g.geojson",
                b"{\n\"type\": \"FeatureCollection\",\n oops}",
                Tier::Curated,
            )
            .expect_err("refused");
        assert!(err.to_string().starts_with("g.geojson:3:"), "{err}");
    }
}
