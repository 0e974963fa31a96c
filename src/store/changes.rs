//! The change log, stored reports and planners' verdicts on readings (issue #21), behind one
//! storage-agnostic trait.
//!
//! Inputs: an uploaded report ([`NewReport`]: UTF-8 text and what it is), a removal with its
//! note, a verdict on a name ([`Verdict`]: `place` or `not_place`), a verdict's removal.
//! Outputs: every write as one transaction that also appends one [`ChangeEntry`] to the
//! `changes` log (a monotonic number, kind, key, who, when, why), so another replica replays
//! the log with [`ChangeStore::changes_since`] and applies each change by its key; the live
//! stored reports and verdicts, and the verdicts' history. Placement corrections
//! ([`super::placement::PlacementStore`]) append to the same log in their own transactions.
//!
//! Errors are [`StoreError`] (shared with the placement store, so the HTTP layer maps both
//! the same way); [`validate_report`] and [`validate_verdict`] are the shared boundary checks.

use std::fmt;

use super::placement::{MAX_TEXT_CHARS, PlacementStore, StoreError, check_text};
use crate::plan::Layer;

/// The largest report text a store accepts by default, in bytes (2 MB); the server's
/// `--max-report-bytes` may set another bound.
pub const DEFAULT_MAX_REPORT_BYTES: usize = 2 * 1024 * 1024;

/// The longest report id, in characters.
pub const MAX_REPORT_ID_CHARS: usize = 120;

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A feature's placement was corrected (key: the feature id).
    Placed,
    /// A feature's correction was removed (key: the feature id).
    Reverted,
    /// A report was uploaded (key: the report id).
    ReportAdded,
    /// An uploaded report was taken out (key: the report id).
    ReportRemoved,
    /// A verdict on a name was given or changed (key: the name).
    VerdictSet,
    /// A verdict on a name was withdrawn (key: the name).
    VerdictRemoved,
}

impl ChangeKind {
    /// Every kind, in the order they are documented.
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::Placed,
        ChangeKind::Reverted,
        ChangeKind::ReportAdded,
        ChangeKind::ReportRemoved,
        ChangeKind::VerdictSet,
        ChangeKind::VerdictRemoved,
    ];

    /// The name stored in the `changes` table and served.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Placed => "placed",
            ChangeKind::Reverted => "reverted",
            ChangeKind::ReportAdded => "report_added",
            ChangeKind::ReportRemoved => "report_removed",
            ChangeKind::VerdictSet => "verdict",
            ChangeKind::VerdictRemoved => "verdict_removed",
        }
    }

    /// Parses a stored kind.
    #[must_use]
    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEntry {
    /// Monotonic over the store's whole life, starting at 1; never reused.
    pub number: u64,
    /// What was done.
    pub kind: ChangeKind,
    /// To what: a feature id, a report id or a name.
    pub key: String,
    /// The editor's account name.
    pub who: String,
    /// When, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The editor's note.
    pub why: String,
}

/// A report text an editor uploads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    /// Its id (letters, digits, `-`, `_`, `.`, CJK; at most [`MAX_REPORT_ID_CHARS`]).
    pub id: String,
    /// The text, UTF-8.
    pub text: String,
    /// Title, when the editor gave one (else read from the text).
    pub title: Option<String>,
    /// District, when given.
    pub district: Option<String>,
    /// Year, when given.
    pub year: Option<i32>,
    /// Kind (工作报告, 规划 …), when given.
    pub kind: Option<String>,
    /// The editor's account name.
    pub editor: String,
    /// Why it is added.
    pub note: String,
}

/// A live uploaded report, as the atlas reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// The upload.
    pub report: NewReport,
    /// When it was stored, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The change that added it.
    pub change: u64,
}

/// A planner's verdict on a name the reader found or missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictKind {
    /// The name is a place: the reader finds it in every report.
    Place,
    /// The name is not a place: it is taken out of every report.
    NotPlace,
}

