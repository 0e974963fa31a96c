//! The [`PlacementStore`] on PostgreSQL + PostGIS, for several servers sharing one database
//! (issue #22).
//!
//! Inputs: a connection URL (`postgres://user@host:port/db?sslmode=…`, the libpq keywords
//! tokio-postgres reads). Outputs: the tables `corrections` and `correction_history` with
//! PostGIS `geometry(Geometry, 4326)` columns and GiST indexes (QGIS and `ogrinfo PG:` open them
//! as layers), `accounts` (token hashes only) and `changes`, a log with one row per write whose
//! `number` is the store's change number, `reports` and `verdicts`; each write commits in one transaction that also
//! `NOTIFY`s `planmap_changes` with that number.
//!
//! Layout by seam: [`schema`] (versioned migrations under an advisory lock), [`corrections`]
//! (put, revert, history, current), [`changes`] (the change log, uploaded reports, verdicts:
//! the [`ChangeStore`] half), [`tokens`] (accounts), [`copy`] (the whole store as a
//! [`Snapshot`], both ways), [`watch`] (the LISTEN task of a replica).
//!
//! The domain is synchronous (the HTTP layer calls stores on its blocking pool), the client
//! is async: the store owns a small tokio runtime of its own, and every call is a future sent to
//! it and waited for on a channel. That never blocks inside the caller's runtime (a `block_on`
//! there would panic) and lets the pool's connection tasks run whatever the caller does.
//! Connections come from a deadpool pool with wait, create and recycle timeouts; every session
//! has a `statement_timeout` and a `lock_timeout`, so a database that hangs becomes a 503 after
//! seconds, not a stuck request.
//!
//! TLS follows the URL's `sslmode` as tokio-postgres reads it: `disable` never, `prefer` (the
//! default) when the server offers it, `require` always. The connector is the system's
//! OpenSSL (native-tls), which verifies the server's certificate chain against the system's
//! roots and its host name, so `require` is what libpq calls `verify-full`.

pub mod changes;
pub mod copy;
pub mod corrections;
pub mod schema;
pub mod tokens;
pub mod watch;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod};
use postgres_native_tls::MakeTlsConnector;

use super::changes::{ChangeEntry, ChangeStore, NewReport, StoredReport, Verdict, VerdictVersion};
use super::placement::{
    Correction, CurrentCorrection, Editor, PlacementStore, PlacementVersion, Role, StoreError,
    TokenInfo, Version,
};
use super::snapshot::Snapshot;

/// The channel every write notifies, with its change number as the payload.
pub const CHANNEL: &str = "planmap_changes";

/// Connections kept open per server; writes are serialised anyway, reads are few (history,
/// token checks), the atlas is served from memory.
const POOL_SIZE: usize = 8;

/// How long a request waits for a pooled connection, for a new connection, and for a
/// recycled one to answer, before the store says `Unavailable`.
const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest any one store call may take, end to end.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

/// Session settings: a statement may run 10 s, a lock (the write lock, a row) be waited for
/// 5 s, a transaction idle 60 s; beyond that PostgreSQL cancels it and the store answers 503.
/// Notices (`… already exists, skipping` of an idempotent migration) stay out of the log.
const SESSION_OPTIONS: &str = "-c statement_timeout=10000 -c lock_timeout=5000 \
    -c idle_in_transaction_session_timeout=60000 -c client_min_messages=warning";

/// What every part of the store shares with the tasks it runs.
pub(crate) struct Shared {
    pub(crate) pool: Pool,
    pub(crate) config: tokio_postgres::Config,
    /// TLS for every connection, when the server and `sslmode` call for it.
    pub(crate) tls: MakeTlsConnector,
    /// The URL without its password, for error messages and logs.
    pub(crate) label: PathBuf,
    /// Why the database was last unreachable; `None` while it answers.
    down: Mutex<Option<String>>,
    /// The change number the served map was last known to be at (see [`PostgresStore::watch`]).
    pub(crate) served_change: AtomicU64,
}

impl Shared {
    pub(crate) fn unavailable(&self, reason: impl Into<String>) -> StoreError {
        StoreError::Unavailable {
            path: self.label.clone(),
            reason: reason.into(),
        }
    }

    /// A pooled connection, or `Unavailable` when none comes within the timeouts.
    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Object, StoreError> {
        self.pool.get().await.map_err(|e| self.pool_error(e))
    }

