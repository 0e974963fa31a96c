//! Several reports on one map (issue #15): the seed plus our own two short texts for 2024 and
//! 2026 (`tests/fixtures/reports/`, written for these tests, naming real places of the seed
//! with other verbs and targets), loaded from files the way `planmap serve --seeds` loads them.

use std::sync::{Arc, OnceLock};

use crate::common;

use axum::http::StatusCode;
use planmap::atlas::{Atlas, NamedFile};
use serde_json::Value;

/// The seed and the two fixture reports.
fn seeds() -> Vec<NamedFile> {
    let mut files = common::folder("seeds", "txt");
    files.extend(common::folder("tests/fixtures/reports", "txt"));
    files
}

fn atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| {
            Arc::new(
                Atlas::build(&common::folder("geodata", "geojson"), &seeds())
                    .expect("three reports load"),
            )
        })
        .clone()
}

fn state() -> planmap::api::AppState {
    static STATE: OnceLock<planmap::api::AppState> = OnceLock::new();
    STATE.get_or_init(|| common::serve(atlas())).clone()
}

async fn get(uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = common::get_json(state(), uri).await;
    (status, body)
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The features of an items answer.
fn features(body: &Value) -> &Vec<Value> {
    body["features"].as_array().expect("features")
}

#[tokio::test]
async fn the_reports_route_lists_three_reports_in_time_order_with_years_and_counts() {
    let (status, body) = get("/api/reports").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let reports = body["reports"].as_array().expect("reports");
    let ids: Vec<&str> = reports.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["yuzhong-2024", "yuzhong-2025", "yuzhong-2026"]);
    let years: Vec<i64> = reports.iter().filter_map(|r| r["year"].as_i64()).collect();
    assert_eq!(years, [2024, 2025, 2026]);
    // 2024 and 2026 state their year in the title; the seed's title does not, its file name does.
    assert_eq!(reports[0]["sources"]["year"], "text");
    assert_eq!(reports[1]["sources"]["year"], "file");
    assert_eq!(reports[2]["sources"]["year"], "text");
    for r in reports {
        assert_eq!(r["district"], "渝中区", "{r}");
        assert_eq!(r["kind"], "工作报告", "{r}");
        let n = r["counts"]["features"].as_u64().unwrap();
        let (status, items) = get(&format!(
            "/api/collections/projects/items?limit=10000&report={}",
            r["id"].as_str().unwrap()
        ))
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            items["numberMatched"].as_u64(),
            r["counts"]["projects"].as_u64(),
            "{r}"
        );
        assert!(n > 0);
    }
    assert_eq!(body["newest"], "yuzhong-2026");
}

#[tokio::test]
async fn a_place_named_in_several_reports_has_one_place_id_and_a_timeline_in_time_order() {
    // 陆海国际中心 is named by all three: 推进 (2024), 完工 (2025), 建成 (2026).
    let (_, body) = get(&format!(
        "/api/collections/projects/items?q={}&limit=100",
        enc("陆海国际中心")
    ))
    .await;
    let places: Vec<&str> = features(&body)
        .iter()
        .filter(|f| f["properties"]["name"] == "陆海国际中心")
        .filter_map(|f| f["properties"]["place"].as_str())
        .collect();
    assert_eq!(places.len(), 3, "{places:?}");
    assert!(places.iter().all(|p| *p == places[0]), "{places:?}");

    let (status, place) = get(&format!("/api/places/{}", enc(places[0]))).await;
    assert_eq!(status, StatusCode::OK, "{place}");
    let timeline = place["commitments"].as_array().unwrap();
    let reports: Vec<&str> = timeline
        .iter()
        .filter_map(|c| c["report"].as_str())
        .collect();
    assert_eq!(reports, ["yuzhong-2024", "yuzhong-2025", "yuzhong-2026"]);
    let years: Vec<i64> = timeline.iter().filter_map(|c| c["year"].as_i64()).collect();
    assert_eq!(years, [2024, 2025, 2026]);
    assert_eq!(timeline[0]["verb"], "推进");
    assert_eq!(timeline[2]["verb"], "建成");
    assert_eq!(timeline[2]["targets"][0]["value"], 80.0);
    assert!(
        timeline[0]["quote"]
            .as_str()
            .unwrap()
            .contains("陆海国际中心")
    );
    assert!(
        timeline[0]["feature"]
            .as_str()
            .unwrap()
            .starts_with("yuzhong-2024/")
    );
    assert!(place["geometry"]["type"].is_string(), "a located place");
}

