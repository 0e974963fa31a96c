//! Words of conversation glued in front of a name by the head-word rules: what people write in
//! threads, comments and notes before the place they talk about (跟|两路, 要做|连廊, 那条|坡,
//! 近|民生路, 旧称|天灯巷, 贴子里问|枣子岚垭). The segmenter's dictionary knows these words
//! poorly as a run (a modal and a one-char verb, a demonstrative and a measure word), so the
//! cuts of [`super::debris`] leave them in; this stage cuts them as a class.
//!
//! Input: a sentence's chars, the [`Lexicon`] and the candidates after the earlier cuts.
//! Output: the same candidates with their start moved past such words; a name emptied when
//! what is left is only a generic word (连廊, 坡, 街) or a proper part too short to be a name
//! of its own (两路 of 跟两路), unless the gazetteer knows it.

use super::grammar::{is_generic, kind_of};
use super::lexicon::Lexicon;
use super::mentions::{Candidate, CandidateSource};
use super::words::Words;

/// Words that open a clause of speech and never a name: cut where the name starts with them.
/// A demonstrative or whole with a measure word (那条, 整条, 一截), a modal with a verb of
/// works (要做, 要打), a word of nearness (近), a former name's label (旧称, 故名), the
/// colloquial 就 and 跟.
const OPENING: &[&str] = &[
    "那条", "这条", "那段", "这段", "那个", "这个", "那片", "这片", "整条", "整个", "整片", "一截",
    "一段", "一条", "要做", "要打", "要修", "要建", "要搞", "要改", "要挖", "就是", "就", "跟",
    "近", "旧称", "故名", "原名", "又名", "俗称", "投票",
];

/// Verbs of asking and saying that may stand anywhere in front of the place (贴子里问|枣子岚垭,
/// 听他说|较场口): everything up to them is speech.
const INSIDE: &[&str] = &["问", "听说", "就是", "旧称", "故名"];

/// The chars of the name after speech at its start, or after the last verb of asking inside
/// it; `None` when it holds neither.
fn speech_end(name: &[char]) -> Option<usize> {
    let text: String = name.iter().collect();
    let opening = OPENING
        .iter()
        .filter(|o| text.starts_with(*o))
        .map(|o| o.chars().count())
        .max();
    // 问 of 问题 (相关问题, a page's header) asks nothing.
    let inside = INSIDE
        .iter()
        .filter_map(|w| {
            text.rmatch_indices(w)
                .map(|(byte, _)| text[..byte].chars().count() + w.chars().count())
                .find(|&at| !(*w == "问" && name.get(at).is_some_and(|c| "题答卷".contains(*c))))
        })
        .max();
    opening.max(inside).filter(|&at| at < name.len())
}

/// Words right before a place that leave it out of what is said (没有八一路, 不包括较场口).
const LEFT_OUT: &[&str] = &["没有", "不包括", "不包含", "不含", "不涉及"];

/// Whether the name at `start` follows a word that leaves it out.
fn denied(sentence: &[char], start: usize) -> bool {
    let end = start.min(sentence.len());
    let before: String = sentence[end.saturating_sub(3)..end].iter().collect();
    LEFT_OUT.iter().any(|w| before.ends_with(w))
}

/// Counts of one thing of a kind (一条, 一座), with 新(的) after them: what follows is a kind,
/// not a name (要搞一条新的夜市街).
const ONE_OF: &[&str] = &["一条", "一座", "一个", "一处", "一片", "一家", "一栋"];

/// Whether the name at `start` follows a count of one (一条新的|夜市街).
fn counted_as_one(sentence: &[char], start: usize) -> bool {
    let before: String = sentence[start.saturating_sub(5)..start].iter().collect();
    let before = before.trim_end_matches('的').trim_end_matches('新');
    ONE_OF.iter().any(|o| before.ends_with(o))
}

/// Whether a name is a rough count of stops (七八站, 两三站): how far a ride is, no station.
fn count_of_stops(name: &str) -> bool {
    name.strip_suffix('站')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| "一二两三四五六七八九十几".contains(c)))
}

/// Verbs of moving on foot or by wheel right after 一路 (东水门一路晃到南纪门): 一路 is "all the
/// way", no road's number. A direction after it is a road's way (沿中山一路往东, 往下走).
const MOVING: &str = "走晃逛骑跑爬溜玩吃拍";