    fn pool_error(&self, e: PoolError) -> StoreError {
        match e {
            PoolError::Backend(e) => self.error(e),
            other => self.unavailable(format!("no database connection: {other}")),
        }
    }

    /// Maps a client error: a lost or refused connection, a server shutting down, a timeout
    /// or too many connections is `Unavailable` (503, try again), anything else `Database`.
    pub(crate) fn error(&self, e: tokio_postgres::Error) -> StoreError {
        if is_unavailable(&e) {
            return self.unavailable(with_causes(&e));
        }
        StoreError::Database {
            path: self.label.clone(),
            source: Box::new(e),
        }
    }

    /// A stored value that cannot be read back.
    pub(crate) fn corrupt(&self, detail: String) -> StoreError {
        StoreError::Corrupt {
            path: self.label.clone(),
            detail,
        }
    }

    pub(crate) fn set_down(&self, reason: Option<String>) {
        *self.down.lock().unwrap_or_else(PoisonError::into_inner) = reason;
    }

    fn down_reason(&self) -> Option<String> {
        self.down
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// An error and its causes on one line (`error connecting to server: Connection refused (os
/// error 111)`): the client's own message alone does not say what went wrong.
fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// Whether a client error means "the database cannot be reached now" rather than a bug.
fn is_unavailable(e: &tokio_postgres::Error) -> bool {
    if let Some(db) = e.as_db_error() {
        let code = db.code().code();
        // 08: connection exceptions; 53: insufficient resources; 57P01–57P03: shutting down,
        // crash recovery, not accepting connections; 57014: statement timeout; 55P03: lock
        // timeout; 40001/40P01: serialisation failure or deadlock (retry).
        return code.starts_with("08")
            || code.starts_with("53")
            || code.starts_with("57P0")
            || matches!(code, "57014" | "55P03" | "40001" | "40P01");
    }
    e.is_closed()
        || std::error::Error::source(e)
            .is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some())
}

/// The placement store on PostgreSQL.
pub struct PostgresStore {
    shared: Arc<Shared>,
    /// The store's own runtime; `None` only while dropping.
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.shared.label)
            .finish_non_exhaustive()
    }
}

/// The URL as it may be logged: user, hosts, ports and database, never the password.
fn label(config: &tokio_postgres::Config) -> PathBuf {
    let user = config.get_user().unwrap_or("");
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .zip(config.get_ports().iter().chain(std::iter::repeat(&5432)))
        .map(|(h, p)| match h {
            tokio_postgres::config::Host::Tcp(h) => format!("{h}:{p}"),
            tokio_postgres::config::Host::Unix(path) => format!("{}:{p}", path.display()),
        })
        .collect();
    let db = config.get_dbname().unwrap_or(user);
    PathBuf::from(format!("postgres://{user}@{}/{db}", hosts.join(",")))
}

impl PostgresStore {
    /// `url` as logs may name it (no password), before connecting; a URL that does not parse
    /// is never echoed (it may hold a password).
    #[must_use]
    pub fn redacted(url: &str) -> String {
        url.parse::<tokio_postgres::Config>().map_or_else(
            |_| "the database URL (it does not parse)".to_owned(),
            |c| label(&c).display().to_string(),
        )
    }

