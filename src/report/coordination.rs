//! Names written together: places joined by a dash under one generic part (an axis, a walk, a
//! zone: 解放碑—朝天门步行大道, 大坪—石油路商务走廊), and names that share their generic part
//! (解放东西路 = 解放东路 + 解放西路, 南北区路, 上下半城, 长江一、二路, 中山一、二、三路).
//!
//! Input: a sentence's chars and the candidates the head-word rules and the gazetteer found in
//! it (char spans relative to the sentence). Output: the candidates with each dashed run under a
//! generic part read as one joined name (its places as `parts`, the places themselves kept
//! apart only when written alone), and each shared-suffix form replaced by the names it stands
//! for, all on the span of the written form.

use super::grammar::kind_of;
use super::mentions::{Candidate, CandidateSource};
use crate::plan::Layer;
use crate::text::{is_cjk, is_cn_numeral};

/// Generic parts of a dashed run that the vocabulary's kinds lack (通廊 is a 连廊), with the
/// kind they give.
const JOIN_HEADS: &[(&str, &str)] = &[
    ("通廊", "连廊"),
    ("通道", "通道"),
    ("更新单元", "片区"),
    ("环线", "步道"),
    ("商务带", "片区"),
    ("景观带", "片区"),
    ("经济带", "片区"),
    ("发展带", "片区"),
];

/// Generic parts of a route or a belt that a dashed run of places names by its ends
/// (解放碑—洪崖洞—朝天门|立体步行环线, 两路口—上清寺|商务带): read through the modifiers before
/// them (立体, 滨江, 段), which would otherwise end the generic part as stop words.
const ROUTE_HEADS: &[&str] = &[
    "步道",
    "大道",
    "环线",
    "连廊",
    "通廊",
    "通道",
    "步行街",
    "商务带",
    "景观带",
    "经济带",
    "发展带",
];

/// Generic parts of a dashed run that start with a verb of works (储奇门—望龙门城市|更新单元).
const JOIN_HEADS_WITH_VERBS: &[&str] = &["更新单元"];

/// Most chars between a dashed run and the end of its generic part (步行大道, 历史步道).
const JOIN_HEAD_REACH: usize = 6;

/// Heads of a strip named on a street (八一路|好吃街): a lane or walk of shops or food.
const STRIP_HEADS: &[&str] = &["街", "巷"];

/// Joins a street and the strip named on it right after it (八一路|好吃街 → 八一路好吃街): a
/// name whose proper part is one adjective or word of praise (好吃) names no place by itself; glued
/// to the street before it, it names the stretch of that street. Both are the grammar's (or the
/// street a known name); the joined name keeps the street's place as what it holds.
#[must_use]
pub fn join_street_strips(
    sentence: &[char],
    words: &super::words::Words,
    mut found: Vec<Candidate>,
) -> Vec<Candidate> {
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (i, strip) in found.iter().enumerate() {
        if !matches!(strip.source, CandidateSource::Pattern)
            || !STRIP_HEADS.iter().any(|h| strip.name.ends_with(h))
            || strip.name.chars().count() != 3
        {
            continue;
        }
        // The proper part is one word of quality or action (好吃, not 白象 or 金汤).
        let Some(w) = words.at(strip.start) else {
            continue;
        };
        // An adjective or a word of praise (好吃, 好玩): 纵横 of 纵横街 is a verb, a street's
        // own name.
        let quality = w.start == strip.start
            && w.end == strip.end - 1
            && (w.tag.starts_with('a') || sentence[strip.start] == '好');
        let street = found.iter().position(|s| {
            s.end == strip.start
                && s.parts.is_empty()
                && (s.name.ends_with('路') || s.name.ends_with('街'))
        });
        if let (true, Some(street)) = (quality, street) {
            joined.push((street, i));
        }
    }
    for &(street, strip) in joined.iter().rev() {
        let end = found[strip].end;
        let s = &mut found[street];
        s.end = end;
        s.name = sentence[s.start..end].iter().collect();
        s.kind = kind_of(&s.name);
        if let CandidateSource::Lexicon { key } = &s.source {
            s.contains.push(key.clone());
        }
        s.source = CandidateSource::Pattern;
        found.remove(strip);
    }
    found
}

