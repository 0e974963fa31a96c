//! Several reports: `GET /api/reports` (every report with its title, district, year, kind and
//! counts, in time order), `GET /api/reports/{id}` (one report's text and structure),
//! `GET /api/reports/{a}/compare/{b}` (places new, dropped and continued) and
//! `GET /api/places/{placeId}` (one place's commitments in time order). The store renders the
//! answers; this file reads the request and names what is unknown.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::params::Params;
use super::{ApiError, ApiPath, AppState, spec};

/// A JSON body with the media type and the cache header of the other read routes.
fn json_text(body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            // Revalidated every time: reports come and go while serving (issue #21).
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, no-cache"),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn reports(
    State(s): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    // The number first: a store newer than it is safe (the page refetches once more), an
    // older one would hide a change.
    let change = s.change();
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    let mut r = json_text(store.reports().to_string());
    super::living::with_change(&mut r, change);
    Ok(r)
}

pub async fn report(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(json_text(store.report(Some(&id))?.to_string()))
}

pub async fn compare(
    State(s): State<AppState>,
    ApiPath((a, b)): ApiPath<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(json_text(store.compare(&a, &b)?))
}

pub async fn place(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(json_text(store.place(&id)?))
}