    /// Connects to `url`, runs the missing schema migrations (under an advisory lock, so two
    /// servers starting together migrate once) and returns the store.
    ///
    /// # Errors
    /// `Database` for a URL that does not parse (with the reason, never the password),
    /// `Unavailable` when the database cannot be reached, `NewerSchema` when a newer planmap
    /// migrated it, `Database` for anything else (PostGIS missing and not installable, say).
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut config: tokio_postgres::Config =
            url.parse()
                .map_err(|e: tokio_postgres::Error| StoreError::Database {
                    path: PathBuf::from("the database URL"),
                    source: format!("the database URL does not parse: {e}").into(),
                })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(POOL_TIMEOUT);
        }
        config.keepalives_idle(Duration::from_secs(30));
        if config.get_application_name().is_none() {
            config.application_name("planmap");
        }
        let options = match config.get_options() {
            Some(given) => format!("{given} {SESSION_OPTIONS}"),
            None => SESSION_OPTIONS.to_owned(),
        };
        config.options(&options);
        let label = label(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("planmap-postgres")
            .enable_all()
            .build()
            .map_err(|e| StoreError::Database {
                path: label.clone(),
                source: format!("cannot start the database runtime: {e}").into(),
            })?;
        let tls = native_tls::TlsConnector::new().map_err(|e| StoreError::Database {
            path: label.clone(),
            source: format!("cannot set up TLS: {e}").into(),
        })?;
        let tls = MakeTlsConnector::new(tls);
        let manager = Manager::from_config(
            config.clone(),
            tls.clone(),
            ManagerConfig {
                // Fast: a connection the server closed is seen closed and replaced; a write
                // that still meets a dead one answers 503 and the next one gets a new one.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .recycle_timeout(Some(POOL_TIMEOUT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Database {
                path: label.clone(),
                source: format!("cannot build the connection pool: {e}").into(),
            })?;
        let store = PostgresStore {
            shared: Arc::new(Shared {
                pool,
                config,
                tls,
                label,
                down: Mutex::new(None),
                served_change: AtomicU64::new(0),
            }),
            runtime: Some(runtime),
        };
        let shared = Arc::clone(&store.shared);
        store.run(async move { schema::migrate(&shared).await })?;
        Ok(store)
    }

    /// The database as logs may name it (no password).
    #[must_use]
    pub fn label(&self) -> &Path {
        &self.shared.label
    }

    /// Runs `fut` on the store's runtime and waits for it, at most [`CALL_TIMEOUT`]; records
    /// whether the database answered, for `/health`.
    fn run<T, F>(&self, fut: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let Some(runtime) = &self.runtime else {
            return Err(self.shared.unavailable("the store is closing"));
        };
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let shared = Arc::clone(&self.shared);
        runtime.spawn(async move {
            let out = match tokio::time::timeout(CALL_TIMEOUT, fut).await {
                Ok(out) => out,
                Err(_) => Err(shared.unavailable(format!(
                    "the database did not answer within {} s",
                    CALL_TIMEOUT.as_secs()
                ))),
            };
            match &out {
                Err(StoreError::Unavailable { reason, .. }) => {
                    shared.set_down(Some(reason.clone()));
                }
                _ => shared.set_down(None),
            }
            let _ = tx.send(out);
        });
        rx.recv()
            .unwrap_or_else(|_| Err(self.shared.unavailable("the database task stopped")))
    }

    /// Every version and account, read in one repeatable-read snapshot.
    ///
    /// # Errors
    /// `Unavailable`, `Database`, `Corrupt` for an undecodable row.
    pub fn snapshot(&self) -> Result<Snapshot, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { copy::read(&shared).await })
    }

    /// Fills this store, which must hold no correction and no account, with `snapshot` in one
    /// transaction (announced as one change).
    ///
    /// # Errors
    /// `Corrupt` when the store is not empty, `Unavailable`, `Database`.
    pub fn restore(&self, snapshot: Snapshot) -> Result<(), StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { copy::write_into_empty(&shared, &snapshot).await })
    }

    /// Starts the replica's listener: `on_change` runs (on a blocking thread, one call at a
    /// time) whenever the store's newest change number is above the one the served map was
    /// last known to be at, whether a notification said so or the periodic check of the change
    /// log found it (after a lost connection or a restart of the database). It brings the map
    /// up to date and returns the change number it now serves (`None` when it could not).
    pub fn watch(&self, on_change: impl Fn() -> Option<u64> + Send + Sync + 'static) {
        if let Some(runtime) = &self.runtime {
            runtime.spawn(watch::run(Arc::clone(&self.shared), Arc::new(on_change)));
        }
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Not a plain drop: that would wait for the runtime's tasks and panic when the store is
        // dropped inside another runtime (the server's, at shutdown).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl PlacementStore for PostgresStore {
    fn put(
        &self,
        correction: &Correction,
        expected: Option<Version>,
    ) -> Result<Version, StoreError> {
        super::placement::validate_correction(correction)?;
        let shared = Arc::clone(&self.shared);
        let c = correction.clone();
        self.run(async move { corrections::put(&shared, &c, expected).await })
    }

    fn revert(
        &self,
        feature_id: &str,
        editor: &str,
        note: &str,
        expected: Option<Version>,
    ) -> Result<Version, StoreError> {
        let shared = Arc::clone(&self.shared);
        let (id, editor, note) = (feature_id.to_owned(), editor.to_owned(), note.to_owned());
        self.run(async move { corrections::revert(&shared, &id, &editor, &note, expected).await })
    }

    fn version(&self, feature_id: &str) -> Result<Version, StoreError> {
        let shared = Arc::clone(&self.shared);
        let id = feature_id.to_owned();
        self.run(async move { corrections::version(&shared, &id).await })
    }

    fn history(&self, feature_id: &str) -> Result<Vec<PlacementVersion>, StoreError> {
        let shared = Arc::clone(&self.shared);
        let id = feature_id.to_owned();
        self.run(async move { corrections::history(&shared, &id).await })
    }

    fn current(&self) -> Result<Vec<CurrentCorrection>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { corrections::current(&shared).await })
    }

    fn add_token(&self, name: &str, role: Role) -> Result<String, StoreError> {
        let shared = Arc::clone(&self.shared);
        let name = name.to_owned();
        self.run(async move { tokens::add(&shared, &name, role).await })
    }

    fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { tokens::list(&shared).await })
    }

    fn revoke_token(&self, name: &str) -> Result<(), StoreError> {
        let shared = Arc::clone(&self.shared);
        let name = name.to_owned();
        self.run(async move { tokens::revoke(&shared, &name).await })
    }

    fn verify_token(&self, secret: &str) -> Result<Option<Editor>, StoreError> {
        let shared = Arc::clone(&self.shared);
        let secret = secret.to_owned();
        self.run(async move { tokens::verify(&shared, &secret).await })
    }

    /// A GeoPackage file holding the whole store, read in one snapshot: a backup QGIS opens,
    /// `planmap serve --data` serves and `planmap migrate` copies back.
    fn backup(&self, target: &Path) -> Result<(), StoreError> {
        copy::backup_to_geopackage(&self.snapshot()?, target)
    }

    fn unavailable_reason(&self) -> Option<String> {
        self.shared.down_reason()
    }
}