impl VerdictKind {
    /// `place` or `not_place`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Place => "place",
            VerdictKind::NotPlace => "not_place",
        }
    }

    /// Parses `place` or `not_place`.
    #[must_use]
    pub fn parse(s: &str) -> Option<VerdictKind> {
        match s {
            "place" => Some(VerdictKind::Place),
            "not_place" => Some(VerdictKind::NotPlace),
            _ => None,
        }
    }
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A verdict as an editor gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The name, normalised like the reports (Simplified, full-width folded).
    pub name: String,
    /// Place or not.
    pub verdict: VerdictKind,
    /// For `place`: the layer it goes on (else the vocabulary's guess from its head word).
    pub layer: Option<Layer>,
    /// For `place`: its kind (else its head word).
    pub kind: Option<String>,
    /// Why.
    pub note: String,
    /// The editor's account name.
    pub editor: String,
}

/// A live verdict, or one version of a name's verdicts (`verdict: None` for a withdrawal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictVersion {
    /// The name.
    pub name: String,
    /// The verdict; `None` when this version withdrew it.
    pub verdict: Option<VerdictKind>,
    /// Its layer, for `place`.
    pub layer: Option<Layer>,
    /// Its kind, for `place`.
    pub kind: Option<String>,
    /// Why.
    pub note: String,
    /// Who.
    pub editor: String,
    /// When, UTC RFC 3339 with milliseconds.
    pub at: String,
    /// The change number of this version.
    pub change: u64,
}

impl VerdictVersion {
    /// As the API and the export serve it: `{name, verdict, layer, kind, note, editor, at,
    /// change}` (`verdict` null for a withdrawal).
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "name": self.name,
            "verdict": self.verdict.map(VerdictKind::as_str),
            "layer": self.layer,
            "kind": self.kind,
            "note": self.note,
            "editor": self.editor,
            "at": self.at,
            "change": self.change,
        })
    }
}

/// Where uploaded reports, verdicts and the change log are kept.
///
/// Every write is one transaction that appends exactly one [`ChangeEntry`]; when a write
/// returns `Ok`, it is durable.
pub trait ChangeStore: Send + Sync {
    /// Stores an uploaded report (checked with [`validate_report`]).
    ///
    /// # Errors
    /// `DuplicateReport` when a live stored report has this id, validation errors,
    /// `Unavailable`, `Database`.
    fn add_report(&self, report: &NewReport) -> Result<ChangeEntry, StoreError>;

    /// Takes an uploaded report out; its row stays, marked removed, for the history.
    ///
    /// # Errors
    /// `UnknownStoredReport`, `EmptyText` (note, editor), `Unavailable`, `Database`.
    fn remove_report(&self, id: &str, editor: &str, note: &str) -> Result<ChangeEntry, StoreError>;

    /// The live uploaded reports, oldest change first.
    ///
    /// # Errors
    /// `Database`.
    fn stored_reports(&self) -> Result<Vec<StoredReport>, StoreError>;

    /// The live uploaded report with this id.
    ///
    /// # Errors
    /// `Database`.
    fn stored_report(&self, id: &str) -> Result<Option<StoredReport>, StoreError>;

    /// The uploads taken out, each with its removal (who, when, why, which change), newest
    /// removal first.
    ///
    /// # Errors
    /// `Database`.
    fn removed_reports(&self) -> Result<Vec<super::snapshot::ReportRow>, StoreError>;

    /// Gives or replaces the verdict on a name (checked with [`validate_verdict`]).
    ///
    /// # Errors
    /// Validation errors, `Unavailable`, `Database`.
    fn set_verdict(&self, verdict: &Verdict) -> Result<ChangeEntry, StoreError>;

    /// Withdraws the verdict on a name.
    ///
    /// # Errors
    /// `NoVerdict`, `EmptyText`, `Unavailable`, `Database`.
    fn remove_verdict(
        &self,
        name: &str,
        editor: &str,
        note: &str,
    ) -> Result<ChangeEntry, StoreError>;

    /// The live verdicts, by name.
    ///
    /// # Errors
    /// `Database`.
    fn verdicts(&self) -> Result<Vec<VerdictVersion>, StoreError>;

    /// Every version of every verdict (withdrawals included), newest change first.
    ///
    /// # Errors
    /// `Database`.
    fn verdict_history(&self) -> Result<Vec<VerdictVersion>, StoreError>;

    /// The changes after number `after`, oldest first (`0` gives the whole log).
    ///
    /// # Errors
    /// `Database`.
    fn changes_since(&self, after: u64) -> Result<Vec<ChangeEntry>, StoreError>;

