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
//! implementation refuses the same input with the same [`StoreError`].

use std::fmt;
use std::path::PathBuf;

use geo::{Coord, Geometry, LineString, Validation};

use crate::plan::Layer;

/// The longest source, note or name a store accepts, in characters; longer text is a client
/// error, not something to keep silently truncated.
pub const MAX_TEXT_CHARS: usize = 2000;

/// The largest uncertainty radius a correction may claim, in metres. A "correction" vaguer
/// than 50 km says nothing about a place inside one district.
pub const MAX_UNCERTAINTY_M: f64 = 50_000.0;

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
}

/// Checks a correction at the store boundary, so every store refuses the same input.
///
/// Rules: feature id, name, source, note and editor are not blank and at most
/// [`MAX_TEXT_CHARS`]; uncertainty is finite and within `0..=MAX_UNCERTAINTY_M`; the geometry is
/// not empty, every coordinate is finite with longitude in −180..=180 and latitude in −90..=90,
/// every polygon ring is closed with at least four positions, and geo's OGC validity rules hold
/// (no self-intersecting ring, holes inside the shell).
///
/// # Errors
/// The first problem found, as [`StoreError::EmptyText`], [`StoreError::TextTooLong`],
/// [`StoreError::InvalidUncertainty`] or [`StoreError::InvalidGeometry`].
pub fn validate_correction(c: &Correction) -> Result<(), StoreError> {
    let id = c.feature_id.as_str();
    check_text(id, "feature_id", id)?;
    check_text(id, "name", &c.name)?;
    check_text(id, "source", &c.source)?;
    check_text(id, "note", &c.note)?;
    check_text(id, "editor", &c.editor)?;
    if !c.uncertainty_m.is_finite() || !(0.0..=MAX_UNCERTAINTY_M).contains(&c.uncertainty_m) {
        return Err(StoreError::InvalidUncertainty {
            feature_id: id.to_owned(),
            value: c.uncertainty_m,
        });
    }
    check_geometry(&c.geometry).map_err(|problem| StoreError::InvalidGeometry {
        feature_id: id.to_owned(),
        problem,
    })
}

/// Checks one required text field: not blank, not longer than [`MAX_TEXT_CHARS`].
///
/// # Errors
/// [`StoreError::EmptyText`] or [`StoreError::TextTooLong`] naming `field`.
pub fn check_text(feature_id: &str, field: &'static str, text: &str) -> Result<(), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::EmptyText {
            feature_id: feature_id.to_owned(),
            field,
        });
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(StoreError::TextTooLong {
            feature_id: feature_id.to_owned(),
            field,
        });
    }
    Ok(())
}

/// Checks one polygon ring as the request gave it (GeoJSON positions `[lon, lat]`): closed
/// (first position equals the last) and at least four positions.
///
/// The HTTP layer must call this on every ring *before* converting to `geo`, because
/// `geo::Polygon::new` closes open rings silently and [`validate_correction`] can then no
/// longer see that the planner's ring was open.
///
/// # Errors
/// A sentence naming the problem.
pub fn check_ring_positions<'a>(ring: impl IntoIterator<Item = &'a [f64]>) -> Result<(), String> {
    let ring: Vec<&[f64]> = ring.into_iter().collect();
    if ring.first() != ring.last() {
        return Err("a polygon ring is not closed: its first and last positions differ".to_owned());
    }
    if ring.len() < 4 {
        return Err(format!(
            "a polygon ring has {} positions; it needs at least four (the last repeating the first)",
            ring.len()
        ));
    }
    Ok(())
}

/// Checks a WGS-84 geometry; the error is a sentence naming the problem.
fn check_geometry(geometry: &Geometry<f64>) -> Result<(), String> {
    let mut coords = 0usize;
    let mut bad: Option<String> = None;
    visit_coords(geometry, &mut |c: Coord<f64>| {
        coords += 1;
        if bad.is_some() {
            return;
        }
        if !c.x.is_finite() || !c.y.is_finite() {
            bad = Some(format!(
                "coordinate ({}, {}) is not a finite number",
                c.x, c.y
            ));
        } else if !(-180.0..=180.0).contains(&c.x) {
            bad = Some(format!("longitude {} is outside -180..180", c.x));
        } else if !(-90.0..=90.0).contains(&c.y) {
            bad = Some(format!("latitude {} is outside -90..90", c.y));
        }
    });
    if let Some(problem) = bad {
        return Err(problem);
    }
    if coords == 0 {
        return Err("geometry is empty".to_owned());
    }
    check_rings(geometry)?;
    // geo's OGC simple-feature rules: self-intersecting rings, holes outside the shell,
    // lines with fewer than two distinct points. The first one is enough to act on.
    if let Some(problem) = geometry.validation_errors().first() {
        return Err(problem.to_string());
    }
    Ok(())
}

