//! Stage 1 of reading a sentence: candidate names from the grammar and the gazetteer.
//!
//! Input: a sentence's chars, the [`Lexicon`] and its known names found in the sentence, and
//! the segmenter's [`Words`]. Output: [`Candidate`]s with char spans relative to the sentence,
//! before any merging with the known names or any judgement of context
//! ([`super::mentions::find`] runs the later stages).
//!
//! Three sources: a head word (…路 …街 …片区 …产业园 …中心 …号线 …) whose name is read back
//! to the nearest punctuation or planning verb; a quoted name (“十字金街”, an axis “A—B—C”);
//! and the members of a list of works closed by 等工程 (朝天门金角、嘉宾里等工程).

use super::context::owner_part;
use super::grammar::{
    HEAD_CHARS, TOPONYM_HEADS, WORD_END_HEADS, continues_word, ends_common_word, ends_verb_object,
    is_generic, kind_of, read_back, toponym_goes_on,
};
use super::lexicon::Lexicon;
use super::mentions::{Candidate, CandidateSource};
use super::words::Words;
use crate::text::{LexiconTerm, is_cjk};

/// Where the name read back to `start` starts once the segmenter's words are heeded
/// ([`Words::proper_start`]). A street whose whole proper part is one word keeps it whatever
/// the word is (建设路, 解放路, 五一路: streets are named after verbs and dates too).
fn proper_start(words: &Words, start: usize, head_start: usize, head: &str) -> Option<usize> {
    if let Some(s) = words.proper_start(start, head_start) {
        let s = toponym_cut_in_two(words, start, s, head_start);
        // What a cut leaves must still be a proper part of two chars (年内开|园 leaves 开).
        return (s == start || head_start - s >= 2).then_some(s);
    }
    let whole_word = words
        .at(start)
        .is_some_and(|w| w.start == start && w.end == head_start);
    (["路", "街", "巷", "大道"].contains(&head) && whole_word).then_some(start)
}

/// Chars that end a bare toponym (打枪坝, 观音岩, 学田湾, 大坪): the gazetteer's and the
/// vocabulary's one-char generic parts of places.
const TOPONYM_ENDS: &str = "门寺岩湾沟洞坡庙坝坪堡垭嘴坎岗岭池溪";

/// Generic parts of areas, after which no toponym's one-char end follows in the same name.
const AREA_ENDS: &[&str] = &[
    "片区",
    "街区",
    "社区",
    "风貌区",
    "园区",
    "商圈",
    "景区",
    "商务区",
];

/// Where a name starts when the cut of a verb in front left a toponym's last char alone at the
/// start of the proper part (打枪|坝|水厂旧址): the segmenter read the toponym's first chars
/// as a verb, so they are the name's, and the name starts at that verb. `cut` is where
/// [`Words::proper_start`] put the start.
fn toponym_cut_in_two(words: &Words, start: usize, cut: usize, head_start: usize) -> usize {
    if cut == start || cut + 1 >= head_start {
        return cut;
    }
    let lone_end = words.at(cut).is_some_and(|w| {
        w.start == cut && w.end == cut + 1 && TOPONYM_ENDS.contains(words.char_at(cut))
    });
    match words.at(cut - 1) {
        Some(v) if lone_end && v.end == cut && v.end - v.start == 2 && v.tag.starts_with('v') => {
            v.start.max(start)
        }
        _ => cut,
    }
}

/// Splits a joined name (A—B—C) into the places it joins. The last part loses the joined
/// name's head word when what remains is still a name (戴家巷—国泰艺术中心连廊 → 国泰艺术中心).
fn split_parts(name: &str, lexicon: &Lexicon) -> Vec<String> {
    name.split('—')
        .filter(|p| !p.is_empty())
        .map(|p| {
            if let Some(t) = lexicon.longest_prefix(p) {
                return t.text.clone();
            }
            // The longest prefix that ends in a head word is the part's own name.
            let chars: Vec<char> = p.chars().collect();
            for end in (3..chars.len()).rev() {
                let prefix: String = chars[..end].iter().collect();
                if crate::vocab::terms()
                    .iter()
                    .any(|(h, _)| h.chars().count() >= 2 && prefix.ends_with(h))
                {
                    return prefix;
                }
            }
            p.to_string()
        })
        .collect()
}

