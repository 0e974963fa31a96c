//! The `planmap` command: parse the arguments ([`cli`]), set up logging, read the folders the
//! user named (the library takes bytes, not paths), dispatch to the library and print what it
//! returns. Errors become one line on stderr and exit status 1.

mod cli;
mod offline;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::Parser;
use planmap::atlas::{Atlas, NamedFile};
use planmap::store::changes::EditStore;
use planmap::store::gpkg::GeoPackageStore;
use planmap::store::placement::Role;
use planmap::store::postgres::PostgresStore;

use cli::{Cli, Command, DataArgs, GazetteerCommand, ServeArgs, StoreArgs, TokenCommand};
use offline::{emit, import_osm, parse, write_bench_seeds};

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
        Command::Serve { data, serve, store } => serve_map(&data, &serve, &store),
        Command::Parse {
            files,
            json,
            gold,
            data,
        } => parse(&files, json, gold.as_deref(), &data),
        Command::Stats { data } => {
            emit(&planmap::stats::Stats::of(&load(&data)?.features).to_string())
        }
        Command::Export { data } => {
            let atlas = load(&data)?;
            let features: Vec<serde_json::Value> = atlas
                .features
                .iter()
                .map(|f| f.to_geojson(&|lon, lat| (lon, lat)))
                .collect();
            let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
            emit(&format!("{collection}\n"))
        }
        Command::Gazetteer {
            command: GazetteerCommand::ImportOsm { file, bbox, out },
        } => import_osm(&file, bbox, out),
        Command::Gazetteer {
            command: GazetteerCommand::ExportCurated { file, data, store },
        } => export_curated(&file, &data, &store),
        Command::Token { command, store } => token(&command, &store),
        Command::Backup { file, store } => {
            open_store(&store)?
                .backup(&file)
                .with_context(|| format!("backing up to {}", file.display()))?;
            emit(&format!("wrote {}\n", file.display()))
        }
        Command::Migrate { from, to } => migrate(&from, &to),
        Command::Bench {
            reports: Some(n),
            write_seeds: Some(dir),
            ..
        } => write_bench_seeds(n, &dir),
        Command::Bench {
            reports: Some(n), ..
        } => {
            emit(&planmap::bench_reports::run(n, &rss_bytes)?.to_string())?;
            emit(&planmap::bench_living::run(n, &rss_bytes)?.to_string())
        }
        Command::Bench {
            features, queries, ..
        } => emit(&planmap::bench::run(features, queries, &rss_bytes).to_string()),
    }
}

/// Opens the store: the database of `--database`, else the GeoPackage in the data folder
/// (created on first use), naming where on error.
fn open_store(store: &StoreArgs) -> Result<Box<dyn EditStore>> {
    if let Some(url) = &store.database {
        return Ok(Box::new(open_database(url)?));
    }
    Ok(Box::new(GeoPackageStore::open(&store.data).with_context(
        || format!("opening the store in {}", store.data.display()),
    )?))
}

/// Connects to a PostgreSQL store and migrates its schema; the error names the database
/// without its password.
fn open_database(url: &str) -> Result<PostgresStore> {
    let store = PostgresStore::open(url).context("opening the PostgreSQL store")?;
    tracing::info!("corrections store: {}", store.label().display());
    Ok(store)
}

/// `planmap migrate --from DIR --to URL`: copies the GeoPackage store into an empty
/// PostgreSQL one, reads the copy back and compares counts and checksums.
fn migrate(from: &Path, to: &str) -> Result<()> {
    let file = from.join(planmap::store::gpkg::FILE_NAME);
    if !file.is_file() {
        bail!("{}: no store to copy", file.display());
    }
    let source = GeoPackageStore::open(from)
        .with_context(|| format!("opening the store in {}", from.display()))?;
    let snapshot = source
        .snapshot()
        .with_context(|| format!("reading {}", file.display()))?;
    let target = open_database(to)?;
    let label = target.label().display().to_string();
    target
        .restore(snapshot.clone())
        .with_context(|| format!("copying into {label}"))?;
    let copied = target
        .snapshot()
        .with_context(|| format!("reading the copy back from {label}"))?;
    let (want, got) = (snapshot.counts(), copied.counts());
    let (want_sum, got_sum) = (snapshot.checksum(), copied.checksum());
    if want != got || want_sum != got_sum {
        bail!(
            "the copy in {label} differs from {}: {got} (checksum {got_sum}) against {want} \
             (checksum {want_sum}); the copy was committed, inspect it before serving from it",
            file.display()
        );
    }
    emit(&format!(
        "copied {want} from {} to {label}; read back: same counts, checksum sha256:{got_sum}\n",
        file.display()
    ))
}

