//! The change log, uploaded reports and verdicts in the GeoPackage (schema version 2).
//!
//! Inputs: validated uploads, removals, verdicts and withdrawals. Outputs: rows in `reports`
//! (a removal marks its row, which stays), `verdicts` (one row per version; a withdrawal is a
//! row with a NULL verdict) and `changes` (one row per write), each write in one
//! `BEGIN IMMEDIATE` transaction. Times are SQLite's UTC clock, RFC 3339 with milliseconds.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};

use super::db_error;
use crate::plan::Layer;
use crate::store::changes::{
    ChangeEntry, ChangeKind, NewReport, StoredReport, Verdict, VerdictKind, VerdictVersion,
    validate_report, validate_verdict,
};
use crate::store::placement::{StoreError, check_text};

/// SQLite's current UTC time as RFC 3339 with milliseconds.
const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Appends one change inside `tx`; its number.
///
/// # Errors
/// Any SQLite error.
pub fn append(
    tx: &Transaction<'_>,
    kind: &str,
    key: &str,
    who: &str,
    why: &str,
) -> rusqlite::Result<u64> {
    tx.execute(
        &format!(
            "INSERT INTO changes (kind, key, who, at, why) VALUES (?1, ?2, ?3, {NOW_SQL}, ?4)"
        ),
        params![kind, key, who, why],
    )?;
    Ok(u64::try_from(tx.last_insert_rowid()).unwrap_or(0))
}

/// The change with this number, read back inside `tx`.
fn entry(conn: &Connection, path: &Path, number: u64) -> Result<ChangeEntry, StoreError> {
    conn.query_row(
        "SELECT number, kind, key, who, at, why FROM changes WHERE number = ?1",
        [i64::try_from(number).unwrap_or(i64::MAX)],
        raw_change,
    )
    .map_err(|e| db_error(path, e))
    .and_then(|raw| change_of(path, raw))
}

type RawChange = (i64, String, String, String, String, String);

fn raw_change(r: &Row<'_>) -> rusqlite::Result<RawChange> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn change_of(path: &Path, raw: RawChange) -> Result<ChangeEntry, StoreError> {
    let (number, kind, key, who, at, why) = raw;
    Ok(ChangeEntry {
        number: u64::try_from(number).unwrap_or(0),
        kind: ChangeKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("unknown change kind {kind:?}"),
        })?,
        key,
        who,
        at,
        why,
    })
}

/// Runs `write` in one immediate transaction, appends its change and commits; the change.
fn write_change(
    conn: &mut Connection,
    path: &Path,
    kind: ChangeKind,
    key: &str,
    who: &str,
    why: &str,
    write: impl FnOnce(&Transaction<'_>, u64) -> Result<(), StoreError>,
) -> Result<ChangeEntry, StoreError> {
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let number = append(&tx, kind.as_str(), key, who, why).map_err(db)?;
    write(&tx, number)?;
    let change = entry(&tx, path, number)?;
    tx.commit().map_err(db)?;
    Ok(change)
}

/// Stores an upload.
///
/// # Errors
/// Validation errors, `DuplicateReport`, SQLite errors.
pub fn add_report(
    conn: &mut Connection,
    path: &Path,
    r: &NewReport,
) -> Result<ChangeEntry, StoreError> {
    validate_report(r)?;
    let db = |e| db_error(path, e);
    write_change(
        conn,
        path,
        ChangeKind::ReportAdded,
        &r.id,
        &r.editor,
        &r.note,
        |tx, number| {
            let live: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM reports WHERE id = ?1 AND removed_at IS NULL)",
                    [&r.id],
                    |row| row.get(0),
                )
                .map_err(db)?;
            if live {
                return Err(StoreError::DuplicateReport { id: r.id.clone() });
            }
            tx.execute(
                &format!(
                    "INSERT INTO reports (id, text, title, district, year, kind, editor, note, at,
                       change)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, {NOW_SQL}, ?9)"
                ),
                params![
                    r.id,
                    r.text,
                    r.title,
                    r.district,
                    r.year,
                    r.kind,
                    r.editor,
                    r.note,
                    i64::try_from(number).unwrap_or(i64::MAX)
                ],
            )
            .map_err(db)?;
            Ok(())
        },
    )
}

/// Marks a live upload removed.
///
/// # Errors
/// `EmptyText`, `UnknownStoredReport`, SQLite errors.
pub fn remove_report(
    conn: &mut Connection,
    path: &Path,
    id: &str,
    editor: &str,
    note: &str,
) -> Result<ChangeEntry, StoreError> {
    check_text(id, "editor", editor)?;
    check_text(id, "note", note)?;
    let db = |e| db_error(path, e);
    write_change(
        conn,
        path,
        ChangeKind::ReportRemoved,
        id,
        editor,
        note,
        |tx, number| {
            let n = tx
                .execute(
                    &format!(
                        "UPDATE reports SET removed_by = ?2, removed_note = ?3,
                           removed_at = {NOW_SQL}, removed_change = ?4
                         WHERE id = ?1 AND removed_at IS NULL"
                    ),
                    params![id, editor, note, i64::try_from(number).unwrap_or(i64::MAX)],
                )
                .map_err(db)?;
            if n == 0 {
                return Err(StoreError::UnknownStoredReport { id: id.to_owned() });
            }
            Ok(())
        },
    )
}

