//! Editor accounts: bearer tokens handed out once and kept only as SHA-256 hashes.
//!
//! Inputs: an account name and role (`planmap token add`), or a presented bearer secret.
//! Outputs: a new secret `pmk_` + 64 hex digits (256 random bits from the operating system),
//! rows in the `accounts` table, and the [`Editor`] a secret belongs to.
//!
//! A plain SHA-256 is enough here (no slow password hash): the secret is 256 random bits, so
//! the hash cannot be reversed by guessing. Verification hashes the presented secret and
//! compares it with every valid stored hash in constant time, never stopping at a match, so the
//! time taken says nothing about how close a guess was.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::db_error;
use crate::store::placement::{Editor, Role, StoreError, TokenInfo};
pub use crate::store::secret::{SECRET_PREFIX, hash_secret};
use crate::store::secret::{check_name, find_holder, new_secret};

/// SQLite's current UTC time as RFC 3339 with milliseconds.
const NOW_SQL: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// Creates an account and returns its secret (the only time it is ever available).
///
/// # Errors
/// `InvalidAccountName`, `AccountExists`, `Unavailable`, `Database`.
pub fn add(
    conn: &mut Connection,
    path: &Path,
    name: &str,
    role: Role,
) -> Result<String, StoreError> {
    check_name(name)?;
    let secret = new_secret().map_err(|e| StoreError::Database {
        path: path.to_path_buf(),
        source: e.into(),
    })?;
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let exists: bool = tx
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE name = ?1 AND revoked_at IS NULL)",
            [name],
            |r| r.get(0),
        )
        .map_err(db)?;
    if exists {
        return Err(StoreError::AccountExists {
            name: name.to_owned(),
        });
    }
    tx.execute(
        &format!(
            "INSERT INTO accounts (name, role, token_sha256, created_at)
             VALUES (?1, ?2, ?3, {NOW_SQL})"
        ),
        (name, role.as_str(), hash_secret(&secret)),
    )
    .map_err(db)?;
    tx.commit().map_err(db)?;
    Ok(secret)
}

fn role(path: &Path, stored: &str) -> Result<Role, StoreError> {
    Role::parse(stored).ok_or_else(|| StoreError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("unknown account role {stored:?}"),
    })
}

/// Every account, oldest first.
///
/// # Errors
/// `Database`, `Corrupt` for an unknown stored role.
pub fn list(conn: &Connection, path: &Path) -> Result<Vec<TokenInfo>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached("SELECT name, role, created_at, revoked_at FROM accounts ORDER BY id")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    rows.into_iter()
        .map(|(name, r, created_at, revoked_at)| {
            Ok(TokenInfo {
                role: role(path, &r)?,
                name,
                created_at,
                revoked_at,
            })
        })
        .collect()
}

/// Revokes the valid token of `name`.
///
/// # Errors
/// `UnknownAccount` when `name` has no valid token, `Unavailable`, `Database`.
pub fn revoke(conn: &mut Connection, path: &Path, name: &str) -> Result<(), StoreError> {
    let db = |e| db_error(path, e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db)?;
    let changed = tx
        .execute(
            &format!(
                "UPDATE accounts SET revoked_at = {NOW_SQL}
                 WHERE name = ?1 AND revoked_at IS NULL"
            ),
            [name],
        )
        .map_err(db)?;
    if changed == 0 {
        return Err(StoreError::UnknownAccount {
            name: name.to_owned(),
        });
    }
    tx.commit().map_err(db)?;
    Ok(())
}

/// The editor whose valid token is `secret`, if any.
///
/// # Errors
/// `Database`, `Corrupt` for an unknown stored role.
pub fn verify(conn: &Connection, path: &Path, secret: &str) -> Result<Option<Editor>, StoreError> {
    let db = |e| db_error(path, e);
    let mut stmt = conn
        .prepare_cached("SELECT name, role, token_sha256 FROM accounts WHERE revoked_at IS NULL")
        .map_err(db)?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .map_err(db)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(db)?;
    find_holder(secret, rows)
        .map(|(name, r)| {
            Ok(Editor {
                name,
                role: role(path, &r)?,
            })
        })
        .transpose()
}
