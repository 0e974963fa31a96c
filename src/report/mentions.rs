//! Finding the names of planned places in normalised sentences.
//!
//! Inputs: a sentence's chars and the [`Lexicon`] of known names (gazetteer names and
//! aliases). Output: [`Candidate`]s with char spans relative to the sentence.
//!
//! Two sources, merged: known names by Aho-Corasick (leftmost-longest), and pattern rules for
//! names the lexicon lacks: a head word (…路 …街 …片区 …产业园 …中心 …号线 …) whose name is
//! read back to the nearest punctuation or planning verb. Names joined by — (an axis, a
//! corridor) keep the join and list their parts; quoted names (“十字金街”) are read whole.
//! The grammar itself (generic terms, stops, what is generic) is [`super::grammar`]; the
//! known names are [`super::lexicon`].

use super::candidates;
use super::context::is_bracketed_alias;
pub use super::grammar::is_generic;
use super::grammar::{TOPONYM_HEADS, WORD_END_HEADS, kind_of, office_acts_after};
pub use super::lexicon::Lexicon;
use super::words::Words;
pub use crate::text::LexiconTerm;
use crate::text::{is_cjk, is_cn_numeral};

/// Where a candidate came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateSource {
    /// A known name; `key` is the place it names.
    Lexicon {
        /// Gazetteer id of the place.
        key: String,
    },
    /// A head-word pattern rule.
    Pattern,
    /// A quoted name.
    Quoted,
}

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The name as written (normalised).
    pub name: String,
    /// First char, relative to the sentence.
    pub start: usize,
    /// One past the last char, relative to the sentence.
    pub end: usize,
    /// Head-word kind.
    pub kind: String,
    /// Where it was found.
    pub source: CandidateSource,
    /// For a name joined by — : the places it joins, in order.
    pub parts: Vec<String>,
    /// Lexicon keys of known names inside this name (李子坝 in 李子坝大公报片区).
    pub contains: Vec<String>,
}

impl Candidate {
    /// A name of the grammar (not joined, holding no known name) at chars `start..end`.
    #[must_use]
    pub fn pattern(name: String, start: usize, end: usize, kind: String) -> Candidate {
        Candidate {
            name,
            start,
            end,
            kind,
            source: CandidateSource::Pattern,
            parts: Vec::new(),
            contains: Vec::new(),
        }
    }

    /// The grammar's name `name` at its first place in `sentence` (for tests of the stages).
    #[cfg(test)]
    pub(crate) fn first_in(sentence: &[char], name: &str) -> Candidate {
        let n: Vec<char> = name.chars().collect();
        let start = (0..sentence.len())
            .find(|&i| sentence[i..].starts_with(&n))
            .expect("in the sentence");
        Candidate::pattern(name.to_string(), start, start + n.len(), kind_of(name))
    }
}

/// The two known names a known name is made of, side by side (解放碑朝天门 = 解放碑 + 朝天门).
fn juxtaposed<'a>(text: &str, lexicon: &'a Lexicon) -> Option<(&'a LexiconTerm, &'a LexiconTerm)> {
    let a = lexicon
        .terms()
        .iter()
        .filter(|t| t.text.len() < text.len() && text.starts_with(t.text.as_str()))
        .max_by_key(|t| t.text.len())?;
    let b = lexicon.get(&text[a.text.len()..])?;
    Some((a, b))
}

/// Generic parts that name what remains of a place or works on it (老鼓楼衙署跨街谯楼|遗址): a
/// known name followed by one is the same place under a longer name.
pub const REMAINS: &[&str] = &["遗址", "旧址", "遗迹", "原址"];

/// A name the head-word rules cut inside a known name (老鼓楼衙署跨街|谯楼遗址) when only one
/// of [`REMAINS`] follows the known name: the name is the known name with it (which the merge
/// of known names then records in `contains`).
fn extend_over_known(
    sentence: &[char],
    known: &[(usize, usize, &LexiconTerm)],
    found: &mut [Candidate],
) {
    for c in found.iter_mut().filter(|c| c.parts.is_empty()) {
        let Some((ks, ke, _)) = known
            .iter()
            .find(|(ks, ke, _)| *ks < c.start && c.start < *ke && *ke < c.end)
        else {
            continue;
        };
        let rest: String = sentence[*ke..c.end].iter().collect();
        if REMAINS.contains(&rest.as_str()) {
            c.start = *ks;
            c.name = sentence[*ks..c.end].iter().collect();
        }
    }
}