/// Rings must be closed and have at least four positions. `geo::Polygon::new` closes rings
/// itself, so this guards polygons assembled any other way (and documents the rule).
fn check_rings(geometry: &Geometry<f64>) -> Result<(), String> {
    let check = |ring: &LineString<f64>, what: &str| -> Result<(), String> {
        if !ring.is_closed() {
            return Err(format!(
                "{what} is not closed: its first and last positions differ"
            ));
        }
        if ring.0.len() < 4 {
            return Err(format!("{what} has fewer than four positions"));
        }
        Ok(())
    };
    let polygon = |p: &geo::Polygon<f64>| -> Result<(), String> {
        check(p.exterior(), "the outer ring")?;
        p.interiors()
            .iter()
            .enumerate()
            .try_for_each(|(i, r)| check(r, &format!("hole {}", i + 1)))
    };
    match geometry {
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(mp) => mp.0.iter().try_for_each(polygon),
        Geometry::GeometryCollection(gc) => gc.0.iter().try_for_each(check_rings),
        _ => Ok(()),
    }
}

/// Calls `f` on every coordinate of a geometry.
fn visit_coords(geometry: &Geometry<f64>, f: &mut dyn FnMut(Coord<f64>)) {
    use geo::CoordsIter;
    for c in geometry.coords_iter() {
        f(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, point, polygon};

    fn correction(geometry: Geometry<f64>) -> Correction {
        Correction {
            feature_id: "yuzhong-2024/streets/jiefangbei".to_owned(),
            layer: Layer::Streets,
            name: "解放碑步行街".to_owned(),
            geometry,
            uncertainty_m: 30.0,
            source: "区规划局 1:2000 地形图".to_owned(),
            note: "按现场踏勘修正".to_owned(),
            editor: "li.ming".to_owned(),
        }
    }

    fn problem(c: &Correction) -> String {
        match validate_correction(c) {
            Err(StoreError::InvalidGeometry { problem, .. }) => problem,
            other => panic!("expected an invalid geometry, got {other:?}"),
        }
    }

    #[test]
    fn a_point_on_jiefangbei_is_accepted() {
        let c = correction(point!(x: 106.5776, y: 29.5573).into());
        assert!(validate_correction(&c).is_ok());
    }

    #[test]
    fn a_non_finite_coordinate_is_refused_by_name() {
        let c = correction(point!(x: f64::NAN, y: 29.5573).into());
        assert!(problem(&c).contains("not a finite number"));
    }

    #[test]
    fn a_latitude_beyond_the_pole_is_refused() {
        let c = correction(point!(x: 106.5776, y: 95.0).into());
        assert!(problem(&c).contains("latitude 95"));
    }

    #[test]
    fn a_longitude_beyond_the_antimeridian_is_refused() {
        let c = correction(line_string![(x: 106.57, y: 29.55), (x: 186.58, y: 29.56)].into());
        assert!(problem(&c).contains("longitude 186.58"));
    }

    #[test]
    fn a_bow_tie_ring_is_refused_as_self_intersecting() {
        let bow_tie = polygon![
            (x: 106.570, y: 29.550),
            (x: 106.580, y: 29.560),
            (x: 106.580, y: 29.550),
            (x: 106.570, y: 29.560),
        ];
        assert!(problem(&correction(bow_tie.into())).contains("self-intersection"));
    }

    #[test]
    fn a_ring_given_open_in_the_request_is_refused() {
        let open: [&[f64]; 3] = [&[106.57, 29.55], &[106.58, 29.55], &[106.58, 29.56]];
        let err = check_ring_positions(open).unwrap_err();
        assert!(err.contains("not closed"), "{err}");
        let closed: [&[f64]; 4] = [
            &[106.57, 29.55],
            &[106.58, 29.55],
            &[106.58, 29.56],
            &[106.57, 29.55],
        ];
        assert!(check_ring_positions(closed).is_ok());
    }

    #[test]
    fn a_ring_of_three_positions_is_refused() {
        let short: [&[f64]; 3] = [&[106.57, 29.55], &[106.58, 29.55], &[106.57, 29.55]];
        assert!(check_ring_positions(short).unwrap_err().contains("four"));
    }

    #[test]
    fn an_empty_source_is_refused_by_field_name() {
        let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
        c.source = "   ".to_owned();
        assert!(matches!(
            validate_correction(&c),
            Err(StoreError::EmptyText {
                field: "source",
                ..
            })
        ));
    }

    #[test]
    fn an_empty_note_is_refused_by_field_name() {
        let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
        c.note = String::new();
        assert!(matches!(
            validate_correction(&c),
            Err(StoreError::EmptyText { field: "note", .. })
        ));
    }

    #[test]
    fn a_negative_or_infinite_uncertainty_is_refused() {
        for value in [-1.0, f64::INFINITY, MAX_UNCERTAINTY_M + 1.0] {
            let mut c = correction(point!(x: 106.5776, y: 29.5573).into());
            c.uncertainty_m = value;
            assert!(matches!(
                validate_correction(&c),
                Err(StoreError::InvalidUncertainty { .. })
            ));
        }
    }

    #[test]
    fn an_empty_geometry_is_refused() {
        let c = correction(Geometry::MultiPoint(geo::MultiPoint(vec![])));
        assert_eq!(problem(&c), "geometry is empty");
    }
}
