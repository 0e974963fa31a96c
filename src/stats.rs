//! How much of the map is sourced: planned features counted by layer and by how they were
//! placed (match type), with the median positional uncertainty in metres. Input: the planned
//! features; output: a typed [`Stats`] table whose `Display` is the Markdown table of the README
//! (`planmap stats`).

use std::fmt;

use crate::plan::{Layer, MatchType, PlannedFeature};

/// The match types in column order: the automatic tiers most trusted first, then `curated`
/// (planners' corrections, issue #13).
pub const COLUMNS: [MatchType; 6] = [
    MatchType::Exact,
    MatchType::Alias,
    MatchType::Anchor,
    MatchType::PartOf,
    MatchType::Unlocated,
    MatchType::Curated,
];

/// The column of a match type in [`COLUMNS`]. Exhaustive on purpose: a new match type does not
/// compile until it has a column, so it can never go uncounted.
fn column(m: MatchType) -> usize {
    match m {
        MatchType::Exact => 0,
        MatchType::Alias => 1,
        MatchType::Anchor => 2,
        MatchType::PartOf => 3,
        MatchType::Unlocated => 4,
        MatchType::Curated => 5,
    }
}

/// One row: the features of one layer, or of all layers.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRow {
    /// `zones`, `streets`, `projects`, or `all`.
    pub layer: String,
    /// Features per match type, in the order of [`COLUMNS`].
    pub by_match: [usize; COLUMNS.len()],
    /// All features of the row.
    pub all: usize,
    /// Median `uncertainty_m` of the features that have one (the upper median for an even
    /// count), metres; `None` when none has.
    pub median_uncertainty_m: Option<f64>,
}

/// The table: one row per layer, then the row of all features.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Rows in the order of [`Layer::ALL`], then `all`.
    pub rows: Vec<StatsRow>,
}

impl Stats {
    /// Counts `features` by layer and match type.
    #[must_use]
    pub fn of<'a, F: AsRef<PlannedFeature> + 'a>(
        features: impl IntoIterator<Item = &'a F>,
    ) -> Stats {
        let features: Vec<&PlannedFeature> = features.into_iter().map(AsRef::as_ref).collect();
        let mut rows: Vec<StatsRow> = Layer::ALL
            .iter()
            .map(|layer| {
                let of_layer: Vec<&PlannedFeature> = features
                    .iter()
                    .copied()
                    .filter(|f| f.layer == *layer)
                    .collect();
                row(layer.as_str(), &of_layer)
            })
            .collect();
        rows.push(row("all", &features));
        Stats { rows }
    }
}

fn row(layer: &str, features: &[&PlannedFeature]) -> StatsRow {
    let mut by_match = [0; COLUMNS.len()];
    for f in features {
        by_match[column(f.location.match_type)] += 1;
    }
    let mut uncertainties: Vec<f64> = features
        .iter()
        .filter_map(|f| f.location.uncertainty_m)
        .collect();
    uncertainties.sort_by(f64::total_cmp);
    StatsRow {
        layer: layer.to_string(),
        by_match,
        all: features.len(),
        median_uncertainty_m: uncertainties.get(uncertainties.len() / 2).copied(),
    }
}

impl fmt::Display for Stats {
    /// The Markdown table: `| layer | exact | … | unlocated | all | median uncertainty_m |`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "| layer |")?;
        for m in COLUMNS {
            write!(f, " {} |", m.as_str())?;
        }
        writeln!(f, " all | median uncertainty_m |")?;
        writeln!(f, "|---|{}---|---|", "---|".repeat(COLUMNS.len()))?;
        for row in &self.rows {
            write!(f, "| {} |", row.layer)?;
            for n in row.by_match {
                write!(f, " {n} |")?;
            }
            match row.median_uncertainty_m {
                Some(u) => writeln!(f, " {} | {u:.0} |", row.all)?,
                None => writeln!(f, " {} | - |", row.all)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Atlas;

    fn seed_stats() -> Stats {
        let atlas = Atlas::build(&crate::defaults::geodata(), &crate::defaults::seeds())
            .expect("the default data builds");
        Stats::of(&atlas.features)
    }

    #[test]
    fn every_seed_feature_is_counted_once_in_its_layer_and_once_in_all() {
        let stats = seed_stats();
        let (layers, all) = stats.rows.split_at(Layer::ALL.len());
        let all = &all[0];
        assert_eq!(all.layer, "all");
        assert!(all.all > 0, "the seed plans something");
        assert_eq!(layers.iter().map(|r| r.all).sum::<usize>(), all.all);
        for r in &stats.rows {
            assert_eq!(r.by_match.iter().sum::<usize>(), r.all, "row {}", r.layer);
        }
        for i in 0..COLUMNS.len() {
            assert_eq!(
                layers.iter().map(|r| r.by_match[i]).sum::<usize>(),
                all.by_match[i]
            );
        }
    }

    #[test]
    fn the_median_is_taken_over_the_features_that_have_an_uncertainty() {
        let atlas = Atlas::build(&crate::defaults::geodata(), &crate::defaults::seeds())
            .expect("the default data builds");
        let mut located: Vec<f64> = atlas
            .features
            .iter()
            .filter_map(|f| f.location.uncertainty_m)
            .collect();
        located.sort_by(f64::total_cmp);
        let stats = Stats::of(&atlas.features);
        let all = stats.rows.last().expect("the all row");
        assert_eq!(
            all.median_uncertainty_m,
            located.get(located.len() / 2).copied()
        );
        assert!(
            Stats::of::<std::sync::Arc<PlannedFeature>>(&[])
                .rows
                .iter()
                .all(|r| r.median_uncertainty_m.is_none())
        );
    }

    #[test]
    fn the_table_has_a_header_a_rule_and_one_line_per_row() {
        let stats = seed_stats();
        let text = stats.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + stats.rows.len());
        assert!(lines[0].starts_with("| layer | exact | alias | anchor | part_of | unlocated |"));
        let columns = |l: &str| l.matches('|').count();
        assert!(lines.iter().all(|l| columns(l) == columns(lines[0])));
        assert!(lines[2].starts_with("| zones |"));
        assert!(lines.last().expect("a row").starts_with("| all |"));
    }
}