/// `planmap token add|list|revoke`. The secret is printed once, on standard output only.
fn token(command: &TokenCommand, store: &StoreArgs) -> Result<()> {
    let store = open_store(store)?;
    match command {
        TokenCommand::Add { name } => {
            let secret = store.add_token(name, Role::Editor)?;
            emit(&format!(
                "{secret}\n(editor token for {name}: shown once, keep it; send it as \
                 Authorization: Bearer <token>)\n"
            ))
        }
        TokenCommand::List => {
            let mut out = String::from("name\trole\tcreated\trevoked\n");
            for t in store.list_tokens()? {
                let revoked = t.revoked_at.as_deref().unwrap_or("-");
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{revoked}",
                    t.name,
                    t.role.as_str(),
                    t.created_at
                );
            }
            emit(&out)
        }
        TokenCommand::Revoke { name } => {
            store.revoke_token(name)?;
            emit(&format!("revoked the token of {name}\n"))
        }
    }
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
        files.push(read_file(&path)?);
    }
    if files.is_empty() {
        bail!("{}: no .{ext} files", dir.display());
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<NamedFile> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    Ok(NamedFile { name, bytes })
}

fn geodata(data: &DataArgs) -> Result<Vec<NamedFile>> {
    match data.geodata.as_deref() {
        Some(d) => read_folder(d, "geojson"),
        None => Ok(planmap::defaults::geodata()),
    }
}

fn seeds(data: &DataArgs) -> Result<Vec<NamedFile>> {
    match data.seeds.as_deref() {
        Some(d) => {
            let mut files = read_folder(d, "txt")?;
            // A report's optional `NAME.meta.json` (title, district, year, kind) beside it.
            for entry in
                std::fs::read_dir(d).with_context(|| format!("reading folder {}", d.display()))?
            {
                let path = entry?.path();
                if path.to_str().is_some_and(|p| p.ends_with(".meta.json")) {
                    files.push(read_file(&path)?);
                }
            }
            Ok(files)
        }
        None => Ok(planmap::defaults::seeds()),
    }
}

/// Builds the atlas from the data folders (or the embedded data), logging its warnings.
fn build(geodata: &[NamedFile], seeds: &[NamedFile]) -> Result<Atlas> {
    let atlas = Atlas::build(geodata, seeds)?;
    for w in &atlas.warnings {
        tracing::warn!("{w}");
    }
    Ok(atlas)
}

fn load(data: &DataArgs) -> Result<Atlas> {
    build(&geodata(data)?, &seeds(data)?)
}

/// `planmap gazetteer export-curated FILE`: the live corrections as gazetteer entries, and
/// the planners' verdicts on names.
fn export_curated(file: &Path, data: &DataArgs, store: &StoreArgs) -> Result<()> {
    let store = open_store(store)?;
    let corrections = store.current()?;
    let verdicts = store.verdicts()?;
    let living = planmap::atlas::Living::load(
        &geodata(data)?,
        &seeds(data)?,
        &verdicts,
        &store.stored_reports()?,
        &[],
        0,
    )?;
    let entries = planmap::atlas::corrections::entries(&living, &corrections);
    std::fs::write(
        file,
        planmap::atlas::corrections::export(&entries, &verdicts),
    )
    .with_context(|| format!("writing {}", file.display()))?;
    emit(&format!(
        "wrote {} corrected name(s) of {} correction(s) and {} verdict(s) to {}\n",
        entries
            .iter()
            .map(planmap::gazetteer::CuratedEntry::place_id)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        corrections.len(),
        verdicts.len(),
        file.display()
    ))
}

