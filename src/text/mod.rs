//! Text utilities every reader of Chinese names shares: normalisation with its offset map,
//! slugs, CJK character classes and the known-name term type.
//!
//! A leaf module: it imports nothing else from the crate, so `report`, `gazetteer` and the OSM
//! import can all depend on it without depending on each other. Offsets are chars (Unicode
//! scalar values) unless a function says otherwise.

pub mod normalize;
pub mod script;

pub use normalize::{Normalized, normalize};

/// A known name the parser should recognise, with what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconTerm {
    /// The text to find (a name or an alias), normalised like the report.
    pub text: String,
    /// The key of the place it names (the gazetteer id).
    pub key: String,
    /// The head-word kind of the place (商圈, 路 …).
    pub kind: String,
}

/// Whether a char belongs to a CJK ideograph block.
#[must_use]
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether a char is a Chinese numeral used to number parts and sections (一 … 十).
#[must_use]
pub fn is_cn_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// A URL- and file-safe slug of a Chinese name: ideographs, letters and digits kept,
/// everything else a hyphen.
#[must_use]
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if is_cjk(c) || c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_keeps_ideographs_and_digits_and_joins_the_rest_with_one_hyphen() {
        assert_eq!(slug("朝天门—解放碑 (1号)"), "朝天门-解放碑-1号");
    }

    #[test]
    fn numerals_and_ideographs_are_told_apart_from_punctuation() {
        assert!(is_cn_numeral('七') && !is_cn_numeral('路'));
        assert!(is_cjk('路') && !is_cjk('，') && !is_cjk('a'));
    }
}
