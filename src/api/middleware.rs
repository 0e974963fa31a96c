//! Middleware of every route: the overload and URI-length guards, the panic guard, the JSON
//! 405, security headers and weak ETags with 304 answers.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{ApiError, Limits};

/// Answers a request the concurrency cap sheds.
pub async fn overloaded(_: tower::BoxError) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, HeaderValue::from_static("1"))],
        Json(json!({"code": "overloaded", "message": "too many requests at once; retry shortly", "parameter": null})),
    )
        .into_response()
}

/// The answer to a handler that panicked: one 500 in the JSON error form, the panic's message
/// in the log only. The process and every other request go on.
#[expect(
    clippy::needless_pass_by_value,
    reason = "tower-http hands the panic payload over by value"
)]
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    ApiError::Internal(format!("a handler panicked: {detail}")).into_response()
}

/// The answer to a method a route does not take: 405 in the JSON error form (the framework's
/// own 405 has an empty body); the `Allow` header the router adds is kept.
pub async fn method_not_allowed(method: axum::http::Method) -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"code": "method_not_allowed", "message": format!("{method} is not allowed on this route"), "parameter": null})),
    )
        .into_response()
}

/// Refuses URIs longer than the limit with 414, before any parsing.
pub async fn uri_limit(
    State(limits): State<Limits>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if len > limits.max_uri_bytes {
        return (
            StatusCode::URI_TOO_LONG,
            Json(json!({"code": "uri_too_long", "message": format!("the request URI is {len} bytes; at most {} are accepted", limits.max_uri_bytes), "parameter": null})),
        )
            .into_response();
    }
    next.run(request).await
}

/// The page's Content-Security-Policy: our own scripts and styles (Leaflet sets inline styles),
/// images from ourselves and the tile hosts of the basemaps it offers, nothing else.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https://tile.openstreetmap.org https://*.tile.openstreetmap.org https://*.is.autonavi.com; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Security headers on every answer: no sniffing, no framing, and a CSP that allows only our
/// own scripts and styles (Leaflet sets inline styles) and images from the tile hosts.
pub async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    response
}

/// FNV-1a, 64 bit: a stable, dependency-free hash for ETags (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Largest body the ETag layer buffers; answers are far smaller (the whole seed is ~1 MB).
const ETAG_MAX_BODY: usize = 64 << 20;

/// Adds a weak ETag to every 200 answer and answers 304 when the client already has it. Weak,
/// because compression may change the bytes while the representation stays the same.
pub async fn etag(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).cloned();
    // Near and search answer a point or a phrase: too varied to revalidate usefully, and
    // hashing them would cost on the hottest route.
    let path = request.uri().path();
    let tagged =
        !(path.starts_with("/api/near") || path.starts_with("/api/search") || path == "/health");
    let response = next.run(request).await;
    if !tagged {
        return response;
    }
    if response.status() != StatusCode::OK {
        return response;
    }
    // A placement answer carries its own strong version tag ("v3"), which If-Match uses.
    if response.headers().contains_key(header::ETAG) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ETAG_MAX_BODY).await else {
        return ApiError::Internal("answer too large to tag".into()).into_response();
    };
    let tag = format!("W/\"{:016x}\"", fnv1a(&bytes));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    // If-None-Match compares weakly (RFC 9110 13.1.2): `"abc"` and `W/"abc"` match.
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == "*" || opaque(t) == opaque(&tag))
        });
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
