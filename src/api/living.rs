//! The routes of a living map (issue #21): reports come in and go out while serving, and
//! planners give verdicts on what the reader found.
//!
//! - `POST /api/reports` (editor token): in `upload.rs`.
//! - `DELETE /api/reports/{id}?note=` (editor token): 200; an uploaded report only (a
//!   `--seeds` report is the read-only base: 409); the stored row stays for the history.
//! - `PUT /api/lexicon/{name}` (editor token): `{"verdict": "place" | "not_place", "layer"?,
//!   "kind"?, "note"}` → 200 with the verdict as stored.
//! - `DELETE /api/lexicon/{name}?note=` (editor token): 200; 404 when there is none.
//! - `GET /api/lexicon`: the live verdicts and every version (who, when, why).
//!
//! Every write is one store transaction with one change number, then applied to the map for
//! what it touches (see `atlas::living`); answers carry `X-Planmap-Change: <n>`.

use axum::Json;
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{ClientIp, authenticate};
use super::corrections::{blocking, body_bytes, json_body, write};
use super::params::Params;
use super::write_error::EditError;
use super::{ApiPath, AppState, CHANGE_HEADER, spec};
use crate::gazetteer::normalise_name;
use crate::plan::Layer;
use crate::store::changes::{Verdict, VerdictKind, VerdictVersion};
use crate::store::placement::Editor;

/// Adds `X-Planmap-Change: <n>` to an answer.
pub fn with_change(r: &mut Response, change: u64) {
    if let Ok(v) = HeaderValue::from_str(&change.to_string()) {
        r.headers_mut()
            .insert(header::HeaderName::from_static(CHANGE_HEADER), v);
    }
}

/// The optional body of a DELETE: `{"note": …}`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteBody {
    note: Option<String>,
}

/// The note of a DELETE, from the body or `?note=`; 400 without one.
fn note_of(bytes: &[u8], params: &Params) -> Result<String, EditError> {
    let body: NoteBody = if bytes.iter().all(u8::is_ascii_whitespace) {
        NoteBody::default()
    } else {
        json_body(bytes)?
    };
    body.note
        .or_else(|| params.get("note").map(str::to_owned))
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| EditError::bad("note", "say why: `note` in the JSON body or ?note="))
}

/// What both removals read first: the editing state, the editor behind the token and the
/// note (body or `?note=`).
async fn removal(
    s: &AppState,
    ip: std::net::IpAddr,
    q: Option<String>,
    headers: &HeaderMap,
    body: Body,
) -> Result<(std::sync::Arc<super::corrections::Editing>, Editor, String), EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let params = Params::parse(q.as_deref(), spec::NOTE_DELETE)?;
    let editor = authenticate(&editing, ip, headers).await?;
    let bytes = body_bytes(s, headers, body).await?;
    let note = note_of(&bytes, &params)?;
    Ok((editing, editor, note))
}

/// `DELETE /api/reports/{id}`: takes an uploaded report out.
pub async fn delete_report(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    remove_report(s, ip, id, q, headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn remove_report(
    s: AppState,
    ip: std::net::IpAddr,
    id: String,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let (editing, editor, note) = removal(&s, ip, q, &headers, body).await?;
    match editing.is_seed(&id) {
        None => {
            return Err(EditError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no report {id}"),
            ));
        }
        Some(true) => {
            return Err(EditError::new(
                StatusCode::CONFLICT,
                "read_only_report",
                format!(
                    "{id} is one of the server's --seeds reports, the read-only base; only uploaded reports can be deleted"
                ),
            )
            .on("id"));
        }
        Some(false) => {}
    }
    let state = s.clone();
    let key = id.clone();
    let change = blocking(move || {
        write(&state, &editing, |store| {
            store.remove_report(&key, &editor.name, &note)
        })
    })
    .await?;
    let mut r = Json(json!({
        "id": id,
        "removed": true,
        "change": change.number,
        "editor": change.who,
        "at": change.at,
        "note": change.why,
    }))
    .into_response();
    with_change(&mut r, s.change());
    Ok(r)
}

/// The body of `PUT /api/lexicon/{name}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictBody {
    verdict: String,
    layer: Option<String>,
    kind: Option<String>,
    note: String,
}