/// Parts of an institution named after the street or area they stand in (凯旋路校区, 临江路院区).
const BRANCHES: &[&str] = &["校区", "院区", "分院", "分校"];

/// Institutions whose branches are named after their street (人和街小学|凯旋路校区).
const BRANCH_OWNERS: &[&str] = &["小学", "中学", "学校", "大学", "学院", "医院", "幼儿园"];

/// Joins an institution and the branch written right after it (人和街小学|凯旋路校区 →
/// 人和街小学凯旋路校区): a campus named after a street is that institution's, not the street's
/// nor a site of its own.
#[must_use]
pub fn join_branches(sentence: &[char], mut found: Vec<Candidate>) -> Vec<Candidate> {
    let mut joined: Vec<(usize, usize)> = Vec::new();
    for (i, branch) in found.iter().enumerate() {
        if !BRANCHES.iter().any(|b| branch.name.ends_with(b)) || !branch.parts.is_empty() {
            continue;
        }
        if let Some(owner) = found.iter().position(|o| {
            o.end == branch.start
                && o.parts.is_empty()
                && BRANCH_OWNERS.iter().any(|h| o.name.ends_with(h))
        }) {
            joined.push((owner, i));
        }
    }
    for &(owner, branch) in joined.iter().rev() {
        let end = found[branch].end;
        let kind = found[branch].kind.clone();
        let o = &mut found[owner];
        o.end = end;
        o.name = sentence[o.start..end].iter().collect();
        o.kind = kind;
        if let CandidateSource::Lexicon { key } = &o.source {
            o.contains.push(key.clone());
        }
        o.source = CandidateSource::Pattern;
        found.remove(branch);
    }
    found
}

