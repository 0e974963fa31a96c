//! The write machinery every editing route shares (placements, uploads, verdicts).
//!
//! Inputs: an [`AppState`] with its [`Editing`] part (the edit store and the live map behind
//! the one writer lock) and a request body. Outputs: the store write applied to the live map
//! and served (`write`), the change log followed for a replica (`AppState::follow_store`),
//! bodies read up to their limit (413 beyond it) and parsed into typed JSON (400 naming the
//! field). Blocking work runs on the blocking pool (`blocking`).

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use geo::{Geometry, MultiPolygon};

use super::AppState;
use super::auth::FailureGuard;
use super::write_error::{EditError, store_error};
use crate::store::changes::EditStore;
use crate::store::corrected::LiveMap;
use crate::store::placement::StoreError as PlacementError;

/// What the editing routes need beside the served store.
pub struct Editing {
    /// Where corrections, uploaded reports, verdicts, the change log and accounts are kept.
    pub placements: Arc<dyn EditStore>,
    /// The live map. Its lock is the one writer lock: store write, apply and swap happen
    /// together, so two applies never race and the served map always holds every
    /// acknowledged write.
    pub(super) live: Mutex<Box<dyn LiveMap>>,
    /// The district boundary, WGS-84, for the outside-the-district check.
    pub(super) boundary: Geometry<f64>,
    /// Failed token checks per address.
    pub failures: FailureGuard,
}

impl Editing {
    /// Whether a report id is a read-only seed (`Some(true)`), an upload, or unknown.
    pub fn is_seed(&self, report: &str) -> Option<bool> {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_seed(report)
    }
}

impl AppState {
    /// State with the editing routes enabled: serves the live map (already loaded with the
    /// store's corrections, verdicts and uploads, up to the store's newest change) and
    /// applies every later write to it.
    ///
    /// # Errors
    /// Never so far; a sentence for the log.
    pub fn editable(
        placements: Arc<dyn EditStore>,
        live: Box<dyn LiveMap>,
        boundary: MultiPolygon<f64>,
        limits: super::Limits,
    ) -> Result<AppState, String> {
        let state = AppState::from_store(live.served(), limits);
        state.set_change(live.change());
        let mut state = state;
        state.editing = Some(Arc::new(Editing {
            placements,
            live: Mutex::new(live),
            boundary: Geometry::MultiPolygon(boundary),
            failures: FailureGuard::default(),
        }));
        Ok(state)
    }
}

/// Runs a blocking store call on the blocking pool.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, EditError> + Send + 'static,
) -> Result<T, EditError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| EditError::internal(&format!("store call panicked: {e}")))?
}

/// Writes, applies and swaps, one writer at a time: `op` writes to the store (one
/// transaction, one change), then every change the log holds since the last one applied
/// (this write, and any another process made) is applied to the live map, and the new map is
/// served. Returns what `op` returned.
pub(super) fn write<T>(
    state: &AppState,
    editing: &Editing,
    op: impl FnOnce(&dyn EditStore) -> Result<T, PlacementError>,
) -> Result<T, EditError> {
    let mut live = editing
        .live
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let started = std::time::Instant::now();
    let out = op(editing.placements.as_ref()).map_err(|e| store_error(&e))?;
    tracing::debug!(
        store_ms = started.elapsed().as_secs_f64() * 1000.0,
        "write stored"
    );
    apply_pending(state, editing, live.as_mut())?;
    Ok(out)
}

/// Applies every change the store's log holds after the one the live map is at (a write of
/// this server, or of another server on the same database) and serves the result; the
/// caller holds the live map's lock.
fn apply_pending(
    state: &AppState,
    editing: &Editing,
    live: &mut dyn LiveMap,
) -> Result<(), EditError> {
    let changes = editing
        .placements
        .changes_since(live.change())
        .map_err(|e| store_error(&e))?;
    for change in &changes {
        let served = live
            .apply(change, editing.placements.as_ref())
            .map_err(|e| {
                EditError::internal(&format!(
                    "saved as change {}, but the map could not apply it: {e}",
                    change.number
                ))
            })?;
        state.swap(served);
        state.set_change(change.number);
    }
    Ok(())
}

impl AppState {
    /// Brings the served map up to the store's change log, for a replica whose store another
    /// server writes to (the store's change listener calls it): the same incremental apply
    /// as after a write here. Blocking: call it off the async workers. Returns the change
    /// number now served; `None` on a read-only server.
    ///
    /// # Errors
    /// The store cannot be read or a change not applied: a sentence for the log.
    pub fn follow_store(&self) -> Result<Option<u64>, String> {
        let Some(editing) = &self.editing else {
            return Ok(None);
        };
        let mut live = editing
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        apply_pending(self, editing, live.as_mut()).map_err(|e| format!("{e:?}"))?;
        Ok(Some(live.change()))
    }

    /// Why this server cannot take writes now (its store is unreachable), for `/health`.
    #[must_use]
    pub fn store_unavailable(&self) -> Option<String> {
        self.editing
            .as_ref()
            .and_then(|e| e.placements.unavailable_reason())
    }
}

/// Reads the body up to the configured limit: 413 beyond it.
pub(super) async fn body_bytes(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, EditError> {
    body_up_to(state.limits.max_body_bytes, headers, body).await
}

/// Reads the body up to `limit` bytes: 413 beyond it.
pub(super) async fn body_up_to(
    limit: usize,
    headers: &HeaderMap,
    body: Body,
) -> Result<axum::body::Bytes, EditError> {
    let too_large = || {
        EditError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the body is larger than the {limit} bytes accepted"),
        )
        .on("body")
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())
}

/// The field a serde error names (`unknown field `x``, `missing field `x``), else `body`.
pub(super) fn field_of(message: &str) -> String {
    ["unknown field `", "missing field `"]
        .iter()
        .find_map(|p| {
            let rest = &message[message.find(p)? + p.len()..];
            Some(rest[..rest.find('`')?].to_owned())
        })
        .unwrap_or_else(|| "body".to_owned())
}

/// Parses a JSON body into `T`, answering 400 naming the field.
pub(super) fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, EditError> {
    serde_json::from_slice(bytes).map_err(|e| {
        let message = e.to_string();
        EditError::bad(&field_of(&message), format!("invalid JSON body: {message}"))
    })
}
