//! The command line: clap types only. Every subcommand that loads data takes the same
//! flattened [`DataArgs`]; the flags of `serve` that bound what a client may ask are
//! [`ServeArgs`]. `main.rs` dispatches on [`Command`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// `planmap`: the command and its global options.
#[derive(Parser)]
#[command(
    name = "planmap",
    version,
    about = "Turns a district government work report into a planning map"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data comes from; the same flags (and environment variables) for every command
/// that loads data. The corrections store's `--data DIR` is [`StoreArgs`].
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Folder of report texts (.txt); default: the reports embedded in the binary.
    #[arg(long, env = "PLANMAP_SEEDS")]
    pub seeds: Option<PathBuf>,
    /// Folder of geodata (.geojson); default: the data embedded in the binary.
    #[arg(long, env = "PLANMAP_GEODATA")]
    pub geodata: Option<PathBuf>,
}

/// Where planners' corrections, their history and the editor accounts are kept: one
/// GeoPackage file (`planmap.gpkg`) in this folder, created on first use; or, with
/// `--database`, a PostgreSQL + PostGIS database that several servers share.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// The data folder.
    #[arg(
        long,
        env = "PLANMAP_DATA",
        default_value = "planmap-data",
        global = true
    )]
    pub data: PathBuf,
    /// A PostgreSQL + PostGIS database instead of the data folder, as a URL
    /// (`postgres://planmap@127.0.0.1/planmap`; `?sslmode=…` and the other libpq keywords
    /// apply). Its schema is migrated at start.
    /// (The environment's value is never printed by `--help`: it may hold a password.)
    #[arg(
        long,
        env = "PLANMAP_DATABASE_URL",
        hide_env_values = true,
        global = true,
        value_name = "URL"
    )]
    pub database: Option<String>,
}

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Load the data, read the reports, geocode, index and serve the map and the API.
    Serve {
        /// Where the data comes from.
        #[command(flatten)]
        data: DataArgs,
        /// Address and limits.
        #[command(flatten)]
        serve: ServeArgs,
        /// The data folder of planners' corrections and editor accounts (created on first run;
        /// when it cannot be written the server starts read-only and writes get 503).
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Parse reports and print what was read: sections, items, actions, targets, placement.
    Parse {
        /// The report text files (UTF-8); none: the reports of `--seeds` (or the embedded ones).
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Score what was read against this gold list (TSV `name layer kind accept`, as in
        /// tests/fixtures/corpus/): recall, precision, missed and extra names. One report only.
        #[arg(long, value_name = "GOLD.tsv", conflicts_with = "json")]
        gold: Option<PathBuf>,
        /// Where the data comes from (`--seeds` only when no FILE is given).
        #[command(flatten)]
        data: DataArgs,
    },
    /// Print how much of the map is sourced: features by layer and match type, median
    /// uncertainty (Markdown, as in the README).
    Stats {
        /// Where the data comes from.
        #[command(flatten)]
        data: DataArgs,
    },
    /// Write every planned feature as one GeoJSON FeatureCollection to standard output.
    Export {
        /// Where the data comes from.
        #[command(flatten)]
        data: DataArgs,
    },
    /// Gazetteer maintenance.
    Gazetteer {
        /// What to do to the gazetteer.
        #[command(subcommand)]
        command: GazetteerCommand,
    },
    /// Editor accounts: a bearer token per account, stored only as a hash.
    Token {
        /// What to do.
        #[command(subcommand)]
        command: TokenCommand,
        /// The data folder holding the store.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a consistent copy of the store, safe while serving: SQLite's online backup of
    /// the data folder, or with `--database` a GeoPackage file holding the whole database.
    Backup {
        /// The copy to write; refused if it exists.
        file: PathBuf,
        /// The data folder holding the store.
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Copy a GeoPackage store (corrections, their history, accounts) into an empty
    /// PostgreSQL database, then check the copy: the same counts and the same checksum.
    Migrate {
        /// The data folder holding `planmap.gpkg`.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The PostgreSQL + PostGIS database, as a URL; it must hold no correction or account.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Time the R-tree against a brute-force scan on deterministic synthetic features.
    Bench {
        /// Number of synthetic features (points, lines and polygons over central Chongqing).
        #[arg(long, default_value_t = 1_000_000)]
        features: usize,
        /// Number of near and bbox queries on the index (the brute-force scan runs at most 50).
        #[arg(long, default_value_t = 1_000)]
        queries: usize,
        /// Instead: load this many reports (variants of the seed made at run time) and
        /// measure the page's first view, a 500 m near answer and the server's memory.
        #[arg(long)]
        reports: Option<usize>,
        /// With --reports: write the generated reports into this folder (for `serve --seeds`
        /// and scripts/first-view.mjs) instead of measuring.
        #[arg(long, requires = "reports")]
        write_seeds: Option<PathBuf>,
    },
}

/// Where `serve` listens and what a client may ask of it.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PLANMAP_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Largest `limit` a client may ask for.
    #[arg(long, env = "PLANMAP_MAX_LIMIT", default_value_t = planmap::api::MAX_LIMIT)]
    pub max_limit: usize,
    /// Largest near radius a client may ask for, metres.
    #[arg(long, env = "PLANMAP_MAX_RADIUS_M", default_value_t = planmap::api::MAX_RADIUS_M)]
    pub max_radius_m: f64,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, env = "PLANMAP_REQUEST_TIMEOUT_S", default_value_t = 10)]
    pub request_timeout_s: u64,
    /// Requests handled at once; more are answered 503 at once.
    #[arg(long, env = "PLANMAP_MAX_CONCURRENT", default_value_t = 512)]
    pub max_concurrent: usize,
    /// Longest request URI in bytes; longer ones get 414.
    #[arg(long, env = "PLANMAP_MAX_URI_BYTES", default_value_t = 16 * 1024)]
    pub max_uri_bytes: usize,
    /// Largest request body (a correction) in bytes; larger ones get 413.
    #[arg(long, env = "PLANMAP_MAX_BODY_BYTES", default_value_t = 256 * 1024)]
    pub max_body_bytes: usize,
    /// Largest uploaded report text (`POST /api/reports`) in bytes; larger ones get 413.
    #[arg(long, env = "PLANMAP_MAX_REPORT_BYTES", default_value_t = 2 * 1024 * 1024)]
    pub max_report_bytes: usize,
    /// The URL clients reach the server at behind a proxy (scheme, host, path prefix, e.g.
    /// https://maps.example.org/planmap): every link in an answer starts with it. Without it,
    /// links start with http:// and the request's Host header.
    #[arg(long, env = "PLANMAP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Believe the proxy's Forwarded / X-Forwarded-Proto|Host|Prefix headers for links (only
    /// when a proxy that sets them stands in front; --public-url wins over them).
    #[arg(long, env = "PLANMAP_TRUST_FORWARDED")]
    pub trust_forwarded: bool,
    /// With --database: how many seconds to keep trying to reach the database at start before
    /// giving up (0: one attempt). Without it the server waits as long as it takes, trying
    /// again with growing pauses (up to 10 s) and logging each attempt; meanwhile it listens
    /// and answers /health 503 saying what it waits for. A wrong password, a missing database
    /// or PostGIS end it at once.
    #[arg(long, env = "PLANMAP_DATABASE_WAIT", value_name = "SECS")]
    pub database_wait: Option<u64>,
}

/// Token subcommands.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Make an editor account and print its token once (it is never shown again).
    Add {
        /// The account name (who the audit trail will name).
        name: String,
    },
    /// List the accounts, with when each token was made and revoked (never the secrets).
    List,
    /// Revoke an account's token; its past changes keep its name.
    Revoke {
        /// The account name.
        name: String,
    },
}

