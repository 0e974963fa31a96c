//! The change log, uploaded reports and verdicts in PostgreSQL (the [`ChangeStore`] half of
//! the store; the GeoPackage's `changes`, `reports` and `verdicts` tables, same rules).
//!
//! Inputs: validated uploads, removals, verdicts and withdrawals. Outputs: rows in `reports`
//! (a removal marks its row, which stays), `verdicts` (one row per version; a withdrawal has a
//! NULL verdict) and one `changes` row per write, whose number goes out with `NOTIFY` when the
//! transaction commits. Every write holds the store's write lock (see [`super::corrections`]),
//! so change numbers commit in order.
//!
//! [`ChangeStore`]: crate::store::changes::ChangeStore

use tokio_postgres::Row;

use super::corrections::{NOW_MS, WRITE_LOCK, utc};
use super::{CHANNEL, Shared};
use crate::plan::Layer;
use crate::store::changes::{
    ChangeEntry, ChangeKind, NewReport, StoredReport, Verdict, VerdictKind, VerdictVersion,
    validate_report, validate_verdict,
};
use crate::store::placement::{StoreError, check_text};

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The columns [`change_of`] reads.
pub(super) fn change_columns() -> String {
    format!("number, kind, key, who, {}, why", utc("at"))
}

/// A change row read with [`change_columns`].
pub(super) fn change_of(shared: &Shared, r: &Row) -> Result<ChangeEntry, StoreError> {
    let kind: String = r.get(1);
    Ok(ChangeEntry {
        number: to_u64(r.get(0)),
        kind: ChangeKind::parse(&kind)
            .ok_or_else(|| shared.corrupt(format!("unknown change kind {kind:?}")))?,
        key: r.get(2),
        who: r.get(3),
        at: r.get(4),
        why: r.get(5),
    })
}

/// Takes the store's write lock for the rest of the transaction.
pub(super) async fn lock(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
) -> Result<(), StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await
        .map_err(|e| shared.error(e))?;
    Ok(())
}

/// Appends one change inside `tx` and notifies listeners (the notification leaves on
/// commit); the change as stored.
pub(super) async fn append(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
    kind: ChangeKind,
    key: &str,
    who: &str,
    why: &str,
) -> Result<ChangeEntry, StoreError> {
    let db = |e| shared.error(e);
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO changes (kind, key, who, at, why) VALUES ($1, $2, $3, {NOW_MS}, $4)
                 RETURNING {}",
                change_columns()
            ),
            &[&kind.as_str(), &key, &who, &why],
        )
        .await
        .map_err(db)?;
    let change = change_of(shared, &row)?;
    tx.execute(
        "SELECT pg_notify($1, $2)",
        &[&CHANNEL, &change.number.to_string()],
    )
    .await
    .map_err(db)?;
    Ok(change)
}

/// Stores an upload.
pub(super) async fn add_report(shared: &Shared, r: &NewReport) -> Result<ChangeEntry, StoreError> {
    validate_report(r)?;
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    lock(shared, &tx).await?;
    let live: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM reports WHERE id = $1 AND removed_at IS NULL)",
            &[&r.id],
        )
        .await
        .map_err(db)?
        .get(0);
    if live {
        return Err(StoreError::DuplicateReport { id: r.id.clone() });
    }
    let change = append(
        shared,
        &tx,
        ChangeKind::ReportAdded,
        &r.id,
        &r.editor,
        &r.note,
    )
    .await?;
    tx.execute(
        "INSERT INTO reports (id, text, title, district, year, kind, editor, note, at, change)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, at, number FROM changes WHERE number = $9",
        &[
            &r.id,
            &r.text,
            &r.title,
            &r.district,
            &r.year,
            &r.kind,
            &r.editor,
            &r.note,
            &to_i64(change.number),
        ],
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(change)
}

/// Marks a live upload removed.
pub(super) async fn remove_report(
    shared: &Shared,
    id: &str,
    editor: &str,
    note: &str,
) -> Result<ChangeEntry, StoreError> {
    check_text(id, "editor", editor)?;
    check_text(id, "note", note)?;
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    lock(shared, &tx).await?;
    let change = append(shared, &tx, ChangeKind::ReportRemoved, id, editor, note).await?;
    let n = tx
        .execute(
            "UPDATE reports SET removed_by = $2, removed_note = $3, removed_change = $4,
               removed_at = (SELECT at FROM changes WHERE number = $4)
             WHERE id = $1 AND removed_at IS NULL",
            &[&id, &editor, &note, &to_i64(change.number)],
        )
        .await
        .map_err(db)?;
    if n == 0 {
        return Err(StoreError::UnknownStoredReport { id: id.to_owned() });
    }
    tx.commit().await.map_err(db)?;
    Ok(change)
}

/// The columns [`report_of`] reads.
pub(super) fn report_columns() -> String {
    format!(
        "id, text, title, district, year, kind, editor, note, {}, change",
        utc("at")
    )
}

/// A report row read with [`report_columns`] first.
pub(super) fn report_of(r: &Row) -> StoredReport {
    StoredReport {
        report: NewReport {
            id: r.get(0),
            text: r.get(1),
            title: r.get(2),
            district: r.get(3),
            year: r.get(4),
            kind: r.get(5),
            editor: r.get(6),
            note: r.get(7),
        },
        at: r.get(8),
        change: to_u64(r.get(9)),
    }
}

