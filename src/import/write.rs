//! Writing entries as the gazetteer file `geodata/README.md` describes: a GeoJSON
//! `FeatureCollection` with one `Feature` per line (as `geodata/` keeps its files, so a
//! re-import diffs line by line), properties in the order of the README. Serialised with serde
//! from typed structs; only the line breaks come from a small `serde_json` formatter.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use super::entries::Entry;

/// The file: `{"type":"FeatureCollection","features":[…]}`.
#[derive(Serialize)]
struct EntryCollection<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<EntryFeature<'a>>,
}

/// One entry as a `Feature`.
#[derive(Serialize)]
struct EntryFeature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    properties: EntryProperties<'a>,
    geometry: &'a geojson::Geometry,
}

/// The properties of an entry, in the README's order (fields serialise in declaration order).
#[derive(Serialize)]
struct EntryProperties<'a> {
    id: &'a str,
    name: &'a str,
    aliases: &'a [String],
    kind: &'a str,
    layer: &'static str,
    /// Always `exact`: the geometry is the place's own, from OSM.
    #[serde(rename = "match")]
    match_type: &'static str,
    source: &'a str,
    uncertainty_m: u32,
    /// An extract is cut by a rectangle, not by the district boundary (see the module docs of
    /// [`super`]).
    outside_district: bool,
}

/// Compact JSON, except that each element of the `features` array (the only array at depth
/// two) starts on a line of its own and the array closes on its own line.
#[derive(Default)]
struct OneFeaturePerLine {
    depth: usize,
}

impl Formatter for OneFeaturePerLine {
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        CompactFormatter.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        if self.depth == 2 {
            writer.write_all(b"\n")?;
        }
        self.depth -= 1;
        CompactFormatter.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 2 {
            writer.write_all(if first { b"\n" } else { b",\n" })
        } else {
            CompactFormatter.begin_array_value(writer, first)
        }
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        CompactFormatter.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        CompactFormatter.end_object(writer)
    }
}

/// The `FeatureCollection` text of `entries`, ending with a newline.
pub(super) fn feature_collection(entries: &[Entry]) -> String {
    let collection = EntryCollection {
        kind: "FeatureCollection",
        features: entries
            .iter()
            .map(|e| EntryFeature {
                kind: "Feature",
                properties: EntryProperties {
                    id: &e.id,
                    name: &e.name,
                    aliases: &e.aliases,
                    kind: &e.kind,
                    layer: e.layer.as_str(),
                    match_type: "exact",
                    source: &e.source,
                    uncertainty_m: e.uncertainty_m,
                    outside_district: true,
                },
                geometry: &e.geometry,
            })
            .collect(),
    };
    let mut out = Vec::new();
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, OneFeaturePerLine::default());
    collection
        .serialize(&mut serializer)
        .expect("serialising strings, numbers and finite coordinates into memory cannot fail");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::classify::Category;

    fn entry(id: &str, category: Category, kind: &str, geometry: geojson::Geometry) -> Entry {
        Entry {
            category,
            id: id.into(),
            name: "较场口".into(),
            aliases: vec!["较场口站".into()],
            kind: kind.into(),
            source: "OSM node/1 (railway=station); © OpenStreetMap contributors, ODbL".into(),
            layer: crate::import::classify::layer_of(kind),
            uncertainty_m: 10,
            geometry,
        }
    }

    #[test]
    fn each_entry_is_one_line_that_parses_back_with_its_properties_in_readme_order() {
        let entries = [
            entry(
                "osm-node-1",
                Category::Station,
                "站",
                geojson::Geometry::new_point([106.571_234_5, 29.55]),
            ),
            entry(
                "osm-way-2",
                Category::Road,
                "路",
                geojson::Geometry::new_line_string([[106.57, 29.55], [106.58, 29.56]]),
            ),
        ];
        let text = feature_collection(&entries);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert_eq!(lines[0], r#"{"type":"FeatureCollection","features":["#);
        assert_eq!(lines[3], "]}");
        assert!(lines[1].starts_with(r#"{"type":"Feature","properties":{"id":"osm-node-1","name":"较场口","aliases":["较场口站"],"kind":"站","layer":"projects","match":"exact","source":"#));
        assert!(
            lines[1]
                .ends_with(r#""geometry":{"type":"Point","coordinates":[106.5712345,29.55]}},"#)
        );
        let fc: geojson::FeatureCollection = text.parse().expect("valid GeoJSON");
        assert_eq!(fc.features.len(), 2);
        let props = fc.features[1].properties.as_ref().expect("properties");
        assert_eq!(props["layer"], "streets");
        assert_eq!(props["uncertainty_m"], 10);
        assert_eq!(props["outside_district"], true);
    }
}
