//! Editor accounts in PostgreSQL: bearer tokens kept only as SHA-256 hashes, as in the
//! GeoPackage (the rules and the constant-time lookup are [`crate::store::secret`]'s).
//!
//! Inputs: an account name and role, or a presented bearer secret. Outputs: a new secret
//! (returned once), rows in `accounts`, the [`Editor`] a secret belongs to. One valid token per
//! name is the unique partial index's rule, so two servers adding the same name at once cannot
//! both succeed.

use super::Shared;
use super::corrections::{NOW_MS, utc};
use crate::store::placement::{Editor, Role, StoreError, TokenInfo};
use crate::store::secret::{check_name, find_holder, hash_secret, new_secret};

fn role(shared: &Shared, stored: &str) -> Result<Role, StoreError> {
    Role::parse(stored).ok_or_else(|| shared.corrupt(format!("unknown account role {stored:?}")))
}

/// Creates an account and returns its secret.
pub(super) async fn add(shared: &Shared, name: &str, role: Role) -> Result<String, StoreError> {
    check_name(name)?;
    let secret = new_secret().map_err(|e| StoreError::Database {
        path: shared.label.clone(),
        source: e.into(),
    })?;
    let client = shared.client().await?;
    let inserted = client
        .execute(
            &format!(
                "INSERT INTO accounts (name, role, token_sha256, created_at)
                 VALUES ($1, $2, $3, {NOW_MS})"
            ),
            &[&name, &role.as_str(), &hash_secret(&secret)],
        )
        .await;
    match inserted {
        Ok(_) => Ok(secret),
        Err(e) if e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION) => {
            Err(StoreError::AccountExists {
                name: name.to_owned(),
            })
        }
        Err(e) => Err(shared.error(e)),
    }
}

/// Every account, oldest first.
pub(super) async fn list(shared: &Shared) -> Result<Vec<TokenInfo>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            &format!(
                "SELECT name, role, {}, {} FROM accounts ORDER BY id",
                utc("created_at"),
                utc("revoked_at")
            ),
            &[],
        )
        .await
        .map_err(|e| shared.error(e))?;
    rows.iter()
        .map(|r| {
            Ok(TokenInfo {
                name: r.get(0),
                role: role(shared, r.get(1))?,
                created_at: r.get(2),
                revoked_at: r.get(3),
            })
        })
        .collect()
}

/// Revokes the valid token of `name`.
pub(super) async fn revoke(shared: &Shared, name: &str) -> Result<(), StoreError> {
    let client = shared.client().await?;
    let changed = client
        .execute(
            &format!(
                "UPDATE accounts SET revoked_at = {NOW_MS} WHERE name = $1 AND revoked_at IS NULL"
            ),
            &[&name],
        )
        .await
        .map_err(|e| shared.error(e))?;
    if changed == 0 {
        return Err(StoreError::UnknownAccount {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// The editor whose valid token is `secret`, if any.
pub(super) async fn verify(shared: &Shared, secret: &str) -> Result<Option<Editor>, StoreError> {
    let client = shared.client().await?;
    let rows = client
        .query(
            "SELECT name, role, token_sha256 FROM accounts WHERE revoked_at IS NULL",
            &[],
        )
        .await
        .map_err(|e| shared.error(e))?;
    let rows = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2)));
    find_holder(secret, rows)
        .map(|(name, r)| {
            Ok(Editor {
                name,
                role: role(shared, &r)?,
            })
        })
        .transpose()
}
