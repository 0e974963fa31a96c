//! The decision on each candidate name: named evidence for and against it, weighed.
//!
//! Input: a sentence's chars, its [`Words`], the [`Lexicon`] and the candidates the earlier
//! stages of [`super::mentions::find`] left (boundaries settled). Output: the candidates whose
//! evidence weighs at least [`THRESHOLD`], and for each candidate the [`Evidence`] found.
//!
//! Each piece of evidence is one question about the name or its setting, answered by its own
//! function and tested alone; its weight says how much it counts. A setting of no plan (a
//! title, an address, a source line, a comparison, a line ridden, a place of another
//! district, a list of sub-districts) outweighs anything a name can say for itself, so those
//! stay decisive. Sentence debris is graded: a name whose first word is cut out of a longer
//! word, or is an adverb, a pronoun, a count or a time word, or whose generic part runs on into
//! a longer noun (路|灯, 坡|顶), is debris unless a known name inside it or its place in a list
//! of names speaks for it.

use super::context::{
    after_source_label, in_comparison, in_title, in_user_handle, is_address, line_as_a_way,
};
use super::grammar::{
    after_outside_label, elsewhere_spans, is_generic_word, is_outside, mentions_elsewhere,
    proper_opens_generic,
};
use super::lexicon::Lexicon;
use super::mentions::{Candidate, CandidateSource};
use super::roles;
use super::words::{Word, Words};
use crate::text::{is_cjk, is_cn_numeral};

/// One thing known about a candidate that speaks for or against it being a planned place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The name is a gazetteer name, or holds one (李子坝 in 李子坝大公报片区).
    KnownName,
    /// The name stands in a list of names (、 or 和 joins it to another candidate).
    Listed,
    /// Inside a document's title (《七星岗街巷志》).
    InTitle,
    /// A house-number address in brackets (周公馆（曾家岩50号）).
    Address,
    /// After a page's source, author or editor label, or in a user name called with @.
    SourceLine,
    /// Held up only as a model or a comparison (对标上海陆家嘴, 像…一样).
    Comparison,
    /// A metro line named as the way to travel (坐2号线到…).
    RiddenLine,
    /// A place of another district or city, or a piece of its name.
    Outside,
    /// One of a list of sub-districts named as offices (望龙门、解放碑等相关街道).
    SubDistrictList,
    /// The name's first word starts before the name (起步|区站, 原|本是古城): a piece of a
    /// longer word is no proper part.
    StartsInsideWord,
    /// The proper part opens with an adverb, pronoun, time or position word, a rough count or
    /// a measure word (慢慢下坡, 这些路, 以前站, 十几层楼, 段树池).
    LeadingDebris,
    /// The generic part is the start of a longer noun or verb (厚慈街|路灯, 5楼|路过, 把|坡顶).
    HeadRunsOn,
    /// A figure of counted things in quotes on its own (“两江四岸”核心区): a programme.
    QuotedFigure,
    /// A name the gazetteer does not know, inside quotes (“山城江城不夜城”, “滨江宜居、文化兴街”,
    /// “嘉陵江畔的幸福街区”): a slogan, a theme or a nickname more often than a place.
    QuotedPhrase,
    /// A place inside a name joined by dashes (上清寺 in 上清寺—两路口片区): a part of that
    /// name, planned alone only where the text writes it alone; or a joined name of the
    /// grammar around a known one (管|朝天门—解放碑片区).
    InsideJoin,
    /// Streets joined by a dash with no generic part of their own after them
    /// (新华路—陕西路交通组织优化): a list of the streets, which are read each alone.
    DashedList,
    /// The proper part opens with a generic word (旧址|大楼, 社区|背街): a description, no name.
    GenericProperPart,
    /// Places joined by a dash whose first part is a generic word and none known (“滨江—半山—
    /// 山顶”): a figure of levels or kinds, no named axis.
    GenericJoin,
    /// In a table column of the bodies responsible (责任单位, 实施主体): an office.
    BodyColumn,
    /// A party to an agreement (巴蜀小学与大坪街道合作开设…): a body acting.
    Party,
    /// The body that issues a notice (肖家湾社区关于召开…的通知).
    Issuer,
    /// A body by its setting: after a body's label (采购人：), the source of a report
    /// (据…介绍), in a list of offices (会同区交通局、…街道研究).
    NamedBody,
    /// A metro line named only to say which station follows (2号线大溪沟站周边), in brackets
    /// after it (小什字站（1号线、6号线）) or meeting others there (…在大坪站换乘).
    LineBeforeStation,
}

