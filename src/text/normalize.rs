//! Normalisation of newspaper-typeset report text, keeping a map back to the original.
//!
//! Input: the raw UTF-8 text as received. Output: [`Normalized`]: the normalised text, one
//! `\n` per real paragraph end, and for each of its chars the char offset in the raw text.
//!
//! What it does, in order: Traditional → Simplified where the document or paragraph is
//! Traditional ([`super::script`], with its own offset map), then per char:
//! NFKC for letters, digits and symbols but not for the CJK full-width punctuation that carries
//! Chinese sentence and list grammar (，。：；！？（）、), one dash style (—) and one quote
//! style (“”), spaces dropped unless they separate two ASCII words. Line breaks are layout:
//! the newspaper breaks lines inside words (`现\n代化`) and puts blank lines at column breaks,
//! so every line break is removed except where a short line ends a paragraph or a heading.

use unicode_normalization::UnicodeNormalization;

use super::{is_cjk, is_cn_numeral};

/// Normalised report text with a char-level map back to the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text; paragraphs are separated by `\n`.
    pub text: String,
    /// For each char of `text`, the char offset of its origin in the raw text.
    pub origin: Vec<usize>,
}

impl Normalized {
    /// The raw-text char offset of a normalised char offset (one past the end maps past the
    /// last origin).
    #[must_use]
    pub fn original_offset(&self, normalised: usize) -> usize {
        match self.origin.get(normalised) {
            Some(&o) => o,
            None => self.origin.last().map_or(0, |&o| o + 1),
        }
    }
}

/// Full-width punctuation that Chinese grammar relies on; kept as written.
fn is_cjk_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '：' | '；' | '！' | '？' | '（' | '）' | '、' | '《' | '》' | '【' | '】'
    )
}

/// Ends a sentence or a paragraph.
fn ends_paragraph(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '”' | '：' | '）' | '…')
}

/// Whether a line holds punctuation that ends or divides a sentence (，。；！？ or their ASCII
/// forms; an ASCII full stop only after a non-digit, so `1.` numbering and `2.5` are not).
fn has_sentence_punctuation(line: &[char]) -> bool {
    line.iter().enumerate().any(|(i, &c)| {
        "，。；！？,;!?".contains(c) || c == '.' && i > 0 && !line[i - 1].is_ascii_digit()
    })
}

/// A conjunction that joins two names of a list (和 与 及 或).
fn is_conjunction(c: char) -> bool {
    matches!(c, '和' | '与' | '及' | '或')
}

/// Normalises one char; may yield zero, one or several chars (NFKC can expand).
fn normalise_char(c: char, out: &mut Vec<char>) {
    match c {
        '\u{2014}' | '\u{2013}' | '\u{2015}' | '\u{2500}' | '\u{FE58}' | '\u{2E3A}' => {
            out.push('—');
        }
        '"' | '\u{201C}' | '\u{300C}' | '\u{300E}' | '\u{FF02}' => out.push('“'),
        '\u{201D}' | '\u{300D}' | '\u{300F}' => out.push('”'),
        '\u{2018}' => out.push('‘'),
        '\u{2019}' => out.push('’'),
        c if is_cjk_punctuation(c) || is_cjk(c) => out.push(c),
        c => out.extend(std::iter::once(c).nfkc()),
    }
}

