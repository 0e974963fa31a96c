//! Editor secrets, shared by every store: making one, the stored hash, the account-name rule
//! and the constant-time lookup of a presented secret.
//!
//! Inputs: an account name, a presented bearer secret, the stored `(name, role, hash)` rows.
//! Outputs: a new secret `pmk_` + 64 hex digits (256 random bits from the operating system),
//! its SHA-256 as 64 lowercase hex digits, and the row a secret belongs to.
//!
//! A plain SHA-256 is enough here (no slow password hash): the secret is 256 random bits, so
//! the hash cannot be reversed by guessing. Verification compares the presented hash with every
//! valid stored hash in constant time, never stopping at a match, so the time taken says nothing
//! about how close a guess was.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::placement::StoreError;

/// The prefix of every secret, so a leaked one is recognisable in logs and secret scanners.
pub const SECRET_PREFIX: &str = "pmk_";

/// The longest account name, in characters.
const MAX_NAME_CHARS: usize = 64;

/// Lowercase hex of some bytes.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The stored form of a secret: SHA-256 as 64 lowercase hex digits.
#[must_use]
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Refuses an account name that is empty, longer than 64 characters or has whitespace or
/// control characters.
///
/// # Errors
/// [`StoreError::InvalidAccountName`].
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let count = name.chars().count();
    if count == 0
        || count > MAX_NAME_CHARS
        || name.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(StoreError::InvalidAccountName {
            name: name.to_owned(),
        });
    }
    Ok(())
}

/// A fresh secret from the operating system's random source.
///
/// # Errors
/// The operating system gave no random bytes: a sentence for [`StoreError::Database`].
pub fn new_secret() -> Result<String, String> {
    let mut random = [0u8; 32];
    getrandom::fill(&mut random)
        .map_err(|e| format!("the operating system gave no random bytes: {e}"))?;
    Ok(format!("{SECRET_PREFIX}{}", hex(&random)))
}

/// The `(name, role)` of the row whose hash is that of `secret`, comparing every row in full.
#[must_use]
pub fn find_holder<I>(secret: &str, rows: I) -> Option<(String, String)>
where
    I: IntoIterator<Item = (String, String, String)>,
{
    let presented = hash_secret(secret);
    let mut found = None;
    // Every row is compared in full; only the final selection depends on the outcome.
    for (name, role, stored_hash) in rows {
        if bool::from(presented.as_bytes().ct_eq(stored_hash.as_bytes())) {
            found = Some((name, role));
        }
    }
    found
}
