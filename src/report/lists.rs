//! Places written in a list of places without a generic part of their own: 花街子 in
//! 厚慈街、守备街、花街子, 二府衙 in 白象街、二府衙两处传统街巷, 道门口 in 打铜街、道门口、新华路三条街巷.
//!
//! Input: a sentence's chars, its [`Words`] and the names the decision kept. Output: new
//! candidates for the list members the head-word rules could not read. A member is a place
//! only on the evidence of the list: a kept name right before it, and after it either another
//! kept name of the list or what closes a list of places (a count of places or lanes, 等, 一带,
//! a verb of works). The member itself must look like a proper name: two to four chars, no
//! generic word, not one common dictionary word, no verb or function word.

use super::grammar::{is_generic, kind_of, proper_opens_generic};
use super::mentions::Candidate;
use super::words::Words;
use crate::text::{is_cjk, is_cn_numeral};

/// Measure words of a count that closes a list of places (两处, 三条, 4个).
const PLACE_MEASURES: &str = "处条个座片";

/// Words that close a list of places right after its last member.
const CLOSERS: &[&str] = &["等", "一带", "周边", "片区"];

/// Whether what follows `at` closes a list of places: a count of places (两处传统街巷, 三条街巷),
/// 等, 一带, or a verb of works (完成, 改造).
fn closes_list(sentence: &[char], at: usize) -> bool {
    let rest: String = sentence[at..].iter().take(6).collect();
    if CLOSERS.iter().any(|c| rest.starts_with(c)) {
        return true;
    }
    let count = rest
        .chars()
        .take_while(|&c| is_cn_numeral(c) || c.is_ascii_digit() || c == '两')
        .count();
    if count > 0
        && rest
            .chars()
            .nth(count)
            .is_some_and(|m| PLACE_MEASURES.contains(m))
    {
        return true;
    }
    (2..=4).any(|n| {
        let word: String = rest.chars().take(n).collect();
        word.chars().count() == n && super::targets::is_verb(&word)
    })
}

/// Whether the chars `start..end` read as a proper name: no generic word, not one common
/// dictionary word (管线, 绿化), no verb, adverb, function or count word inside.
fn looks_proper(sentence: &[char], words: &Words, start: usize, end: usize) -> bool {
    let name: String = sentence[start..end].iter().collect();
    if is_generic(&name, &kind_of(&name))
        || proper_opens_generic(&name)
        || !sentence[start..end].iter().all(|&c| is_cjk(c))
    {
        return false;
    }
    let mut at = start;
    while at < end {
        let Some(w) = words.at(at) else { return false };
        if w.start < start || w.end > end {
            return false;
        }
        let one_common_word = w.start == start
            && w.end == end
            && !["ns", "nr", "nz", "nrt", "nrfg"].contains(&w.tag.as_str());
        // One char of an unknown name may be read as anything (二|府|衙, 道|门口, 千|厮|门);
        // a word of two chars or more that is a verb, adverb, count or function word is none
        // of a name's, and neither is a lone preposition, conjunction, particle or pronoun.
        let function = if w.end - w.start >= 2 {
            w.is_function_or_verb() || w.tag.starts_with('m')
        } else {
            ['p', 'c', 'u', 'r', 'd']
                .iter()
                .any(|t| w.tag.starts_with(*t))
        };
        if one_common_word || function {
            return false;
        }
        at = w.end;
    }
    true
}

/// The list members after each kept name that the head-word rules could not read (厚慈街、
/// 守备街、|花街子|完成…), as candidates of kind 地名.
#[must_use]
pub fn members_of_place_lists(
    sentence: &[char],
    words: &Words,
    kept: &[Candidate],
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for place in kept {
        if !matches!(sentence.get(place.end), Some('、' | '和')) {
            continue;
        }
        let start = place.end + 1;
        let taken = |s: usize, e: usize| {
            kept.iter()
                .chain(out.iter())
                .any(|c| c.start < e && s < c.end)
        };
        // The member runs to the next list mark or the first char that is no name's.
        let run = sentence[start..]
            .iter()
            .take_while(|&&c| is_cjk(c) && !"、和，。；：".contains(c))
            .count();
        // The longest member of two to four chars after which the list goes on or closes.
        let Some(end) = (2..=run.min(4)).rev().map(|n| start + n).find(|&end| {
            let goes_on = matches!(sentence.get(end), Some('、' | '和'))
                && kept.iter().any(|c| c.start == end + 1);
            let ends_clause = sentence.get(end).is_none_or(|c| "，。；".contains(*c));
            (goes_on || closes_list(sentence, end) || ends_clause && end == start + run)
                && !taken(start, end)
                && looks_proper(sentence, words, start, end)
        }) else {
            continue;
        };
        let name: String = sentence[start..end].iter().collect();
        out.push(Candidate::pattern(name, start, end, "地名".to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &str, kept: &[&str]) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        let kept: Vec<Candidate> = kept.iter().map(|n| Candidate::first_in(&c, n)).collect();
        members_of_place_lists(&c, &Words::of(&c), &kept)
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn a_lane_without_a_generic_part_in_a_list_of_lanes_is_a_place() {
        assert_eq!(
            members(
                "十八梯周边的厚慈街、守备街、花街子完成石梯补砌。",
                &["厚慈街", "守备街"]
            ),
            ["花街子"]
        );
        assert_eq!(
            members("保留白象街、二府衙两处传统街巷格局。", &["白象街"]),
            ["二府衙"]
        );
        assert_eq!(
            members(
                "整治打铜街、道门口、新华路三条街巷。",
                &["打铜街", "新华路"]
            ),
            ["道门口"]
        );
    }

    #[test]
    fn common_words_and_bodies_in_a_list_after_a_place_are_not_places() {
        assert!(members("完成和平路、管线和绿化改造。", &["和平路"]).is_empty());
        assert!(members("解放碑、区住房城乡建委等参加。", &["解放碑"]).is_empty());
        assert!(members("沿中兴路和社区干部一起走访。", &["中兴路"]).is_empty());
    }
}
