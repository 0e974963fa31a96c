//! The whole GeoPackage store as a [`Snapshot`], and a snapshot written into an empty one.
//!
//! Inputs: an open store connection. Outputs: every history version, account, change, report
//! and verdict row read in one read transaction (a single consistent state), or an empty store
//! filled in one write transaction with the rows as they are (versions, change numbers, times,
//! editors and token hashes kept).
//! Used by `planmap migrate` (GeoPackage → PostgreSQL) and `planmap backup --database`
//! (PostgreSQL → a GeoPackage file).

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior, params};

use super::changes::{REPORT_COLUMNS, report_of};
use super::corrections::{HISTORY_COLUMNS, RawVersion};
use super::{binary, db_error};
use crate::plan::Layer;
use crate::store::changes::VerdictKind;
use crate::store::placement::{Role, StoreError};
use crate::store::snapshot::{Account, Removal, ReportRow, Snapshot};

/// Every report row, removed ones too (or only those: `only_removed`), in the order of the
/// changes that added them.
pub(super) fn reports(
    conn: &Connection,
    path: &Path,
    only_removed: bool,
) -> Result<Vec<ReportRow>, StoreError> {
    let db = |e| db_error(path, e);
    let filter = if only_removed {
        "WHERE removed_at IS NOT NULL"
    } else {
        ""
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {REPORT_COLUMNS}, removed_by, removed_note, removed_at, removed_change
             FROM reports {filter} ORDER BY change"
        ))
        .map_err(db)?;
    stmt.query_map([], |r| {
        let removed = match (
            r.get(10)?,
            r.get(11)?,
            r.get(12)?,
            r.get::<_, Option<i64>>(13)?,
        ) {
            (Some(by), Some(note), Some(at), Some(change)) => Some(Removal {
                by,
                note,
                at,
                change: u64::try_from(change).unwrap_or(0),
            }),
            _ => None,
        };
        Ok(ReportRow {
            stored: report_of(r)?,
            removed,
        })
    })
    .map_err(db)?
    .collect::<rusqlite::Result<Vec<_>>>()
    .map_err(db)
}

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
    let changes = super::changes::changes_since(&tx, path, 0)?;
    let reports = reports(&tx, path, false)?;
    let mut verdicts = super::changes::verdict_history(&tx, path)?;
    verdicts.reverse();
    tx.commit().map_err(db)?;
    Ok(Snapshot {
        history,
        accounts,
        changes,
        reports,
        verdicts,
    })
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
            "SELECT (SELECT COUNT(*) FROM correction_history) + (SELECT COUNT(*) FROM accounts)
               + (SELECT COUNT(*) FROM changes)",
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
    write_corrections(&tx, path, snapshot)?;
    write_log(&tx, path, snapshot)?;
    tx.commit().map_err(db)
}

/// The history, live corrections and accounts of `snapshot`, inside `tx`.
fn write_corrections(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| db_error(path, e);
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
    Ok(())
}

/// The change log, reports and verdicts of `snapshot`, inside `tx`.
fn write_log(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| db_error(path, e);
    let number = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    for c in &snapshot.changes {
        tx.execute(
            "INSERT INTO changes (number, kind, key, who, at, why) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![number(c.number), c.kind.as_str(), c.key, c.who, c.at, c.why],
        )
        .map_err(db)?;
    }
    for r in &snapshot.reports {
        let (s, n) = (&r.stored, &r.stored.report);
        let removed = r.removed.as_ref();
        tx.execute(
            "INSERT INTO reports (id, text, title, district, year, kind, editor, note, at, change,
               removed_by, removed_note, removed_at, removed_change)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                n.id,
                n.text,
                n.title,
                n.district,
                n.year,
                n.kind,
                n.editor,
                n.note,
                s.at,
                number(s.change),
                removed.map(|m| &m.by),
                removed.map(|m| &m.note),
                removed.map(|m| &m.at),
                removed.map(|m| number(m.change)),
            ],
        )
        .map_err(db)?;
    }
    for v in &snapshot.verdicts {
        tx.execute(
            "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                v.name,
                v.verdict.map(VerdictKind::as_str),
                v.layer.map(Layer::as_str),
                v.kind,
                v.note,
                v.editor,
                v.at,
                number(v.change),
            ],
        )
        .map_err(db)?;
    }
    Ok(())
}
