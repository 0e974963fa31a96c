//! The grammar of Chinese place names: a proper part (专名) followed by a generic part (通名).
//!
//! Input: a sentence's chars. Output: where a name that ends in a generic term starts, and
//! whether a would-be name is only generic words. The generic terms and the kinds they give
//! come from the vocabulary ([`crate::vocab::terms`]); this module holds what decides the
//! boundaries: words that never start or end a name (verbs, function words, counts, list
//! numbers, dates), what continues a word past a generic char (街|道 in 街道, 门|户 in 门户),
//! and the generic words and endings that name no place (交叉路, 回家路, 部门, 家园).

use super::elsewhere::is_elsewhere;
pub(super) use super::elsewhere::{
    after_outside_label, elsewhere_spans, is_outside, mentions_elsewhere,
};
use std::sync::LazyLock;

use crate::text::{self, is_cjk};

/// Chars that, right after a head word, show it is not the end of a name (中心城区, 路径,
/// 街道, 城市 …).
pub(super) fn continues_word(head: &str, next: Option<char>) -> bool {
    let Some(n) = next else { return false };
    match head {
        "中心" => "城区".contains(n),
        // 路内泊位: parking on the road, no road's name.
        "路" => "径线网子演况面段内".contains(n),
        "街" => "道区景面坊头巷".contains(n),
        "巷" => "道".contains(n),
        // 坡屋顶: a pitched roof.
        "坡" => "道坎屋".contains(n),
        "岗" => "位亭哨".contains(n),
        "园" => "区林艺坝".contains(n),
        // 湖广会馆门口: the gate's front is the place's, 门 ends no name there.
        // 摆龙门阵: a chat, no gate.
        "门" => "户店面槛诊类票禁前口阵".contains(n),
        "沟" => "通".contains(n),
        "楼" => "宇栋梯盘层主上下".contains(n),
        "站" => "点位台房".contains(n),
        "岩" => "石层".contains(n),
        "湾" => "区".contains(n),
        "街道" => "路".contains(n),
        "城" => "市区墙门乡融镇".contains(n),
        "村" => "镇民落".contains(n),
        "市场" => "主化".contains(n),
        "桥" => "梁头墩面下上体洞".contains(n),
        "山" => "城体坡脊顶地水区腰林路势".contains(n),
        "坝" => "子".contains(n),
        "池" => "塘".contains(n),
        "堂" => "屋".contains(n),
        "洞" => "口穴".contains(n),
        "台" => "阶".contains(n),
        "堡" => "坎".contains(n),
        // 公园, 广场, 码头, 立交 and every other term: nothing after them continues a word.
        _ => false,
    }
}

/// One-char generic parts that end many common words (草坪, 水池, 食堂, 登山, 桥梁): one is a
/// name's generic part only when the segmenter does not read it as the end of a common word of
/// two chars or more (a place word, ns/nr/nz, may end in it: 化龙桥).
/// The characters are in `src/vocab/grammar.json` (`word_end_heads`).
pub(super) static WORD_END_HEADS: LazyLock<&'static str> =
    LazyLock::new(|| crate::vocab::grammar().word_end_heads.chars.as_str());

/// Whether the one-char head at `i` ends a common word rather than a name.
pub(super) fn ends_common_word(words: &super::words::Words, head: &str, i: usize) -> bool {
    head.chars().count() == 1
        && WORD_END_HEADS.contains(head)
        && words.at(i).is_some_and(|w| {
            // 台|湾: the char starts or stands inside a longer word.
            w.end > i + 1 || w.end - w.start >= 2 && !["ns", "nr", "nz"].contains(&w.tag.as_str())
        })
}

/// A verb and its object when the object is a one-char generic part (设站, 封路, 下山, 全城).
/// The words are in `src/vocab/grammar.json` (`verb_objects`).
static VERB_OBJECTS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().verb_objects.words());

