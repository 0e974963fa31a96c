//! `planmap bench --reports N`, second part: what a change costs with N reports loaded
//! (issue #21), against the same with one report.
//!
//! Input: N, the embedded geodata and seed (the N reports are the variants of
//! [`crate::bench_reports::variants`]), and a way to read the process's resident memory.
//! Output: a [`LivingBench`]: per report count, the p50 and p90 of 30 placement corrections
//! (`PUT …/placement`, through the whole router, the store a GeoPackage in a temporary
//! folder with its fsync on every commit) in milliseconds; the resident memory before and
//! after the 30 corrections; and the time of one upload of a seed-sized report
//! (`POST /api/reports`, answered once it is read and served) in seconds. The targets of
//! issue #21: correction p50 at N within 3× of the p50 with one report, memory after 30
//! corrections within 1.3× of memory before, an upload under 1 s.

use std::fmt;
use std::time::Instant;

use crate::api::probe::Probe;
use crate::api::{AppState, Limits};
use crate::atlas::corrections::LiveAtlas;
use crate::bench_reports::variants;
use crate::store::changes::EditStore;
use crate::store::gpkg::GeoPackageStore;
use crate::store::placement::{PlacementStore, Role};

/// Corrections timed per report count.
pub const CORRECTIONS: usize = 30;

/// What one report count measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeCost {
    /// Reports loaded.
    pub reports: usize,
    /// Median correction, milliseconds.
    pub put_p50_ms: f64,
    /// 90th percentile (nearest rank), milliseconds.
    pub put_p90_ms: f64,
    /// Resident memory before the corrections (the store built and its first view served).
    pub rss_start_bytes: Option<u64>,
    /// Resident memory after them.
    pub rss_after_bytes: Option<u64>,
    /// One upload of a seed-sized report, seconds.
    pub upload_s: f64,
}

/// Both report counts.
#[derive(Debug, Clone, PartialEq)]
pub struct LivingBench {
    /// With N reports.
    pub many: ChangeCost,
    /// With one report.
    pub one: ChangeCost,
}

/// Why the bench could not run: a sentence.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LivingBenchError(String);

fn err(e: impl fmt::Display) -> LivingBenchError {
    LivingBenchError(e.to_string())
}

/// Measures with `n` reports, then with one.
///
/// # Errors
/// The temporary store or the atlas cannot be made, or a write is refused.
pub fn run(n: usize, rss: &dyn Fn() -> Option<u64>) -> Result<LivingBench, LivingBenchError> {
    let many = measure(n.max(1), rss)?;
    let one = measure(1, rss)?;
    Ok(LivingBench { many, one })
}