/// Display width of a line in the newspaper column: ideographs count two, ASCII one.
fn width(line: &str) -> usize {
    line.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// The lines of a text, each with the char offset of its first char.
fn split_lines(chars: &[char]) -> Vec<(usize, Vec<char>)> {
    let mut start = 0usize;
    let mut lines = Vec::new();
    for line in chars.split(|&c| c == '\n') {
        lines.push((start, line.to_vec()));
        start += line.len() + 1;
    }
    lines
}

/// Whether the spaces between `prev` and `next` stay as one space: between two ASCII words
/// always; between two ideographs when they are a `boundary` (an ideographic space, a run of
/// spaces or any space outside prose: a headline's two clauses, a table's columns, 记者 李明),
/// so no name reads through them. Next to a conjunction (花街子和 金汤街) the word already
/// bounds the names.
fn keeps_space(prev: Option<char>, next: char, boundary: bool) -> bool {
    let ascii_words =
        prev.is_some_and(|p| p.is_ascii_alphanumeric()) && next.is_ascii_alphanumeric();
    let cjk_words = boundary
        && prev.is_some_and(|p| is_cjk(p) && !is_conjunction(p))
        && is_cjk(next)
        && !is_conjunction(next);
    ascii_words || cjk_words
}

/// Whether a line opens with the number of an item of a list (`3.南岸区…`, `7、`, `（4）`,
/// `2)`): a new row of a list or a catalogue, never the rest of the line before it, so it
/// starts its own line (a number that goes on as a figure, `2.5亿元`, is no item number).
fn opens_numbered_item(line: &[char]) -> bool {
    let line: Vec<char> = line
        .iter()
        .copied()
        .skip_while(|c| c.is_whitespace())
        .collect();
    let digits = line.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        return line.get(digits).is_some_and(|c| ".．、)）".contains(*c))
            && line.get(digits + 1).is_some_and(|&c| is_cjk(c));
    }
    let open = line.first().is_some_and(|c| "（(".contains(*c));
    let numerals = line
        .iter()
        .skip(usize::from(open))
        .take_while(|&&c| c.is_ascii_digit() || is_cn_numeral(c))
        .count();
    let close = line.get(usize::from(open) + numerals);
    numerals > 0
        && numerals <= 3
        && if open {
            close.is_some_and(|c| "）)".contains(*c))
        } else {
            close == Some(&'、') && line[..numerals].iter().all(|&c| is_cn_numeral(c))
        }
}

/// Whether a line is a stamp of a post or a page rather than prose: short, without sentence
/// punctuation, carrying a date written 2026-12-01 (`4楼　用户名　2026-12-02 23:05`). It is a
/// line of its own: neither the reply before nor the one after runs into it.
fn is_stamp_line(line: &[char]) -> bool {
    let dated = line.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
    });
    dated && line.len() <= 40 && !has_sentence_punctuation(line)
}

/// Letters of pinyin with or without its tone marks.
fn is_pinyin_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüÜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ".contains(c)
}

