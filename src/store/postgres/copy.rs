//! The whole PostgreSQL store as a [`Snapshot`], a snapshot written into an empty one, and a
//! backup as a GeoPackage file.
//!
//! Inputs: the shared pool; a snapshot read from either engine. Outputs: every version and
//! account, change, report and verdict read in one repeatable-read, read-only transaction; an
//! empty store filled in one transaction (rows kept as they are: versions, change numbers,
//! times, editors, token hashes), its newest change number notified; or a new GeoPackage at a path that did not exist, written beside it and renamed
//! into place complete.

use std::path::Path;

use tokio_postgres::IsolationLevel;

use super::CHANNEL;
use super::Shared;
use super::changes::{
    change_columns, change_of, lock, report_columns, report_of, verdict_columns, verdict_of,
};
use super::corrections::{decode_version, history_columns, to_sql_version, utc, wkb};
use crate::plan::Layer;
use crate::store::changes::VerdictKind;
use crate::store::gpkg::GeoPackageStore;
use crate::store::placement::{Role, StoreError};
use crate::store::snapshot::{Account, Removal, ReportRow, Snapshot};

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The uploads taken out, newest removal first.
pub(super) async fn removed_reports(shared: &Shared) -> Result<Vec<ReportRow>, StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    let mut rows = reports(shared, &tx, true).await?;
    tx.commit().await.map_err(db)?;
    rows.sort_by_key(|r| std::cmp::Reverse(r.removed.as_ref().map(|m| m.change)));
    Ok(rows)
}

/// Every report row, removed ones too (or only those: `only_removed`), in the order of the
/// changes that added them.
async fn reports(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
    only_removed: bool,
) -> Result<Vec<ReportRow>, StoreError> {
    let filter = if only_removed {
        "WHERE removed_at IS NOT NULL"
    } else {
        ""
    };
    let rows = tx
        .query(
            &format!(
                "SELECT {}, removed_by, removed_note, {}, removed_change
                 FROM reports {filter} ORDER BY change",
                report_columns(),
                utc("removed_at")
            ),
            &[],
        )
        .await
        .map_err(|e| shared.error(e))?;
    Ok(rows
        .iter()
        .map(|r| {
            let removed = match (
                r.get::<_, Option<String>>(10),
                r.get::<_, Option<String>>(11),
                r.get::<_, Option<String>>(12),
                r.get::<_, Option<i64>>(13),
            ) {
                (Some(by), Some(note), Some(at), Some(change)) => Some(Removal {
                    by,
                    note,
                    at,
                    change: to_u64(change),
                }),
                _ => None,
            };
            ReportRow {
                stored: report_of(r),
                removed,
            }
        })
        .collect())
}

/// Every version and account, in one snapshot.
pub(super) async fn read(shared: &Shared) -> Result<Snapshot, StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(db)?;
    let rows = tx
        .query(
            &format!(
                "SELECT {} FROM correction_history ORDER BY feature_id, version",
                history_columns()
            ),
            &[],
        )
        .await
        .map_err(db)?;
    let history = rows
        .iter()
        .map(|r| decode_version(shared, r))
        .collect::<Result<_, _>>()?;
    let rows = tx
        .query(
            &format!(
                "SELECT name, role, token_sha256, {}, {} FROM accounts ORDER BY id",
                utc("created_at"),
                utc("revoked_at")
            ),
            &[],
        )
        .await
        .map_err(db)?;
    let changes = tx
        .query(
            &format!("SELECT {} FROM changes ORDER BY number", change_columns()),
            &[],
        )
        .await
        .map_err(db)?
        .iter()
        .map(|r| change_of(shared, r))
        .collect::<Result<_, StoreError>>()?;
    let reports = reports(shared, &tx, false).await?;
    let verdicts = tx
        .query(
            &format!("SELECT {} FROM verdicts ORDER BY change", verdict_columns()),
            &[],
        )
        .await
        .map_err(db)?
        .iter()
        .map(|r| verdict_of(shared, r))
        .collect::<Result<_, StoreError>>()?;
    tx.commit().await.map_err(db)?;
    let accounts = rows
        .iter()
        .map(|r| {
            let role: String = r.get(1);
            Ok(Account {
                name: r.get(0),
                role: Role::parse(&role)
                    .ok_or_else(|| shared.corrupt(format!("unknown account role {role:?}")))?,
                token_sha256: r.get(2),
                created_at: r.get(3),
                revoked_at: r.get(4),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Snapshot {
        history,
        accounts,
        changes,
        reports,
        verdicts,
    })
}

/// Fills an empty store with `snapshot` in one transaction.
pub(super) async fn write_into_empty(
    shared: &Shared,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    lock(shared, &tx).await?;
    let rows: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM correction_history) + (SELECT count(*) FROM accounts)
               + (SELECT count(*) FROM changes)",
            &[],
        )
        .await
        .map_err(db)?
        .get(0);
    if rows > 0 {
        return Err(shared.corrupt(format!(
            "the target already holds {rows} row(s); a copy goes into an empty store"
        )));
    }
    write_corrections(shared, &tx, snapshot).await?;
    write_log(shared, &tx, snapshot).await?;
    tx.commit().await.map_err(db)
}