/// Finds every candidate name in one sentence, in named stages: candidates from the grammar
/// and the gazetteer ([`super::candidates`]), the boundaries of each name against the known
/// names and the words glued to it, what its context says (a title, a comparison, a place
/// elsewhere, an office), and names written together ([`super::coordination`]).
#[must_use]
pub fn find(sentence: &[char], lexicon: &Lexicon) -> Vec<Candidate> {
    let known = lexicon.find(sentence);
    let words = Words::of(sentence);
    // 1. Candidates: head words, quoted names, members of a list of works.
    let mut found = candidates::from_head_words(sentence, lexicon, &known, &words);
    found.extend(candidates::from_quotes(sentence, lexicon));
    let listed = candidates::from_works_lists(sentence, &found, &known);
    found.extend(listed);
    found.sort_by_key(|c| c.start);
    // 2. Boundaries against the known names.
    let merged = merge_known(sentence, lexicon, &known, &words, found);
    // 3. Boundaries against the words glued in front.
    let mut merged = merged;
    super::debris::trim_leading_debris(sentence, &words, lexicon, &mut merged);
    super::speech::trim_speech(sentence, &words, lexicon, &mut merged);
    merged.retain(|c| !c.name.is_empty());
    super::debris::trim_boundary_words(&mut merged);
    super::debris::take_title_in_front(sentence, &mut merged);
    super::debris::strip_own_district(sentence, &words, lexicon, &mut merged);
    // What the cuts left inside another name (设|七星岗 of 设七星岗站) is a fragment of it.
    let merged = drop_fragments(merged);
    let merged = super::coordination::join_street_strips(sentence, &words, merged);
    let merged = super::coordination::join_branches(sentence, merged);
    let merged = super::coordination::join_house_numbers(sentence, merged);
    // 4. The decision: evidence for and against each name, weighed (settings of no plan,
    // sentence debris, known names, lists).
    let mut merged = super::decision::decide(sentence, &words, lexicon, merged);
    // Members of a list of places the head-word rules could not read (厚慈街、守备街、花街子),
    // weighed like the rest.
    let listed = super::lists::members_of_place_lists(sentence, &words, &merged);
    if !listed.is_empty() {
        merged.extend(super::decision::decide(sentence, &words, lexicon, listed));
    }
    // 5. Context: other names of a place, bodies named after it, offices.
    let merged = drop_bodies_and_offices(sentence, &words, merged);
    // 6. Names written together.
    let merged = super::coordination::join_dashed(sentence, merged);
    let mut merged = super::coordination::expand_shared(sentence, merged);
    merged.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    merged.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.name == b.name);
    merged
}

