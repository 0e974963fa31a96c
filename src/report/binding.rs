//! Who a numeric target belongs to: a place only where the sentence binds the number to it,
//! else the district.
//!
//! Input: one normalised sentence, its targets with the char offset of each number
//! ([`super::targets::targets_at`]) and the names found in it ([`Candidate`]s, offsets relative
//! to the sentence). Output: one [`Owner`] per target.
//!
//! Rules, in order:
//! 1. A district aggregate (社会消费品零售总额, 市场主体, 实际使用外资 … the vocabulary's
//!    `district_metrics`) belongs to the district, whatever place the sentence names.
//! 2. The clause carrying the number (split at ，；：) binds it to the places named in it before
//!    the number — its subject or object (西部陆海新通道物流贸易总部基地引入…企业3家; 印象城、
//!    嘉陵中心、重庆天地…新增高端品牌10个, jointly) — except names in an example list before 等
//!    (十八梯、山城巷、湖广会馆等7个传统风貌街区: the count is not theirs).
//! 3. A clause with no subject of its own (it opens with a verb: 有机串联33栋楼宇, 打造…楼宇3栋)
//!    continues the last clause of the sentence that has one, back to a ； or to a clause whose
//!    subject is not a place; a place is a clause's subject when nothing but a copula (是 为 指
//!    即) and quote marks precede it.
//!    When that clause has no subject but opens with a verb whose object is a place followed by
//!    the works on it (推进陆海国际中心主体建设，年内完成投资12亿元; 完成白象街历史建筑保护修缮，
//!    修缮历史建筑10栋; 推进A、B建设，… : jointly), the number is that place's. A place the
//!    verb's clause names with nothing after it (做靓五一路重庆金融街、打铜街金融创新生态圈，
//!    聚集…机构110家) is where the number happens, not what it counts: the district's.
//! 4. A clause that says it counts the whole district (全区, 全域, 我区 …) is the district's.
//! 5. Anything else is the district's.

use serde::Serialize;

use super::mentions::Candidate;
use crate::plan::Target;

/// The owner of a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// A district-level target (an aggregate, or a number no place is bound to).
    District,
    /// The places (names as written) the clause binds the number to, jointly when several.
    Places(Vec<String>),
}

/// A target of the report with its sentence and its owner.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnedTarget {
    /// The sentence it is read from.
    pub sentence_id: usize,
    /// Metric, value, unit and clause.
    #[serde(flatten)]
    pub target: Target,
    /// `district`, or `place` when `places` names its owners.
    pub owner: &'static str,
    /// The places that own it (empty for the district).
    pub places: Vec<String>,
}

impl OwnedTarget {
    /// Builds one from its parts.
    #[must_use]
    pub fn new(sentence_id: usize, target: Target, owner: Owner) -> OwnedTarget {
        match owner {
            Owner::District => OwnedTarget {
                sentence_id,
                target,
                owner: "district",
                places: Vec::new(),
            },
            Owner::Places(places) => OwnedTarget {
                sentence_id,
                target,
                owner: "place",
                places,
            },
        }
    }
}

/// Whether a metric names a district aggregate (from the vocabulary).
#[must_use]
pub fn is_district_metric(metric: &str) -> bool {
    crate::vocab::district_metrics()
        .iter()
        .any(|k| metric.contains(k.as_str()))
}

fn is_break(c: char) -> bool {
    matches!(
        c,
        '，' | '；' | '：' | '。' | '！' | '？' | '\n' | ',' | ';'
    )
}

/// The clauses of a sentence as `[start, end)` char spans, and whether each opens after a ；
/// (a new chain of clauses) rather than a ，.
fn clauses(sentence: &[char]) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut hard = true;
    for (i, &c) in sentence.iter().enumerate() {
        if is_break(c) {
            out.push((start, i, hard));
            hard = matches!(c, '；' | ';' | '：');
            start = i + 1;
        }
    }
    if start < sentence.len() {
        out.push((start, sentence.len(), hard));
    }
    out
}

/// Whether the text before a name in its clause leaves it the clause's subject: nothing but
/// quote marks and a copula (“一轴”是“…).
fn is_subject_position(before: &str) -> bool {
    let bare: String = before
        .chars()
        .filter(|c| !"“”‘’「」\"'".contains(*c))
        .collect();
    bare.is_empty()
        || ["是", "为", "指", "即"]
            .iter()
            .any(|copula| bare.ends_with(copula) && bare.chars().count() <= 6)
}

/// The subject places of a clause: names in subject position, and names that follow one
/// directly (apposition, a 、 list).
fn subjects(sentence: &[char], clause: (usize, usize), names: &[&Candidate]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last_end: Option<usize> = None;
    let mut inside: Vec<&&Candidate> = names
        .iter()
        .filter(|c| c.start >= clause.0 && c.end <= clause.1)
        .collect();
    inside.sort_by_key(|c| c.start);
    for c in inside {
        if last_end.is_some_and(|e| c.start < e) {
            // A name inside the last one (a part of a joined name) adds nothing.
            continue;
        }
        let glued = last_end.is_some_and(|e| {
            sentence[e..c.start]
                .iter()
                .all(|ch| "、“”和及与".contains(*ch))
        });
        let before: String = sentence[clause.0..c.start].iter().collect();
        if glued || (out.is_empty() && is_subject_position(&before)) {
            if !out.contains(&c.name) {
                out.push(c.name.clone());
            }
            last_end = Some(c.end);
        } else {
            break;
        }
    }
    out
}

