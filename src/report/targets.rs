//! Numeric targets and planning verbs of a sentence.
//!
//! Input: one normalised sentence. Output: [`Target`]s (`{metric, value, unit, text}`), and the
//! verb lists that say whether a phrase plans (the governing verb is [`super::actions`]). No
//! I/O, no geo.

use crate::plan::Target;

/// Units a target may carry, longest first so 万平方米 wins over 平方米 and 米.
const UNITS: &[&str] = &[
    "万平方米",
    "平方公里",
    "平方米",
    "亿美元",
    "万美元",
    "亿元",
    "万元",
    "万人次",
    "人次",
    "万人",
    "公里",
    "千米",
    "万户",
    "万辆",
    "万吨",
    "个百分点",
    "个",
    "家",
    "栋",
    "座",
    "台",
    "项",
    "件",
    "条",
    "处",
    "所",
    "名",
    "人",
    "户",
    "套",
    "辆",
    "张",
    "场",
    "次",
    "间",
    "米",
    "亩",
    "%",
    "倍",
    "元",
    "吨",
    "部",
    "批",
    "类",
    "支",
    "种",
];

/// Words that end a metric's name and say how the number relates; dropped from the metric.
const LINKS: &[&str] = &[
    // "提升至67%" states the level reached: the verb goes with 至.
    "提升至",
    "提高至",
    "实现",
    "达到",
    "达",
    "突破",
    "超过",
    "超",
    "不少于",
    "以上",
    "为",
    "至",
    "控制在",
    "保持",
    "分别",
];

/// Whether a char separates clauses inside a sentence.
fn is_clause_break(c: char) -> bool {
    matches!(c, '，' | '；' | '：' | '。' | '！' | '？' | '\n')
}

/// Every numeric target in a sentence: a number (ASCII digits, optional decimal) followed by a
/// unit, with the noun phrase naming what is counted as the metric.
#[must_use]
pub fn targets(sentence: &[char]) -> Vec<Target> {
    targets_at(sentence).into_iter().map(|(_, t)| t).collect()
}

/// Verbs that count things (打造108条后街小巷, 有机串联33栋楼宇) besides the vocabulary's
/// planning verbs: when the words before a number end in one, the counted thing follows it.
const COUNT_VERBS: &[&str] = &[
    "串联", "利用", "办好", "搭建", "布局", "形成", "推出", "开展", "引育", "招引", "引入", "聚集",
    "贯通", "接待", "举办", "设立", "培育", "建成",
];

/// Whether `word` is a planning verb of the vocabulary or a counting verb.
pub(crate) fn is_verb(word: &str) -> bool {
    COUNT_VERBS.contains(&word)
        || crate::vocab::statuses().any(|s| s.verbs.iter().any(|v| v == word))
}

/// Whether `phrase` ends in a planning verb of the vocabulary (品质提升, 投入使用).
pub(crate) fn ends_in_vocab_verb(phrase: &str) -> bool {
    crate::vocab::statuses().any(|s| s.verbs.iter().any(|v| phrase.ends_with(v.as_str())))
}

/// Whether `phrase` ends in a verb: a vocabulary planning verb, a counting verb, or a word the
/// segmenter tags as a verb.
pub(super) fn ends_in_verb(phrase: &str) -> bool {
    if phrase.is_empty() {
        return false;
    }
    if ends_in_vocab_verb(phrase) || COUNT_VERBS.iter().any(|v| phrase.ends_with(v)) {
        return true;
    }
    let chars: Vec<char> = phrase.chars().collect();
    let words = super::words::Words::of(&chars);
    words
        .at(chars.len() - 1)
        .is_some_and(|w| w.tag == "v" || w.tag == "vd")
}

/// Modifiers and verbs that open a metric phrase without naming what is counted (年内新增…,
/// 有机串联…, 争取…): the metric is the noun phrase after them.
const LEADING: &[&str] = &[
    "年内",
    "力争",
    "争取",
    "有机",
    "连片",
    "梯次",
    "累计新增",
    "新改建",
    "精扫细保",
    "攻坚",
    "平整",
    "提质深化",
    "加快推进",
    "活化",
    "接续",
    "完成",
    "新开馆驻渝",
    "靶向",
    "全线",
];

/// The noun phrase of a metric: leading modifiers and verbs (of the vocabulary or of counting)
/// dropped while at least two chars remain. The segmenter's verb tags are not used here: it
/// tags nouns such as 示范 and 挂牌 as verbs. Rates keep
/// their verb at the end (总产值增长).
fn noun_phrase(metric: &str) -> String {
    let mut rest: Vec<char> = metric.chars().collect();
    loop {
        let text: String = rest.iter().collect();
        let lead = LEADING
            .iter()
            .find(|w| text.starts_with(**w))
            .map(|w| w.chars().count())
            .or_else(|| {
                (2..=3.min(rest.len())).find(|&n| is_verb(&rest[..n].iter().collect::<String>()))
            });
        match lead {
            Some(n) if rest.len() - n >= 2 => {
                rest.drain(..n);
            }
            _ => return text,
        }
    }
}

/// Quote marks never belong in a metric's name (“星级”楼宇 is 星级楼宇).
fn unquoted(s: &str) -> String {
    s.chars().filter(|c| !"“”‘’「」\"'".contains(*c)).collect()
}

