//! Planners' corrections of where a feature lies, kept as versions with an audit trail.
//!
//! Inputs: a [`Correction`] (a geometry in WGS-84 longitude/latitude degrees, an uncertainty in
//! metres, the source it was read from, the editor's note) or a revert, each with the version
//! the editor last saw. Outputs: the new [`Version`], every [`PlacementVersion`] of a feature
//! (newest first) and the [`CurrentCorrection`]s the atlas is rebuilt from. Editors are
//! identified by bearer tokens whose secrets are handed out once and stored only as hashes.
//!
//! The trait is synchronous on purpose: SQLite (the embedded default) blocks anyway, and the
//! HTTP layer calls it from `tokio::task::spawn_blocking`. A PostgreSQL implementation can
//! follow behind the same trait; [`validate_correction`] is the shared boundary check so every
//! implementation refuses the same input with the same [`StoreError`] (`placement/validate.rs`:
//! text fields, uncertainty, WGS-84 geometry; this file keeps the model, the errors and the
//! trait).

mod validate;

use std::fmt;
use std::path::PathBuf;

use geo::Geometry;

use crate::plan::Layer;

pub use validate::{
    MAX_TEXT_CHARS, MAX_UNCERTAINTY_M, check_ring_positions, check_text, validate_correction,
};

/// The per-feature version of a placement, used as the HTTP `ETag`.
///
/// [`Version::AUTOMATIC`] (0) means no planner has ever touched the feature; every put or
/// revert adds one. A revert is a version too, so an `ETag` is never reused for a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u64);

impl Version {
    /// The version of a feature no planner has corrected yet.
    pub const AUTOMATIC: Version = Version(0);
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What an account may do. Reads are public, so the only role so far is the one that writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// May put and revert placements.
    Editor,
}

impl Role {
    /// The name stored in the `accounts` table and printed by `planmap token list`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
        }
    }

    /// Parses a stored or typed role name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }
}

/// The account behind a verified bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editor {
    /// The account name given to `planmap token add NAME`; recorded with every version.
    pub name: String,
    /// What the account may do.
    pub role: Role,
}

/// One account as `planmap token list` shows it; never includes the secret or its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The account name.
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// When the token was made, UTC RFC 3339.
    pub created_at: String,
    /// When the token was revoked, UTC RFC 3339; `None` while it is valid.
    pub revoked_at: Option<String>,
}

/// A planner's placement of one feature, as the write route receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Correction {
    /// The atlas feature id (`<report>/<layer>/<slug>`), unique across layers.
    pub feature_id: String,
    /// The layer the feature is served on.
    pub layer: Layer,
    /// The feature's name, so the correction can place the same name in other reports.
    pub name: String,
    /// Where it is: WGS-84 longitude/latitude degrees.
    pub geometry: Geometry<f64>,
    /// How far the true place may lie from the geometry, in metres.
    pub uncertainty_m: f64,
    /// What the placement was read from (a survey plan, a site visit, a map sheet).
    pub source: String,
    /// Why the planner changed it.
    pub note: String,
    /// The verified editor's account name.
    pub editor: String,
}

/// Whether a version placed the feature or sent it back to automatic placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// A planner placed the feature.
    Placed,
    /// A planner removed the correction; automatic placement applies again.
    Reverted,
}

impl Change {
    /// The name stored in `correction_history.change`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Placed => "placed",
            Change::Reverted => "reverted",
        }
    }

    /// Parses a stored change name.
    #[must_use]
    pub fn parse(s: &str) -> Option<Change> {
        match s {
            "placed" => Some(Change::Placed),
            "reverted" => Some(Change::Reverted),
            _ => None,
        }
    }
}

/// One version of a feature's placement, as `GET …/placements` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacementVersion {
    /// The atlas feature id.
    pub feature_id: String,
    /// This version's number.
    pub version: Version,
    /// Placed or reverted.
    pub change: Change,
    /// The layer the feature is served on.
    pub layer: Layer,
    /// The feature's name at the time.
    pub name: String,
    /// The placed geometry (WGS-84 lon/lat); `None` for a revert.
    pub geometry: Option<Geometry<f64>>,
    /// Uncertainty in metres; `None` for a revert.
    pub uncertainty_m: Option<f64>,
    /// What the placement was read from; `None` for a revert.
    pub source: Option<String>,
    /// Why the planner made this change.
    pub note: String,
    /// The editor's account name.
    pub editor: String,
    /// When it was stored, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The version this one replaced; `None` for the first version of a feature.
    pub replaced: Option<Version>,
}