/// Stage 2: merges the known names with the grammar's. A known name inside a grammar name that
/// is not a join is part of that name (李子坝 in 李子坝大公报片区, recorded in `contains`); a
/// grammar name inside a known name yields to it; a grammar name that is only known names side
/// by side (菜园坝|重庆站) is those names; the parts of a join and a known name made of two
/// known names are candidates too; a grammar name inside another plain name is a fragment.
fn merge_known(
    sentence: &[char],
    lexicon: &Lexicon,
    known: &[(usize, usize, &LexiconTerm)],
    words: &Words,
    mut found: Vec<Candidate>,
) -> Vec<Candidate> {
    found.retain(|c| {
        if !c.parts.is_empty() {
            return true;
        }
        let (mut at, mut n) = (c.start, 0);
        while at < c.end {
            let Some(&(_, e, _)) = known.iter().find(|(s, _, _)| *s == at) else {
                break;
            };
            at = e;
            n += 1;
        }
        !(at == c.end && n >= 2)
    });
    extend_over_known(sentence, known, &mut found);
    let mut merged: Vec<Candidate> = Vec::new();
    let mut side_by_side: Vec<Candidate> = Vec::new();
    for &(start, end, term) in known {
        // A pattern name that ends where a known name ends only adds words in front of it,
        // mostly verbs the stop list lacks (激活大坪正街): the known name wins.
        // A single noun in front (人民|大礼堂) is part of a longer name, though.
        found.retain(|c| {
            !(c.end == end
                && c.start < start
                && c.parts.is_empty()
                && !words.is_one_noun(c.start, start))
        });
        if let Some(host) = found.iter_mut().find(|c| {
            c.start <= start
                && end <= c.end
                && (c.end - c.start) > (end - start)
                && c.parts.is_empty()
        }) {
            host.contains.push(term.key.clone());
            continue;
        }
        found.retain(|c| !(start <= c.start && c.end <= end));
        // A known name made of two known names side by side (解放碑朝天门, the joint zone)
        // names both places as well.
        if let Some((a, b)) = juxtaposed(&term.text, lexicon)
            && a.key != term.key
            && b.key != term.key
        {
            let split = start + a.text.chars().count();
            for (t, s, e) in [(a, start, split), (b, split, end)] {
                side_by_side.push(Candidate {
                    name: t.text.clone(),
                    start: s,
                    end: e,
                    kind: t.kind.clone(),
                    source: CandidateSource::Lexicon { key: t.key.clone() },
                    parts: Vec::new(),
                    contains: Vec::new(),
                });
            }
        }
        merged.push(Candidate {
            name: sentence[start..end].iter().collect(),
            start,
            end,
            // The name's own head word says what it is (五一路重庆金融街 is a street even when
            // the entry it matched is a zone); else the entry's kind.
            // A bare toponym's last char (朝天门, 大溪沟) says less than the entry does.
            kind: Some(kind_of(&term.text))
                .filter(|k| {
                    !k.is_empty()
                        && (term.kind.is_empty()
                            || !(TOPONYM_HEADS.contains(k.as_str())
                                || k == "楼"
                                || term.text.ends_with(|c| WORD_END_HEADS.contains(c))))
                })
                .unwrap_or_else(|| term.kind.clone()),
            source: CandidateSource::Lexicon {
                key: term.key.clone(),
            },
            parts: Vec::new(),
            contains: Vec::new(),
        });
    }
    let part_candidates = join_parts(sentence, &found, &merged);
    merged.extend(found);
    merged.extend(part_candidates);
    merged.extend(side_by_side);
    drop_fragments(merged)
}

/// The parts of each join in `found` (戴家巷|国泰艺术中心 of the corridor) as candidates of
/// their own, where no known name or earlier part covers them: they may be planned elsewhere
/// too.
fn join_parts(sentence: &[char], found: &[Candidate], merged: &[Candidate]) -> Vec<Candidate> {
    let mut part_candidates = Vec::new();
    for c in found {
        let mut from = c.start;
        for part in &c.parts {
            let pc: Vec<char> = part.chars().collect();
            let Some(off) = (from..c.end.saturating_sub(pc.len() - 1))
                .find(|&s| sentence[s..s + pc.len()] == pc[..])
            else {
                continue;
            };
            from = off + pc.len();
            let overlaps = merged
                .iter()
                .chain(part_candidates.iter())
                .any(|m: &Candidate| m.start < off + pc.len() && off < m.end);
            if !overlaps && !is_generic(part, &kind_of(part)) {
                part_candidates.push(Candidate {
                    name: part.clone(),
                    start: off,
                    end: off + pc.len(),
                    kind: kind_of(part),
                    source: CandidateSource::Pattern,
                    parts: Vec::new(),
                    contains: Vec::new(),
                });
            }
        }
    }
    part_candidates
}