/// The live uploads (all, or the one with `id`), oldest change first.
pub(super) async fn stored_reports(
    shared: &Shared,
    id: Option<&str>,
) -> Result<Vec<StoredReport>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            &format!(
                "SELECT {} FROM reports WHERE removed_at IS NULL AND ($1::text IS NULL OR id = $1)
                 ORDER BY change",
                report_columns()
            ),
            &[&id],
        )
        .await
        .map_err(|e| shared.error(e))?;
    Ok(rows.iter().map(report_of).collect())
}

/// Stores a verdict as the name's newest version.
pub(super) async fn set_verdict(shared: &Shared, v: &Verdict) -> Result<ChangeEntry, StoreError> {
    validate_verdict(v)?;
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    lock(shared, &tx).await?;
    let change = append(
        shared,
        &tx,
        ChangeKind::VerdictSet,
        &v.name,
        &v.editor,
        &v.note,
    )
    .await?;
    tx.execute(
        "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
         SELECT $1, $2, $3, $4, $5, $6, at, number FROM changes WHERE number = $7",
        &[
            &v.name,
            &v.verdict.as_str(),
            &v.layer.map(Layer::as_str),
            &v.kind,
            &v.note,
            &v.editor,
            &to_i64(change.number),
        ],
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(change)
}

/// Withdraws the live verdict on a name, recorded as a version with no verdict.
pub(super) async fn remove_verdict(
    shared: &Shared,
    name: &str,
    editor: &str,
    note: &str,
) -> Result<ChangeEntry, StoreError> {
    check_text(name, "editor", editor)?;
    check_text(name, "note", note)?;
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    lock(shared, &tx).await?;
    let live: Option<Option<String>> = tx
        .query_opt(
            "SELECT verdict FROM verdicts WHERE name = $1 ORDER BY change DESC LIMIT 1",
            &[&name],
        )
        .await
        .map_err(db)?
        .map(|r| r.get(0));
    if !matches!(live, Some(Some(_))) {
        return Err(StoreError::NoVerdict {
            name: name.to_owned(),
        });
    }
    let change = append(shared, &tx, ChangeKind::VerdictRemoved, name, editor, note).await?;
    tx.execute(
        "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
         SELECT $1, NULL, NULL, NULL, $2, $3, at, number FROM changes WHERE number = $4",
        &[&name, &note, &editor, &to_i64(change.number)],
    )
    .await
    .map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(change)
}

/// The columns [`verdict_of`] reads.
pub(super) fn verdict_columns() -> String {
    format!(
        "name, verdict, layer, kind, note, editor, {}, change",
        utc("at")
    )
}

pub(super) fn verdict_of(shared: &Shared, r: &Row) -> Result<VerdictVersion, StoreError> {
    let name: String = r.get(0);
    let verdict: Option<String> = r.get(1);
    let layer: Option<String> = r.get(2);
    Ok(VerdictVersion {
        verdict: verdict
            .map(|v| {
                VerdictKind::parse(&v)
                    .ok_or_else(|| shared.corrupt(format!("unknown verdict {v:?} on {name}")))
            })
            .transpose()?,
        layer: layer
            .map(|l| {
                Layer::parse(&l)
                    .ok_or_else(|| shared.corrupt(format!("unknown layer {l:?} on {name}")))
            })
            .transpose()?,
        kind: r.get(3),
        note: r.get(4),
        editor: r.get(5),
        at: r.get(6),
        change: to_u64(r.get(7)),
        name,
    })
}

/// The live verdicts by name (`live`), or every version newest first.
pub(super) async fn verdicts(
    shared: &Shared,
    live: bool,
) -> Result<Vec<VerdictVersion>, StoreError> {
    let sql = if live {
        format!(
            "SELECT {} FROM verdicts v
             WHERE v.change = (SELECT max(change) FROM verdicts w WHERE w.name = v.name)
               AND v.verdict IS NOT NULL
             ORDER BY v.name",
            verdict_columns()
        )
    } else {
        format!(
            "SELECT {} FROM verdicts ORDER BY change DESC",
            verdict_columns()
        )
    };
    let client = shared.client().await?;
    let rows = client.query(&sql, &[]).await.map_err(|e| shared.error(e))?;
    rows.iter().map(|r| verdict_of(shared, r)).collect()
}

/// The changes after `after`, oldest first.
pub(super) async fn changes_since(
    shared: &Shared,
    after: u64,
) -> Result<Vec<ChangeEntry>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            &format!(
                "SELECT {} FROM changes WHERE number > $1 ORDER BY number",
                change_columns()
            ),
            &[&to_i64(after)],
        )
        .await
        .map_err(|e| shared.error(e))?;
    rows.iter().map(|r| change_of(shared, r)).collect()
}

/// The newest change number, 0 for none.
pub(super) async fn last_change(shared: &Shared) -> Result<u64, StoreError> {
    let client = shared.client().await?;
    let n: i64 = client
        .query_one("SELECT COALESCE(max(number), 0) FROM changes", &[])
        .await
        .map_err(|e| shared.error(e))?
        .get(0);
    Ok(to_u64(n))
}