/// Zone words after which a street's name starts afresh.
const ZONE_WORDS: &[&str] = &["商圈", "片区", "街区", "商务区", "园区", "风貌区"];

/// Where the last zone word inside `start..head_start` ends, when at least two chars of a
/// street's proper part follow it.
fn zone_end_within(sentence: &[char], start: usize, head_start: usize) -> Option<usize> {
    (start + 2..head_start.saturating_sub(1)).rev().find(|&e| {
        ZONE_WORDS.iter().any(|z| {
            let z: Vec<char> = z.chars().collect();
            e >= start + z.len() && sentence[e - z.len()..e] == z[..]
        })
    })
}

/// Verbs that build what follows them: a park named only by what it gathers (打造|国际金融
/// 产业园) is then a facility the text plans, not a kind of place.
const BUILDING_VERBS: &[&str] = &["打造", "建设", "新建", "建成", "开工", "开建", "建好"];

/// Whether a park whose proper part is only modifiers (国际金融产业园) is built by the verb
/// right before it, which makes it one planned facility.
fn built_park(sentence: &[char], start: usize, head: &str) -> bool {
    ["产业园", "园区"].contains(&head)
        && start >= 2
        && BUILDING_VERBS.iter().any(|v| {
            let v: Vec<char> = v.chars().collect();
            sentence[start - 2..start] == v[..]
        })
}

/// Nouns that close a list of works (完工朝天门金角、嘉宾里等工程).
const WORKS_LIST_ENDS: &[&str] = &["工程"];

/// The members of a list of works closed by 等工程 (完工朝天门金角、嘉宾里等工程): each is a
/// place the verb before the list plans, even with no generic part of its own (金角, 嘉宾里),
/// as `(start, end)` spans. Members that are works themselves (城墙修缮) or generic are left out.
fn works_list_members(sentence: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (at, _) in sentence.iter().enumerate().filter(|(_, c)| **c == '等') {
        // 等工程, 等3项工程, 等重点工程: only a count and modifiers between.
        let rest: String = sentence[at + 1..].iter().take(8).collect();
        let Some(close) = WORKS_LIST_ENDS.iter().find_map(|e| rest.find(e)) else {
            continue;
        };
        let between = &rest[..close];
        if between.chars().any(|c| "，、。；".contains(c)) || between.chars().count() > 5 {
            continue;
        }
        // Back to the clause's start; the list begins after the last planning verb.
        let clause_start = sentence[..at]
            .iter()
            .rposition(|c| "，；：。！？\n（(".contains(*c))
            .map_or(0, |p| p + 1);
        let mut list_start = clause_start;
        for i in clause_start..at {
            for n in 2..=4 {
                if i + n <= at
                    && super::targets::is_verb(&sentence[i..i + n].iter().collect::<String>())
                {
                    list_start = list_start.max(i + n);
                }
            }
        }
        if list_start == clause_start {
            // No verb plans the list.
            continue;
        }
        let mut from = list_start;
        for (k, &c) in sentence[list_start..=at].iter().enumerate() {
            let i = list_start + k;
            if c == '、' || i == at {
                let member: String = sentence[from..i].iter().collect();
                let n = i - from;
                if (2..=8).contains(&n)
                    && sentence[from..i].iter().all(|&c| is_cjk(c))
                    && !super::targets::ends_in_vocab_verb(&member)
                    && !is_generic(&member, &kind_of(&member))
                {
                    out.push((from, i));
                }
                from = i + 1;
            }
        }
    }
    out
}

/// Words after a line's number that name a section of it (18号线|北延伸段).
const LINE_SECTIONS: &[&str] = &["延伸段", "延长线", "支线"];

/// How many chars after a line's head word (号线) name a section of the line: a direction
/// and one of [`LINE_SECTIONS`] (北延伸段), or 0.
fn line_section_len(sentence: &[char], head: &str, head_end: usize) -> usize {
    if head != "号线" {
        return 0;
    }
    let direction = usize::from(
        sentence
            .get(head_end)
            .is_some_and(|c| "东西南北".contains(*c)),
    );
    LINE_SECTIONS
        .iter()
        .map(|w| w.chars().collect::<Vec<char>>())
        .find(|w| {
            sentence.get(head_end + direction..head_end + direction + w.len()) == Some(&w[..])
        })
        .map_or(0, |w| direction + w.len())
}

