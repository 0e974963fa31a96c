//! What a report is, as opposed to what it says: its title, district, year and kind (work
//! report, plan, news …), so several reports can be listed, chosen and put in time order.
//!
//! Input: the report id (its file name without `.txt`), its raw text and, optionally, the
//! bytes of a `NAME.meta.json` file beside it. Output: a [`ReportMeta`]. Each field is read
//! from the first source that states it: the metadata file (a person wrote it on purpose, so
//! it overrides a guess), then the text's own title line (`重庆市渝中区人民政府工作报告（2024年）`,
//! `2025年政府工作报告`), then the file name (`yuzhong-2024`). What none of them states stays
//! empty (`None`): a year is never guessed from a date inside the body, which names past and
//! future years alike. No I/O.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a report's metadata file could not be read.
#[derive(Debug, Error)]
pub enum MetaError {
    /// The `.meta.json` file is not the JSON object we expect.
    #[error(
        "{file}: not a report metadata object ({reason}); expected {{\"title\", \"district\", \"year\", \"kind\"}}, each optional"
    )]
    BadFile {
        /// File name.
        file: String,
        /// What the JSON reader said.
        reason: String,
    },
}

/// What a report is: the facts a list of reports shows and sorts by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportMeta {
    /// Report id: the file name without `.txt`, e.g. `yuzhong-2025`.
    pub id: String,
    /// Its title as the text (or the metadata file) gives it; the id when neither does.
    pub title: String,
    /// The district it is about (渝中区), when stated; from a file name, its place part
    /// (`yuzhong`).
    pub district: Option<String>,
    /// The year it is for (the year of the work it plans), when stated.
    pub year: Option<i32>,
    /// What kind of text it is: 工作报告, 规划, 行动计划, 通知, 新闻, or 其他.
    pub kind: String,
    /// Where each field came from, for a curator: `meta`, `text`, `file` or `none`.
    pub sources: MetaSources,
}

/// Where each field of a [`ReportMeta`] was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetaSources {
    /// Source of the title.
    pub title: &'static str,
    /// Source of the district.
    pub district: &'static str,
    /// Source of the year.
    pub year: &'static str,
    /// Source of the kind.
    pub kind: &'static str,
}

/// The fields a `NAME.meta.json` may give; every one optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    title: Option<String>,
    district: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
}

/// Kinds of text by the words of their title, first match wins (a 规划工作报告 is a report).
const KINDS: &[(&str, &str)] = &[
    ("工作报告", "工作报告"),
    ("报告", "工作报告"),
    ("行动计划", "行动计划"),
    ("行动方案", "行动计划"),
    ("实施方案", "行动计划"),
    ("规划", "规划"),
    ("纲要", "规划"),
    ("通知", "通知"),
    ("意见", "通知"),
    ("新闻", "新闻"),
    ("记者", "新闻"),
    ("讯", "新闻"),
];

/// The metadata file name that belongs to a report file (`yuzhong-2024.txt` →
/// `yuzhong-2024.meta.json`).
#[must_use]
pub fn meta_file_name(report_id: &str) -> String {
    format!("{report_id}.meta.json")
}

/// Reads a report's metadata from its metadata file (if any), its text and its id.
///
/// # Errors
/// [`MetaError::BadFile`] when a metadata file is given but is not the expected object.
pub fn read_meta(id: &str, text: &str, meta_file: Option<&[u8]>) -> Result<ReportMeta, MetaError> {
    let file: MetaFile = match meta_file {
        None => MetaFile::default(),
        Some(bytes) => serde_json::from_slice(bytes).map_err(|e| MetaError::BadFile {
            file: meta_file_name(id),
            reason: e.to_string(),
        })?,
    };
    let head = title_line(text);
    let from_text = head.as_deref().map(TitleFacts::read).unwrap_or_default();
    let from_name = NameFacts::read(id);

    let (title, title_src) = pick([(file.title.clone(), "meta"), (head.clone(), "text")])
        .unwrap_or_else(|| (id.to_string(), "file"));
    let (district, district_src) = pick([
        (file.district.clone(), "meta"),
        (from_text.district, "text"),
        (from_name.district, "file"),
    ])
    .map_or((None, "none"), |(v, s)| (Some(v), s));
    let (year, year_src) = pick([
        (file.year, "meta"),
        (from_text.year, "text"),
        (from_name.year, "file"),
    ])
    .map_or((None, "none"), |(v, s)| (Some(v), s));
    let (kind, kind_src) = pick([(file.kind.clone(), "meta"), (from_text.kind, "text")])
        .unwrap_or_else(|| ("其他".to_string(), "none"));
    Ok(ReportMeta {
        id: id.to_string(),
        title,
        district,
        year,
        kind,
        sources: MetaSources {
            title: title_src,
            district: district_src,
            year: year_src,
            kind: kind_src,
        },
    })
}

