//! A consistent copy of the store while it keeps serving (`planmap backup FILE`).
//!
//! Inputs: the live GeoPackage path and a target path that must not exist. Outputs: a complete
//! GeoPackage at the target. SQLite's online backup copies every page in one step under one
//! read transaction of its own connection, so the copy is a single snapshot and, thanks to WAL,
//! writers are not blocked meanwhile. The copy is written to `TARGET.partial`, switched to a
//! rollback journal (a single self-contained file), synced and then renamed, so the target
//! either does not exist or is complete.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::db_error;
use crate::store::placement::StoreError;

/// How long to wait before retrying when the source is momentarily locked.
const RETRY_PAUSE: Duration = Duration::from_millis(20);

/// How many locked steps to retry before giving up (about ten seconds).
const MAX_RETRIES: u32 = 500;

fn io_unavailable(path: &Path, what: &str, e: &std::io::Error) -> StoreError {
    StoreError::Unavailable {
        path: path.to_path_buf(),
        reason: format!("{what}: {e}"),
    }
}

/// Copies the GeoPackage at `source` to `target`.
///
/// # Errors
/// `BackupTargetExists`, `Unavailable` when the target folder cannot be written, `Database`.
pub fn copy(source: &Path, target: &Path) -> Result<(), StoreError> {
    if target.exists() {
        return Err(StoreError::BackupTargetExists {
            path: target.to_path_buf(),
        });
    }
    let mut partial_name = target.file_name().unwrap_or_default().to_os_string();
    partial_name.push(".partial");
    let partial: PathBuf = target.with_file_name(partial_name);
    // A partial file is the remains of an interrupted backup, never something to keep.
    if partial.exists() {
        std::fs::remove_file(&partial)
            .map_err(|e| io_unavailable(&partial, "cannot remove an old partial backup", &e))?;
    }
    let result = copy_to(source, &partial).and_then(|()| {
        std::fs::rename(&partial, target)
            .map_err(|e| io_unavailable(target, "cannot move the backup into place", &e))?;
        sync_parent(target);
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

fn copy_to(source: &Path, partial: &Path) -> Result<(), StoreError> {
    let src = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| db_error(source, e))?;
    let mut dst = Connection::open(partial).map_err(|e| db_error(partial, e))?;
    {
        let backup = Backup::new(&src, &mut dst).map_err(|e| db_error(partial, e))?;
        let mut retries = 0;
        loop {
            // -1: all pages in one step, i.e. one read transaction, i.e. one snapshot.
            match backup.step(-1).map_err(|e| db_error(partial, e))? {
                StepResult::Done => break,
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => {
                    retries += 1;
                    if retries > MAX_RETRIES {
                        return Err(StoreError::Unavailable {
                            path: source.to_path_buf(),
                            reason: "the store stayed locked during the backup".to_owned(),
                        });
                    }
                    std::thread::sleep(RETRY_PAUSE);
                }
                // StepResult is non-exhaustive; any future outcome is treated as progress.
                #[expect(
                    clippy::match_same_arms,
                    reason = "kept apart from More to say why an unknown outcome is progress"
                )]
                _ => {}
            }
        }
    }
    // The copied header says WAL; a backup should be one self-contained file.
    dst.query_row("PRAGMA journal_mode = DELETE", [], |r| {
        r.get::<_, String>(0)
    })
    .map_err(|e| db_error(partial, e))?;
    dst.close().map_err(|(_, e)| db_error(partial, e))?;
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_unavailable(partial, "cannot sync the backup", &e))?;
    Ok(())
}

/// Makes the rename durable; a folder that cannot be opened for syncing (some platforms)
/// still has the complete file, so this is best effort.
fn sync_parent(target: &Path) {
    if let Some(parent) = target.parent() {
        let dir = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