const REPORT_COLUMNS: &str = "id, text, title, district, year, kind, editor, note, at, change";

fn report_of(r: &Row<'_>) -> rusqlite::Result<StoredReport> {
    Ok(StoredReport {
        report: NewReport {
            id: r.get(0)?,
            text: r.get(1)?,
            title: r.get(2)?,
            district: r.get(3)?,
            year: r.get(4)?,
            kind: r.get(5)?,
            editor: r.get(6)?,
            note: r.get(7)?,
        },
        at: r.get(8)?,
        change: u64::try_from(r.get::<_, i64>(9)?).unwrap_or(0),
    })
}

/// The live uploads, oldest change first.
///
/// # Errors
/// SQLite errors.
pub fn stored_reports(conn: &Connection, path: &Path) -> Result<Vec<StoredReport>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE removed_at IS NULL ORDER BY change"
        ))
        .map_err(db)?;
    stmt.query_map([], report_of)
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)
}

/// The live upload with this id.
///
/// # Errors
/// SQLite errors.
pub fn stored_report(
    conn: &Connection,
    path: &Path,
    id: &str,
) -> Result<Option<StoredReport>, StoreError> {
    conn.query_row(
        &format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?1 AND removed_at IS NULL"),
        [id],
        report_of,
    )
    .optional()
    .map_err(|e| db_error(path, e))
}

/// Stores a verdict as the name's newest version.
///
/// # Errors
/// Validation errors, SQLite errors.
pub fn set_verdict(
    conn: &mut Connection,
    path: &Path,
    v: &Verdict,
) -> Result<ChangeEntry, StoreError> {
    validate_verdict(v)?;
    let db = |e| db_error(path, e);
    write_change(
        conn,
        path,
        ChangeKind::VerdictSet,
        &v.name,
        &v.editor,
        &v.note,
        |tx, number| {
            tx.execute(
                &format!(
                    "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, {NOW_SQL}, ?7)"
                ),
                params![
                    v.name,
                    v.verdict.as_str(),
                    v.layer.map(Layer::as_str),
                    v.kind,
                    v.note,
                    v.editor,
                    i64::try_from(number).unwrap_or(i64::MAX)
                ],
            )
            .map_err(db)?;
            Ok(())
        },
    )
}

/// Withdraws the live verdict on a name, recorded as a version with no verdict.
///
/// # Errors
/// `EmptyText`, `NoVerdict`, SQLite errors.
pub fn remove_verdict(
    conn: &mut Connection,
    path: &Path,
    name: &str,
    editor: &str,
    note: &str,
) -> Result<ChangeEntry, StoreError> {
    check_text(name, "editor", editor)?;
    check_text(name, "note", note)?;
    let db = |e| db_error(path, e);
    write_change(
        conn,
        path,
        ChangeKind::VerdictRemoved,
        name,
        editor,
        note,
        |tx, number| {
            let live: Option<Option<String>> = tx
                .query_row(
                    "SELECT verdict FROM verdicts WHERE name = ?1 ORDER BY change DESC LIMIT 1",
                    [name],
                    |r| r.get(0),
                )
                .optional()
                .map_err(db)?;
            if !matches!(live, Some(Some(_))) {
                return Err(StoreError::NoVerdict {
                    name: name.to_owned(),
                });
            }
            tx.execute(
                &format!(
                    "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
                     VALUES (?1, NULL, NULL, NULL, ?2, ?3, {NOW_SQL}, ?4)"
                ),
                params![
                    name,
                    note,
                    editor,
                    i64::try_from(number).unwrap_or(i64::MAX)
                ],
            )
            .map_err(db)?;
            Ok(())
        },
    )
}

type RawVerdict = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    i64,
);

fn verdict_of(path: &Path, raw: RawVerdict) -> Result<VerdictVersion, StoreError> {
    let (name, verdict, layer, kind, note, editor, at, change) = raw;
    let corrupt = |detail: String| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    Ok(VerdictVersion {
        verdict: match verdict {
            None => None,
            Some(v) => Some(
                VerdictKind::parse(&v)
                    .ok_or_else(|| corrupt(format!("unknown verdict {v:?} on {name}")))?,
            ),
        },
        layer: match layer {
            None => None,
            Some(l) => Some(
                Layer::parse(&l)
                    .ok_or_else(|| corrupt(format!("unknown layer {l:?} on {name}")))?,
            ),
        },
        name,
        kind,
        note,
        editor,
        at,
        change: u64::try_from(change).unwrap_or(0),
    })
}

fn verdicts_where(
    conn: &Connection,
    path: &Path,
    sql: &str,
) -> Result<Vec<VerdictVersion>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn.prepare_cached(sql).map_err(db)?;
    let raw: Vec<RawVerdict> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    raw.into_iter().map(|r| verdict_of(path, r)).collect()
}

