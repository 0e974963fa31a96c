//! Word boundaries and part-of-speech tags of a sentence, from the jieba segmenter.
//!
//! Input: a sentence's chars. Output: [`Words`], the dictionary words that cover it, each with
//! its char span and its jieba tag (ns place, n noun, v verb, d adverb, p preposition, m number,
//! …). The reader uses them so that a name starts at a word boundary and its proper part is
//! nominal: a verb, adverb, preposition, conjunction, count or pronoun in front of a
//! name is sentence debris, never part of the name.
//!
//! The segmenter runs without its HMM guesser: a run of chars the dictionary does not know comes
//! out as one-char words, so an unknown name is never cut by a guessed word; only words the
//! dictionary knows constrain the reader.

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// One-char words that, standing alone in front of a name, are never its first char.
/// The characters are in `src/vocab/grammar.json` (`one_char_debris`).
static ONE_CHAR_DEBRIS: LazyLock<&'static str> =
    LazyLock::new(|| crate::vocab::grammar().one_char_debris.chars.as_str());

/// The segmenter with its built-in dictionary, loaded once.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// One dictionary word: its char span in the sentence and its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// First char, relative to the sentence.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The jieba part-of-speech tag (ns, n, v, d, p, c, m, q, r, …).
    pub tag: String,
}

impl Word {
    /// Whether the word can be no part of a name's proper part: a verb, adverb, preposition,
    /// conjunction, particle, measure word, pronoun or time word. Numbers are not among them:
    /// a number may be a line's or a plot's proper part (18号线, 6号地块); counts in front of
    /// a name are the stop list's work.
    #[must_use]
    pub fn is_function_or_verb(&self) -> bool {
        let first = self.tag.chars().next().unwrap_or('x');
        // vn (a verb used as a noun: 建设, 改造) is as much debris in front of a name as a verb.
        "vdpcuqrty".contains(first) && self.tag != "vg"
    }
}

/// The words of one sentence, in order, covering it without gaps.
#[derive(Debug, Clone, Default)]
pub struct Words {
    list: Vec<Word>,
    /// For each char, the index of the word that covers it.
    word_at: Vec<usize>,
    /// The sentence's chars.
    chars: Vec<char>,
}

impl Words {
    /// Segments a sentence.
    #[must_use]
    pub fn of(sentence: &[char]) -> Words {
        let text: String = sentence.iter().collect();
        let mut words = Vec::new();
        let mut word_at = vec![0; sentence.len()];
        for t in JIEBA.tag(&text, false) {
            let end = t.end.min(sentence.len());
            for slot in &mut word_at[t.start.min(end)..end] {
                *slot = words.len();
            }
            words.push(Word {
                start: t.start,
                end,
                tag: t.tag.to_string(),
            });
        }
        Words {
            list: words,
            word_at,
            chars: sentence.to_vec(),
        }
    }

    /// The sentence's char `i` (a space past the end).
    #[must_use]
    pub fn char_at(&self, i: usize) -> char {
        self.chars.get(i).copied().unwrap_or(' ')
    }

    /// The word that covers char `i`.
    #[must_use]
    pub fn at(&self, i: usize) -> Option<&Word> {
        self.word_at.get(i).and_then(|&w| self.list.get(w))
    }

    /// Whether a word starts at char `i` (the sentence's end counts as a boundary).
    #[must_use]
    pub fn is_boundary(&self, i: usize) -> bool {
        i >= self.word_at.len() || self.at(i).is_some_and(|w| w.start == i)
    }

