//! What the HTTP layer asks of the live map after a write: the new served store
//! ([`LiveMap`]) and the statistics of how far planners moved the automatic placements.
//!
//! Inputs: distances in metres between the automatic and the corrected placement, by the
//! automatic match tier. Outputs: [`TierStats`] (count, median, 90th percentile) and the
//! [`LiveMap`] trait the server calls after every acknowledged write. The `api` module knows
//! only this and the store traits; `main` builds the map from the atlas.

use std::sync::Arc;

use serde::Serialize;

use super::changes::{ChangeEntry, EditStore, StoredReport};
use super::feature::FeatureStore;

/// How good one automatic match tier was, judged by the planners' corrections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierStats {
    /// The automatic match type (`exact`, `alias`, `anchor`, `part_of`, `unlocated`).
    #[serde(rename = "match")]
    pub match_type: String,
    /// Planned features the automatic placement put in this tier.
    pub features: usize,
    /// Of those, how many have a live correction.
    pub corrected: usize,
    /// Of the corrected, how many had an automatic geometry to measure from (an unlocated
    /// feature has none, so it counts as corrected but not measured).
    pub measured: usize,
    /// Median distance in metres between the automatic and the corrected placement; `None`
    /// when nothing was measured. The mean of the two middle values for an even count.
    pub median_m: Option<f64>,
    /// 90th percentile of those distances in metres, nearest rank (the ⌈0.9·n⌉-th smallest).
    pub p90_m: Option<f64>,
}

impl TierStats {
    /// The statistics of one tier from its counts and its measured distances (any order).
    #[must_use]
    pub fn new(
        match_type: &str,
        features: usize,
        corrected: usize,
        mut distances_m: Vec<f64>,
    ) -> TierStats {
        distances_m.retain(|d| d.is_finite());
        distances_m.sort_by(f64::total_cmp);
        TierStats {
            match_type: match_type.to_owned(),
            features,
            corrected,
            measured: distances_m.len(),
            median_m: median(&distances_m),
            p90_m: nearest_rank(&distances_m, 0.9),
        }
    }
}

/// The median of sorted values: the middle one, or the mean of the two middle ones.
#[must_use]
pub fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some(f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])),
    }
}

/// The `q` quantile of sorted values by nearest rank: the ⌈q·n⌉-th smallest (1-based).
#[must_use]
pub fn nearest_rank(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "q is in 0..=1 and n is a count far below 2^52, so the rank is a small positive whole number"
    )]
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    Some(sorted[rank - 1])
}

/// The live map the editing routes change: after the store acknowledges a write, the map
/// applies that change (and any other the log holds since the last one applied) and hands
/// back the store to serve. Implemented by the atlas; the API knows only this trait.
pub trait LiveMap: Send {
    /// Applies one acknowledged change, reading its state from `store` by its key; the
    /// store to serve now.
    ///
    /// # Errors
    /// The store cannot be read, or the change cannot be applied; a sentence for the log.
    fn apply(
        &mut self,
        change: &ChangeEntry,
        store: &dyn EditStore,
    ) -> Result<Arc<dyn FeatureStore>, String>;

    /// The store as now served.
    fn served(&self) -> Arc<dyn FeatureStore>;

    /// Per automatic match tier, how far corrections moved it.
    fn stats(&self) -> Vec<TierStats>;

    /// Whether a report id is a read-only `--seeds` report (`Some(true)`), an upload
    /// (`Some(false)`), or unknown (`None`).
    fn is_seed(&self, report: &str) -> Option<bool>;

    /// The newest change applied (0 before any).
    fn change(&self) -> u64;

    /// A copy of what reading an upload needs (the reader, the verdicts, the corrections and
    /// the map as they are now), for a dry run to read from after the writer lock is let go:
    /// the lock is held for this copy (shared structures, milliseconds), not for reading the
    /// text (seconds for a long report).
    fn previewer(&self) -> Box<dyn Previewer>;
}

/// The dry run of an upload, over the live map as it was when the copy was taken.
pub trait Previewer: Send {
    /// What serving `upload` would serve, read without adding it: JSON with its summary as
    /// `/api/reports` would list it, counts per layer, the unlocated places with their quotes
    /// and every feature read. Changes nothing.
    ///
    /// # Errors
    /// The report cannot be read; a sentence.
    fn preview(&self, upload: &StoredReport) -> Result<serde_json::Value, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 4.0]), Some(2.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn the_90th_percentile_is_the_nearest_rank() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 0.9), Some(9.0));
        assert_eq!(nearest_rank(&v[..1], 0.9), Some(1.0));
        let eleven: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(nearest_rank(&eleven, 0.9), Some(10.0));
    }

    #[test]
    fn unmeasurable_distances_are_left_out_of_the_statistics() {
        let s = TierStats::new("anchor", 5, 3, vec![30.0, f64::NAN, 10.0]);
        assert_eq!(s.measured, 2);
        assert_eq!(s.median_m, Some(20.0));
    }
}
