//! Shared set-up for integration tests: the atlas built from the repository's own data.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use planmap::atlas::{Atlas, NamedFile};

/// Every file of a repository folder with this extension.
pub fn folder(dir: &str, ext: &str) -> Vec<NamedFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<NamedFile> = std::fs::read_dir(&root)
        .expect("folder exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()?.to_str()? == ext).then(|| NamedFile {
                name: p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                bytes: std::fs::read(&p).expect("readable"),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The atlas of the repository's geodata and seeds, built once per test binary.
pub fn atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| {
            Arc::new(
                Atlas::build(&folder("geodata", "geojson"), &folder("seeds", "txt"))
                    .expect("the default data loads"),
            )
        })
        .clone()
}

/// The app state over [`atlas`], built once per test binary (rendering takes a moment).
pub fn state() -> planmap::api::AppState {
    static STATE: OnceLock<planmap::api::AppState> = OnceLock::new();
    STATE.get_or_init(|| serve(atlas())).clone()
}

/// A tiny district built in code, with known geometry, for exact assertions: a square
/// boundary (106.50–106.60 E, 29.50–29.60 N), a zone polygon 解放碑商圈
/// (106.570–106.580 E, 29.555–29.562 N), a street line 民族路 from (106.575, 29.556) to
/// (106.582, 29.560), a project point 国泰艺术中心 at (106.5765, 29.5585), and a report of our
/// own words that plans those three and one place the gazetteer does not know (化龙桥片区).
pub fn fixture_files() -> (Vec<NamedFile>, Vec<NamedFile>) {
    let boundary = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"测试区"},"geometry":{"type":"Polygon","coordinates":[[[106.50,29.50],[106.60,29.50],[106.60,29.60],[106.50,29.60],[106.50,29.50]]]}}]}"#;
    let gazetteer = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"jfb","name":"解放碑商圈","aliases":["解放碑"],"kind":"商圈","layer":"zones","match":"anchor","source":"fixture square","uncertainty_m":100},"geometry":{"type":"Polygon","coordinates":[[[106.570,29.555],[106.580,29.555],[106.580,29.562],[106.570,29.562],[106.570,29.555]]]}},
{"type":"Feature","properties":{"id":"mzl","name":"民族路","kind":"路","match":"anchor","source":"fixture line","uncertainty_m":50},"geometry":{"type":"LineString","coordinates":[[106.575,29.556],[106.582,29.560]]}},
{"type":"Feature","properties":{"id":"gt","name":"国泰艺术中心","kind":"中心","layer":"projects","match":"anchor","source":"fixture point","uncertainty_m":30},"geometry":{"type":"Point","coordinates":[106.5765,29.5585]}}
]}"#;
    let report = "一、2025年工作安排。\n（一）聚焦商圈提质，持续推动产业升级。\n加快解放碑商圈提质升级。启动民族路改造。建成国泰艺术中心。加快化龙桥片区开发。\n";
    let file = |name: &str, text: &str| NamedFile {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    };
    (
        vec![
            file("test-boundary.geojson", boundary),
            file("gazetteer.geojson", gazetteer),
        ],
        vec![file("fixture-2025.txt", report)],
    )
}

/// The fixture atlas of [`fixture_files`], built once per test binary.
pub fn fixture_atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| {
            let (geodata, seeds) = fixture_files();
            Arc::new(Atlas::build(&geodata, &seeds).expect("the fixture atlas builds"))
        })
        .clone()
}

/// The app state over [`fixture_atlas`].
pub fn fixture_state() -> planmap::api::AppState {
    serve(fixture_atlas())
}

/// The app state the server builds: the in-memory store over `atlas`, default limits.
pub fn serve(atlas: Arc<Atlas>) -> planmap::api::AppState {
    planmap::api::AppState::from_store(
        Arc::new(planmap::atlas::AtlasStore::new(atlas)),
        planmap::api::Limits::default(),
    )
}

/// One GET through the in-process app (host 127.0.0.1:8080, as the tests' links expect):
/// status, headers and the body's bytes.
pub async fn send_get(
    state: planmap::api::AppState,
    uri: &str,
) -> (
    axum::http::StatusCode,
    axum::http::HeaderMap,
    axum::body::Bytes,
) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::get(uri)
        .header("host", "127.0.0.1:8080")
        .body(axum::body::Body::empty())
        .expect("request");
    let response = planmap::api::app(state)
        .oneshot(request)
        .await
        .expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, headers, bytes)
}

/// [`send_get`] with the body read as JSON (null when it is not JSON).
pub async fn get_json(
    state: planmap::api::AppState,
    uri: &str,
) -> (
    axum::http::StatusCode,
    axum::http::HeaderMap,
    serde_json::Value,
) {
    let (status, headers, bytes) = send_get(state, uri).await;
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, body)
}

/// A served feature's placement as stored: its `placement` member when the collection's
/// geometry family serves it otherwise (a zone's point as its uncertainty disc, a point as a
/// multipoint), else its `geometry`.
pub fn placement(feature: &serde_json::Value) -> &serde_json::Value {
    feature
        .get("placement")
        .filter(|p| !p.is_null())
        .unwrap_or(&feature["geometry"])
}
