//! The GeoPackage layout of the store and its migrations.
//!
//! Inputs: an open SQLite connection. Outputs: a file that is a valid GeoPackage 1.3
//! (`application_id` 'GPKG', `user_version` 10300, the required `gpkg_spatial_ref_sys`,
//! `gpkg_contents` and `gpkg_geometry_columns` tables) with two feature tables —
//! `corrections` (the live correction of each feature) and `correction_history` (every
//! version) — and the non-spatial `accounts` and `planmap_meta` tables registered as
//! `attributes`. Our own schema version lives in `planmap_meta` and is migrated step by step.
//!
//! GeoPackage 1.3 rather than 1.4: nothing of 1.4 is used, and older GDAL and QGIS releases
//! warn on a `user_version` they do not know.

use rusqlite::{Connection, OptionalExtension, Transaction};

/// `PRAGMA application_id` of a GeoPackage: the ASCII bytes 'GPKG'.
pub const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;

/// `PRAGMA user_version` of a GeoPackage 1.3 file.
pub const GPKG_USER_VERSION: i32 = 10_300;

/// One migration: the schema version it produces and the SQL that gets there from the one
/// before. Steps run in order, each inside the opening transaction.
pub struct Migration {
    /// The planmap schema version after this step.
    pub to_version: i64,
    /// The SQL batch of this step.
    pub sql: &'static str,
}

/// Every migration, oldest first. Append, never edit a released step.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        to_version: 1,
        sql: SCHEMA_V1,
    },
    Migration {
        to_version: 2,
        sql: SCHEMA_V2,
    },
];

/// The newest schema version this build writes.
#[must_use]
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.to_version)
}

/// Version 1: the GeoPackage core tables, the two feature tables and the accounts.
const SCHEMA_V1: &str = r#"
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
  ('WGS 84 geodetic', 4326, 'EPSG', 4326,
   'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
   'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');

CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);

CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);

CREATE TABLE corrections (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom GEOMETRY NOT NULL,
  feature_id TEXT NOT NULL UNIQUE,
  layer TEXT NOT NULL,
  name TEXT NOT NULL,
  uncertainty_m DOUBLE NOT NULL,
  source TEXT NOT NULL,
  note TEXT NOT NULL,
  editor TEXT NOT NULL,
  at DATETIME NOT NULL,
  version INTEGER NOT NULL
);

CREATE TABLE correction_history (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  geom GEOMETRY,
  feature_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  change TEXT NOT NULL CHECK (change IN ('placed', 'reverted')),
  layer TEXT NOT NULL,
  name TEXT NOT NULL,
  uncertainty_m DOUBLE,
  source TEXT,
  note TEXT NOT NULL,
  editor TEXT NOT NULL,
  at DATETIME NOT NULL,
  replaced_version INTEGER,
  UNIQUE (feature_id, version)
);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_sha256 TEXT NOT NULL UNIQUE,
  created_at DATETIME NOT NULL,
  revoked_at DATETIME
);
-- One valid token per account name; revoked rows stay for the audit trail.
CREATE UNIQUE INDEX accounts_one_valid_token ON accounts(name) WHERE revoked_at IS NULL;

CREATE TABLE IF NOT EXISTS planmap_meta (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  value TEXT NOT NULL
);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('corrections', 'features', 'corrections',
   'Live planners'' corrections of feature placements (WGS 84)', 4326),
  ('correction_history', 'features', 'correction_history',
   'Every version of every correction, reverts included (WGS 84)', 4326),
  ('accounts', 'attributes', 'accounts', 'Editor accounts; tokens stored as SHA-256 only', NULL),
  ('planmap_meta', 'attributes', 'planmap_meta', 'planmap schema version', NULL);

INSERT INTO gpkg_geometry_columns VALUES
  ('corrections', 'geom', 'GEOMETRY', 4326, 0, 0),
  ('correction_history', 'geom', 'GEOMETRY', 4326, 0, 0);
"#;

/// Version 2 (issue #21): the change log every write appends to, uploaded reports (rows kept
/// when removed, for the history) and planners' verdicts on names with their history. The
/// corrections written before this version get one change each, in the order they were made.
const SCHEMA_V2: &str = r"
CREATE TABLE changes (
  number INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('placed', 'reverted', 'report_added', 'report_removed',
    'verdict', 'verdict_removed')),
  key TEXT NOT NULL,
  who TEXT NOT NULL,
  at DATETIME NOT NULL,
  why TEXT NOT NULL
);
INSERT INTO changes (kind, key, who, at, why)
  SELECT change, feature_id, editor, at, note FROM correction_history ORDER BY at, fid;