/// The metric of the number at `num_start..unit_end`: what the words before it name, or the
/// noun after it when a verb, a list or nothing precedes it; without quote marks, links
/// (实现, 达到 …) or leading verbs.
fn metric_of(
    sentence: &[char],
    clause_start: usize,
    num_start: usize,
    unit_end: usize,
    is_rate: bool,
) -> String {
    let mut metric = unquoted(&sentence[clause_start..num_start].iter().collect::<String>());
    loop {
        let before = metric.len();
        for link in LINKS {
            if let Some(m) = metric.strip_suffix(link) {
                metric = m.to_string();
            }
        }
        if metric.len() == before {
            break;
        }
    }
    // "N个X" puts the counted thing after the number (7个传统风貌街区, 串联33栋商务楼宇):
    // when nothing, a list or a verb precedes the number, the noun after it is the metric.
    let object: String = sentence[unit_end..]
        .iter()
        .take_while(|&&c| !is_clause_break(c) && c != '、' && !c.is_ascii_digit())
        .collect();
    let object = unquoted(&object);
    // 各具特色消费场景的后街小巷: what is counted is the head after the last 的.
    let object = object.rsplit('的').next().unwrap_or_default();
    let object = object.strip_suffix("建设").unwrap_or(object);
    let object: String = object.chars().take(12).collect();
    // "A、B等N个X": the list before 等 is examples, not the metric.
    if let Some((_, after)) = metric.rsplit_once('等')
        && !after.is_empty()
    {
        metric = after.to_string();
    }
    let (metric, from_object) = if metric.ends_with('等') || metric.is_empty() {
        (object, true)
    } else if !is_rate && ends_in_verb(&metric) && object.chars().count() >= 2 {
        // 有机串联|33栋|高品质商务楼宇, 差异化打造|108条|后街小巷.
        if metric.chars().count() <= 4 {
            (format!("{metric}{object}"), false)
        } else {
            (object, true)
        }
    } else if metric.chars().count() <= 4 && object.chars().count() >= 2 {
        (format!("{metric}{object}"), false)
    } else {
        (metric, false)
    };
    let metric = metric.trim_matches(|c: char| "等共约".contains(c));
    // The words after a number already start at the noun; those before it may open with
    // a verb or a modifier.
    if is_rate || from_object {
        metric.to_string()
    } else {
        noun_phrase(metric)
    }
}

/// Like [`targets`], with the char offset of each target's number in the sentence.
#[must_use]
pub fn targets_at(sentence: &[char]) -> Vec<(usize, Target)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sentence.len() {
        if !sentence[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let num_start = i;
        while i < sentence.len() && (sentence[i].is_ascii_digit() || sentence[i] == '.') {
            i += 1;
        }
        let number: String = sentence[num_start..i].iter().collect();
        // Digits glued to letters or to 号/版 are names (6号地块, D8街区, 18号线), not targets.
        let prev_is_letter = num_start > 0 && sentence[num_start - 1].is_ascii_alphabetic();
        let rest: String = sentence[i..sentence.len().min(i + 6)].iter().collect();
        let Some(unit) = UNITS.iter().find(|u| rest.starts_with(**u)) else {
            continue;
        };
        if prev_is_letter || rest.starts_with("号") {
            continue;
        }
        // A run of digits longer than any real quantity is not a target (and would parse to
        // infinity, which JSON cannot carry).
        let Some(value) = number
            .trim_end_matches('.')
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && number.len() <= 15)
        else {
            continue;
        };
        let unit_end = i + unit.chars().count();
        let clause_start = sentence[..num_start]
            .iter()
            .rposition(|&c| is_clause_break(c) || c == '、')
            .map_or(0, |p| p + 1);
        let is_rate = matches!(*unit, "%" | "个百分点" | "倍");
        let metric = metric_of(sentence, clause_start, num_start, unit_end, is_rate);
        // "A、B分别增长20%、15%": a bare number after a list continues the one before it.
        let metric = match out.last() {
            Some((_, prev)) if metric.is_empty() => {
                let prev: &Target = prev;
                prev.metric.clone()
            }
            _ => metric,
        };
        let clause_end = sentence[unit_end..]
            .iter()
            .position(|&c| is_clause_break(c) || c == '、')
            .map_or(sentence.len(), |p| unit_end + p);
        out.push((
            num_start,
            Target {
                metric,
                value,
                unit: (*unit).to_string(),
                text: sentence[clause_start..clause_end].iter().collect(),
            },
        ));
        i = unit_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_retail_target_reads_metric_value_and_unit() {
        let t = targets(&chars(
            "推动地王广场打造购物公园，社会消费品零售总额实现1150亿元。",
        ));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].metric, "社会消费品零售总额");
        assert!((t[0].value - 1150.0).abs() < f64::EPSILON);
        assert_eq!(t[0].unit, "亿元");
        assert_eq!(t[0].text, "社会消费品零售总额实现1150亿元");
    }

    #[test]
    fn an_absurdly_long_number_is_not_a_target() {
        let s = format!("总额{}亿元。", "9".repeat(400));
        assert!(targets(&chars(&s)).is_empty());
    }

    #[test]
    fn plot_numbers_and_line_numbers_are_not_targets() {
        assert!(targets(&chars("优化嘉陵新村6号地块前期策划研究。")).is_empty());
        assert!(targets(&chars("时代天街焕新升级D8街区。")).is_empty());
    }

    #[test]
    fn percentages_and_area_units_are_read() {
        let t = targets(&chars("盘活闲置楼宇50万平方米，建筑业总产值增长10%。"));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].unit, "万平方米");
        assert_eq!(t[1].unit, "%");
        assert_eq!(t[1].metric, "建筑业总产值增长");
    }
}
