//! The `planmap` command: `serve` the map, `parse` a report for curators, `export` GeoJSON.
//! The only place that reads arguments, the environment and the file system for the domain.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use planmap::atlas::{Atlas, NamedFile};

#[derive(Parser)]
#[command(
    name = "planmap",
    version,
    about = "Turns a district government work report into a planning map"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load the data, read the reports, geocode, index and serve the map and the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PLANMAP_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Folder of report texts (.txt); default: the reports embedded in the binary.
        #[arg(long, env = "PLANMAP_SEEDS")]
        seeds: Option<PathBuf>,
        /// Folder of geodata (.geojson); default: the data embedded in the binary.
        #[arg(long, env = "PLANMAP_GEODATA")]
        geodata: Option<PathBuf>,
        /// Largest `limit` a client may ask for.
        #[arg(long, env = "PLANMAP_MAX_LIMIT", default_value_t = planmap::api::MAX_LIMIT)]
        max_limit: usize,
        /// Largest near radius a client may ask for, metres.
        #[arg(long, env = "PLANMAP_MAX_RADIUS_M", default_value_t = planmap::api::MAX_RADIUS_M)]
        max_radius_m: f64,
        /// Seconds a request may take before it is answered 503.
        #[arg(long, env = "PLANMAP_REQUEST_TIMEOUT_S", default_value_t = 10)]
        request_timeout_s: u64,
        /// Requests handled at once; more are answered 503 at once.
        #[arg(long, env = "PLANMAP_MAX_CONCURRENT", default_value_t = 512)]
        max_concurrent: usize,
        /// Longest request URI in bytes; longer ones get 414.
        #[arg(long, env = "PLANMAP_MAX_URI_BYTES", default_value_t = 16 * 1024)]
        max_uri_bytes: usize,
    },
    /// Parse one report and print what was read: sections, items, actions, targets, placement.
    Parse {
        /// The report text file.
        file: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Folder of geodata; default: the embedded data.
        #[arg(long, env = "PLANMAP_GEODATA")]
        geodata: Option<PathBuf>,
    },
    /// Print how much of the map is sourced: features by layer and match type, median
    /// uncertainty (Markdown, as in the README).
    Stats {
        /// Folder of report texts; default: the embedded reports.
        #[arg(long, env = "PLANMAP_SEEDS")]
        seeds: Option<PathBuf>,
        /// Folder of geodata; default: the embedded data.
        #[arg(long, env = "PLANMAP_GEODATA")]
        geodata: Option<PathBuf>,
    },
    /// Gazetteer maintenance.
    Gazetteer {
        #[command(subcommand)]
        command: GazetteerCommand,
    },
    /// Time the R-tree against a brute-force scan on deterministic synthetic features.
    Bench {
        /// Number of synthetic features (points, lines and polygons over central Chongqing).
        #[arg(long, default_value_t = 1_000_000)]
        features: usize,
        /// Number of near and bbox queries on the index (the brute-force scan runs at most 50).
        #[arg(long, default_value_t = 1_000)]
        queries: usize,
    },
    /// Write every planned feature as one GeoJSON FeatureCollection to standard output.
    Export {
        /// Folder of report texts; default: the embedded reports.
        #[arg(long, env = "PLANMAP_SEEDS")]
        seeds: Option<PathBuf>,
        /// Folder of geodata; default: the embedded data.
        #[arg(long, env = "PLANMAP_GEODATA")]
        geodata: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum GazetteerCommand {
    /// Import a real OpenStreetMap extract (.osm.pbf): named roads (ways of one name merged),
    /// places, POIs, parks, water, railways and stations, as exact gazetteer entries that take
    /// precedence over approximate curated ones.
    ImportOsm {
        /// The extract.
        file: PathBuf,
        /// Keep only what lies in minLon,minLat,maxLon,maxLat (WGS-84).
        #[arg(long, value_parser = planmap::gazetteer::osm::parse_bbox)]
        bbox: Option<[f64; 4]>,
        /// Where to write the entries; default: geodata/osm-import-<file stem>.geojson.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Reads every file of a folder with one of the extensions, naming the folder on error.
fn read_folder(dir: &Path, ext: &str) -> Result<Vec<NamedFile>> {
    let mut files = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("reading folder {}", dir.display()))?
    {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some(ext) {
            continue;
        }
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        files.push(NamedFile { name, bytes });
    }
    if files.is_empty() {
        bail!("{}: no .{ext} files", dir.display());
    }
    Ok(files)
}

fn load(seeds: Option<&Path>, geodata: Option<&Path>) -> Result<Atlas> {
    let geodata = match geodata {
        Some(d) => read_folder(d, "geojson")?,
        None => planmap::defaults::geodata(),
    };
    let seeds = match seeds {
        Some(d) => read_folder(d, "txt")?,
        None => planmap::defaults::seeds(),
    };
    let atlas = Atlas::build(&geodata, &seeds)?;
    for w in &atlas.warnings {
        tracing::warn!("{w}");
    }
    Ok(atlas)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the whole chain (what we did: what failed) on one line, without
            // the backtrace an environment may ask anyhow for.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        // Logs go to stderr so that `export`, `stats` and `parse --json` can be piped.
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve {
            addr,
            seeds,
            geodata,
            max_limit,
            max_radius_m,
            request_timeout_s,
            max_concurrent,
            max_uri_bytes,
        } => {
            if max_limit == 0
                || !(max_radius_m.is_finite() && max_radius_m > 0.0)
                || max_concurrent == 0
            {
                bail!("--max-limit, --max-radius-m and --max-concurrent must be positive");
            }
            let limits = planmap::api::Limits {
                max_limit,
                max_radius_m,
                request_timeout: std::time::Duration::from_secs(request_timeout_s.max(1)),
                max_concurrent,
                max_uri_bytes: max_uri_bytes.max(256),
            };
            let atlas = load(seeds.as_deref(), geodata.as_deref())?;
            let counts: Vec<String> = atlas
                .collections
                .iter()
                .map(|c| format!("{} {}/{}", c.id, c.index.len(), c.items.len()))
                .collect();
            tracing::info!("atlas loaded (located/all): {}", counts.join(", "));
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let listener = tokio::net::TcpListener::bind(&addr)
                    .await
                    .with_context(|| format!("binding {addr}"))?;
                tracing::info!("serving http://{}/", listener.local_addr()?);
                let state = planmap::api::AppState::with_limits(Arc::new(atlas), limits);
                planmap::api::serve(listener, state, shutdown_signal()).await?;
                Ok(())
            })
        }
        Command::Parse {
            file,
            json,
            geodata,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {} (reports must be UTF-8)", file.display()))?;
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("report.txt")
                .to_string();
            let geodata = match geodata.as_deref() {
                Some(d) => read_folder(d, "geojson")?,
                None => planmap::defaults::geodata(),
            };
            let atlas = Atlas::build(
                &geodata,
                &[NamedFile {
                    name,
                    bytes: text.into_bytes(),
                }],
            )?;
            print_parse(&atlas, json)?;
            Ok(())
        }
        Command::Gazetteer {
            command: GazetteerCommand::ImportOsm { file, bbox, out },
        } => {
            let label = file.display().to_string();
            let reader = std::io::BufReader::new(
                std::fs::File::open(&file).with_context(|| format!("opening {label}"))?,
            );
            let options = planmap::gazetteer::osm::ImportOptions {
                bbox,
                file_label: label.clone(),
            };
            let (geojson, summary) = planmap::gazetteer::osm::import_osm(reader, &options)?;
            let stem = file
                .file_name()
                .and_then(|n| n.to_str())
                .map_or("extract", |n| n.split('.').next().unwrap_or("extract"))
                .to_string();
            let out =
                out.unwrap_or_else(|| PathBuf::from(format!("geodata/osm-import-{stem}.geojson")));
            std::fs::write(&out, geojson).with_context(|| format!("writing {}", out.display()))?;
            println!("{summary}");
            println!(
                "wrote {}; `planmap serve --geodata {}` uses it",
                out.display(),
                out.parent().map_or(".".into(), |p| p.display().to_string())
            );
            Ok(())
        }
        Command::Stats { seeds, geodata } => {
            print!("{}", stats(&load(seeds.as_deref(), geodata.as_deref())?));
            Ok(())
        }
        Command::Bench { features, queries } => {
            bench(features, queries);
            Ok(())
        }
        Command::Export { seeds, geodata } => {
            let atlas = load(seeds.as_deref(), geodata.as_deref())?;
            println!(
                "{}",
                serde_json::json!({"type": "FeatureCollection", "features": features_json(&atlas)})
            );
            Ok(())
        }
    }
}

