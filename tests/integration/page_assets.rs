//! The page's editing plugin (Leaflet-Geoman, from npm) is served by our own server, next to
//! Leaflet, with the right media types; its source maps and the rest of node_modules are not.

use crate::common;

use axum::http::{StatusCode, header};

/// Sends a GET through the in-process app: status, content type and body text.
async fn get_text(uri: &str) -> (StatusCode, String, String) {
    let (status, headers, bytes) = common::send_get(common::state(), uri).await;
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, mime, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn the_editing_plugin_script_and_stylesheet_are_served_from_the_binary() {
    let (status, mime, body) = get_text("/vendor/geoman/leaflet-geoman.min.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(mime.contains("javascript"), "{mime}");
    // The bundle registers itself on Leaflet as `L.PM`.
    assert!(body.contains("PM"), "the script is not Leaflet-Geoman");
    let (status, mime, body) = get_text("/vendor/geoman/leaflet-geoman.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(mime.contains("css"), "{mime}");
    assert!(
        body.contains(".leaflet-pm"),
        "the stylesheet is not Leaflet-Geoman's"
    );
}

#[tokio::test]
async fn the_page_links_the_plugin_it_uses_and_nothing_else_of_node_modules_is_served() {
    let (_, _, index) = get_text("/").await;
    assert!(index.contains("/vendor/geoman/leaflet-geoman.min.js"));
    assert!(index.contains("/vendor/geoman/leaflet-geoman.css"));
    for uri in [
        "/vendor/geoman/leaflet-geoman.min.js.map",
        "/vendor/geoman/leaflet-geoman.js",
        "/vendor/geoman/../../lodash/lodash.js",
        "/node_modules/@geoman-io/leaflet-geoman-free/package.json",
    ] {
        let (status, _, _) = get_text(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
    }
}
