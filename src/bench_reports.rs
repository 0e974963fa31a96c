//! `planmap bench --reports N`: the server with N reports loaded, measured the way a planner
//! meets it. Input: the geodata and the seed report (the embedded defaults), N, and a way to
//! read the process's resident memory (the caller's; this module touches no file). Output: a
//! typed [`ReportsBench`] whose `Display` is the command's output: the bytes the page fetches
//! when it opens (every file and API answer, gzip as a browser asks), the size of a 500 m near
//! answer, the build time and the server's resident memory.
//!
//! The N reports are variants of the seed made here at run time, never stored: report `k` is
//! the seed with its numbers raised by `k mod 9` and, for one report in four each, one of its
//! planning verbs swapped for another (推进→开工, 加快→建成, 打造→推进), so every report reads
//! like the seed with other targets and statuses, names the same places, and the places
//! gather N commitments each. Ids are `yuzhong-2025-vNNN` (the year from the file name, the
//! newest being the last id).
//!
//! What the page fetches on open is listed in [`first_view_uris`]: it must follow
//! `web/main.js` (the page asks for the newest report only, its layers by the bounding box of
//! the first view, its catalogue and reading pane for that report). The page's own files are
//! found by following `index.html` and every module's `import … from './x.js'`.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use crate::api::probe::fetch;
use crate::api::{AppState, Limits};
use crate::atlas::{Atlas, AtlasError, AtlasStore, NamedFile};