/// Gazetteer subcommands.
#[derive(Subcommand)]
pub enum GazetteerCommand {
    /// Import a real OpenStreetMap extract (.osm.pbf): named roads (ways of one name merged),
    /// places, POIs, parks, water, railways and stations, as exact gazetteer entries that take
    /// precedence over approximate curated ones.
    ImportOsm {
        /// The extract.
        file: PathBuf,
        /// Keep only what lies in minLon,minLat,maxLon,maxLat (WGS-84).
        #[arg(long, value_parser = planmap::import::parse_bbox)]
        bbox: Option<[f64; 4]>,
        /// Where to write the entries; default: geodata/osm-import-<file stem>.geojson.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the planners' current corrections as gazetteer entries (the format of
    /// geodata/gazetteer.geojson), one per corrected name, for review and commit.
    ExportCurated {
        /// The file to write.
        file: PathBuf,
        /// Where the reports and geodata come from (for each feature's kind and aliases).
        #[command(flatten)]
        data: DataArgs,
        /// The data folder holding the store.
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_data_command_takes_the_same_data_flags() {
        for args in [
            &["planmap", "serve", "--seeds", "s", "--geodata", "g"][..],
            &["planmap", "stats", "--seeds", "s", "--geodata", "g"],
            &["planmap", "export", "--seeds", "s", "--geodata", "g"],
            &["planmap", "parse", "--seeds", "s", "--geodata", "g"],
        ] {
            let cli = Cli::try_parse_from(args).expect("parses");
            let data = match cli.command {
                Command::Serve { data, .. }
                | Command::Parse { data, .. }
                | Command::Stats { data }
                | Command::Export { data } => data,
                Command::Gazetteer { .. }
                | Command::Bench { .. }
                | Command::Token { .. }
                | Command::Backup { .. }
                | Command::Migrate { .. } => panic!("{args:?}"),
            };
            assert_eq!(data.seeds, Some(PathBuf::from("s")), "{args:?}");
            assert_eq!(data.geodata, Some(PathBuf::from("g")), "{args:?}");
        }
    }

    #[test]
    fn token_and_backup_take_a_database_url_and_migrate_takes_both_ends() {
        let url = "postgres://planmap@127.0.0.1/planmap";
        for args in [
            &["planmap", "token", "list", "--database", url][..],
            &["planmap", "backup", "copy.gpkg", "--database", url],
            &["planmap", "serve", "--database", url],
        ] {
            let cli = Cli::try_parse_from(args).expect("parses");
            let (Command::Token { store, .. }
            | Command::Backup { store, .. }
            | Command::Serve { store, .. }) = cli.command
            else {
                panic!("{args:?}")
            };
            assert_eq!(store.database.as_deref(), Some(url), "{args:?}");
        }
        let cli = Cli::try_parse_from(["planmap", "migrate", "--from", "data", "--to", url])
            .expect("parses");
        let Command::Migrate { from, to } = cli.command else {
            panic!("not migrate");
        };
        assert_eq!((from, to.as_str()), (PathBuf::from("data"), url));
    }

    #[test]
    fn parse_takes_several_files() {
        let cli =
            Cli::try_parse_from(["planmap", "parse", "a.txt", "b.txt", "--json"]).expect("parses");
        let Command::Parse {
            files, json, gold, ..
        } = cli.command
        else {
            panic!("not parse");
        };
        assert_eq!(files, [PathBuf::from("a.txt"), PathBuf::from("b.txt")]);
        assert!(json);
        assert_eq!(gold, None);
    }

    #[test]
    fn a_bad_bbox_is_refused_by_the_parser_naming_the_problem() {
        let Err(e) = Cli::try_parse_from([
            "planmap",
            "gazetteer",
            "import-osm",
            "x.osm.pbf",
            "--bbox",
            "106.6,29.5,106.5,29.6",
        ]) else {
            panic!("an inverted bbox parsed");
        };
        assert!(e.to_string().contains("not a WGS-84 box"), "{e}");
    }
}