/// A grammar name strictly inside another plain (not joined) name is a fragment of it.
fn drop_fragments(mut merged: Vec<Candidate>) -> Vec<Candidate> {
    let spans: Vec<(usize, usize, bool)> = merged
        .iter()
        .map(|c| (c.start, c.end, c.parts.is_empty()))
        .collect();
    merged.retain(|c| {
        !matches!(c.source, CandidateSource::Pattern)
            || !spans.iter().any(|&(s, e, plain)| {
                plain && s <= c.start && c.end <= e && (e - s) > (c.end - c.start)
            })
    });
    merged
}

/// Whether the name ending at `end` is one of a list of sub-districts named only as offices or
/// units (望龙门、解放碑等相关街道, 朝天门、解放碑、南纪门三个街道).
pub(super) fn in_list_of_sub_districts(sentence: &[char], end: usize) -> bool {
    let name_char = |c: char| is_cjk(c) && !"等个個两".contains(c) && !is_cn_numeral(c);
    let mut at = end;
    // Past the rest of the list (、解放碑、南纪门).
    while sentence.get(at) == Some(&'、') {
        at += 1;
        while sentence.get(at).is_some_and(|&c| name_char(c)) {
            at += 1;
        }
    }
    let rest: String = sentence[at..].iter().take(8).collect();
    let mut tail = rest.as_str();
    let mut closed = false;
    if let Some(t) = tail.strip_prefix('等') {
        tail = t.strip_prefix("相关").unwrap_or(t);
        closed = true;
    }
    let counted =
        tail.trim_start_matches(|c: char| is_cn_numeral(c) || c.is_ascii_digit() || c == '两');
    if counted.len() < tail.len()
        && let Some(t) = counted.strip_prefix(['个', '個'])
    {
        tail = t;
        closed = true;
    }
    closed && tail.starts_with("街道")
}

/// Whether a candidate is a bare toponym the gazetteer knows (较场口, 七星岗, 化龙桥: no generic
/// part of two chars) or a street (沧白路): a place that holds landmarks rather than one that
/// has another name.
fn is_area_or_street(c: &Candidate) -> bool {
    let bare = super::decision::head_len(&c.name) <= 1;
    ["路", "街", "巷"].iter().any(|h| c.name.ends_with(h))
        || bare && matches!(c.source, CandidateSource::Lexicon { .. })
        // 南纪门（山城巷）: a toponym the grammar read.
        || bare && c.name.ends_with(|ch: char| TOPONYM_HEADS.contains(ch))
}