/// Why the bench could not run.
#[derive(Debug, thiserror::Error)]
pub enum ReportsBenchError {
    /// The atlas of the generated reports could not be built.
    #[error(transparent)]
    Atlas(#[from] AtlasError),
    /// The async runtime the in-process requests run on could not start.
    #[error("starting the runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// The first view of the page: its default centre and zoom on a 1280×800 window, as the
/// bbox its layers are fetched with (Leaflet's bounds padded by 30%, as `web/layers.js`).
pub const FIRST_VIEW_BBOX: &str = "106.457000,29.506000,106.634000,29.603000";
/// The point of the measured near answer: 解放碑, the densest place of the district.
pub const NEAR_POINT: (f64, f64) = (106.5770, 29.5590);

/// What one `planmap bench --reports` run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportsBench {
    /// Reports loaded.
    pub reports: usize,
    /// Planned features over all reports.
    pub features: usize,
    /// Distinct places over all reports.
    pub places: usize,
    /// Seconds to build the atlas and its store.
    pub build_s: f64,
    /// Resident memory before loading, bytes.
    pub rss_before_bytes: Option<u64>,
    /// Resident memory with the atlas built, before it is rendered, bytes.
    pub rss_atlas_bytes: Option<u64>,
    /// Resident memory with the store built (build temporaries dropped), bytes.
    pub rss_served_bytes: Option<u64>,
    /// Resident memory after the measured requests, bytes.
    pub rss_after_bytes: Option<u64>,
    /// Resident memory once a GCJ-02 answer was asked too (the other datums are rendered on
    /// first use), bytes.
    pub rss_gcj02_bytes: Option<u64>,
    /// The first view: `(uri, status, bytes sent gzip, bytes uncompressed)`.
    pub first_view: Vec<(String, u16, usize, usize)>,
    /// A 500 m near answer for the newest report (as the page asks): bytes uncompressed, gzip.
    pub near_newest: (usize, usize),
    /// A 500 m near answer over every report (the API's default): bytes uncompressed, gzip.
    pub near_all: (usize, usize),
}

impl ReportsBench {
    /// Bytes the first view transfers (gzip).
    #[must_use]
    pub fn first_view_bytes(&self) -> usize {
        self.first_view.iter().map(|v| v.2).sum()
    }
}

/// Report `k` of the bench: the seed with other numbers and verbs.
#[must_use]
pub fn variant(seed: &str, k: usize) -> String {
    let swaps: [(&str, &str); 3] = [("推进", "开工"), ("加快", "建成"), ("打造", "推进")];
    let mut text = seed.to_string();
    if !k.is_multiple_of(4) {
        let (from, to) = swaps[k % 4 - 1];
        text = text.replace(from, to);
    }
    let bump = u64::try_from(k % 9).unwrap_or(0);
    let mut out = String::with_capacity(text.len() + 64);
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            match digits.parse::<u64>() {
                Ok(v) if digits.len() < 12 => out.push_str(&(v + bump).to_string()),
                _ => out.push_str(digits),
            }
            digits.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push(c);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// The N report files of the bench.
#[must_use]
pub fn variants(seed: &str, n: usize) -> Vec<NamedFile> {
    (0..n)
        .map(|k| NamedFile {
            name: format!("yuzhong-2025-v{k:03}.txt"),
            bytes: variant(seed, k).into_bytes(),
        })
        .collect()
}

/// The API answers the page asks for when it opens, with `newest` selected.
#[must_use]
pub fn first_view_uris(newest: &str) -> Vec<String> {
    let mut uris: Vec<String> = [
        "/api/vocabulary",
        "/api/reports",
        "/api/collections",
        "/api/collections/district/items?limit=100&crs=wgs84",
        "/api/collections/stations/items?limit=10000&crs=wgs84",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    for layer in ["zones", "streets", "projects"] {
        uris.push(format!(
            "/api/collections/{layer}/items?bbox={FIRST_VIEW_BBOX}&limit=1000&crs=wgs84&report={newest}"
        ));
        uris.push(format!(
            "/api/collections/{layer}/items?limit=10000&crs=wgs84&report={newest}"
        ));
    }
    uris.push(format!("/api/reports/{newest}"));
    uris
}

/// The relative files a page file refers to: `src="…"` and `href="…"` in HTML, and
/// `from './x.js'` in modules.
fn referenced(path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    for marker in ["src=\"", "href=\"", "from '", "import '"] {
        for (i, _) in text.match_indices(marker) {
            let rest = &text[i + marker.len()..];
            let Some(end) = rest.find(['"', '\'']) else {
                continue;
            };
            let target = &rest[..end];
            if target.starts_with("http")
                || target.starts_with("data:")
                || target.starts_with('#')
                || target.is_empty()
            {
                continue;
            }
            let resolved = if let Some(t) = target.strip_prefix("./") {
                format!("{dir}/{t}")
            } else if target.starts_with('/') {
                target.to_string()
            } else {
                format!("{dir}/{target}")
            };
            out.push(resolved);
        }
    }
    out
}

/// The page's own files, found from `/` by following what each refers to: `(path, status,
/// bytes sent gzip, bytes uncompressed)`.
async fn page_files(state: &AppState) -> Vec<(String, u16, usize, usize)> {
    let mut first_view = Vec::new();
    // The page's own files, following what each refers to.
    let mut queue = vec!["/".to_string()];
    let mut seen: Vec<String> = Vec::new();
    while let Some(path) = queue.pop() {
        if seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        let plain = fetch(state.clone(), &path, false).await;
        let sent = fetch(state.clone(), &path, true).await;
        let text = String::from_utf8_lossy(&plain.body).into_owned();
        let here = if path == "/" {
            "/index.html"
        } else {
            path.as_str()
        };
        let ext = std::path::Path::new(here)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if ext.eq_ignore_ascii_case("html") || ext.eq_ignore_ascii_case("js") {
            queue.extend(referenced(here, &text));
        }
        first_view.push((path, plain.status, sent.body.len(), plain.body.len()));
    }
    first_view
}

/// Loads `n` reports and measures.
///
/// # Errors
/// The atlas cannot be built (never with the embedded data), or the runtime cannot start.
pub fn run(n: usize, rss: &dyn Fn() -> Option<u64>) -> Result<ReportsBench, ReportsBenchError> {
    let rss_before_bytes = rss();
    let seed_file = crate::defaults::seeds();
    let seed = seed_file
        .first()
        .and_then(|f| std::str::from_utf8(&f.bytes).ok())
        .unwrap_or_default()
        .to_string();
    let started = Instant::now();
    let (store, rss_atlas_bytes) = {
        let atlas = Atlas::build(&crate::defaults::geodata(), &variants(&seed, n.max(1)))?;
        let rss_atlas_bytes = rss();
        (Arc::new(AtlasStore::new(Arc::new(atlas))), rss_atlas_bytes)
    };
    let build_s = started.elapsed().as_secs_f64();
    let rss_served_bytes = rss();
    let features = store.atlas().features.len();
    let places = {
        let mut p: Vec<&str> = store
            .atlas()
            .features
            .iter()
            .map(|f| f.place.as_str())
            .collect();
        p.sort_unstable();
        p.dedup();
        p.len()
    };
    let newest = store
        .reports_index()
        .newest()
        .map(|r| store.atlas().reports[r].id.clone())
        .unwrap_or_default();
    let state = AppState::from_store(store, Limits::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (first_view, near_newest, near_all) = runtime.block_on(async {
        let mut first_view = page_files(&state).await;
        for uri in first_view_uris(&newest) {
            let plain = fetch(state.clone(), &uri, false).await;
            let sent = fetch(state.clone(), &uri, true).await;
            first_view.push((uri, plain.status, sent.body.len(), plain.body.len()));
        }
        let (lon, lat) = NEAR_POINT;
        let near = format!("/api/near?lon={lon}&lat={lat}&radius_m=500");
        let sizes = |uri: String| {
            let state = state.clone();
            async move {
                let plain = fetch(state.clone(), &uri, false).await;
                let sent = fetch(state, &uri, true).await;
                (plain.body.len(), sent.body.len())
            }
        };
        let near_newest = sizes(format!("{near}&report={newest}")).await;
        let near_all = sizes(near.clone()).await;
        (first_view, near_newest, near_all)
    });
    let rss_after_bytes = rss();
    runtime.block_on(fetch(
        state.clone(),
        "/api/collections/zones/items?limit=1&crs=gcj02",
        false,
    ));
    Ok(ReportsBench {
        reports: n.max(1),
        features,
        places,
        build_s,
        rss_before_bytes,
        rss_atlas_bytes,
        rss_served_bytes,
        rss_after_bytes,
        rss_gcj02_bytes: rss(),
        first_view,
        near_newest,
        near_all,
    })
}

impl fmt::Display for ReportsBench {
    /// One line per first-view request, then the totals; the last line is `key=value` pairs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mib = |b: Option<u64>| {
            b.map_or("?".to_string(), |b| {
                format!("{:.1}", b as f64 / 1_048_576.0)
            })
        };
        writeln!(
            f,
            "first view (status, bytes sent gzip, bytes uncompressed):"
        )?;
        for (uri, status, sent, plain) in &self.first_view {
            writeln!(f, "  {status} {sent:>9} {plain:>9}  {uri}")?;
        }
        let plain: usize = self.first_view.iter().map(|v| v.3).sum();
        writeln!(
            f,
            "reports={} features={} places={} build_s={:.2}",
            self.reports, self.features, self.places, self.build_s
        )?;
        writeln!(
            f,
            "first view: {} requests, {:.2} MB sent (gzip), {:.2} MB uncompressed",
            self.first_view.len(),
            self.first_view_bytes() as f64 / 1e6,
            plain as f64 / 1e6
        )?;
        writeln!(
            f,
            "near 500 m at 解放碑: newest report {} B ({} B gzip); every report {} B ({} B gzip)",
            self.near_newest.0, self.near_newest.1, self.near_all.0, self.near_all.1
        )?;
        writeln!(
            f,
            "rss: before {} MiB, atlas built {} MiB, served {} MiB, after the requests {} MiB, with GCJ-02 rendered too {} MiB",
            mib(self.rss_before_bytes),
            mib(self.rss_atlas_bytes),
            mib(self.rss_served_bytes),
            mib(self.rss_after_bytes),
            mib(self.rss_gcj02_bytes)
        )?;
        writeln!(
            f,
            "reports={} first_view_bytes={} near_newest_bytes={} near_all_bytes={} rss_mib={}",
            self.reports,
            self.first_view_bytes(),
            self.near_newest.0,
            self.near_all.0,
            mib(self.rss_after_bytes)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_raises_numbers_and_swaps_one_verb_and_keeps_the_rest() {
        let seed = "推进十八梯建设，新增停车位500个。加快山城巷改造。";
        assert_eq!(variant(seed, 0), seed);
        assert_eq!(
            variant(seed, 1),
            "开工十八梯建设，新增停车位501个。加快山城巷改造。"
        );
        assert_eq!(
            variant(seed, 2),
            "推进十八梯建设，新增停车位502个。建成山城巷改造。"
        );
    }

    #[test]
    fn page_files_are_found_from_html_sources_and_module_imports() {
        let html = r#"<link href="/style.css"><script type="module" src="/main.js"></script>"#;
        assert_eq!(referenced("/index.html", html), ["/main.js", "/style.css"]);
        let js = "import { a } from './api.js';\nimport { b } from './dom.js';";
        assert_eq!(referenced("/main.js", js), ["/api.js", "/dom.js"]);
    }
}
