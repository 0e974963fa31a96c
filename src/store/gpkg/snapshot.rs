//! The whole GeoPackage store as a [`Snapshot`], and a snapshot written into an empty one.
//!
//! Inputs: an open store connection. Outputs: every history version and account row read in
//! one read transaction (a single consistent state), or an empty store filled in one write
//! transaction with the rows as they are (versions, times, editors and token hashes kept).
//! Used by `planmap migrate` (GeoPackage → PostgreSQL) and `planmap backup --database`
//! (PostgreSQL → a GeoPackage file).

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior, params};

use super::corrections::{HISTORY_COLUMNS, RawVersion};
use super::{binary, db_error};
use crate::store::placement::{Role, StoreError};
use crate::store::snapshot::{Account, Snapshot};

/// Reads every version and account in one read transaction.
///
/// # Errors
/// SQLite errors mapped by `db_error`; `Corrupt` for an undecodable row.
pub fn read(conn: &mut Connection, path: &Path) -> Result<Snapshot, StoreError> {
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(db)?;
    let raw = tx
        .prepare(&format!(
            "SELECT {HISTORY_COLUMNS} FROM correction_history ORDER BY feature_id, version"
        ))
        .map_err(db)?
        .query_map([], RawVersion::from_row)
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let history = raw
        .into_iter()
        .map(|r| r.decode(path))
        .collect::<Result<_, _>>()?;
    let rows = tx
        .prepare(
            "SELECT name, role, token_sha256, created_at, revoked_at FROM accounts ORDER BY id",
        )
        .map_err(db)?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    let accounts = rows
        .into_iter()
        .map(|(name, role, token_sha256, created_at, revoked_at)| {
            Ok(Account {
                role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt {
                    path: path.to_path_buf(),
                    detail: format!("unknown account role {role:?}"),
                })?,
                name,
                token_sha256,
                created_at,
                revoked_at,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    tx.commit().map_err(db)?;
    Ok(Snapshot { history, accounts })
}

/// Writes `snapshot` into a store that holds nothing yet, in one transaction.
///
/// # Errors
/// `Corrupt` when the store is not empty (a copy never merges into existing state), SQLite
/// errors mapped by `db_error`.
pub fn write_into_empty(
    conn: &mut Connection,
    path: &Path,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let rows: i64 = tx
        .query_row(
            "SELECT (SELECT COUNT(*) FROM correction_history) + (SELECT COUNT(*) FROM accounts)",
            [],
            |r| r.get(0),
        )
        .map_err(db)?;
    if rows > 0 {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!(
                "the target already holds {rows} row(s); a copy goes into an empty store"
            ),
        });
    }
    for v in &snapshot.history {
        tx.execute(
            "INSERT INTO correction_history (geom, feature_id, version, change, layer, name,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                v.geometry.as_ref().map(binary::encode),
                v.feature_id,
                i64::try_from(v.version.0).unwrap_or(i64::MAX),
                v.change.as_str(),
                v.layer.as_str(),
                v.name,
                v.uncertainty_m,
                v.source,
                v.note,
                v.editor,
                v.at,
                v.replaced.map(|r| i64::try_from(r.0).unwrap_or(i64::MAX)),
            ],
        )
        .map_err(db)?;
    }
    for c in snapshot.current() {
        tx.execute(
            "INSERT INTO corrections (geom, feature_id, layer, name, uncertainty_m, source, note,
               editor, at, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                binary::encode(&c.geometry),
                c.feature_id,
                c.layer.as_str(),
                c.name,
                c.uncertainty_m,
                c.source,
                c.note,
                c.editor,
                c.at,
                i64::try_from(c.version.0).unwrap_or(i64::MAX),
            ],
        )
        .map_err(db)?;
    }
    for a in &snapshot.accounts {
        tx.execute(
            "INSERT INTO accounts (name, role, token_sha256, created_at, revoked_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                a.name,
                a.role.as_str(),
                a.token_sha256,
                a.created_at,
                a.revoked_at
            ],
        )
        .map_err(db)?;
    }
    tx.commit().map_err(db)
}
