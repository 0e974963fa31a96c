//! The one vocabulary of planmap: layers, statuses (with the verbs that imply them), themes
//! (with the heading keywords that imply them) and kinds of place (with the generic terms, 通名,
//! that end their names and the layer each kind sits on).
//!
//! Input: `vocab.json` beside this file, compiled in with `include_str!` and parsed once. The
//! same file is what the page reads (served as JSON), so the server, the parser, the OSM import
//! and the page never disagree. Output: typed look-ups ([`layer_of_kind`], [`status_of_verb`],
//! [`theme_of`], [`kinds`]) and the file's text ([`json`]). The reading grammar's word lists
//! (stops, generic words, institution nouns, a place's parts …) are in `grammar.json` beside it,
//! grouped by why each word is there ([`grammar`]); the page does not need them. A leaf module:
//! it imports nothing else from the crate.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The three layers a planner toggles on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Areas: business districts, zones, parks, historic blocks, industrial parks.
    Zones,
    /// Linear things: streets, lanes, interchanges, axes, corridors, metro lines.
    Streets,
    /// Sites: buildings, facilities, plots, single landmarks.
    Projects,
}

impl Layer {
    /// Every layer, in the order the page lists them.
    pub const ALL: [Layer; 3] = [Layer::Zones, Layer::Streets, Layer::Projects];

    /// The name used in URLs and GeoJSON (`zones`, `streets`, `projects`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Zones => "zones",
            Layer::Streets => "streets",
            Layer::Projects => "projects",
        }
    }

    /// Parses the URL name of a layer.
    #[must_use]
    pub fn parse(s: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Where a planned item stands, from the verb that plans it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// To be studied, planned, built or improved, with no start or end named.
    Planned,
    /// Work starts this year (开工, 启动).
    Starting,
    /// Stalled work resumes (复工, 重启): a project that stood idle, as planners track them
    /// apart from new starts.
    Resuming,
    /// Work goes on (加快, 推进, 提速, 续建).
    UnderConstruction,
    /// Work finishes this year (完工, 建成, 投用).
    Completing,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 5] = [
        Status::Planned,
        Status::Starting,
        Status::Resuming,
        Status::UnderConstruction,
        Status::Completing,
    ];

    /// The name used in URLs and GeoJSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Starting => "starting",
            Status::Resuming => "resuming",
            Status::UnderConstruction => "under_construction",
            Status::Completing => "completing",
        }
    }

    /// Parses the URL name of a status.
    #[must_use]
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// One layer as the vocabulary file describes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct LayerEntry {
    /// The layer.
    pub id: Layer,
    /// Short Chinese label (区域).
    pub label: String,
}

/// One status with the verbs that imply it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StatusEntry {
    /// The status.
    pub id: Status,
    /// Short Chinese label (谋划).
    pub label: String,
    /// Verbs that, governing a name, give it this status.
    pub verbs: Vec<String>,
}

/// One planning theme with the keywords that imply it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ThemeEntry {
    /// The theme's id (产业).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Words in a heading or lead sentence that give the theme; the first theme with a match
    /// wins. The catch-all theme has none.
    pub keywords: Vec<String>,
    /// Words in an item's own name that give it this theme (十八梯, 会馆 → 文旅), before its
    /// kind's theme and its section's.
    #[serde(default)]
    pub item_words: Vec<String>,
}

/// One kind of place: what a name's generic part (通名) says it is, and its layer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct KindEntry {
    /// The kind (商圈, 路, 学校 …).
    pub kind: String,
    /// The layer a place of this kind sits on unless its source says otherwise.
    pub layer: Layer,
    /// Its label.
    pub label: String,
    /// Generic terms that end a name of this kind (幼儿园, 小学 → 学校); may be empty for
    /// kinds only a source assigns (OSM tags, the curated gazetteer).
    #[serde(default)]
    pub terms: Vec<String>,
    /// The display group the page colours it by (one of about 15; 历史风貌, 道路街巷 …).
    #[serde(default)]
    pub group: String,
    /// The theme a place of this kind has whatever section names it (风貌区 → 文旅), if any.
    #[serde(default)]
    pub theme: Option<String>,
}

