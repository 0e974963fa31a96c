//! Several reports: `GET /api/reports` (every report with its title, district, year, kind and
//! counts, in time order), `GET /api/reports/{id}` (one report's text and structure),
//! `GET /api/reports/{a}/compare/{b}` (places new, dropped and continued) and
//! `GET /api/places/{placeId}` (one place's commitments in time order). The store renders the
//! answers with API paths; this file reads the request, names what is unknown and makes those
//! paths links from the request's base (`links::push_rebased`, the rule of every link).

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};

use serde_json::{Value, json};

use super::params::Params;
use super::{ApiError, ApiPath, AppState, base_url, links, spec};

/// A JSON answer the store rendered, its API paths made links from the request's base, with
/// the media type and the cache header of the other read routes.
pub(super) fn store_json(rendered: &str, headers: &HeaderMap) -> Response {
    json_text(links::rebase_hrefs(rendered, &base_url(headers)))
}

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
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    // The number first: a store newer than it is safe (the page refetches once more), an
    // older one would hide a change.
    let change = s.change();
    let store = s.store();
    let params = Params::parse(q.as_deref(), spec::REPORTS_LIST)?;
    let mut r = if params.get("removed") == Some("true") {
        match removed(&s).await {
            Ok(list) => json_text(list.to_string()),
            Err(e) => return Ok(e.into_response()),
        }
    } else {
        store_json(store.reports(), &headers)
    };
    super::living::with_change(&mut r, change);
    Ok(r)
}

/// `GET /api/reports?removed=true`: the uploads taken out, newest removal first, with who
/// uploaded each and when, and who took it out, when and why. A server without a data
/// store has none.
async fn removed(s: &AppState) -> Result<Value, super::write_error::EditError> {
    let Some(editing) = s.editing.clone() else {
        return Ok(json!({"removed": []}));
    };
    let rows = super::corrections::blocking(move || {
        editing
            .placements
            .removed_reports()
            .map_err(|e| super::write_error::store_error(&e))
    })
    .await?;
    let list: Vec<Value> = rows
        .iter()
        .map(|row| {
            let r = &row.stored.report;
            let gone = row.removed.as_ref();
            json!({
                "id": r.id,
                "title": r.title,
                "district": r.district,
                "year": r.year,
                "kind": r.kind,
                "chars": r.text.chars().count(),
                "uploaded": {"editor": r.editor, "at": row.stored.at, "note": r.note, "change": row.stored.change},
                "removed": {
                    "editor": gone.map(|m| m.by.as_str()),
                    "at": gone.map(|m| m.at.as_str()),
                    "note": gone.map(|m| m.note.as_str()),
                    "change": gone.map(|m| m.change),
                },
            })
        })
        .collect();
    Ok(json!({"removed": list}))
}

pub async fn report(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(store_json(store.report(Some(&id))?, &headers))
}

pub async fn compare(
    State(s): State<AppState>,
    ApiPath((a, b)): ApiPath<(String, String)>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(store_json(&store.compare(&a, &b)?, &headers))
}

pub async fn place(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let store = s.store();
    Params::parse(q.as_deref(), spec::REPORTS)?;
    Ok(store_json(&store.place(&id)?, &headers))
}