/// The placement store `serve` writes to: the GeoPackage in the data folder; when it cannot
/// be written, the same file read-only; when it cannot even be read, a store that answers
/// every write 503. Reads of the map work in every case.
fn serving_store(store: &StoreArgs) -> Result<Arc<dyn EditStore>> {
    use planmap::store::placement::StoreError;
    match GeoPackageStore::open(&store.data) {
        Ok(s) => {
            tracing::info!("corrections store: {}", s.path().display());
            Ok(Arc::new(s))
        }
        Err(e @ StoreError::Unavailable { .. }) => {
            tracing::warn!("{e}; serving read-only: writes answer 503");
            match GeoPackageStore::open_read_only(&store.data) {
                Ok(s) => Ok(Arc::new(s)),
                Err(read) => {
                    tracing::warn!("{read}; serving the automatic map without corrections");
                    Ok(Arc::new(planmap::store::unavailable::UnavailableStore {
                        path: store.data.clone(),
                        reason: e.to_string(),
                    }))
                }
            }
        }
        Err(e) => Err(e).with_context(|| format!("opening the store in {}", store.data.display())),
    }
}

fn serve_map(data: &DataArgs, args: &ServeArgs, store: &StoreArgs) -> Result<()> {
    if args.max_limit == 0
        || !(args.max_radius_m.is_finite() && args.max_radius_m > 0.0)
        || args.max_concurrent == 0
    {
        bail!("--max-limit, --max-radius-m and --max-concurrent must be positive");
    }
    let limits = planmap::api::Limits {
        max_limit: args.max_limit,
        max_radius_m: args.max_radius_m,
        request_timeout: std::time::Duration::from_secs(args.request_timeout_s.max(1)),
        max_concurrent: args.max_concurrent,
        max_uri_bytes: args.max_uri_bytes.max(256),
        max_body_bytes: args.max_body_bytes.max(1024),
        max_report_bytes: args.max_report_bytes.max(1024),
    };
    let links = match &args.public_url {
        Some(url) => planmap::api::LinkBase::public(url, args.trust_forwarded)?,
        None => planmap::api::LinkBase {
            public_url: None,
            trust_forwarded: args.trust_forwarded,
        },
    };
    let files = (geodata(data)?, seeds(data)?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let Some(url) = &store.database else {
        let edits = serving_store(store)?;
        let (live, boundary) = load_map(&files, &*edits)?;
        return rt.block_on(async {
            let listener = bind(&args.addr).await?;
            tracing::info!("serving http://{}/", listener.local_addr()?);
            let state = planmap::api::AppState::editable(edits, live, boundary, limits)
                .map_err(|e| anyhow::anyhow!("serving the stored changes: {e}"))?
                .with_links(links);
            planmap::api::serve(listener, state, shutdown_signal()).await?;
            Ok(())
        });
    };
    let wait = args.database_wait.map(std::time::Duration::from_secs);
    rt.block_on(async move {
        // A replica listens at once and says on /health what it waits for: in a compose file
        // or a cluster the database often comes up after the servers that use it.
        let listener = bind(&args.addr).await?;
        let addr = listener.local_addr()?;
        let label = PostgresStore::redacted(url);
        let gate = planmap::api::Gate::waiting_for(&label);
        tracing::info!(
            "listening on http://{addr}/ but not ready: /health answers 503 until the database {label} answers and the map is loaded"
        );
        let mut server = tokio::spawn(planmap::api::serve_gated(
            listener,
            gate.clone(),
            shutdown_signal(),
        ));
        let pg = tokio::select! {
            pg = connect_waiting(url, &label, wait, &gate) => Arc::new(pg?),
            ended = &mut server => {
                ended??;
                return Ok(());
            }
        };
        tracing::info!("corrections store: {label}");
        let edits: Arc<dyn EditStore> = Arc::clone(&pg) as Arc<dyn EditStore>;
        let loading = Arc::clone(&edits);
        let (live, boundary) =
            tokio::task::spawn_blocking(move || load_map(&files, &*loading)).await??;
        let state = planmap::api::AppState::editable(edits, live, boundary, limits)
            .map_err(|e| anyhow::anyhow!("serving the stored changes: {e}"))?
            .with_links(links);
        // A shared database: follow the writes of the other servers.
        let replica = state.clone();
        pg.watch(move || match replica.follow_store() {
            Ok(change) => change,
            Err(e) => {
                tracing::warn!("following the shared store: {e}");
                None
            }
        });
        gate.open(state);
        tracing::info!("serving http://{addr}/");
        server.await??;
        Ok(())
    })
}

/// Binds the listen address, naming it on error.
async fn bind(addr: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))
}