#[tokio::test]
async fn a_place_named_in_two_reports_only_has_a_two_entry_timeline() {
    // 白象街, which the gazetteer does not know (so one place by its name), with its target of
    // buildings restored: 6 in 2024, 10 in 2026; the seed does not name it.
    let (_, body) = get(&format!(
        "/api/collections/streets/items?q={}&limit=100",
        enc("白象街")
    ))
    .await;
    let named: Vec<&Value> = features(&body)
        .iter()
        .filter(|f| f["properties"]["name"] == "白象街")
        .collect();
    assert_eq!(named.len(), 2);
    let place = named[0]["properties"]["place"].as_str().unwrap();
    assert_eq!(named[1]["properties"]["place"], place);
    let (_, place) = get(&format!("/api/places/{}", enc(place))).await;
    let timeline = place["commitments"].as_array().unwrap();
    assert_eq!(timeline.len(), 2, "{place}");
    let reports: Vec<&str> = timeline
        .iter()
        .filter_map(|c| c["report"].as_str())
        .collect();
    assert_eq!(reports, ["yuzhong-2024", "yuzhong-2026"]);
    assert_eq!(place["place"], "name:白象街");
    assert!(
        place["geometry"].is_null(),
        "unlocated: no position invented"
    );
    let restored: Vec<f64> = timeline
        .iter()
        .filter_map(|c| c["targets"][0]["value"].as_f64())
        .collect();
    assert_eq!(restored, [6.0, 10.0]);
    assert_eq!(timeline[0]["status"], "starting");
    assert_eq!(timeline[1]["status"], "completing");
}

#[tokio::test]
async fn compare_lists_places_new_dropped_and_continued_with_their_change() {
    let (status, body) = get("/api/reports/yuzhong-2024/compare/yuzhong-2026").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names = |key: &str| -> Vec<String> {
        body[key]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect()
    };
    // 启动通远门城墙遗址公园提升: the park named after the wall is what 2026 plans.
    assert!(
        names("new").contains(&"通远门城墙遗址公园".to_string()),
        "{body}"
    );
    assert!(names("dropped").contains(&"鹅岭二厂".to_string()), "{body}");
    assert!(
        names("dropped").contains(&"老鼓楼衙署跨街谯楼遗址".to_string()),
        "{body}"
    );
    let continued = body["continued"].as_array().unwrap();
    let street = continued
        .iter()
        .find(|p| p["name"] == "解放碑步行街")
        .expect("continued");
    assert_eq!(street["a"]["targets"][0]["value"], 500.0);
    assert_eq!(street["b"]["targets"][0]["value"], 800.0);
    assert_eq!(street["targets_changed"], true);
    let link = continued
        .iter()
        .find(|p| p["name"] == "戴家巷—国泰艺术中心连廊")
        .expect("continued");
    assert_eq!(link["change"], "推进 → 建成");
    assert_eq!(link["status_changed"], true);
    // Nothing is in two lists.
    let all = [names("new"), names("dropped"), names("continued")].concat();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len());
}

#[tokio::test]
async fn a_name_and_its_longer_form_in_two_years_are_one_place_in_compare() {
    // 2024: 推进老鼓楼衙署跨街谯楼遗址保护展示工程; 2025 (the seed): 完工老鼓楼衙署跨街谯楼项目.
    let (status, body) = get("/api/reports/yuzhong-2024/compare/yuzhong-2025").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let named = |key: &str| {
        body[key].as_array().unwrap().iter().any(|p| {
            p["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("老鼓楼衙署跨街谯楼"))
        })
    };
    assert!(named("continued"), "{body}");
    assert!(!named("new") && !named("dropped"), "{body}");
}

#[tokio::test]
async fn the_report_selection_filters_items_near_and_search() {
    let only = |body: &Value, report: &str| {
        features(body)
            .iter()
            .all(|f| f["properties"]["report"] == report)
    };
    let (_, all) = get("/api/collections/zones/items?limit=10000").await;
    let (_, one) = get("/api/collections/zones/items?limit=10000&report=yuzhong-2024").await;
    assert!(only(&one, "yuzhong-2024"));
    assert!(features(&one).len() < features(&all).len());
    let (_, two) =
        get("/api/collections/zones/items?limit=10000&report=yuzhong-2024,yuzhong-2026").await;
    assert!(features(&two).len() > features(&one).len());
    assert!(
        !features(&two)
            .iter()
            .any(|f| f["properties"]["report"] == "yuzhong-2025")
    );

    // Near 陆海国际中心, at the point its 2026 feature is drawn.
    let (_, hub) = get(&format!(
        "/api/collections/projects/items/{}",
        enc("yuzhong-2026/projects/陆海国际中心")
    ))
    .await;
    let at = &common::placement(&hub)["coordinates"];
    let (lon, lat) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
    let near = format!("/api/near?lon={lon}&lat={lat}&radius_m=300&limit=200&district_wide=full");
    let named_here = |body: &Value| {
        features(body)
            .iter()
            .filter(|f| f["properties"]["name"] == "陆海国际中心")
            .count()
    };
    let (status, every) = get(&near).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(named_here(&every), 3, "one per report");
    let (_, sel) = get(&format!("{near}&report=yuzhong-2026")).await;
    assert!(only(&sel, "yuzhong-2026"), "{sel}");
    assert_eq!(named_here(&sel), 1);
    let dw = sel["district_wide"].as_array().unwrap();
    assert!(
        dw.iter()
            .all(|f| f["properties"]["report"] == "yuzhong-2026"),
        "district-wide items of the selected report only"
    );
    // Only items that apply to the whole district are district-wide; a place we failed to
    // locate (城墙遗址公园) is not among them.
    assert!(
        dw.iter().all(|f| f["properties"]["scope"] == "district"),
        "{dw:?}"
    );
    assert!(!dw.iter().any(|f| f["properties"]["name"] == "城墙遗址公园"));

    let (_, found) = get(&format!(
        "/api/search?q={}&report=yuzhong-2024",
        enc("十八梯")
    ))
    .await;
    let ids: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| id.starts_with("yuzhong-2024/")),
        "{ids:?}"
    );
}