/// The places a clause's verb takes as its object with the works on them after: one group of
/// names (a 、 list) after a verb, every name of the clause in it, and words after it (主体建设,
/// 品质提升, 并投入运营). Empty otherwise.
fn objects_of_works(
    sentence: &[char],
    clause: (usize, usize),
    names: &[&Candidate],
) -> Vec<String> {
    let mut inside: Vec<&&Candidate> = names
        .iter()
        .filter(|c| c.start >= clause.0 && c.end <= clause.1)
        .collect();
    inside.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let Some(first) = inside.first() else {
        return Vec::new();
    };
    if !opens_with_verb(sentence, clause, names) {
        return Vec::new();
    }
    let mut out = vec![first.name.clone()];
    let mut end = first.end;
    for c in &inside[1..] {
        if c.start < end {
            // A part of a joined name adds nothing.
            continue;
        }
        let glued = sentence[end..c.start]
            .iter()
            .all(|ch| "、和及与".contains(*ch));
        if !glued {
            // A second group: the clause is about more than its object.
            return Vec::new();
        }
        if !out.contains(&c.name) {
            out.push(c.name.clone());
        }
        end = c.end;
    }
    let after: String = sentence[end..clause.1].iter().collect();
    // The works on the place follow it (主体建设, 品质提升, 并投入运营); a bare place (做靓X)
    // is only where things happen, and other objects after it (X高端精品、…布局) or examples
    // (X等工程) are not works on it.
    let works = !after.starts_with('等')
        && !after.contains('、')
        && (after.contains('并')
            || {
                let g = crate::vocab::grammar();
                g.works
                    .words()
                    .iter()
                    .chain(g.place_activities.words().iter())
                    .any(|w| after.ends_with(w))
            }
            || super::targets::ends_in_vocab_verb(&after));
    if works { out } else { Vec::new() }
}

/// Whether a clause says it counts the whole district.
fn names_the_district(sentence: &[char], clause: (usize, usize)) -> bool {
    let text: String = sentence[clause.0..clause.1].iter().take(6).collect();
    ["全区", "全域", "我区", "区内", "辖区"]
        .iter()
        .any(|w| text.contains(w))
}

/// Whether a clause opens with a verb (it has no subject of its own): its first word is a
/// verb, adverb, preposition or time word, or a verb starts within its first three chars,
/// before any name (连片保护打造…, 年内新增…).
fn opens_with_verb(sentence: &[char], clause: (usize, usize), names: &[&Candidate]) -> bool {
    let first_name = names
        .iter()
        .filter(|c| c.start >= clause.0 && c.end <= clause.1)
        .map(|c| c.start)
        .min()
        .unwrap_or(clause.1);
    let head: Vec<char> = sentence[clause.0..first_name]
        .iter()
        .filter(|c| !"“”".contains(**c))
        .take(8)
        .copied()
        .collect();
    if head.is_empty() {
        return false;
    }
    let words = super::words::Words::of(&head);
    if words
        .at(0)
        .is_some_and(|w| matches!(w.tag.chars().next(), Some('v' | 'd' | 't' | 'p')))
    {
        return true;
    }
    (0..head.len().min(3)).any(|s| {
        (s + 2..=head.len().min(s + 4)).any(|e| {
            let word: String = head[s..e].iter().collect();
            super::targets::is_verb(&word)
        })
    })
}

/// The metric of a target its clause binds to places, without them: the words after the last
/// owner's name, from the first verb in them when one follows a modifier (重庆天地高品质购物中心
/// 新增高端品牌 → 新增高端品牌).
#[must_use]
pub fn metric_without_owners(metric: &str, places: &[String]) -> String {
    let Some(after) = places
        .iter()
        .filter_map(|p| metric.rfind(p.as_str()).map(|i| i + p.len()))
        .max()
        .map(|end| &metric[end..])
    else {
        return metric.to_string();
    };
    let chars: Vec<char> = after.chars().collect();
    let verb_at = (0..chars.len().saturating_sub(1)).find(|&i| {
        (i + 2..=chars.len().min(i + 3))
            .any(|e| super::targets::is_verb(&chars[i..e].iter().collect::<String>()))
    });
    let rest: String = chars[verb_at.unwrap_or(0)..].iter().collect();
    if rest.chars().count() >= 2 {
        rest
    } else {
        metric.to_string()
    }
}