/// The parsed vocabulary file.
#[derive(Debug, Clone, Deserialize)]
struct Vocabulary {
    layers: Vec<LayerEntry>,
    statuses: Vec<StatusEntry>,
    themes: Vec<ThemeEntry>,
    kinds: Vec<KindEntry>,
    /// Metrics that only the district as a whole has (社会消费品零售总额 …): a target naming
    /// one never belongs to a place.
    #[serde(default)]
    district_metrics: Vec<String>,
}

/// The file's text, as compiled in.
const VOCAB_JSON: &str = include_str!("vocab.json");

/// The reading grammar's word lists (`grammar.json` beside this file): not served to the page.
const GRAMMAR_JSON: &str = include_str!("grammar.json");

/// A group of words of one list of the reading grammar, and why they are in it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WordGroup {
    /// Why these words are in the list.
    pub why: String,
    /// The words.
    pub words: Vec<String>,
}

/// One list of the reading grammar: what it is for, and its words in groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct WordList {
    /// What the list is for.
    pub about: String,
    /// Its words, grouped by reason.
    pub groups: Vec<WordGroup>,
}

impl WordList {
    /// Every word of the list, in file order.
    #[must_use]
    pub fn words(&'static self) -> Vec<&'static str> {
        self.groups
            .iter()
            .flat_map(|g| g.words.iter().map(String::as_str))
            .collect()
    }
}

/// A set of single characters of the reading grammar and what it is for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CharSet {
    /// What the set is for.
    pub about: String,
    /// The characters.
    pub chars: String,
}

/// The word lists the reader (`report::grammar`, `report::words`, `report::context`) uses to
/// find where names start and end and which would-be names are generic.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Grammar {
    /// Words at which a name read backwards from its generic part stops (verbs, function words).
    pub stops: WordList,
    /// Would-be names that are generic words on their own (街区, 停车场).
    pub generic: WordList,
    /// Modifiers that leave a name generic when nothing else precedes the generic part.
    pub generic_modifiers: WordList,
    /// Endings that make a name a slogan, a figure or a kind of facility.
    pub generic_endings: WordList,
    /// Endings of 中心 that name an institution or a function, not a site.
    pub institution_centres: WordList,
    /// Places outside the district a text compares it with (other countries, cities, districts).
    pub elsewhere: WordList,
    /// Verbs by which a sub-district's office acts (…街道要组织).
    pub office_acts: WordList,
    /// Works on a place, which end the phrase before an institution noun.
    pub works: WordList,
    /// What a verb does to a place besides works (招商, 运营): after the place as its object,
    /// the number of the next clause counts what the place gets.
    pub place_activities: WordList,
    /// Nouns of bodies and events whose name a place name may begin (…办事处, …文化节).
    pub institution_suffixes: WordList,
    /// Parts of a place planned as the place (its trail, lanes, junction, gate).
    pub part_of_place: WordList,
    /// Words between a place and its part that say where along it (滨江, 北侧).
    pub along: WordList,
    /// Words before 路口 that say which junctions, not whose.
    pub not_a_road: WordList,
    /// A verb and its object when the object is a one-char generic part (设站, 封路, 下山).
    pub verb_objects: WordList,
    /// One-char generic parts guarded by the segmenter (草坪, 食堂 are common words).
    pub word_end_heads: CharSet,
    /// Generic parts of bare toponyms (门 寺 岩 …), often the proper part of a longer name.
    pub toponym_heads: CharSet,
    /// Measure words that end a count in front of a name.
    pub measures: CharSet,
    /// One-char words that, alone in front of a name, are never its first char.
    pub one_char_debris: CharSet,
}

static GRAMMAR: LazyLock<Grammar> =
    LazyLock::new(|| serde_json::from_str(GRAMMAR_JSON).expect("src/vocab/grammar.json is valid"));

