//! Known place names (gazetteer names and aliases) the reader finds before any grammar.
//!
//! Input: [`LexiconTerm`]s, normalised like the report. Output: non-overlapping
//! leftmost-longest matches in a sentence, as char spans with the term they match.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::text::LexiconTerm;

/// Known names, searchable leftmost-longest.
#[derive(Debug, Clone)]
pub struct Lexicon {
    terms: Vec<LexiconTerm>,
    matcher: Option<AhoCorasick>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new(Vec::new())
    }
}

impl Lexicon {
    /// Builds the lexicon. Terms shorter than two chars are ignored: one char names nothing
    /// reliably in Chinese text.
    #[must_use]
    pub fn new(terms: Vec<LexiconTerm>) -> Lexicon {
        let terms: Vec<LexiconTerm> = terms
            .into_iter()
            .filter(|t| t.text.chars().count() >= 2)
            .collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms.iter().map(|t| t.text.as_str()))
            .ok();
        Lexicon { terms, matcher }
    }

    /// A lexicon of bare names, each its own key and of no kind (for tests of the stages).
    #[cfg(test)]
    pub(crate) fn of_names(names: &[&str]) -> Lexicon {
        Lexicon::new(
            names
                .iter()
                .map(|t| LexiconTerm {
                    text: (*t).into(),
                    key: (*t).into(),
                    kind: String::new(),
                })
                .collect(),
        )
    }

    /// The terms, in the order given.
    #[must_use]
    pub fn terms(&self) -> &[LexiconTerm] {
        &self.terms
    }

    /// The term with exactly this text, if any.
    #[must_use]
    pub fn get(&self, text: &str) -> Option<&LexiconTerm> {
        self.terms.iter().find(|t| t.text == text)
    }

    /// The longest term that is a prefix of `text`.
    #[must_use]
    pub fn longest_prefix(&self, text: &str) -> Option<&LexiconTerm> {
        self.terms
            .iter()
            .filter(|t| text.starts_with(t.text.as_str()))
            .max_by_key(|t| t.text.len())
    }

    /// Non-overlapping known names in `chars`, leftmost-longest: (start, end, term) in chars.
    pub(super) fn find(&self, chars: &[char]) -> Vec<(usize, usize, &LexiconTerm)> {
        let Some(m) = &self.matcher else {
            return Vec::new();
        };
        let text: String = chars.iter().collect();
        // Byte offsets → char offsets.
        let mut char_at = vec![0usize; text.len() + 1];
        let mut ci = 0;
        for (b, c) in text.char_indices() {
            for slot in &mut char_at[b..b + c.len_utf8()] {
                *slot = ci;
            }
            ci += 1;
        }
        char_at[text.len()] = ci;
        m.find_iter(&text)
            .map(|hit| {
                (
                    char_at[hit.start()],
                    char_at[hit.end()],
                    &self.terms[hit.pattern().as_usize()],
                )
            })
            .collect()
    }
}
