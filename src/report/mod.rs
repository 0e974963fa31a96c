//! Reading a work report: text → sections, sentences, planned items with their exact words,
//! actions and numeric targets. Knows nothing of geography.
//!
//! Input: raw UTF-8 text (`&str`) and a [`Lexicon`] of known place names. Output: a
//! [`Report`]. All offsets are chars (Unicode scalar values) into [`Report::text`], the
//! normalised text; [`Report::normalized`] maps them back to the raw text.
//!
//! Stages, each testable alone: [`crate::text::normalize()`] (layout and character forms), structure (parts
//! 一、 and sections （一）, sentences), [`mentions`] (names), [`targets`] (numbers, verbs),
//! then aggregation into one [`PlannedItem`] per distinct name, and every target of the report
//! with its owner ([`binding`]: a place only where the clause binds the number to it).

pub mod actions;
pub mod binding;
pub mod candidates;
mod common;
mod context;
pub mod coordination;
mod debris;
pub mod decision;
mod elsewhere;
pub mod gold;
pub mod grammar;
pub mod lexicon;
mod likeness;
mod lists;
pub mod mentions;
pub mod meta;
mod roles;
pub mod segments;
mod social;
mod speech;
pub mod targets;
pub mod words;

use std::collections::HashMap;

use serde::Serialize;

pub use crate::text::{Normalized, normalize, slug};
pub use mentions::{Candidate, CandidateSource, Lexicon, LexiconTerm};

use crate::plan::{Action, Layer, MentionRef, SectionRef, Target};
use crate::text::is_cn_numeral;
use crate::vocab;

/// A section of the report: a numbered section （三） or a part 三、, or the untitled text
/// before the first heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// Index in [`Report::sections`].
    pub id: usize,
    /// The part's numeral (一, 二, 三) when the report states it.
    pub part: Option<String>,
    /// The section's number as written, e.g. `（三）`.
    pub number: Option<String>,
    /// The heading, without its number.
    pub title: Option<String>,
    /// Planning theme derived from the heading (产业, 开放, 改革, 文旅, 生态, 城市更新, 治理, 民生).
    pub theme: String,
    /// First char of the section in the normalised text.
    pub start: usize,
    /// One past its last char.
    pub end: usize,
}

impl Section {
    /// The section as features cite it.
    #[must_use]
    pub fn reference(&self) -> SectionRef {
        SectionRef {
            part: self.part.clone(),
            number: self.number.clone(),
            title: self.title.clone(),
        }
    }
}

/// A sentence: up to and including 。！？, or a heading line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Index in [`Report::sentences`].
    pub id: usize,
    /// The section it belongs to.
    pub section_id: usize,
    /// First char in the normalised text.
    pub start: usize,
    /// One past its last char.
    pub end: usize,
    /// Its text.
    pub text: String,
    /// A heading: a numbered section heading, or a line that only names the place the next
    /// sentences are about (化龙桥国际商务区。). A heading plans nothing itself.
    pub heading: bool,
}

/// Where a planned item's name came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemSource {
    /// A known gazetteer name or alias.
    Lexicon,
    /// A head-word pattern rule.
    Pattern,
    /// A quoted name.
    Quoted,
}

/// One distinct place the report plans, with every mention of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedItem {
    /// The name as written (normalised).
    pub name: String,
    /// Zones, streets or projects, from the head word.
    pub layer: Layer,
    /// Head-word kind.
    pub kind: String,
    /// How the name was found.
    pub source: ItemSource,
    /// The gazetteer key when the name itself is known.
    pub key: Option<String>,
    /// For a join (A—B—C): the places it joins.
    pub parts: Vec<String>,
    /// Gazetteer keys of known names inside the name.
    pub contains: Vec<String>,
    /// The topic zone of the passage it appears in (化龙桥国际商务区 for 陆海国际中心), if any.
    pub container: Option<String>,
    /// Every mention, in text order.
    pub mentions: Vec<MentionRef>,
    /// The first sentence that names it.
    pub sentence_id: usize,
    /// The sentence that plans it, quoted for it: the first that names it, unless that is a
    /// heading; then the first sentence of the heading's passage that names it, else the
    /// passage's first sentence.
    pub quote_sentence_id: usize,
    /// Set when the quote is the first sentence of the passage a heading opens, which does not
    /// name the item itself; says so in words for the planner.
    pub quote_note: Option<String>,
    /// The section of that sentence.
    pub section_id: usize,
    /// The verb governing the first mention.
    pub action: Option<Action>,
    /// The targets the report binds to it (see [`binding`]), in text order.
    pub targets: Vec<Target>,
    /// For a street: the stretches of it its sentences plan (长滨路菜园坝至储奇门段), see
    /// [`segments`]; empty when the whole street is meant.
    pub segments: Vec<segments::Segment>,
}

