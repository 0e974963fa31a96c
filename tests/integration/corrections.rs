//! Planners' corrections over HTTP (issue #13), in-process over a GeoPackage store in a temp
//! folder: tokens, the failed-token brake, optimistic locking, live rebuilds, history, input
//! checks and the statistics, on the fixture district (known geometry) and, for names shared
//! between reports, on the real geodata with two reports of our own words.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use geo::{Centroid, Distance, Geometry, Haversine};
use http_body_util::BodyExt;
use planmap::atlas::NamedFile;
use planmap::atlas::corrections::LiveAtlas;
use planmap::store::changes::EditStore;
use planmap::store::gpkg::GeoPackageStore;
use planmap::store::placement::{PlacementStore, Role};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::common;

/// A server over a fresh store with one editor.
pub struct Server {
    pub state: planmap::api::AppState,
    pub store: Arc<GeoPackageStore>,
    pub token: String,
    pub dir: tempfile::TempDir,
    pub files: (Vec<NamedFile>, Vec<NamedFile>),
}

impl Server {
    pub fn new(
        geodata: Vec<NamedFile>,
        seeds: Vec<NamedFile>,
        limits: planmap::api::Limits,
    ) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(GeoPackageStore::open(dir.path()).unwrap());
        let token = store.add_token("li.ming", Role::Editor).unwrap();
        let files = (geodata, seeds);
        let state = state_over(&store, &files, limits);
        Server {
            state,
            store,
            token,
            dir,
            files,
        }
    }

    fn fixture() -> Server {
        let (geodata, seeds) = common::fixture_files();
        Server::new(geodata, seeds, planmap::api::Limits::default())
    }

    /// Sends a request from `ip`: status, headers and JSON body (null when not JSON).
    pub async fn send_from(
        &self,
        ip: [u8; 4],
        method: Method,
        uri: &str,
        headers: &[(&str, String)],
        body: Option<String>,
    ) -> (StatusCode, HeaderMap, Value) {
        self.send_body(
            ip,
            method,
            uri,
            headers,
            body.map_or_else(Body::empty, Body::from),
        )
        .await
    }

    /// Sends a request with any body (a report file's bytes) from `ip`: status, headers and
    /// JSON body (null when not JSON).
    pub async fn send_body(
        &self,
        ip: [u8; 4],
        method: Method,
        uri: &str,
        headers: &[(&str, String)],
        body: Body,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1:8080");
        for (k, v) in headers {
            request = request.header(*k, v);
        }
        let mut request = request.body(body).unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        let response = planmap::api::app(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, HeaderMap, Value) {
        self.send_from([127, 0, 0, 1], Method::GET, uri, &[], None)
            .await
    }

    /// A PUT of a placement with this server's token.
    pub async fn put(
        &self,
        layer: &str,
        id: &str,
        body: &Value,
        if_match: Option<&str>,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut headers = vec![
            ("authorization", format!("Bearer {}", self.token)),
            ("content-type", "application/json".to_owned()),
        ];
        if let Some(tag) = if_match {
            headers.push(("if-match", tag.to_owned()));
        }
        self.send_from(
            [127, 0, 0, 1],
            Method::PUT,
            &format!("{}/placement", item_path(layer, id)),
            &headers,
            Some(body.to_string()),
        )
        .await
    }

    /// The id of the feature of this name in a collection.
    pub async fn id_of(&self, layer: &str, name: &str) -> String {
        let (_, _, fc) = self
            .get(&format!("/api/collections/{layer}/items?limit=1000"))
            .await;
        fc["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["name"] == name)
            .unwrap_or_else(|| panic!("{name} is in {layer}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn state_over(
    store: &Arc<GeoPackageStore>,
    files: &(Vec<NamedFile>, Vec<NamedFile>),
    limits: planmap::api::Limits,
) -> planmap::api::AppState {
    let live = LiveAtlas::open(&files.0, &files.1, store.as_ref()).unwrap();
    let boundary = live.living().atlas().boundary.clone();
    planmap::api::AppState::editable(
        Arc::clone(store) as Arc<dyn EditStore>,
        Box::new(live),
        boundary,
        limits,
    )
    .unwrap()
}

/// The path of an item, each segment of the id percent-encoded.
pub fn item_path(layer: &str, id: &str) -> String {
    let encoded: Vec<String> = id
        .split('/')
        .map(|s| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        })
        .collect();
    format!("/api/collections/{layer}/items/{}", encoded.join("/"))
}

pub fn point(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

pub fn placement(geometry: Value) -> Value {
    let mut body =
        json!({"uncertainty_m": 25, "source": "区规划局 1:500 地形图", "note": "按现场踏勘修正"});
    body["geometry"] = geometry;
    body
}

#[tokio::test]
async fn writes_without_a_token_or_with_a_revoked_one_get_401_json() {
    let server = Server::fixture();
    let id = server.id_of("projects", "国泰艺术中心").await;
    let uri = format!("{}/placement", item_path("projects", &id));
    let body = Some(placement(point(106.5766, 29.5586)).to_string());
    let (status, _, none) = server
        .send_from([10, 0, 0, 1], Method::PUT, &uri, &[], body.clone())
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, unknown) = server
        .send_from(
            [10, 0, 0, 1],
            Method::PUT,
            &uri,
            &[("authorization", "Bearer not-a-token".to_owned())],
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.store.revoke_token("li.ming").unwrap();
    let (status, _, revoked) = server
        .put("projects", &id, &placement(point(106.5766, 29.5586)), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, who) = server
        .send_from(
            [10, 0, 0, 2],
            Method::GET,
            "/api/whoami",
            &[("authorization", format!("Bearer {}", server.token))],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    insta::assert_json_snapshot!(
        "unauthorized_error_bodies",
        json!({"no_token": none, "unknown": unknown, "revoked": revoked, "whoami_revoked": who})
    );
    let (_, _, served) = server.get(&item_path("projects", &id)).await;
    assert_eq!(
        served["properties"]["location"]["match"], "anchor",
        "nothing was written"
    );
}

#[tokio::test]
async fn whoami_names_the_account_behind_a_valid_token() {
    let server = Server::fixture();
    let (status, _, who) = server
        .send_from(
            [127, 0, 0, 1],
            Method::GET,
            "/api/whoami",
            &[("authorization", format!("Bearer {}", server.token))],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(who, json!({"name": "li.ming", "role": "editor"}));
}

#[tokio::test]
async fn repeated_failures_from_one_address_get_429_with_retry_after() {
    let server = Server::fixture();
    let bad = [("authorization", "Bearer guessed".to_owned())];
    for i in 0..10 {
        let (status, _, _) = server
            .send_from([10, 0, 0, 9], Method::GET, "/api/whoami", &bad, None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let good = [("authorization", format!("Bearer {}", server.token))];
    let (status, headers, body) = server
        .send_from([10, 0, 0, 9], Method::GET, "/api/whoami", &good, None)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let mut body = body;
    // The seconds left depend on the clock; the rest of the body is fixed.
    body["message"] = json!(
        body["message"]
            .as_str()
            .unwrap()
            .replace(&wait.to_string(), "N")
    );
    insta::assert_json_snapshot!("too_many_failures_body", body);
    // Without a token nothing is guessed: still told to authenticate, never counted.
    let (status, _, _) = server
        .send_from([10, 0, 0, 9], Method::GET, "/api/whoami", &[], None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = server
        .send_from([10, 0, 0, 10], Method::GET, "/api/whoami", &good, None)
        .await;
    assert_eq!(status, StatusCode::OK, "another address is not slowed down");
}

#[tokio::test]
async fn a_saved_correction_is_served_at_once_by_item_near_and_bbox_and_after_a_restart() {
    let server = Server::fixture();
    let id = server.id_of("projects", "国泰艺术中心").await;
    // 国泰艺术中心 moved ~1.9 km west, to a corner of the fixture district nothing else is near.
    let (lon, lat) = (106.5570, 29.5210);
    let (status, headers, feature) = server
        .put("projects", &id, &placement(point(lon, lat)), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{feature}");
    assert_eq!(headers["etag"], "\"v1\"");
    assert_eq!(*common::placement(&feature), point(lon, lat));
    let location = &feature["properties"]["location"];
    assert_eq!(location["match"], "curated");
    assert_eq!(location["editor"], "li.ming");
    assert_eq!(location["source"], "区规划局 1:500 地形图");
    assert_eq!(location["uncertainty_m"], 25.0);
    assert!(
        location["at"].as_str().unwrap().starts_with("20"),
        "{location}"
    );

    let (_, _, item) = server.get(&item_path("projects", &id)).await;
    assert_eq!(*common::placement(&item), point(lon, lat));
    let (_, _, near) = server
        .get(&format!(
            "/api/near?lon={lon}&lat={lat}&radius_m=50&layers=projects"
        ))
        .await;
    let ids: Vec<&str> = near["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id.as_str()]);
    let (_, _, old_place) = server
        .get("/api/near?lon=106.5765&lat=29.5585&radius_m=50&layers=projects")
        .await;
    assert!(
        old_place["features"].as_array().unwrap().is_empty(),
        "{old_place}"
    );
    let (_, _, boxed) = server
        .get("/api/collections/projects/items?bbox=106.556,29.520,106.558,29.522")
        .await;
    assert_eq!(boxed["numberMatched"], 1);
    assert_eq!(boxed["features"][0]["id"], id.as_str());

    // A restart: a new state over the same store serves the correction.
    let restarted = Server {
        state: state_over(
            &server.store,
            &server.files,
            planmap::api::Limits::default(),
        ),
        store: Arc::clone(&server.store),
        token: server.token.clone(),
        dir: tempfile::tempdir().unwrap(),
        files: server.files.clone(),
    };
    let (_, _, again) = restarted.get(&item_path("projects", &id)).await;
    assert_eq!(*common::placement(&again), point(lon, lat));
    assert_eq!(again["properties"]["location"]["match"], "curated");
}

#[tokio::test]
async fn a_put_answers_the_feature_in_its_collections_geometry_family_as_the_item_route_serves_it()
{
    let server = Server::fixture();
    // A zone placed at a point: the zones collection serves polygons, so the answer's geometry
    // is the point's uncertainty disc (a multipolygon) and the point itself follows as
    // `placement`.
    let id = server.id_of("zones", "解放碑商圈").await;
    let (lon, lat) = (106.5770, 29.5570);
    let (status, _, answer) = server
        .put("zones", &id, &placement(point(lon, lat)), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["geometry"]["type"], "MultiPolygon", "{answer}");
    assert_eq!(answer["placement"], point(lon, lat));
    let (_, _, item) = server.get(&item_path("zones", &id)).await;
    assert_eq!(answer["geometry"], item["geometry"]);
    assert_eq!(answer["placement"], item["placement"]);
    assert_eq!(answer["properties"], item["properties"]);
}

#[tokio::test]
async fn an_unlocated_item_can_be_placed_and_is_then_found_near_its_place() {
    let server = Server::new(
        common::folder("geodata", "geojson"),
        two_reports(),
        planmap::api::Limits::default(),
    );
    let id = "a-2026/projects/白象街码头";
    let near = "/api/near?lon=106.5851&lat=29.5537&radius_m=30&layers=projects";
    let (_, _, before) = server.get(near).await;
    let (_, _, unlocated) = server.get(&item_path("projects", id)).await;
    assert!(unlocated["geometry"].is_null(), "{unlocated}");
    assert_eq!(unlocated["properties"]["location"]["match"], "unlocated");
    assert!(
        before["features"].as_array().unwrap().is_empty(),
        "{before}"
    );
    let (status, _, feature) = server
        .put("projects", id, &placement(point(106.5851, 29.5537)), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{feature}");
    let (_, _, after) = server.get(near).await;
    assert_eq!(after["features"][0]["id"], id);
    assert_eq!(
        after["features"][0]["properties"]["location"]["match"],
        "curated"
    );
}

#[tokio::test]
async fn a_stale_if_match_gets_412_naming_the_current_version() {
    let server = Server::fixture();
    let id = server.id_of("streets", "民族路").await;
    let line = |lat: f64| json!({"type": "LineString", "coordinates": [[106.575, lat], [106.582, 29.560]]});
    let (s1, h1, _) = server
        .put("streets", &id, &placement(line(29.5565)), Some("\"v0\""))
        .await;
    assert_eq!(
        (s1, h1["etag"].to_str().unwrap()),
        (StatusCode::OK, "\"v1\"")
    );
    let (s2, h2, _) = server
        .put("streets", &id, &placement(line(29.5567)), Some("\"v1\""))
        .await;
    assert_eq!(
        (s2, h2["etag"].to_str().unwrap()),
        (StatusCode::OK, "\"v2\"")
    );
    // A second planner still holding v1 saves: refused, told the current version.
    let (status, headers, body) = server
        .put("streets", &id, &placement(line(29.5569)), Some("\"v1\""))
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(headers["etag"], "\"v2\"");
    insta::assert_json_snapshot!("stale_if_match_body", body);
    let (_, _, served) = server.get(&item_path("streets", &id)).await;
    assert_eq!(
        *common::placement(&served),
        line(29.5567),
        "the refused write changed nothing"
    );
}

#[tokio::test]
async fn delete_restores_the_automatic_placement_and_history_lists_both() {
    let server = Server::fixture();
    let id = server.id_of("zones", "解放碑商圈").await;
    let (_, _, automatic) = server.get(&item_path("zones", &id)).await;
    let square = json!({"type": "Polygon", "coordinates": [[[106.571, 29.556], [106.579, 29.556], [106.579, 29.561], [106.571, 29.561], [106.571, 29.556]]]});
    let (status, _, _) = server
        .put("zones", &id, &placement(square.clone()), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, headers, restored) = server
        .send_from(
            [127, 0, 0, 1],
            Method::DELETE,
            &format!(
                "{}/placement?note=%E6%81%A2%E5%A4%8D",
                item_path("zones", &id)
            ),
            &[
                ("authorization", format!("Bearer {}", server.token)),
                ("if-match", "\"v1\"".to_owned()),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(headers["etag"], "\"v2\"");
    assert_eq!(
        restored, automatic,
        "the automatic feature, as before the correction"
    );

    let (status, headers, history) = server
        .get(&format!("{}/placements", item_path("zones", &id)))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["etag"], "\"v2\"");
    assert_eq!(history["version"], 2);
    let versions = history["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["kind"], "revert");
    assert_eq!(versions[0]["note"], "恢复");
    assert_eq!(versions[0]["replaced"], 1);
    assert_eq!(versions[0]["geometry"], Value::Null);
    assert_eq!(versions[1]["kind"], "put");
    assert_eq!(versions[1]["geometry"], square);
    assert_eq!(versions[1]["editor"], "li.ming");
    assert_eq!(versions[1]["uncertainty_m"], 25.0);
    assert_eq!(versions[1]["replaced"], Value::Null);

    let (status, _, body) = server
        .send_from(
            [127, 0, 0, 1],
            Method::DELETE,
            &format!("{}/placement", item_path("zones", &id)),
            &[("authorization", format!("Bearer {}", server.token))],
            Some(json!({"note": "再恢复一次"}).to_string()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "nothing left to revert: {body}"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_json() {
    let (geodata, seeds) = common::fixture_files();
    let limits = planmap::api::Limits {
        max_body_bytes: 2048,
        ..planmap::api::Limits::default()
    };
    let server = Server::new(geodata, seeds, limits);
    let id = server.id_of("projects", "国泰艺术中心").await;
    let mut body = placement(point(106.5766, 29.5586));
    body["note"] = json!("很长的说明".repeat(200));
    let (status, _, answer) = server.put("projects", &id, &body, None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    insta::assert_json_snapshot!("payload_too_large_body", answer);
}

#[tokio::test]
async fn invalid_input_gets_400_naming_the_problem() {
    let server = Server::fixture();
    let id = server.id_of("zones", "解放碑商圈").await;
    let mut unknown = placement(point(106.575, 29.558));
    unknown["colour"] = json!("red");
    let open_ring = placement(
        json!({"type": "Polygon", "coordinates": [[[106.571, 29.556], [106.579, 29.556], [106.579, 29.561], [106.571, 29.561]]]}),
    );
    let bow_tie = placement(
        json!({"type": "Polygon", "coordinates": [[[106.571, 29.556], [106.579, 29.561], [106.579, 29.556], [106.571, 29.561], [106.571, 29.556]]]}),
    );
    let latitude = placement(point(106.575, 95.0));
    let mut no_source = placement(point(106.575, 29.558));
    no_source["source"] = json!(" ");
    let mut answers = serde_json::Map::new();
    for (name, body) in [
        ("unknown_field", unknown.to_string()),
        ("open_ring", open_ring.to_string()),
        ("self_intersecting_ring", bow_tie.to_string()),
        ("latitude_out_of_range", latitude.to_string()),
        ("blank_source", no_source.to_string()),
        ("malformed_json", "{\"geometry\": ".to_owned()),
    ] {
        let (status, _, answer) = server
            .send_from(
                [127, 0, 0, 1],
                Method::PUT,
                &format!("{}/placement", item_path("zones", &id)),
                &[("authorization", format!("Bearer {}", server.token))],
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {answer}");
        answers.insert(name.to_owned(), answer);
    }
    insta::assert_json_snapshot!("invalid_input_bodies", answers);
    let (_, _, history) = server
        .get(&format!("{}/placements", item_path("zones", &id)))
        .await;
    assert_eq!(history["version"], 0, "nothing was stored");
}

#[tokio::test]
async fn a_geometry_outside_the_district_gets_422_unless_the_note_says_why() {
    let server = Server::fixture();
    let id = server.id_of("projects", "国泰艺术中心").await;
    // The fixture district ends at 106.60 E; 106.62 E is ~1.9 km beyond it.
    let far = point(106.62, 29.55);
    let (status, _, body) = server
        .put("projects", &id, &placement(far.clone()), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    insta::assert_json_snapshot!("outside_district_body", body);
    // Within the 1 km buffer (~500 m beyond the edge) is accepted as the boundary's slack.
    let (status, _, _) = server
        .put("projects", &id, &placement(point(106.605, 29.55)), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut explained = placement(far.clone());
    explained["note"] = json!("项目实际位于区外的江北嘴，报告按合作项目列入");
    let (status, _, feature) = server.put("projects", &id, &explained, None).await;
    assert_eq!(status, StatusCode::OK, "{feature}");
    assert_eq!(*common::placement(&feature), far);
}

#[tokio::test]
async fn a_correction_in_gcj02_is_stored_in_wgs84() {
    let server = Server::fixture();
    let id = server.id_of("projects", "国泰艺术中心").await;
    let (wgs_lon, wgs_lat) = (106.5766, 29.5586);
    let (gcj_lon, gcj_lat) = planmap::datum::wgs84_to_gcj02(wgs_lon, wgs_lat);
    let (status, _, _) = server
        .send_from(
            [127, 0, 0, 1],
            Method::PUT,
            &format!("{}/placement?crs=gcj02", item_path("projects", &id)),
            &[("authorization", format!("Bearer {}", server.token))],
            Some(placement(point(gcj_lon, gcj_lat)).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, item) = server.get(&item_path("projects", &id)).await;
    let c = common::placement(&item)["coordinates"].as_array().unwrap();
    let moved = Haversine.distance(
        geo::Point::new(c[0].as_f64().unwrap(), c[1].as_f64().unwrap()),
        geo::Point::new(wgs_lon, wgs_lat),
    );
    assert!(moved < 0.5, "stored {moved} m from the WGS-84 point");
}

/// The geometry of a served GeoJSON feature.
fn geometry_of(feature: &Value) -> Geometry<f64> {
    let g: geojson::Geometry = serde_json::from_value(common::placement(feature).clone()).unwrap();
    Geometry::try_from(&g).unwrap()
}

#[tokio::test]
async fn stats_match_a_brute_force_computation_over_the_corrected_features() {
    let server = Server::fixture();
    let targets = [
        ("zones", "解放碑商圈", point(106.5712, 29.5571)),
        (
            "streets",
            "民族路",
            json!({"type": "LineString", "coordinates": [[106.576, 29.557], [106.583, 29.561]]}),
        ),
        ("projects", "国泰艺术中心", point(106.5801, 29.5532)),
        ("zones", "化龙桥片区", point(106.5300, 29.5600)),
    ];
    // Brute force: every feature's automatic match tier, and per tier the centroid distances.
    let mut tiers: std::collections::BTreeMap<String, (usize, usize, Vec<f64>)> =
        std::collections::BTreeMap::new();
    for layer in ["zones", "streets", "projects"] {
        let (_, _, fc) = server
            .get(&format!("/api/collections/{layer}/items?limit=1000"))
            .await;
        for f in fc["features"].as_array().unwrap() {
            let tier = f["properties"]["location"]["match"]
                .as_str()
                .unwrap()
                .to_owned();
            tiers.entry(tier).or_default().0 += 1;
        }
    }
    // Every automatic placement is read before any correction: a correction of a zone also
    // moves what is placed as part of it, which is not the automatic placement.
    let mut automatic = Vec::new();
    for (layer, name, _) in &targets {
        let id = server.id_of(layer, name).await;
        automatic.push((id.clone(), server.get(&item_path(layer, &id)).await.2));
    }
    for ((layer, _, geometry), (id, automatic)) in targets.iter().zip(&automatic) {
        let tier = automatic["properties"]["location"]["match"]
            .as_str()
            .unwrap()
            .to_owned();
        let (status, _, corrected) = server
            .put(layer, id, &placement(geometry.clone()), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let entry = tiers.get_mut(&tier).unwrap();
        entry.1 += 1;
        if !automatic["geometry"].is_null() {
            let a = geometry_of(automatic).centroid().unwrap();
            let b = geometry_of(&corrected).centroid().unwrap();
            entry.2.push(Haversine.distance(a, b));
        }
    }
    let (status, _, stats) = server.get("/api/corrections/stats").await;
    assert_eq!(status, StatusCode::OK);
    for row in stats["tiers"].as_array().unwrap() {
        let tier = row["match"].as_str().unwrap();
        let (features, corrected, mut d) = tiers.get(tier).cloned().unwrap_or_default();
        assert_eq!(row["features"], features, "{tier}");
        assert_eq!(row["corrected"], corrected, "{tier}");
        assert_eq!(row["measured"], d.len(), "{tier}");
        d.sort_by(f64::total_cmp);
        let median = match d.len() {
            0 => None,
            n if n % 2 == 1 => Some(d[n / 2]),
            n => Some(f64::midpoint(d[n / 2 - 1], d[n / 2])),
        };
        // Nearest rank: the smallest value with at least 90% of the values at or below it.
        let p90 = d
            .iter()
            .enumerate()
            .find(|(i, _)| (i + 1) as f64 >= 0.9 * d.len() as f64)
            .map(|(_, v)| *v);
        let close = |a: &Value, b: Option<f64>| match b {
            None => a.is_null(),
            Some(b) => (a.as_f64().unwrap() - b).abs() < 1e-6,
        };
        assert!(
            close(&row["median_m"], median),
            "{tier}: {row} vs {median:?}"
        );
        assert!(close(&row["p90_m"], p90), "{tier}: {row} vs {p90:?}");
    }
    let anchor = &stats["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["match"] == "anchor")
        .unwrap()
        .clone();
    assert_eq!(
        anchor["measured"], 3,
        "three anchored features were moved: {anchor}"
    );
}

/// Two reports of our own words that both name 白象街街区, which no gazetteer entry places.
fn two_reports() -> Vec<NamedFile> {
    let file = |name: &str, text: &str| NamedFile {
        name: name.to_owned(),
        bytes: text.as_bytes().to_vec(),
    };
    vec![
        file(
            "a-2026.txt",
            "一、2026年工作安排。\n（一）推进老城更新。\n加快白象街街区保护提升，完善白象街码头配套。\n",
        ),
        file(
            "b-2026.txt",
            "一、工作回顾。\n（一）城市更新。\n白象街街区完成立面整治。\n",
        ),
    ]
}

#[tokio::test]
async fn a_corrected_name_places_the_same_name_in_another_report() {
    let server = Server::new(
        common::folder("geodata", "geojson"),
        two_reports(),
        planmap::api::Limits::default(),
    );
    let (_, _, before) = server
        .get(&item_path("zones", "b-2026/zones/白象街街区"))
        .await;
    assert_eq!(
        before["properties"]["location"]["match"], "unlocated",
        "{before}"
    );
    let id = server.id_of("zones", "白象街街区").await;
    assert!(id.starts_with("a-2026/"), "{id}");
    let block = json!({"type": "Polygon", "coordinates": [[[106.5838, 29.5548], [106.5862, 29.5548], [106.5862, 29.5566], [106.5838, 29.5566], [106.5838, 29.5548]]]});
    let (status, _, _) = server
        .put("zones", &id, &placement(block.clone()), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, other) = server
        .get(&item_path("zones", "b-2026/zones/白象街街区"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        *common::placement(&other),
        block,
        "placed by the other report's correction"
    );
    let location = &other["properties"]["location"];
    assert_eq!(location["match"], "curated");
    assert_eq!(location["editor"], "li.ming");
    assert!(
        location["source"].as_str().unwrap().contains(&id),
        "{location}"
    );
    let live = LiveAtlas::open(&server.files.0, &server.files.1, server.store.as_ref()).unwrap();
    let entries =
        planmap::atlas::corrections::entries(live.living(), &server.store.current().unwrap());
    let exported = planmap::gazetteer::export_curated(&entries);
    assert!(exported.contains("\"name\":\"白象街街区\""), "{exported}");
}

#[tokio::test]
async fn a_store_opened_read_only_serves_its_corrections_and_answers_writes_503() {
    let (geodata, seeds) = common::fixture_files();
    let writable = Server::new(geodata, seeds, planmap::api::Limits::default());
    let id = writable.id_of("projects", "国泰艺术中心").await;
    let (status, _, _) = writable
        .put("projects", &id, &placement(point(106.5570, 29.5210)), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    // The way `serve` falls back when the folder cannot be written: the same file, read-only.
    let read_only = Arc::new(GeoPackageStore::open_read_only(writable.dir.path()).unwrap());
    let live = LiveAtlas::open(&writable.files.0, &writable.files.1, read_only.as_ref()).unwrap();
    let boundary = live.living().atlas().boundary.clone();
    let server = Server {
        state: planmap::api::AppState::editable(
            Arc::clone(&read_only) as Arc<dyn EditStore>,
            Box::new(live),
            boundary,
            planmap::api::Limits::default(),
        )
        .unwrap(),
        store: Arc::clone(&writable.store),
        token: writable.token.clone(),
        dir: tempfile::tempdir().unwrap(),
        files: writable.files.clone(),
    };
    let (status, _, item) = server.get(&item_path("projects", &id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        *common::placement(&item),
        point(106.5570, 29.5210),
        "the correction is served"
    );
    let (status, _, body) = server
        .put("projects", &id, &placement(point(106.5766, 29.5586)), None)
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "unavailable");
    let (_, _, again) = server.get(&item_path("projects", &id)).await;
    assert_eq!(*common::placement(&again), point(106.5570, 29.5210));
}

#[tokio::test]
async fn a_cross_origin_page_may_send_puts_with_a_token_and_if_match_and_read_the_etag() {
    let server = Server::fixture();
    let (status, headers, _) = server
        .send_from(
            [127, 0, 0, 1],
            Method::OPTIONS,
            "/api/collections/zones/items/x/placement",
            &[
                ("origin", "https://planner.example".to_owned()),
                ("access-control-request-method", "PUT".to_owned()),
                (
                    "access-control-request-headers",
                    "authorization,if-match,content-type".to_owned(),
                ),
            ],
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let methods = headers["access-control-allow-methods"].to_str().unwrap();
    assert!(
        methods.contains("PUT") && methods.contains("DELETE"),
        "{methods}"
    );
    let allowed = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed.contains("authorization") && allowed.contains("if-match"),
        "{allowed}"
    );
    let id = server.id_of("projects", "国泰艺术中心").await;
    let (_, headers, _) = server
        .send_from(
            [127, 0, 0, 1],
            Method::PUT,
            &format!("{}/placement", item_path("projects", &id)),
            &[
                ("origin", "https://planner.example".to_owned()),
                ("authorization", format!("Bearer {}", server.token)),
            ],
            Some(placement(point(106.5766, 29.5586)).to_string()),
        )
        .await;
    let exposed = headers["access-control-expose-headers"].to_str().unwrap();
    assert!(
        exposed.split(',').any(|h| h.trim() == "etag") && exposed.contains("x-planmap-change"),
        "{exposed}"
    );
}

/// A correction saved under an id the reader no longer gives (陕西路停车场 on the streets
/// layer, where the reader now puts it on projects) still applies to the feature of that
/// name in that report; the feature keeps the id the reader gives it (identity comes from
/// reading only, issue #21), and no gazetteer entry is made of the correction.
#[test]
fn a_correction_saved_under_another_layer_still_applies_to_its_mention() {
    let seeds = vec![NamedFile {
        name: "r-2026.txt".into(),
        bytes: "一、2026年工作安排。\n（一）补齐停车短板。\n建成陕西路停车场。\n"
            .as_bytes()
            .to_vec(),
    }];
    let geodata = common::folder("geodata", "geojson");
    let automatic = planmap::atlas::Living::new(&geodata, &seeds).expect("builds");
    let f = automatic
        .atlas()
        .features
        .iter()
        .find(|f| f.name == "陕西路停车场")
        .expect("陕西路停车场 is a feature");
    assert_eq!(f.id, "r-2026/projects/陕西路停车场");
    let drawn = Geometry::Point(geo::Point::new(106.5805, 29.5612));
    let correction = planmap::store::placement::CurrentCorrection {
        feature_id: "r-2026/streets/陕西路停车场".into(),
        layer: planmap::plan::Layer::Streets,
        name: "陕西路停车场".into(),
        geometry: drawn.clone(),
        uncertainty_m: 40.0,
        source: "现场核对".into(),
        note: "旧版本读作街巷".into(),
        editor: "planner".into(),
        at: "2026-12-02T11:00:00.000Z".into(),
        version: planmap::store::placement::Version(1),
    };
    let living = planmap::atlas::Living::load(
        &geodata,
        &seeds,
        &[],
        &[],
        std::slice::from_ref(&correction),
        1,
    )
    .expect("builds");
    let f = living
        .atlas()
        .features
        .iter()
        .find(|f| f.name == "陕西路停车场")
        .expect("陕西路停车场 is a feature");
    assert_eq!(f.id, "r-2026/projects/陕西路停车场", "the reader's id");
    assert_eq!(f.geometry, Some(drawn));
    assert_eq!(f.location.match_type, planmap::plan::MatchType::Curated);
}