/// Every planned feature as WGS-84 GeoJSON.
fn features_json(atlas: &Atlas) -> Vec<serde_json::Value> {
    atlas
        .features
        .iter()
        .map(|f| f.to_geojson(&|lon, lat| (lon, lat)))
        .collect()
}

fn print_parse(atlas: &Atlas, json: bool) -> Result<()> {
    let report = atlas.reports.first().context("no report parsed")?;
    if json {
        let features = features_json(atlas);
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "id": report.id,
                "title": report.title,
                "sections": report.sections,
                "sentences": report.sentences.len(),
                "features": features,
            }))?
        );
        return Ok(());
    }
    println!(
        "{} — {} ({} sentences)",
        report.id,
        report.title,
        report.sentences.len()
    );
    for s in &report.sections {
        println!(
            "section {} {} {} [{}]",
            s.id,
            s.number.as_deref().unwrap_or("-"),
            s.title.as_deref().unwrap_or("(untitled)"),
            s.theme
        );
    }
    for f in &atlas.features {
        let status = f.action.as_ref().map_or("-".to_string(), |a| {
            format!("{}:{}", a.verb, a.status.as_str())
        });
        let targets: Vec<String> = f
            .targets
            .iter()
            .map(|t| format!("{}={}{}", t.metric, t.value, t.unit))
            .collect();
        println!(
            "{:<9} {:<6} {:<24} {:<10} {:>6} {:<22} {}",
            f.layer.as_str(),
            f.kind,
            f.name,
            f.location.match_type.as_str(),
            f.location
                .uncertainty_m
                .map_or("-".into(), |u| format!("{u:.0}m")),
            status,
            targets.join("; ")
        );
    }
    let unresolved: Vec<&planmap::plan::PlannedFeature> = atlas
        .features
        .iter()
        .filter(|f| f.geometry.is_none())
        .collect();
    println!(
        "\nunresolved ({}): not in the gazetteer; add an entry to geodata/ to place them",
        unresolved.len()
    );
    for f in unresolved {
        println!("  {} [{}] — {}", f.name, f.layer.as_str(), f.quote);
    }
    Ok(())
}