impl PlannedItem {
    /// The gazetteer key of the known place this name is a longer form of, and that place's
    /// name as written inside it: 老鼓楼衙署跨街谯楼遗址 is the site 老鼓楼衙署跨街谯楼 under
    /// the name of its remains (one of [`mentions::REMAINS`]), so a report that writes one and
    /// a report that writes the other plan one place.
    #[must_use]
    pub fn longer_form_of(&self) -> Option<(&str, &str)> {
        let [key] = self.contains.as_slice() else {
            return None;
        };
        let stem = mentions::REMAINS
            .iter()
            .find_map(|r| self.name.strip_suffix(r))?;
        Some((key.as_str(), stem))
    }
}

/// A parsed report.
#[derive(Debug, Clone)]
pub struct Report {
    /// Report id (from the file name), e.g. `yuzhong-2025`.
    pub id: String,
    /// The title line, when the text starts with one.
    pub title: String,
    /// Normalised text; every offset refers to it.
    pub text: String,
    /// The normalised text with its map to raw offsets.
    pub normalized: Normalized,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Distinct planned items in order of first mention.
    pub items: Vec<PlannedItem>,
    /// Every numeric target of the report with its sentence and owner (a place or the
    /// district), in text order.
    pub targets: Vec<binding::OwnedTarget>,
}

pub use crate::vocab::theme_of;

/// Splits the normalised text into sentences (not yet assigned to sections).
fn split_sentences(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let end = if "。！？".contains(c) {
            // Keep a closing quote with the sentence it closes.
            let mut e = i + 1;
            while e < chars.len() && chars[e] == '”' {
                e += 1;
            }
            Some(e)
        } else if c == '\n' {
            Some(i)
        } else {
            None
        };
        if let Some(e) = end {
            if e > start {
                out.push((start, e));
            }
            start = if c == '\n' { e + 1 } else { e };
            i = start;
            continue;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push((start, chars.len()));
    }
    out
}

/// A heading's number and title, if the sentence starts with （N） or N、.
fn heading(s: &[char]) -> Option<(bool, String, String)> {
    if s.first() == Some(&'（') {
        let close = s.iter().position(|&c| c == '）')?;
        if close > 1 && s[1..close].iter().all(|&c| is_cn_numeral(c)) {
            let title: String = s[close + 1..].iter().collect();
            return Some((false, s[..=close].iter().collect(), title));
        }
    }
    let sep = s.iter().position(|&c| c == '、')?;
    if sep > 0 && sep <= 2 && s[..sep].iter().all(|&c| is_cn_numeral(c)) {
        return Some((
            true,
            s[..sep].iter().collect(),
            s[sep + 1..].iter().collect(),
        ));
    }
    None
}

/// Parses a report. Never panics, whatever the input.
#[must_use]
pub fn parse(id: &str, raw: &str, lexicon: &Lexicon) -> Report {
    let normalized = normalize(raw);
    let chars: Vec<char> = normalized.text.chars().collect();
    let spans = split_sentences(&chars);

    let mut sections: Vec<Section> = vec![Section {
        id: 0,
        part: None,
        number: None,
        title: None,
        theme: String::new(),
        start: 0,
        end: chars.len(),
    }];
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut title = String::new();
    let mut part: Option<String> = None;
    for (n, &(start, end)) in spans.iter().enumerate() {
        let s = &chars[start..end];
        let text: String = s.iter().collect();
        if n == 0 && text.contains("报告") {
            title = text
                .split('（')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
        }
        if let Some((is_part, number, heading_title)) = heading(s) {
            if is_part {
                part = Some(number.clone());
            }
            if let Some(last) = sections.last_mut() {
                last.end = start;
            }
            // The untitled lead-in keeps its place even when empty, so ids stay stable.
            let title = heading_title.trim_end_matches(['。', '：']).to_string();
            sections.push(Section {
                id: sections.len(),
                part: part.clone(),
                number: (!is_part).then_some(number),
                theme: theme_of(&title).to_string(),
                title: Some(title),
                start,
                end: chars.len(),
            });
        }
        let section_id = sections.len() - 1;
        sentences.push(Sentence {
            id: sentences.len(),
            section_id,
            start,
            end,
            text,
            heading: heading(s).is_some(),
        });
    }
    // The lead-in has no heading: take its theme from its first sentences.
    if let Some(lead) = sections.first_mut() {
        let lead_text: String = sentences
            .iter()
            .filter(|s| s.section_id == 0)
            .take(3)
            .map(|s| s.text.as_str())
            .collect();
        lead.theme = theme_of(&lead_text).to_string();
    }

    let (items, targets, topics) = collect_items(&chars, &sentences, lexicon);
    for id in topics {
        sentences[id].heading = true;
    }
    let mut items = quote_past_headings(items, &sentences);
    segments::attach(&mut items, &sentences, &chars);
    Report {
        id: id.to_string(),
        title,
        text: normalized.text.clone(),
        normalized,
        sections,
        sentences,
        items,
        targets,
    }
}

