//! Scoring a reading against a gold list, so a curator checks a new text in one command.
//!
//! Input: a gold list as TSV (header `name\tlayer\tkind\taccept`, one place per line, `accept`
//! the `|`-separated other acceptable forms, `#` lines are comments) and either a text to read
//! or the names already read from it. Output: a [`Score`]: recall (gold places found),
//! precision (names read that are gold places), the missed places and the extra names, in
//! text order. A place counts as found when any name read equals its name or one of its
//! accepted forms; a name read counts as right when it is any form of any gold place.

use std::fmt;

use thiserror::Error;

use super::{Lexicon, parse};
use crate::vocab::Layer;

/// Why a gold list could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum GoldError {
    /// The first non-comment line is not the expected header.
    #[error("gold list: the header must be `name\\tlayer\\tkind\\taccept`, found `{0}`")]
    Header(String),
    /// A line has no name, or fewer than three columns.
    #[error("gold list line {line}: expected `name\\tlayer\\tkind[\\taccept]`, found `{text}`")]
    Line {
        /// 1-based line number.
        line: usize,
        /// The line as written.
        text: String,
    },
    /// A layer that is not zones, streets or projects.
    #[error("gold list line {line}: layer `{layer}` is not zones, streets or projects")]
    Layer {
        /// 1-based line number.
        line: usize,
        /// The layer as written.
        layer: String,
    },
    /// The list names no place at all.
    #[error("gold list: no places listed")]
    Empty,
}

/// One place of a gold list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldPlace {
    /// The fullest form the text writes.
    pub name: String,
    /// The layer it belongs on.
    pub layer: Layer,
    /// Its kind (head word).
    pub kind: String,
    /// Other forms that count as the same place.
    pub accept: Vec<String>,
}

impl GoldPlace {
    /// Whether `name` is this place's name or one of its accepted forms.
    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.accept.iter().any(|a| a == name)
    }
}

/// Reads a gold list. Blank lines and `#` comments are skipped.
///
/// # Errors
/// A wrong header, a short line, an unknown layer, or no places: the first, by line number.
pub fn read_gold(tsv: &str) -> Result<Vec<GoldPlace>, GoldError> {
    let mut lines = tsv
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let header = lines.next().map(|(_, l)| l).unwrap_or_default();
    let columns: Vec<&str> = header.split('\t').map(str::trim).collect();
    if columns.get(..3) != Some(&["name", "layer", "kind"][..]) {
        return Err(GoldError::Header(header.to_string()));
    }
    let mut places = Vec::new();
    for (line, text) in lines {
        let cells: Vec<&str> = text.split('\t').map(str::trim).collect();
        if cells.len() < 3 || cells[0].is_empty() {
            return Err(GoldError::Line {
                line,
                text: text.to_string(),
            });
        }
        let layer = Layer::parse(cells[1]).ok_or_else(|| GoldError::Layer {
            line,
            layer: cells[1].to_string(),
        })?;
        places.push(GoldPlace {
            name: cells[0].to_string(),
            layer,
            kind: cells[2].to_string(),
            accept: cells
                .get(3)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    if places.is_empty() {
        return Err(GoldError::Empty);
    }
    Ok(places)
}

/// How well a reading matches a gold list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    /// Places in the gold list.
    pub gold: usize,
    /// Gold places found.
    pub found: usize,
    /// Distinct names read.
    pub read: usize,
    /// Names read that are a form of a gold place.
    pub right: usize,
    /// Gold places not found, in gold order.
    pub missed: Vec<String>,
    /// Names read that are no gold place, in reading order.
    pub extra: Vec<String>,
}

impl Score {
    /// Share of gold places found (1 for an empty gold list).
    #[must_use]
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.gold)
    }

    /// Share of names read that are gold places (1 when nothing was read).
    #[must_use]
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.read)
    }

    /// Adds another text's score to this one (for a corpus total).
    pub fn add(&mut self, other: &Score) {
        self.gold += other.gold;
        self.found += other.found;
        self.read += other.read;
        self.right += other.right;
        self.missed.extend(other.missed.iter().cloned());
        self.extra.extend(other.extra.iter().cloned());
    }
}

