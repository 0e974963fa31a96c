//! The `planmap` command: `serve` the map, `parse` a report for curators, `export` GeoJSON.
//! The only place that reads arguments, the environment and the file system for the domain.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use planmap::atlas::{Atlas, NamedFile};
use planmap::report::Lexicon;

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
    Ok(Atlas::build(&geodata, &seeds)?)
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

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match Cli::parse().command {
        Command::Serve {
            addr,
            seeds,
            geodata,
        } => {
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
                let state = planmap::api::AppState {
                    atlas: Arc::new(atlas),
                };
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
        Command::Export { seeds, geodata } => {
            let atlas = load(seeds.as_deref(), geodata.as_deref())?;
            let features: Vec<serde_json::Value> = atlas
                .features
                .iter()
                .map(|f| f.to_geojson(&|lon, lat| (lon, lat)))
                .collect();
            println!(
                "{}",
                serde_json::json!({"type": "FeatureCollection", "features": features})
            );
            Ok(())
        }
    }
}

fn print_parse(atlas: &Atlas, json: bool) -> Result<()> {
    let _ = Lexicon::default;
    let report = atlas.reports.first().context("no report parsed")?;
    if json {
        let features: Vec<serde_json::Value> = atlas
            .features
            .iter()
            .map(|f| f.to_geojson(&|lon, lat| (lon, lat)))
            .collect();
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
    Ok(())
}
