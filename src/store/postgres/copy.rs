//! The whole PostgreSQL store as a [`Snapshot`], a snapshot written into an empty one, and a
//! backup as a GeoPackage file.
//!
//! Inputs: the shared pool; a snapshot read from either engine. Outputs: every version and
//! account read in one repeatable-read, read-only transaction; an empty store filled in one
//! transaction (rows kept as they are: versions, times, editors, token hashes) and announced as
//! one change; or a new GeoPackage at a path that did not exist, written beside it and renamed
//! into place complete.

use std::path::Path;

use tokio_postgres::IsolationLevel;

use super::Shared;
use super::corrections::{
    WRITE_LOCK, announce, decode_version, geojson_text, history_columns, to_sql_version, utc,
};
use crate::store::gpkg::GeoPackageStore;
use crate::store::placement::{Role, StoreError};
use crate::store::snapshot::{Account, Snapshot};

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
    Ok(Snapshot { history, accounts })
}

/// Fills an empty store with `snapshot` in one transaction.
pub(super) async fn write_into_empty(
    shared: &Shared,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await
        .map_err(db)?;
    let rows: i64 = tx
        .query_one(
            "SELECT (SELECT count(*) FROM correction_history) + (SELECT count(*) FROM accounts)",
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
    let history = tx
        .prepare(
            "INSERT INTO correction_history (feature_id, version, change, layer, name, geom,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_GeomFromGeoJSON($6), 4326), $7, $8, $9,
               $10, $11::text::timestamptz, $12)",
        )
        .await
        .map_err(db)?;
    for v in &snapshot.history {
        let geom = v.geometry.as_ref().map(geojson_text);
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
             VALUES ($1, $2, $3, $4, ST_SetSRID(ST_GeomFromGeoJSON($5), 4326), $6, $7, $8, $9,
               $10::text::timestamptz)",
            &[
                &c.feature_id,
                &to_sql_version(c.version),
                &c.layer.as_str(),
                &c.name,
                &geojson_text(&c.geometry),
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
    announce(shared, &tx, "restore", "*", None).await?;
    tx.commit().await.map_err(db)
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