/// Candidates of the head-word rules: every head word occurrence that ends a word, its name
/// read back to a stop, cut by the segmenter, never inside or right after a known name.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "one pass over the sentence whose floors carry from name to name; each rule is a commented block"
)]
pub fn from_head_words(
    sentence: &[char],
    lexicon: &Lexicon,
    known: &[(usize, usize, &LexiconTerm)],
    words: &Words,
) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut floor = 0;
    // The floor before the last name: a name joined to the last one by — or running straight
    // on into this head word (国泰艺术中心|连廊) may read back across it.
    let mut prior_floor = 0;
    let mut i = 0;
    while i < sentence.len() {
        // 人和街道路改造: the street 人和街, then 道路 (road works), not the sub-district 街道.
        let street_then_road = sentence.get(i..i + 3) == Some(&['街', '道', '路'][..]);
        // The first char is compared before the slice: most positions start no head word, and
        // a slice comparison per head word and position was a quarter of the parse.
        let head = HEAD_CHARS.iter().find(|(h, head, _)| {
            h.first() == sentence.get(i)
                && sentence.get(i..i + h.len()) == Some(&h[..])
                && !(street_then_road && *head == "街道")
        });
        let Some((head_chars, head, kind)) = head else {
            i += 1;
            continue;
        };
        // 从通远门一路步行: 一路 is "all the way", not a numbered road.
        if *head == "路"
            && i > 0
            && sentence[i - 1] == '一'
            && sentence
                .get(i + 1)
                .is_some_and(|c| "步向走延前畅上下到来".contains(*c))
        {
            i += 1;
            continue;
        }
        // 张家花园片区|坡陡路窄: a toponym's one-char end right after an area's generic part
        // starts the next words; an area ends its name.
        if head_chars.len() == 1
            && TOPONYM_ENDS.contains(sentence[i])
            && AREA_ENDS.iter().any(|a| {
                let a: Vec<char> = a.chars().collect();
                i >= a.len() && sentence[i - a.len()..i] == a[..]
            })
        {
            i += 1;
            continue;
        }
        let head_len = head_chars.len();
        let head_end = i + head_len;
        // A longer head word may continue here (园 → 园区 was tried first; 公园 then 园), and a
        // numbered part goes on with the name (嘉陵新村|6号地块).
        let digits = sentence[head_end..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        // …but a compound a street addresses (金汤街54号院) keeps the street, which the
        // compound's name then takes in ([`super::coordination::join_house_numbers`]).
        let numbered = digits > 0
            && sentence.get(head_end + digits) == Some(&'号')
            && sentence.get(head_end + digits + 1) != Some(&'院');
        // （较场口至解放东路段）: the street ends a segment; 路段 alone is a stretch of road.
        let ends_segment = *head == "路"
            && sentence.get(head_end) == Some(&'段')
            && (sentence
                .get(head_end + 1)
                .is_some_and(|c| "）)，、。；".contains(*c))
                // …较场口至解放西路段正式…: the far end of a stretch.
                || (i.saturating_sub(8)..i)
                    .rev()
                    .find(|&j| sentence[j] == '至')
                    .is_some_and(|j| sentence[j + 1..i].iter().all(|&c| is_cjk(c))));
        if numbered
            || ends_common_word(words, head, i)
            || ends_verb_object(sentence, head, i)
            || (!street_then_road
                && !ends_segment
                && continues_word(head, sentence.get(head_end).copied()))
            || toponym_goes_on(sentence, head, head_end)
        {
            i += 1;
            continue;
        }
        // Single-char heads need the next char to be a break or a non-name continuation.
        // 太华楼|一巷, 长江|二路: a numbered street of the name before it.
        // 枇杷山|后街, 大坪|正街: a street named after the place before it.
        let numbered_after = i > floor
            && i - floor <= 2
            && sentence[floor..i]
                .iter()
                .all(|&c| crate::text::is_cn_numeral(c) || "正后前横支新行东西南北".contains(c))
            // 从通远门一路步行: 一路 is "all the way".
            && !(sentence[floor..i] == ['一'] && *head == "路")
            // 化龙桥片区|D12地块: a plot numbered within the area before it.
            || *head == "地块"
                && i > floor
                && sentence[floor..i]
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || "-/分区组团".contains(c));
        // 重庆市中医院|道门口院区: a campus is named with the hospital or school before it.
        let campus = ["院区", "校区"].contains(head)
            && floor > 0
            && i > floor
            && sentence[floor..i].iter().all(|&c| is_cjk(c));
        let joins_last = floor > 0
            && (floor == i || sentence.get(floor) == Some(&'—') || numbered_after || campus);
        let reach = if joins_last { prior_floor } else { floor };
        if let Some(start) = read_back(sentence, reach, i, head_end)
            .and_then(|s| {
                // The segmenter may misread a known name as a verb (较场口) or split it (通|远门):
                // a cut never falls inside a known name, nor right after one.
                let cut = proper_start(words, s, i, head).unwrap_or(i);
                known
                    .iter()
                    .filter(|(ks, ke, _)| s <= *ks && *ks < cut && cut <= *ke && *ke <= i)
                    .map(|(ks, _, _)| *ks)
                    .min()
                    .or((cut < i).then_some(cut))
            })
            // 桂园: one proper char before 园 when the segmenter knows the two as a place word
            // (花园, 校园 are common nouns).
            .or_else(|| {
                (*head == "园").then_some(())?;
                words
                    .at(i.saturating_sub(1))
                    .filter(|w| {
                        w.end == head_end
                            && w.end - w.start == 2
                            && w.start >= reach
                            && w.tag == "ns"
                    })
                    .map(|w| w.start)
            })
            // An area of the district is named without its city and district; a park's,
            // a facility's official name may hold them (重庆市人民医院, 重庆市…产业园).
            .map(|s| {
                if ["片区", "街道", "商圈", "社区", "路", "街", "巷", "大道"].contains(head)
                {
                    words.past_admin_units(sentence, s, i)
                } else {
                    s
                }
            })
        {
            // A street named right after the zone it runs through (解放碑商圈|八一路) is named
            // without the zone.
            // So is a toponym after a known place (七星岗|莲花池).
            let one_char_toponym = head.chars().count() == 1
                && (TOPONYM_HEADS.contains(head) || WORD_END_HEADS.contains(head));
            let start = if ["路", "街", "巷", "大道"].contains(head) || one_char_toponym {
                // Not when the known name goes on with a generic part (佛图关|公园南门 is
                // 佛图关公园's gate); past a join (上清寺|—曾家岩).
                let after_known = known
                    .iter()
                    .filter(|(s, e, _)| {
                        start <= *s
                            && *e + 2 <= i
                            && !HEAD_CHARS.iter().any(|(h, _, _)| {
                                h.len() >= 2 && sentence.get(*e..*e + h.len()) == Some(&h[..])
                            })
                    })
                    .map(|(_, e, _)| {
                        if sentence.get(*e) == Some(&'—') {
                            *e + 1
                        } else {
                            *e
                        }
                    })
                    .max();
                zone_end_within(sentence, start, i)
                    .into_iter()
                    .chain(after_known)
                    .max()
                    .unwrap_or(start)
            } else {
                start
            };
            // A station is named without the network's name (轨道交通|大坪站); a line with it.
            let start = if !["号线", "轨道线", "线"].contains(head)
                && sentence[start..].starts_with(&['轨', '道', '交', '通'])
                && i >= start + 5
            {
                start + 4
            } else {
                start
            };
            // 18号线北延伸段: the section of a line being built is named with the line.
            let head_end = head_end + line_section_len(sentence, head, head_end);
            let mut name: String = sentence[start..head_end].iter().collect();
            let (mut end, mut kind) = (head_end, (*kind).to_string());
            // The trail, the lanes, the old street or the junction of a named place are
            // planned as that place (鹅岭公园步道, 大坪正街街巷, 七星岗老街, 学田湾路口); of no
            // named place they are generic (登山步道, 老街巷).
            // …城墙遗址|公园: a longer name goes on with another generic part.
            let goes_on = HEAD_CHARS.iter().any(|(h, _, _)| {
                h.len() >= 2 && sentence.get(head_end..head_end + h.len()) == Some(&h[..])
            });
            if let Some((owner, cut)) = owner_part(&name, lexicon).filter(|_| !goes_on) {
                if owner.is_empty() {
                    i = head_end;
                    continue;
                }
                kind = lexicon
                    .get(&owner)
                    .map(|t| t.kind.clone())
                    .filter(|k| !k.is_empty())
                    .unwrap_or_else(|| kind_of(&owner));
                if kind.is_empty() {
                    kind = "地名".to_string();
                }
                name = owner;
                end = head_end - cut;
            }
            // A bare toponym the lexicon knows (化龙桥) is left to it: as a pattern it would
            // stop the next name from reading back over it (化龙桥服务业…示范园).
            let known_toponym = head.chars().count() == 1
                && (TOPONYM_HEADS.contains(head) || WORD_END_HEADS.contains(head))
                && lexicon.get(&name).is_some();
            // A community (社区) is named after a street, a village or a gate (领事巷社区);
            // 国际社区, 先锋社区 are kinds of community.
            let community_of_no_place = *head == "社区" && {
                let proper = name.strip_suffix("社区").unwrap_or(&name);
                lexicon.get(proper).is_none()
                    && (kind_of(proper).is_empty() || is_generic(proper, &kind_of(proper)))
            };
            if known_toponym || community_of_no_place {
                i = head_end;
                continue;
            }
            let generic = if end < head_end {
                is_generic(&name, &kind)
            } else {
                is_generic(&name, head) && !built_park(sentence, start, head)
            };
            if !generic {
                let parts = if name.contains('—') {
                    split_parts(&name, lexicon)
                } else {
                    Vec::new()
                };
                found.push(Candidate {
                    name,
                    start,
                    end,
                    kind,
                    source: CandidateSource::Pattern,
                    parts,
                    contains: Vec::new(),
                });
                prior_floor = reach;
                floor = head_end;
            }
            i = head_end;
            continue;
        }
        i = head_end;
    }

    found
}

