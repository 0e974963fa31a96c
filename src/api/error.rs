//! The one error type of the HTTP API and its JSON form `{code, message, parameter}`.
//!
//! Client mistakes keep their message and name the parameter; internal errors become a bare
//! 500 whose details go only to the log.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A query parameter is malformed, out of range or unknown (400).
    BadParameter {
        /// The parameter's name.
        parameter: String,
        /// What is wrong, for a person.
        message: String,
    },
    /// No such collection or feature (404).
    NotFound {
        /// What was asked for.
        message: String,
    },
    /// Something failed inside (500); the message is logged, never sent.
    Internal(String),
    /// The server cannot take this request now (503, with `Retry-After`); the message is sent.
    Unavailable(String),
}

impl ApiError {
    /// A 400 naming the parameter.
    pub fn bad(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            parameter: parameter.to_string(),
            message: message.into(),
        }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::NotFound {
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    parameter: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, parameter) = match &self {
            ApiError::BadParameter { parameter, message } => (
                StatusCode::BAD_REQUEST,
                "bad_parameter",
                message.as_str(),
                Some(parameter.as_str()),
            ),
            ApiError::NotFound { message } => {
                (StatusCode::NOT_FOUND, "not_found", message.as_str(), None)
            }
            ApiError::Unavailable(message) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                message.as_str(),
                None,
            ),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                    None,
                )
            }
        };
        let mut response = (
            status,
            Json(Body {
                code,
                message,
                parameter,
            }),
        )
            .into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}