impl Evidence {
    /// How much the evidence counts: positive for a place, negative against.
    #[must_use]
    pub fn weight(self) -> i32 {
        match self {
            Evidence::KnownName => 2,
            Evidence::Listed => 1,
            Evidence::InTitle
            | Evidence::Address
            | Evidence::SourceLine
            | Evidence::Comparison
            | Evidence::RiddenLine
            | Evidence::Outside
            | Evidence::SubDistrictList
            | Evidence::DashedList
            | Evidence::InsideJoin
            | Evidence::BodyColumn
            | Evidence::Party
            | Evidence::Issuer
            | Evidence::NamedBody
            | Evidence::LineBeforeStation
            | Evidence::GenericJoin => -10,
            Evidence::StartsInsideWord => -4,
            Evidence::LeadingDebris
            | Evidence::HeadRunsOn
            | Evidence::QuotedFigure
            | Evidence::QuotedPhrase
            | Evidence::GenericProperPart => -3,
        }
    }
}

/// A candidate is kept when its evidence weighs at least this much.
pub const THRESHOLD: i32 = -1;

/// The sum of the weights.
#[must_use]
pub fn score(evidence: &[Evidence]) -> i32 {
    evidence.iter().map(|e| e.weight()).sum()
}

/// Keeps the candidates whose evidence weighs at least [`THRESHOLD`].
#[must_use]
pub fn decide(
    sentence: &[char],
    words: &Words,
    lexicon: &Lexicon,
    found: Vec<Candidate>,
) -> Vec<Candidate> {
    let outside = outside_spans(sentence, lexicon, &found);
    let weighed: Vec<Vec<Evidence>> = found
        .iter()
        .map(|c| weigh(sentence, words, lexicon, c, &found, &outside))
        .collect();
    // A place inside a joined name that is itself kept is that name's part.
    let joins: Vec<&Candidate> = found
        .iter()
        .zip(&weighed)
        .filter(|(c, e)| !c.parts.is_empty() && score(e) >= THRESHOLD)
        .map(|(c, _)| c)
        .collect();
    // The places of a figure joined by dashes (滨江 and 半山 of 滨江—半山) are the figure's.
    let figures: Vec<(usize, usize)> = found
        .iter()
        .zip(&weighed)
        .filter(|(_, e)| e.contains(&Evidence::GenericJoin))
        .map(|(c, _)| (c.start, c.end))
        .collect();
    let verdicts: Vec<bool> = found
        .iter()
        .zip(weighed)
        .map(|(c, mut e)| {
            if inside_join(c, &joins) {
                e.push(Evidence::InsideJoin);
            }
            if figures
                .iter()
                .any(|&(s, end)| s <= c.start && c.end <= end && (s, end) != (c.start, c.end))
            {
                e.push(Evidence::GenericJoin);
            }
            score(&e) >= THRESHOLD
        })
        .collect();
    found
        .into_iter()
        .zip(verdicts)
        .filter_map(|(c, keep)| keep.then_some(c))
        .collect()
}

/// The spans of candidates that name a place of another district or city (江北区观音桥商圈):
/// they, and the names inside them, are outside.
/// The places elsewhere written out in the sentence count too, though no candidate was kept
/// for them (朝天门长江大桥 holds the known 朝天门), and a place named after a label of a place
/// elsewhere (弹子石：开埠遗址公园, 渝北区的4号线) is outside whole.
fn outside_spans(sentence: &[char], lexicon: &Lexicon, found: &[Candidate]) -> Vec<(usize, usize)> {
    // Most sentences name no place elsewhere at all: nothing to look for then.
    if !mentions_elsewhere(sentence) {
        return Vec::new();
    }
    found
        .iter()
        .filter(|c| {
            lexicon.get(&c.name).is_none()
                && (is_outside(sentence, c.start, &c.name)
                    || after_outside_label(sentence, c.start))
        })
        .map(|c| (c.start, c.end))
        .chain(elsewhere_spans(sentence))
        .collect()
}

/// A join inside a list of places joined by dashes (人民路—学田湾 of 人民路—学田湾—嘉陵江滨江路)
/// is a piece of that list.
fn piece_of_dashed_list(c: &Candidate, all: &[Candidate]) -> bool {
    !c.parts.is_empty()
        && all.iter().any(|o| {
            o.start <= c.start
                && c.end <= o.end
                && (o.start, o.end) != (c.start, c.end)
                && dashed_list(o)
        })
}

