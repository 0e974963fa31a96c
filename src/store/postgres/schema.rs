//! The PostgreSQL layout of the store and its migrations.
//!
//! Inputs: the shared pool. Outputs: the tables at the newest schema version, recorded one row
//! per applied step in `planmap_schema`. Migration runs in one transaction that first takes a
//! transaction-scoped advisory lock, so servers starting together queue up: the first applies
//! the missing steps, the others find nothing left to do. Steps are appended, never edited.
//!
//! Geometries are PostGIS `geometry(Geometry, 4326)` (WGS-84 lon/lat) with GiST indexes;
//! times are `timestamptz` at millisecond precision; `fid` is the integer key GIS clients use
//! as the feature id.

use super::Shared;
use crate::store::placement::StoreError;

/// The advisory lock key of migrations ("plan" "migr" in ASCII, as one number).
const MIGRATION_LOCK: i64 = 0x706c_616e_6d69_6772;

/// One migration: the version it produces and its SQL.
pub struct Migration {
    /// The schema version after this step.
    pub version: i32,
    /// The SQL batch of this step.
    pub sql: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: SCHEMA_V1,
}];

/// The newest schema version this build writes.
#[must_use]
pub fn latest_version() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Version 1: corrections, their history, accounts, the change log, uploaded reports and
/// verdicts (the GeoPackage's versions 1 and 2 in one step).
const SCHEMA_V1: &str = r"
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE corrections (
  fid bigserial PRIMARY KEY,
  feature_id text NOT NULL UNIQUE,
  layer text NOT NULL,
  name text NOT NULL,
  geom geometry(Geometry, 4326) NOT NULL,
  uncertainty_m double precision NOT NULL,
  source text NOT NULL,
  note text NOT NULL,
  editor text NOT NULL,
  at timestamptz NOT NULL,
  version bigint NOT NULL
);
CREATE INDEX corrections_geom_gist ON corrections USING gist (geom);
COMMENT ON TABLE corrections IS 'Live planners'' corrections of feature placements (WGS 84)';

CREATE TABLE correction_history (
  fid bigserial PRIMARY KEY,
  feature_id text NOT NULL,
  version bigint NOT NULL,
  change text NOT NULL CHECK (change IN ('placed', 'reverted')),
  layer text NOT NULL,
  name text NOT NULL,
  geom geometry(Geometry, 4326),
  uncertainty_m double precision,
  source text,
  note text NOT NULL,
  editor text NOT NULL,
  at timestamptz NOT NULL,
  replaced_version bigint,
  UNIQUE (feature_id, version)
);
CREATE INDEX correction_history_geom_gist ON correction_history USING gist (geom);
COMMENT ON TABLE correction_history IS
  'Every version of every correction, reverts included (WGS 84)';

CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL,
  revoked_at timestamptz
);
-- One valid token per account name; revoked rows stay for the audit trail.
CREATE UNIQUE INDEX accounts_one_valid_token ON accounts (name) WHERE revoked_at IS NULL;
COMMENT ON TABLE accounts IS 'Editor accounts; tokens stored as SHA-256 only';

-- One row per committed write; number is the store's change number. Writers hold one advisory
-- lock while they write, so numbers commit in order and a reader of `number > n` misses nothing.
CREATE TABLE changes (
  number bigserial PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('placed', 'reverted', 'report_added', 'report_removed',
    'verdict', 'verdict_removed')),
  key text NOT NULL,
  who text NOT NULL,
  at timestamptz NOT NULL,
  why text NOT NULL
);
COMMENT ON TABLE changes IS 'Every write, numbered: kind, key, who, when, why';

CREATE TABLE reports (
  fid bigserial PRIMARY KEY,
  id text NOT NULL,
  text text NOT NULL,
  title text,
  district text,
  year integer,
  kind text,
  editor text NOT NULL,
  note text NOT NULL,
  at timestamptz NOT NULL,
  change bigint NOT NULL REFERENCES changes (number),
  removed_by text,
  removed_note text,
  removed_at timestamptz,
  removed_change bigint REFERENCES changes (number)
);
-- One live report per id; removed rows stay for the history.
CREATE UNIQUE INDEX reports_one_live_id ON reports (id) WHERE removed_at IS NULL;
COMMENT ON TABLE reports IS 'Uploaded report texts; removed ones kept';

CREATE TABLE verdicts (
  fid bigserial PRIMARY KEY,
  name text NOT NULL,
  verdict text CHECK (verdict IN ('place', 'not_place')),
  layer text,
  kind text,
  note text NOT NULL,
  editor text NOT NULL,
  at timestamptz NOT NULL,
  change bigint NOT NULL UNIQUE REFERENCES changes (number)
);
CREATE INDEX verdicts_by_name ON verdicts (name, change);
COMMENT ON TABLE verdicts IS
  'Planners'' verdicts on names (place, not_place; NULL withdraws), every version';
";

/// Brings the database to the newest schema, or says why it cannot.
///
/// # Errors
/// `NewerSchema` when a newer planmap migrated it; `Unavailable`; `Database`.
pub(super) async fn migrate(shared: &Shared) -> Result<(), StoreError> {
    let db = |e| shared.error(e);
    let mut client = shared.client().await?;
    let tx = client.transaction().await.map_err(db)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(db)?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS planmap_schema (
           version integer PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(db)?;
    let found: i32 = tx
        .query_one("SELECT COALESCE(max(version), 0) FROM planmap_schema", &[])
        .await
        .map_err(db)?
        .get(0);
    if found > latest_version() {
        return Err(StoreError::NewerSchema {
            path: shared.label.clone(),
            found: i64::from(found),
            supported: i64::from(latest_version()),
        });
    }
    for step in MIGRATIONS.iter().filter(|m| m.version > found) {
        tx.batch_execute(step.sql).await.map_err(db)?;
        tx.execute(
            "INSERT INTO planmap_schema (version) VALUES ($1)",
            &[&step.version],
        )
        .await
        .map_err(db)?;
        tracing::info!(
            "{}: schema migrated to version {}",
            shared.label.display(),
            step.version
        );
    }
    tx.commit().await.map_err(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_one_by_one_from_one() {
        let versions: Vec<i32> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert_eq!(versions.first(), Some(&1));
        assert!(
            versions.windows(2).all(|w| w[1] == w[0] + 1),
            "{versions:?}"
        );
    }
}
