//! Corrections and their history in the two GeoPackage feature tables.
//!
//! Inputs: validated corrections and reverts with the version the editor last saw. Outputs:
//! rows in `corrections` (one live row per corrected feature) and `correction_history` (one
//! row per version, reverts with a NULL geometry), each write in one `BEGIN IMMEDIATE`
//! transaction so the version check and the write cannot interleave with another writer, even
//! one in another process. Times are UTC RFC 3339 with milliseconds, taken from SQLite's clock
//! inside the transaction.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

use super::{binary, db_error};
use crate::plan::Layer;
use crate::store::placement::{
    Change, Correction, CurrentCorrection, PlacementVersion, StoreError, Version, check_text,
    validate_correction,
};

/// SQLite's current UTC time as RFC 3339 with milliseconds (`2026-03-01T08:30:00.123Z`).
const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// The current version of a feature: the newest history row, or 0 when never corrected.
///
/// # Errors
/// Any SQLite error.
pub fn current_version(conn: &Connection, feature_id: &str) -> rusqlite::Result<Version> {
    let v: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM correction_history WHERE feature_id = ?1",
        [feature_id],
        |r| r.get(0),
    )?;
    Ok(Version(u64::try_from(v).unwrap_or(0)))
}

/// Refuses a write whose expected version is not the stored one.
fn check_expected(
    feature_id: &str,
    expected: Option<Version>,
    current: Version,
) -> Result<(), StoreError> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::Conflict {
            feature_id: feature_id.to_owned(),
            expected,
            current,
        }),
        _ => Ok(()),
    }
}

fn to_sql_version(v: Version) -> i64 {
    i64::try_from(v.0).unwrap_or(i64::MAX)
}

fn replaced(current: Version) -> Option<i64> {
    (current != Version::AUTOMATIC).then(|| to_sql_version(current))
}

/// Marks both feature tables as changed now, as GeoPackage readers use `last_change` to
/// refresh caches.
fn touch_contents(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "UPDATE gpkg_contents SET last_change = {NOW_SQL}
             WHERE table_name IN ('corrections', 'correction_history')"
        ),
        [],
    )?;
    Ok(())
}

/// Stores a correction as the next version of its feature.
///
/// # Errors
/// Validation errors, `Conflict` for a stale `expected`, SQLite errors mapped by `db_error`.
pub fn put(
    conn: &mut Connection,
    path: &Path,
    c: &Correction,
    expected: Option<Version>,
) -> Result<Version, StoreError> {
    validate_correction(c)?;
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let current = current_version(&tx, &c.feature_id).map_err(db)?;
    check_expected(&c.feature_id, expected, current)?;
    let next = Version(current.0 + 1);
    let geom = binary::encode(&c.geometry);
    let at: String = tx
        .query_row(&format!("SELECT {NOW_SQL}"), [], |r| r.get(0))
        .map_err(db)?;
    tx.execute(
        "INSERT INTO correction_history (geom, feature_id, version, change, layer, name,
           uncertainty_m, source, note, editor, at, replaced_version)
         VALUES (?1, ?2, ?3, 'placed', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            geom,
            c.feature_id,
            to_sql_version(next),
            c.layer.as_str(),
            c.name,
            c.uncertainty_m,
            c.source,
            c.note,
            c.editor,
            at,
            replaced(current),
        ],
    )
    .map_err(db)?;
    tx.execute(
        "INSERT INTO corrections (geom, feature_id, layer, name, uncertainty_m, source, note,
           editor, at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (feature_id) DO UPDATE SET geom = excluded.geom, layer = excluded.layer,
           name = excluded.name, uncertainty_m = excluded.uncertainty_m,
           source = excluded.source, note = excluded.note, editor = excluded.editor,
           at = excluded.at, version = excluded.version",
        params![
            geom,
            c.feature_id,
            c.layer.as_str(),
            c.name,
            c.uncertainty_m,
            c.source,
            c.note,
            c.editor,
            at,
            to_sql_version(next),
        ],
    )
    .map_err(db)?;
    touch_contents(&tx).map_err(db)?;
    super::changes::append(&tx, "placed", &c.feature_id, &c.editor, &c.note).map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(next)
}

