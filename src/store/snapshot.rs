//! The whole durable state of a placement store as plain values, for copying it between the
//! GeoPackage and PostgreSQL (`planmap migrate`, `planmap backup --database`) and proving the
//! copy complete.
//!
//! Inputs: every version of every correction, every account row (token hashes only, never
//! secrets), the change log, every uploaded report (removed ones too) and every verdict
//! version, read by a store in one consistent snapshot. Outputs: the live corrections they
//! imply, counts, and a SHA-256 checksum over a canonical text of everything, so two stores
//! holding the same state give the same checksum whatever engine they run on.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::changes::{ChangeEntry, StoredReport, VerdictKind, VerdictVersion};
use super::placement::{Change, CurrentCorrection, PlacementVersion, Role};

/// One account row as stored: the hash of its token, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account name.
    pub name: String,
    /// What the account may do.
    pub role: Role,
    /// SHA-256 of the secret, 64 lowercase hex digits.
    pub token_sha256: String,
    /// When the token was made, UTC RFC 3339 with milliseconds.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

/// An uploaded report row, live or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// The upload as stored.
    pub stored: StoredReport,
    /// Its removal, if it was taken out.
    pub removed: Option<Removal>,
}

/// Who took a report out, when, why, in which change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The editor's account name.
    pub by: String,
    /// Why.
    pub note: String,
    /// When, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The change number of the removal.
    pub change: u64,
}

/// Everything a store keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Every version of every feature, ordered by feature id, then version.
    pub history: Vec<PlacementVersion>,
    /// Every account, oldest first.
    pub accounts: Vec<Account>,
    /// The change log, oldest first.
    pub changes: Vec<ChangeEntry>,
    /// Every uploaded report, in the order of the changes that added them.
    pub reports: Vec<ReportRow>,
    /// Every verdict version, oldest first.
    pub verdicts: Vec<VerdictVersion>,
}

/// How much a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Live corrections.
    pub corrections: usize,
    /// Versions in the history.
    pub versions: usize,
    /// Accounts, valid and revoked.
    pub accounts: usize,
    /// Entries of the change log.
    pub changes: usize,
    /// Uploaded reports, removed ones included.
    pub reports: usize,
    /// Verdict versions.
    pub verdicts: usize,
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} live correction(s), {} version(s), {} account(s), {} change(s), {} report(s), \
             {} verdict version(s)",
            self.corrections,
            self.versions,
            self.accounts,
            self.changes,
            self.reports,
            self.verdicts
        )
    }
}

impl Snapshot {
    /// The live corrections: for each feature its newest version, when that one placed it.
    #[must_use]
    pub fn current(&self) -> Vec<CurrentCorrection> {
        let mut newest: BTreeMap<&str, &PlacementVersion> = BTreeMap::new();
        for v in &self.history {
            let slot = newest.entry(v.feature_id.as_str()).or_insert(v);
            if v.version > slot.version {
                *slot = v;
            }
        }
        newest
            .into_values()
            .filter(|v| v.change == Change::Placed)
            .filter_map(|v| {
                Some(CurrentCorrection {
                    feature_id: v.feature_id.clone(),
                    layer: v.layer,
                    name: v.name.clone(),
                    geometry: v.geometry.clone()?,
                    uncertainty_m: v.uncertainty_m?,
                    source: v.source.clone()?,
                    note: v.note.clone(),
                    editor: v.editor.clone(),
                    at: v.at.clone(),
                    version: v.version,
                })
            })
            .collect()
    }

    /// How many live corrections, versions and accounts it holds.
    #[must_use]
    pub fn counts(&self) -> Counts {
        Counts {
            corrections: self.current().len(),
            versions: self.history.len(),
            accounts: self.accounts.len(),
            changes: self.changes.len(),
            reports: self.reports.len(),
            verdicts: self.verdicts.len(),
        }
    }