/// Extends a street to the compound it addresses by house number right after it
/// (金汤街|54号院 → 金汤街54号院, 长江二路189号院): a 院落 named by its address is a site of its
/// own; the street is an item only where the text writes it alone.
#[must_use]
pub fn join_house_numbers(sentence: &[char], mut found: Vec<Candidate>) -> Vec<Candidate> {
    for c in &mut found {
        if !c.parts.is_empty() || !["路", "街", "巷"].iter().any(|h| c.name.ends_with(h)) {
            continue;
        }
        let digits = sentence[c.end..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        let after = c.end + digits;
        if digits > 0 && sentence.get(after..after + 2) == Some(&['号', '院'][..]) {
            if let CandidateSource::Lexicon { key } = &c.source {
                c.contains.push(key.clone());
            }
            c.end = after + 2;
            c.name = sentence[c.start..c.end].iter().collect();
            c.kind = "院".to_string();
            c.source = CandidateSource::Pattern;
        }
    }
    found
}

/// The kind of a generic part after a dashed run: a vocabulary term it ends in, else a
/// [`JOIN_HEADS`] entry.
fn join_head_kind(after: &str) -> Option<String> {
    let kind = kind_of(after);
    if !kind.is_empty() {
        return Some(kind);
    }
    JOIN_HEADS
        .iter()
        .find(|(h, _)| after.ends_with(h))
        .map(|(_, k)| (*k).to_string())
}

/// The chars after a dashed run that may hold its generic part: up to [`JOIN_HEAD_REACH`],
/// before any function word or verb (…片区等核心节点, …片区联动更新), except a generic part that
/// holds a verb (城市|更新单元), which is read whole.
fn words_after(sentence: &[char], end: usize) -> Vec<char> {
    let run: Vec<char> = sentence[end..]
        .iter()
        .take(JOIN_HEAD_REACH)
        .take_while(|c| is_cjk(**c) && !"等的和与及".contains(**c))
        .copied()
        .collect();
    if let Some(n) = (2..=run.len()).find(|&n| {
        let text: String = run[..n].iter().collect();
        ROUTE_HEADS.iter().any(|h| text.ends_with(h))
    }) {
        return run[..n].to_vec();
    }
    let mut after: Vec<char> = Vec::new();
    for &c in sentence[end..].iter().take(JOIN_HEAD_REACH) {
        let at = end + after.len();
        let two: String = sentence[at..(at + 2).min(sentence.len())].iter().collect();
        let rest: String = sentence[at..(at + JOIN_HEAD_REACH).min(sentence.len())]
            .iter()
            .collect();
        if let Some(h) = JOIN_HEADS_WITH_VERBS.iter().find(|h| rest.starts_with(*h)) {
            after.extend(sentence[at..at + h.chars().count()].iter());
            break;
        }
        if !is_cjk(c)
            || "等的和与及".contains(c)
            || (!after.is_empty()
                && (super::targets::is_verb(&two) || super::grammar::is_stop_word(&two)))
        {
            break;
        }
        after.push(c);
    }
    after
}

/// Reads every run of names joined by a dash and followed by a generic part as one name.
#[must_use]
pub fn join_dashed(sentence: &[char], mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    // A join inside a longer join (戴家巷—国泰艺术中心 in …连廊) is a piece of it.
    let joins: Vec<(usize, usize)> = found
        .iter()
        .filter(|c| !c.parts.is_empty())
        .map(|c| (c.start, c.end))
        .collect();
    found.retain(|c| {
        c.parts.is_empty()
            || !joins
                .iter()
                .any(|&(s, e)| s <= c.start && c.end <= e && (s, e) != (c.start, c.end))
    });
    let mut joined: Vec<Candidate> = Vec::new();
    let mut i = 0;
    while i < found.len() {
        if joined.last().is_some_and(|j| found[i].start < j.end) {
            // A later member of the last joined run.
            i += 1;
            continue;
        }
        // The run: names that follow each other across a dash (a known name may hold a dash
        // itself: 解放碑—朝天门).
        let mut chain = vec![i];
        let mut end = found[i].end;
        while sentence.get(end) == Some(&'—') {
            let Some(next) = found.iter().position(|c| c.start == end + 1) else {
                break;
            };
            chain.push(next);
            end = found[next].end;
        }
        let dashed = chain.len() >= 2 || found[i].name.contains('—');
        let after = words_after(sentence, end);
        // A join of the grammar goes on only across a further dash (朝天门—湖广会馆|—白象街…)
        // or into a route's generic part (燕子岩—飞机码头|段步道).
        let route_after = ROUTE_HEADS
            .iter()
            .any(|h| after.iter().collect::<String>().ends_with(h));
        // A run named as a bus route's ends (“A—B”接驳线) names the route, not a place.
        let bus_route = super::roles::names_a_route(sentence, end);
        if !dashed || bus_route || !found[i].parts.is_empty() && chain.len() < 2 && !route_after {
            i += 1;
            continue;
        }
        // A generic part of a route (连廊, 步行大道, 通廊) after the places joins them; a run
        // whose last place already ends in an area's generic part (望龙门—白象街片区,
        // 燕子岩—飞机码头传统风貌区|坡坎) is that area's name whole; else a generic part after
        // places that have none of two chars (望龙门—白象街|片区).
        let last = &found[chain[chain.len() - 1]];
        let last_kind = kind_of(&last.name);
        let after_head = (2..=after.len()).find_map(|n| {
            let text: String = after[..n].iter().collect();
            join_head_kind(&text).map(|k| (n, k))
        });
        let layer = |k: &str| crate::vocab::layer_of_kind(k);
        let head = match after_head {
            Some((n, k)) if layer(&k) == Some(Layer::Streets) || route_after => Some((n, k)),
            _ if last_kind.chars().count() >= 2 => (chain.len() >= 2
                && layer(&last_kind) == Some(Layer::Zones))
            .then_some((0, last_kind)),
            other => other,
        };
        let Some((n, kind)) = head else {
            i += 1;
            continue;
        };
        let start = found[i].start;
        let parts: Vec<String> = chain
            .iter()
            .flat_map(|&k| found[k].name.split('—').map(str::to_string))
            .filter(|p| !p.is_empty())
            .collect();
        joined.push(Candidate {
            name: sentence[start..end + n].iter().collect(),
            start,
            end: end + n,
            kind,
            source: CandidateSource::Pattern,
            parts,
            contains: Vec::new(),
        });
        i += 1;
    }
    if joined.is_empty() {
        return found;
    }
    // What lies inside a joined name is its parts, not names of their own; a place of the
    // join is planned alone only where the text writes it alone.
    found.retain(|c| {
        !joined
            .iter()
            .any(|j| j.start <= c.start && c.end <= j.end && (j.start, j.end) != (c.start, c.end))
    });
    found.retain(|c| !joined.iter().any(|j| (j.start, j.end) == (c.start, c.end)));
    found.extend(joined);
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    found
}

/// Pairs of directions or halves a name may share its generic part across (解放东西路).
const PAIRS: &[[char; 2]] = &[['东', '西'], ['南', '北'], ['上', '下']];

/// Generic parts shared across a pair or a list of numerals.
const SHARED_HEADS: &[&str] = &["区路", "半城", "路", "街", "巷"];

/// The proper part before a shared form ending at `at`: the two chars before it, unless they
/// are a verb or not a name's chars (整治|南北区路 has none).
fn proper_before(sentence: &[char], at: usize) -> usize {
    if at < 2 || !sentence[at - 2..at].iter().all(|&c| is_cjk(c)) {
        return at;
    }
    let two: String = sentence[at - 2..at].iter().collect();
    let one = sentence[at - 1];
    if super::targets::is_verb(&two)
        || super::grammar::is_stop_word(&two)
        || "、，和与及的在把对将".contains(one)
    {
        return at;
    }
    at - 2
}

/// A shared-suffix form in `sentence`: its span and the names it stands for.
type Shared = (usize, usize, Vec<String>);

/// Every shared-suffix form of a sentence.
fn shared_forms(sentence: &[char]) -> Vec<Shared> {
    let mut out: Vec<Shared> = Vec::new();
    let mut i = 0;
    while i + 2 < sentence.len() {
        // 解放东西路, 南北区路, 上下半城.
        if let Some(pair) = PAIRS
            .iter()
            .find(|p| sentence[i] == p[0] && sentence[i + 1] == p[1])
            && let Some(head) = SHARED_HEADS.iter().find(|h| {
                let h: Vec<char> = h.chars().collect();
                sentence.get(i + 2..i + 2 + h.len()) == Some(&h[..])
            })
        {
            let head_end = i + 2 + head.chars().count();
            // A longer generic part goes on (东西路口 is still the streets; 东西走向 is no name).
            let start = proper_before(sentence, i);
            let proper: String = sentence[start..i].iter().collect();
            // 上下半城 needs no proper part; a street (路, 街, 巷) does, or 区路.
            if !proper.is_empty() || ["区路", "半城"].contains(head) {
                let names = pair.iter().map(|d| format!("{proper}{d}{head}")).collect();
                out.push((start, head_end, names));
                i = head_end;
                continue;
            }
        }
        // 长江一、二路, 中山一、二、三路.
        if is_cn_numeral(sentence[i]) && sentence[i + 1] == '、' {
            let mut numerals = vec![sentence[i]];
            let mut j = i + 1;
            while sentence.get(j) == Some(&'、')
                && sentence.get(j + 1).is_some_and(|&c| is_cn_numeral(c))
            {
                numerals.push(sentence[j + 1]);
                j += 2;
            }
            let head = ["路", "街", "巷"]
                .iter()
                .find(|h| sentence.get(j).is_some_and(|c| h.starts_with(*c)));
            let start = proper_before(sentence, i);
            if let Some(head) = head
                && numerals.len() >= 2
                && start < i
            {
                let proper: String = sentence[start..i].iter().collect();
                let names = numerals
                    .iter()
                    .map(|n| format!("{proper}{n}{head}"))
                    .collect();
                out.push((start, j + 1, names));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The names a written shared-suffix form stands for (解放东西路 → 解放东路, 解放西路); empty
/// when it is no such form.
#[must_use]
pub fn stands_for(written: &str) -> Vec<String> {
    let chars: Vec<char> = written.chars().collect();
    shared_forms(&chars)
        .into_iter()
        .filter(|(s, e, _)| *s == 0 && *e == chars.len())
        .flat_map(|(_, _, n)| n)
        .collect()
}

/// Replaces each shared-suffix form by the names it stands for, on the written form's span.
#[must_use]
pub fn expand_shared(sentence: &[char], mut found: Vec<Candidate>) -> Vec<Candidate> {
    let forms = shared_forms(sentence);
    if forms.is_empty() {
        return found;
    }
    for (start, end, names) in forms {
        found.retain(|c| !(c.start < end && start < c.end && c.parts.is_empty()));
        for name in names {
            let kind = kind_of(&name);
            found.push(Candidate::pattern(name, start, end, kind));
        }
    }
    found.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compound_addressed_by_house_number_is_a_site_of_its_own() {
        let s: Vec<char> = "在金汤街54号院试点，改造金汤街、曾家岩50号。"
            .chars()
            .collect();
        let found = vec![
            Candidate::first_in(&s, "金汤街"),
            Candidate {
                start: 15,
                end: 18,
                ..Candidate::first_in(&s, "金汤街")
            },
        ];
        let names: Vec<String> = join_house_numbers(&s, found)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["金汤街54号院", "金汤街"]);
    }

    #[test]
    fn a_campus_named_after_a_street_is_its_school_s() {
        let s: Vec<char> = "建成人和街小学凯旋路校区，改造凯旋路。".chars().collect();
        let found = ["人和街小学", "凯旋路校区", "凯旋路"]
            .iter()
            .map(|n| Candidate::first_in(&s, n))
            .collect();
        let names: Vec<String> = join_branches(&s, found)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["人和街小学凯旋路校区", "凯旋路"]);
    }

    #[test]
    fn a_food_strip_written_after_its_street_is_one_name_with_it() {
        let s: Vec<char> = "中午去八一路好吃街吃小吃，再逛白象街。".chars().collect();
        let words = super::super::words::Words::of(&s);
        let found = ["八一路", "好吃街", "白象街"]
            .iter()
            .map(|n| Candidate::first_in(&s, n))
            .collect();
        let names: Vec<String> = join_street_strips(&s, &words, found)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["八一路好吃街", "白象街"]);
        // Two streets side by side stay two (纵横街 is named after no quality).
        let s: Vec<char> = "推进新华路纵横街道路改造。".chars().collect();
        let words = super::super::words::Words::of(&s);
        let found = ["新华路", "纵横街"]
            .iter()
            .map(|n| Candidate::first_in(&s, n))
            .collect();
        assert_eq!(join_street_strips(&s, &words, found).len(), 2);
    }

    fn names_of(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        shared_forms(&chars)
            .into_iter()
            .flat_map(|(_, _, n)| n)
            .collect()
    }

    #[test]
    fn a_shared_generic_part_names_each_street() {
        assert_eq!(
            names_of("整治解放东西路、南北区路，推动上下半城融通。"),
            [
                "解放东路",
                "解放西路",
                "南区路",
                "北区路",
                "上半城",
                "下半城"
            ]
        );
        assert_eq!(
            names_of("提升长江一、二路和中山一、二、三路。"),
            ["长江一路", "长江二路", "中山一路", "中山二路", "中山三路"]
        );
    }

    #[test]
    fn directions_that_name_no_street_are_left_alone() {
        assert!(names_of("形成东西走向的通道，南北两侧各一。").is_empty());
        assert!(names_of("一、二年级学生。").is_empty());
    }

    #[test]
    fn places_joined_by_a_dash_under_a_generic_part_are_one_name() {
        let s: Vec<char> = "推进解放碑—朝天门步行大道建设。".chars().collect();
        let found = vec![Candidate::first_in(&s, "解放碑—朝天门")];
        let out = join_dashed(&s, found);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].name, "解放碑—朝天门步行大道");
        assert_eq!(out[0].parts, ["解放碑", "朝天门"]);
        let s: Vec<char> = "启动较场口—十八梯—解放西路步行通廊。".chars().collect();
        let found = vec![
            Candidate::first_in(&s, "较场口"),
            Candidate::first_in(&s, "十八梯"),
            Candidate::first_in(&s, "解放西路"),
        ];
        let out = join_dashed(&s, found);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].name, "较场口—十八梯—解放西路步行通廊");
        assert_eq!(out[0].kind, "连廊");
    }

    #[test]
    fn a_renewal_unit_joined_by_a_dash_is_one_zone_though_its_name_holds_a_verb() {
        let s: Vec<char> = "公示储奇门—望龙门城市更新单元规划草案。".chars().collect();
        let found = vec![
            Candidate::first_in(&s, "储奇门"),
            Candidate::first_in(&s, "望龙门"),
        ];
        let out = join_dashed(&s, found);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].name, "储奇门—望龙门城市更新单元");
        assert_eq!(out[0].kind, "片区");
    }

    #[test]
    fn two_streets_with_a_dash_and_no_generic_part_stay_two() {
        let s: Vec<char> = "新华路—陕西路交通组织优化。".chars().collect();
        let found = vec![
            Candidate::first_in(&s, "新华路"),
            Candidate::first_in(&s, "陕西路"),
        ];
        let out = join_dashed(&s, found);
        let names: Vec<&str> = out.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["新华路", "陕西路"]);
    }

    fn whole(s: &str, lexicon: &crate::report::lexicon::Lexicon) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        crate::report::mentions::find(&chars, lexicon)
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn places_joined_by_dashes_name_the_route_or_belt_after_its_modifiers() {
        let lex = crate::report::lexicon::Lexicon::of_names(&["较场口", "十八梯", "七星岗"]);
        assert_eq!(
            whole("年内建成较场口—十八梯—七星岗立体步行环线。", &lex),
            ["较场口—十八梯—七星岗立体步行环线"]
        );
        assert_eq!(
            whole("配合打造较场口—七星岗商务带。", &lex),
            ["较场口—七星岗商务带"]
        );
    }

    #[test]
    fn a_join_the_grammar_read_goes_on_across_the_next_dash_and_into_a_stretch() {
        let lex = crate::report::lexicon::Lexicon::of_names(&["储奇门", "湖广会馆", "望龙门"]);
        assert_eq!(
            whole("启动储奇门—湖广会馆—望龙门滨江步行大道建设。", &lex),
            ["储奇门—湖广会馆—望龙门滨江步行大道"]
        );
        assert_eq!(
            whole(
                "维护鹅岭—佛图关段步道。",
                &crate::report::lexicon::Lexicon::of_names(&["鹅岭", "佛图关"])
            ),
            ["鹅岭—佛图关段步道"]
        );
    }

    #[test]
    fn places_joined_as_a_bus_route_s_ends_name_the_route_not_a_place() {
        let lex = crate::report::lexicon::Lexicon::of_names(&["较场口站", "十八梯"]);
        let names = whole("新开“较场口站—十八梯”接驳线，终点十八梯。", &lex);
        assert!(names.iter().all(|n| !n.contains('—')), "{names:?}");
        assert!(names.contains(&"十八梯".to_string()), "{names:?}");
    }
}
