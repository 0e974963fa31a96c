//! Traditional → Simplified, per document and per paragraph, never per character blindly.
//!
//! Input: raw text. Output: the text with Traditional paragraphs converted by OpenCC's phrase
//! rules (`ferrous-opencc`, t2s) and, for each output char, the char offset of its origin in
//! the input. A Simplified text comes back unchanged: a paragraph is converted only when the
//! document reads as Traditional, or the paragraph itself does (a Traditional quote inside a
//! Simplified page). Correct Simplified characters (捍, 乾) are never touched, because nothing
//! is converted in Simplified text at all, and OpenCC's phrase tables resolve one-to-many
//! Traditional characters inside Traditional text.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use super::is_cjk;

/// The converter, built once; `None` if its embedded tables fail to load, in which case text
/// is read as written (a degraded read, never a panic).
static T2S: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// Share of changed ideographs above which a whole document reads as Traditional. Traditional
/// prose changes a fifth or more of its ideographs; Simplified prose almost none.
const DOCUMENT_SHARE: f64 = 0.04;

/// Share of changed ideographs above which one paragraph of a Simplified document reads as
/// Traditional (a quoted repost); it must also change at least [`PARAGRAPH_MIN`] of them.
const PARAGRAPH_SHARE: f64 = 0.10;

/// Fewest changed ideographs that make a paragraph Traditional in a Simplified document.
const PARAGRAPH_MIN: usize = 2;

/// Which script a text is written in, as far as conversion is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Simplified (or no Chinese at all): left as written.
    Simplified,
    /// Traditional: converted.
    Traditional,
}

/// Text converted to Simplified with a char-level map back to the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The converted text.
    pub chars: Vec<char>,
    /// For each char of `chars`, the char offset of its origin in the input.
    pub origin: Vec<usize>,
    /// The script the document as a whole was read as.
    pub script: Script,
}

/// Ideographs of `line` and how many of them `converted` changes, compared char by char (an
/// estimate when lengths differ: only the common prefix is compared).
fn changed_share(line: &[char], converted: &[char]) -> (usize, usize) {
    let cjk = line.iter().filter(|c| is_cjk(**c)).count();
    let changed = line
        .iter()
        .zip(converted)
        .filter(|(a, b)| is_cjk(**a) && a != b)
        .count();
    (changed, cjk)
}

/// Converts one paragraph, keeping the map: when OpenCC keeps the length (nearly always for
/// t2s) chars map one to one; otherwise each char is converted alone, so every output char
/// still has its own origin.
fn convert_line(cc: &OpenCC, line: &[char], at: usize, converted: &[char], out: &mut Converted) {
    if converted.len() == line.len() {
        out.chars.extend_from_slice(converted);
        out.origin.extend(at..at + line.len());
        return;
    }
    let mut buf = [0u8; 4];
    for (i, c) in line.iter().enumerate() {
        for d in cc.convert(c.encode_utf8(&mut buf)).chars() {
            out.chars.push(d);
            out.origin.push(at + i);
        }
    }
}

/// Reads the script of `raw` per document and per paragraph and converts what is Traditional.
#[must_use]
pub fn to_simplified(raw: &str) -> Converted {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = Converted {
        chars: Vec::with_capacity(chars.len()),
        origin: Vec::with_capacity(chars.len()),
        script: Script::Simplified,
    };
    let Some(cc) = T2S.as_ref() else {
        out.origin.extend(0..chars.len());
        out.chars = chars;
        return out;
    };
    // Only paragraphs with a character OpenCC would change are worth a second look.
    let lines: Vec<(usize, &[char])> = {
        let mut v = Vec::new();
        let mut start = 0;
        for line in chars.split(|&c| c == '\n') {
            v.push((start, line));
            start += line.len() + 1;
        }
        v
    };
    let converted: Vec<Vec<char>> = lines
        .iter()
        .map(|(_, l)| {
            if l.iter().any(|c| is_cjk(*c)) {
                cc.convert(&l.iter().collect::<String>()).chars().collect()
            } else {
                l.to_vec()
            }
        })
        .collect();
    let (changed, cjk) = lines
        .iter()
        .zip(&converted)
        .map(|((_, l), c)| changed_share(l, c))
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts of chars, far below 2^52"
    )]
    let document_traditional = cjk > 0 && changed as f64 / cjk as f64 >= DOCUMENT_SHARE;
    if document_traditional {
        out.script = Script::Traditional;
    }
    for (n, ((start, line), conv)) in lines.iter().zip(&converted).enumerate() {
        if n > 0 {
            out.chars.push('\n');
            out.origin.push(start - 1);
        }
        let (changed, cjk) = changed_share(line, conv);
        #[expect(
            clippy::cast_precision_loss,
            reason = "counts of chars, far below 2^52"
        )]
        let paragraph_traditional =
            changed >= PARAGRAPH_MIN && changed as f64 / cjk.max(1) as f64 >= PARAGRAPH_SHARE;
        if changed > 0 && (document_traditional || paragraph_traditional) {
            convert_line(cc, line, *start, conv, &mut out);
        } else {
            out.chars.extend_from_slice(line);
            out.origin.extend(*start..start + line.len());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simplified(s: &str) -> String {
        to_simplified(s).chars.into_iter().collect()
    }

    #[test]
    fn a_simplified_sentence_with_hanwei_road_is_left_alone() {
        let s = "推进捍卫路、乾坤湾步道和干部培训中心提升，完善面积与发展规划。";
        let c = to_simplified(s);
        assert_eq!(c.script, Script::Simplified);
        assert_eq!(c.chars.iter().collect::<String>(), s);
    }

    #[test]
    fn a_traditional_repost_is_converted_with_phrase_rules() {
        let s = "渝中區將加快捍衛路與解放碑步行街的改造，乾淨整潔的街巷讓居民回家更方便。";
        let c = to_simplified(s);
        assert_eq!(c.script, Script::Traditional);
        let out: String = c.chars.iter().collect();
        assert!(
            out.starts_with("渝中区将加快捍卫路与解放碑步行街的改造"),
            "{out}"
        );
        assert!(out.contains("干净整洁"), "{out}");
    }

    #[test]
    fn a_traditional_paragraph_in_a_simplified_page_is_converted_alone() {
        let s = "本页转载如下。\n渝中區推動較場口片區更新。\n捍卫路提升完工。";
        assert_eq!(
            simplified(s),
            "本页转载如下。\n渝中区推动较场口片区更新。\n捍卫路提升完工。"
        );
    }

    #[test]
    fn every_converted_char_keeps_its_origin() {
        let s = "甲\n渝中區較場口";
        let c = to_simplified(s);
        assert_eq!(c.chars.len(), c.origin.len());
        let raw: Vec<char> = s.chars().collect();
        for (d, &o) in c.chars.iter().zip(&c.origin) {
            assert!(o < raw.len());
            if *d == '\n' {
                assert_eq!(raw[o], '\n');
            }
        }
        assert_eq!(c.origin[c.origin.len() - 1], raw.len() - 1);
    }
}