/// Everything the sentence says for and against candidate `c`.
#[must_use]
pub fn weigh(
    sentence: &[char],
    words: &Words,
    lexicon: &Lexicon,
    c: &Candidate,
    all: &[Candidate],
    outside: &[(usize, usize)],
) -> Vec<Evidence> {
    let mut out = Vec::new();
    let settings = [
        (in_title(sentence, c.start), Evidence::InTitle),
        (is_address(sentence, c.start, c.end), Evidence::Address),
        (
            after_source_label(sentence, c.start) || in_user_handle(sentence, c.start),
            Evidence::SourceLine,
        ),
        (
            in_comparison(sentence, c.start, c.end)
                || super::likeness::is_likeness(sentence, c.start, c.end),
            Evidence::Comparison,
        ),
        (
            line_as_a_way(sentence, c.start, &c.name),
            Evidence::RiddenLine,
        ),
        (
            // Inside a place elsewhere (朝天门 of 朝天门长江大桥), or one itself unless known.
            outside.iter().any(|&(s, e)| {
                s <= c.start && c.end <= e && (c.start, c.end) != (s, e)
                    || (s, e) == (c.start, c.end) && lexicon.get(&c.name).is_none()
            }),
            Evidence::Outside,
        ),
        (
            super::mentions::in_list_of_sub_districts(sentence, c.end),
            Evidence::SubDistrictList,
        ),
        (
            roles::in_body_column(sentence, c.start, c.end),
            Evidence::BodyColumn,
        ),
        (roles::is_party(sentence, c.start, c.end), Evidence::Party),
        (
            roles::names_a_body(sentence, c.start, c.end)
                || c.name.contains('—') && roles::names_a_route(sentence, c.end),
            Evidence::NamedBody,
        ),
        (roles::is_issuer(sentence, c.start, c.end), Evidence::Issuer),
        (
            line_before_station(sentence, c, all)
                || c.name.ends_with("号线")
                    && (roles::line_identifies_station(sentence, c.start, c.end)
                        || roles::line_of_a_station_named(sentence, c.start, c.end)),
            Evidence::LineBeforeStation,
        ),
    ];
    out.extend(settings.into_iter().filter(|(hit, _)| *hit).map(|(_, e)| e));
    let known = matches!(c.source, CandidateSource::Lexicon { .. })
        || !c.contains.is_empty()
        || lexicon.get(&c.name).is_some();
    if known {
        out.push(Evidence::KnownName);
    }
    if is_listed(sentence, c, all) {
        out.push(Evidence::Listed);
    }
    if quoted_figure(sentence, c) {
        out.push(Evidence::QuotedFigure);
    } else if !known && quoted_phrase(sentence, c, all) {
        out.push(Evidence::QuotedPhrase);
    }
    if dashed_list(c) || piece_of_dashed_list(c, all) {
        out.push(Evidence::DashedList);
    }
    if generic_join(c, lexicon) {
        out.push(Evidence::GenericJoin);
    }
    if holds_known_join(c, all) {
        out.push(Evidence::InsideJoin);
    }
    if matches!(c.source, CandidateSource::Pattern) && join_opens_with_debris(c, lexicon) {
        out.push(Evidence::LeadingDebris);
    }
    // The grammar's names only: a known name's words are the gazetteer's, not debris.
    if matches!(c.source, CandidateSource::Pattern) && c.parts.is_empty() {
        // A word across the end of the name before (中山四|路上|清寺) is the segmenter's.
        let after_a_name = all.iter().any(|o| o.end == c.start);
        if !after_a_name && starts_inside_word(sentence, words, c.start) {
            out.push(Evidence::StartsInsideWord);
        }
        let head = head_len(&c.name);
        if leading_debris(sentence, words, c.start, c.end.saturating_sub(head)) {
            out.push(Evidence::LeadingDebris);
        }
        if head == 1 && head_runs_on(sentence, words, c.end) {
            out.push(Evidence::HeadRunsOn);
        }
        let proper: String = c.name.chars().take(c.name.chars().count() - head).collect();
        if c.contains.is_empty() && proper_opens_generic(&proper) {
            out.push(Evidence::GenericProperPart);
        }
    }
    out
}

