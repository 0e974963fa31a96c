//! Fuzzes the HTTP query surface in-process: the first byte picks a read route (items with
//! every parameter, one item, near, search, collections, queryables, report), the rest is its
//! query string as sent. Every answer must be a 2xx/3xx, or a 4xx whose body is the JSON
//! error `{code, message, parameter}`; a 5xx or a panic is a finding.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use planmap::api::{AppState, Limits, app};
use planmap::atlas::{Atlas, AtlasStore};
use tower::ServiceExt;

const ROUTES: &[&str] = &[
    "/api/collections/zones/items",
    "/api/collections/streets/items",
    "/api/collections/projects/items",
    "/api/collections/district/items",
    "/api/collections/stations/items",
    "/api/near",
    "/api/search",
    "/api/collections",
    "/api/collections/zones/queryables",
    "/api/report",
    "/api",
];

/// The served state over the embedded data, built once per process.
fn state() -> &'static AppState {
    static STATE: OnceLock<AppState> = OnceLock::new();
    STATE.get_or_init(|| {
        let atlas = Atlas::build(&planmap::defaults::geodata(), &planmap::defaults::seeds())
            .expect("the embedded data loads");
        AppState::from_store(Arc::new(AtlasStore::new(Arc::new(atlas))), Limits::default())
    })
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, query)) = data.split_first() else {
        return;
    };
    let route = ROUTES[usize::from(pick) % ROUTES.len()];
    // Bytes a URI cannot hold are escaped, as a client would send them.
    let query: String = query
        .iter()
        .map(|&b| {
            if b.is_ascii_graphic() && b != b'#' {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let Ok(request) = Request::get(format!("{route}?{query}"))
        .header("host", "127.0.0.1:8080")
        .body(Body::empty())
    else {
        return;
    };
    runtime().block_on(async {
        let response = app(state().clone()).oneshot(request).await.expect("infallible");
        let status = response.status();
        assert!(!status.is_server_error(), "{route}?{query} -> {status}");
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .expect("body");
        if status.is_client_error() && status.as_u16() != 414 {
            let body: serde_json::Value =
                serde_json::from_slice(&bytes).expect("a 4xx answer is JSON");
            assert!(body["code"].is_string(), "{route}?{query} -> {body}");
        }
    });
});