/// Resident memory of this process in bytes (Linux `/proc/self/status`), if known.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn percentile_us(samples: &mut [std::time::Duration], p: f64) -> f64 {
    samples.sort_unstable();
    if samples.is_empty() {
        return f64::NAN;
    }
    let i = ((samples.len() - 1) as f64 * p).round() as usize;
    samples[i].as_secs_f64() * 1e6
}

fn bench(n: usize, queries: usize) {
    use planmap::spatial::{BBox, SpatialIndex, synthetic};
    use std::time::Instant;
    let data = synthetic(n, 20_250_101);
    let before = rss_bytes();
    let t = Instant::now();
    let index = SpatialIndex::new(data);
    let build = t.elapsed();
    let after = rss_bytes();
    // Query points: a fixed grid walk over the same area as the data.
    let points: Vec<(f64, f64)> = (0..queries.max(1))
        .map(|i| {
            let f = i as f64 / queries.max(1) as f64;
            (
                106.40 + (f * 37.0).fract() * 0.25,
                29.45 + (f * 11.0).fract() * 0.20,
            )
        })
        .collect();
    let time = |f: &dyn Fn(f64, f64) -> usize, pts: &[(f64, f64)]| {
        let mut found = 0usize;
        let samples: Vec<std::time::Duration> = pts
            .iter()
            .map(|&(lon, lat)| {
                let t = Instant::now();
                found += f(lon, lat);
                t.elapsed()
            })
            .collect();
        (samples, found)
    };
    let near = |lon: f64, lat: f64| index.near(lon, lat, 500.0, 100, &|_| true).len();
    let near_brute = |lon: f64, lat: f64| {
        index
            .near_brute_force(lon, lat, 500.0, 100, &|_| true)
            .len()
    };
    let bbox = |lon: f64, lat: f64| {
        index
            .within_bbox(BBox {
                min_lon: lon,
                min_lat: lat,
                max_lon: lon + 0.01,
                max_lat: lat + 0.01,
            })
            .len()
    };
    let bbox_brute = |lon: f64, lat: f64| {
        index
            .within_bbox_brute_force(BBox {
                min_lon: lon,
                min_lat: lat,
                max_lon: lon + 0.01,
                max_lat: lat + 0.01,
            })
            .len()
    };
    let brute_points = &points[..points.len().min(50)];
    let (mut near_s, near_found) = time(&near, &points);
    let (mut near_b, near_b_found) = time(&near_brute, brute_points);
    let (mut bbox_s, _) = time(&bbox, &points);
    let (mut bbox_b, _) = time(&bbox_brute, brute_points);
    let (near_p50, near_p99) = (
        percentile_us(&mut near_s, 0.5),
        percentile_us(&mut near_s, 0.99),
    );
    let brute_p50 = percentile_us(&mut near_b, 0.5);
    let (bbox_p50, bbox_brute_p50) = (
        percentile_us(&mut bbox_s, 0.5),
        percentile_us(&mut bbox_b, 0.5),
    );
    let mib = |b: Option<u64>| {
        b.map_or("?".to_string(), |b| {
            format!("{:.0}", b as f64 / 1_048_576.0)
        })
    };
    println!(
        "features={n} queries={} brute_queries={}",
        points.len(),
        brute_points.len()
    );
    println!(
        "build_s={:.3} rss_before_mib={} rss_after_mib={}",
        build.as_secs_f64(),
        mib(before),
        mib(after)
    );
    println!(
        "near 500 m: index p50={near_p50:.1}us p99={near_p99:.1}us (found {near_found}); brute p50={brute_p50:.1}us (found {near_b_found})"
    );
    println!("bbox 0.01°: index p50={bbox_p50:.1}us; brute p50={bbox_brute_p50:.1}us");
    println!(
        "near_p50_us={near_p50:.1} brute_p50_us={brute_p50:.1} speedup={:.0}",
        brute_p50 / near_p50
    );
}

