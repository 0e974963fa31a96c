//! Corrections and their history in PostgreSQL.
//!
//! Inputs: validated corrections and reverts with the version the editor last saw. Outputs:
//! rows in `corrections` (one live row per corrected feature) and `correction_history` (one
//! per version, reverts with a NULL geometry), plus a `changes` row whose number is sent with
//! `NOTIFY` — all in one transaction. Every write first takes the store's write lock (a
//! transaction-scoped advisory lock), so the version check and the write are one step across
//! every server, and change numbers are committed in order. Geometries go in and come out as
//! WKB (`ST_GeomFromWKB`, `ST_AsBinary`, with the GeoPackage module's codec), so every `f64`
//! reads back bit for bit: `ST_AsGeoJSON` prints at most 15 significant digits and would move
//! a planner's point by up to 1e-14° on each round trip, which the contract tests catch.
//! Times are UTC RFC 3339 with milliseconds.

use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::Shared;
use super::changes::{append, lock};
use crate::plan::Layer;
use crate::store::changes::ChangeKind;
use crate::store::placement::{
    Change, Correction, CurrentCorrection, PlacementVersion, StoreError, Version, check_expected,
    check_text,
};

/// The advisory lock key every write holds until it commits ("plan" "writ").
pub(super) const WRITE_LOCK: i64 = 0x706c_616e_7772_6974;

/// A `timestamptz` column as UTC RFC 3339 with milliseconds.
pub(super) fn utc(column: &str) -> String {
    format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
}

/// The transaction's time, cut to milliseconds (what the GeoPackage keeps too).
pub(super) const NOW_MS: &str = "date_trunc('milliseconds', now())";

/// The columns [`decode_version`] reads, in its order.
pub(super) fn history_columns() -> String {
    format!(
        "ST_AsBinary(geom), feature_id, version, change, layer, name, uncertainty_m, \
         source, note, editor, {}, replaced_version",
        utc("at")
    )
}

pub(super) fn to_sql_version(v: Version) -> i64 {
    i64::try_from(v.0).unwrap_or(i64::MAX)
}

fn version_from(v: i64) -> Version {
    Version(u64::try_from(v).unwrap_or(0))
}

/// A geometry as the WKB PostGIS reads.
pub(super) fn wkb(g: &geo::Geometry<f64>) -> Vec<u8> {
    crate::store::gpkg::binary::encode_wkb(g)
}

/// A geometry from the WKB PostGIS wrote.
fn geometry(
    shared: &Shared,
    feature_id: &str,
    wkb: &[u8],
) -> Result<geo::Geometry<f64>, StoreError> {
    crate::store::gpkg::binary::decode_wkb(wkb)
        .map_err(|e| shared.corrupt(format!("geometry of {feature_id}: {e}")))
}

fn layer(shared: &Shared, stored: &str) -> Result<Layer, StoreError> {
    Layer::parse(stored)
        .ok_or_else(|| shared.corrupt(format!("unknown layer {stored:?} in a correction")))
}

/// A history row read with [`history_columns`].
pub(super) fn decode_version(shared: &Shared, r: &Row) -> Result<PlacementVersion, StoreError> {
    let feature_id: String = r.get(1);
    let change: String = r.get(3);
    let change = Change::parse(&change)
        .ok_or_else(|| shared.corrupt(format!("unknown change {change:?} in the history")))?;
    let geom: Option<Vec<u8>> = r.get(0);
    let geometry = geom
        .map(|g| geometry(shared, &feature_id, &g))
        .transpose()?;
    Ok(PlacementVersion {
        version: version_from(r.get(2)),
        change,
        layer: layer(shared, r.get(4))?,
        name: r.get(5),
        geometry,
        uncertainty_m: r.get(6),
        source: r.get(7),
        note: r.get(8),
        editor: r.get(9),
        at: r.get(10),
        replaced: r.get::<_, Option<i64>>(11).map(version_from),
        feature_id,
    })
}

/// Takes the write lock of the transaction and reads the feature's current version.
async fn lock_and_read_version(
    shared: &Shared,
    tx: &deadpool_postgres::Transaction<'_>,
    feature_id: &str,
) -> Result<Version, StoreError> {
    let db = |e| shared.error(e);
    lock(shared, tx).await?;
    let v: i64 = tx
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM correction_history WHERE feature_id = $1",
            &[&feature_id],
        )
        .await
        .map_err(db)?
        .get(0);
    Ok(version_from(v))
}

/// The current version of a feature.
pub(super) async fn version(shared: &Shared, feature_id: &str) -> Result<Version, StoreError> {
    let client = shared.client().await?;
    let v: i64 = client
        .query_one(
            "SELECT COALESCE(max(version), 0) FROM correction_history WHERE feature_id = $1",
            &[&feature_id],
        )
        .await
        .map_err(|e| shared.error(e))?
        .get(0);
    Ok(version_from(v))
}