/// Whether the one-char head at `i` is the object of the verb right before it (在大坪设|站,
/// 会不会封|路, 开车下|山): the end of a verb phrase, no name's generic part.
pub(super) fn ends_verb_object(sentence: &[char], head: &str, i: usize) -> bool {
    head.chars().count() == 1
        && i > 0
        && sentence.get(i - 1..=i).is_some_and(|two| {
            VERB_OBJECTS.iter().any(|v| {
                let mut chars = v.chars();
                chars.next() == Some(two[0])
                    && chars.next() == Some(two[1])
                    && chars.next().is_none()
            })
        })
}

/// Generic parts of bare toponyms (储奇门, 上清寺, 观音岩): often the proper part of a longer
/// name that follows (千厮门嘉陵江大桥, 上清寺路口).
/// The characters are in `src/vocab/grammar.json` (`toponym_heads`).
pub(super) static TOPONYM_HEADS: LazyLock<&'static str> =
    LazyLock::new(|| crate::vocab::grammar().toponym_heads.chars.as_str());

/// Whether a toponym's generic part at `head_end` is followed, within a few chars and without a
/// break or a stop word, by a longer generic term that ends the real name.
pub(super) fn toponym_goes_on(sentence: &[char], head: &str, head_end: usize) -> bool {
    if head.chars().count() != 1
        || !head
            .chars()
            .all(|c| TOPONYM_HEADS.contains(c) || WORD_END_HEADS.contains(c))
    {
        return false;
    }
    // 嘉陵桥|西村, 菜园坝|北路: a place named after the toponym and a direction.
    if sentence
        .get(head_end)
        .is_some_and(|c| "东西南北".contains(*c))
        && sentence
            .get(head_end + 1)
            .is_some_and(|c| "村路街巷".contains(*c))
    {
        return true;
    }
    // 中山|二路, 鹅岭|一街: a numbered street named after the toponym.
    if sentence
        .get(head_end)
        .is_some_and(|&c| text::is_cn_numeral(c))
        && sentence
            .get(head_end + 1)
            .is_some_and(|c| "路街巷".contains(*c))
    {
        return true;
    }
    for j in head_end..(head_end + 5).min(sentence.len()) {
        if !is_cjk(sentence[j]) || stop_at(sentence, j).is_some() {
            return false;
        }
        // A longer generic part, or a one-char one right after this (红岩|村|站).
        let longer = HEAD_CHARS.iter().any(|(h, _, _)| {
            (h.len() >= 2 || j == head_end && h[0] == '村')
                && sentence.get(j..j + h.len()) == Some(&h[..])
        });
        if longer {
            return true;
        }
    }
    false
}

/// Words at which a name read backwards from its head word stops: planning verbs, function
/// words and generic modifiers. The name starts after the rightmost one that leaves a name.
/// The words are in `src/vocab/grammar.json` (`stops`).
static STOPS: LazyLock<Vec<&'static str>> = LazyLock::new(|| crate::vocab::grammar().stops.words());

/// Names that are generic words, never places on their own.
/// The words are in `src/vocab/grammar.json` (`generic`).
static GENERIC: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().generic.words());

/// Modifiers that make a would-be name generic when nothing else precedes the head word.
/// The words are in `src/vocab/grammar.json` (`generic_modifiers`).
static GENERIC_MODIFIERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().generic_modifiers.words());

/// [`GENERIC_MODIFIERS`], longest first, so 小型 is stripped whole before 小 is tried.
static MODIFIERS_LONGEST_FIRST: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v = GENERIC_MODIFIERS.to_vec();
    v.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
    v
});

/// Measure words that end a count (7个, 33栋, 5处) in front of a name.
/// The characters are in `src/vocab/grammar.json` (`measures`).
static MEASURES: LazyLock<&'static str> =
    LazyLock::new(|| crate::vocab::grammar().measures.chars.as_str());

/// The vocabulary's generic terms (head words) as chars, longest first, built once: the matcher runs at every char of every sentence.
pub(super) static HEAD_CHARS: LazyLock<Vec<(Vec<char>, &'static str, &'static str)>> =
    LazyLock::new(|| {
        crate::vocab::terms()
            .iter()
            .map(|&(h, k)| (h.chars().collect(), h, k))
            .collect()
    });