fn measure(n: usize, rss: &dyn Fn() -> Option<u64>) -> Result<ChangeCost, LivingBenchError> {
    let dir = std::env::temp_dir().join(format!(
        "planmap-bench-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let result = measure_in(&dir, n, rss);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn measure_in(
    dir: &std::path::Path,
    n: usize,
    rss: &dyn Fn() -> Option<u64>,
) -> Result<ChangeCost, LivingBenchError> {
    let seed = crate::defaults::seeds()
        .first()
        .and_then(|f| String::from_utf8(f.bytes.clone()).ok())
        .unwrap_or_default();
    let store = std::sync::Arc::new(GeoPackageStore::open(dir).map_err(err)?);
    let token = store.add_token("bench", Role::Editor).map_err(err)?;
    let live = LiveAtlas::open(
        &crate::defaults::geodata(),
        &variants(&seed, n),
        store.as_ref(),
    )
    .map_err(err)?;
    // Features of the newest report, the ones a planner at the page corrects.
    let atlas = std::sync::Arc::clone(live.living().atlas());
    let newest = atlas
        .reports
        .last()
        .map(|r| r.id.clone())
        .unwrap_or_default();
    let targets: Vec<(String, String)> = atlas
        .features
        .iter()
        .filter(|f| f.report == newest)
        .take(CORRECTIONS)
        .map(|f| (f.layer.as_str().to_owned(), f.id.clone()))
        .collect();
    let boundary = atlas.boundary.clone();
    drop(atlas);
    let state = AppState::editable(
        std::sync::Arc::clone(&store) as std::sync::Arc<dyn EditStore>,
        Box::new(live),
        boundary,
        Limits::default(),
    )
    .map_err(err)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(err)?;
    let probe = Probe::new(state);
    runtime.block_on(async {
        // What the page fetches first, so both memory readings include a served map.
        for layer in ["zones", "streets", "projects"] {
            let uri = format!("/api/collections/{layer}/items?limit=10000&crs=gcj02");
            probe.send("GET", &uri, None, None).await;
        }
        let rss_start_bytes = rss();
        let mut times = Vec::with_capacity(targets.len());
        for (k, (layer, id)) in targets.iter().enumerate() {
            let uri = format!(
                "{}/placement",
                crate::atlas::item_path(layer, id)
            );
            #[expect(
                clippy::cast_precision_loss,
                reason = "k is below 30: exact as a float"
            )]
            let body = serde_json::json!({
                "geometry": {"type": "Point", "coordinates": [106.565 + k as f64 * 0.0003, 29.556]},
                "uncertainty_m": 15,
                "source": "bench",
                "note": "bench correction",
            });
            let started = Instant::now();
            let answer = probe.send("PUT", &uri, Some(&token), Some(body.to_string())).await;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            if answer.status != 200 {
                return Err(err(format!(
                    "correction of {id}: {} {}",
                    answer.status,
                    String::from_utf8_lossy(&answer.body)
                )));
            }
        }
        let rss_after_bytes = rss();
        let upload = serde_json::json!({"id": "bench-upload", "text": crate::bench_reports::variant(&seed, n + 1)});
        let started = Instant::now();
        let answer = probe.send("POST", "/api/reports", Some(&token), Some(upload.to_string())).await;
        let upload_s = started.elapsed().as_secs_f64();
        if answer.status != 201 {
            return Err(err(format!("upload: {}", answer.status)));
        }
        times.sort_by(f64::total_cmp);
        Ok(ChangeCost {
            reports: n,
            put_p50_ms: crate::store::corrected::median(&times).unwrap_or(f64::NAN),
            put_p90_ms: crate::store::corrected::nearest_rank(&times, 0.9).unwrap_or(f64::NAN),
            rss_start_bytes,
            rss_after_bytes,
            upload_s,
        })
    })
}

impl LivingBench {
    /// The correction p50 with N reports over the p50 with one (target ≤ 3).
    #[must_use]
    pub fn put_ratio(&self) -> f64 {
        self.many.put_p50_ms / self.one.put_p50_ms
    }

    /// Memory after 30 corrections over memory before, with N reports (target ≤ 1.3).
    #[must_use]
    pub fn rss_ratio(&self) -> Option<f64> {
        #[expect(
            clippy::cast_precision_loss,
            reason = "resident bytes are far below 2^52"
        )]
        Some(self.many.rss_after_bytes? as f64 / self.many.rss_start_bytes? as f64)
    }
}

impl fmt::Display for LivingBench {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: Option<u64>| {
            #[expect(
                clippy::cast_precision_loss,
                reason = "resident bytes are far below 2^52"
            )]
            b.map_or("?".to_owned(), |b| format!("{:.1}", b as f64 / 1_048_576.0))
        };
        for c in [&self.many, &self.one] {
            writeln!(
                f,
                "changes with {} report(s): correction PUT p50 {:.1} ms, p90 {:.1} ms ({CORRECTIONS} corrections); rss {} MiB before, {} MiB after; upload of a seed-sized report {:.3} s",
                c.reports,
                c.put_p50_ms,
                c.put_p90_ms,
                mib(c.rss_start_bytes),
                mib(c.rss_after_bytes),
                c.upload_s
            )?;
        }
        writeln!(
            f,
            "correction_p50_ratio={:.2} (target ≤ 3) rss_ratio_after_{CORRECTIONS}_corrections={} (target ≤ 1.3) upload_s={:.3} (target < 1)",
            self.put_ratio(),
            self.rss_ratio()
                .map_or("?".to_owned(), |r| format!("{r:.2}")),
            self.many.upload_s
        )
    }
}