    /// Where a name read back to `start`, with its generic part at `head_start`, really starts:
    /// past the leading words that cannot be a proper part (verbs, adverbs, prepositions,
    /// numbers, pronouns: 可搭乘|皇冠大扶梯, 明年|修缮|中兴路). A run of such words is cut only
    /// up to its last word of two chars or more: one char alone is often a name's own char (化
    /// in 化龙桥). A word glued to the generic part (东路 in 解放东路) is never left alone as
    /// the proper part. `None` when nothing is left before the generic part.
    #[must_use]
    pub fn proper_start(&self, start: usize, head_start: usize) -> Option<usize> {
        let mut s = start;
        let mut cut = start;
        let mut after_partial = false;
        // The tag of the word before when it was a one-char verb or adverb: an adverb and a
        // verb in a row (先改|民权路, 只剩|长江索道, 不挤|洪崖洞) are a clause's words, not a
        // name's first chars (two one-char verbs may be: 聚|兴|村社区).
        let mut one_char_before: Option<&str> = None;
        while s < head_start {
            let Some(w) = self.at(s) else { break };
            // The rest of a word a stop word cut in two (起|点设在两路口: 起点) is skipped but
            // never cut by itself: what follows decides.
            let partial = w.start < s;
            let debris = w.end - w.start == 1
                && self
                    .chars
                    .get(w.start)
                    .is_some_and(|c| ONE_CHAR_DEBRIS.contains(*c));
            if w.end > head_start || !(partial || w.is_function_or_verb() || debris) {
                break;
            }
            s = w.end;
            if partial {
                after_partial = true;
                continue;
            }
            // Past such a rest only a preposition or conjunction (在, 和) marks debris; a verb
            // there may be the start of the name the segmenter misread (建成|区应急…).
            if after_partial && !(w.tag.starts_with('p') || w.tag.starts_with('c') || debris) {
                break;
            }
            // A conjunction or preposition alone (和|码头, 在|…) is cut too; a one-char verb
            // or adverb may be the name's own char.
            // So is a one-char word the segmenter reads on its own that is only ever debris
            // in front of a name (经|皇冠大扶梯, 连|领事巷, 了|巴蜀中学), while 经贸 stays whole.
            let one_char_join = w.end - w.start == 1
                && (w.tag == "c"
                    || w.tag == "p"
                    || w.tag.starts_with('u')
                    || self
                        .chars
                        .get(w.start)
                        .is_some_and(|c| ONE_CHAR_DEBRIS.contains(*c)));
            let one_char_verb =
                (w.end - w.start == 1 && (w.tag == "v" || w.tag == "d")).then_some(w.tag.as_str());
            let adverb_and_verb = one_char_verb
                .zip(one_char_before)
                .is_some_and(|(a, b)| a == "d" || b == "d");
            if w.end - w.start >= 2 || one_char_join || adverb_and_verb {
                cut = s;
            }
            one_char_before = one_char_verb;
        }
        // A plain verb further in ends the debris too (出站后直达|罗汉寺): a proper part is
        // nominal.
        let mut at = cut;
        while at < head_start {
            let Some(w) = self.at(at) else { break };
            if w.end > head_start {
                break;
            }
            // Only right before a short proper part: inside a long name a verb-looking word
            // is more likely the segmenter's misreading (陆海新通道物流贸易总部基地).
            if w.tag == "v" && w.end - w.start >= 2 && (2..=3).contains(&(head_start - w.end)) {
                cut = w.end;
            }
            // A verb right before a place word inside the name (有点像|厦门, 像|成都春熙路):
            // the place word starts the name.
            let place_next = self.at(w.end).is_some_and(|n| {
                n.start == w.end && n.tag == "ns" && n.end - n.start >= 2 && w.end < head_start
            });
            if w.tag.starts_with('v') && w.tag != "vn" && place_next {
                cut = w.end;
            }
            at = w.end;
        }
        if cut == head_start {
            return None;
        }
        // 解放|西路|站: a street's direction word left alone keeps the word before it.
        let street_tail = self.at(cut).is_some_and(|w| {
            w.start == cut
                && w.end == head_start
                && w.end - w.start == 2
                && self
                    .chars
                    .get(cut)
                    .is_some_and(|c| "东西南北中".contains(*c))
                && self.chars.get(cut + 1).is_some_and(|c| "路街".contains(*c))
        });
        if street_tail && cut > start {
            return self.at(cut - 1).map(|w| w.start.max(start));
        }
        Some(self.past_glued_word(start, cut, head_start))
    }