/// Stop words as chars, built once.
static STOP_CHARS: LazyLock<Vec<Vec<char>>> =
    LazyLock::new(|| STOPS.iter().map(|s| s.chars().collect()).collect());

/// Whether `word` is one of the grammar's stop words (verbs, function words, modifiers).
pub(super) fn is_stop_word(word: &str) -> bool {
    STOPS.contains(&word)
}

fn stop_at(chars: &[char], i: usize) -> Option<usize> {
    // A count is a stop: "7个传统风貌街区" names no place by itself.
    // Digits inside a code (B14-2/04地块) are no count.
    if chars[i].is_ascii_digit()
        && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || "-/".contains(chars[i - 1])))
    {
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        match chars.get(i + digits) {
            Some(c) if MEASURES.contains(*c) => return Some(digits + 1),
            // A number glued to a name is a list number or a date (1重庆宾馆, 2024年), unless
            // the name goes on with it (18号线, 6号地块).
            // A date or a length (2024年, 30米) goes with its number.
            Some(&c) if "年月日米届次".contains(c) => return Some(digits + 1),
            Some(&c) if is_cjk(c) && !"号期".contains(c) => return Some(digits),
            _ => {}
        }
    }
    // A span of months (八个月, 3个月) is a stop whole.
    let num_len = if chars[i].is_ascii_digit() {
        chars[i..].iter().take_while(|c| c.is_ascii_digit()).count()
    } else {
        usize::from(text::is_cn_numeral(chars[i]) || "两几".contains(chars[i]))
    };
    if num_len > 0 && chars.get(i + num_len..i + num_len + 2) == Some(&['个', '月'][..]) {
        return Some(num_len + 2);
    }
    // A count in words is a stop too: 三条老街, 两部电梯, 一座天桥.
    if (text::is_cn_numeral(chars[i]) || "两几多".contains(chars[i]))
        && chars.get(i + 1).is_some_and(|c| MEASURES.contains(*c))
    {
        return Some(2);
    }
    // 十余处, 20多个: a rough count.
    if (text::is_cn_numeral(chars[i]) || chars[i].is_ascii_digit())
        && chars.get(i + 1).is_some_and(|c| "余多".contains(*c))
        && chars.get(i + 2).is_some_and(|c| MEASURES.contains(*c))
    {
        return Some(3);
    }
    STOP_CHARS
        .iter()
        .filter(|s| chars.get(i) == s.first() && chars.get(i..i + s.len()) == Some(&s[..]))
        .map(Vec::len)
        .max()
}

/// Endings that make a name a slogan or a title rather than a place (博物馆之城, 母城).
/// The words are in `src/vocab/grammar.json` (`generic_endings`).
static GENERIC_ENDINGS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().generic_endings.words());

/// Words before 中心 that make it an institution or a function, not a site (西部数据交易中心,
/// 新时代文明实践中心); a site's 中心 follows a proper name (陆海国际中心, 嘉陵中心).
/// The words are in `src/vocab/grammar.json` (`institution_centres`).
static INSTITUTION_CENTRES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().institution_centres.words());

/// Whether a name is a slogan of numbered items (一轴一环一带百巷, 一带一路).
fn is_numbered_slogan(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let numeral = |c: char| text::is_cn_numeral(c) || "两百千万".contains(c);
    chars
        .windows(2)
        .filter(|w| w[0] == '一' && text::is_cjk(w[1]))
        .count()
        >= 2
        // 三街两巷: counted things side by side. 两江四岸, the banks of the two rivers, is the
        // riverside zone planners mean by it.
        || !name.ends_with("四岸")
            && chars
            .windows(4)
            .any(|w| numeral(w[0]) && !numeral(w[1]) && numeral(w[2]) && !numeral(w[3]))
}