    /// SHA-256 (hex) of a canonical text of everything: one tab-separated line per row,
    /// versions ordered by feature and version, accounts by creation, the rest by change
    /// number, numbers in Rust's shortest round-trip form and geometries as GeoJSON, so equal
    /// state hashes equal.
    #[must_use]
    pub fn checksum(&self) -> String {
        let mut versions: Vec<&PlacementVersion> = self.history.iter().collect();
        versions.sort_by(|a, b| (&a.feature_id, a.version).cmp(&(&b.feature_id, b.version)));
        let mut accounts: Vec<&Account> = self.accounts.iter().collect();
        accounts.sort_by(|a, b| (&a.created_at, &a.name).cmp(&(&b.created_at, &b.name)));
        let mut text = String::new();
        for v in versions {
            let geometry = v
                .geometry
                .as_ref()
                .map(|g| geojson::Geometry::from(g).to_string());
            let _ = writeln!(
                text,
                "v\t{}\t{}\t{}\t{}\t{}\t{:?}\t{:?}\t{:?}\t{}\t{}\t{}\t{:?}",
                v.feature_id,
                v.version,
                v.change.as_str(),
                v.layer.as_str(),
                v.name,
                geometry,
                v.uncertainty_m,
                v.source,
                v.note,
                v.editor,
                v.at,
                v.replaced.map(|r| r.0),
            );
        }
        for a in accounts {
            let _ = writeln!(
                text,
                "a\t{}\t{}\t{}\t{}\t{:?}",
                a.name,
                a.role.as_str(),
                a.token_sha256,
                a.created_at,
                a.revoked_at
            );
        }
        let mut changes: Vec<&ChangeEntry> = self.changes.iter().collect();
        changes.sort_by_key(|c| c.number);
        for c in changes {
            let _ = writeln!(
                text,
                "c\t{}\t{}\t{}\t{}\t{}\t{}",
                c.number,
                c.kind.as_str(),
                c.key,
                c.who,
                c.at,
                c.why
            );
        }
        let mut reports: Vec<&ReportRow> = self.reports.iter().collect();
        reports.sort_by_key(|r| r.stored.change);
        for r in reports {
            let (s, n) = (&r.stored, &r.stored.report);
            let _ = writeln!(
                text,
                "r\t{}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{}\t{}\t{}\t{}\t{:?}",
                n.id,
                n.text,
                n.title,
                n.district,
                n.year,
                n.kind,
                n.editor,
                n.note,
                s.at,
                s.change,
                r.removed
            );
        }
        let mut verdicts: Vec<&VerdictVersion> = self.verdicts.iter().collect();
        verdicts.sort_by_key(|v| v.change);
        for v in verdicts {
            let _ = writeln!(
                text,
                "j\t{}\t{:?}\t{:?}\t{:?}\t{}\t{}\t{}\t{}",
                v.name,
                v.verdict.map(VerdictKind::as_str),
                v.layer.map(crate::plan::Layer::as_str),
                v.kind,
                v.note,
                v.editor,
                v.at,
                v.change
            );
        }
        super::secret::hex(&Sha256::digest(text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Layer;
    use crate::store::placement::Version;

    fn version(n: u64, change: Change) -> PlacementVersion {
        let placed = change == Change::Placed;
        PlacementVersion {
            feature_id: "yuzhong-2024/streets/baixiangjie".to_owned(),
            version: Version(n),
            change,
            layer: Layer::Streets,
            name: "白象街".to_owned(),
            geometry: placed.then(|| geo::point!(x: 106.5840, y: 29.5560).into()),
            uncertainty_m: placed.then_some(25.0),
            source: placed.then(|| "现场踏勘".to_owned()),
            note: format!("第 {n} 版"),
            editor: "he.ping".to_owned(),
            at: format!("2026-03-0{n}T08:00:00.000Z"),
            replaced: (n > 1).then(|| Version(n - 1)),
        }
    }

    #[test]
    fn a_feature_whose_newest_version_is_a_revert_has_no_live_correction() {
        let mut s = Snapshot {
            history: vec![version(1, Change::Placed), version(2, Change::Reverted)],
            ..Snapshot::default()
        };
        assert!(s.current().is_empty());
        s.history.push(version(3, Change::Placed));
        let current = s.current();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].version, Version(3));
        assert_eq!(
            s.counts(),
            Counts {
                corrections: 1,
                versions: 3,
                accounts: 0,
                changes: 0,
                reports: 0,
                verdicts: 0
            }
        );
    }

    #[test]
    fn the_checksum_ignores_row_order_and_sees_any_changed_value() {
        let a = Snapshot {
            history: vec![version(1, Change::Placed), version(2, Change::Reverted)],
            ..Snapshot::default()
        };
        let mut b = a.clone();
        b.history.reverse();
        assert_eq!(a.checksum(), b.checksum());
        b.history[0].note.push('。');
        assert_ne!(a.checksum(), b.checksum());
        let mut c = a.clone();
        c.history[0].geometry = Some(geo::point!(x: 106.5840, y: 29.556_000_1).into());
        assert_ne!(a.checksum(), c.checksum());
    }
}
