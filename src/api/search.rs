//! `GET /api/search`: names, aliases and quotes for the page's search box; the ranking is the
//! store's (`plan::search_match`), this file only reads the request and writes the answer.

use axum::Json;
use axum::extract::{RawQuery, State};
use serde_json::{Value, json};

use super::params::Params;
use super::{ApiError, AppState, spec};
use crate::plan::round7;

pub async fn search(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let store = s.store();
    let p = Params::parse(q.as_deref(), spec::SEARCH)?;
    let crs = p.crs()?;
    let limit = p.usize_in("limit", 1, 100, 10)?;
    let text = p
        .get("q")
        .ok_or_else(|| ApiError::bad("q", "`q` is required"))?;
    let reports = p.reports(&store.report_ids())?;
    let results: Vec<Value> = store
        .search_in(text, limit, &reports)?
        .into_iter()
        .map(|h| {
            let center = h.center.map(|(lon, lat)| {
                let (lon, lat) = crs.from_wgs84(lon, lat);
                json!([round7(lon), round7(lat)])
            });
            json!({
                "id": h.id,
                "name": h.name,
                "layer": h.layer,
                "kind": h.kind,
                "matched": h.matched.field(),
                "center": center,
            })
        })
        .collect();
    Ok(Json(json!({"crs": crs.as_str(), "results": results})))
}