/// Whether `c` is a metro line (or the first of a list of them: 1号线、6号线) right before a
/// station's name that only says which station is meant ([`roles::line_names_station`]).
fn line_before_station(sentence: &[char], c: &Candidate, all: &[Candidate]) -> bool {
    if !c.name.ends_with("号线") {
        return false;
    }
    // Past the rest of a list of lines (、6号线).
    let mut at = c.end;
    while sentence.get(at) == Some(&'、') {
        let digits = sentence[at + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        let after = at + 1 + digits;
        if digits == 0 || sentence.get(after..after + 2) != Some(&['号', '线'][..]) {
            break;
        }
        at = after + 2;
    }
    all.iter()
        .find(|o| o.start == at && o.name.ends_with('站'))
        .is_some_and(|station| roles::line_names_station(sentence, at, station.end))
}

/// The length in chars of the generic part a name ends in: the longest term of the vocabulary
/// it ends in, else its last char.
pub(super) fn head_len(name: &str) -> usize {
    crate::vocab::term_ending(name).map_or(1, |(t, _)| t.chars().count())
}

/// Whether another candidate is joined to `c` by 、 (or 和, 及, 与) right before or after it.
fn is_listed(sentence: &[char], c: &Candidate, all: &[Candidate]) -> bool {
    let joins = |ch: Option<&char>| ch.is_some_and(|ch| "、和及与".contains(*ch));
    let before = c.start > 0 && joins(sentence.get(c.start - 1));
    let after = joins(sentence.get(c.end));
    all.iter()
        .any(|o| (before && o.end + 1 == c.start) || (after && o.start == c.end + 1))
}

/// Whether the word at the name's first char began before it (年|度中心城区人行天桥).
/// A name that starts with 区 is the district's own (建成|区应急救援指挥中心): the segmenter read
/// 区 into the word before.
/// A word of two chars whose first is a one-char preposition or verb of going (从|小什字站,
/// 到|大坪) is the segmenter's misreading, not a word the name is cut out of.
fn starts_inside_word(sentence: &[char], words: &Words, start: usize) -> bool {
    let districts_own = sentence.get(start) == Some(&'区');
    let misread = |w: &Word| {
        w.start + 1 == start
            && w.end - w.start == 2
            && "从到在往向去经由自".contains(sentence[w.start])
    };
    !districts_own
        && words
            .at(start)
            .is_some_and(|w| w.start < start && !misread(w))
}

/// Direction words that name a part of a place, not a place's position (西部, 上下半城).
const DIRECTIONS: &[&str] = &[
    "东部", "西部", "南部", "北部", "中部", "上下", "东西", "南北",
];

/// Chars of a rough or indefinite count (很多, 十几层, 几栋, 这些).
const ROUGH: &str = "多几些很每各数若";

/// Whether a word is debris in front of a name whatever its length: a pronoun (这些, 其), a
/// rough count (很多, 十几层), a measure word (段, 次), a place or time word (区内, 附近,
/// 以前) that is no direction of the name.
fn debris_word(sentence: &[char], w: &Word) -> bool {
    let text: String = sentence[w.start..w.end].iter().collect();
    let tag = w.tag.as_str();
    let rough = tag.starts_with('m') && text.chars().any(|c| ROUGH.contains(c));
    rough
        || tag.starts_with('r')
        || tag == "q"
        || (["s", "f", "t"].contains(&tag)
            && w.end - w.start >= 2
            && !DIRECTIONS.contains(&text.as_str()))
}

/// Whether the proper part `start..head_start` opens with debris: [`debris_word`], or an
/// adverb, preposition, conjunction or set phrase of two chars or more (慢慢, 顺便去) when
/// more of the name follows it. A street whose whole proper part is one word keeps a time word
/// or an adverb (青年路, 大同路).
fn leading_debris(sentence: &[char], words: &Words, start: usize, head_start: usize) -> bool {
    let Some(w) = words
        .at(start)
        .filter(|w| w.start == start && w.end <= head_start)
    else {
        return false;
    };
    // 道|门口: a one-char word before a place word that holds the generic part (门口) is the
    // name's own first char; cut, nothing of a name would be left.
    let leaves_place_word = w.end - w.start == 1
        && words
            .at(w.end)
            .is_some_and(|n| n.start == w.end && n.end > head_start && n.tag == "s");
    if leaves_place_word {
        return false;
    }
    if debris_word(sentence, w) {
        // 青年路: a time word that is the street's whole proper part.
        return !(w.tag == "t" && w.end == head_start);
    }
    let first = w.tag.chars().next().unwrap_or('x');
    w.end - w.start >= 2 && w.end < head_start && "dpcl".contains(first)
}

/// Whether the one-char generic part at the name's end starts a two-char common noun, verb or
/// adjective (路灯, 路过, 坡顶); a place or position word (路口, 路上, 街边) is the place's, and
/// a stretch or a road after it (路段, 街道路, 坡道) leaves the name whole.
fn head_runs_on(sentence: &[char], words: &Words, end: usize) -> bool {
    if end == 0 {
        return false;
    }
    // 坡陡路|窄，: the generic part is the subject of an adjective that ends the clause.
    let said_of = words
        .at(end)
        .is_some_and(|w| w.start == end && w.end == end + 1 && w.tag.starts_with('a'))
        && sentence
            .get(end + 1)
            .is_none_or(|c| "，。、；！？".contains(*c));
    said_of
        || words.at(end - 1).is_some_and(|w| {
            let first = w.tag.chars().next().unwrap_or('x');
            w.start == end - 1
                && w.end == end + 1
                && "nva".contains(first)
                && w.tag != "ns"
                && sentence.get(end).is_some_and(|c| !"段道".contains(*c))
                && !starts_a_generic_part(sentence, end)
        })
}

/// Whether a generic part of the vocabulary starts at `at` (石板坡|坡道): the word the
/// segmenter saw there is two names' parts, not one common word.
fn starts_a_generic_part(sentence: &[char], at: usize) -> bool {
    let rest: String = sentence[at..].iter().take(4).collect();
    crate::vocab::terms()
        .iter()
        .any(|(t, _)| rest.starts_with(t))
}

/// Whether `c` lies strictly inside a grammar name joined by dashes (上清寺 in
/// 上清寺—两路口片区), which is no list of streets. A known joined name inside one is the name,
/// the grammar's longer one its debris (管|朝天门—解放碑片区).
fn inside_join(c: &Candidate, joins: &[&Candidate]) -> bool {
    !c.name.contains('—')
        && joins.iter().any(|j| {
            matches!(j.source, CandidateSource::Pattern)
                && !j.parts.is_empty()
                && !dashed_list(j)
                && j.start <= c.start
                && c.end <= j.end
                && (j.start, j.end) != (c.start, c.end)
        })
}

/// Whether the first place of a joined name is a known name with one char glued in front
/// (管|朝天门—解放碑片区): a verb of the sentence, not the place's.
fn join_opens_with_debris(c: &Candidate, lexicon: &Lexicon) -> bool {
    let Some(first) = c.name.split('—').next().filter(|_| !c.parts.is_empty()) else {
        return false;
    };
    let rest: String = first.chars().skip(1).collect();
    first.chars().count() >= 3 && lexicon.get(first).is_none() && lexicon.get(&rest).is_some()
}

/// Whether the grammar's joined name `c` holds a known joined name and more
/// (管|朝天门—解放碑片区): the known name is the place.
fn holds_known_join(c: &Candidate, all: &[Candidate]) -> bool {
    matches!(c.source, CandidateSource::Pattern)
        && !c.parts.is_empty()
        && all.iter().any(|k| {
            matches!(k.source, CandidateSource::Lexicon { .. })
                && k.name.contains('—')
                && c.start <= k.start
                && k.end <= c.end
                && (c.start, c.end) != (k.start, k.end)
        })
}

/// Whether a grammar name joined by dashes is only streets, each whole (新华路—陕西路): no
/// generic part follows the last street for the join to name.
/// A detour through places (人民路—学田湾—嘉陵江滨江路) is a list too: the first and the last
/// are whole streets, what lies between may be any place.
fn dashed_list(c: &Candidate) -> bool {
    let segments: Vec<&str> = c.name.split('—').collect();
    let street = |p: &str| {
        ["路", "街", "巷", "大道"]
            .iter()
            .any(|h| p.ends_with(h) && p.chars().count() > h.chars().count() + 1)
    };
    matches!(c.source, CandidateSource::Pattern)
        && segments.len() >= 2
        && c.parts.len() == segments.len()
        && c.parts.iter().zip(&segments).all(|(p, s)| p == s)
        && (segments.iter().all(|s| street(s))
            || segments.len() >= 3 && street(segments[0]) && street(segments[segments.len() - 1]))
}

/// Whether a joined name's first part is a generic word and none of its parts a known name
/// (滨江—半山: levels of a walk, not places).
fn generic_join(c: &Candidate, lexicon: &Lexicon) -> bool {
    !c.parts.is_empty()
        && c.contains.is_empty()
        && c.parts.iter().all(|p| lexicon.get(p).is_none())
        && c.parts.first().is_some_and(|p| is_generic_word(p))
}

/// Whether `c` stands in a quoted phrase that is no place's name: the quote holds words no
/// candidate covers (“嘉陵江畔的幸福街区”, “重庆的九龙城寨”), is phrases of four chars side by
/// side (“滨江宜居、文化兴街”), or is the name alone set up as a theme (以“山城江城不夜城”为主题). A quote of places only (“人民路（学田湾）”)
/// is not. Straight quotes become “ on both sides (“十字金街“), so a quote is open where an
/// odd number of quote marks precede the name in its clause.
fn quoted_phrase(sentence: &[char], c: &Candidate, all: &[Candidate]) -> bool {
    let (from, to) = super::context::clause_around(sentence, c.start, c.end, "，；。！？\n");
    let is_quote = |ch: char| "“”".contains(ch);
    let before = sentence[from..c.start]
        .iter()
        .filter(|ch| is_quote(**ch))
        .count();
    let (Some(open), Some(close)) = (
        sentence[from..c.start].iter().rposition(|ch| is_quote(*ch)),
        sentence[c.end..to].iter().position(|ch| is_quote(*ch)),
    ) else {
        return false;
    };
    if before % 2 == 0 {
        return false;
    }
    let (open, close) = (from + open, c.end + close);
    let uncovered = (open + 1..close)
        .any(|i| is_cjk(sentence[i]) && !all.iter().any(|o| o.start <= i && i < o.end));
    // “滨江宜居、文化兴街”: phrases of four chars side by side are a slogan's, whatever the
    // segmenter reads in them.
    let content: String = sentence[open + 1..close].iter().collect();
    let parts: Vec<&str> = content.split('、').collect();
    let four_char_phrases = parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 4 && p.chars().all(is_cjk));
    let theme = open > 0
        && sentence[open - 1] == '以'
        && sentence.get(close + 1) == Some(&'为')
        && (open + 1, close) == (c.start, c.end);
    uncovered || four_char_phrases || theme
}

