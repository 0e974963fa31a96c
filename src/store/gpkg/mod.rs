//! The embedded [`PlacementStore`]: one GeoPackage file, `planmap.gpkg`, in the data folder.
//!
//! Inputs: the data folder (`--data DIR`), created on first run. Outputs: a SQLite file in WAL
//! mode with `synchronous=FULL`, so a write that returned `Ok` survives a crash or power cut,
//! which QGIS and `ogrinfo` open as a GeoPackage with the layers `corrections` and
//! `correction_history` (EPSG:4326).
//!
//! Layout by seam: [`schema`] (GeoPackage tables, migrations), [`binary`] (GeoPackage geometry
//! blobs), [`corrections`] (put, revert, history, current), [`changes`] (the change log,
//! uploaded reports, verdicts), [`tokens`] (accounts), [`backup`] (online backup),
//! [`snapshot`] (the whole store as values, for copies to and from PostgreSQL). One
//! connection behind a mutex serves this process; other processes (the
//! `planmap token` and `planmap backup` commands while the server runs) open their own, and
//! SQLite's file locks plus a busy timeout keep them consistent.

pub mod backup;
pub mod binary;
pub mod changes;
pub mod corrections;
pub mod schema;
pub mod snapshot;
pub mod tokens;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::changes::{ChangeEntry, ChangeStore, NewReport, StoredReport, Verdict, VerdictVersion};
use super::placement::{
    Correction, CurrentCorrection, Editor, PlacementStore, PlacementVersion, Role, StoreError,
    TokenInfo, Version,
};

/// The file name of the store inside the data folder.
pub const FILE_NAME: &str = "planmap.gpkg";