/// Stores a validated correction as the next version of its feature.
pub(super) async fn put(
    shared: &Shared,
    c: &Correction,
    expected: Option<Version>,
) -> Result<Version, StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    let current = lock_and_read_version(shared, &tx, &c.feature_id).await?;
    check_expected(&c.feature_id, expected, current)?;
    let next = to_sql_version(Version(current.0 + 1));
    let replaced = (current != Version::AUTOMATIC).then(|| to_sql_version(current));
    let geom = wkb(&c.geometry);
    let layer = c.layer.as_str();
    let params: [&(dyn ToSql + Sync); 10] = [
        &c.feature_id,
        &next,
        &layer,
        &c.name,
        &geom,
        &c.uncertainty_m,
        &c.source,
        &c.note,
        &c.editor,
        &replaced,
    ];
    tx.execute(
        &format!(
            "INSERT INTO correction_history (feature_id, version, change, layer, name, geom,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES ($1, $2, 'placed', $3, $4, ST_GeomFromWKB($5, 4326), $6, $7,
               $8, $9, {NOW_MS}, $10)"
        ),
        &params,
    )
    .await
    .map_err(db)?;
    tx.execute(
        &format!(
            "INSERT INTO corrections (feature_id, version, layer, name, geom, uncertainty_m,
               source, note, editor, at)
             VALUES ($1, $2, $3, $4, ST_GeomFromWKB($5, 4326), $6, $7, $8, $9,
               {NOW_MS})
             ON CONFLICT (feature_id) DO UPDATE SET version = excluded.version,
               layer = excluded.layer, name = excluded.name, geom = excluded.geom,
               uncertainty_m = excluded.uncertainty_m, source = excluded.source,
               note = excluded.note, editor = excluded.editor, at = excluded.at"
        ),
        &params[..9],
    )
    .await
    .map_err(db)?;
    append(
        shared,
        &tx,
        ChangeKind::Placed,
        &c.feature_id,
        &c.editor,
        &c.note,
    )
    .await?;
    tx.commit().await.map_err(db)?;
    Ok(Version(current.0 + 1))
}

/// Removes the live correction of a feature, recording the revert as the next version.
pub(super) async fn revert(
    shared: &Shared,
    feature_id: &str,
    editor: &str,
    note: &str,
    expected: Option<Version>,
) -> Result<Version, StoreError> {
    check_text(feature_id, "feature_id", feature_id)?;
    check_text(feature_id, "editor", editor)?;
    check_text(feature_id, "note", note)?;
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    let current = lock_and_read_version(shared, &tx, feature_id).await?;
    check_expected(feature_id, expected, current)?;
    let Some(live) = tx
        .query_opt(
            "DELETE FROM corrections WHERE feature_id = $1 RETURNING layer, name",
            &[&feature_id],
        )
        .await
        .map_err(db)?
    else {
        return Err(StoreError::NotCorrected {
            feature_id: feature_id.to_owned(),
        });
    };
    let (layer, name): (String, String) = (live.get(0), live.get(1));
    let next = to_sql_version(Version(current.0 + 1));
    let replaced = (current != Version::AUTOMATIC).then(|| to_sql_version(current));
    tx.execute(
        &format!(
            "INSERT INTO correction_history (feature_id, version, change, layer, name, geom,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES ($1, $2, 'reverted', $3, $4, NULL, NULL, NULL, $5, $6, {NOW_MS}, $7)"
        ),
        &[&feature_id, &next, &layer, &name, &note, &editor, &replaced],
    )
    .await
    .map_err(db)?;
    append(shared, &tx, ChangeKind::Reverted, feature_id, editor, note).await?;
    tx.commit().await.map_err(db)?;
    Ok(Version(current.0 + 1))
}

/// Every version of a feature, newest first.
pub(super) async fn history(
    shared: &Shared,
    feature_id: &str,
) -> Result<Vec<PlacementVersion>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            &format!(
                "SELECT {} FROM correction_history WHERE feature_id = $1 ORDER BY version DESC",
                history_columns()
            ),
            &[&feature_id],
        )
        .await
        .map_err(|e| shared.error(e))?;
    rows.iter().map(|r| decode_version(shared, r)).collect()
}

/// All live corrections, ordered by feature id.
pub(super) async fn current(shared: &Shared) -> Result<Vec<CurrentCorrection>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            &format!(
                "SELECT ST_AsBinary(geom), feature_id, layer, name, uncertainty_m, source,
                   note, editor, {}, version
                 FROM corrections ORDER BY feature_id",
                utc("at")
            ),
            &[],
        )
        .await
        .map_err(|e| shared.error(e))?;
    rows.iter()
        .map(|r| {
            let feature_id: String = r.get(1);
            Ok(CurrentCorrection {
                geometry: geometry(shared, &feature_id, r.get(0))?,
                layer: layer(shared, r.get(2))?,
                name: r.get(3),
                uncertainty_m: r.get(4),
                source: r.get(5),
                note: r.get(6),
                editor: r.get(7),
                at: r.get(8),
                version: version_from(r.get(9)),
                feature_id,
            })
        })
        .collect()
}
