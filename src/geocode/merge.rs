//! One place, one entry: the features of one report that name the same place become one, and
//! items placed with their whole are listed under it.
//!
//! Input: a report's features in item (text) order, each with the gazetteer entry its very name
//! names ([`Entry`]). Output: fewer features, each carrying `report_aliases` (the other names
//! the report uses), all mentions and mention quotes, the union of its targets, and
//! `components`. Ids stay those of the first mention, so a correction keyed by id survives.
//!
//! Two features are one place when their names name the same gazetteer entry, their kinds are
//! in the same display group, neither is a phase (山城巷二期 is not 山城巷), and the names are
//! one place written two ways: one contains the other (解放碑 / 解放碑中央商务区, dashes
//! ignored: 解放碑朝天门 / 解放碑—朝天门片区), or both are parts of one gazetteer name
//! (朝天门—解放碑—通远门 and 城市中心主轴 of 朝天门—解放碑—通远门城市中心主轴). An entry's
//! aliases alone are not enough: the curated gazetteer files parts under their whole (微风广场
//! and D8街区 under 时代天街), and those are components, not names.
//!
//! A component is an item of the same sentence as an area-kind whole (园区, 街区 …) that was
//! placed on exactly the whole's geometry, through no gazetteer entry of its own (or through
//! the whole's) (西部药材城、医药城、康养城、药膳城 after 西部中医药
//! 产业园, all placed on their passage's zone): the map cannot tell them apart, so the list
//! shows the whole once with its parts, each part keeping its own quote and verb.

use crate::plan::{Component, Layer, PlannedFeature};
use crate::vocab::{kind_group, layer_of_kind};

/// What a feature's own name names in the gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    /// The gazetteer id its name or alias is, when it is one.
    pub place: Option<String>,
    /// That entry's names (canonical first, then aliases).
    pub names: Vec<String>,
}

/// A phase of a project (二期) is a part of the place, never another name for it.
fn is_phase(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    chars.len() >= 2
        && chars[chars.len() - 1] == '期'
        && "一二三四五六七八九十".contains(chars[chars.len() - 2])
}

/// Whether two names, of the same gazetteer entry, are one place written two ways.
fn same_place(first: &PlannedFeature, other: &PlannedFeature, entry: &Entry) -> bool {
    if is_phase(&first.name) || is_phase(&other.name) {
        return false;
    }
    let kinds_agree = first.kind.is_empty()
        || other.kind.is_empty()
        || kind_group(&first.kind) == kind_group(&other.kind);
    if !kinds_agree {
        return false;
    }
    let bare = |s: &str| s.replace('—', "");
    let (one, two) = (bare(&first.name), bare(&other.name));
    one.contains(&two)
        || two.contains(&one)
        || entry.names.iter().any(|name| {
            let name = bare(name);
            name != one && name != two && name.contains(&one) && name.contains(&two)
        })
}

fn first_sentence(f: &PlannedFeature) -> Option<usize> {
    f.mentions.first().map(|m| m.sentence_id)
}

/// Folds `other` into `whole` as another name of the same place.
fn absorb_alias(whole: &mut PlannedFeature, other: PlannedFeature) {
    // The other feature's reading is taken apart (moved, or copied if shared).
    let other = std::sync::Arc::unwrap_or_clone(other.reading);
    if other.name != whole.name && !whole.report_aliases.contains(&other.name) {
        whole.report_aliases.push(other.name.clone());
    }
    for name in std::iter::once(&other.name).chain(&other.aliases) {
        if !whole.aliases.contains(name) {
            whole.aliases.push(name.clone());
        }
    }
    whole.mentions.extend(other.mentions);
    whole.mentions.sort_by_key(|m| m.start);
    whole.mentions.dedup();
    for q in other.mention_quotes {
        if !whole.mention_quotes.contains(&q) {
            whole.mention_quotes.push(q);
        }
    }
    whole.mention_quotes.sort_by_key(|q| q.sentence_id);
    for t in other.targets {
        if !whole.targets.contains(&t) {
            whole.targets.push(t);
        }
    }
    whole.components.extend(other.components);
    for s in other.segments {
        if !whole
            .segments
            .iter()
            .any(|w| w.from == s.from && w.to == s.to)
        {
            whole.segments.push(s);
        }
    }
    if whole.action.is_none() {
        whole.action = other.action;
    }
    // A quote from a heading's passage gives way to a sentence that names the place.
    if whole.quote_note.is_some() && other.quote_note.is_none() {
        whole.quote = other.quote;
        whole.quote_note = None;
    }
}

/// Lists `part` under `whole`: its mentions link to the whole, its own words stay with it.
fn absorb_component(whole: &mut PlannedFeature, part: PlannedFeature) {
    whole.components.push(Component {
        name: part.name.clone(),
        kind: part.kind.clone(),
        sentence_id: first_sentence(&part).unwrap_or_default(),
        quote: part.quote.clone(),
        action: part.action.clone(),
    });
    let part = std::sync::Arc::unwrap_or_clone(part.reading);
    whole.mentions.extend(part.mentions);
    whole.mentions.sort_by_key(|m| m.start);
    for q in part.mention_quotes {
        if !whole.mention_quotes.contains(&q) {
            whole.mention_quotes.push(q);
        }
    }
    whole.mention_quotes.sort_by_key(|q| q.sentence_id);
    for t in part.targets {
        if !whole.targets.contains(&t) {
            whole.targets.push(t);
        }
    }
}

/// Whether a feature can be the whole of components: an area by its kind.
fn is_whole(f: &PlannedFeature) -> bool {
    f.geometry.is_some()
        && (f.layer == Layer::Zones || layer_of_kind(&f.kind) == Some(Layer::Zones))
}

/// Merges one report's features (see the module doc). `entries[i]` belongs to `features[i]`.
#[must_use]
pub fn merge(features: Vec<PlannedFeature>, entries: &[Entry]) -> Vec<PlannedFeature> {
    let mut out: Vec<PlannedFeature> = Vec::with_capacity(features.len());
    let mut out_entries: Vec<&Entry> = Vec::with_capacity(features.len());
    let empty = Entry::default();
    for (i, f) in features.into_iter().enumerate() {
        let entry = entries.get(i).unwrap_or(&empty);
        let alias_of = entry.place.as_ref().and_then(|place| {
            out.iter()
                .zip(&out_entries)
                .position(|(w, e)| e.place.as_ref() == Some(place) && same_place(w, &f, entry))
        });
        if let Some(j) = alias_of {
            absorb_alias(&mut out[j], f);
            continue;
        }
        let part_of = out.iter().zip(&out_entries).position(|(w, e)| {
            is_whole(w)
                && (entry.place.is_none() || entry.place == e.place)
                && w.geometry == f.geometry
                && first_sentence(w) == first_sentence(&f)
                && w.name != f.name
        });
        if let Some(j) = part_of {
            absorb_component(&mut out[j], f);
            continue;
        }
        out.push(f);
        out_entries.push(entry);
    }
    out
}
