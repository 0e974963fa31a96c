//! The errors of the correction routes as JSON `{code, message, parameter}` (the shape of
//! [`ApiError`], with the statuses writes need: 401, 409, 412, 413, 422, 429, 503), and the
//! placement version as an HTTP entity tag (`ETag` / `If-Match`: `"v<N>"`).

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::ApiError;
use crate::store::placement::{StoreError as PlacementError, Version};

/// An error of the editing routes, answered as JSON `{code, message, parameter}` like
/// [`ApiError`], with the statuses writes need (401, 412, 413, 422, 429, 503 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError {
    status: StatusCode,
    code: &'static str,
    message: String,
    parameter: Option<String>,
    retry_after: Option<u64>,
    etag: Option<Version>,
}

impl EditError {
    pub(super) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> EditError {
        EditError {
            status,
            code,
            message: message.into(),
            parameter: None,
            retry_after: None,
            etag: None,
        }
    }

    pub(super) fn on(mut self, parameter: &str) -> EditError {
        self.parameter = Some(parameter.to_owned());
        self
    }

    /// 400 naming the offending field, header or parameter.
    pub fn bad(parameter: &str, message: impl Into<String>) -> EditError {
        EditError::new(StatusCode::BAD_REQUEST, "bad_parameter", message).on(parameter)
    }

    /// 401: no, unknown or revoked token.
    pub fn unauthorized(message: &str) -> EditError {
        EditError::new(StatusCode::UNAUTHORIZED, "unauthorized", message).on("Authorization")
    }

    /// 429 with `Retry-After`.
    pub fn too_many_failures(seconds: u64) -> EditError {
        let mut e = EditError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_failures",
            format!("too many failed token checks from this address; retry in {seconds} s"),
        );
        e.retry_after = Some(seconds);
        e
    }

    /// 503: this server was started without a placement store.
    pub fn not_editable() -> EditError {
        EditError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "this server does not take corrections (started without a data store)",
        )
    }

    /// 500; the detail is logged, never sent.
    pub fn internal(detail: &str) -> EditError {
        tracing::error!(%detail, "internal error");
        EditError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl From<ApiError> for EditError {
    fn from(e: ApiError) -> EditError {
        match e {
            ApiError::BadParameter { parameter, message } => EditError::bad(&parameter, message),
            ApiError::NotFound { message } => {
                EditError::new(StatusCode::NOT_FOUND, "not_found", message)
            }
            ApiError::Internal(detail) => EditError::internal(&detail),
            ApiError::Unavailable(message) => {
                EditError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
            }
        }
    }
}

impl From<crate::store::StoreError> for EditError {
    fn from(e: crate::store::StoreError) -> EditError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for EditError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "message": self.message, "parameter": self.parameter});
        let mut r = (self.status, Json(body)).into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let Some(v) = self.etag {
            r.headers_mut().insert(header::ETAG, etag(v));
        }
        r
    }
}

/// The `Retry-After` of a write refused because the store is unreachable, in seconds: a
/// database restart or a fail-over takes about this long.
pub const STORE_RETRY_AFTER_S: u64 = 5;

/// The answer to a placement store's refusal or failure.
pub fn store_error(e: &PlacementError) -> EditError {
    let message = e.to_string();
    match e {
        PlacementError::Conflict { current, .. } => {
            let mut err = EditError::new(
                StatusCode::PRECONDITION_FAILED,
                "conflict",
                format!(
                    "someone else saved first: the placement is now at version {current} (ETag \"v{current}\"); reload it, then save again with If-Match: \"v{current}\""
                ),
            )
            .on("If-Match");
            err.etag = Some(*current);
            err
        }
        PlacementError::NotCorrected { .. } => {
            EditError::new(StatusCode::CONFLICT, "not_corrected", message)
        }
        PlacementError::InvalidGeometry { .. } => EditError::bad("geometry", message),
        PlacementError::InvalidUncertainty { .. } => EditError::bad("uncertainty_m", message),
        PlacementError::EmptyText { field, .. } | PlacementError::TextTooLong { field, .. } => {
            EditError::bad(field, message)
        }
        PlacementError::DuplicateReport { .. } => {
            EditError::new(StatusCode::CONFLICT, "duplicate_id", message).on("id")
        }
        PlacementError::InvalidReportId { .. } => EditError::bad("id", message),
        PlacementError::InvalidName { .. } => EditError::bad("name", message),
        PlacementError::UnknownStoredReport { .. } | PlacementError::NoVerdict { .. } => {
            EditError::new(StatusCode::NOT_FOUND, "not_found", message)
        }
        PlacementError::Unavailable { .. } => {
            let mut err = EditError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message);
            err.retry_after = Some(STORE_RETRY_AFTER_S);
            err
        }
        _ => EditError::internal(&message),
    }
}

/// The strong `ETag` of a placement version.
pub fn etag(v: Version) -> HeaderValue {
    HeaderValue::from_str(&format!("\"v{v}\"")).unwrap_or(HeaderValue::from_static("\"v0\""))
}

/// The version named by `If-Match` (`"v<N>"`, weak or not); `None` without the header or
/// with `*`.
pub fn if_match(headers: &HeaderMap) -> Result<Option<Version>, EditError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    if text == "*" {
        return Ok(None);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .strip_prefix('v')
        .and_then(|n| n.parse::<u64>().ok())
        .map(|n| Some(Version(n)))
        .ok_or_else(|| {
            EditError::bad(
                "If-Match",
                format!("If-Match must be a placement ETag such as \"v3\" (from PUT, DELETE or GET …/placements), got {text:?}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_reads_strong_and_weak_placement_tags_and_refuses_others() {
        let mut h = HeaderMap::new();
        assert_eq!(if_match(&h), Ok(None));
        h.insert(header::IF_MATCH, HeaderValue::from_static("\"v3\""));
        assert_eq!(if_match(&h), Ok(Some(Version(3))));
        h.insert(header::IF_MATCH, HeaderValue::from_static("W/\"v12\""));
        assert_eq!(if_match(&h), Ok(Some(Version(12))));
        h.insert(header::IF_MATCH, HeaderValue::from_static("*"));
        assert_eq!(if_match(&h), Ok(None));
        h.insert(header::IF_MATCH, HeaderValue::from_static("W/\"00ab\""));
        assert!(if_match(&h).is_err());
    }
}