#[tokio::test]
async fn an_unknown_report_id_is_a_400_naming_it_and_an_unknown_place_a_404() {
    for uri in [
        "/api/collections/zones/items?report=yuzhong-1999",
        "/api/near?lon=106.57&lat=29.55&report=yuzhong-2024,yuzhong-1999",
        "/api/search?q=x&report=yuzhong-1999",
        "/api/report?report=yuzhong-1999",
    ] {
        let (status, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["parameter"], "report");
        assert!(body["message"].as_str().unwrap().contains("yuzhong-1999"));
    }
    let (status, body) = get("/api/reports/yuzhong-1999").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, _) = get("/api/reports/yuzhong-2024/compare/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get("/api/places/name:nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn one_reports_route_gives_that_reports_text_and_structure() {
    let (status, body) = get("/api/reports/yuzhong-2026").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["id"], "yuzhong-2026");
    assert!(body["text"].as_str().unwrap().contains("通远门"));
    let mentioned: Vec<&str> = body["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["feature_ids"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    assert!(!mentioned.is_empty());
    assert!(mentioned.iter().all(|id| id.starts_with("yuzhong-2026/")));
}

#[tokio::test]
async fn a_long_selection_of_report_ids_is_accepted() {
    // Dozens of ids are longer than other values may be; repeats are one selection.
    let ids = vec!["yuzhong-2024"; 60].join(",");
    let (status, body) = get(&format!("/api/collections/zones/items?report={ids}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(only_report(&body, "yuzhong-2024"));
}

fn only_report(body: &Value, report: &str) -> bool {
    features(body)
        .iter()
        .all(|f| f["properties"]["report"] == report)
}

#[test]
fn a_metadata_file_beside_a_report_gives_what_its_text_and_name_do_not() {
    let (geodata, mut seeds) = common::fixture_files();
    // The fixture report has no title line and its file name says 2025.
    seeds.push(NamedFile {
        name: "fixture-2025.meta.json".into(),
        bytes: r#"{"title": "测试区规划纲要", "district": "测试区", "year": 2024, "kind": "规划"}"#
            .as_bytes()
            .to_vec(),
    });
    let atlas = Atlas::build(&geodata, &seeds).expect("builds");
    let meta = &atlas.metas[0];
    assert_eq!(meta.title, "测试区规划纲要");
    assert_eq!(meta.year, Some(2024));
    assert_eq!(meta.kind, "规划");
    assert_eq!(meta.sources.year, "meta");

    let (geodata, mut seeds) = common::fixture_files();
    seeds.push(NamedFile {
        name: "fixture-2025.meta.json".into(),
        bytes: b"{\"year\": \"soon\"}".to_vec(),
    });
    let err = Atlas::build(&geodata, &seeds).expect_err("a bad metadata file fails the load");
    assert!(err.to_string().contains("fixture-2025.meta.json"), "{err}");
}

#[test]
fn every_planned_feature_carries_a_place() {
    let atlas = atlas();
    assert!(atlas.features.iter().all(|f| !f.place.is_empty()));
}