/// A live correction, as the atlas is rebuilt from it.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentCorrection {
    /// The atlas feature id.
    pub feature_id: String,
    /// The layer the feature is served on.
    pub layer: Layer,
    /// The feature's name.
    pub name: String,
    /// Where it is: WGS-84 longitude/latitude degrees.
    pub geometry: Geometry<f64>,
    /// Uncertainty in metres.
    pub uncertainty_m: f64,
    /// What the placement was read from.
    pub source: String,
    /// Why the planner placed it.
    pub note: String,
    /// The editor's account name.
    pub editor: String,
    /// When it was stored, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The feature's current version (its `ETag`).
    pub version: Version,
}

/// Everything a placement store can refuse or fail at.
///
/// HTTP mapping (for the write routes): `Invalid*`/`EmptyText`/`TextTooLong` → 400 or 422,
/// `Conflict` → 412, `NotCorrected` → 404 or 409, `Unavailable` → 503, the rest → 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The editor's expected version is stale: someone else saved first.
    #[error(
        "feature {feature_id} is at version {current}, not {expected}: someone else saved first"
    )]
    Conflict {
        /// The feature that was edited.
        feature_id: String,
        /// The version the editor saw.
        expected: Version,
        /// The version now stored.
        current: Version,
    },
    /// A revert of a feature that has no live correction.
    #[error("feature {feature_id} has no correction to revert")]
    NotCorrected {
        /// The feature named in the revert.
        feature_id: String,
    },
    /// The geometry breaks a rule (non-finite, out of range, ring not closed or crossing itself).
    #[error("geometry of feature {feature_id} is invalid: {problem}")]
    InvalidGeometry {
        /// The feature being placed.
        feature_id: String,
        /// What is wrong, in words a planner can act on.
        problem: String,
    },
    /// The uncertainty is not a finite number in `0..=MAX_UNCERTAINTY_M` metres.
    #[error(
        "uncertainty_m of feature {feature_id} must be between 0 and {MAX_UNCERTAINTY_M} metres, got {value}"
    )]
    InvalidUncertainty {
        /// The feature being placed.
        feature_id: String,
        /// The value given.
        value: f64,
    },
    /// A required text (source, note, editor, name, feature id) is empty or blank.
    #[error("{field} must not be empty (feature {feature_id})")]
    EmptyText {
        /// The feature being placed or reverted (empty if that is what is missing).
        feature_id: String,
        /// Which field: `source`, `note`, `editor`, `name`, `feature_id`.
        field: &'static str,
    },
    /// A text is longer than [`MAX_TEXT_CHARS`].
    #[error("{field} of feature {feature_id} is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong {
        /// The feature being placed or reverted.
        feature_id: String,
        /// Which field.
        field: &'static str,
    },
    /// An upload whose id a live stored report (or a `--seeds` report) already has.
    #[error("a report with id {id} already exists; choose another id or delete it first")]
    DuplicateReport {
        /// The id given.
        id: String,
    },
    /// A removal of a report that is not a live uploaded report.
    #[error("no uploaded report {id}")]
    UnknownStoredReport {
        /// The id given.
        id: String,
    },
    /// A report id that cannot be a path segment.
    #[error(
        "report id {id:?} is not allowed: use 1–120 letters, digits, CJK, `-`, `_` or `.`, not starting with `.`"
    )]
    InvalidReportId {
        /// The id given.
        id: String,
    },
    /// A verdict's name that is too short, too long or holds whitespace.
    #[error("name {name:?} is not allowed: use 2–64 characters without spaces")]
    InvalidName {
        /// The name given.
        name: String,
    },
    /// A withdrawal of a verdict that does not exist.
    #[error("no verdict on {name}")]
    NoVerdict {
        /// The name given.
        name: String,
    },
    /// An account name that is empty, too long or contains whitespace or control characters.
    #[error("account name {name:?} is not allowed: use 1–64 visible characters without spaces")]
    InvalidAccountName {
        /// The name given.
        name: String,
    },
    /// `token add` for a name that already has a valid token.
    #[error("account {name} already has a valid token; revoke it first")]
    AccountExists {
        /// The name given.
        name: String,
    },
    /// `token revoke` for a name without a valid token.
    #[error("account {name} has no valid token")]
    UnknownAccount {
        /// The name given.
        name: String,
    },
    /// The data folder or file cannot be written (read-only, full, locked): answer 503.
    #[error("data store {path} cannot be written ({reason}); reads keep working")]
    Unavailable {
        /// The data file or folder.
        path: PathBuf,
        /// What the operating system or SQLite said.
        reason: String,
    },
    /// The file was written by a newer planmap than this one.
    #[error(
        "{path} has planmap schema version {found}, newer than {supported} which this build knows; upgrade planmap"
    )]
    NewerSchema {
        /// The data file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build can migrate to.
        supported: i64,
    },
    /// The file is not a GeoPackage planmap wrote, or a stored value cannot be read back.
    #[error("{path} is not a usable planmap store: {detail}")]
    Corrupt {
        /// The data file.
        path: PathBuf,
        /// What was found.
        detail: String,
    },
    /// The backup target already exists; a backup never overwrites a file.
    #[error("backup target {path} already exists")]
    BackupTargetExists {
        /// The target given.
        path: PathBuf,
    },
    /// Any other database failure, with the file it happened on.
    #[error("database error on {path}: {source}")]
    Database {
        /// The data file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Where planners' corrections and editor accounts are kept.
///
/// Every write is one transaction; when a write method returns `Ok`, the change is durable.
pub trait PlacementStore: Send + Sync {
    /// Stores `correction` as a new version of its feature.
    ///
    /// `expected` is the version the editor last saw (`If-Match`): when it differs from the
    /// stored one the write is refused with [`StoreError::Conflict`]. `None` writes
    /// unconditionally (still recorded as a version). The correction is checked with
    /// [`validate_correction`] first.
    ///
    /// # Errors
    /// Validation errors, `Conflict`, `Unavailable`, `Database`.
    fn put(
        &self,
        correction: &Correction,
        expected: Option<Version>,
    ) -> Result<Version, StoreError>;

    /// Sends `feature_id` back to automatic placement, recorded as a version by `editor` with
    /// `note`. `expected` works as in [`PlacementStore::put`].
    ///
    /// # Errors
    /// `NotCorrected` when there is no live correction, `Conflict`, `EmptyText`, `Unavailable`.
    fn revert(
        &self,
        feature_id: &str,
        editor: &str,
        note: &str,
        expected: Option<Version>,
    ) -> Result<Version, StoreError>;

    /// The current version of a feature ([`Version::AUTOMATIC`] if never corrected), for `ETag`.
    ///
    /// # Errors
    /// `Database` or `Unavailable`.
    fn version(&self, feature_id: &str) -> Result<Version, StoreError>;

    /// Every version of a feature, newest first (empty if never corrected).
    ///
    /// # Errors
    /// `Database`, `Corrupt` when a stored geometry cannot be decoded.
    fn history(&self, feature_id: &str) -> Result<Vec<PlacementVersion>, StoreError>;

    /// All live corrections, ordered by feature id, for rebuilding the atlas.
    ///
    /// # Errors
    /// `Database`, `Corrupt` when a stored geometry cannot be decoded.
    fn current(&self) -> Result<Vec<CurrentCorrection>, StoreError>;

    /// Creates an account and returns its bearer token. The secret is returned only here; the
    /// store keeps a hash of it.
    ///
    /// # Errors
    /// `InvalidAccountName`, `AccountExists`, `Unavailable`.
    fn add_token(&self, name: &str, role: Role) -> Result<String, StoreError>;

    /// Every account, valid and revoked, oldest first.
    ///
    /// # Errors
    /// `Database`.
    fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError>;

    /// Revokes the valid token of `name`; the account row stays for the audit trail.
    ///
    /// # Errors
    /// `UnknownAccount`, `Unavailable`.
    fn revoke_token(&self, name: &str) -> Result<(), StoreError>;

    /// The editor a bearer secret belongs to, or `None` for an unknown or revoked one. The
    /// comparison takes the same time whichever stored token (if any) matches.
    ///
    /// # Errors
    /// `Database` (the HTTP layer answers 503/500, never 401, so a broken store is visible).
    fn verify_token(&self, secret: &str) -> Result<Option<Editor>, StoreError>;

    /// Writes a consistent copy of the whole store to `target` while it keeps serving.
    ///
    /// # Errors
    /// `BackupTargetExists`, `Unavailable` (target folder not writable), `Database`.
    fn backup(&self, target: &std::path::Path) -> Result<(), StoreError>;

    /// Why writes cannot be taken right now (the database is unreachable), as `/health` says
    /// it; `None` when they can. Answered from what the store last saw, without I/O, so a
    /// health probe never waits on a database that is gone.
    fn unavailable_reason(&self) -> Option<String> {
        None
    }
}

/// Refuses a write whose expected version (`If-Match`) is not the stored one.
///
/// # Errors
/// [`StoreError::Conflict`] naming both versions.
pub fn check_expected(
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
