//! The PostgreSQL these tests run against: the cluster `.ci/postgres` starts, named by
//! `PLANMAP_TEST_DATABASE_URL`. Each test gets its own schema (dropped afterwards), so tests
//! run in parallel on one database without seeing each other's rows.
//!
//! Without the variable the PostgreSQL tests skip, loudly, on a developer's machine; with
//! `CI=true` they fail instead, so CI can never pass by skipping them.

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

/// The test database's URL, or `None` (after saying so on stderr) on a machine without one.
///
/// # Panics
/// When `CI` is set to `true` or `1` and the URL is missing.
pub fn database_url() -> Option<String> {
    match std::env::var("PLANMAP_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "CI is set but PLANMAP_TEST_DATABASE_URL is not: .ci/run starts PostgreSQL with \
                 `source .ci/postgres start`; the PostgreSQL tests must run in CI, not skip"
            );
            eprintln!(
                "\n*** SKIPPED: a PostgreSQL test (PLANMAP_TEST_DATABASE_URL is not set). ***\n\
                 *** Run `source .ci/postgres start` first to run it.                  ***\n"
            );
            None
        }
    }
}

/// Runs SQL on the test database with psql (as the cluster's superuser); its stdout.
///
/// # Panics
/// When psql fails.
pub fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([
            url,
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs (Debian's postgresql-client, installed with PostgreSQL)");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A schema of its own on the test database, dropped on drop.
pub struct Schema {
    /// The database URL without the schema.
    pub base: String,
    /// The schema's name.
    pub name: String,
}

impl Schema {
    /// A new empty schema named after the test, or `None` without a test database.
    pub fn fresh(label: &str) -> Option<Schema> {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = database_url()?;
        let clean: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(30)
            .collect();
        let name = format!(
            "t{}_{}_{clean}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        psql(&base, &format!("CREATE SCHEMA {name}"));
        Some(Schema { base, name })
    }

    /// The URL a store uses to keep its tables in this schema (PostGIS stays in `public`).
    #[must_use]
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{sep}options=-c%20search_path%3D{}%2Cpublic",
            self.base, self.name
        )
    }

    /// `ogrinfo`'s name of the database, limited to this schema.
    #[must_use]
    pub fn ogr_name(&self) -> String {
        let config: tokio_postgres::Config = self.base.parse().unwrap();
        let host = match &config.get_hosts()[0] {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        };
        format!(
            "PG:host={host} port={} user={} dbname={} schemas={}",
            config.get_ports().first().copied().unwrap_or(5432),
            config.get_user().unwrap_or("postgres"),
            config.get_dbname().unwrap_or("postgres"),
            self.name
        )
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([
                self.base.as_str(),
                "-X",
                "-q",
                "-c",
                &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            ])
            .output();
    }
}
