//! `POST /api/reports` (editor token): a report comes in while serving (issue #21).
//!
//! The body is either JSON `{"id"?, "text", "title"?, "district"?, "year"?, "kind"?,
//! "note"?}` (`Content-Type: application/json`, or none), or the file itself: `text/plain`
//! (UTF-8), a `.docx` or a PDF with a text layer, its fields then as query parameters
//! (`?id=&title=&year=…`). The text is read from the file here (`document`), so any client
//! uploads what it has. Answers: 201 with the report's summary as `/api/reports` lists it and
//! `Location`; with `?dry_run=true`, 200 with what would be served (the same reader, nothing
//! stored, no change number taken). Errors: 400 naming the field (not UTF-8, empty, a bad
//! id, a file that cannot be read and why: `file`), 409 for an id a report already has, 413
//! over `--max-report-bytes` (the text; a file body may be twice that, as a JSON body may),
//! 415 for another `Content-Type`.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::auth::{ClientIp, authenticate};
use super::corrections::{blocking, body_up_to, json_body, write};
use super::living::with_change;
use super::params::Params;
use super::write_error::{EditError, store_error};
use super::{AppState, base_url, links, spec};
use crate::document::{DocumentError, Format, text_of};
use crate::store::changes::{NewReport, StoredReport, validate_report};

/// The body of a JSON upload.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportBody {
    id: Option<String>,
    text: String,
    title: Option<String>,
    district: Option<String>,
    year: Option<i32>,
    kind: Option<String>,
    note: Option<String>,
}

/// The summary of one report as `/api/reports` lists it.
fn summary(s: &AppState, id: &str) -> Option<Value> {
    let list: Value = serde_json::from_str(s.store().reports()).ok()?;
    list["reports"]
        .as_array()?
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
}

