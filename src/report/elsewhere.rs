//! Places outside the district: names of other districts, cities and regions that planning
//! texts compare Yuzhong with, trade with or list beside it, and the labels, table rows and
//! pieces by which a name in a sentence belongs to one of them.
//!
//! Input: a sentence as chars, a name and its start (char index). Output: yes/no answers
//! and spans (char indices) for the grammar and the decision stage; the words are in
//! `src/vocab/grammar.json` (`elsewhere`).

use std::sync::LazyLock;

/// Places outside the district that planning texts compare it with or trade with: other
/// countries, cities and regions. They are never places of this district's plan.
/// The words are in `src/vocab/grammar.json` (`elsewhere`).
static ELSEWHERE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().elsewhere.words());

/// Whether a name is, or only joins, places outside the district (新加坡, 香港和台湾).
pub(super) fn is_elsewhere(name: &str) -> bool {
    name.split(['和', '与', '及', '、'])
        .all(|p| ELSEWHERE.contains(&p))
}

/// Whether a name is a place of another district or city: it starts with one of the
/// grammar's places elsewhere (观音桥商圈, 南滨路, 上海陆家嘴), or with 区 cut from another
/// district's name before it (江北|区观音桥商圈).
pub(super) fn is_outside(sentence: &[char], start: usize, name: &str) -> bool {
    if ELSEWHERE.iter().any(|e| name.starts_with(e)) {
        return true;
    }
    // A name cut out of a place elsewhere (江北|嘴江滩公园).
    if (1..=3).any(|k| {
        start >= k && {
            let from: String = sentence[start - k..(start + 4).min(sentence.len())]
                .iter()
                .collect();
            ELSEWHERE
                .iter()
                .any(|e| e.chars().count() > k && from.starts_with(e))
        }
    }) {
        return true;
    }
    let before: String = sentence[start.saturating_sub(4)..start].iter().collect();
    let named_after_district = |text: &str| {
        ELSEWHERE
            .iter()
            .any(|e| e.ends_with('区') && text.ends_with(e))
    };
    (name.starts_with('区') && named_after_district(&format!("{before}区")))
        || named_after_district(&before)
}

/// Whether a sentence writes any place elsewhere (and so any label or piece of one).
pub(super) fn mentions_elsewhere(sentence: &[char]) -> bool {
    let text: String = sentence.iter().collect();
    ELSEWHERE.iter().any(|e| text.contains(e))
}

/// The spans of the places elsewhere of three chars or more written in a sentence
/// (朝天门长江大桥, 江北嘴): a name inside one is a piece of it.
pub(super) fn elsewhere_spans(sentence: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for e in ELSEWHERE.iter().filter(|e| e.chars().count() >= 3) {
        let e: Vec<char> = e.chars().collect();
        let mut i = 0;
        while i + e.len() <= sentence.len() {
            if sentence[i] == e[0] && sentence[i..i + e.len()] == e[..] {
                out.push((i, i + e.len()));
                i += e.len();
            } else {
                i += 1;
            }
        }
    }
    out
}

/// Whether the name at `start` follows a label of a place elsewhere that opens its clause or
/// row (8. 弹子石：开埠遗址公园…, 11 南岸区 龙门浩老街二期 …) or owns it (渝北区的4号线): the name
/// is that place's.
pub(super) fn after_outside_label(sentence: &[char], start: usize) -> bool {
    let clause_start = sentence[..start]
        .iter()
        .rposition(|c| "，。；;\n|".contains(*c))
        .map_or(0, |p| p + 1);
    let clause: String = sentence[clause_start..start]
        .iter()
        .collect::<String>()
        .trim_start_matches(|c: char| c.is_ascii_digit() || ".、．) ".contains(c))
        .to_string();
    if in_row_of_elsewhere(sentence, start) {
        return true;
    }
    // Back to the list's first member (渝北区的4号线、|15号线).
    let mut first = start;
    while first > 0 && sentence[first - 1] == '、' {
        first = sentence[..first - 1]
            .iter()
            .rposition(|c| "，。；、：:的（(".contains(*c))
            .map_or(0, |p| p + 1);
        if first > 0 && sentence[first - 1] == '的' {
            break;
        }
    }
    let before: String = sentence[first.saturating_sub(5)..first].iter().collect();
    ELSEWHERE.iter().any(|e| {
        let labelled = clause.strip_prefix(e).is_some_and(|rest| {
            rest.starts_with(['：', ':'])
                || e.ends_with('区') && !rest.starts_with(['、', '和', '与'])
        });
        labelled || before.ends_with(&format!("{e}的"))
    })
}

/// Whether the name at `start` is in a table row whose district cell, right after the row's
/// number (4 南岸区 …), names another district, also when the rows were joined into one line:
/// the nearest numbered district cell before the name is not 渝中区.
fn in_row_of_elsewhere(sentence: &[char], start: usize) -> bool {
    let text: String = sentence[..start].iter().collect();
    let cell = |d: &str| {
        text.match_indices(d)
            .filter(|(at, _)| text[..*at].ends_with(|c: char| c.is_ascii_digit()))
            .map(|(at, _)| at)
            .last()
    };
    let ours = cell("渝中区");
    ELSEWHERE
        .iter()
        .filter(|e| e.ends_with('区'))
        .filter_map(|e| cell(e))
        .max()
        .is_some_and(|theirs| ours.is_none_or(|o| o < theirs))
}