#[expect(
    clippy::cast_precision_loss,
    reason = "counts of names, far below 2^52"
)]
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "recall    {}/{} = {:.1}%",
            self.found,
            self.gold,
            self.recall() * 100.0
        )?;
        writeln!(
            f,
            "precision {}/{} = {:.1}%",
            self.right,
            self.read,
            self.precision() * 100.0
        )?;
        writeln!(
            f,
            "missed ({}): {}",
            self.missed.len(),
            self.missed.join("、")
        )?;
        write!(f, "extra ({}): {}", self.extra.len(), self.extra.join("、"))
    }
}

/// Scores names already read (in reading order; repeats are counted once) against a gold list.
#[must_use]
pub fn score<'a>(names: impl IntoIterator<Item = &'a str>, gold: &[GoldPlace]) -> Score {
    let mut read: Vec<&str> = Vec::new();
    for n in names {
        if !read.contains(&n) {
            read.push(n);
        }
    }
    let missed: Vec<String> = gold
        .iter()
        .filter(|g| !read.iter().any(|n| g.is_named(n)))
        .map(|g| g.name.clone())
        .collect();
    let extra: Vec<String> = read
        .iter()
        .filter(|n| !gold.iter().any(|g| g.is_named(n)))
        .map(|n| (*n).to_string())
        .collect();
    Score {
        gold: gold.len(),
        found: gold.len() - missed.len(),
        read: read.len(),
        right: read.len() - extra.len(),
        missed,
        extra,
    }
}

/// Reads `text` with `lexicon` (the gazetteer's names; an empty one reads by grammar alone)
/// and scores the planned items it finds against the gold list `gold_tsv`.
///
/// # Errors
/// The gold list cannot be read ([`GoldError`]); any text can be read.
pub fn evaluate(text: &str, gold_tsv: &str, lexicon: &Lexicon) -> Result<Score, GoldError> {
    let gold = read_gold(gold_tsv)?;
    let report = parse("gold", text, lexicon);
    Ok(score(report.items.iter().map(|i| i.name.as_str()), &gold))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# a comment\nname\tlayer\tkind\taccept\n较场口\tzones\t口\t较场口站\n民族路\tstreets\t路\t\n人民大礼堂\tprojects\t堂\t大礼堂|人民大礼堂广场\n";

    #[test]
    fn a_gold_list_reads_names_layers_and_accepted_forms() {
        let g = read_gold(GOLD).expect("reads");
        assert_eq!(g.len(), 3);
        assert_eq!(g[2].accept, vec!["大礼堂", "人民大礼堂广场"]);
        assert_eq!(g[1].layer, Layer::Streets);
    }

    #[test]
    fn accepted_forms_count_as_found_and_other_names_as_extra() {
        let g = read_gold(GOLD).expect("reads");
        let s = score(["较场口站", "大礼堂", "我区解放东西路", "大礼堂"], &g);
        assert_eq!((s.found, s.gold, s.right, s.read), (2, 3, 2, 3));
        assert_eq!(s.missed, vec!["民族路"]);
        assert_eq!(s.extra, vec!["我区解放东西路"]);
        assert!((s.recall() - 2.0 / 3.0).abs() < 1e-9);
        let shown = s.to_string();
        assert!(shown.contains("recall    2/3 = 66.7%") && shown.contains("missed (1): 民族路"));
    }

    #[test]
    fn a_bad_gold_list_is_refused_with_its_line() {
        assert!(matches!(
            read_gold("name,layer\n"),
            Err(GoldError::Header(_))
        ));
        assert_eq!(
            read_gold("name\tlayer\tkind\taccept\n民族路\troads\t路\n"),
            Err(GoldError::Layer {
                line: 2,
                layer: "roads".into()
            })
        );
        assert_eq!(read_gold("name\tlayer\tkind\n"), Err(GoldError::Empty));
    }

    #[test]
    fn evaluate_reads_the_text_and_scores_it() {
        let s =
            evaluate("加快民族路和较场口站改造。", GOLD, &Lexicon::default()).expect("gold reads");
        assert_eq!(s.gold, 3);
        assert!(s.missed.contains(&"人民大礼堂".to_string()));
    }
}
