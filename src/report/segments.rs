//! Street segments: the stretch of a street a sentence plans, between two places it names
//! (长滨路菜园坝至储奇门段 is 长滨路 from 菜园坝 to 储奇门, not the whole road).
//!
//! Input: the planned items once collected (their mentions give the exact words of every
//! name), the sentences and the normalised text. Output: [`Segment`]s on the street items
//! (layer `streets`). The ends stay items of their own; a segment only records that the
//! sentence bounds the street by them, so placement can cut the street's line at their
//! projections.
//!
//! Forms read, with A a street and B, C names found in the same sentence right where the form
//! puts them (nothing but the form's own characters between):
//! - `A B至C段`, `A B到C段`, `A（B至C段）`: the ends follow the street, the stretch ends in 段;
//! - `A从B至C`, `A自B至C`, `A由B到C`: a 从/自/由 after the street says a stretch follows;
//! - `A…起点为B…终点为C`, `A…起于B，止于C`: the ends named by 起点/终点 (bare, or with 为 是
//!   在 接 位于) or 起于/止于 belong to the last street named before the start word.
//!
//! An end may be followed by 路口 or 口 (沧白路口至临江路段: from the junction of 沧白路).
//!
//! Anything else (a bare `A B至C` with neither 段 nor 从, a range of dates, 至少) is no segment.
//! No I/O, no geography.

use serde::Serialize;

use super::{PlannedItem, Sentence};
use crate::plan::Layer;

/// A stretch of a street between two places, as one sentence states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The place the stretch starts at, as written (an item of its own).
    pub from: String,
    /// The place it ends at, as written (an item of its own).
    pub to: String,
    /// The sentence that states it.
    pub sentence_id: usize,
}

/// Words that say "from" between a street and its first end.
const FROM_WORDS: &[char] = &['从', '自', '由'];

/// Words that join the two ends.
const TO_WORDS: &[char] = &['至', '到'];

/// Words that name the start of a street, followed by the place.
const START_WORDS: &[&str] = &[
    "起点位于",
    "起点为",
    "起点是",
    "起点在",
    "起点接",
    "起于",
    "起自",
    "起点",
];

/// Words that name the end of a street, followed by the place.
const END_WORDS: &[&str] = &[
    "终点位于",
    "终点为",
    "终点是",
    "终点在",
    "终点接",
    "止于",
    "迄于",
    "终点",
];

/// What may follow an end's name before 至 or 段: its junction (沧白路口, 大坪正街路口).
const JUNCTION: &[&str] = &["路口", "口"];

/// One name found in a sentence: char offsets into the normalised text and its item.
#[derive(Debug, Clone, Copy)]
struct Name {
    start: usize,
    end: usize,
    item: usize,
}

/// Finds every segment the sentences state and records it on its street item, in text order,
/// each distinct (from, to) once per street.
pub fn attach(items: &mut [PlannedItem], sentences: &[Sentence], chars: &[char]) {
    let mut found: Vec<(usize, Segment)> = Vec::new();
    for sentence in sentences {
        let mut names: Vec<Name> = items
            .iter()
            .enumerate()
            .flat_map(|(item, it)| {
                it.mentions
                    .iter()
                    .filter(|m| m.sentence_id == sentence.id)
                    .map(move |m| Name {
                        start: m.start,
                        end: m.end,
                        item,
                    })
            })
            .collect();
        names.sort_by_key(|n| (n.start, n.end));
        let is_street = |n: &Name| items[n.item].layer == Layer::Streets;
        let end = sentence.end.min(chars.len());
        for (i, street) in names.iter().enumerate() {
            if !is_street(street) {
                continue;
            }
            if let Some((from, to)) = after_street(chars, end, street, &names[i + 1..]) {
                found.push((street.item, segment(items, from, to, sentence.id)));
            }
        }
        for (street, from, to) in start_and_end(chars, end, &names, &is_street) {
            found.push((street, segment(items, from, to, sentence.id)));
        }
    }
    for (item, s) in found {
        let segments = &mut items[item].segments;
        if s.from != s.to && !segments.iter().any(|o| o.from == s.from && o.to == s.to) {
            segments.push(s);
        }
    }
}

