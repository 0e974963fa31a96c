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
    // 第二包（南岸区）：…, 标段3（沙坪坝区）：…: a label that ends in another district.
    let label_elsewhere = clause.split_once(['：', ':']).is_some_and(|(label, _)| {
        let label = label.trim_end_matches(['）', ')', ' ']);
        label.chars().count() <= 12
            && ELSEWHERE
                .iter()
                .any(|e| is_district_elsewhere(e) && label.ends_with(e))
    });
    label_elsewhere
        || ELSEWHERE.iter().any(|e| {
            let labelled = clause.strip_prefix(e).is_some_and(|rest| {
                rest.starts_with(['：', ':'])
                    || e.ends_with('区') && !rest.starts_with(['、', '和', '与'])
            });
            labelled || before.ends_with(&format!("{e}的"))
        })
}

/// Whether a word is another district (江北区, 两江新区): a place elsewhere that ends in 区 or
/// 县, not a hospital's or a school's campus (金山院区).
fn is_district_elsewhere(word: &str) -> bool {
    word.chars().count() >= 3
        && word.ends_with(['区', '县'])
        && !word.ends_with("院区")
        && !word.ends_with("校区")
        && ELSEWHERE.contains(&word)
}

/// Whether a heading's text, past its number, names only other districts (二、江北区;
/// 五、渝北区、两江新区): the section it opens lists that district's places.
pub(super) fn heads_a_district_elsewhere(heading: &str) -> bool {
    let title = heading
        .trim_start_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || crate::text::is_cn_numeral(c)
        })
        .trim_start_matches(['、', '.', '）', ')', '（', '('])
        .trim_end_matches(|c: char| c.is_whitespace() || "：:。".contains(c));
    let mut parts = title
        .split(['、', '和', '与', '及', ' '])
        .filter(|p| !p.is_empty());
    let first = parts.next();
    first.is_some_and(is_district_elsewhere) && parts.all(is_district_elsewhere)
}

/// For each sentence, whether it lies in a section of another district: after a heading that
/// names only other districts ([`heads_a_district_elsewhere`]), up to the next heading. A
/// catalogue, a tender or a notice across districts lists the places of each district under
/// its own heading; those of the others are no places of this district's plan.
#[must_use]
pub(crate) fn in_sections_elsewhere(texts: &[&str], headings: &[bool]) -> Vec<bool> {
    let mut elsewhere = false;
    texts
        .iter()
        .zip(headings)
        .map(|(text, &heading)| {
            if heading {
                elsewhere = heads_a_district_elsewhere(text);
            }
            elsewhere
        })
        .collect()
}

/// Whether the name at `start` is in a table row whose district cell, right after the row's
/// number (4 南岸区 …), names another district, also when the rows were joined into one line:
/// the nearest numbered district cell before the name is not 渝中区.
fn in_row_of_elsewhere(sentence: &[char], start: usize) -> bool {
    let text: String = sentence[..start].iter().collect();
    // The row's number may stand in a cell of its own (8 | 南岸区 | …).
    let cell = |d: &str| {
        text.match_indices(d)
            .filter(|(at, _)| {
                text[..*at]
                    .trim_end_matches([' ', '|', '.', '、'])
                    .ends_with(|c: char| c.is_ascii_digit())
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_places_under_a_heading_of_another_district_are_that_district_s() {
        let texts = [
            "一、渝中区",
            "（1）大坪时代天街周边楼宇；（2）化龙桥片区商业。",
            "二、江北区、渝北区",
            "（3）观音桥步行街北侧载体。",
            "（二）其他事项",
            "详询区商务委。",
        ];
        let headings = [true, false, true, false, true, false];
        assert_eq!(
            in_sections_elsewhere(&texts, &headings),
            [false, false, true, true, false, false]
        );
    }

    #[test]
    fn a_heading_that_names_more_than_a_district_opens_no_section_elsewhere() {
        assert!(heads_a_district_elsewhere("四、九龙坡区："));
        assert!(!heads_a_district_elsewhere(
            "三、南岸区与渝中区共建滨江步道"
        ));
        assert!(!heads_a_district_elsewhere("二、重点任务"));
        assert!(!heads_a_district_elsewhere("三、金山院区"));
    }

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn at(s: &[char], name: &str) -> usize {
        let n = chars(name);
        (0..s.len()).find(|&i| s[i..].starts_with(&n)).expect("in")
    }

    #[test]
    fn a_lot_labelled_with_another_district_in_brackets_is_that_district_s() {
        let s = chars("标段二（江北区）：鎏嘉码头步道、北滨路栏杆更换。");
        assert!(after_outside_label(&s, at(&s, "鎏嘉码头")));
        assert!(after_outside_label(&s, at(&s, "北滨路")));
        let s = chars("标段一（渝中区）：山城巷步道维护。");
        assert!(!after_outside_label(&s, at(&s, "山城巷")));
    }

    #[test]
    fn a_table_row_numbered_in_a_cell_of_its_own_belongs_to_its_district_cell() {
        let s = chars("| 3 | 渝中区 | 珊瑚坝公园 | 1.1 || 4 | 南岸区 | 海棠溪码头 | 0.9 |");
        assert!(!after_outside_label(&s, at(&s, "珊瑚坝公园")));
        assert!(after_outside_label(&s, at(&s, "海棠溪码头")));
    }
}
