//! `GET /health`: 200 with what the store has loaded (reports, features, per collection
//! items and located items), so a probe sees an empty or partial load, not just a live
//! process. Nothing is served before the atlas is built, so there is no "loading" state.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::AppState;

pub async fn health(State(s): State<AppState>) -> Json<Value> {
    let store = s.store();
    let h = store.health();
    Json(json!({
        "status": "ok",
        "reports": h.reports,
        "features": h.features,
        "unlocated": h.unlocated,
        "collections": h.collections,
    }))
}
