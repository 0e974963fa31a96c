//! `GET /api/report`: the normalised report text, its sections and sentences with the feature
//! ids each mentions, and the items not placed; rendered once by the store.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::params::Params;
use super::{ApiError, AppState, spec};

pub async fn report(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    let p = Params::parse(q.as_deref(), spec::REPORT)?;
    // `report=` is checked like on the other routes (an unknown id is a 400 naming it); of a
    // list, the first is the report shown.
    let selected = p.reports(&store.report_ids())?;
    let id = selected.first().map(String::as_str).or_else(|| p.get("id"));
    let body = store.report(id)?.to_string();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            ),
        ],
        body,
    )
        .into_response())
}
