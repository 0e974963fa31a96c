//! `GET /health`: 200 with what the store has loaded (reports, features, per collection
//! items and located items), so a probe sees an empty or partial load, not just a live
//! process. Nothing is served before the atlas is built; a replica whose database does not
//! answer yet at start listens meanwhile and answers 503 with `status: "starting"` and why
//! (`starting.rs`), then this route once the map is loaded.
//! `change` (and the `X-Planmap-Change` header) is the number of the newest change served:
//! a page polls this cheap route and reloads what it shows when the number moves.
//! When the store cannot be reached (its database is down) the answer is still 200, as reads
//! go on from memory, with `status: "degraded"` and `store: {status: "unavailable", reason}`,
//! so a load balancer keeps the replica and an operator sees why writes get 503.

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
    let (status, placements) = match s.store_unavailable() {
        None => ("ok", json!({"status": "ok"})),
        Some(reason) => (
            "degraded",
            json!({"status": "unavailable", "reason": reason, "writes": "503 until it returns"}),
        ),
    };
    let mut r = Json(json!({
        "status": status,
        "store": placements,
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
