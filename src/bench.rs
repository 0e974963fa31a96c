//! The R-tree against a brute-force scan on deterministic synthetic features (`planmap bench`),
//! and the query walks the criterion benches (`benches/hot_paths.rs`) and `scripts/load.sh`
//! share. Input: a feature count, a query count and a way to read the process's resident
//! memory (the caller's; this module touches no file); output: a typed [`BenchReport`] with
//! times in microseconds, whose `Display` is the command's output.
//!
//! Times are single wall-clock samples per query, so they drift with the machine's load; the
//! criterion benches are the statistically careful measurement.

use std::fmt;
use std::time::{Duration, Instant};

use crate::spatial::{BBox, SpatialIndex, synthetic};

/// Seed of the synthetic features of `planmap bench`, so every run measures the same data.
pub const SYNTHETIC_SEED: u64 = 20_250_101;
/// Near radius of the measured queries, metres.
pub const NEAR_RADIUS_M: f64 = 500.0;
/// Most queries the brute-force scan runs (it is slow by design).
pub const BRUTE_FORCE_QUERIES: usize = 50;
/// Side of the measured bounding boxes, degrees.
pub const BBOX_SIDE_DEG: f64 = 0.01;

/// `n` query points (at least one) walking deterministically over the area of
/// [`synthetic`]: WGS-84 `(lon, lat)`.
#[must_use]
pub fn synthetic_walk(n: usize) -> Vec<(f64, f64)> {
    let n = n.max(1);
    (0..n)
        .map(|i| {
            let f = i as f64 / n as f64;
            (
                106.40 + (f * 37.0).fract() * 0.25,
                29.45 + (f * 11.0).fract() * 0.20,
            )
        })
        .collect()
}

/// The first `n` points of the walk over 渝中区 that `scripts/load.sh` sends to `/api/near`
/// (its Lua script computes the same formula, 1-based): WGS-84 `(lon, lat)`.
#[must_use]
pub fn district_walk(n: u32) -> Vec<(f64, f64)> {
    (1..=n)
        .map(|k| {
            (
                106.49 + f64::from((k * 37) % 1000) / 1000.0 * 0.09,
                29.535 + f64::from((k * 11) % 1000) / 1000.0 * 0.035,
            )
        })
        .collect()
}

/// What one `planmap bench` run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchReport {
    /// Synthetic features indexed.
    pub features: usize,
    /// Queries run on the index (near and bbox each).
    pub queries: usize,
    /// Queries run by the brute-force scan.
    pub brute_queries: usize,
    /// Time to build the index, seconds.
    pub build_s: f64,
    /// Resident memory before and after building, bytes, when known.
    pub rss_before_bytes: Option<u64>,
    /// See `rss_before_bytes`.
    pub rss_after_bytes: Option<u64>,
    /// Near on the index: median and 99th percentile, microseconds.
    pub near_p50_us: f64,
    /// See `near_p50_us`.
    pub near_p99_us: f64,
    /// Features the index's near queries found, summed.
    pub near_found: usize,
    /// Near by brute force: median, microseconds.
    pub brute_p50_us: f64,
    /// Features the brute-force near queries found, summed (over fewer queries).
    pub brute_found: usize,
    /// Bbox on the index: median, microseconds.
    pub bbox_p50_us: f64,
    /// Bbox by brute force: median, microseconds.
    pub bbox_brute_p50_us: f64,
}

/// Builds an index of `features` synthetic features and times `queries` near (500 m, limit
/// 100) and bbox (0.01°) queries on it against a brute-force scan of at most
/// [`BRUTE_FORCE_QUERIES`]. `rss_bytes` reads the process's resident memory, if it can.
#[must_use]
pub fn run(features: usize, queries: usize, rss_bytes: &dyn Fn() -> Option<u64>) -> BenchReport {
    let data = synthetic(features, SYNTHETIC_SEED);
    let rss_before_bytes = rss_bytes();
    let t = Instant::now();
    let index = SpatialIndex::new(data);
    let build = t.elapsed();
    let rss_after_bytes = rss_bytes();
    let points = synthetic_walk(queries);
    let brute_points = &points[..points.len().min(BRUTE_FORCE_QUERIES)];
    let bbox_at = |lon: f64, lat: f64| BBox {
        min_lon: lon,
        min_lat: lat,
        max_lon: lon + BBOX_SIDE_DEG,
        max_lat: lat + BBOX_SIDE_DEG,
    };
    let (mut near, near_found) = time(&points, |lon, lat| {
        index.near(lon, lat, NEAR_RADIUS_M, 100, &|_| true).len()
    });
    let (mut near_brute, brute_found) = time(brute_points, |lon, lat| {
        index
            .near_brute_force(lon, lat, NEAR_RADIUS_M, 100, &|_| true)
            .len()
    });
    let (mut bbox, _) = time(&points, |lon, lat| {
        index.within_bbox(bbox_at(lon, lat)).len()
    });
    let (mut bbox_brute, _) = time(brute_points, |lon, lat| {
        index.within_bbox_brute_force(bbox_at(lon, lat)).len()
    });
    BenchReport {
        features,
        queries: points.len(),
        brute_queries: brute_points.len(),
        build_s: build.as_secs_f64(),
        rss_before_bytes,
        rss_after_bytes,
        near_p50_us: percentile_us(&mut near, 0.5),
        near_p99_us: percentile_us(&mut near, 0.99),
        near_found,
        brute_p50_us: percentile_us(&mut near_brute, 0.5),
        brute_found,
        bbox_p50_us: percentile_us(&mut bbox, 0.5),
        bbox_brute_p50_us: percentile_us(&mut bbox_brute, 0.5),
    }
}