    /// The newest change number, 0 for an empty log.
    ///
    /// # Errors
    /// `Database`.
    fn last_change(&self) -> Result<u64, StoreError>;
}

/// Everything the editing routes write to: placements and the change store in one.
pub trait EditStore: PlacementStore + ChangeStore {}

impl<T: PlacementStore + ChangeStore> EditStore for T {}

/// Checks an upload at the store boundary: id, text, note and editor present and bounded.
///
/// # Errors
/// [`StoreError::EmptyText`], [`StoreError::TextTooLong`] or [`StoreError::InvalidReportId`].
pub fn validate_report(r: &NewReport) -> Result<(), StoreError> {
    check_report_id(&r.id)?;
    if r.text.trim().is_empty() {
        return Err(StoreError::EmptyText {
            feature_id: r.id.clone(),
            field: "text",
        });
    }
    check_text(&r.id, "editor", &r.editor)?;
    check_text(&r.id, "note", &r.note)?;
    for (field, value) in [
        ("title", &r.title),
        ("district", &r.district),
        ("kind", &r.kind),
    ] {
        if let Some(v) = value
            && v.chars().count() > MAX_TEXT_CHARS
        {
            return Err(StoreError::TextTooLong {
                feature_id: r.id.clone(),
                field,
            });
        }
    }
    Ok(())
}

/// Checks a report id: 1..=[`MAX_REPORT_ID_CHARS`] letters, digits, CJK, `-`, `_`, `.`, not
/// starting with `.` (ids are path segments and file-like names).
///
/// # Errors
/// [`StoreError::InvalidReportId`].
pub fn check_report_id(id: &str) -> Result<(), StoreError> {
    let ok = !id.is_empty()
        && id.chars().count() <= MAX_REPORT_ID_CHARS
        && !id.starts_with('.')
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::InvalidReportId { id: id.to_owned() })
    }
}

/// Checks a verdict: a name of 2..=64 characters without whitespace, a note and an editor.
///
/// # Errors
/// [`StoreError::EmptyText`], [`StoreError::TextTooLong`] or [`StoreError::InvalidName`].
pub fn validate_verdict(v: &Verdict) -> Result<(), StoreError> {
    let n = v.name.chars().count();
    if !(2..=64).contains(&n) || v.name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(StoreError::InvalidName {
            name: v.name.clone(),
        });
    }
    check_text(&v.name, "note", &v.note)?;
    check_text(&v.name, "editor", &v.editor)?;
    if let Some(k) = &v.kind
        && k.chars().count() > 32
    {
        return Err(StoreError::TextTooLong {
            feature_id: v.name.clone(),
            field: "kind",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(id: &str, text: &str) -> NewReport {
        NewReport {
            id: id.into(),
            text: text.into(),
            title: None,
            district: None,
            year: None,
            kind: None,
            editor: "li.ming".into(),
            note: "区政府来文".into(),
        }
    }

    #[test]
    fn a_report_id_with_a_slash_or_a_leading_dot_is_refused() {
        for id in ["a/b", ".hidden", "", "两 江"] {
            assert!(
                matches!(check_report_id(id), Err(StoreError::InvalidReportId { .. })),
                "{id}"
            );
        }
        assert!(check_report_id("yuzhong-2026_草案.v2").is_ok());
    }

    #[test]
    fn a_blank_report_text_is_refused_naming_the_text() {
        assert!(matches!(
            validate_report(&upload("r-2026", " \n ")),
            Err(StoreError::EmptyText { field: "text", .. })
        ));
        assert!(validate_report(&upload("r-2026", "推进解放碑提升。")).is_ok());
    }

    #[test]
    fn a_one_char_verdict_name_is_refused() {
        let v = Verdict {
            name: "路".into(),
            verdict: VerdictKind::NotPlace,
            layer: None,
            kind: None,
            note: "不是地名".into(),
            editor: "li.ming".into(),
        };
        assert!(matches!(
            validate_verdict(&v),
            Err(StoreError::InvalidName { .. })
        ));
    }

    #[test]
    fn every_change_kind_reads_back_from_its_name() {
        for k in ChangeKind::ALL {
            assert_eq!(ChangeKind::parse(k.as_str()), Some(k));
        }
    }
}