impl ChangeStore for PostgresStore {
    fn add_report(&self, report: &NewReport) -> Result<ChangeEntry, StoreError> {
        let shared = Arc::clone(&self.shared);
        let report = report.clone();
        self.run(async move { changes::add_report(&shared, &report).await })
    }

    fn remove_report(&self, id: &str, editor: &str, note: &str) -> Result<ChangeEntry, StoreError> {
        let shared = Arc::clone(&self.shared);
        let (id, editor, note) = (id.to_owned(), editor.to_owned(), note.to_owned());
        self.run(async move { changes::remove_report(&shared, &id, &editor, &note).await })
    }

    fn stored_reports(&self) -> Result<Vec<StoredReport>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { changes::stored_reports(&shared, None).await })
    }

    fn stored_report(&self, id: &str) -> Result<Option<StoredReport>, StoreError> {
        let shared = Arc::clone(&self.shared);
        let id = id.to_owned();
        let found = self.run(async move { changes::stored_reports(&shared, Some(&id)).await })?;
        Ok(found.into_iter().next())
    }

    fn removed_reports(&self) -> Result<Vec<super::snapshot::ReportRow>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { copy::removed_reports(&shared).await })
    }

    fn set_verdict(&self, verdict: &Verdict) -> Result<ChangeEntry, StoreError> {
        let shared = Arc::clone(&self.shared);
        let verdict = verdict.clone();
        self.run(async move { changes::set_verdict(&shared, &verdict).await })
    }

    fn remove_verdict(
        &self,
        name: &str,
        editor: &str,
        note: &str,
    ) -> Result<ChangeEntry, StoreError> {
        let shared = Arc::clone(&self.shared);
        let (name, editor, note) = (name.to_owned(), editor.to_owned(), note.to_owned());
        self.run(async move { changes::remove_verdict(&shared, &name, &editor, &note).await })
    }

    fn verdicts(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { changes::verdicts(&shared, true).await })
    }

    fn verdict_history(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { changes::verdicts(&shared, false).await })
    }

    fn changes_since(&self, after: u64) -> Result<Vec<ChangeEntry>, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { changes::changes_since(&shared, after).await })
    }

    fn last_change(&self) -> Result<u64, StoreError> {
        let shared = Arc::clone(&self.shared);
        self.run(async move { changes::last_change(&shared).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_of_a_url_never_holds_its_password() {
        let config: tokio_postgres::Config = "postgres://planner:s3cret@db.example:6543/planmap"
            .parse()
            .unwrap();
        let text = label(&config).display().to_string();
        assert_eq!(text, "postgres://planner@db.example:6543/planmap");
    }

    #[test]
    fn a_url_that_does_not_parse_is_refused_without_echoing_it() {
        let err = PostgresStore::open("postgres://planner:s3cret@host:notaport/db").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("does not parse"), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }
}