/// How long a write waits for another process holding the write lock before answering
/// `Unavailable` (HTTP 503), rather than failing at once.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The GeoPackage-backed placement store.
pub struct GeoPackageStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for GeoPackageStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoPackageStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl GeoPackageStore {
    /// Opens `dir/planmap.gpkg`, creating the folder and a fresh GeoPackage on first run and
    /// migrating an older schema.
    ///
    /// # Errors
    /// `Unavailable` when the folder or file cannot be created or written, `NewerSchema` when
    /// a newer planmap wrote the file, `Corrupt` when it is not a planmap GeoPackage.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Unavailable {
            path: dir.to_path_buf(),
            reason: format!("cannot create the data folder: {e}"),
        })?;
        let path = dir.join(FILE_NAME);
        let db = |e| db_error(&path, e);
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(db)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
        // WAL: readers never block the writer and a backup can run while serving.
        // synchronous=FULL: every commit is fsynced before it returns, so "acknowledged"
        // means "on disk" (NORMAL would only protect against application crashes in WAL).
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Unavailable {
                path,
                reason: format!("the file system refused WAL mode (journal_mode is {mode})"),
            });
        }
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(db)?;
        let state = schema::check_and_migrate(&mut conn).map_err(db)?;
        // GDAL reads `application_id` from the main file's header bytes before opening it
        // through SQLite; after creation that header is still only in the log, so copy the
        // log into the main file now. PASSIVE never waits for other processes' readers, and a
        // checkpoint that cannot finish loses nothing (the log keeps every commit), so its
        // outcome is not an error of opening.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        Self::ready(path, conn, state)
    }

    /// Opens an existing `dir/planmap.gpkg` for reading only, for serving the corrections
    /// when the data folder is read-only (a mounted snapshot, a full or remounted disk).
    /// Every write then answers [`StoreError::Unavailable`]; reads work.
    ///
    /// When SQLite cannot create its shared-memory file beside the database and no
    /// write-ahead log exists (the last writer closed cleanly, so every commit is in the main
    /// file), the file is opened as immutable. With a log present it is never opened that way,
    /// as that would hide acknowledged writes still in the log.
    ///
    /// # Errors
    /// `Unavailable` when the file cannot be read, `NewerSchema`, `Corrupt` (including a file
    /// that would need a migration).
    pub fn open_read_only(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join(FILE_NAME);
        let db = |e| db_error(&path, e);
        if !path.is_file() {
            return Err(StoreError::Unavailable {
                path,
                reason: "no store file to read".to_owned(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let wal_exists = dir.join(format!("{FILE_NAME}-wal")).exists();
        let plain = Connection::open_with_flags(&path, flags).and_then(|c| {
            schema::check_read_only(&c)?;
            Ok(c)
        });
        let conn = match plain {
            Ok(c) => c,
            Err(_) if !wal_exists => {
                let mut uri = String::from("file:");
                uri.push_str(&percent_encode_path(&path));
                uri.push_str("?immutable=1");
                Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI).map_err(db)?
            }
            Err(e) => return Err(db(e)),
        };
        let state = schema::check_read_only(&conn).map_err(db)?;
        Self::ready(path, conn, state)
    }

    /// Turns a schema check into the store or the error naming the file.
    fn ready(
        path: PathBuf,
        conn: Connection,
        state: schema::SchemaState,
    ) -> Result<Self, StoreError> {
        match state {
            schema::SchemaState::Ready => Ok(GeoPackageStore {
                path,
                conn: Mutex::new(conn),
            }),
            schema::SchemaState::Newer(found) => Err(StoreError::NewerSchema {
                path,
                found,
                supported: schema::latest_version(),
            }),
            schema::SchemaState::Foreign(detail) => Err(StoreError::Corrupt { path, detail }),
        }
    }

    /// The path of the GeoPackage file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every version and account, read in one transaction.
    ///
    /// # Errors
    /// `Database`, `Corrupt` for an undecodable row.
    pub fn snapshot(&self) -> Result<crate::store::snapshot::Snapshot, StoreError> {
        snapshot::read(&mut self.conn(), &self.path)
    }

    /// Fills this store, which must be empty, with `snapshot` in one transaction.
    ///
    /// # Errors
    /// `Corrupt` when the store is not empty, `Unavailable`, `Database`.
    pub fn restore(&self, snapshot: &crate::store::snapshot::Snapshot) -> Result<(), StoreError> {
        snapshot::write_into_empty(&mut self.conn(), &self.path, snapshot)
    }

    /// The connection; a panic in another request must not lock the store for good, and a
    /// panicking write has already rolled back (its transaction is dropped), so a poisoned
    /// lock is safe to take over.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Escapes a path for a SQLite `file:` URI (`%`, `?` and `#` would otherwise end the path).
fn percent_encode_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    out
}

/// Maps a SQLite error to a [`StoreError`] naming the file.
///
/// Read-only, full, unopenable, locked or failing storage is `Unavailable` (HTTP 503: try
/// later, reads still work); a damaged file is `Corrupt`; anything else is `Database`.
#[must_use]
pub fn db_error(path: &Path, e: rusqlite::Error) -> StoreError {
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    };
    match code {
        Some(
            ErrorCode::ReadOnly
            | ErrorCode::DiskFull
            | ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::DatabaseBusy
            | ErrorCode::DatabaseLocked
            | ErrorCode::SystemIoFailure,
        ) => StoreError::Unavailable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        },
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::Database {
            path: path.to_path_buf(),
            source: Box::new(e),
        },
    }
}

impl PlacementStore for GeoPackageStore {
    fn put(
        &self,
        correction: &Correction,
        expected: Option<Version>,
    ) -> Result<Version, StoreError> {
        corrections::put(&mut self.conn(), &self.path, correction, expected)
    }

    fn revert(
        &self,
        feature_id: &str,
        editor: &str,
        note: &str,
        expected: Option<Version>,
    ) -> Result<Version, StoreError> {
        corrections::revert(
            &mut self.conn(),
            &self.path,
            feature_id,
            editor,
            note,
            expected,
        )
    }

    fn version(&self, feature_id: &str) -> Result<Version, StoreError> {
        corrections::current_version(&self.conn(), feature_id).map_err(|e| db_error(&self.path, e))
    }

    fn history(&self, feature_id: &str) -> Result<Vec<PlacementVersion>, StoreError> {
        corrections::history(&self.conn(), &self.path, feature_id)
    }

    fn current(&self) -> Result<Vec<CurrentCorrection>, StoreError> {
        corrections::current(&self.conn(), &self.path)
    }