/// Quoted names: short, and either joined by — or a place the words after it plan works on.
#[must_use]
pub fn from_quotes(sentence: &[char], lexicon: &Lexicon) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut q = 0;
    while let Some(open) = sentence[q..].iter().position(|&c| c == '“').map(|p| p + q) {
        let Some(close) = sentence[open + 1..]
            .iter()
            .position(|&c| c == '”')
            .map(|p| p + open + 1)
        else {
            break;
        };
        let inner: String = sentence[open + 1..close].iter().collect();
        let n = close - open - 1;
        if (3..=20).contains(&n)
            && inner.contains('—')
            && inner.chars().all(|c| is_cjk(c) || c == '—')
        {
            let parts = split_parts(&inner, lexicon);
            if parts
                .iter()
                .any(|p| p.chars().count() < 2 || is_generic(p, &kind_of(p)))
            {
                q = close + 1;
                continue;
            }
            found.push(Candidate {
                name: inner.clone(),
                kind: if parts.len() >= 3 {
                    "轴".into()
                } else {
                    "连线".into()
                },
                start: open + 1,
                end: close,
                source: CandidateSource::Quoted,
                parts,
                contains: Vec::new(),
            });
        }
        // A quoted name without a head word is a place when the words after it plan works
        // on it (实施“红色三岩”提升); quoted slogans are followed by other words.
        let after: String = sentence[close + 1..].iter().take(2).collect();
        let before: String = sentence[open.saturating_sub(2)..open].iter().collect();
        if (3..=8).contains(&n)
            && [
                "实施", "推进", "推动", "打造", "启动", "加快", "完成", "开展",
            ]
            .contains(&before.as_str())
            && inner.chars().all(is_cjk)
            && !is_generic(&inner, "")
            && kind_of(&inner).is_empty()
            && [
                "提升", "建设", "改造", "项目", "工程", "保护", "更新", "修缮",
            ]
            .contains(&after.as_str())
        {
            found.push(Candidate {
                kind: "片区".into(),
                name: inner,
                start: open + 1,
                end: close,
                source: CandidateSource::Quoted,
                parts: Vec::new(),
                contains: Vec::new(),
            });
        }
        q = close + 1;
    }

    found
}