/// Loads the map and the stored changes (blocking): the live map to serve and the district
/// boundary, after logging the load's warnings and counts.
fn load_map(
    (geodata, seeds): &(Vec<NamedFile>, Vec<NamedFile>),
    edits: &dyn EditStore,
) -> Result<(
    Box<planmap::atlas::corrections::LiveAtlas>,
    geo::MultiPolygon<f64>,
)> {
    let live = planmap::atlas::corrections::LiveAtlas::open(geodata, seeds, edits)
        .map_err(|e| anyhow::anyhow!("loading the map and the stored changes: {e}"))?;
    let atlas = Arc::clone(live.living().atlas());
    for w in &atlas.warnings {
        tracing::warn!("{w}");
    }
    let counts: Vec<String> = atlas
        .collections
        .iter()
        .map(|c| format!("{} {}/{}", c.id, c.index.len(), c.items.len()))
        .collect();
    tracing::info!("atlas loaded (located/all): {}", counts.join(", "));
    Ok((Box::new(live), atlas.boundary.clone()))
}

/// Connects to the replica's database, trying again while it cannot be reached (refused,
/// timed out, starting up): pauses of 0.5 s doubling up to 10 s, each attempt logged and
/// shown on the gate's `/health`; for at most `wait` when given. Any other error (a wrong
/// password, no such database, no PostGIS, a newer schema) ends it at once: waiting would
/// not mend it. Errors name the database without its password.
async fn connect_waiting(
    url: &str,
    label: &str,
    wait: Option<std::time::Duration>,
    gate: &planmap::api::Gate,
) -> Result<PostgresStore> {
    use planmap::store::placement::StoreError;
    const FIRST_PAUSE: std::time::Duration = std::time::Duration::from_millis(500);
    const LONGEST_PAUSE: std::time::Duration = std::time::Duration::from_secs(10);
    let started = std::time::Instant::now();
    let mut pause = FIRST_PAUSE;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let owned = url.to_owned();
        // Blocking: the store starts (and on failure drops) a runtime of its own.
        match tokio::task::spawn_blocking(move || PostgresStore::open(&owned)).await? {
            Ok(store) => {
                if attempt > 1 {
                    tracing::info!(
                        attempt,
                        "the database {label} answers after {:.1} s",
                        started.elapsed().as_secs_f64()
                    );
                }
                return Ok(store);
            }
            Err(StoreError::Unavailable { reason, .. }) => {
                gate.failed(attempt, &reason);
                if let Some(wait) = wait
                    && started.elapsed() + pause > wait
                {
                    bail!(
                        "the database {label} could not be reached within {} s ({attempt} attempts; last: {reason}); --database-wait sets how long to wait",
                        wait.as_secs()
                    );
                }
                tracing::warn!(
                    attempt,
                    "the database {label} cannot be reached: {reason}; trying again in {:.1} s",
                    pause.as_secs_f64()
                );
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(LONGEST_PAUSE);
            }
            Err(e) => {
                return Err(e).with_context(|| format!("opening the PostgreSQL store {label}"));
            }
        }
    }
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

/// Resident memory of this process in bytes (Linux `/proc/self/status`), if known.
fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