/// The live verdicts (each name's newest version, when it is not a withdrawal), by name.
///
/// # Errors
/// SQLite errors, `Corrupt`.
pub fn verdicts(conn: &Connection, path: &Path) -> Result<Vec<VerdictVersion>, StoreError> {
    verdicts_where(
        conn,
        path,
        "SELECT v.name, v.verdict, v.layer, v.kind, v.note, v.editor, v.at, v.change
         FROM verdicts v
         WHERE v.change = (SELECT MAX(change) FROM verdicts w WHERE w.name = v.name)
           AND v.verdict IS NOT NULL
         ORDER BY v.name",
    )
}

/// Every verdict version, newest first.
///
/// # Errors
/// SQLite errors, `Corrupt`.
pub fn verdict_history(conn: &Connection, path: &Path) -> Result<Vec<VerdictVersion>, StoreError> {
    verdicts_where(
        conn,
        path,
        "SELECT name, verdict, layer, kind, note, editor, at, change FROM verdicts
         ORDER BY change DESC",
    )
}

/// The changes after `after`, oldest first.
///
/// # Errors
/// SQLite errors, `Corrupt`.
pub fn changes_since(
    conn: &Connection,
    path: &Path,
    after: u64,
) -> Result<Vec<ChangeEntry>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT number, kind, key, who, at, why FROM changes WHERE number > ?1
             ORDER BY number",
        )
        .map_err(db)?;
    let raw: Vec<RawChange> = stmt
        .query_map([i64::try_from(after).unwrap_or(i64::MAX)], raw_change)
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    raw.into_iter().map(|r| change_of(path, r)).collect()
}

/// The newest change number, 0 for none.
///
/// # Errors
/// SQLite errors.
pub fn last_change(conn: &Connection, path: &Path) -> Result<u64, StoreError> {
    conn.query_row("SELECT COALESCE(MAX(number), 0) FROM changes", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| u64::try_from(n).unwrap_or(0))
    .map_err(|e| db_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::super::GeoPackageStore;
    use crate::store::changes::{ChangeStore, NewReport, Verdict, VerdictKind};
    use crate::store::placement::StoreError;

    fn upload(id: &str) -> NewReport {
        NewReport {
            id: id.into(),
            text: "一、2026年工作安排。\n推进嘉宾里片区更新。\n".into(),
            title: Some("2026年安排".into()),
            district: None,
            year: Some(2026),
            kind: None,
            editor: "li.ming".into(),
            note: "区政府来文".into(),
        }
    }

    #[test]
    fn every_write_appends_one_numbered_change_and_a_removed_report_keeps_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let store = GeoPackageStore::open(dir.path()).unwrap();
        assert_eq!(store.last_change().unwrap(), 0);
        let added = store.add_report(&upload("r-2026")).unwrap();
        assert_eq!(added.number, 1);
        assert!(matches!(
            store.add_report(&upload("r-2026")),
            Err(StoreError::DuplicateReport { .. })
        ));
        assert_eq!(
            store.last_change().unwrap(),
            1,
            "a refused write leaves no change"
        );
        let v = Verdict {
            name: "嘉宾里".into(),
            verdict: VerdictKind::Place,
            layer: None,
            kind: None,
            note: "老街区".into(),
            editor: "li.ming".into(),
        };
        assert_eq!(store.set_verdict(&v).unwrap().number, 2);
        let removed = store.remove_report("r-2026", "li.ming", "传错了").unwrap();
        assert_eq!(removed.number, 3);
        assert!(store.stored_reports().unwrap().is_empty());
        assert_eq!(store.add_report(&upload("r-2026")).unwrap().number, 4);
        let rows: i64 = store
            .conn()
            .query_row("SELECT COUNT(*) FROM reports", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2, "the removed upload stays for the history");
        let log = store.changes_since(1).unwrap();
        let kinds: Vec<&str> = log.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(kinds, ["verdict", "report_removed", "report_added"]);
        assert_eq!(log[1].why, "传错了");
    }

    #[test]
    fn a_withdrawn_verdict_is_history_not_live() {
        let dir = tempfile::tempdir().unwrap();
        let store = GeoPackageStore::open(dir.path()).unwrap();
        assert!(matches!(
            store.remove_verdict("嘉宾里", "li.ming", "无"),
            Err(StoreError::NoVerdict { .. })
        ));
        let v = Verdict {
            name: "提升工程".into(),
            verdict: VerdictKind::NotPlace,
            layer: None,
            kind: None,
            note: "泛称".into(),
            editor: "li.ming".into(),
        };
        store.set_verdict(&v).unwrap();
        assert_eq!(store.verdicts().unwrap().len(), 1);
        store
            .remove_verdict("提升工程", "wang.fang", "误判")
            .unwrap();
        assert!(store.verdicts().unwrap().is_empty());
        let history = store.verdict_history().unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].verdict, None);
        assert_eq!(history[0].editor, "wang.fang");
        assert_eq!(history[1].verdict, Some(VerdictKind::NotPlace));
    }
}
