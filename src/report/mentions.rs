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

use super::context::{
    after_source_label, in_comparison, in_title, is_address, is_bracketed_alias, owner_part,
};
pub use super::grammar::is_generic;
use super::grammar::{
    HEAD_CHARS, TOPONYM_HEADS, WORD_END_HEADS, continues_word, ends_common_word, is_outside,
    kind_of, office_acts_after, read_back, toponym_goes_on,
};
pub use super::lexicon::Lexicon;
use super::words::Words;
pub use crate::text::LexiconTerm;
use crate::text::is_cjk;

/// Where the name read back to `start` starts once the segmenter's words are heeded
/// ([`Words::proper_start`]). A street whose whole proper part is one word keeps it whatever
/// the word is (建设路, 解放路, 五一路: streets are named after verbs and dates too).
fn proper_start(words: &Words, start: usize, head_start: usize, head: &str) -> Option<usize> {
    if let Some(s) = words.proper_start(start, head_start) {
        // What a cut leaves must still be a proper part of two chars (年内开|园 leaves 开).
        return (s == start || head_start - s >= 2).then_some(s);
    }
    let whole_word = words
        .at(start)
        .is_some_and(|w| w.start == start && w.end == head_start);
    (["路", "街", "巷", "大道"].contains(&head) && whole_word).then_some(start)
}

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

/// One-char verbs and function words of plain speech that never start a name (去南山,
/// 经解放东路, 者千厮门大桥, 另含嘉陵江滨江路).
const SPEECH_DEBRIS: &str = "去到走经说乘坐爬如入从含者把往向在于逛看";

/// Cuts what plain speech glued in front of a name read by the head-word rules: up to the
/// last one-char verb or function word the segmenter reads as a word of its own, when at
/// least a two-char proper part and the generic part remain (顺便去|南山, 轨道到|鹅岭,
/// 老母亲去|重庆医科大学附属第一医院). A leading date or fraction (1/6|鹅岭公园) goes too.
fn trim_leading_debris(sentence: &[char], words: &Words, found: &mut [Candidate]) {
    for c in found.iter_mut() {
        if !matches!(c.source, CandidateSource::Pattern) || !c.parts.is_empty() {
            continue;
        }
        let head = c.kind.chars().count().max(1);
        // Words wholly in front of the last two proper chars and the generic part.
        let last = c.end.saturating_sub(head + 2).max(c.start);
        let mut cut = None;
        let mut i = c.start;
        while i < last {
            let Some(w) = words.at(i) else { break };
            let w_end = w.end.min(c.end);
            let first = w.tag.chars().next().unwrap_or('x');
            let chars = &sentence[w.start.max(c.start)..w_end];
            // Conjunctions, prepositions, particles, pronouns (或者, 通过, 这些);
            // verbs of going and saying (去, 走路, 说).
            let debris = "cpur".contains(first)
                || (first == 'v' && chars.iter().any(|ch| SPEECH_DEBRIS.contains(*ch)));
            if debris && w_end <= last {
                cut = Some(w_end);
            }
            i = w_end.max(i + 1);
        }
        // 5/6菜园坝长江大桥, -12-02重庆…: digits and marks in front of Chinese.
        if c.kind != "地块" {
            let lead = sentence[c.start..c.end]
                .iter()
                .take_while(|ch| ch.is_ascii_digit() || "/-.:".contains(**ch))
                .count();
            let marks = sentence[c.start..c.start + lead]
                .iter()
                .any(|ch| "/-:".contains(*ch));
            if marks && lead < c.end - c.start {
                cut = Some(cut.map_or(c.start + lead, |x: usize| x.max(c.start + lead)));
            }
        }
        if let Some(at) = cut
            && c.end - at >= 2
        {
            c.name = sentence[at..c.end].iter().collect();
            c.start = at;
            // What is left may be a generic structure (化龙桥那边明年要修|空中连廊).
            if is_generic(&c.name, &c.kind) {
                c.name.clear();
            }
        }
    }
}