/// `POST /api/reports`: stores an uploaded report, reads it and serves it; or, with
/// `?dry_run=true`, says what it would serve.
pub async fn post_report(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    post(s, ip, q, headers, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// How the body comes: JSON, or a file of a format.
fn body_format(headers: &HeaderMap) -> Result<Option<Format>, EditError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(None);
    };
    let media = value.to_str().unwrap_or_default();
    let essence = media.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case("application/json") {
        return Ok(None);
    }
    Format::of_media_type(media).map(Some).ok_or_else(|| {
        EditError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type {media:?} is not read here; send application/json ({{\"text\": …}}), text/plain (UTF-8), {} (.docx) or application/pdf",
                crate::document::DOCX_MEDIA_TYPE
            ),
        )
        .on("Content-Type")
    })
}

/// The upload a request makes: from its JSON body, or from its file and query fields.
async fn request_of(
    format: Option<Format>,
    params: &Params,
    bytes: axum::body::Bytes,
) -> Result<ReportBody, EditError> {
    let Some(format) = format else {
        if let Some(field) = spec::UPLOAD_FIELDS.iter().find(|f| params.get(f).is_some()) {
            return Err(EditError::bad(
                field,
                format!("with a JSON body, give `{field}` in the body, not as a query parameter"),
            ));
        }
        if let Err(e) = std::str::from_utf8(&bytes) {
            return Err(EditError::bad(
                "text",
                format!(
                    "the body is not UTF-8 (byte {}); send the report text as UTF-8",
                    e.valid_up_to()
                ),
            ));
        }
        return json_body(&bytes);
    };
    let text = blocking(move || {
        text_of(format, &bytes).map_err(|e| {
            // The page names the case in Chinese by its code: a scan needs OCR, not a retry.
            let code = match e {
                DocumentError::NotUtf8 { .. } => return EditError::bad("text", e.to_string()),
                DocumentError::NoTextLayer => "no_text_layer",
                _ => "unreadable_file",
            };
            EditError::new(StatusCode::BAD_REQUEST, code, e.to_string()).on("file")
        })
    })
    .await?;
    let field = |name: &str| params.get(name).map(str::to_owned);
    Ok(ReportBody {
        id: field("id"),
        text,
        title: field("title"),
        district: field("district"),
        // Checked as a whole number in 1..=9999 by `Params::parse`.
        year: params.get("year").and_then(|y| y.parse().ok()),
        kind: field("kind"),
        note: field("note"),
    })
}

async fn post(
    s: AppState,
    ip: std::net::IpAddr,
    q: Option<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let params = Params::parse(q.as_deref(), spec::UPLOAD)?;
    let dry_run = params.get("dry_run") == Some("true");
    let format = body_format(&headers)?;
    let editor = authenticate(&editing, ip, &headers).await?;
    let limit = s.limits.max_report_bytes;
    // The text travels as a JSON string: escapes make the body somewhat larger than the
    // text, so the body may be twice the limit and the text itself is measured below. A
    // file body has the same bound: a .docx is smaller than its text, a PDF with its fonts
    // larger.
    let bytes = body_up_to(limit.saturating_mul(2), &headers, body).await?;
    let request = request_of(format, &params, bytes).await?;
    if request.text.len() > limit {
        return Err(EditError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "the text is {} bytes, more than the {limit} bytes accepted (--max-report-bytes)",
                request.text.len()
            ),
        )
        .on("text"));
    }
    if request.text.trim().is_empty() {
        return Err(EditError::bad("text", "the text is empty"));
    }
    if let Some(id) = &request.id
        && editing.is_seed(id).is_some()
    {
        return Err(EditError::new(
            StatusCode::CONFLICT,
            "duplicate_id",
            format!("a report with id {id} already exists; choose another id or delete it first"),
        )
        .on("id"));
    }
    let given_id = request.id.clone();
    let upload = move |id: String| NewReport {
        id,
        text: request.text,
        title: request.title,
        district: request.district,
        year: request.year,
        kind: request.kind,
        editor: editor.name,
        note: request.note.unwrap_or_else(|| "上传报告".to_owned()),
    };
    if dry_run {
        return preview(&s, given_id, upload, &base_url(&headers)).await;
    }
    let state = s.clone();
    let id = blocking(move || {
        write(&state, &editing, |store| {
            // Without an id, the next change number names the upload: unique, and taken
            // under the writer lock.
            let id = match given_id {
                Some(id) => id,
                None => format!("upload-{}", store.last_change()? + 1),
            };
            store.add_report(&upload(id.clone()))?;
            Ok(id)
        })
    })
    .await?;
    let body = summary(&s, &id)
        .ok_or_else(|| EditError::internal(&format!("report {id} stored but not served")))?;
    let base = base_url(&headers);
    let mut r = (
        StatusCode::CREATED,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        links::rebase_hrefs(&body.to_string(), &base),
    )
        .into_response();
    let location = links::href(&base, &crate::atlas::reports::report_path(&id));
    if let Ok(v) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    with_change(&mut r, s.change());
    Ok(r)
}

/// The dry run: the upload checked as the store would check it and read as the live map
/// would read it, storing nothing. Under the writer lock only the next change number (an
/// upload without an id is named by it) and a copy of the live map are taken, so both are
/// those a publication at that moment would meet; the text is read after the lock is let go,
/// so a long report's reading holds up no write.
async fn preview(
    s: &AppState,
    id: Option<String>,
    upload: impl FnOnce(String) -> NewReport + Send + 'static,
    base: &str,
) -> Result<Response, EditError> {
    let editing = s.editing.clone().ok_or_else(EditError::not_editable)?;
    let answer = blocking(move || {
        let (id, previewer) = {
            let live = editing
                .live
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let id = match id {
                Some(id) => id,
                None => format!(
                    "upload-{}",
                    editing
                        .placements
                        .last_change()
                        .map_err(|e| store_error(&e))?
                        + 1
                ),
            };
            let copied = std::time::Instant::now();
            let previewer = live.previewer();
            tracing::debug!(
                copy_ms = copied.elapsed().as_secs_f64() * 1000.0,
                "dry run: live map copied under the writer lock"
            );
            (id, previewer)
        };
        let report = upload(id);
        validate_report(&report).map_err(|e| store_error(&e))?;
        let stored = StoredReport {
            report,
            at: String::new(),
            change: 0,
        };
        previewer
            .preview(&stored)
            .map_err(|e| EditError::internal(&format!("the report could not be read: {e}")))
    })
    .await?;
    let mut r = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        links::rebase_hrefs(&answer.to_string(), base),
    )
        .into_response();
    with_change(&mut r, s.change());
    Ok(r)
}
