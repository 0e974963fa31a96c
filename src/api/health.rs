//! `GET /health`: 200 with what the store has loaded (reports, features, per collection
//! items and located items), so a probe sees an empty or partial load, not just a live
//! process. Nothing is served before the atlas is built, so there is no "loading" state.
//! `change` (and the `X-Planmap-Change` header) is the number of the newest change served:
//! a page polls this cheap route and reloads what it shows when the number moves.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::AppState;

pub async fn health(State(s): State<AppState>) -> Response {
    // The number first: a store newer than it is safe (the page refetches once more), an
    // older one would hide a change.
    let change = s.change();
    let store = s.store();
    let h = store.health();
    let mut r = Json(json!({
        "status": "ok",
        "change": change,
        "reports": h.reports,
        "features": h.features,
        "unlocated": h.unlocated,
        "collections": h.collections,
    }))
    .into_response();
    super::living::with_change(&mut r, change);
    r
}