/// Whether the name is the whole of a quote and a figure of counted things (“两江四岸”): two
/// numerals each before a thing.
fn quoted_figure(sentence: &[char], c: &Candidate) -> bool {
    // A straight quote becomes “ on both sides (“两江四岸“).
    let quote = |q: char| "“”\"「」".contains(q);
    let quoted = c.start > 0
        && quote(sentence[c.start - 1])
        && sentence.get(c.end).is_some_and(|q| quote(*q));
    let chars: Vec<char> = c.name.chars().collect();
    let numeral = |ch: char| is_cn_numeral(ch) || "两百千万".contains(ch);
    quoted
        && chars.len() == 4
        && chars.iter().all(|&ch| is_cjk(ch))
        && numeral(chars[0])
        && !numeral(chars[1])
        && numeral(chars[2])
        && !numeral(chars[3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn evidence(s: &str, name: &str) -> Vec<Evidence> {
        let s = chars(s);
        let c = Candidate::first_in(&s, name);
        let all = vec![c.clone()];
        weigh(&s, &Words::of(&s), &Lexicon::default(), &c, &all, &[])
    }

    #[test]
    fn a_name_cut_out_of_a_longer_word_starts_inside_it() {
        let e = evidence("2027年度中心城区人行天桥维护。", "度中心城区人行天桥");
        assert!(e.contains(&Evidence::StartsInsideWord), "{e:?}");
        assert!(
            !evidence("改造中心城区人行天桥。", "中心城区人行天桥")
                .contains(&Evidence::StartsInsideWord)
        );
    }

    #[test]
    fn an_adverb_a_pronoun_or_a_rough_count_in_front_is_debris() {
        for (s, n) in [
            ("往鹅岭方向慢慢下坡，很省力。", "慢慢下坡"),
            ("等地铁通了，这些路就能安静。", "这些路"),
            ("实际要爬十几层楼。", "十几层楼"),
        ] {
            let e = evidence(s, n);
            assert!(e.contains(&Evidence::LeadingDebris), "{n}: {e:?}");
            assert!(score(&e) < THRESHOLD, "{n}: {e:?}");
        }
    }

    #[test]
    fn streets_named_after_common_words_are_no_debris() {
        for (s, n) in [
            ("完成青年路改造。", "青年路"),
            ("完成大同路改造。", "大同路"),
            ("改造解放东路。", "解放东路"),
        ] {
            let e = evidence(s, n);
            assert!(score(&e) >= THRESHOLD, "{n}: {e:?}");
        }
    }

    #[test]
    fn a_generic_part_that_runs_on_into_a_noun_is_no_name_end() {
        let e = evidence("守备街挡墙加固，厚慈街路灯更换。", "厚慈街路");
        assert!(e.contains(&Evidence::HeadRunsOn), "{e:?}");
        let e = evidence("整治民权路口。", "民权路");
        assert!(!e.contains(&Evidence::HeadRunsOn), "{e:?}");
        let e = evidence("片区坡陡路窄，停车难。", "坡陡路");
        assert!(e.contains(&Evidence::HeadRunsOn), "{e:?}");
    }

    #[test]
    fn a_proper_part_that_opens_with_a_generic_word_is_a_description() {
        for (s, n) in [
            ("保护范围：旧址大楼及其前坪。", "旧址大楼"),
            ("完善社区背街小巷路灯。", "社区背街"),
            ("建成两处人行天桥适老化电梯。", "人行天桥适老化电梯"),
            ("接入白象街的街巷步道网络。", "街巷"),
        ] {
            let e = evidence(s, n);
            assert!(e.contains(&Evidence::GenericProperPart), "{n}: {e:?}");
            assert!(score(&e) < THRESHOLD, "{n}: {e:?}");
        }
        for (s, n) in [
            ("改造长江一路。", "长江一路"),
            ("改造白象街。", "白象街"),
            ("提速轨道18号线北延伸段。", "轨道18号线北延伸段"),
            ("新建学田湾人行天桥。", "学田湾人行天桥"),
        ] {
            let e = evidence(s, n);
            assert!(!e.contains(&Evidence::GenericProperPart), "{n}: {e:?}");
        }
    }

    #[test]
    fn a_quoted_figure_of_counted_things_is_a_programme() {
        let e = evidence("实施“两江四岸”治理提升。", "两江四岸");
        assert!(e.contains(&Evidence::QuotedFigure), "{e:?}");
        let e = evidence("实施“两江四岸“治理提升。", "两江四岸");
        assert!(e.contains(&Evidence::QuotedFigure), "{e:?}");
        let e = evidence("深化两江四岸、解放碑片区城市设计。", "两江四岸");
        assert!(!e.contains(&Evidence::QuotedFigure), "{e:?}");
    }

    #[test]
    fn a_known_name_or_a_list_outweighs_one_doubt() {
        let e = [Evidence::LeadingDebris, Evidence::KnownName];
        assert!(score(&e) >= THRESHOLD);
        let e = [Evidence::HeadRunsOn, Evidence::Listed];
        assert!(score(&e) < THRESHOLD + 1 && score(&e) < 0);
        let e = [Evidence::Comparison, Evidence::KnownName, Evidence::Listed];
        assert!(score(&e) < THRESHOLD);
    }

    #[test]
    fn streets_joined_by_a_dash_alone_are_a_list_but_a_named_passage_is_one() {
        let s = chars("新华路—陕西路交通组织优化。");
        let mut list = Candidate::first_in(&s, "新华路—陕西路");
        list.parts = vec!["新华路".into(), "陕西路".into()];
        assert!(dashed_list(&list));
        let s = chars("建设较场口—七星岗步行通道。");
        let mut passage = Candidate::first_in(&s, "较场口—七星岗步行通道");
        passage.parts = vec!["较场口".into(), "七星岗".into()];
        assert!(!dashed_list(&passage));
        let s = chars("车辆请经中兴路—较场口—民族路绕行。");
        let mut detour = Candidate::first_in(&s, "中兴路—较场口—民族路");
        detour.parts = vec!["中兴路".into(), "较场口".into(), "民族路".into()];
        assert!(dashed_list(&detour));
        // The join of its first two places is a piece of the list, no axis.
        let mut piece = Candidate::first_in(&s, "中兴路—较场口");
        piece.parts = vec!["中兴路".into(), "较场口".into()];
        let all = vec![detour, piece.clone()];
        let e = weigh(&s, &Words::of(&s), &Lexicon::default(), &piece, &all, &[]);
        assert!(e.contains(&Evidence::DashedList));
    }

    #[test]
    fn a_join_of_generic_words_is_a_figure_not_an_axis() {
        let s = chars("打通“滨江—半山—山顶”三级步行系统。");
        let mut figure = Candidate::first_in(&s, "滨江—半山");
        figure.parts = vec!["滨江".into(), "半山".into()];
        assert!(generic_join(&figure, &Lexicon::default()));
        let s = chars("建设较场口—七星岗步行通道。");
        let mut passage = Candidate::first_in(&s, "较场口—七星岗步行通道");
        passage.parts = vec!["较场口".into(), "七星岗".into()];
        assert!(!generic_join(&passage, &Lexicon::default()));
    }

    #[test]
    fn a_place_inside_a_joined_name_is_its_part() {
        let s = chars("激活上清寺—两路口片区。");
        let mut join = Candidate::first_in(&s, "上清寺—两路口片区");
        join.parts = vec!["上清寺".into(), "两路口".into()];
        let part = Candidate::first_in(&s, "上清寺");
        assert!(inside_join(&part, &[&join]));
        assert!(!inside_join(&join, &[&join]));
    }

    #[test]
    fn a_joined_name_with_a_verb_glued_to_its_first_place_is_debris() {
        let lex = Lexicon::of_names(&["朝天门", "解放碑"]);
        let s = chars("渝中区管朝天门—解放碑片区。");
        let mut join = Candidate::first_in(&s, "管朝天门—解放碑片区");
        join.parts = vec!["管朝天门".into(), "解放碑".into()];
        assert!(join_opens_with_debris(&join, &lex));
        let mut right = Candidate::first_in(&s, "朝天门—解放碑片区");
        right.parts = vec!["朝天门".into(), "解放碑".into()];
        assert!(!join_opens_with_debris(&right, &lex));
    }

    fn kept(s: &str, names: &[&str], lexicon: &Lexicon) -> Vec<String> {
        let s = chars(s);
        let found = names.iter().map(|n| Candidate::first_in(&s, n)).collect();
        decide(&s, &Words::of(&s), lexicon, found)
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn a_piece_of_a_place_elsewhere_is_outside_even_when_known() {
        let lex = Lexicon::new(vec![crate::text::LexiconTerm {
            text: "朝天门".into(),
            key: "朝天门".into(),
            kind: String::new(),
        }]);
        let n = kept(
            "不在渝中的朝天门长江大桥也将检修，朝天门广场开放。",
            &["朝天门", "朝天门广场"],
            &lex,
        );
        assert_eq!(n, ["朝天门广场"]);
    }

    #[test]
    fn names_after_a_label_of_a_place_elsewhere_are_outside() {
        let lex = Lexicon::default();
        let n = kept(
            "8. 弹子石：开埠遗址公园周边商业；渝中：白象街周边楼宇。",
            &["开埠遗址公园", "白象街"],
            &lex,
        );
        assert_eq!(n, ["白象街"]);
        let n = kept(
            "11南岸区龙门浩老街二期开埠遗址活化利用",
            &["开埠遗址"],
            &lex,
        );
        assert!(n.is_empty(), "{n:?}");
        let n = kept(
            "渝北区的4号线、15号线也在加紧建设，渝中区的2号线加密班次。",
            &["4号线", "15号线", "2号线"],
            &lex,
        );
        assert_eq!(n, ["2号线"]);
        // A district named in a list with others is no label.
        let n = kept(
            "江北区、南岸区与我区共建解放碑步道。",
            &["解放碑步道"],
            &lex,
        );
        assert_eq!(n, ["解放碑步道"]);
    }

    #[test]
    fn a_name_in_a_list_is_listed() {
        let s = chars("改造青年路、中华路。");
        let a = Candidate::first_in(&s, "青年路");
        let b = Candidate::first_in(&s, "中华路");
        assert!(is_listed(&s, &a, &[a.clone(), b]));
        assert!(!is_listed(&s, &a, std::slice::from_ref(&a)));
    }

    #[test]
    fn settings_of_no_plan_are_decisive() {
        let s = chars("编写《七星岗街巷志》，对标上海陆家嘴，改造中兴路。");
        let found = vec![
            Candidate::first_in(&s, "七星岗街"),
            Candidate::first_in(&s, "上海陆家嘴"),
            Candidate::first_in(&s, "中兴路"),
        ];
        let kept = decide(&s, &Words::of(&s), &Lexicon::default(), found);
        let names: Vec<&str> = kept.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["中兴路"]);
    }

    #[test]
    fn a_name_in_a_quoted_slogan_or_theme_is_no_place_but_a_quoted_stop_is() {
        let lex = Lexicon::default();
        assert!(kept("打造“山水宜居、人文兴街”的街区。", &["人文兴街"], &lex).is_empty());
        assert!(kept("建成“长江边的幸福街区”。", &["幸福街区"], &lex).is_empty());
        let s = "紧扣“山水宜居、人文兴街”定位。";
        assert!(kept(s, &["山水宜居", "人文兴街"], &lex).is_empty());
        assert!(kept("以“半城烟火半城城”为主题办节。", &["半城烟火半城城"], &lex).is_empty());
        let stop = "新设“金汤街（人和街小学）”站。";
        assert_eq!(
            kept(stop, &["金汤街", "人和街小学"], &lex),
            ["金汤街", "人和街小学"]
        );
        // A known name in quotes is a place (“十字金街”).
        let lex = Lexicon::of_names(&["十字金街"]);
        assert_eq!(
            kept("以“十字金街”为核心。", &["十字金街"], &lex),
            ["十字金街"]
        );
    }

    #[test]
    fn a_preposition_the_segmenter_read_into_a_name_s_first_char_cuts_no_word() {
        // 从小 (since childhood) is the segmenter's word; 从 here is "from".
        let e = evidence("从小米市站出来往上走。", "小米市站");
        assert!(!e.contains(&Evidence::StartsInsideWord), "{e:?}");
    }

    #[test]
    fn a_measure_word_that_leaves_only_a_place_word_is_the_names_first_char() {
        let e = evidence("明年翻修道门口到千厮门的梯坎。", "道门口");
        assert!(!e.contains(&Evidence::LeadingDebris), "{e:?}");
        // A measure word before a name of its own is still debris.
        let e = evidence("修好几道石板坡的梯坎。", "道石板坡");
        assert!(score(&e) < THRESHOLD, "{e:?}");
    }
}
