//! Building gazetteer entries from one pass's [`Extract`]: resolving ways to positions,
//! applying the box, gathering the ways of one name into one line entry, choosing each entry's
//! geometry, id, kind and `source`, and counting what was kept and skipped. Output: entries in
//! output order (lines first, then by category and id) and an [`ImportSummary`].

use std::collections::{BTreeMap, BTreeSet, HashSet};

use super::classify::{Category, kind_of, layer_of};
use super::geometry::{self, Bbox, Position, centroid, halfway, point, polygon};
use super::lines::{merge_lines, resolve_runs};
use super::pbf::{Candidate, Extract};
use super::{ATTRIBUTION, ImportSummary};
use crate::gazetteer::station_names;
use crate::vocab::Layer;

/// Positional doubt of one OSM node or way in a city, in metres.
const ELEMENT_UNCERTAINTY_M: u32 = 10;
/// Doubt of a line merged from several ways (parts that nearly meet, carriageways), metres.
const MERGED_UNCERTAINTY_M: u32 = 25;
/// How many way ids a merged entry's `source` lists before "and N more".
const SOURCE_IDS_LISTED: usize = 10;

/// One gazetteer entry, ready to be written.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// What the entry is; decides its layer and its place in the output.
    pub(super) category: Category,
    /// `osm-node-…`, `osm-way-…`, or `osm-road-<slug>` / `osm-rail-<slug>` for merged lines.
    pub(super) id: String,
    /// The normalised name.
    pub(super) name: String,
    /// Other names that differ from it.
    pub(super) aliases: Vec<String>,
    /// Finer type (路, 公园, 学校 …).
    pub(super) kind: String,
    /// The OSM elements and tags it comes from, the file and the attribution.
    pub(super) source: String,
    /// The layer it is served on, the vocabulary's for its kind.
    pub(super) layer: Layer,
    /// Positional doubt, metres.
    pub(super) uncertainty_m: u32,
    /// WGS-84 geometry.
    pub(super) geometry: geojson::Geometry,
}

/// The ways of one name, gathered for merging.
#[derive(Debug, Default)]
struct LineGroup {
    way_ids: Vec<i64>,
    tags: BTreeSet<String>,
    aliases: Vec<String>,
    parts: Vec<Vec<Position>>,
}

fn source(element_ids: &str, tag: &str, note: &str, file: &str) -> String {
    let file = if file.is_empty() {
        String::new()
    } else {
        format!(", {file}")
    };
    format!("OSM {element_ids} ({tag}{note}){file}; {ATTRIBUTION}")
}

/// Resolves ways, merges lines by name, applies the box and counts.
pub(super) fn build_entries(
    extract: Extract,
    bbox: Option<&Bbox>,
    file: &str,
) -> (Vec<Entry>, ImportSummary) {
    let mut summary = ImportSummary {
        skipped_unnamed: extract.unnamed_nodes,
        skipped_relations: extract.named_relations,
        ..ImportSummary::default()
    };
    let mut entries: Vec<Entry> = extract
        .nodes
        .into_iter()
        .map(|(c, p)| element_entry(c, point(p), file))
        .collect();
    let mut lines: BTreeMap<(Category, String), LineGroup> = BTreeMap::new();
    for way in extract.ways {
        let runs = resolve_runs(&way.refs, &extract.positions);
        let known: Vec<Position> = way
            .refs
            .iter()
            .filter_map(|id| extract.positions.get(id).copied())
            .collect();
        if let Some(b) = bbox
            && !known.iter().any(|p| b.contains(*p))
        {
            continue;
        }
        let candidate = way.candidate;
        let Some(name) = candidate.name.clone() else {
            summary.skipped_unnamed += 1;
            continue;
        };
        if runs.is_empty() {
            summary.skipped_incomplete += 1;
            continue;
        }
        match candidate.category {
            Category::Road | Category::Railway => {
                let group = lines.entry((candidate.category, name)).or_default();
                group.way_ids.push(candidate.id);
                group.tags.insert(candidate.tag);
                for alias in candidate.aliases {
                    if !group.aliases.contains(&alias) {
                        group.aliases.push(alias);
                    }
                }
                group.parts.extend(runs);
            }
            _ if way.polygon => {
                if known.len() != way.refs.len() {
                    summary.skipped_incomplete += 1;
                    continue;
                }
                let geometry = polygon(&known).unwrap_or_else(|| point(centroid(&known)));
                entries.push(element_entry(candidate, geometry, file));
            }
            _ => {
                let closed = way.refs.first() == way.refs.last();
                let p = if closed && known.len() == way.refs.len() {
                    centroid(&known)
                } else {
                    halfway(runs.iter().max_by_key(|r| r.len()).map_or(&known, |r| r))
                };
                entries.push(element_entry(candidate, point(p), file));
            }
        }
    }
    entries.sort_by(|a, b| (a.category, &a.id).cmp(&(b.category, &b.id)));

    let mut ids: HashSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    let mut merged: Vec<Entry> = Vec::new();
    for ((category, name), group) in lines {
        let slug = crate::text::slug(&name);
        let base = if slug.is_empty() {
            format!("{}-way-{}", category.line_prefix(), group.way_ids[0])
        } else {
            format!("{}-{slug}", category.line_prefix())
        };
        let mut id = base.clone();
        for n in 2.. {
            if ids.insert(id.clone()) {
                break;
            }
            id = format!("{base}-{n}");
        }
        merged.push(line_entry(category, id, name, group, file));
    }
    merged.extend(entries);

    for e in &merged {
        let slot = match e.category {
            Category::Road => &mut summary.roads,
            Category::Railway => &mut summary.railways,
            Category::Station => &mut summary.stations,
            Category::Place => &mut summary.places,
            Category::Area => &mut summary.areas,
            Category::Poi => &mut summary.pois,
        };
        *slot += 1;
    }
    (merged, summary)
}

