//! The embedded web page: `web/*.html|js|css`, Leaflet from `web/node_modules/leaflet/dist` and
//! the Leaflet-Geoman editing plugin from `web/node_modules/@geoman-io/leaflet-geoman-free/dist`
//! (installed by npm; `build.rs` runs `npm ci` when it is missing), served from the binary so
//! the server runs from any folder. Only embedded files are served; there is no directory
//! listing and no path reaches the file system.

use super::ApiPath;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use super::{ApiError, AppState};

/// The page's own files.
#[derive(RustEmbed)]
#[folder = "web/"]
#[include = "*.html"]
#[include = "*.js"]
#[include = "*.css"]
#[include = "*.png"]
#[include = "*.svg"]
#[exclude = "node_modules/*"]
#[exclude = "tests/*"]
#[exclude = "test-output/*"]
struct Page;

/// Leaflet's distribution files, from npm.
#[derive(RustEmbed)]
#[folder = "web/node_modules/leaflet/dist/"]
struct Leaflet;

/// Leaflet-Geoman (free), the editing plugin used to correct placements, from npm: the bundled
/// script and its stylesheet only (no source maps).
#[derive(RustEmbed)]
#[folder = "web/node_modules/@geoman-io/leaflet-geoman-free/dist/"]
#[include = "leaflet-geoman.min.js"]
#[include = "leaflet-geoman.css"]
struct Geoman;

fn file(path: &str, data: Option<rust_embed::EmbeddedFile>) -> Response {
    let Some(f) = data else {
        return ApiError::not_found(format!("no file `{path}`")).into_response();
    };
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut r = (
        [(header::CONTENT_TYPE, mime.as_ref().to_string())],
        f.data.into_owned(),
    )
        .into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn index() -> Response {
    file("index.html", Page::get("index.html"))
}

async fn page_file(ApiPath(path): ApiPath<String>) -> Response {
    file(&path, Page::get(&path))
}

async fn leaflet(ApiPath(path): ApiPath<String>) -> Response {
    file(&path, Leaflet::get(&path))
}

async fn geoman(ApiPath(path): ApiPath<String>) -> Response {
    file(&path, Geoman::get(&path))
}

/// Routes of the page and its assets.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .route("/vendor/leaflet/{*path}", get(leaflet))
        .route("/vendor/geoman/{*path}", get(geoman))
        .route("/{file}", get(page_file))
}