fn segment(items: &[PlannedItem], from: Name, to: Name, sentence_id: usize) -> Segment {
    Segment {
        from: items[from.item].name.clone(),
        to: items[to.item].name.clone(),
        sentence_id,
    }
}

/// The name starting exactly at `at`, if any.
fn name_at(names: &[Name], at: usize) -> Option<Name> {
    names.iter().find(|n| n.start == at).copied()
}

/// `A B至C段`, `A（B至C段）`, `A从B至C`: the two ends right after the street's name.
fn after_street(chars: &[char], end: usize, street: &Name, rest: &[Name]) -> Option<(Name, Name)> {
    let at = |i: usize| (i < end).then(|| chars[i]);
    let mut i = street.end;
    let bracket = matches!(at(i), Some('（' | '('));
    if bracket {
        i += 1;
    }
    let from_word = at(i).is_some_and(|c| FROM_WORDS.contains(&c));
    if from_word {
        i += 1;
    }
    let from = name_at(rest, i)?;
    let after_from = from.end + word_at(chars, end, from.end, JUNCTION).unwrap_or(0);
    if !at(after_from).is_some_and(|c| TO_WORDS.contains(&c)) {
        return None;
    }
    let to = name_at(rest, after_from + 1)?;
    let closes_with_duan =
        at(to.end + word_at(chars, end, to.end, JUNCTION).unwrap_or(0)) == Some('段');
    let same = |n: &Name| n.item == street.item;
    if same(&from) || same(&to) || !(closes_with_duan || (from_word && !bracket)) {
        return None;
    }
    Some((from, to))
}

/// The first of `words` that the text spells at `i`, as its length in chars.
fn word_at(chars: &[char], end: usize, i: usize, words: &[&str]) -> Option<usize> {
    words.iter().find_map(|w| {
        let n = w.chars().count();
        (i + n <= end && chars[i..i + n].iter().copied().eq(w.chars())).then_some(n)
    })
}