/// A Markdown table of features by layer and match type, with the median uncertainty.
fn stats(atlas: &Atlas) -> String {
    use planmap::plan::{Layer, MatchType};
    use std::fmt::Write;
    const MATCHES: [MatchType; 5] = [
        MatchType::Exact,
        MatchType::Alias,
        MatchType::Anchor,
        MatchType::PartOf,
        MatchType::Unlocated,
    ];
    let median = |mut v: Vec<f64>| -> String {
        if v.is_empty() {
            return "-".into();
        }
        v.sort_by(f64::total_cmp);
        format!("{:.0}", v[v.len() / 2])
    };
    let mut out = String::from(
        "| layer | exact | alias | anchor | part_of | unlocated | all | median uncertainty_m |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut rows: Vec<(String, Vec<&planmap::plan::PlannedFeature>)> = Layer::ALL
        .iter()
        .map(|l| {
            (
                l.as_str().to_string(),
                atlas.features.iter().filter(|f| f.layer == *l).collect(),
            )
        })
        .collect();
    rows.push(("all".into(), atlas.features.iter().collect()));
    for (name, fs) in rows {
        let counts: Vec<String> = MATCHES
            .iter()
            .map(|m| {
                fs.iter()
                    .filter(|f| f.location.match_type == *m)
                    .count()
                    .to_string()
            })
            .collect();
        let u: Vec<f64> = fs.iter().filter_map(|f| f.location.uncertainty_m).collect();
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} |",
            counts.join(" | "),
            fs.len(),
            median(u)
        );
    }
    out
}