/// Whether a name ranks rather than names (第一站, 首店经济第一站, 最美街道): an ordinal or a
/// superlative counts a place among others, it is no proper part.
fn is_ordinal(name: &str) -> bool {
    // Schools, hospitals and trails are numbered by name (第二十九中学, 附属第二医院, 山城第三步道).
    if ["中学", "小学", "学校", "医院", "幼儿园", "步道"]
        .iter()
        .any(|h| name.ends_with(h))
    {
        return false;
    }
    // 重庆最美街道: a superlative ranks too.
    let chars: Vec<char> = name.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0] == '最' && !"后终近初先".contains(w[1]))
        || (0..chars.len()).any(|i| {
            // 第二天, 第三届: a count of days or events in front (第二天去鹅岭公园) ranks no
            // place.
            let numerals = chars[i + 1..]
                .iter()
                .take_while(|&&c| text::is_cn_numeral(c) || c.is_ascii_digit())
                .count();
            chars[i] == '第'
                && numerals > 0
                && chars
                    .get(i + 1 + numerals)
                    .is_none_or(|c| !"天年次届批期轮季周月日回".contains(*c))
        })
}

/// Whether a name is only one-char generic parts side by side (山水城桥): a slogan of the
/// city's landscape, not a place.
fn is_generic_heads_only(name: &str) -> bool {
    /// The one-char generic parts, and water, built once.
    static ONE_CHAR: LazyLock<String> = LazyLock::new(|| {
        crate::vocab::terms()
            .iter()
            .filter(|(t, _)| t.chars().count() == 1)
            .map(|(t, _)| *t)
            .chain(["水", "江"])
            .collect()
    });
    name.chars().count() >= 3 && name.chars().all(|c| ONE_CHAR.contains(c))
}

/// Whether a name ends in a storey (中心一楼, 3楼): a floor of a building, not a building.
fn is_storey(name: &str) -> bool {
    let chars: Vec<char> = name.chars().rev().collect();
    chars.first() == Some(&'楼')
        && chars
            .get(1)
            .is_some_and(|&c| text::is_cn_numeral(c) || c.is_ascii_digit())
        && chars.get(2) != Some(&'号')
}

/// Verbs and modals by which a sub-district's office acts (…街道要组织, …街道负责实施).
/// The words are in `src/vocab/grammar.json` (`office_acts`).
static OFFICE_ACTS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().office_acts.words());