/// The reading grammar's word lists.
#[must_use]
pub fn grammar() -> &'static Grammar {
    &GRAMMAR
}

/// The vocabulary, parsed on first use. The file is part of the source and checked by the
/// tests below, so a parse failure is a build defect, not a runtime condition.
static VOCAB: LazyLock<Vocabulary> =
    LazyLock::new(|| serde_json::from_str(VOCAB_JSON).expect("src/vocab/vocab.json is valid"));

/// Kind → layer, built once.
static LAYER_BY_KIND: LazyLock<HashMap<&'static str, Layer>> = LazyLock::new(|| {
    VOCAB
        .kinds
        .iter()
        .map(|k| (k.kind.as_str(), k.layer))
        .collect()
});

/// The vocabulary file's text, for the page (`/api/vocabulary`).
#[must_use]
pub fn json() -> &'static str {
    VOCAB_JSON
}

/// The layer a kind of place sits on; `None` for a kind the vocabulary does not know, so the
/// caller decides on purpose what an unknown kind means.
#[must_use]
pub fn layer_of_kind(kind: &str) -> Option<Layer> {
    LAYER_BY_KIND.get(kind).copied()
}

/// Every kind of place, in file order.
pub fn kinds() -> impl Iterator<Item = &'static KindEntry> {
    VOCAB.kinds.iter()
}

/// Words of a metric that make it a district aggregate (社会消费品零售总额, 市场主体 …).
#[must_use]
pub fn district_metrics() -> &'static [String] {
    &VOCAB.district_metrics
}

/// The display group of a kind (历史风貌, 道路街巷 …); the kind itself when the vocabulary
/// gives it none, so an unknown kind still has a label.
#[must_use]
pub fn kind_group(kind: &str) -> &str {
    kinds()
        .find(|k| k.kind == kind)
        .map(|k| k.group.as_str())
        .filter(|g| !g.is_empty())
        .unwrap_or(kind)
}

/// Whether a theme word in a name says what the item is, not only where: 十八梯 in 十八梯北
/// 地块 (the plot north of it) locates a plot, it does not make the plot a heritage block.
fn names_the_item(name: &str, word: &str) -> bool {
    name.match_indices(word).any(|(i, w)| {
        !name[i + w.len()..]
            .chars()
            .next()
            .is_some_and(|c| "东南西北".contains(c))
    })
}

/// The theme an item's own words or kind give it: the first theme with an `item_words` entry
/// its name contains, else its kind's theme; `None` leaves the section's theme to decide.
#[must_use]
pub fn theme_of_item(name: &str, kind: &str) -> Option<&'static str> {
    themes()
        .find(|t| t.item_words.iter().any(|w| names_the_item(name, w)))
        .map(|t| t.id.as_str())
        .or_else(|| {
            kinds()
                .find(|k| k.kind == kind)
                .and_then(|k| k.theme.as_deref())
        })
}

/// Every layer with its label, in file order.
pub fn layers() -> impl Iterator<Item = &'static LayerEntry> {
    VOCAB.layers.iter()
}

/// Every status with its verbs, in file order.
pub fn statuses() -> impl Iterator<Item = &'static StatusEntry> {
    VOCAB.statuses.iter()
}

/// Every theme with its keywords, in file order.
pub fn themes() -> impl Iterator<Item = &'static ThemeEntry> {
    VOCAB.themes.iter()
}

/// The status a planning verb implies, if it is one.
#[must_use]
pub fn status_of_verb(verb: &str) -> Option<Status> {
    statuses()
        .find(|s| s.verbs.iter().any(|v| v == verb))
        .map(|s| s.id)
}

/// Every generic term (通名) with the kind it gives, longest first, so a reader that tries
/// them in order finds 产业园 before 园.
#[must_use]
pub fn terms() -> &'static [(&'static str, &'static str)] {
    static TERMS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
        let mut v: Vec<(&'static str, &'static str)> = kinds()
            .flat_map(|k| k.terms.iter().map(|t| (t.as_str(), k.kind.as_str())))
            .collect();
        v.sort_by_key(|(t, _)| std::cmp::Reverse(t.chars().count()));
        v
    });
    &TERMS
}