CREATE TABLE reports (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  id TEXT NOT NULL,
  text TEXT NOT NULL,
  title TEXT,
  district TEXT,
  year INTEGER,
  kind TEXT,
  editor TEXT NOT NULL,
  note TEXT NOT NULL,
  at DATETIME NOT NULL,
  change INTEGER NOT NULL,
  removed_by TEXT,
  removed_note TEXT,
  removed_at DATETIME,
  removed_change INTEGER
);
-- One live report per id; removed rows stay for the history.
CREATE UNIQUE INDEX reports_one_live_id ON reports(id) WHERE removed_at IS NULL;
CREATE TABLE verdicts (
  fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name TEXT NOT NULL,
  verdict TEXT CHECK (verdict IN ('place', 'not_place')),
  layer TEXT,
  kind TEXT,
  note TEXT NOT NULL,
  editor TEXT NOT NULL,
  at DATETIME NOT NULL,
  change INTEGER NOT NULL UNIQUE
);
CREATE INDEX verdicts_by_name ON verdicts(name, change);
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
  ('changes', 'attributes', 'changes', 'Every write, numbered: kind, key, who, when, why', NULL),
  ('reports', 'attributes', 'reports', 'Uploaded report texts; removed ones kept', NULL),
  ('verdicts', 'attributes', 'verdicts',
   'Planners'' verdicts on names (place, not_place; NULL withdraws), every version', NULL);
";

/// What `check_and_migrate` found, for the error message when it refuses a file.
#[derive(Debug, PartialEq, Eq)]
pub enum SchemaState {
    /// The file is at (or was migrated to) the latest version.
    Ready,
    /// The file was written by a newer planmap.
    Newer(i64),
    /// The file is a SQLite file but not one of ours (another application id or no meta).
    Foreign(String),
}

/// Reads our schema version (0 for an empty file).
fn stored_version(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'planmap_meta')",
        [],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(None);
    }
    conn.query_row(
        "SELECT CAST(value AS INTEGER) FROM planmap_meta WHERE key = 'schema_version'",
        [],
        |r| r.get(0),
    )
    .optional()
}

/// Brings the file to the latest schema inside one transaction, or says why it cannot.
///
/// An empty file becomes a fresh GeoPackage; an older one runs the missing steps; a newer
/// one or a foreign SQLite file is left untouched.
///
/// # Errors
/// Any SQLite error (the caller maps it and adds the path).
pub fn check_and_migrate(conn: &mut Connection) -> rusqlite::Result<SchemaState> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let table_count: i64 = tx.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    let version = match stored_version(&tx)? {
        Some(v) => v,
        None if table_count == 0 => 0,
        None => {
            return Ok(SchemaState::Foreign(
                "it has tables but no planmap_meta schema version".to_owned(),
            ));
        }
    };
    if version > latest_version() {
        return Ok(SchemaState::Newer(version));
    }
    let app_id: i32 = tx.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if version > 0 && app_id != GPKG_APPLICATION_ID {
        return Ok(SchemaState::Foreign(format!(
            "its application_id is {app_id:#x}, not 'GPKG'"
        )));
    }
    run_missing(&tx, version)?;
    tx.commit()?;
    Ok(SchemaState::Ready)
}

/// Checks a file opened read-only: it must already be at the latest schema, as nothing can
/// be migrated.
///
/// # Errors
/// Any SQLite error (the caller maps it and adds the path).
pub fn check_read_only(conn: &Connection) -> rusqlite::Result<SchemaState> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    match stored_version(conn)? {
        Some(v) if v > latest_version() => Ok(SchemaState::Newer(v)),
        Some(v) if v == latest_version() && app_id == GPKG_APPLICATION_ID => Ok(SchemaState::Ready),
        Some(v) => Ok(SchemaState::Foreign(format!(
            "schema version {v} needs a migration, which a read-only folder cannot take"
        ))),
        None => Ok(SchemaState::Foreign(
            "no planmap_meta schema version (not a planmap store)".to_owned(),
        )),
    }
}

/// Runs every migration step after `from` and records the new version.
fn run_missing(tx: &Transaction<'_>, from: i64) -> rusqlite::Result<()> {
    if from == 0 {
        // Both pragmas write the database header, so they are part of the transaction.
        tx.pragma_update(None, "application_id", GPKG_APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", GPKG_USER_VERSION)?;
    }
    for step in MIGRATIONS.iter().filter(|m| m.to_version > from) {
        tx.execute_batch(step.sql)?;
        tx.execute(
            "INSERT INTO planmap_meta (key, value) VALUES ('schema_version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [step.to_version.to_string()],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_listed_in_strictly_increasing_order_from_one() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.to_version).collect();
        assert_eq!(versions.first(), Some(&1));
        assert!(
            versions.windows(2).all(|w| w[1] == w[0] + 1),
            "{versions:?}"
        );
        assert_eq!(latest_version(), *versions.last().unwrap());
    }

    #[test]
    fn migrating_twice_changes_nothing_the_second_time() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(check_and_migrate(&mut conn).unwrap(), SchemaState::Ready);
        let tables = |c: &Connection| -> i64 {
            c.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
                .unwrap()
        };
        let before = tables(&conn);
        assert_eq!(check_and_migrate(&mut conn).unwrap(), SchemaState::Ready);
        assert_eq!(tables(&conn), before);
        let version: String = conn
            .query_row(
                "SELECT value FROM planmap_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, latest_version().to_string());
    }
}