/// Finds every candidate name in one sentence.
#[must_use]
#[expect(
    clippy::too_many_lines,
    reason = "the passes over one sentence share its state; each pass is a commented block"
)]
pub fn find(sentence: &[char], lexicon: &Lexicon) -> Vec<Candidate> {
    let known = lexicon.find(sentence);
    let words = Words::of(sentence);
    let mut found: Vec<Candidate> = Vec::new();

    // Pattern rules: every head word occurrence that ends a word.
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
        let head_len = head_chars.len();
        let head_end = i + head_len;
        // A longer head word may continue here (园 → 园区 was tried first; 公园 then 园), and a
        // numbered part goes on with the name (嘉陵新村|6号地块).
        let digits = sentence[head_end..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let numbered = digits > 0 && sentence.get(head_end + digits) == Some(&'号');
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
            || ends_common_word(&words, head, i)
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
                let cut = proper_start(&words, s, i, head).unwrap_or(i);
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
        }
        i = head_end;
    }

    // Quoted names: short, and either joined by — or a known name.
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

    // Members of a list of works (朝天门金角、嘉宾里等工程) the head-word rules did not read.
    for (start, end) in works_list_members(sentence) {
        if found.iter().any(|c| c.start < end && start < c.end)
            || known.iter().any(|(s, e, _)| *s == start && *e == end)
        {
            continue;
        }
        let name: String = sentence[start..end].iter().collect();
        found.push(Candidate {
            kind: Some(kind_of(&name))
                .filter(|k| !k.is_empty())
                .unwrap_or_else(|| "设施".to_string()),
            name,
            start,
            end,
            source: CandidateSource::Pattern,
            parts: Vec::new(),
            contains: Vec::new(),
        });
    }
    found.sort_by_key(|c| c.start);

    // Merge known names: a known name inside a pattern name that is not a join is part of that
    // name (李子坝 in 李子坝大公报片区); a pattern name inside a known name yields to it.
    // A pattern name that is only known names side by side (菜园坝|重庆站) is those names.
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
    extend_over_known(sentence, &known, &mut found);
    let mut merged: Vec<Candidate> = Vec::new();
    let mut side_by_side: Vec<Candidate> = Vec::new();
    for (start, end, term) in known {
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
    // The parts of a join are candidates of their own (they may be planned elsewhere too).
    let mut part_candidates = Vec::new();
    for c in &found {
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
    merged.extend(found);
    merged.extend(part_candidates);
    merged.extend(side_by_side);
    // A pattern name strictly inside another non-join name is a fragment of it.
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
    // A name inside a document's title (《七星岗街巷志》), an address in brackets after a
    // site (周公馆（曾家岩50号）) or a page's source line (来源:上清寺街道) is not planned.
    merged.retain(|c| {
        let outside = is_outside(sentence, c.start, &c.name) && lexicon.get(&c.name).is_none();
        !(in_title(sentence, c.start)
            || is_address(sentence, c.start, c.end)
            || after_source_label(sentence, c.start)
            || in_comparison(sentence, c.start, c.end)
            // A place of another district or city (江北区观音桥商圈, 南滨路) is never placed
            // inside this one; a known name of this district is kept.
            || outside)
    });
    trim_leading_debris(sentence, &words, &mut merged);
    merged.retain(|c| !c.name.is_empty());
    // 渝中区东水门: the district's own name in front is no part of the place's.
    for c in &mut merged {
        // In brackets it is another name of the place before (…医院（渝中区人民医院）).
        let bracketed = c.start > 0 && "（(".contains(sentence[c.start - 1]);
        if let Some(rest) = c.name.strip_prefix("渝中区")
            && rest.chars().count() >= 2
            && !bracketed
            && matches!(c.source, CandidateSource::Pattern)
        {
            c.name = rest.to_string();
            c.start += 3;
        }
    }
    let ends: Vec<usize> = merged.iter().map(|c| c.end).collect();
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
    let merged = super::coordination::join_dashed(sentence, merged);
    let mut merged = super::coordination::expand_shared(sentence, merged);
    merged.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    merged.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.name == b.name);
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
        Lexicon::new(
            words
                .iter()
                .map(|w| LexiconTerm {
                    text: (*w).into(),
                    key: (*w).into(),
                    kind: String::new(),
                })
                .collect(),
        )
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
}