/// Where a known place ends inside a name that only speech or a figure follows: a count of
/// stops (解放碑|三站), 一路 before a verb of moving (东水门|一路晃到). `None` otherwise.
fn known_before_tail(sentence: &[char], lexicon: &Lexicon, c: &Candidate) -> Option<usize> {
    // A known name is whole (中山一路走到底).
    if lexicon.get(&c.name).is_some() {
        return None;
    }
    let name: Vec<char> = c.name.chars().collect();
    (2..name.len()).rev().find(|&at| {
        let head: String = name[..at].iter().collect();
        let tail: String = name[at..].iter().collect();
        let all_the_way =
            tail == "一路" && sentence.get(c.end).is_some_and(|ch| MOVING.contains(*ch));
        a_place(lexicon, &head) && (count_of_stops(&tail) || all_the_way)
    })
}

/// Whether a name left by a cut is a place's: known, or ending in a generic part of the
/// vocabulary after a proper part (东水门, 鹅岭) and no generic word alone.
pub(super) fn a_place(lexicon: &Lexicon, name: &str) -> bool {
    let kind = kind_of(name);
    lexicon.get(name).is_some()
        || !kind.is_empty()
            && name.chars().count() > super::decision::head_len(name)
            && !is_generic(name, &kind)
}

/// Cuts speech at the start of the grammar's names, and speech or a figure after a known
/// place at their end (see the module doc).
pub(super) fn trim_speech(
    sentence: &[char],
    words: &Words,
    lexicon: &Lexicon,
    found: &mut [Candidate],
) {
    for c in found.iter_mut() {
        // A place named only to say the plan leaves it out (这次没有八一路) is not planned.
        if denied(sentence, c.start) {
            c.name.clear();
            continue;
        }
        if !matches!(c.source, CandidateSource::Pattern) || !c.parts.is_empty() {
            continue;
        }
        // 改造成|社区小广场: the complement of the verb before is no part of the name.
        if c.name.starts_with('成')
            && c.start > 0
            && "造改变建做修搭".contains(sentence[c.start - 1])
        {
            c.name = c.name.chars().skip(1).collect();
            c.start += 1;
        }
        // A common noun (下坡路, 老银行楼) describes, it names nothing (`common.rs`); nor does
        // a thing of a kind counted as one (一条新的夜市街).
        let described = c.end <= sentence.len()
            && lexicon.get(&c.name).is_none()
            && (super::common::is_description(sentence, words, c.start, c.end)
                || counted_as_one(sentence, c.start));
        if count_of_stops(&c.name) || described {
            c.name.clear();
            continue;
        }
        if let Some(at) = known_before_tail(sentence, lexicon, c) {
            c.name = c.name.chars().take(at).collect();
            c.end = c.start + at;
            c.kind = lexicon
                .get(&c.name)
                .map_or_else(|| kind_of(&c.name), |k| k.kind.clone());
            continue;
        }
        let name: Vec<char> = c.name.chars().collect();
        let Some(at) = speech_end(&name) else {
            continue;
        };
        let rest: String = name[at..].iter().collect();
        let kind = kind_of(&rest);
        let proper = rest.chars().count() - super::decision::head_len(&rest);
        let known = lexicon.get(&rest).is_some();
        c.start += at;
        c.name = if !known && (is_generic(&rest, &kind) || proper < 2 || count_of_stops(&rest)) {
            String::new()
        } else {
            rest
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(name: &str) -> Option<String> {
        let chars: Vec<char> = name.chars().collect();
        speech_end(&chars).map(|at| chars[at..].iter().collect())
    }

    #[test]
    fn a_demonstrative_or_a_modal_in_front_of_a_name_is_speech() {
        assert_eq!(cut("那条金汤街").as_deref(), Some("金汤街"));
        assert_eq!(cut("要修人行道").as_deref(), Some("人行道"));
        assert_eq!(cut("跟大溪沟").as_deref(), Some("大溪沟"));
        assert_eq!(cut("旧称巴县衙门").as_deref(), Some("巴县衙门"));
    }

    #[test]
    fn a_verb_of_asking_ends_the_speech_wherever_it_stands() {
        assert_eq!(cut("群里有人问双钢路").as_deref(), Some("双钢路"));
    }

    #[test]
    fn a_rough_count_of_stops_is_no_station() {
        assert!(count_of_stops("两三站"));
        assert!(count_of_stops("五站"));
        assert!(!count_of_stops("七星岗站"));
        let mut found = vec![Candidate::pattern("就四五站".into(), 0, 4, "站".into())];
        trim_speech(&[], &Words::default(), &Lexicon::default(), &mut found);
        assert_eq!(found[0].name, "");
    }

    #[test]
    fn a_name_without_speech_in_front_is_left_whole() {
        // 问 of 问题 asks nothing (a page's 相关问题 header run into a title).
        assert_eq!(cut("相关问题大坪正街"), None);
        assert_eq!(cut("一号桥"), None);
        assert_eq!(cut("跟"), None);
    }

    #[test]
    fn what_is_left_after_speech_is_no_name_when_it_is_only_a_generic_word_or_too_short() {
        let lexicon = Lexicon::default();
        let mut found = vec![
            Candidate::pattern("要做连廊".into(), 3, 7, "连廊".into()),
            Candidate::pattern("跟两路".into(), 10, 13, "路".into()),
            Candidate::pattern("近中兴路".into(), 20, 24, "路".into()),
        ];
        trim_speech(&[], &Words::default(), &lexicon, &mut found);
        let names: Vec<(&str, usize)> = found.iter().map(|c| (c.name.as_str(), c.start)).collect();
        assert_eq!(names, [("", 5), ("", 11), ("中兴路", 21)]);
    }

    fn lexicon() -> Lexicon {
        let term = |text: &str, kind: &str| crate::text::LexiconTerm {
            text: text.into(),
            key: format!("test:{text}"),
            kind: kind.into(),
        };
        Lexicon::new(vec![
            term("较场口", "口"),
            term("储奇门", "门"),
            term("来福士", "广场"),
        ])
    }

    #[test]
    fn a_known_place_followed_by_a_count_of_stops_or_all_the_way_is_the_place() {
        let s: Vec<char> = "坐公交到较场口四站就到，再从金紫门一路走到菜园坝。"
            .chars()
            .collect();
        let mut found = vec![
            Candidate::first_in(&s, "较场口四站"),
            Candidate::first_in(&s, "金紫门一路"),
        ];
        trim_speech(&s, &Words::of(&s), &lexicon(), &mut found);
        let names: Vec<(&str, usize)> = found.iter().map(|c| (c.name.as_str(), c.end)).collect();
        assert_eq!(names, [("较场口", 7), ("金紫门", 17)]);
        // 一路 before no verb of moving may be a road's number: left alone.
        let s: Vec<char> = "储奇门一路改造。".chars().collect();
        let mut found = vec![Candidate::first_in(&s, "储奇门一路")];
        trim_speech(&s, &Words::of(&s), &lexicon(), &mut found);
        assert_eq!(found[0].name, "储奇门一路");
        // A known road numbered 一路 stays whole before a verb of moving.
        let s: Vec<char> = "沿长江一路走到两路口。".chars().collect();
        let mut found = vec![Candidate::first_in(&s, "长江一路")];
        trim_speech(&s, &Words::of(&s), &lexicon(), &mut found);
        assert_eq!(found[0].name, "长江一路");
        // A direction after 一路 is a road's way.
        let s: Vec<char> = "沿金紫门一路往东走。".chars().collect();
        let mut found = vec![Candidate::first_in(&s, "金紫门一路")];
        trim_speech(&s, &Words::of(&s), &lexicon(), &mut found);
        assert_eq!(found[0].name, "金紫门一路");
    }

    #[test]
    fn a_place_the_text_leaves_out_is_not_planned_and_a_verbs_complement_is_cut() {
        let s: Vec<char> = "这一批不包括储奇门，旧仓库改造成金紫门小广场。"
            .chars()
            .collect();
        let mut found = vec![
            Candidate::first_in(&s, "储奇门"),
            Candidate::first_in(&s, "成金紫门小广场"),
        ];
        trim_speech(&s, &Words::of(&s), &lexicon(), &mut found);
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["", "金紫门小广场"]);
    }

    #[test]
    fn a_thing_of_a_kind_counted_as_one_is_no_name() {
        let s: Vec<char> = "听说要修一条新的小吃街，还要建一座观景台。"
            .chars()
            .collect();
        assert!(counted_as_one(&s, 8));
        assert!(!counted_as_one(&s, 2));
    }
}