/// Which chars of a line are pinyin in brackets right after an ideograph (小什字（Xiǎoshízì）,
/// 國(guó)際, 江北區(qū)的): a reading aid that reposts and gateways insert after a name or
/// inside a word, which no name or word goes on through. Pinyin carries at least one tone
/// mark; an English word in brackets after a name (（CBD）) has none and is kept.
fn pinyin_in_brackets(line: &[char]) -> Vec<bool> {
    let mut out = vec![false; line.len()];
    let mut i = 1;
    while i < line.len() {
        if "(（".contains(line[i]) && is_cjk(line[i - 1]) {
            let body = line[i + 1..]
                .iter()
                .take_while(|c| is_pinyin_letter(**c) || " '’".contains(**c))
                .count();
            let close = i + 1 + body;
            let toned = line[i + 1..close]
                .iter()
                .any(|c| !c.is_ascii() && is_pinyin_letter(*c));
            if body > 0 && toned && line.get(close).is_some_and(|c| ")）".contains(*c)) {
                out[i..=close].iter_mut().for_each(|x| *x = true);
                i = close + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether a line is a row of a pipe table (序号 | 项目名称 | 实施主体): two bars or more.
fn is_table_row(line: &[char]) -> bool {
    line.iter().filter(|&&c| c == '|').count() >= 2
}

/// Whether a table row is followed by another: the rows of a pipe table, its header among
/// them, are read together.
fn table_goes_on(line: &[char], rest: &[(usize, Vec<char>)]) -> bool {
    is_table_row(line)
        && rest
            .iter()
            .find(|(_, l)| l.iter().any(|c| !c.is_whitespace()))
            .is_some_and(|(_, l)| is_table_row(l))
}

/// Whether a line that starts a paragraph is a heading of what follows: a title, a section or
/// table header or a caption label, short and without sentence punctuation. `short` says it is
/// shorter than a full column line; `own` is its width; `rest` and `rest_widths` are the lines
/// after it.
fn is_heading_line(
    line: &[char],
    short: bool,
    own: usize,
    rest: &[(usize, Vec<char>)],
    rest_widths: &[usize],
) -> bool {
    // Web copy puts a whole paragraph on a line, so its median line is no column width; a
    // line at most half as wide as the next one is short beside it all the same.
    let next = rest_widths.iter().copied().find(|&w| w > 0);
    let short_beside_next = next.is_some_and(|n| own * 2 <= n);
    // A pipe-table row is no heading: the reader reads a table's header with its rows.
    // 发\n展。: a next line whose first clause is one char is the rest of this line's last
    // word (a column line set narrower for a bold title), so this line is no heading.
    let next_finishes_word = rest
        .iter()
        .map(|(_, l)| {
            l.iter()
                .copied()
                .skip_while(|c| c.is_whitespace())
                .take(2)
                .collect::<Vec<char>>()
        })
        .find(|l| !l.is_empty())
        .is_some_and(|l| {
            l.len() == 2 && is_cjk(l[0]) && !is_cn_numeral(l[0]) && "，。；！？、".contains(l[1])
        });
    (short || short_beside_next)
        && !is_table_row(line)
        && !next_finishes_word
        && !has_sentence_punctuation(line)
}

/// The display width of a line without its trailing spaces.
fn line_width(line: &[char]) -> usize {
    width(line.iter().collect::<String>().trim_end())
}

/// The width of a full column line: the median width of the non-empty lines (a paragraph's
/// last line is shorter).
fn full_column_width(lines: &[(usize, Vec<char>)]) -> usize {
    let mut widths: Vec<usize> = lines
        .iter()
        .map(|(_, l)| width(&l.iter().collect::<String>()))
        .filter(|&w| w > 0)
        .collect();
    widths.sort_unstable();
    widths.get(widths.len() / 2).copied().unwrap_or(0)
}

/// Normalises raw report text. Never panics; empty input gives empty output.
#[must_use]
pub fn normalize(raw: &str) -> Normalized {
    // Traditional → Simplified first, only where the text is Traditional; `map` takes an
    // offset in the converted text back to the raw text.
    let converted = super::script::to_simplified(raw);
    let map = |at: usize| -> usize {
        converted
            .origin
            .get(at)
            .copied()
            .unwrap_or_else(|| converted.origin.last().map_or(0, |&o| o + 1))
    };
    let lines = split_lines(&converted.chars);
    let full = full_column_width(&lines);

    let mut text: Vec<char> = Vec::with_capacity(raw.len() / 2);
    let mut origin: Vec<usize> = Vec::with_capacity(raw.len() / 2);
    let mut in_heading = false;
    let mut paragraph_start = true;
    let mut first_line = true;
    let mut buf = Vec::new();
    let line_widths: Vec<usize> = lines.iter().map(|(_, l)| line_width(l)).collect();
    for (index, (line_start, chars)) in lines.iter().enumerate() {
        let trimmed_end = chars
            .iter()
            .rposition(|c| !c.is_whitespace())
            .map_or(0, |p| p + 1);
        if trimmed_end == 0 {
            continue; // a blank line is a column break, not a paragraph end
        }
        // A numbered item of a list ends the line before it (rows of a catalogue joined into
        // one sentence would read one row's district label into the next rows).
        let stamp = is_stamp_line(&chars[..trimmed_end]);
        if (stamp || opens_numbered_item(&chars[..trimmed_end]))
            && text.last().is_some_and(|&c| c != '\n')
        {
            text.push('\n');
            origin.push(map(*line_start));
            (paragraph_start, in_heading) = (true, false);
        }
        // The line starts a paragraph, or at least a sentence (a long web-copy line ending in
        // 。 is not broken after, but what follows it starts anew).
        let starts_paragraph = paragraph_start || text.last().copied().is_some_and(ends_paragraph);
        // Prose with sentence punctuation pads names with single spaces in web copy (对 上大田湾
        // 片区); a line without it (a headline, a table row, a label) separates words by them.
        let prose = has_sentence_punctuation(&chars[..trimmed_end]);
        let mut pending_space: Option<usize> = None;
        let pinyin = pinyin_in_brackets(&chars[..trimmed_end]);
        let kept = chars[..trimmed_end]
            .iter()
            .enumerate()
            .filter(|(i, _)| !pinyin[*i]);
        for (i, &c) in kept {
            let at = line_start + i;
            if c.is_whitespace() {
                // A line's indent is layout, not a boundary between two words.
                if i > 0 && !chars[..i].iter().all(|c| c.is_whitespace()) {
                    pending_space = pending_space.or(Some(at));
                }
                continue;
            }
            buf.clear();
            normalise_char(c, &mut buf);
            for &n in &buf {
                if let Some(space_at) = pending_space.take() {
                    let run = &chars[space_at - line_start..i];
                    let boundary = run.len() > 1 || run.contains(&'\u{3000}') || !prose;
                    if keeps_space(text.last().copied(), n, boundary) {
                        text.push(' ');
                        origin.push(map(space_at));
                    }
                }
                // A heading starts where a paragraph or sentence ends and （N） or N、 follows.
                if paragraph_start || text.last().is_some_and(|&p| "。！？".contains(p)) {
                    in_heading = n == '（' && chars.get(i + 1).copied().is_some_and(is_cn_numeral)
                        || is_cn_numeral(n) && chars.get(i + 1) == Some(&'、');
                }
                text.push(n);
                origin.push(map(at));
                paragraph_start = false;
            }
        }
        let own = line_widths[index];
        // 90% leaves room for lines that end early because of a wide ASCII run.
        let short = own * 100 < full * 90;
        let last = text.last().copied();
        let heading_like = starts_paragraph
            && is_heading_line(
                &chars[..trimmed_end],
                short,
                own,
                &lines[index + 1..],
                &line_widths[index + 1..],
            );
        let breaks = !table_goes_on(chars, &lines[index + 1..])
            && (heading_like
                || stamp
                || short && (first_line || in_heading || last.is_some_and(ends_paragraph)))
            && last != Some('\n');
        if breaks {
            text.push('\n');
            origin.push(map(line_start + trimmed_end));
            in_heading = false;
            paragraph_start = true;
        }
        first_line = false;
    }
    let kept = text.len() - text.iter().rev().take_while(|&&c| c == '\n').count();
    text.truncate(kept);
    origin.truncate(kept);
    Normalized {
        text: text.into_iter().collect(),
        origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three lines of a 20-char column: a word broken across lines, a blank column break,
    /// then a short line that ends the paragraph.
    const COLUMN: &str = "加快推动建筑业“现代化、智能化、绿色化”变\n革，引育设计咨询、工程检测、智能建造等示\n\n范企业５家，支持重点企业创新“总部+基地”\n模式走出去。\n下一段开始了这里是很长很长很长很长的文字\n结束。";

    #[test]
    fn layout_line_breaks_inside_words_are_removed() {
        let n = normalize(COLUMN);
        assert!(n.text.contains("“现代化、智能化、绿色化”"), "{}", n.text);
        assert!(
            n.text.contains("工程检测"),
            "blank column break joined: {}",
            n.text
        );
    }

    #[test]
    fn full_width_digits_become_ascii_but_chinese_punctuation_stays() {
        let n = normalize(COLUMN);
        assert!(n.text.contains("示范企业5家，"), "{}", n.text);
        assert!(n.text.contains('，'));
    }

    #[test]
    fn a_short_line_ending_a_sentence_ends_the_paragraph() {
        let n = normalize(COLUMN);
        assert!(n.text.contains("走出去。\n下一段"), "{:?}", n.text);
    }

    #[test]
    fn every_normalised_char_maps_back_to_the_same_raw_char() {
        let n = normalize(COLUMN);
        let raw: Vec<char> = COLUMN.chars().collect();
        for (i, c) in n.text.chars().enumerate() {
            let o = n.origin[i];
            if c.is_ascii_digit() {
                continue; // ５ → 5
            }
            if c != '\n' {
                assert_eq!(raw[o], c, "char {i}");
            }
        }
    }

    /// Every ideograph of the normalised text is the very char of the raw text it maps to.
    fn assert_ideographs_unchanged(raw: &str) {
        let n = normalize(raw);
        let chars: Vec<char> = raw.chars().collect();
        for (i, c) in n.text.chars().enumerate() {
            if super::is_cjk(c) {
                assert_eq!(chars[n.origin[i]], c, "char {i} of the normalised text");
            }
        }
    }

    #[test]
    fn the_seed_comes_out_of_normalisation_with_every_ideograph_unchanged() {
        assert_ideographs_unchanged(include_str!("../../seeds/yuzhong-2025.txt"));
    }

    #[test]
    fn a_simplified_sentence_with_hanwei_road_round_trips() {
        let s = "加快捍卫路、乾坤湾步道和中兴路提升。";
        assert_eq!(normalize(s).text, s);
        assert_ideographs_unchanged(s);
    }

    #[test]
    fn offsets_of_a_converted_traditional_text_still_point_at_its_chars() {
        let raw = "渝中區將推進捍衛路\n改造，較場口站擴容。";
        let n = normalize(raw);
        assert_eq!(n.text, "渝中区将推进捍卫路改造，较场口站扩容。");
        let chars: Vec<char> = raw.chars().collect();
        let at = n.text.chars().position(|c| c == '较').expect("较");
        assert_eq!(chars[n.origin[at]], '較');
    }

    #[test]
    fn traditional_characters_read_as_simplified() {
        assert_eq!(normalize("優化提升").text, "优化提升");
    }

    #[test]
    fn dashes_and_quotes_are_unified() {
        assert_eq!(
            normalize("朝天门–解放碑―通远门「十字金街」").text,
            "朝天门—解放碑—通远门“十字金街”"
        );
    }

    #[test]
    fn spaces_around_numbers_in_chinese_text_are_dropped() {
        assert_eq!(normalize("突破 650 亿元").text, "突破650亿元");
        assert_eq!(normalize("Line 18").text, "Line 18");
    }

    #[test]
    fn an_ideographic_space_or_a_run_of_spaces_between_two_words_stays_a_boundary() {
        assert_eq!(
            normalize("解放碑再添新商户\u{3000}重庆天地二期开街").text,
            "解放碑再添新商户 重庆天地二期开街"
        );
        assert_eq!(
            normalize("整治范围包括较场口  七星岗两处，年底完工。").text,
            "整治范围包括较场口 七星岗两处，年底完工。"
        );
        assert_eq!(
            normalize("大溪沟人行天桥开工 黄花园一带出行更方便").text,
            "大溪沟人行天桥开工 黄花园一带出行更方便"
        );
    }

    #[test]
    fn a_single_space_padding_a_name_in_prose_is_dropped_as_before() {
        assert_eq!(
            normalize("今年将对 凤凰台 片区的挡墙进行加固，对 守备街 沿线进行整治。").text,
            "今年将对凤凰台片区的挡墙进行加固，对守备街沿线进行整治。"
        );
    }

    #[test]
    fn a_space_next_to_a_list_conjunction_adds_no_boundary() {
        assert_eq!(
            normalize("整治山城巷和\u{3000}厚慈街").text,
            "整治山城巷和厚慈街"
        );
    }

    #[test]
    fn a_short_label_line_after_a_finished_sentence_ends_its_paragraph() {
        let raw = "第一站：通远门\n出了七星岗地铁站往前走几步就到通远门，城墙下新开了一家书店。\n第二站：白象街\n白象街往东就是湖广会馆，门口新修了一处广场。";
        let n = normalize(raw);
        assert!(
            n.text.contains("第二站：白象街\n白象街往东"),
            "{:?}",
            n.text
        );
        assert!(n.text.contains("第一站：通远门\n出了"), "{:?}", n.text);
    }

    #[test]
    fn a_narrow_column_line_whose_word_ends_on_the_next_line_is_no_heading() {
        // 20-char column lines; the title line is set narrower and breaks inside 发展.
        let raw = "持续推动重点区域功能优化提升，加快建设步伐。\n加快解放碑中央商务区高端集聚发\n展。优化提升朝天门至通远门的城市中心主轴\n功能，年内完成投资二十亿元以上，打造精品。";
        let n = normalize(raw);
        assert!(n.text.contains("高端集聚发展。"), "{:?}", n.text);
    }

    #[test]
    fn a_numbered_row_of_a_list_starts_its_own_line() {
        // Rows of equal width, as a catalogue sets them: no row is a short heading line.
        let raw = "1.江北区　观音桥商圈步行街改造提升工程\n2.渝中区　白象街传统风貌区三期保护修缮\n（3）渝中区　山城巷传统风貌区二期步道提升\n四、其他事项";
        let n = normalize(raw);
        assert!(n.text.contains("提升工程\n2.渝中区"), "{:?}", n.text);
        assert!(n.text.contains("保护修缮\n（3）渝中区"), "{:?}", n.text);
        assert!(n.text.contains("步道提升\n四、其他"), "{:?}", n.text);
        // A figure that wraps onto the next column line goes on with its sentence.
        let raw = "今年计划完成白象街片区的更新投资\n2.5亿元，并启动山城巷二期。";
        assert!(!normalize(raw).text.contains('\n'));
    }

    #[test]
    fn a_table_header_without_outer_bars_stays_with_its_rows() {
        let raw = "附件 2027年下半城更新项目\n\n序号 | 项目名称 | 实施主体 | 投资（亿元）\n1 | 白象街传统风貌区三期 | 解放碑街道办事处 | 2.6\n2 | 望龙门缆车旧址修缮 | 区文化旅游委 | 0.8";
        let n = normalize(raw);
        assert!(n.text.contains("投资（亿元）1|白象街"), "{:?}", n.text);
    }

    #[test]
    fn a_table_header_stays_with_its_rows() {
        let raw = "附表  白象街片区项目表\n| 序号 | 项目名称 | 责任单位 |\n| 1 | 白象街传统风貌区三期 | 解放碑街道 |\n| 2 | 望龙门缆车旧址修缮 | 望龙门街道 |";
        let n = normalize(raw);
        assert!(n.text.contains("|责任单位||1|白象街"), "{:?}", n.text);
    }

    #[test]
    fn a_dated_post_header_is_a_line_of_its_own() {
        let raw = "楼上说得对，那段梯坎是该修了😂\n5楼　解放碑上班族　2026-12-02 23:05\n改了好，晚上走起来安全些。";
        let n = normalize(raw);
        assert!(
            n.text
                .contains("\n5楼 解放碑上班族2026-12-02 23:05\n改了好"),
            "{:?}",
            n.text
        );
    }

    #[test]
    fn pinyin_in_brackets_after_a_name_or_inside_a_word_is_dropped() {
        let n = normalize("從白象街（Báixiàngjiē）往下走，就到湖廣會(huì)館。");
        assert_eq!(n.text, "从白象街往下走，就到湖广会馆。");
        // An English abbreviation in brackets stays.
        let n = normalize("解放碑中央商务区（CBD）提档升级。");
        assert!(n.text.contains("（CBD）"), "{:?}", n.text);
    }
}
