//! Malformed and hostile requests: every one gets a 4xx JSON error (or a correct 200), never a
//! 5xx or a hang, and the server still answers /health afterwards.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use planmap::api::{AppState, app};
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

const ROUTES: &[&str] = &[
    "/api/collections/zones/items",
    "/api/collections/projects/items",
    "/api/near",
    "/api/search",
    "/api/report",
    "/api/collections",
    "/api",
];

const NAMES: &[&str] = &[
    "bbox", "limit", "offset", "crs", "lon", "lat", "radius_m", "q", "layers", "theme", "status",
    "section", "id", "f", "x", "LIMIT", "bbox[]", "%FF", "",
];

const VALUES: &[&str] = &[
    "NaN",
    "inf",
    "-inf",
    "1e999",
    "-1",
    "0",
    "18446744073709551616",
    "99999999999",
    "106.57",
    "29.55",
    "1,2,3",
    "1,2,3,4,5",
    "106.6,29.6,106.5,29.5",
    "-200,0,0,0",
    "%FF%FE",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "wgs84",
    "gcj02",
    "epsg:4326",
    "zones,parks",
    "十八梯",
    "%E5%8D%81",
    "",
    "+",
    "%",
    "%G1",
    "\u{0}",
];

fn request(route: &str, pairs: &[(usize, usize)], long: usize) -> String {
    let mut q: Vec<String> = pairs
        .iter()
        .map(|&(n, v)| format!("{}={}", NAMES[n], VALUES[v]))
        .collect();
    if long > 0 {
        q.push(format!("q={}", "梯".repeat(long)));
    }
    format!("{route}?{}", q.join("&"))
}

async fn send(state: &AppState, uri: &str) -> Option<(StatusCode, Value)> {
    let req = Request::get(uri).body(Body::empty()).ok()?;
    let resp = app(state.clone()).oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    Some((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
    #[test]
    fn malformed_queries_get_4xx_json_naming_a_parameter_never_5xx(
        route in 0..ROUTES.len(),
        pairs in proptest::collection::vec((0..NAMES.len(), 0..VALUES.len()), 0..5),
        long in prop_oneof![Just(0usize), 1usize..300],
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let state = common::state();
        let uri = request(ROUTES[route], &pairs, long);
        // A URI the HTTP library itself refuses never reaches the server.
        if let Some((status, body)) = rt.block_on(send(&state, &uri)) {
            prop_assert!(!status.is_server_error(), "{uri} -> {status}");
            if status.is_client_error() {
                prop_assert!(body["code"].is_string() && body["message"].is_string(), "{uri} -> {body}");
            } else {
                prop_assert_eq!(status, StatusCode::OK, "{}", uri);
            }
        }
    }

    #[test]
    fn hostile_feature_ids_are_404_or_400_not_a_file(id in "[a-z%./\\\\0-9\u{4e00}-\u{4e20}-]{0,60}") {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        let state = common::state();
        for base in ["/api/collections/zones/items/", "/vendor/leaflet/", "/"] {
            let uri = format!("{base}{id}");
            if let Some((status, _)) = rt.block_on(send(&state, &uri)) {
                prop_assert!(!status.is_server_error(), "{uri} -> {status}");
                if status == StatusCode::OK {
                    // Only embedded files: never anything from outside the page or Leaflet.
                    prop_assert!(!uri.contains(".."), "{uri} served");
                }
            }
        }
    }
}

#[tokio::test]
async fn the_server_still_answers_health_after_the_storm() {
    let state = common::state();
    for (i, v) in VALUES.iter().enumerate() {
        let _ = send(
            &state,
            &format!("/api/near?lon={v}&lat={}", VALUES[(i + 3) % VALUES.len()]),
        )
        .await;
    }
    let (status, _) = send(&state, "/health").await.expect("valid uri");
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_overlong_uri_gets_414() {
    let state = common::state();
    let uri = format!("/api/search?q={}", "a".repeat(20_000));
    let (status, body) = send(&state, &uri).await.expect("valid uri");
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert_eq!(body["code"], "uri_too_long");
}

#[tokio::test]
async fn pages_carry_a_content_security_policy() {
    let state = common::state();
    let resp = app(state)
        .oneshot(Request::get("/").body(Body::empty()).expect("req"))
        .await
        .expect("resp");
    let csp = resp
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("tile.openstreetmap.org"),
        "{csp}"
    );
    assert_eq!(
        resp.headers()
            .get("x-content-type-options")
            .map(axum::http::HeaderValue::as_bytes),
        Some(&b"nosniff"[..])
    );
}