/// The first source that has a value.
fn pick<T, const N: usize>(sources: [(Option<T>, &'static str); N]) -> Option<(T, &'static str)> {
    sources.into_iter().find_map(|(v, s)| v.map(|v| (v, s)))
}

/// The text's title: its first non-empty line, when it reads like a title (short, and naming
/// a report, plan or the like), without a newspaper's carry-over note (`（上接2版）`).
fn title_line(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .find(|l| !l.is_empty())?;
    let line = strip_carry_over(line);
    let short = line.chars().count() <= 60;
    let titled = KINDS.iter().any(|(w, _)| line.contains(w));
    (short && titled && !line.ends_with('。')).then(|| line.to_string())
}

/// The title without a trailing `（上接N版）` / `(接上版)` note, which is typesetting.
fn strip_carry_over(line: &str) -> &str {
    for open in ['（', '('] {
        if let Some(i) = line.rfind(open) {
            let note = &line[i..];
            if note.contains('接') && note.contains('版') {
                return line[..i].trim_end();
            }
        }
    }
    line
}

/// What a title line says of district, year and kind.
#[derive(Debug, Default)]
struct TitleFacts {
    district: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
}

impl TitleFacts {
    fn read(title: &str) -> TitleFacts {
        TitleFacts {
            district: district_in(title),
            year: year_in(title),
            kind: KINDS
                .iter()
                .find(|(w, _)| title.contains(w))
                .map(|(_, k)| (*k).to_string()),
        }
    }
}

/// The district a title names: the 区 or 县 just before 人民政府 (or the title's first 区/县
/// after a 市), e.g. 渝中区 in 重庆市渝中区人民政府工作报告.
fn district_in(title: &str) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    let end = chars.iter().position(|&c| c == '区' || c == '县')?;
    // The proper part is the run of Han characters before it, after the city (重庆市), the
    // year (2026年) or the title's start.
    let start = chars[..end]
        .iter()
        .rposition(|&c| !is_han(c) || matches!(c, '市' | '省' | '年'))
        .map_or(0, |i| i + 1);
    let name: String = chars[start..=end].iter().collect();
    // 2–4 chars of proper name (渝中, 沙坪坝, 九龙坡): longer is a phrase, not a district.
    (2..=4).contains(&(end - start)).then_some(name)
}

/// The year a title states: four digits followed by 年 (`（2024年）`, `2025年政府工作报告`).
fn year_in(title: &str) -> Option<i32> {
    let chars: Vec<char> = title.chars().collect();
    chars.windows(5).find_map(|w| {
        (w[4] == '年' && w[..4].iter().all(char::is_ascii_digit))
            .then(|| w[..4].iter().collect::<String>().parse().ok())
            .flatten()
            .filter(|y| (1949..=2100).contains(y))
    })
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// What a file name says: `yuzhong-2024` → district `yuzhong`, year 2024.
#[derive(Debug, Default)]
struct NameFacts {
    district: Option<String>,
    year: Option<i32>,
}

impl NameFacts {
    fn read(id: &str) -> NameFacts {
        let parts: Vec<&str> = id.split(['-', '_', '.', ' ']).collect();
        let year = parts.iter().find_map(|p| {
            (p.len() == 4 && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse::<i32>().ok())
                .flatten()
                .filter(|y| (1949..=2100).contains(y))
        });
        let district = parts
            .iter()
            .find(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit()))
            .map(|p| (*p).to_string());
        NameFacts { district, year }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_with_its_year_in_brackets_gives_district_year_and_kind() {
        let m = read_meta("a", "重庆市渝中区人民政府工作报告（2024年）\n正文。", None).unwrap();
        assert_eq!(m.title, "重庆市渝中区人民政府工作报告（2024年）");
        assert_eq!(m.district.as_deref(), Some("渝中区"));
        assert_eq!(m.year, Some(2024));
        assert_eq!(m.kind, "工作报告");
        assert_eq!(m.sources.year, "text");
    }

    #[test]
    fn a_year_leading_the_title_is_read() {
        let m = read_meta("x", "2025年政府工作报告\n", None).unwrap();
        assert_eq!(m.year, Some(2025));
        assert_eq!(m.district, Some("x".into()), "the file name's place part");
        let m = read_meta("y", "2026年渝中区政府工作报告\n", None).unwrap();
        assert_eq!(m.district.as_deref(), Some("渝中区"));
    }

    #[test]
    fn the_newspaper_carry_over_note_is_not_part_of_the_title_and_the_file_name_gives_the_year() {
        let m = read_meta(
            "yuzhong-2025",
            " 重庆市渝中区人民政府工作报告（上接2版）\n促进发展。",
            None,
        )
        .unwrap();
        assert_eq!(m.title, "重庆市渝中区人民政府工作报告");
        assert_eq!(m.year, Some(2025));
        assert_eq!(m.sources.year, "file");
        assert_eq!(m.district.as_deref(), Some("渝中区"));
    }

    #[test]
    fn a_body_sentence_is_not_taken_for_a_title_nor_its_years_for_the_report_year() {
        let m = read_meta("notes", "2019年以来，我们建成了十八梯。\n", None).unwrap();
        assert_eq!(m.title, "notes");
        assert_eq!(m.year, None);
        assert_eq!(m.kind, "其他");
    }

    #[test]
    fn a_metadata_file_overrides_what_the_text_and_name_suggest() {
        let m = read_meta(
            "yuzhong-2024",
            "重庆市渝中区人民政府工作报告（2024年）\n",
            Some(r#"{"year": 2023, "kind": "新闻"}"#.as_bytes()),
        )
        .unwrap();
        assert_eq!(m.year, Some(2023));
        assert_eq!(m.kind, "新闻");
        assert_eq!(m.sources.kind, "meta");
        assert_eq!(m.district.as_deref(), Some("渝中区"));
    }

    #[test]
    fn a_bad_metadata_file_is_an_error_naming_it() {
        let e = read_meta("r-2024", "", Some(br#"{"yeer": 2024}"#)).unwrap_err();
        assert!(e.to_string().starts_with("r-2024.meta.json:"), "{e}");
    }
}