/// The owner of each target of a sentence.
#[must_use]
pub fn owners(sentence: &[char], targets: &[(usize, Target)], names: &[Candidate]) -> Vec<Owner> {
    let names: Vec<&Candidate> = names.iter().collect();
    let clauses = clauses(sentence);
    targets
        .iter()
        .map(|(at, t)| {
            if is_district_metric(&t.metric) {
                return Owner::District;
            }
            let Some(k) = clauses.iter().position(|&(s, e, _)| s <= *at && *at < e) else {
                return Owner::District;
            };
            let (start, _, _) = clauses[k];
            // Names before the number in its clause, except an example list before 等.
            let bound: Vec<String> = names
                .iter()
                .filter(|c| c.start >= start && c.end <= *at)
                .filter(|c| !sentence[c.end..*at].contains(&'等'))
                .map(|c| c.name.clone())
                .fold(Vec::new(), |mut v, n| {
                    if !v.contains(&n) {
                        v.push(n);
                    }
                    v
                });
            if !bound.is_empty() {
                return Owner::Places(bound);
            }
            // No name of its own: a clause opening with a verb continues the subject before it,
            // or the object of works of the clause right before it.
            let mut j = k;
            while !clauses[j].2 && j > 0 {
                let (s, e, _) = clauses[j];
                if names_the_district(sentence, (s, e))
                    || !opens_with_verb(sentence, (s, e), &names)
                {
                    return Owner::District;
                }
                j -= 1;
                let prev = (clauses[j].0, clauses[j].1);
                let subject = subjects(sentence, prev, &names);
                if !subject.is_empty() {
                    return Owner::Places(subject);
                }
                if j + 1 == k {
                    let objects = objects_of_works(sentence, prev, &names);
                    if !objects.is_empty() {
                        return Owner::Places(objects);
                    }
                }
            }
            Owner::District
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Lexicon;

    fn owners_of(s: &str) -> Vec<(String, Owner)> {
        let chars: Vec<char> = s.chars().collect();
        let names = crate::report::mentions::find(&chars, &Lexicon::default());
        let targets = super::super::targets::targets_at(&chars);
        let owners = owners(&chars, &targets, &names);
        targets
            .into_iter()
            .map(|(_, t)| t.metric)
            .zip(owners)
            .collect()
    }

    #[test]
    fn a_retail_total_is_the_districts_whatever_place_the_sentence_names() {
        let o = owners_of(
            "推动地王广场打造全国最大二次元主题购物公园，社会消费品零售总额实现1150亿元。",
        );
        assert_eq!(o[0].1, Owner::District, "{o:?}");
    }

    #[test]
    fn the_subject_of_the_clause_owns_its_number() {
        let o = owners_of(
            "西部陆海新通道物流贸易总部基地引入国际物流企业3家，打造国际货代“星级”楼宇3栋。",
        );
        let base = Owner::Places(vec!["西部陆海新通道物流贸易总部基地".into()]);
        assert_eq!(o[0].1, base, "{o:?}");
        assert_eq!(
            o[1].1, base,
            "a clause opening with a verb continues the subject: {o:?}"
        );
        assert_eq!(o[1].0, "国际货代星级楼宇");
    }

    #[test]
    fn examples_before_deng_do_not_own_the_count() {
        let o = owners_of("连片保护打造十八梯、山城巷、湖广会馆等7个传统风貌街区。");
        assert_eq!(o[0].1, Owner::District, "{o:?}");
        assert_eq!(o[0].0, "传统风貌街区");
    }

    #[test]
    fn a_place_the_verb_works_on_owns_the_number_of_the_next_clause() {
        for s in [
            "推进陆海国际中心主体建设，年内完成投资12亿元。",
            "建成陆海国际中心并投入运营，入驻企业80家。",
            "加快陆海国际中心招商，新引进总部企业15家。",
        ] {
            let o = owners_of(s);
            assert_eq!(
                o[0].1,
                Owner::Places(vec!["陆海国际中心".into()]),
                "{s}: {o:?}"
            );
        }
        let o = owners_of("完成白象街历史建筑保护修缮，修缮历史建筑10栋。");
        assert_eq!(o[0].1, Owner::Places(vec!["白象街".into()]), "{o:?}");
    }

    #[test]
    fn two_places_under_one_verb_share_the_next_clauses_number() {
        let o = owners_of("推进金汤街停车楼、凯旋路停车楼建设，新增停车位600个。");
        assert_eq!(
            o[0].1,
            Owner::Places(vec!["金汤街停车楼".into(), "凯旋路停车楼".into()]),
            "{o:?}"
        );
    }

    #[test]
    fn a_number_the_clause_gives_the_whole_district_stays_the_districts() {
        let o = owners_of("推进解放碑步行街品质提升，全区新增停车位3000个。");
        assert_eq!(o[0].1, Owner::District, "{o:?}");
        // Examples before 等 and a second object are not what the verb works on.
        let o = owners_of("完工金汤街停车楼、凯旋路停车楼等工程，全线贯通19.1公里岸线。");
        assert_eq!(o[0].1, Owner::District, "{o:?}");
    }

    #[test]
    fn objects_of_an_earlier_clause_do_not_own_a_later_number() {
        let o =
            owners_of("做靓五一路重庆金融街、打铜街金融创新生态圈，聚集区域总部金融机构110家。");
        assert_eq!(o[0].1, Owner::District, "{o:?}");
    }
}