/// The history, live corrections and accounts of `snapshot`, inside `tx`.
async fn write_corrections(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| shared.error(e);
    let history = tx
        .prepare(
            "INSERT INTO correction_history (feature_id, version, change, layer, name, geom,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES ($1, $2, $3, $4, $5, ST_GeomFromWKB($6, 4326), $7, $8, $9,
               $10, $11::text::timestamptz, $12)",
        )
        .await
        .map_err(db)?;
    for v in &snapshot.history {
        let geom = v.geometry.as_ref().map(wkb);
        tx.execute(
            &history,
            &[
                &v.feature_id,
                &to_sql_version(v.version),
                &v.change.as_str(),
                &v.layer.as_str(),
                &v.name,
                &geom,
                &v.uncertainty_m,
                &v.source,
                &v.note,
                &v.editor,
                &v.at,
                &v.replaced.map(to_sql_version),
            ],
        )
        .await
        .map_err(db)?;
    }
    for c in snapshot.current() {
        tx.execute(
            "INSERT INTO corrections (feature_id, version, layer, name, geom, uncertainty_m,
               source, note, editor, at)
             VALUES ($1, $2, $3, $4, ST_GeomFromWKB($5, 4326), $6, $7, $8, $9,
               $10::text::timestamptz)",
            &[
                &c.feature_id,
                &to_sql_version(c.version),
                &c.layer.as_str(),
                &c.name,
                &wkb(&c.geometry),
                &c.uncertainty_m,
                &c.source,
                &c.note,
                &c.editor,
                &c.at,
            ],
        )
        .await
        .map_err(db)?;
    }
    for a in &snapshot.accounts {
        tx.execute(
            "INSERT INTO accounts (name, role, token_sha256, created_at, revoked_at)
             VALUES ($1, $2, $3, $4::text::timestamptz, $5::text::timestamptz)",
            &[
                &a.name,
                &a.role.as_str(),
                &a.token_sha256,
                &a.created_at,
                &a.revoked_at,
            ],
        )
        .await
        .map_err(db)?;
    }
    Ok(())
}

/// The change log, reports and verdicts of `snapshot`, inside `tx`; notifies the newest
/// change number.
async fn write_log(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| shared.error(e);
    // Changes first: reports and verdicts refer to their numbers.
    for c in &snapshot.changes {
        tx.execute(
            "INSERT INTO changes (number, kind, key, who, at, why)
             VALUES ($1, $2, $3, $4, $5::text::timestamptz, $6)",
            &[
                &to_i64(c.number),
                &c.kind.as_str(),
                &c.key,
                &c.who,
                &c.at,
                &c.why,
            ],
        )
        .await
        .map_err(db)?;
    }
    // The sequence goes on after the copied numbers (explicit numbers do not advance it).
    tx.execute(
        "SELECT setval(pg_get_serial_sequence('changes', 'number'),
           GREATEST((SELECT max(number) FROM changes), 1),
           (SELECT max(number) FROM changes) IS NOT NULL)",
        &[],
    )
    .await
    .map_err(db)?;
    for r in &snapshot.reports {
        let (s, n, m) = (&r.stored, &r.stored.report, r.removed.as_ref());
        tx.execute(
            "INSERT INTO reports (id, text, title, district, year, kind, editor, note, at, change,
               removed_by, removed_note, removed_at, removed_change)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::timestamptz, $10, $11, $12,
               $13::text::timestamptz, $14)",
            &[
                &n.id,
                &n.text,
                &n.title,
                &n.district,
                &n.year,
                &n.kind,
                &n.editor,
                &n.note,
                &s.at,
                &to_i64(s.change),
                &m.map(|m| m.by.as_str()),
                &m.map(|m| m.note.as_str()),
                &m.map(|m| m.at.as_str()),
                &m.map(|m| to_i64(m.change)),
            ],
        )
        .await
        .map_err(db)?;
    }
    for v in &snapshot.verdicts {
        tx.execute(
            "INSERT INTO verdicts (name, verdict, layer, kind, note, editor, at, change)
             VALUES ($1, $2, $3, $4, $5, $6, $7::text::timestamptz, $8)",
            &[
                &v.name,
                &v.verdict.map(VerdictKind::as_str),
                &v.layer.map(Layer::as_str),
                &v.kind,
                &v.note,
                &v.editor,
                &v.at,
                &to_i64(v.change),
            ],
        )
        .await
        .map_err(db)?;
    }
    if let Some(last) = snapshot.changes.iter().map(|c| c.number).max() {
        tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &last.to_string()])
            .await
            .map_err(db)?;
    }
    Ok(())
}

/// Writes `snapshot` as a new GeoPackage at `target` (refused if it exists): built in a
/// folder beside it, then renamed, so the target is complete or absent.
pub(super) fn backup_to_geopackage(snapshot: &Snapshot, target: &Path) -> Result<(), StoreError> {
    if target.exists() {
        return Err(StoreError::BackupTargetExists {
            path: target.to_path_buf(),
        });
    }
    let mut scratch_name = target.file_name().unwrap_or_default().to_os_string();
    scratch_name.push(".partial.d");
    let scratch = target.with_file_name(scratch_name);
    let unavailable = |path: &Path, e: std::io::Error| StoreError::Unavailable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    if scratch.exists() {
        std::fs::remove_dir_all(&scratch).map_err(|e| unavailable(&scratch, e))?;
    }
    let result = (|| {
        let store = GeoPackageStore::open(&scratch)?;
        store.restore(snapshot)?;
        let file = store.path().to_path_buf();
        // Closing checkpoints the log into the file, so the one file is the whole copy.
        drop(store);
        std::fs::rename(&file, target).map_err(|e| unavailable(target, e))
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