    fn add_token(&self, name: &str, role: Role) -> Result<String, StoreError> {
        tokens::add(&mut self.conn(), &self.path, name, role)
    }

    fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        tokens::list(&self.conn(), &self.path)
    }

    fn revoke_token(&self, name: &str) -> Result<(), StoreError> {
        tokens::revoke(&mut self.conn(), &self.path, name)
    }

    fn verify_token(&self, secret: &str) -> Result<Option<Editor>, StoreError> {
        tokens::verify(&self.conn(), &self.path, secret)
    }

    fn backup(&self, target: &Path) -> Result<(), StoreError> {
        // The backup reads through its own connection, so it does not hold the mutex and
        // writes from this process go on while it copies.
        backup::copy(&self.path, target)
    }
}

impl ChangeStore for GeoPackageStore {
    fn add_report(&self, report: &NewReport) -> Result<ChangeEntry, StoreError> {
        changes::add_report(&mut self.conn(), &self.path, report)
    }

    fn remove_report(&self, id: &str, editor: &str, note: &str) -> Result<ChangeEntry, StoreError> {
        changes::remove_report(&mut self.conn(), &self.path, id, editor, note)
    }

    fn stored_reports(&self) -> Result<Vec<StoredReport>, StoreError> {
        changes::stored_reports(&self.conn(), &self.path)
    }

    fn stored_report(&self, id: &str) -> Result<Option<StoredReport>, StoreError> {
        changes::stored_report(&self.conn(), &self.path, id)
    }

    fn removed_reports(&self) -> Result<Vec<crate::store::snapshot::ReportRow>, StoreError> {
        let mut rows = snapshot::reports(&self.conn(), &self.path, true)?;
        rows.sort_by_key(|r| std::cmp::Reverse(r.removed.as_ref().map(|m| m.change)));
        Ok(rows)
    }

    fn set_verdict(&self, verdict: &Verdict) -> Result<ChangeEntry, StoreError> {
        changes::set_verdict(&mut self.conn(), &self.path, verdict)
    }

    fn remove_verdict(
        &self,
        name: &str,
        editor: &str,
        note: &str,
    ) -> Result<ChangeEntry, StoreError> {
        changes::remove_verdict(&mut self.conn(), &self.path, name, editor, note)
    }

    fn verdicts(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        changes::verdicts(&self.conn(), &self.path)
    }

    fn verdict_history(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        changes::verdict_history(&self.conn(), &self.path)
    }

    fn changes_since(&self, after: u64) -> Result<Vec<ChangeEntry>, StoreError> {
        changes::changes_since(&self.conn(), &self.path, after)
    }

    fn last_change(&self) -> Result<u64, StoreError> {
        changes::last_change(&self.conn(), &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn a_read_only_or_full_database_maps_to_unavailable() {
        let path = Path::new("/data/planmap.gpkg");
        for code in [
            rusqlite::ffi::SQLITE_READONLY,
            rusqlite::ffi::SQLITE_FULL,
            rusqlite::ffi::SQLITE_CANTOPEN,
            rusqlite::ffi::SQLITE_BUSY,
            rusqlite::ffi::SQLITE_IOERR,
        ] {
            match db_error(path, failure(code)) {
                StoreError::Unavailable { path: p, .. } => assert_eq!(p, path),
                other => panic!("code {code} mapped to {other:?}"),
            }
        }
    }

    #[test]
    fn the_store_connection_commits_with_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = GeoPackageStore::open(dir.path()).unwrap();
        let conn = store.conn();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        // synchronous 2 is FULL: the log is fsynced at every commit.
        assert_eq!((mode.as_str(), sync), ("wal", 2));
    }

    #[test]
    fn a_damaged_file_maps_to_corrupt_and_a_constraint_to_database() {
        let path = Path::new("/data/planmap.gpkg");
        assert!(matches!(
            db_error(path, failure(rusqlite::ffi::SQLITE_NOTADB)),
            StoreError::Corrupt { .. }
        ));
        assert!(matches!(
            db_error(path, failure(rusqlite::ffi::SQLITE_CONSTRAINT)),
            StoreError::Database { .. }
        ));
    }
}