/// Whether the sub-district (…街道) named up to `end`, alone or in a 、 list of them, is the
/// subject of an act: then 街道 names the office that acts, not the area planned.
pub(super) fn office_acts_after(sentence: &[char], end: usize) -> bool {
    let mut at = end;
    // The rest of a list of sub-districts: 、X街道 ….
    while sentence.get(at) == Some(&'、') {
        let next = (at + 1..(at + 10).min(sentence.len()))
            .find(|&j| sentence.get(j..j + 2) == Some(&['街', '道'][..]));
        let Some(k) = next.filter(|&k| sentence[at + 1..k].iter().all(|&c| is_cjk(c))) else {
            break;
        };
        at = k + 2;
    }
    // A year after the office is its plan's (七星岗街道2026年工作要点).
    let digits = sentence[at.min(sentence.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 4 && sentence.get(at + 4) == Some(&'年') {
        at += 5;
    }
    OFFICE_ACTS.iter().any(|a| {
        let a: Vec<char> = a.chars().collect();
        sentence.get(at..at + a.len()) == Some(&a[..])
    })
}

/// Rivers, whose names open the names of their banks, roads and crossings (长江一路,
/// 嘉陵江滨江路, 长江索道): a river is generic as a whole, not as a proper part.
const RIVERS: &[&str] = &["长江", "嘉陵江"];

/// Whether a proper part opens with a generic word — a generic part of the vocabulary of two
/// chars or more, or a generic noun (旧址|大楼, 社区|背街, 人行天桥|适老化电梯, 医院|北门,
/// 老街|坡) — or is one generic char (街|巷): a name is built on a proper part that names
/// something, and one that starts with a kind of thing is a description.
pub(super) fn proper_opens_generic(proper: &str) -> bool {
    // A number makes a name of a generic word (轨道18号线北延伸段, 都市山水游4A级景区).
    if RIVERS.iter().any(|r| proper.starts_with(r)) || proper.contains(|c: char| c.is_ascii_digit())
    {
        return false;
    }
    // 台地式公园, 开放型街区: a style or type of a kind of place, no proper name.
    if proper.chars().count() >= 2 && proper.ends_with(['式', '型']) {
        return true;
    }
    let term = |t: &str| t.chars().count() >= 2 && proper.starts_with(t);
    crate::vocab::terms()
        .iter()
        .any(|(t, _)| term(t) || *t == proper)
        || GENERIC.iter().any(|g| term(g))
}

/// Whether a word is a generic noun or a generic modifier (滨江, 城市, 核心): no place's name
/// by itself.
pub(super) fn is_generic_word(word: &str) -> bool {
    GENERIC.contains(&word) || GENERIC_MODIFIERS.contains(&word)
}

/// Whether a name is only generic words.
#[must_use]
pub fn is_generic(name: &str, head: &str) -> bool {
    // Callers may pass a kind (扶梯) where the name ends in another of its terms (电梯).
    let head = if name.ends_with(head) {
        head
    } else {
        crate::vocab::term_ending(name).map_or(head, |(t, _)| t)
    };
    if GENERIC.contains(&name)
        || is_generic_heads_only(name)
        || GENERIC_ENDINGS.iter().any(|e| name.ends_with(e))
        || is_numbered_slogan(name)
        || is_ordinal(name)
        || is_storey(name)
        || is_elsewhere(name)
        || INSTITUTION_CENTRES.iter().any(|e| name.ends_with(e))
        || name.contains('的')
        // 某路, 某小区: "a certain road" names none.
        || name.contains('某')
        // 2号楼, 3号楼: a numbered building of a complex the text names elsewhere.
        || name.strip_suffix("号楼").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        return true;
    }
    // 街区和园区: a coordination of generic words.
    if name.contains(['和', '与', '及']) {
        let parts: Vec<&str> = name.split(['和', '与', '及']).collect();
        // A part without a generic term is a plain word (外墙, 桥梁) when it has two chars or
        // more; one char is the proper part of a name (人和街, 协和城).
        let plain = |p: &str| {
            let kind = kind_of(p);
            if kind.is_empty() {
                p.chars().count() >= 2
            } else {
                is_generic(p, &kind)
            }
        };
        if parts.len() > 1 && parts.iter().all(|p| plain(p)) {
            return true;
        }
    }
    // A count in front of a generic head: 五大片区, 403个地块, 三类街区.
    let prefix = name.strip_suffix(head).unwrap_or(name);
    let counted = prefix.trim_end_matches(|c: char| "大个类批处座条项".contains(c));
    if counted.len() < prefix.len()
        && !counted.is_empty()
        && counted
            .chars()
            .all(|c| c.is_ascii_digit() || text::is_cn_numeral(c) || "百千万两几多".contains(c))
    {
        return true;
    }
    // 215路, N12路, 渝中微循环5路: a bus route, not a street (a street's number is written in
    // Chinese: 中山一路).
    let proper = name.strip_suffix(head).unwrap_or(name);
    let rest = without_modifiers(proper);
    if head == "路"
        && !rest.is_empty()
        && (rest.chars().all(|c| c.is_ascii_alphanumeric())
            || proper.ends_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    // 青年路, 健康路, 民生路: a street's proper part may be any word; a long one made only of
    // modifiers is a kind of street (精细化管理示范街).
    if ["路", "街", "巷"].contains(&head) && name.chars().count() >= 3 {
        return proper.chars().count() >= 4 && rest.is_empty();
    }
    // 嘉陵江渝中段: a stretch of a river, or of another generic thing.
    if !rest.is_empty() && GENERIC.contains(&rest) && head == "渝中段" {
        return true;
    }
    // 老堡坎: a modifier in front of a generic noun.
    rest.is_empty() || GENERIC.contains(&format!("{rest}{head}").as_str())
}

/// What is left of a proper part once every generic modifier in front is taken off (城市|
/// 滨江|公园 → "").
fn without_modifiers(proper: &str) -> &str {
    let mut rest = proper;
    loop {
        let before = rest.len();
        for m in MODIFIERS_LONGEST_FIRST.iter() {
            if let Some(r) = rest.strip_prefix(m) {
                rest = r;
            }
        }
        if rest.len() == before {
            return rest;
        }
    }
}

/// The shortest proper part a name may have: one char for a numbered line (1号线) or a
/// two-char generic part after a proper char that is no modifier (华村 needs two), else two.
fn min_proper(chars: &[char], start: usize, head_start: usize, head_end: usize) -> usize {
    let head: String = chars[head_start..head_end].iter().collect();
    let one_char = chars.get(start).copied().is_some_and(|c| {
        c.is_ascii_digit() || text::is_cn_numeral(c) || is_cjk(c) && !"新老大小各该".contains(c)
    });
    if head == "号线" && chars.get(start).is_some_and(char::is_ascii_digit)
        || ["码头", "公馆", "牌坊"].contains(&head.as_str()) && one_char
    {
        1
    } else {
        2
    }
}

/// Reads the name that ends with the head word at `head_start..head_end`, back to its start.
pub(super) fn read_back(
    chars: &[char],
    floor: usize,
    head_start: usize,
    head_end: usize,
) -> Option<usize> {
    // A plot's name carries its zone and code (渝中组团B分区B14-2/04地块).
    let head: String = chars[head_start..head_end].iter().collect();
    let max = if ["地块", "纪念馆", "旧址", "博物馆", "陈列馆"].contains(&head.as_str())
    {
        24
    } else {
        16
    };
    let mut left = head_start;
    while left > floor && head_end - left < max {
        let c = chars[left - 1];
        // A plot code's dash and slash (B14-2/04地块) stand between its digits.
        let in_code = "-/".contains(c)
            && chars.get(left).is_some_and(char::is_ascii_alphanumeric)
            && left >= 2
            && chars[left - 2].is_ascii_alphanumeric();
        if is_cjk(c) || c.is_ascii_alphanumeric() || c == '—' || in_code {
            left -= 1;
        } else {
            break;
        }
    }
    // Joined names do not start with a join.
    while left < head_start && chars[left] == '—' {
        left += 1;
    }
    // Candidate starts: the left edge and every position right after a stop word. Take the
    // rightmost that still leaves at least two chars before the head word.
    // Every stop word wholly before the generic part, as (start, length), found once.
    let stops: Vec<(usize, usize)> = (left..head_start)
        .filter_map(|i| stop_at(chars, i).map(|len| (i, len)))
        .filter(|&(i, len)| i + len <= head_start)
        .collect();
    // One-char function words (和, 与, 等) stand inside real names (人和街, 协和城).
    let stopped = stops
        .iter()
        .any(|&(i, len)| len >= 2 || !"和与及以".contains(chars[i]));
    let starts: Vec<usize> = std::iter::once(left)
        .chain(stops.iter().map(|&(i, len)| i + len))
        .collect();
    // A stop of two chars or more right before the generic part leaves it bare (乘坐|电梯,
    // 建设|公园): a verb on a kind of thing, no name. (One-char stops may be inside a word:
    // 指|挥中心.)
    if let Some(&last) = starts.iter().max()
        && last > left
        && head_start < last + min_proper(chars, last, head_start, head_end)
        && stops.iter().any(|&(i, len)| len >= 2 && i + len == last)
    {
        return None;
    }
    let best = starts
        .into_iter()
        .filter(|&s| {
            head_start >= s + min_proper(chars, s, head_start, head_end) && chars[s] != '—'
        })
        .max()?;
    // A name that would have to start with a planning verb or function word is no name
    // (推动母城, 打通片区): the only "name" left is the verb plus a generic head.
    // Single-char function words (和, 与, 等) stand inside real names (协和城, 和平路); only
    // longer verbs that could not be cut off mark a phrase rather than a name.
    let uncut = stops.iter().any(|&(i, len)| i >= best && len >= 2);
    if stopped && (best == left || uncut) {
        return None;
    }
    Some(best)
}

pub(super) fn kind_of(name: &str) -> String {
    crate::vocab::term_ending(name).map_or_else(String::new, |(_, k)| k.to_string())
}