/// The note on a quote taken from the start of a heading's passage.
const PASSAGE_NOTE: &str = "标题中提及；引用其下段落首句";

/// Gives every item first named in a heading the sentence of the heading's passage that plans
/// it: the first that names it, else the passage's first sentence, noted. A passage runs from
/// the heading to the next heading, at most [`TOPIC_REACH`] sentences, within one section.
fn quote_past_headings(mut items: Vec<PlannedItem>, sentences: &[Sentence]) -> Vec<PlannedItem> {
    for item in &mut items {
        let first = &sentences[item.sentence_id];
        if !first.heading {
            continue;
        }
        let passage: Vec<&Sentence> = sentences[first.id + 1..]
            .iter()
            .take(TOPIC_REACH)
            .take_while(|s| !s.heading && s.section_id == first.section_id)
            .collect();
        let Some(start) = passage.first() else {
            continue;
        };
        let naming = passage
            .iter()
            .find(|s| item.mentions.iter().any(|m| m.sentence_id == s.id));
        if let Some(s) = naming {
            item.quote_sentence_id = s.id;
        } else {
            item.quote_sentence_id = start.id;
            item.quote_note = Some(PASSAGE_NOTE.to_string());
        }
    }
    items
}

/// Longest run of text searched for names at once. A real sentence is far shorter; text with
/// no sentence ends at all (a table, a corrupted file) is searched in windows cut at a clause
/// break, so the merge steps of [`mentions::find`], quadratic in the names of one run, stay
/// cheap whatever the input.
const MAX_WINDOW: usize = 600;

/// [`mentions::find`] over a sentence, in windows of at most [`MAX_WINDOW`] chars cut after
/// the last clause break (，；、) inside each window, with offsets relative to the sentence.
fn find_in_windows(s: &[char], lexicon: &Lexicon) -> Vec<Candidate> {
    if s.len() <= MAX_WINDOW {
        return mentions::find(s, lexicon);
    }
    let mut out = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let hard_end = (start + MAX_WINDOW).min(s.len());
        let end = if hard_end == s.len() {
            hard_end
        } else {
            s[start..hard_end]
                .iter()
                .rposition(|c| "，；、".contains(*c))
                .map_or(hard_end, |p| start + p + 1)
        };
        for mut c in mentions::find(&s[start..end], lexicon) {
            c.start += start;
            c.end += start;
            out.push(c);
        }
        start = end;
    }
    out
}

/// Kinds a bare name gets from its last char (巷, 街, 梯, 门 …): they say less than a list's
/// head noun does (山城巷 among 7个传统风貌街区 is a 街区).
const WEAK_KINDS: &[&str] = &[
    "巷", "街", "路", "梯", "坡", "门", "寺", "岩", "湾", "沟", "洞", "庙",
];

/// The kind a list's head noun gives its members: in "A、B、C等N个X", X names what A, B and C
/// are (十八梯、山城巷、湖广会馆等7个传统风貌街区). `None` when no such head follows the name
/// at `end`, or the head ends in no generic term.
fn list_head_kind(s: &[char], end: usize) -> Option<String> {
    let rest: String = s[end..]
        .iter()
        .take_while(|c| !"，；：。！？\n".contains(**c))
        .collect();
    let (_, after) = rest.split_once('等')?;
    let head: String = after
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
        .chars()
        .skip_while(|c| "个处座条家项".contains(*c))
        .take_while(|c| !"、，".contains(*c))
        .collect();
    let kind = grammar::kind_of(&head);
    (!kind.is_empty()).then_some(kind)
}

