//! A [`PlacementStore`] for a server whose data folder can be neither written nor read (the
//! path is a file, the disk is gone): it holds no corrections and no accounts, and answers
//! every write and every token check with [`StoreError::Unavailable`], so the HTTP layer
//! answers writes with 503 while the automatic map keeps being served.

use std::path::{Path, PathBuf};

use super::changes::{ChangeEntry, ChangeStore, NewReport, StoredReport, Verdict, VerdictVersion};
use super::placement::{
    Correction, CurrentCorrection, Editor, PlacementStore, PlacementVersion, Role, StoreError,
    TokenInfo, Version,
};

/// The store of a server that could not open its data folder.
#[derive(Debug, Clone)]
pub struct UnavailableStore {
    /// The data folder or file that could not be opened.
    pub path: PathBuf,
    /// Why, as the opening said.
    pub reason: String,
}

impl UnavailableStore {
    fn err(&self) -> StoreError {
        StoreError::Unavailable {
            path: self.path.clone(),
            reason: self.reason.clone(),
        }
    }
}

impl PlacementStore for UnavailableStore {
    fn put(&self, _: &Correction, _: Option<Version>) -> Result<Version, StoreError> {
        Err(self.err())
    }

    fn revert(&self, _: &str, _: &str, _: &str, _: Option<Version>) -> Result<Version, StoreError> {
        Err(self.err())
    }

    fn version(&self, _: &str) -> Result<Version, StoreError> {
        Ok(Version::AUTOMATIC)
    }

    fn history(&self, _: &str) -> Result<Vec<PlacementVersion>, StoreError> {
        Ok(Vec::new())
    }

    fn current(&self) -> Result<Vec<CurrentCorrection>, StoreError> {
        Ok(Vec::new())
    }

    fn add_token(&self, _: &str, _: Role) -> Result<String, StoreError> {
        Err(self.err())
    }

    fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        Err(self.err())
    }

    fn revoke_token(&self, _: &str) -> Result<(), StoreError> {
        Err(self.err())
    }

    fn verify_token(&self, _: &str) -> Result<Option<Editor>, StoreError> {
        Err(self.err())
    }

    fn backup(&self, _: &Path) -> Result<(), StoreError> {
        Err(self.err())
    }

    fn unavailable_reason(&self) -> Option<String> {
        Some(self.err().to_string())
    }
}

impl ChangeStore for UnavailableStore {
    fn add_report(&self, _: &NewReport) -> Result<ChangeEntry, StoreError> {
        Err(self.err())
    }

    fn remove_report(&self, _: &str, _: &str, _: &str) -> Result<ChangeEntry, StoreError> {
        Err(self.err())
    }

    fn stored_reports(&self) -> Result<Vec<StoredReport>, StoreError> {
        Ok(Vec::new())
    }

    fn stored_report(&self, _: &str) -> Result<Option<StoredReport>, StoreError> {
        Ok(None)
    }

    fn removed_reports(&self) -> Result<Vec<super::snapshot::ReportRow>, StoreError> {
        Ok(Vec::new())
    }

    fn set_verdict(&self, _: &Verdict) -> Result<ChangeEntry, StoreError> {
        Err(self.err())
    }

    fn remove_verdict(&self, _: &str, _: &str, _: &str) -> Result<ChangeEntry, StoreError> {
        Err(self.err())
    }

    fn verdicts(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        Ok(Vec::new())
    }

    fn verdict_history(&self) -> Result<Vec<VerdictVersion>, StoreError> {
        Ok(Vec::new())
    }

    fn changes_since(&self, _: u64) -> Result<Vec<ChangeEntry>, StoreError> {
        Ok(Vec::new())
    }

    fn last_change(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
}