/// Stage 5: drops another name of the place before (in brackets), the proper part of a body
/// or event named after a place, and a sub-district that only locates the next place or acts
/// as an office.
fn drop_bodies_and_offices(
    sentence: &[char],
    words: &Words,
    mut merged: Vec<Candidate>,
) -> Vec<Candidate> {
    // A bare area or a street before the brackets is where the bracketed landmark is, as a
    // stop is named (较场口（日月光广场）, 沧白路（洪崖洞）): both are places.
    let ends: Vec<usize> = merged
        .iter()
        .filter(|p| !is_area_or_street(p))
        .map(|c| c.end)
        .collect();
    merged.retain(|c| {
        !ends
            .iter()
            .any(|&e| is_bracketed_alias(sentence, c.start, c.end, e))
    });
    // A name that is the proper part of an institution, office, company or event
    // (七星岗街道办事处, 山城巷文化节) is not a planned place.
    merged.retain(|c| !words.names_an_institution_after(sentence, c.end));
    // 七星岗街道观音岩社区, 南纪门街道的凤凰台社区: a sub-district that qualifies the place
    // named next is where that place is, not planned itself, unless the text says the place
    // lies in it (位于七星岗街道…, 在石油路街道的…); 由七星岗街道协调: its office.
    let starts: Vec<usize> = merged.iter().map(|c| c.start).collect();
    merged.retain(|c| {
        if !c.name.ends_with("街道") {
            return true;
        }
        let before: String = sentence[c.start.saturating_sub(2)..c.start]
            .iter()
            .collect();
        let next = if sentence.get(c.end) == Some(&'的') {
            c.end + 1
        } else {
            c.end
        };
        let qualifies = starts.contains(&next);
        let located = ["位于", "在", "于"].iter().any(|w| before.ends_with(w));
        !(before.ends_with('由') || qualifies && !located)
    });
    // 解放碑街道、朝天门街道负责…: sub-districts that act are their offices.
    merged.retain(|c| !(c.name.ends_with("街道") && office_acts_after(sentence, c.end)));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str, lexicon: &Lexicon) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        find(&chars, lexicon).into_iter().map(|c| c.name).collect()
    }

    fn lexicon(words: &[&str]) -> Lexicon {
        Lexicon::of_names(words)
    }

    #[test]
    fn a_verb_before_a_name_is_not_part_of_it() {
        let n = names(
            "推进李子坝大公报片区、印制贰厂南区更新改造等项目。",
            &Lexicon::default(),
        );
        assert!(n.contains(&"李子坝大公报片区".to_string()), "{n:?}");
    }

    #[test]
    fn interchanges_and_streets_in_a_list_are_each_found() {
        let n = names(
            "同步开工站北路、菜园坝立交、兜子背立交项目。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["站北路", "菜园坝立交", "兜子背立交"]);
    }

    #[test]
    fn a_corridor_joining_two_places_keeps_the_join_and_records_its_parts() {
        let chars: Vec<char> = "启动戴家巷—国泰艺术中心连廊建设。".chars().collect();
        let c = find(&chars, &Lexicon::default());
        let joined = c
            .iter()
            .find(|c| c.name == "戴家巷—国泰艺术中心连廊")
            .expect("joined");
        assert_eq!(joined.parts, vec!["戴家巷", "国泰艺术中心"]);
        // A place of a join is planned alone only where the text writes it alone.
        assert_eq!(c.len(), 1, "{c:?}");
    }

    #[test]
    fn a_quoted_axis_is_read_whole_with_its_places() {
        let lex = lexicon(&["朝天门", "解放碑", "通远门"]);
        let chars: Vec<char> = "“一轴”是“朝天门—解放碑—通远门”城市中心主轴。"
            .chars()
            .collect();
        let c = find(&chars, &lex);
        let axis = c
            .iter()
            .find(|c| c.name == "朝天门—解放碑—通远门")
            .expect("axis");
        assert_eq!(axis.parts.len(), 3);
        assert!(c.iter().any(|c| c.name == "解放碑"));
    }

    #[test]
    fn generic_words_are_not_places() {
        let n = names(
            "重点实验室、企业技术中心等科研平台突破40家。",
            &Lexicon::default(),
        );
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_known_name_inside_a_longer_name_is_recorded_not_split_off() {
        let lex = lexicon(&["李子坝"]);
        let chars: Vec<char> = "推进李子坝大公报片区。".chars().collect();
        let c = find(&chars, &lex);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].contains, vec!["李子坝"]);
    }

    #[test]
    fn debris_words_never_start_a_name() {
        let n = names(
            "我区解放东路完成改造，其中包括青年路、一期中兴路，并延伸至四方街。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["解放东路", "青年路", "中兴路", "四方街"]);
    }

    #[test]
    fn generic_roads_and_figures_of_speech_are_not_names() {
        let n = names(
            "优化三处交叉路口信号，让居民的回家路更顺，发挥桥梁作用，打造桥头堡。",
            &Lexicon::default(),
        );
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_park_opening_and_a_back_garden_are_not_names() {
        let n = names(
            "珊瑚坝公园年内开园，把江岸变成居民的后花园。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["珊瑚坝公园"], "{n:?}");
    }

    #[test]
    fn old_gates_temples_and_bridges_are_names_of_their_own() {
        let n = names(
            "修缮储奇门城墙遗址，整治上清寺路口和响水桥周边，新建千厮门嘉陵江大桥观景台。",
            &lexicon(&["响水桥"]),
        );
        // The junction (路口) of 上清寺 is planned as 上清寺.
        for name in ["储奇门", "上清寺", "响水桥", "千厮门嘉陵江大桥"] {
            assert!(n.contains(&name.to_string()), "{name} in {n:?}");
        }
    }

    #[test]
    fn a_street_followed_by_road_works_keeps_its_own_name() {
        let n = names("推进新华路纵横街道路改造。", &Lexicon::default());
        assert!(n.contains(&"纵横街".to_string()), "{n:?}");
    }

    #[test]
    fn every_street_in_a_list_after_a_business_district_is_found() {
        let n = names(
            "提升解放碑核心商圈青年路、中华路、民权路、邹容路街面。",
            &Lexicon::default(),
        );
        for name in ["青年路", "中华路", "民权路", "邹容路"] {
            assert!(n.contains(&name.to_string()), "{name} in {n:?}");
        }
    }

    #[test]
    fn a_project_keeps_its_own_name_over_the_area_it_is_named_after() {
        let n = names("启动化龙桥天桥建设。", &lexicon(&["化龙桥"]));
        assert_eq!(n, vec!["化龙桥天桥"]);
    }

    #[test]
    fn a_verb_phrase_in_front_of_a_name_is_cut_at_its_last_word() {
        let n = names("游客可搭乘皇冠大扶梯上下。", &Lexicon::default());
        assert_eq!(n, vec!["皇冠大扶梯"]);
    }

    #[test]
    fn a_street_named_after_a_verb_keeps_its_name() {
        let n = names("完成解放路和解放东路改造。", &Lexicon::default());
        for name in ["解放路", "解放东路"] {
            assert!(n.contains(&name.to_string()), "{name} in {n:?}");
        }
    }

    #[test]
    fn a_place_named_as_an_event_s_venue_is_not_planned() {
        let n = names("办好消费季七星岗分会场活动。", &lexicon(&["七星岗"]));
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_place_in_the_name_of_an_office_or_a_festival_is_not_planned() {
        let lex = lexicon(&["七星岗", "山城巷"]);
        let n = names("七星岗街道办事处牵头举办山城巷文化节。", &lex);
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn works_on_a_place_named_before_a_project_noun_keep_the_place() {
        let n = names("启动解放碑改造工程。", &lexicon(&["解放碑"]));
        assert_eq!(n, vec!["解放碑"]);
    }

    #[test]
    fn other_countries_and_cities_are_not_places_of_the_plan() {
        let n = names("借鉴新加坡、香港和台湾的经验。", &Lexicon::default());
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn sub_districts_that_act_are_offices_not_areas() {
        let n = names(
            "解放碑街道、朝天门街道负责组织实施，在南纪门街道辖区新建食堂。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["南纪门街道"]);
    }

    #[test]
    fn a_car_park_named_after_a_street_keeps_its_own_name() {
        let n = names("金汤街停车楼完工，新建立体停车场。", &Lexicon::default());
        assert_eq!(n, vec!["金汤街停车楼"]);
    }

    #[test]
    fn the_lanes_of_a_named_street_are_planned_as_the_street() {
        let n = names("推进大坪正街街巷提升。", &Lexicon::default());
        assert_eq!(n, vec!["大坪正街"]);
    }

    #[test]
    fn an_ordinal_names_no_place() {
        let n = names("打造消费第一站。", &Lexicon::default());
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_section_title_run_into_the_next_line_is_no_part_of_the_name() {
        let n = names(
            "现答复如下：一、基本情况张家花园片区坡陡路窄，停车难。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["张家花园片区"]);
    }

    #[test]
    fn a_superlative_ranks_and_names_no_place() {
        let n = names("中山四路被叫作“重庆最美街道”。", &Lexicon::default());
        assert_eq!(n, vec!["中山四路"]);
        // 最后 is a time word, not a rank; 第二天 counts days.
        let n = names("最后去新华路坐索道。", &Lexicon::default());
        assert_eq!(n, vec!["新华路"]);
        let n = names("第二天去鹅岭公园，从公园出来。", &Lexicon::default());
        assert_eq!(n, vec!["鹅岭公园"]);
    }

    #[test]
    fn a_street_with_numerals_side_by_side_is_no_slogan() {
        let n = names("改造五一路。", &Lexicon::default());
        assert_eq!(n, vec!["五一路"]);
    }

    #[test]
    fn departments_and_home_are_not_places() {
        let n = names("各相关部门和窗口单位要共建美好家园。", &Lexicon::default());
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn works_in_a_list_closed_by_deng_gongcheng_are_each_planned() {
        let n = names(
            "完工朝天门金角、嘉宾里等工程，完成老旧小区、古城墙修缮等工程。",
            &lexicon(&["朝天门"]),
        );
        assert_eq!(n, vec!["朝天门金角", "嘉宾里"]);
    }

    #[test]
    fn a_park_named_by_what_it_gathers_is_planned_when_built() {
        let n = names("高水平打造国际金融产业园。", &Lexicon::default());
        assert_eq!(n, vec!["国际金融产业园"]);
        let n = names("推动国际金融产业园区提质。", &Lexicon::default());
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_known_name_of_two_known_names_names_both() {
        let n = names(
            "推动解放碑朝天门一体发展。",
            &lexicon(&["解放碑", "朝天门", "解放碑朝天门"]),
        );
        assert_eq!(n, vec!["解放碑朝天门", "解放碑", "朝天门"]);
    }

    #[test]
    fn a_known_name_with_the_word_for_its_remains_is_one_longer_name() {
        let lex = lexicon(&["老鼓楼衙署跨街谯楼"]);
        let chars: Vec<char> = "推进老鼓楼衙署跨街谯楼遗址保护展示工程。".chars().collect();
        let c = find(&chars, &lex);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].name, "老鼓楼衙署跨街谯楼遗址");
        assert_eq!(c[0].contains, vec!["老鼓楼衙署跨街谯楼"]);
    }

    fn stage_names(c: &[Candidate]) -> Vec<&str> {
        c.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn merging_keeps_a_known_name_inside_a_longer_one_as_its_content() {
        let lex = lexicon(&["李子坝"]);
        let s: Vec<char> = "推进李子坝大公报片区。".chars().collect();
        let known = lex.find(&s);
        let found = vec![Candidate::first_in(&s, "李子坝大公报片区")];
        let merged = merge_known(&s, &lex, &known, &Words::of(&s), found);
        assert_eq!(stage_names(&merged), ["李子坝大公报片区"]);
        assert_eq!(merged[0].contains, ["李子坝"]);
    }

    #[test]
    fn offices_and_bodies_named_after_places_are_dropped() {
        let s: Vec<char> = "解放碑街道负责，举办山城巷文化节，改造山城巷。"
            .chars()
            .collect();
        let mut found = vec![
            Candidate::first_in(&s, "解放碑街道"),
            Candidate::first_in(&s, "山城巷"),
        ];
        let second: Vec<char> = "山城巷".chars().collect();
        let at = (found[1].end..s.len())
            .find(|&i| s[i..].starts_with(&second))
            .expect("second");
        let mut last = Candidate::first_in(&s, "山城巷");
        last.start = at;
        last.end = at + 3;
        found.push(last);
        let kept = drop_bodies_and_offices(&s, &Words::of(&s), found);
        assert_eq!(stage_names(&kept), ["山城巷"]);
        assert_eq!(kept[0].start, at);
    }

    #[test]
    fn a_landmark_in_brackets_after_an_area_is_a_place_but_another_name_is_not() {
        let lex = lexicon(&["七星岗", "通远门"]);
        let n = names("终点七星岗（通远门）。", &lex);
        assert_eq!(n, ["七星岗", "通远门"]);
        let n = names("修缮特园旧址（中国民主党派历史陈列馆）。", &lex);
        assert_eq!(n, ["特园旧址"]);
    }

    #[test]
    fn places_listed_as_sub_districts_are_offices_not_plans() {
        let s: Vec<char> = "会同望龙门、解放碑等相关街道编制，在朝天门、南纪门两个街道各建一处。"
            .chars()
            .collect();
        for name in ["望龙门", "解放碑", "朝天门", "南纪门"] {
            let c = Candidate::first_in(&s, name);
            assert!(in_list_of_sub_districts(&s, c.end), "{name}");
        }
        let s: Vec<char> = "改造望龙门、解放碑等片区。".chars().collect();
        assert!(!in_list_of_sub_districts(&s, 5));
    }
}