/// Runs `query` at every point: one duration per point, and the sum of what it found.
fn time(points: &[(f64, f64)], query: impl Fn(f64, f64) -> usize) -> (Vec<Duration>, usize) {
    let mut found = 0;
    let samples = points
        .iter()
        .map(|&(lon, lat)| {
            let t = Instant::now();
            found += query(lon, lat);
            t.elapsed()
        })
        .collect();
    (samples, found)
}

/// The `p` quantile (0–1, nearest rank) of `samples` in microseconds; NaN when empty.
fn percentile_us(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort_unstable();
    if samples.is_empty() {
        return f64::NAN;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "p is in 0..=1, so the rank is a small non-negative index"
    )]
    let i = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[i].as_secs_f64() * 1e6
}

impl fmt::Display for BenchReport {
    /// The lines `planmap bench` prints; the last is `key=value` pairs for scripts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: Option<u64>| {
            b.map_or("?".to_string(), |b| {
                format!("{:.0}", b as f64 / 1_048_576.0)
            })
        };
        writeln!(
            f,
            "features={} queries={} brute_queries={}",
            self.features, self.queries, self.brute_queries
        )?;
        writeln!(
            f,
            "build_s={:.3} rss_before_mib={} rss_after_mib={}",
            self.build_s,
            mib(self.rss_before_bytes),
            mib(self.rss_after_bytes)
        )?;
        writeln!(
            f,
            "near 500 m: index p50={:.1}us p99={:.1}us (found {}); brute p50={:.1}us (found {})",
            self.near_p50_us,
            self.near_p99_us,
            self.near_found,
            self.brute_p50_us,
            self.brute_found
        )?;
        writeln!(
            f,
            "bbox 0.01°: index p50={:.1}us; brute p50={:.1}us",
            self.bbox_p50_us, self.bbox_brute_p50_us
        )?;
        writeln!(
            f,
            "near_p50_us={:.1} brute_p50_us={:.1} speedup={:.0}",
            self.near_p50_us,
            self.brute_p50_us,
            self.brute_p50_us / self.near_p50_us
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_and_the_brute_force_scan_find_the_same_features_on_the_same_points() {
        // Queries equal to the brute-force cap: both sides run on the same points.
        let report = run(2_000, BRUTE_FORCE_QUERIES, &|| None);
        assert_eq!(report.queries, BRUTE_FORCE_QUERIES);
        assert_eq!(report.brute_queries, BRUTE_FORCE_QUERIES);
        assert!(report.near_found > 0, "the walk passes synthetic features");
        assert_eq!(report.near_found, report.brute_found);
        assert!(report.near_p50_us <= report.near_p99_us);
    }

    #[test]
    fn the_walks_are_deterministic_and_stay_in_their_areas() {
        assert_eq!(synthetic_walk(100), synthetic_walk(100));
        assert_eq!(synthetic_walk(0).len(), 1);
        for (lon, lat) in synthetic_walk(1_000) {
            assert!((106.40..106.65).contains(&lon) && (29.45..29.65).contains(&lat));
        }
        let district = district_walk(1_000);
        assert_eq!(district.len(), 1_000);
        assert_eq!(district[0], (106.49 + 0.037 * 0.09, 29.535 + 0.011 * 0.035));
        for (lon, lat) in district {
            assert!((106.49..106.58).contains(&lon) && (29.535..29.57).contains(&lat));
        }
    }

    #[test]
    fn the_report_prints_the_key_value_line_scripts_read() {
        let report = run(500, 5, &|| Some(3 * 1_048_576));
        let text = report.to_string();
        assert!(text.contains("rss_before_mib=3 rss_after_mib=3"));
        let last = text.lines().last().expect("lines");
        assert!(last.starts_with("near_p50_us=") && last.contains(" speedup="));
    }
}