/// Members of a list of works (朝天门金角、嘉宾里等工程) that no name in `found` or `known`
/// covers.
#[must_use]
pub fn from_works_lists(
    sentence: &[char],
    found: &[Candidate],
    known: &[(usize, usize, &LexiconTerm)],
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    for (start, end) in works_list_members(sentence) {
        if found.iter().any(|c| c.start < end && start < c.end)
            || known.iter().any(|(s, e, _)| *s == start && *e == end)
        {
            continue;
        }
        let name: String = sentence[start..end].iter().collect();
        let kind = Some(kind_of(&name))
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| "设施".to_string());
        out.push(Candidate::pattern(name, start, end, kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn head_word_names(s: &str) -> Vec<String> {
        let c = chars(s);
        from_head_words(&c, &Lexicon::default(), &[], &Words::of(&c))
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn a_section_of_a_line_is_named_with_the_line() {
        assert_eq!(
            head_word_names("配合推进轨道交通18号线北延伸段建设。"),
            ["轨道交通18号线北延伸段"]
        );
        assert_eq!(head_word_names("优化18号线运营。"), ["18号线"]);
    }

    #[test]
    fn head_words_read_back_to_the_verb_before_them() {
        assert_eq!(
            head_word_names("同步开工站北路、菜园坝立交。"),
            ["站北路", "菜园坝立交"]
        );
    }

    #[test]
    fn a_toponym_the_segmenter_read_as_a_verb_is_not_cut_in_two() {
        assert_eq!(
            head_word_names("并对打枪坝水厂旧址外围进行整治。"),
            ["打枪坝水厂旧址"]
        );
        // A verb before a name that starts with a whole word stays cut.
        let names = head_word_names("启动凯旋路电梯改造。");
        assert!(names.contains(&"凯旋路电梯".to_string()), "{names:?}");
        assert!(names.iter().all(|n| !n.starts_with("启动")), "{names:?}");
    }

    #[test]
    fn an_area_ends_its_name_before_a_toponym_s_char() {
        let names = head_word_names("一、基本情况张家花园片区坡陡路窄，停车难。");
        assert!(names.iter().all(|n| !n.ends_with('坡')), "{names:?}");
    }

    #[test]
    fn a_quoted_axis_and_a_quoted_place_under_works_are_candidates() {
        let c = chars("打造“朝天门—解放碑—通远门”，实施“金角银滩”提升。");
        let names: Vec<String> = from_quotes(&c, &Lexicon::default())
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["朝天门—解放碑—通远门", "金角银滩"]);
    }

    #[test]
    fn list_members_already_read_are_not_read_twice() {
        let c = chars("完工朝天门金角、嘉宾里等工程。");
        let all = from_works_lists(&c, &[], &[]);
        assert_eq!(all.len(), 2);
        let read = vec![all[0].clone()];
        let rest = from_works_lists(&c, &read, &[]);
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].name, "嘉宾里");
    }

    #[test]
    fn a_place_before_the_kind_of_a_historic_area_names_the_area() {
        let c = chars("下月公示厚慈街传统风貌区和七星岗历史文化街区的保护范围。");
        let names: Vec<String> = super::super::mentions::find(&c, &Lexicon::default())
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["厚慈街传统风貌区", "七星岗历史文化街区"]);
        // The kind alone, counted, names no area.
        assert!(head_word_names("全市新增9个传统风貌区。").is_empty());
    }

    fn found(s: &str) -> Vec<String> {
        super::super::mentions::find(&chars(s), &Lexicon::default())
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn an_adverb_and_a_verb_in_front_of_a_name_are_the_clause_s() {
        assert_eq!(found("现在只剩凯旋路电梯还能坐。"), ["凯旋路电梯"]);
        // Two one-char verbs may be a name's own chars.
        assert_eq!(found("石板坡聚兴村社区完成改造。"), ["石板坡聚兴村社区"]);
    }

    #[test]
    fn a_verb_before_a_street_s_direction_word_leaves_the_word_between() {
        assert_eq!(found("摊子就摆在靠近解放西路的巷子口。"), ["解放西路"]);
    }

    #[test]
    fn a_place_word_after_a_verb_inside_a_would_be_name_starts_it() {
        // 厦门 alone is left to the lexicon (a place elsewhere): no name of the grammar.
        assert!(found("外地朋友说有点像厦门的老街。").is_empty());
    }

    #[test]
    fn a_generic_part_that_is_a_verb_s_object_ends_no_name() {
        for s in [
            "区里计划在大坪设站。",
            "那几天会不会封路？",
            "从佛图关开车下山只要五分钟。",
            "院坝头有人摆龙门阵。",
        ] {
            assert!(found(s).is_empty(), "{s}: {:?}", found(s));
        }
        assert_eq!(found("新建七星岗站出入口。"), ["七星岗站"]);
    }
}