/// `A…起点为B…终点为C` and `A…起于B，止于C`: (street item, from, to) for each start word with
/// a name right after it, an end word with a name right after it before the next start word,
/// and a street named before the start word.
fn start_and_end(
    chars: &[char],
    end: usize,
    names: &[Name],
    is_street: &dyn Fn(&Name) -> bool,
) -> Vec<(usize, Name, Name)> {
    let Some(first) = names.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = first.end;
    while i < end {
        let Some(n) = word_at(chars, end, i, START_WORDS) else {
            i += 1;
            continue;
        };
        let start_word = i;
        i += n;
        let Some(from) = name_at(names, i) else {
            continue;
        };
        let street = names
            .iter()
            .rev()
            .find(|s| s.end <= start_word && is_street(s));
        let mut j = from.end;
        let mut to = None;
        while j < end && word_at(chars, end, j, START_WORDS).is_none() {
            if let Some(n) = word_at(chars, end, j, END_WORDS) {
                to = name_at(names, j + n);
                break;
            }
            j += 1;
        }
        if let (Some(street), Some(to)) = (street, to)
            && street.item != from.item
            && street.item != to.item
        {
            out.push((street.item, from, to));
        }
        i = from.end;
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::report::{Lexicon, parse};

    /// The segments each street of a text of our own words is read with, as
    /// `street: from→to` in text order.
    fn segments_of(text: &str) -> Vec<String> {
        let r = parse("t", text, &Lexicon::default());
        r.items
            .iter()
            .flat_map(|i| {
                i.segments
                    .iter()
                    .map(move |s| format!("{}: {}→{}", i.name, s.from, s.to))
            })
            .collect()
    }

    fn names_of(text: &str) -> Vec<String> {
        parse("t", text, &Lexicon::default())
            .items
            .into_iter()
            .map(|i| i.name)
            .collect()
    }

    #[test]
    fn a_street_followed_by_b_to_c_duan_is_a_segment_of_the_street() {
        assert_eq!(
            segments_of("完成长滨路菜园坝至储奇门段改造。"),
            ["长滨路: 菜园坝→储奇门"]
        );
    }

    #[test]
    fn the_ends_of_a_segment_stay_items_of_their_own() {
        let names = names_of("完成长滨路菜园坝至储奇门段改造。");
        for name in ["长滨路", "菜园坝", "储奇门"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
    }

    #[test]
    fn a_segment_in_brackets_after_the_street_is_read() {
        assert_eq!(
            segments_of("推进中山四路（上清寺至曾家岩段）品质提升。"),
            ["中山四路: 上清寺→曾家岩"]
        );
    }

    #[test]
    fn dao_joins_the_ends_as_zhi_does() {
        assert_eq!(
            segments_of("实施长滨路菜园坝到储奇门段路面大修。"),
            ["长滨路: 菜园坝→储奇门"]
        );
    }

    #[test]
    fn cong_or_zi_after_the_street_opens_a_stretch_without_duan() {
        assert_eq!(
            segments_of("改造长滨路从菜园坝至储奇门的人行道。"),
            ["长滨路: 菜园坝→储奇门"]
        );
        assert_eq!(
            segments_of("长滨路自储奇门至菜园坝将全线封闭施工。"),
            ["长滨路: 储奇门→菜园坝"]
        );
    }

    #[test]
    fn a_bare_b_zhi_c_after_a_street_without_duan_or_cong_is_no_segment() {
        assert!(
            segments_of("长滨路菜园坝至储奇门沿线将新增绿化。").is_empty(),
            "{:?}",
            segments_of("长滨路菜园坝至储奇门沿线将新增绿化。")
        );
    }

    #[test]
    fn start_and_end_points_in_the_same_sentence_bound_the_street_named_before() {
        assert_eq!(
            segments_of("改造中山四路，起点为上清寺，终点为曾家岩，全长约1.2公里。"),
            ["中山四路: 上清寺→曾家岩"]
        );
        assert_eq!(
            segments_of("改造长滨路，起于菜园坝，止于储奇门。"),
            ["长滨路: 菜园坝→储奇门"]
        );
    }

    #[test]
    fn each_numbered_street_keeps_its_own_start_and_end() {
        let text = "1.中山四路，起点为上清寺，终点为曾家岩，更换面层；2.长滨路，起点为菜园坝，终点为储奇门，施划标线。";
        assert_eq!(
            segments_of(text),
            ["中山四路: 上清寺→曾家岩", "长滨路: 菜园坝→储奇门"]
        );
    }

    #[test]
    fn bare_qidian_and_zhongdian_name_the_ends_too() {
        assert_eq!(
            segments_of("2.长滨路：起点菜园坝，终点储奇门，改造无障碍坡道12处。"),
            ["长滨路: 菜园坝→储奇门"]
        );
    }

    #[test]
    fn an_end_written_as_a_junction_is_the_place_it_joins() {
        assert_eq!(
            segments_of("实施中山四路上清寺路口至曾家岩段改造。"),
            ["中山四路: 上清寺→曾家岩"]
        );
    }

    #[test]
    fn a_start_point_without_an_end_point_is_no_segment() {
        assert!(segments_of("改造长滨路，起点为菜园坝，全长约2公里。").is_empty());
    }

    #[test]
    fn start_and_end_in_different_sentences_are_no_segment() {
        assert!(segments_of("改造长滨路，起点为菜园坝。终点为储奇门。").is_empty());
    }

    #[test]
    fn two_segments_of_one_street_are_both_recorded_once() {
        let text = "完成长滨路菜园坝至储奇门段改造，启动长滨路储奇门至望龙门段改造。\
            长滨路菜园坝至储奇门段同步增设护栏。";
        assert_eq!(
            segments_of(text),
            ["长滨路: 菜园坝→储奇门", "长滨路: 储奇门→望龙门"]
        );
    }

    #[test]
    fn a_segment_records_the_sentence_that_states_it() {
        let r = parse(
            "t",
            "推进解放碑提质。完成长滨路菜园坝至储奇门段改造。",
            &Lexicon::default(),
        );
        let road = r.items.iter().find(|i| i.name == "长滨路").expect("长滨路");
        assert_eq!(road.segments.len(), 1);
        assert_eq!(
            r.sentences[road.segments[0].sentence_id].text,
            "完成长滨路菜园坝至储奇门段改造。"
        );
    }

    #[test]
    fn a_zone_followed_by_b_to_c_duan_has_no_segment() {
        // Only streets have stretches: a 片区 before a range is not cut.
        assert!(segments_of("推进菜园坝片区储奇门至望龙门段整治。").is_empty());
    }
}
