//! Fuzzes the write bodies: arbitrary bytes as the JSON body of `PUT …/placement` (with a
//! valid editor token, on a store in a temporary folder) and of `DELETE …/placement`. Every
//! answer must be a 2xx or a 4xx with the JSON error body; a 5xx or a panic is a finding.
#![no_main]

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request};
use libfuzzer_sys::fuzz_target;
use planmap::api::{AppState, Limits, app};
use planmap::atlas::corrections::LiveAtlas;
use planmap::store::gpkg::GeoPackageStore;
use planmap::store::changes::EditStore;
use planmap::store::placement::{PlacementStore, Role};
use tower::ServiceExt;

/// The editable state (its store in a folder that lives as long as the process), a token and
/// the placement path of one project.
fn setup() -> &'static (AppState, String, String) {
    static SETUP: OnceLock<(AppState, String, String)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("planmap-fuzz-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp folder");
        let store = Arc::new(GeoPackageStore::open(&dir).expect("store"));
        let token = store.add_token("fuzz", Role::Editor).expect("token");
        let live = LiveAtlas::open(
            &planmap::defaults::geodata(),
            &planmap::defaults::seeds(),
            store.as_ref(),
        )
        .expect("the embedded data loads");
        let atlas = std::sync::Arc::clone(live.living().atlas());
        let boundary = atlas.boundary.clone();
        let id = atlas
            .features
            .iter()
            .find(|f| f.id.contains("/projects/"))
            .map(|f| f.id.clone())
            .expect("a project");
        let state = AppState::editable(
            store as Arc<dyn EditStore>,
            Box::new(live),
            boundary,
            Limits::default(),
        )
        .expect("state");
        let path = format!("{}/placement", planmap::atlas::item_path("projects", &id));
        (state, token, path)
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
    let (state, token, path) = setup();
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let method = if pick % 4 == 0 { Method::DELETE } else { Method::PUT };
    let mut request = Request::builder()
        .method(method)
        .uri(path.as_str())
        .header("host", "127.0.0.1:8080")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(Body::from(body.to_vec()))
        .expect("request");
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
    runtime().block_on(async {
        let response = app(state.clone()).oneshot(request).await.expect("infallible");
        let status = response.status();
        assert!(!status.is_server_error(), "{status} for {:?}", String::from_utf8_lossy(body));
        let bytes = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .expect("body");
        if status.is_client_error() {
            let json: serde_json::Value =
                serde_json::from_slice(&bytes).expect("a 4xx answer is JSON");
            assert!(json["code"].is_string(), "{json}");
        }
    });
});
