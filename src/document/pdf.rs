//! A PDF's text layer, read with the `pdf-extract` crate (on `lopdf`), which maps each
//! font's glyphs to characters through its ToUnicode map.
//!
//! Two things of real files are mended here. CJK fonts often map a glyph shared with a
//! radical to the radical's code point (Kangxi Radicals, U+2F00–U+2FDF, and the CJK Radicals
//! Supplement, U+2E80–U+2EFF): a PDF printed from a browser with Noto CJK reads `⻓滨路`
//! for 长滨路. The Kangxi radicals fold to their ideograph by NFKC; the supplement has no
//! such decomposition, so the radicals that stand for a whole Simplified (or common)
//! character are listed in [`SUPPLEMENT`]. And a PDF without any text (a scan, pictures of
//! pages) is [`DocumentError::NoTextLayer`], not an empty report.

use unicode_normalization::UnicodeNormalization;

use super::DocumentError;

/// Radicals of the CJK Radicals Supplement that a font's ToUnicode map may give for the
/// whole character they are the form of, and that character. Component-only forms (纟, 钅,
/// 讠 as radicals) and the Japanese forms are left as they are.
const SUPPLEMENT: &[(char, char)] = &[
    ('⺠', '民'),
    ('⺟', '母'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻑', '長'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻳', '龟'),
];

/// The text of a PDF's text layer.
pub(super) fn text(bytes: &[u8]) -> Result<String, DocumentError> {
    if !bytes.starts_with(b"%PDF-") {
        return Err(DocumentError::BadPdf(
            "the file does not start with %PDF-".into(),
        ));
    }
    // The parser may panic on a malformed file; a bad upload is a 400, never a crash.
    let read = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| DocumentError::BadPdf("its structure is damaged".into()))?;
    let raw = read.map_err(|e| DocumentError::BadPdf(e.to_string()))?;
    let text = fold_radicals(&raw);
    if text.chars().all(char::is_whitespace) {
        return Err(DocumentError::NoTextLayer);
    }
    Ok(text)
}

/// The text with radicals read for whole characters folded to those characters.
fn fold_radicals(text: &str) -> String {
    text.chars()
        .flat_map(|c| -> Box<dyn Iterator<Item = char>> {
            match c {
                '\u{2F00}'..='\u{2FDF}' => Box::new(std::iter::once(c).nfkc()),
                '\u{2E80}'..='\u{2EFF}' => Box::new(std::iter::once(
                    SUPPLEMENT
                        .iter()
                        .find(|(r, _)| *r == c)
                        .map_or(c, |(_, full)| *full),
                )),
                _ => Box::new(std::iter::once(c)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radicals_a_cjk_font_maps_glyphs_to_read_as_their_characters() {
        // What the text layer of a browser-printed PDF in Noto Sans CJK gives.
        assert_eq!(
            fold_radicals("开⼯建设⻓滨路慢⾏通道，完善通远⻔周边停⻋配套"),
            "开工建设长滨路慢行通道，完善通远门周边停车配套"
        );
    }

    #[test]
    fn a_file_that_is_not_a_pdf_says_so() {
        assert!(matches!(text(b"PK\x03\x04"), Err(DocumentError::BadPdf(_))));
        assert!(matches!(
            text(b"%PDF-1.7\nthe rest is missing"),
            Err(DocumentError::BadPdf(_))
        ));
    }
}