/// The term a name ends in, with its kind: the first of [`terms`] (so the longest) that is a
/// suffix of `name`. Found by looking each of the name's last few suffixes up in a map, not
/// by scanning every term: the reader asks this for every candidate name.
#[must_use]
pub fn term_ending(name: &str) -> Option<(&'static str, &'static str)> {
    /// The index in [`terms`] of each term's first entry, and the longest term in chars.
    static FIRST: LazyLock<(HashMap<&'static str, usize>, usize)> = LazyLock::new(|| {
        let mut first = HashMap::new();
        for (i, (t, _)) in terms().iter().enumerate() {
            first.entry(*t).or_insert(i);
        }
        let longest = terms().first().map_or(0, |(t, _)| t.chars().count());
        (first, longest)
    });
    let (first, longest) = &*FIRST;
    // Char starts from the end, so the suffixes are tried longest first.
    let starts: Vec<usize> = name
        .char_indices()
        .rev()
        .take(*longest)
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .rev()
        .find_map(|&i| first.get(&name[i..]))
        .map(|&i| terms()[i])
}

/// The planning theme a heading (or a lead-in's first sentences) implies: the first theme whose
/// keyword it contains, else the catch-all theme (the one without keywords, 综合).
#[must_use]
pub fn theme_of(heading: &str) -> &'static str {
    themes()
        .find(|t| t.keywords.iter().any(|k| heading.contains(k.as_str())))
        .or_else(|| themes().find(|t| t.keywords.is_empty()))
        .map_or("综合", |t| t.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_term_a_name_ends_in_is_the_first_term_a_scan_of_the_list_finds() {
        let scan = |name: &str| terms().iter().find(|(t, _)| name.ends_with(t)).copied();
        let mut names: Vec<String> = vec![String::new(), "渝中".into(), "鹅岭".into()];
        for (t, _) in terms() {
            for front in ["", "白象", "中山四", "路", "片区"] {
                names.push(format!("{front}{t}"));
                names.push(format!("{front}{t}旁"));
            }
        }
        for name in &names {
            assert_eq!(term_ending(name), scan(name), "{name}");
        }
    }

    #[test]
    fn the_file_lists_every_layer_and_status_once_in_the_enums_order() {
        let layers: Vec<Layer> = layers().map(|l| l.id).collect();
        assert_eq!(layers, Layer::ALL);
        let statuses: Vec<Status> = statuses().map(|s| s.id).collect();
        assert_eq!(statuses, Status::ALL);
    }

    #[test]
    fn kinds_and_generic_terms_are_each_listed_once() {
        let mut kinds: Vec<&str> = super::kinds().map(|k| k.kind.as_str()).collect();
        let n = kinds.len();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), n, "a kind is listed twice");
        let mut terms: Vec<&str> = terms().iter().map(|(t, _)| *t).collect();
        let n = terms.len();
        terms.sort_unstable();
        terms.dedup();
        assert_eq!(terms.len(), n, "a generic term gives two kinds");
    }

    #[test]
    fn a_verb_implies_one_status_only() {
        let mut verbs: Vec<&str> = statuses()
            .flat_map(|s| s.verbs.iter().map(String::as_str))
            .collect();
        let n = verbs.len();
        verbs.sort_unstable();
        verbs.dedup();
        assert_eq!(verbs.len(), n);
        assert_eq!(status_of_verb("开工"), Some(Status::Starting));
        assert_eq!(status_of_verb("吃饭"), None);
    }

    #[test]
    fn headings_give_their_theme_and_anything_else_the_catch_all() {
        assert_eq!(theme_of("（六）推动文化旅游深度融合"), "文旅");
        assert_eq!(theme_of("坚持政府自身建设"), "治理");
        assert_eq!(theme_of("其他"), "综合");
    }

    #[test]
    fn every_kind_has_one_of_at_most_fifteen_display_groups() {
        let mut groups: Vec<&str> = kinds().map(|k| k.group.as_str()).collect();
        assert!(
            groups.iter().all(|g| !g.is_empty()),
            "a kind without a group"
        );
        groups.sort_unstable();
        groups.dedup();
        assert!(groups.len() <= 15, "{groups:?}");
        assert_eq!(kind_group("停车场"), "停车场");
        assert_eq!(kind_group("风貌区"), "历史风貌");
        // The page's list of groups (`kind_groups`) says the same as each kind's `group`.
        let v: serde_json::Value = serde_json::from_str(json()).expect("json");
        let listed = v["kind_groups"].as_array().expect("kind_groups");
        for k in kinds() {
            let holders: Vec<&str> = listed
                .iter()
                .filter(|g| {
                    g["kinds"]
                        .as_array()
                        .is_some_and(|ks| ks.iter().any(|x| x == k.kind.as_str()))
                })
                .filter_map(|g| g["id"].as_str())
                .collect();
            assert_eq!(holders, [k.group.as_str()], "{}", k.kind);
        }
    }

    #[test]
    fn an_items_own_words_give_its_theme_before_its_kind() {
        assert_eq!(theme_of_item("十八梯", "风貌区"), Some("文旅"));
        assert_eq!(theme_of_item("湖广会馆", "会馆"), Some("文旅"));
        assert_eq!(theme_of_item("珊瑚坝湿地公园", "公园"), Some("生态"));
        assert_eq!(theme_of_item("站北路", "路"), None);
        assert_eq!(
            theme_of_item("十八梯北地块", "地块"),
            None,
            "a location is not a theme"
        );
        let themes: Vec<&str> = themes().map(|t| t.id.as_str()).collect();
        for k in kinds() {
            if let Some(t) = &k.theme {
                assert!(themes.contains(&t.as_str()), "{}: {t}", k.kind);
            }
        }
    }

    #[test]
    fn terms_are_tried_longest_first() {
        let t = terms();
        assert!(
            t.windows(2)
                .all(|w| w[0].0.chars().count() >= w[1].0.chars().count())
        );
        let yuan = t.iter().position(|(t, _)| *t == "园").expect("园");
        let park = t.iter().position(|(t, _)| *t == "产业园").expect("产业园");
        assert!(park < yuan);
    }

    #[test]
    fn an_unknown_kind_has_no_layer_so_callers_choose() {
        assert_eq!(layer_of_kind("路"), Some(Layer::Streets));
        assert_eq!(layer_of_kind("商圈"), Some(Layer::Zones));
        assert_eq!(layer_of_kind("立交"), Some(Layer::Streets));
        assert_eq!(layer_of_kind("大厦"), Some(Layer::Projects));
        assert_eq!(layer_of_kind("不是一种地物"), None);
        assert_eq!(layer_of_kind(""), None);
    }

    #[test]
    fn the_served_text_is_the_parsed_file() {
        let v: serde_json::Value = serde_json::from_str(json()).expect("json");
        assert_eq!(
            v["kinds"].as_array().map(Vec::len),
            Some(super::kinds().count())
        );
    }

    /// Kinds quoted in the OSM import's classification tables: the third string of each
    /// `("key", "value", "kind")` row and the second of each `("ending", "kind")` row of its
    /// road endings, read from its source so a kind added there is checked here.
    fn osm_import_kinds() -> Vec<String> {
        let src = include_str!("../import/classify.rs");
        let mut kinds = Vec::new();
        for line in src.lines().map(str::trim) {
            let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
            let non_ascii = |s: &&str| !s.is_ascii();
            if line.starts_with("(\"") && quoted.len() == 3 && non_ascii(&quoted[2]) {
                kinds.push(quoted[2].to_string());
            } else if line.starts_with("(\"") && quoted.len() == 2 && quoted.iter().all(non_ascii) {
                kinds.push(quoted[1].to_string());
            } else if let Some(k) = line
                .split_once("=> \"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(k, _)| k)
                .filter(|k| !k.is_ascii())
            {
                kinds.push(k.to_string());
            }
        }
        for fallback in ["地标", "道路", "站"] {
            assert!(src.contains(&format!("\"{fallback}\"")) || kinds.is_empty());
        }
        kinds
    }

    #[test]
    fn every_kind_any_source_produces_sits_on_a_layer_on_purpose() {
        let mut produced: Vec<(String, &str)> = Vec::new();
        // The parser: every generic term and the kinds of quoted names.
        for (_, kind) in terms() {
            produced.push(((*kind).to_string(), "parser term"));
        }
        for kind in ["轴", "连线", "片区"] {
            produced.push((kind.to_string(), "parser quoted name"));
        }
        // The curated gazetteer.
        let gazetteer: serde_json::Value =
            serde_json::from_str(include_str!("../../geodata/gazetteer.geojson")).expect("geojson");
        let features = gazetteer["features"].as_array().expect("features");
        assert!(!features.is_empty());
        for f in features {
            if let Some(kind) = f["properties"]["kind"].as_str() {
                produced.push((kind.to_string(), "geodata/gazetteer.geojson"));
            }
        }
        // The OSM import (stations, railways, roads, POIs and areas).
        let osm = osm_import_kinds();
        for kind in osm
            .iter()
            .chain(["站".to_string(), "轨道线".to_string()].iter())
        {
            produced.push((kind.clone(), "OSM import"));
        }
        // The parser's output on the seed.
        let seed = crate::report::parse(
            "seed",
            include_str!("../../seeds/yuzhong-2025.txt"),
            &crate::report::Lexicon::default(),
        );
        assert!(seed.items.len() > 50);
        for item in &seed.items {
            if item.kind.is_empty() {
                // A name without a generic term (解放碑 as a part of an axis): the parser puts
                // it on the projects layer explicitly until a source places it.
                assert_eq!(item.layer, Layer::Projects, "{}", item.name);
            } else {
                produced.push((item.kind.clone(), "seed parse"));
            }
        }
        let unmapped: Vec<_> = produced
            .iter()
            .filter(|(k, _)| layer_of_kind(k).is_none())
            .collect();
        assert!(unmapped.is_empty(), "kinds without a layer: {unmapped:?}");
    }

    #[test]
    fn the_osm_import_table_is_read_whole() {
        let kinds = osm_import_kinds();
        // The import switches to this table; until then its own table must be found.
        if include_str!("../import/classify.rs").contains("const KINDS") {
            assert!(kinds.contains(&"公园".to_string()), "{kinds:?}");
            assert!(kinds.contains(&"体育场馆".to_string()), "{kinds:?}");
            assert!(kinds.contains(&"立交".to_string()), "{kinds:?}");
        }
    }

    #[test]
    fn every_list_of_the_reading_grammar_loads_with_words_and_reasons() {
        let g = grammar();
        let lists = [
            &g.stops,
            &g.generic,
            &g.generic_modifiers,
            &g.generic_endings,
            &g.institution_centres,
            &g.elsewhere,
            &g.office_acts,
            &g.works,
            &g.institution_suffixes,
            &g.part_of_place,
            &g.along,
            &g.not_a_road,
            &g.verb_objects,
        ];
        for list in lists {
            assert!(!list.about.is_empty());
            for group in &list.groups {
                assert!(!group.why.is_empty(), "{}", list.about);
                assert!(!group.words.is_empty(), "{}", group.why);
                assert!(group.words.iter().all(|w| !w.trim().is_empty()));
            }
            assert!(!list.words().is_empty(), "{}", list.about);
        }
        for set in [
            &g.word_end_heads,
            &g.toponym_heads,
            &g.measures,
            &g.one_char_debris,
        ] {
            assert!(!set.chars.is_empty(), "{}", set.about);
        }
        // A generic part that is also a stop would end every name it heads.
        assert!(!g.stops.words().contains(&"公园"));
    }
}