/// `PUT /api/lexicon/{name}`: a verdict on a name.
pub async fn put_verdict(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(name): ApiPath<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    put(s, ip, name, q, headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn put(
    s: AppState,
    ip: std::net::IpAddr,
    name: String,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    Params::parse(q.as_deref(), spec::META)?;
    let editor = authenticate(&editing, ip, &headers).await?;
    let bytes = body_bytes(&s, &headers, body).await?;
    let request: VerdictBody = json_body(&bytes)?;
    let verdict = VerdictKind::parse(&request.verdict).ok_or_else(|| {
        EditError::bad(
            "verdict",
            format!(
                "verdict must be \"place\" or \"not_place\", got {:?}",
                request.verdict
            ),
        )
    })?;
    let layer = match request.layer.as_deref() {
        None => None,
        Some(l) => Some(Layer::parse(l).ok_or_else(|| {
            EditError::bad(
                "layer",
                format!("layer must be zones, streets or projects, got {l:?}"),
            )
        })?),
    };
    let v = Verdict {
        name: normalise_name(name.trim()),
        verdict,
        layer,
        kind: request.kind,
        note: request.note,
        editor: editor.name,
    };
    let state = s.clone();
    let change = blocking(move || write(&state, &editing, |store| store.set_verdict(&v))).await?;
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let stored = blocking(move || {
        editing
            .placements
            .verdicts()
            .map_err(|e| super::corrections::store_error(&e))
    })
    .await?
    .into_iter()
    .find(|v| v.change == change.number);
    let mut r = Json(stored.as_ref().map_or(Value::Null, VerdictVersion::to_json)).into_response();
    with_change(&mut r, s.change());
    Ok(r)
}

/// `DELETE /api/lexicon/{name}`: withdraws a verdict.
pub async fn delete_verdict(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(name): ApiPath<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    withdraw(s, ip, name, q, headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn withdraw(
    s: AppState,
    ip: std::net::IpAddr,
    name: String,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let (editing, editor, note) = removal(&s, ip, q, &headers, body).await?;
    let name = normalise_name(name.trim());
    let state = s.clone();
    let change = blocking(move || {
        write(&state, &editing, |store| {
            store.remove_verdict(&name, &editor.name, &note)
        })
    })
    .await?;
    let mut r = Json(json!({
        "name": change.key,
        "verdict": null,
        "note": change.why,
        "editor": change.who,
        "at": change.at,
        "change": change.number,
    }))
    .into_response();
    with_change(&mut r, s.change());
    Ok(r)
}

/// `GET /api/lexicon`: the live verdicts and every version, newest first. A server without
/// a data store has none.
pub async fn lexicon(State(s): State<AppState>, RawQuery(q): RawQuery) -> Response {
    if let Err(e) = Params::parse(q.as_deref(), spec::META) {
        return e.into_response();
    }
    let change = s.change();
    let Some(editing) = s.editing.clone() else {
        return Json(json!({"verdicts": [], "history": []})).into_response();
    };
    let read = blocking(move || {
        let store = &editing.placements;
        let e = |e| super::corrections::store_error(&e);
        Ok((
            store.verdicts().map_err(e)?,
            store.verdict_history().map_err(e)?,
        ))
    })
    .await;
    match read {
        Err(e) => e.into_response(),
        Ok((live, history)) => {
            let mut r = Json(json!({
                "verdicts": live.iter().map(VerdictVersion::to_json).collect::<Vec<_>>(),
                "history": history.iter().map(VerdictVersion::to_json).collect::<Vec<_>>(),
            }))
            .into_response();
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            with_change(&mut r, change);
            r
        }
    }
}