/// The targets of one sentence with their owners.
fn owned_targets(s: &[char], sentence_id: usize, found: &[Candidate]) -> Vec<binding::OwnedTarget> {
    let at = targets::targets_at(s);
    let owners = binding::owners(s, &at, found);
    at.into_iter()
        .zip(owners)
        .map(|((_, mut t), owner)| {
            if let binding::Owner::Places(places) = &owner {
                t.metric = binding::metric_without_owners(&t.metric, places);
            }
            binding::OwnedTarget::new(sentence_id, t, owner)
        })
        .collect()
}

/// Which sentences are page debris (navigation, source and editor lines, other articles'
/// titles) or lie in a section of another district, which plan nothing.
fn debris_sentences(sentences: &[Sentence]) -> Vec<bool> {
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let headings: Vec<bool> = sentences.iter().map(|s| s.heading).collect();
    let elsewhere = elsewhere::in_sections_elsewhere(&texts, &headings);
    let debris = context::debris_lines(&texts);
    debris.iter().zip(elsewhere).map(|(d, e)| *d || e).collect()
}

/// How many sentences a topic line (大坪商圈。) governs at most.
const TOPIC_REACH: usize = 8;

/// Items (one per distinct name), every target with its owner, and the ids of the topic lines.
fn collect_items(
    chars: &[char],
    sentences: &[Sentence],
    lexicon: &Lexicon,
) -> (Vec<PlannedItem>, Vec<binding::OwnedTarget>, Vec<usize>) {
    let mut items: Vec<PlannedItem> = Vec::new();
    let mut owned: Vec<binding::OwnedTarget> = Vec::new();
    let mut topics: Vec<usize> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    let mut topic: Option<(String, usize, usize)> = None; // name, sentence id, section id
    let debris = debris_sentences(sentences);
    for sentence in sentences {
        let s = &chars[sentence.start..sentence.end];
        let found = if debris[sentence.id] {
            Vec::new()
        } else {
            // Page debris joined onto the sentence's end (相关新闻▪…) plans nothing, and no
            // name runs on into it (…跟轨道没关系|相关问题…): it is blanked, and so are the user
            // names and tags of a social page (`social.rs`).
            let tail = context::debris_tail(s);
            let mut blanked = social::blank(s);
            if tail < s.len() {
                blanked.get_or_insert_with(|| s.to_vec())[tail..].fill('\n');
            }
            find_in_windows(blanked.as_deref().unwrap_or(s), lexicon)
        };
        let body: String = sentence
            .text
            .trim_end_matches(['。', '：', '；'])
            .to_string();
        // A sentence that is only names (化龙桥国际商务区。) opens a passage about that zone.
        let covered: usize = found.iter().map(|c| c.end - c.start).sum();
        // A planning verb outside the names (提质扩容…集聚区。) makes it a plan, not a heading.
        let rest: Vec<char> = (0..s.len())
            .filter(|i| !found.iter().any(|c| c.start <= *i && *i < c.end))
            .map(|i| s[i])
            .collect();
        let plans = (0..rest.len()).any(|i| {
            (i + 2..=(i + 4).min(rest.len()))
                .any(|e| targets::is_verb(&rest[i..e].iter().collect::<String>()))
        });
        let is_topic = !found.is_empty() && !plans && covered * 10 >= body.chars().count() * 7;
        if is_topic {
            topics.push(sentence.id);
            let zone = found
                .iter()
                .find(|c| vocab::layer_of_kind(&c.kind) == Some(Layer::Zones))
                .or(found.first());
            topic = zone.map(|c| (c.name.clone(), sentence.id, sentence.section_id));
        } else if let Some((_, at, section)) = &topic
            && (sentence.id - at > TOPIC_REACH || *section != sentence.section_id)
        {
            topic = None;
        }
        owned.extend(owned_targets(s, sentence.id, &found));
        let spans: Vec<(usize, usize)> = found.iter().map(|c| (c.start, c.end)).collect();
        let verbs = actions::Verbs::of(s, &spans);
        for mut c in found {
            if (c.kind.is_empty() || WEAK_KINDS.contains(&c.kind.as_str()))
                && let Some(kind) = list_head_kind(s, c.end)
            {
                c.kind = kind;
            }
            let mention = MentionRef {
                sentence_id: sentence.id,
                start: sentence.start + c.start,
                end: sentence.start + c.end,
            };
            if let Some(&idx) = by_name.get(&c.name) {
                items[idx].mentions.push(mention);
                continue;
            }
            let container = topic
                .as_ref()
                .map(|(name, _, _)| name.clone())
                .filter(|name| *name != c.name);
            let (source, key) = match &c.source {
                CandidateSource::Lexicon { key } => (ItemSource::Lexicon, Some(key.clone())),
                CandidateSource::Pattern => (ItemSource::Pattern, None),
                CandidateSource::Quoted => (ItemSource::Quoted, None),
            };
            by_name.insert(c.name.clone(), items.len());
            items.push(PlannedItem {
                // A name whose kind the vocabulary lacks (a quoted name) is a site until placed.
                layer: vocab::layer_of_kind(&c.kind).unwrap_or(Layer::Projects),
                name: c.name,
                kind: c.kind,
                source,
                key,
                parts: c.parts,
                contains: c.contains,
                container,
                mentions: vec![mention],
                sentence_id: sentence.id,
                quote_sentence_id: sentence.id,
                quote_note: None,
                section_id: sentence.section_id,
                action: verbs.governing(c.start, c.end),
                targets: Vec::new(),
                segments: Vec::new(),
            });
        }
    }
    for item in &mut items {
        item.targets = owned
            .iter()
            .filter(|t| t.places.contains(&item.name))
            .map(|t| t.target.clone())
            .collect();
    }
    (items, owned, topics)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../seeds/yuzhong-2025.txt");

    fn seed() -> Report {
        parse("yuzhong-2025", SEED, &Lexicon::default())
    }

    #[test]
    fn sections_carry_their_number_title_and_theme() {
        let r = seed();
        let s = r
            .sections
            .iter()
            .find(|s| s.number.as_deref() == Some("（三）"))
            .expect("（三）");
        assert_eq!(
            s.title.as_deref(),
            Some("聚焦“强核提能级”，持续推动重点区域功能优化、整体成势")
        );
        assert_eq!(s.theme, "产业");
        let six = r
            .sections
            .iter()
            .find(|s| s.number.as_deref() == Some("（六）"))
            .expect("（六）");
        assert_eq!(six.theme, "文旅");
        assert!(
            six.title
                .as_deref()
                .is_some_and(|t| t.ends_with("发展胜势")),
            "{six:?}"
        );
    }

    #[test]
    fn the_part_heading_after_the_sections_is_its_own_section() {
        let r = seed();
        let last = r.sections.last().expect("sections");
        assert_eq!(last.part.as_deref(), Some("三"));
        assert_eq!(last.title.as_deref(), Some("全面加强政府自身建设"));
    }

    #[test]
    fn mentions_point_at_the_exact_words_in_the_normalised_text() {
        let r = seed();
        let chars: Vec<char> = r.text.chars().collect();
        for item in &r.items {
            for m in &item.mentions {
                let words: String = chars[m.start..m.end].iter().collect();
                // A shared-suffix form (上下半城) is the mention of each name it stands for.
                if words != item.name {
                    assert!(
                        coordination::stands_for(&words).contains(&item.name),
                        "{words} for {}",
                        item.name
                    );
                }
            }
        }
        assert!(r.items.iter().any(|i| i.name == "站北路"));
    }

    #[test]
    fn a_project_in_a_topic_passage_belongs_to_its_zone() {
        let r = seed();
        let square = r
            .items
            .iter()
            .find(|i| i.name == "微风广场")
            .expect("微风广场");
        assert_eq!(square.container.as_deref(), Some("大坪商圈"));
        // The sentence's retail total is the district's, not the square's.
        let metrics: Vec<&str> = square.targets.iter().map(|t| t.metric.as_str()).collect();
        assert!(!metrics.contains(&"社会消费品零售总额"), "{metrics:?}");
    }

    #[test]
    fn text_without_sentence_ends_is_read_in_windows_with_true_offsets() {
        let text = format!("{}站北路、{}", "路".repeat(3000), "路".repeat(3000));
        let r = parse("t", &text, &Lexicon::default());
        let chars: Vec<char> = r.text.chars().collect();
        for item in &r.items {
            for m in &item.mentions {
                assert_eq!(chars[m.start..m.end].iter().collect::<String>(), item.name);
            }
        }
    }

    #[test]
    fn the_title_line_is_read_without_the_carry_over_marker() {
        assert_eq!(seed().title, "重庆市渝中区人民政府工作报告");
    }

    #[test]
    fn offsets_map_back_to_the_raw_text() {
        let r = seed();
        let raw: Vec<char> = SEED.chars().collect();
        let item = r
            .items
            .iter()
            .find(|i| i.name == "菜园坝立交")
            .expect("菜园坝立交");
        let m = item.mentions[0];
        let first = r.normalized.original_offset(m.start);
        assert_eq!(raw[first], '菜');
    }
}
