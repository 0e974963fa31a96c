//! `GET /health`: 200 with what the store has loaded (reports, features, per collection
//! items and located items), so a probe sees an empty or partial load, not just a live
//! process. Nothing is served before the atlas is built, so there is no "loading" state.
//! When the placement store cannot be reached (its database is down) the answer is still 200,
//! as reads go on from memory, with `status: "degraded"` and `store: {status: "unavailable",
//! reason}`, so a load balancer keeps the replica and an operator sees why writes get 503.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;

pub async fn health(State(s): State<AppState>) -> Json<Value> {
    let store = s.store();
    let h = store.health();
    let (status, placements) = match s.store_unavailable() {
        None => ("ok", json!({"status": "ok"})),
        Some(reason) => (
            "degraded",
            json!({"status": "unavailable", "reason": reason, "writes": "503 until it returns"}),
        ),
    };
    Json(json!({
        "status": status,
        "store": placements,
        "reports": h.reports,
        "features": h.features,
        "unlocated": h.unlocated,
        "collections": h.collections,
    }))
}