    /// Where a name starts when what the cut left, `cut..head_start`, is only the front of a
    /// word that runs into the generic part (解放|东路 would leave 东): the cut word belongs to
    /// the name, unless it is a one-char join or debris (与|大坪) or a verb before a place
    /// word (有点像|厦门). `cut` itself when nothing is glued.
    fn past_glued_word(&self, start: usize, cut: usize, head_start: usize) -> usize {
        let glued = self
            .at(cut)
            .is_some_and(|w| w.start == cut && w.end > head_start && !w.is_function_or_verb());
        if glued && cut > start && head_start - cut < 2 {
            // Unless the word cut is a one-char preposition, conjunction, particle or debris
            // (与|大坪, 了|老街区): what follows it is the name, or a generic noun.
            let after_join = self.at(cut - 1).is_some_and(|p| {
                p.end - p.start == 1
                    && (p.tag.starts_with('p')
                        || p.tag.starts_with('c')
                        || p.tag.starts_with('u')
                        || self
                            .chars
                            .get(p.start)
                            .is_some_and(|c| ONE_CHAR_DEBRIS.contains(*c)))
            });
            // A street's direction and generic part (西路) need the one word before (靠近|解放|
            // 西路), not the whole run; a place word after a verb (有点像|厦门) is the name.
            let before = self.at(cut - 1);
            let street_word = self.chars.get(cut + 1).is_some_and(|c| "路街".contains(*c))
                && "东西南北中".contains(self.char_at(cut));
            return if after_join {
                cut
            } else if street_word {
                before.map_or(start, |p| p.start.max(start))
            } else if before.is_some_and(|p| p.tag == "v" && p.end - p.start >= 2) {
                cut
            } else {
                start
            };
        }
        cut
    }

    /// Whether `start..end` is one or two nouns of two chars or more each (人民 in 人民大礼堂,
    /// 重庆|人民 in 重庆人民大礼堂).
    #[must_use]
    pub fn is_one_noun(&self, start: usize, end: usize) -> bool {
        let noun =
            |w: &Word| w.end - w.start >= 2 && ["n", "ns", "nr", "nz"].contains(&w.tag.as_str());
        let Some(first) = self.at(start).filter(|w| w.start == start && noun(w)) else {
            return false;
        };
        first.end == end
            || self
                .at(first.end)
                .is_some_and(|w| w.start == first.end && w.end == end && noun(w))
    }

    /// Whether an institution, event or company noun follows the name at `end` within the
    /// same phrase (七星岗|街道办事处, 山城巷|文化节, 渝中城投|集团): then the name is part of
    /// what that noun names, not a planned place. Works verbs (改造, 提升 …) end the phrase
    /// first: 解放碑步行街改造工程 plans works on the street.
    #[must_use]
    pub fn names_an_institution_after(&self, sentence: &[char], end: usize) -> bool {
        // Chars of the phrase after the name: up to a break, at most 10.
        let mut at = end;
        // A closing quote or title mark still belongs to the phrase (“解放碑不夜城”消费季).
        while at < sentence.len() && "”」』》".contains(sentence[at]) {
            at += 1;
        }
        let from = at;
        while at < sentence.len() && at - from < 10 {
            let c = sentence[at];
            if !(crate::text::is_cjk(c) || c.is_ascii_alphanumeric()) {
                break;
            }
            if let Some(w) = self.at(at)
                && w.start == at
                && w.end - w.start >= 2
                && w.tag.starts_with('v')
                && w.tag != "vn"
            {
                break;
            }
            if WORKS.iter().any(|v| sentence[at..].starts_with(v)) {
                break;
            }
            at += 1;
            let phrase: String = sentence[from..at].iter().collect();
            if self.is_boundary(at)
                && INSTITUTION_SUFFIXES
                    .iter()
                    .any(|x| phrase.ends_with(x) && self.ends_a_noun(at, x))
            {
                return true;
            }
        }
        false
    }
}

impl Words {
    /// Where a name starting at `start` starts once the city and district in front of it are
    /// left out (重庆市|渝中区|大坪片区 → 大坪片区): an administrative unit (…市, …区, …县,
    /// …省) of two or three chars that ends at a word boundary names where the place is, not
    /// the place. Something of two chars or more must remain before the generic part.
    #[must_use]
    pub fn past_admin_units(&self, sentence: &[char], start: usize, head_start: usize) -> usize {
        let mut s = start;
        'outer: loop {
            for len in [4, 3] {
                let unit_end = s + len;
                if unit_end + 2 <= head_start
                    && "市区县省".contains(sentence[unit_end - 1])
                    && sentence[s..unit_end]
                        .iter()
                        .all(|&c| crate::text::is_cjk(c))
                    && self.is_boundary(unit_end)
                    && self.at(s).is_some_and(|w| w.start == s)
                    && (self.at(s).is_some_and(|w| w.tag.starts_with("ns"))
                        || len == 3 && !is_area_noun(&sentence[unit_end - 2..unit_end]))
                {
                    s = unit_end;
                    continue 'outer;
                }
            }
            return s;
        }
    }

    /// Whether the word that ends at `end` ends in `suffix` as a noun of its own kind: a
    /// one-char suffix (局 节 周 季 委) counts alone or at the end of a word of three chars or
    /// more (文化节, 管理局), never in a two-char common word (格局, 环节, 一周, 季节).
    fn ends_a_noun(&self, end: usize, suffix: &str) -> bool {
        if suffix.chars().count() >= 2 {
            return true;
        }
        self.at(end - 1)
            .is_some_and(|w| w.end - w.start == 1 || w.end - w.start >= 3)
    }
}

