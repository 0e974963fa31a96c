//! `GET /api/vocabulary`: the one vocabulary (generic terms → kind → layer, statuses, themes)
//! as JSON, so the page reads the same table the parser and layer assignment use.

use axum::extract::RawQuery;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::params::Params;
use super::{ApiError, spec};

pub async fn vocabulary(RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    Params::parse(q.as_deref(), spec::META)?;
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
        crate::vocab::json(),
    )
        .into_response())
}