/// Removes the live correction of a feature, recording the revert as the next version.
///
/// # Errors
/// `EmptyText`/`TextTooLong` for the editor or note, `Conflict`, `NotCorrected`, SQLite
/// errors mapped by `db_error`.
pub fn revert(
    conn: &mut Connection,
    path: &Path,
    feature_id: &str,
    editor: &str,
    note: &str,
    expected: Option<Version>,
) -> Result<Version, StoreError> {
    check_text(feature_id, "feature_id", feature_id)?;
    check_text(feature_id, "editor", editor)?;
    check_text(feature_id, "note", note)?;
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let current = current_version(&tx, feature_id).map_err(db)?;
    check_expected(feature_id, expected, current)?;
    let live: Option<(String, String)> = tx
        .query_row(
            "SELECT layer, name FROM corrections WHERE feature_id = ?1",
            [feature_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(db)?;
    let Some((layer, name)) = live else {
        return Err(StoreError::NotCorrected {
            feature_id: feature_id.to_owned(),
        });
    };
    let next = Version(current.0 + 1);
    tx.execute(
        &format!(
            "INSERT INTO correction_history (geom, feature_id, version, change, layer, name,
               uncertainty_m, source, note, editor, at, replaced_version)
             VALUES (NULL, ?1, ?2, 'reverted', ?3, ?4, NULL, NULL, ?5, ?6, {NOW_SQL}, ?7)"
        ),
        params![
            feature_id,
            to_sql_version(next),
            layer,
            name,
            note,
            editor,
            replaced(current),
        ],
    )
    .map_err(db)?;
    tx.execute(
        "DELETE FROM corrections WHERE feature_id = ?1",
        [feature_id],
    )
    .map_err(db)?;
    touch_contents(&tx).map_err(db)?;
    super::changes::append(&tx, "reverted", feature_id, editor, note).map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(next)
}

/// Reads a stored layer name back.
fn layer(path: &Path, stored: &str) -> Result<Layer, StoreError> {
    Layer::parse(stored).ok_or_else(|| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("unknown layer {stored:?} in a correction"),
    })
}

/// Reads a stored geometry blob back.
fn geometry(path: &Path, feature_id: &str, blob: &[u8]) -> Result<geo::Geometry<f64>, StoreError> {
    binary::decode(blob).map_err(|detail| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("geometry of {feature_id}: {detail}"),
    })
}

fn version_from(v: i64) -> Version {
    Version(u64::try_from(v).unwrap_or(0))
}

/// A history row as raw column values, decoded outside the SQLite row callback so a corrupt
/// value becomes a `StoreError` naming the file.
struct RawVersion {
    geom: Option<Vec<u8>>,
    feature_id: String,
    version: i64,
    change: String,
    layer: String,
    name: String,
    uncertainty_m: Option<f64>,
    source: Option<String>,
    note: String,
    editor: String,
    at: String,
    replaced: Option<i64>,
}

impl RawVersion {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawVersion {
            geom: r.get(0)?,
            feature_id: r.get(1)?,
            version: r.get(2)?,
            change: r.get(3)?,
            layer: r.get(4)?,
            name: r.get(5)?,
            uncertainty_m: r.get(6)?,
            source: r.get(7)?,
            note: r.get(8)?,
            editor: r.get(9)?,
            at: r.get(10)?,
            replaced: r.get(11)?,
        })
    }

    fn decode(self, path: &Path) -> Result<PlacementVersion, StoreError> {
        let change = Change::parse(&self.change).ok_or_else(|| StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("unknown change {:?} in the history", self.change),
        })?;
        let geometry = match &self.geom {
            Some(blob) => Some(geometry(path, &self.feature_id, blob)?),
            None => None,
        };
        Ok(PlacementVersion {
            layer: layer(path, &self.layer)?,
            version: version_from(self.version),
            change,
            geometry,
            uncertainty_m: self.uncertainty_m,
            source: self.source,
            note: self.note,
            editor: self.editor,
            at: self.at,
            replaced: self.replaced.map(version_from),
            name: self.name,
            feature_id: self.feature_id,
        })
    }
}

/// Every version of a feature, newest first.
///
/// # Errors
/// SQLite errors mapped by `db_error`; `Corrupt` for an undecodable row.
pub fn history(
    conn: &Connection,
    path: &Path,
    feature_id: &str,
) -> Result<Vec<PlacementVersion>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT geom, feature_id, version, change, layer, name, uncertainty_m, source, note,
               editor, at, replaced_version
             FROM correction_history WHERE feature_id = ?1 ORDER BY version DESC",
        )
        .map_err(db)?;
    let raw = stmt
        .query_map([feature_id], RawVersion::from_row)
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    raw.into_iter().map(|r| r.decode(path)).collect()
}

/// All live corrections, ordered by feature id.
///
/// # Errors
/// SQLite errors mapped by `db_error`; `Corrupt` for an undecodable row.
pub fn current(conn: &Connection, path: &Path) -> Result<Vec<CurrentCorrection>, StoreError> {
    type Raw = (
        Vec<u8>,
        String,
        String,
        String,
        f64,
        String,
        String,
        String,
        String,
        i64,
    );
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT geom, feature_id, layer, name, uncertainty_m, source, note, editor, at,
               version
             FROM corrections ORDER BY feature_id",
        )
        .map_err(db)?;
    let raw: Vec<Raw> = stmt
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
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    raw.into_iter()
        .map(
            |(geom, feature_id, layer_name, name, uncertainty_m, source, note, editor, at, v)| {
                Ok(CurrentCorrection {
                    geometry: geometry(path, &feature_id, &geom)?,
                    layer: layer(path, &layer_name)?,
                    feature_id,
                    name,
                    uncertainty_m,
                    source,
                    note,
                    editor,
                    at,
                    version: version_from(v),
                })
            },
        )
        .collect()
}