/// Whether two chars ending in 区/市 are a generic area noun (片区, 城区, 社区 …), not the
/// end of an administrative unit's name (渝中区).
fn is_area_noun(tail: &[char]) -> bool {
    let tail: String = tail.iter().collect();
    [
        "城区", "社区", "景区", "新区", "市区", "小区", "辖区", "园区", "片区", "街区", "院区",
        "校区", "城市", "都市", "超市", "门市",
    ]
    .contains(&tail.as_str())
        || crate::vocab::terms().iter().any(|(t, _)| *t == tail)
}

/// Works on a place: in front of an institution noun they show the noun is a project on the
/// place (改造工程), not a body named after it.
/// The words are in `src/vocab/grammar.json` (`works`).
static WORKS: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    crate::vocab::grammar()
        .works
        .words()
        .iter()
        .map(|w| w.chars().collect())
        .collect()
});

/// Generic nouns of institutions, offices, companies and events: a place name right in front of
/// one of them is the proper part of that body's name.
/// The words are in `src/vocab/grammar.json` (`institution_suffixes`).
static INSTITUTION_SUFFIXES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().institution_suffixes.words());

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> (Vec<char>, Words) {
        let chars: Vec<char> = s.chars().collect();
        let w = Words::of(&chars);
        (chars, w)
    }

    #[test]
    fn the_words_cover_the_sentence_without_gaps() {
        let (chars, w) = words("我们今天去解放碑看看新修的步道。");
        for i in 0..chars.len() {
            let word = w.at(i).expect("covered");
            assert!(word.start <= i && i < word.end);
        }
        assert!(w.is_boundary(0) && w.is_boundary(chars.len()));
    }

    #[test]
    fn a_verb_in_front_of_a_street_is_trimmed_off_its_proper_part() {
        let (chars, w) = words("明年修缮中兴路");
        let head = chars.iter().position(|&c| c == '路').unwrap();
        let start = w.proper_start(2, head).expect("a proper part is left");
        assert_eq!(chars[start..=head].iter().collect::<String>(), "中兴路");
    }

    #[test]
    fn a_name_with_only_a_verb_before_its_generic_part_has_no_proper_part() {
        let (chars, w) = words("我们修缮码头");
        let head = chars.iter().position(|&c| c == '码').unwrap();
        assert_eq!(w.proper_start(2, head), None);
    }

    #[test]
    fn a_word_glued_to_the_generic_part_keeps_the_word_before_it() {
        // 解放|东路: cutting the verb 解放 would leave 东 alone in front of 路.
        let (chars, w) = words("解放东路");
        assert_eq!(w.proper_start(0, 3), Some(0), "{chars:?}");
    }

    #[test]
    fn the_city_and_district_in_front_of_a_name_are_left_out() {
        let (chars, w) = words("重庆市渝中区大坪片区");
        let head = chars.iter().position(|&c| c == '片').unwrap();
        let s = w.past_admin_units(&chars, 0, head);
        assert_eq!(chars[s..].iter().collect::<String>(), "大坪片区");
    }

    #[test]
    fn a_conjunction_alone_in_front_of_a_generic_part_leaves_no_name() {
        let (chars, w) = words("整治和码头");
        let head = chars.iter().position(|&c| c == '码').unwrap();
        assert_eq!(w.proper_start(2, head), None);
    }

    #[test]
    fn an_office_after_a_place_name_makes_it_an_institution() {
        let (chars, w) = words("七星岗街道办事处牵头");
        assert!(w.names_an_institution_after(&chars, 3));
        let (chars, w) = words("解放碑改造工程");
        assert!(!w.names_an_institution_after(&chars, 3));
    }
}