/// The entry of one node or one way (not merged).
fn element_entry(candidate: Candidate, geometry: geojson::Geometry, file: &str) -> Entry {
    let (name, aliases) = match candidate.category {
        Category::Station => station_names(candidate.name.unwrap_or_default(), candidate.aliases),
        _ => (candidate.name.unwrap_or_default(), candidate.aliases),
    };
    let kind = kind_of(candidate.category, &candidate.tag, &name);
    Entry {
        category: candidate.category,
        id: format!("osm-{}-{}", candidate.element, candidate.id),
        layer: layer_of(&kind),
        kind,
        source: source(
            &format!("{}/{}", candidate.element, candidate.id),
            &candidate.tag,
            "",
            file,
        ),
        name,
        aliases,
        uncertainty_m: ELEMENT_UNCERTAINTY_M,
        geometry,
    }
}

/// The entry of all the ways of one name.
fn line_entry(category: Category, id: String, name: String, group: LineGroup, file: &str) -> Entry {
    let lines = merge_lines(group.parts);
    let n_ways = group.way_ids.len();
    let mut listed: Vec<String> = group
        .way_ids
        .iter()
        .take(SOURCE_IDS_LISTED)
        .map(|id| format!("way/{id}"))
        .collect();
    if n_ways > SOURCE_IDS_LISTED {
        listed.push(format!("and {} more", n_ways - SOURCE_IDS_LISTED));
    }
    let tags: Vec<String> = group.tags.into_iter().collect();
    let note = if n_ways > 1 {
        format!(
            "; {n_ways} ways named {name} joined end to end into {} line{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        )
    } else if lines.len() > 1 {
        format!("; {} parts with nodes in the file", lines.len())
    } else {
        String::new()
    };
    let geometry = geometry::lines(&lines);
    let kind = kind_of(category, &tags[0], &name);
    Entry {
        category,
        id,
        layer: layer_of(&kind),
        kind,
        source: source(&listed.join(", "), &tags.join(", "), &note, file),
        name,
        aliases: group.aliases,
        uncertainty_m: if n_ways > 1 {
            MERGED_UNCERTAINTY_M
        } else {
            ELEMENT_UNCERTAINTY_M
        },
        geometry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stations_are_named_as_the_station_file_names_them() {
        let names = |n: &str| station_names(n.to_string(), Vec::new());
        assert_eq!(names("较场口"), ("较场口".into(), vec!["较场口站".into()]));
        assert_eq!(names("大坪站"), ("大坪".into(), vec!["大坪站".into()]));
        assert_eq!(names("重庆站"), ("重庆站".into(), Vec::<String>::new()));
    }
}
