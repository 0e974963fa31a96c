//! A living map (issue #21): identity that survives corrections, and changes applied one at a
//! time to the seed and the real geodata.

use std::collections::BTreeMap;
use std::sync::Arc;

use geo::{Geometry, Point};
use planmap::atlas::Living;
use planmap::plan::PlannedFeature;
use planmap::store::placement::{CurrentCorrection, Version};

use crate::common;

fn seed_living() -> Living {
    Living::new(
        &common::folder("geodata", "geojson"),
        &common::folder("seeds", "txt"),
    )
    .expect("the seed builds")
}

/// A correction of one feature to its own point (distinct per feature, inside the district).
fn correction_of(f: &PlannedFeature, k: u32) -> CurrentCorrection {
    CurrentCorrection {
        feature_id: f.id.clone(),
        layer: f.layer,
        name: f.name.clone(),
        geometry: Geometry::Point(Point::new(
            106.55 + f64::from(k) * 0.0007,
            29.55 + f64::from(k) * 0.0003,
        )),
        uncertainty_m: 20.0,
        source: "现场踏勘".into(),
        note: "核对位置".into(),
        editor: "li.ming".into(),
        at: format!("2026-12-07T10:{:02}:00.000Z", k % 60),
        version: Version(1),
    }
}

/// Every feature's id → (place, geometry) as served.
fn served(living: &Living) -> BTreeMap<String, (String, Option<Geometry<f64>>)> {
    living
        .atlas()
        .features
        .iter()
        .map(|f| (f.id.clone(), (f.place.clone(), f.geometry.clone())))
        .collect()
}

#[test]
fn every_nested_pair_of_the_seed_corrected_in_both_orders_keeps_ids_places_and_its_own_correction()
{
    let mut living = seed_living();
    let automatic = served(&living);
    let features: Vec<Arc<PlannedFeature>> = living.atlas().features.iter().cloned().collect();
    let pairs: Vec<(&PlannedFeature, &PlannedFeature)> = features
        .iter()
        .flat_map(|a| features.iter().map(move |b| (a.as_ref(), b.as_ref())))
        .filter(|(a, b)| a.id != b.id && a.report == b.report && b.name.contains(&a.name))
        .collect();
    assert!(
        pairs
            .iter()
            .any(|(a, b)| a.name == "湖广会馆" && b.name == "湖广会馆巴渝美食休闲基地"),
        "the 湖广会馆 pair is among the nested names"
    );
    assert!(pairs.len() >= 10, "{} nested pairs", pairs.len());
    let mut k = 0;
    for (inner, outer) in &pairs {
        for order in [[*inner, *outer], [*outer, *inner]] {
            let mut put = Vec::new();
            for f in order {
                k += 1;
                let c = correction_of(f, k);
                living.set_correction(&f.id, Some(c.clone()));
                put.push(c);
            }
            let now = served(&living);
            assert_eq!(
                now.keys().collect::<Vec<_>>(),
                automatic.keys().collect::<Vec<_>>(),
                "correcting {} and {} keeps every feature id",
                order[0].name,
                order[1].name
            );
            for (id, (place, _)) in &automatic {
                assert_eq!(&now[id].0, place, "{id} keeps its place");
            }
            for c in &put {
                assert_eq!(
                    now[&c.feature_id].1.as_ref(),
                    Some(&c.geometry),
                    "{} is drawn where its own correction put it",
                    c.feature_id
                );
            }
            // Reverting the first keeps the second's own correction.
            living.set_correction(&put[0].feature_id, None);
            let after = served(&living);
            assert_eq!(after[&put[1].feature_id].1.as_ref(), Some(&put[1].geometry));
            assert_eq!(
                after[&put[0].feature_id].1, automatic[&put[0].feature_id].1,
                "{} is back where the reader placed it",
                put[0].feature_id
            );
            living.set_correction(&put[1].feature_id, None);
            assert_eq!(
                served(&living),
                automatic,
                "reverting both restores the map"
            );
        }
    }
}

/// Everything a store serves that a change can alter: counts, every collection's items in
/// two datums, the reports list and each report's answer.
fn everything_served(store: &planmap::atlas::AtlasStore) -> Vec<String> {
    use planmap::datum::Crs;
    use planmap::store::{FeatureStore, ItemsQuery};
    let mut out = vec![format!("{:?}", store.health()), store.reports().to_owned()];
    let query = ItemsQuery {
        limit: 100_000,
        ..ItemsQuery::default()
    };
    for c in store.collections() {
        for crs in [Crs::Wgs84, Crs::Gcj02] {
            let page = store
                .items(c.id, &query, crs)
                .expect("the collection exists");
            out.push(format!("{} {crs:?} {}", c.id, page.number_matched));
            for f in page.features {
                let mut text = String::new();
                f.write(&mut text);
                out.push(text);
            }
        }
    }
    for id in store.report_ids() {
        out.push(
            store
                .report(Some(id))
                .expect("the report exists")
                .to_owned(),
        );
    }
    out
}

#[test]
fn a_store_derived_change_by_change_serves_exactly_what_a_store_built_afresh_serves() {
    use planmap::atlas::AtlasStore;
    let mut living = seed_living();
    let mut store = AtlasStore::new(Arc::clone(living.atlas()));
    // Both datums rendered before the changes, as a served page leaves them.
    let _ = everything_served(&store);
    let unlocated = living
        .atlas()
        .features
        .iter()
        .find(|f| f.geometry.is_none())
        .expect("the seed has places the gazetteer cannot place")
        .as_ref()
        .clone();
    let located = living
        .atlas()
        .features
        .iter()
        .find(|f| f.name == "湖广会馆")
        .expect("湖广会馆 is a feature")
        .as_ref()
        .clone();
    let steps: [(&PlannedFeature, Option<CurrentCorrection>); 4] = [
        (&unlocated, Some(correction_of(&unlocated, 3))),
        (&located, Some(correction_of(&located, 5))),
        (&unlocated, None),
        (&located, None),
    ];
    for (k, (f, correction)) in steps.into_iter().enumerate() {
        living.set_correction(&f.id, correction);
        store = store.derive(Arc::clone(living.atlas()));
        let fresh = AtlasStore::new(Arc::clone(living.atlas()));
        let (derived, afresh) = (everything_served(&store), everything_served(&fresh));
        assert_eq!(derived.len(), afresh.len(), "step {k}");
        for (a, b) in derived.iter().zip(&afresh) {
            assert_eq!(a, b, "step {k}: {}", f.id);
        }
    }
}

#[test]
fn a_correction_shares_every_untouched_feature_with_the_atlas_before() {
    let mut living = seed_living();
    let before = Arc::clone(living.atlas());
    let target = before
        .features
        .iter()
        .find(|f| f.name == "湖广会馆")
        .expect("湖广会馆 is a feature")
        .clone();
    let touched = living.set_correction(&target.id, Some(correction_of(&target, 7)));
    assert!(touched >= 1);
    let after = living.atlas();
    let shared = before
        .features
        .iter()
        .zip(&after.features)
        .filter(|(a, b)| Arc::ptr_eq(a, b))
        .count();
    assert_eq!(
        shared,
        before.features.len() - 1,
        "only the corrected feature is new"
    );
    assert!(Arc::ptr_eq(&before.reports[0], &after.reports[0]));
    let projects = before.collection("projects").unwrap();
    assert!(
        Arc::ptr_eq(
            &projects.index,
            &after.collection("projects").unwrap().index
        ),
        "an untouched collection keeps its R-tree"
    );
}

#[test]
fn a_verdict_rereads_only_the_reports_that_write_the_name_and_an_upload_reads_only_itself() {
    let mut living = seed_living();
    let upload = |id: &str, text: &str| planmap::store::changes::StoredReport {
        report: planmap::store::changes::NewReport {
            id: id.into(),
            text: text.into(),
            title: None,
            district: None,
            year: Some(2027),
            kind: None,
            editor: "li.ming".into(),
            note: "来文".into(),
        },
        at: "2026-12-07T10:00:00.000Z".into(),
        change: 1,
    };
    let seed_report = Arc::clone(&living.atlas().reports[0]);
    living
        .add_report(&upload(
            "a-2027",
            "一、2027年安排。\n推进十八梯业态提升。\n",
        ))
        .unwrap();
    living
        .add_report(&upload(
            "b-2027",
            "一、2027年安排。\n完善较场口停车配套。\n",
        ))
        .unwrap();
    assert!(
        Arc::ptr_eq(&seed_report, &living.atlas().reports[0]),
        "an upload leaves the seed's reading as it was"
    );
    let verdict = planmap::store::changes::VerdictVersion {
        name: "十八梯".into(),
        verdict: Some(planmap::store::changes::VerdictKind::NotPlace),
        layer: None,
        kind: None,
        note: "测试".into(),
        editor: "li.ming".into(),
        at: "2026-12-07T10:01:00.000Z".into(),
        change: 3,
    };
    let reread = living.set_verdict("十八梯", Some(&verdict)).unwrap();
    assert_eq!(reread, ["yuzhong-2025", "a-2027"]);
    let b = living
        .atlas()
        .reports
        .iter()
        .find(|r| r.id == "b-2027")
        .unwrap();
    assert!(b.items.iter().any(|i| i.name == "较场口"));
    assert!(
        !living.atlas().features.iter().any(|f| f.name == "十八梯"),
        "gone from every report"
    );
}

mod http {
    use axum::http::{Method, StatusCode};
    use serde_json::{Value, json};

    use crate::common;
    use crate::corrections::{Server, item_path, state_over};

    /// A report of our own words that plans three places the gazetteer knows.
    const UPLOAD: &str = "一、2027年工作安排。\n（一）老城提升。\n推进十八梯和湖广会馆业态提升，完善较场口停车配套。\n";

    fn seed_server(limits: planmap::api::Limits) -> Server {
        Server::new(
            common::folder("geodata", "geojson"),
            common::folder("seeds", "txt"),
            limits,
        )
    }

    fn restarted(server: &Server) -> Server {
        Server {
            state: state_over(
                &server.store,
                &server.files,
                planmap::api::Limits::default(),
            ),
            store: std::sync::Arc::clone(&server.store),
            token: server.token.clone(),
            dir: tempfile::tempdir().unwrap(),
            files: server.files.clone(),
        }
    }

    async fn send(
        server: &Server,
        method: Method,
        uri: &str,
        body: Option<Vec<u8>>,
    ) -> (StatusCode, axum::http::HeaderMap, Value) {
        let headers = [
            ("authorization", format!("Bearer {}", server.token)),
            ("content-type", "application/json".to_owned()),
        ];
        let body = body.map(|b| String::from_utf8_lossy(&b).into_owned());
        server
            .send_from([127, 0, 0, 1], method, uri, &headers, body)
            .await
    }

    async fn names_in(server: &Server, report: &str) -> Vec<String> {
        let mut names = Vec::new();
        for layer in ["zones", "streets", "projects"] {
            let (_, _, fc) = server
                .get(&format!("/api/collections/{layer}/items?limit=10000"))
                .await;
            for f in fc["features"].as_array().unwrap() {
                if f["properties"]["report"] == report {
                    names.push(f["properties"]["name"].as_str().unwrap().to_owned());
                }
            }
        }
        names
    }

    #[tokio::test]
    async fn a_posted_report_is_listed_served_found_by_near_kept_after_a_restart_and_gone_after_delete()
     {
        let server = seed_server(planmap::api::Limits::default());
        let (_, health, before) = server.get("/health").await;
        let body = json!({"id": "jiefang-2027", "text": UPLOAD, "year": 2027, "title": "2027年老城提升安排"});
        let (status, headers, summary) = send(
            &server,
            Method::POST,
            "/api/reports",
            Some(body.to_string().into_bytes()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{summary}");
        // Absolute, from the request's base like every link (no Host header here).
        assert_eq!(
            headers["location"],
            "http://127.0.0.1:8080/api/reports/jiefang-2027"
        );
        assert_eq!(summary["id"], "jiefang-2027");
        assert_eq!(summary["year"], 2027);
        assert_eq!(summary["uploaded"], true);
        assert!(
            summary["counts"]["features"].as_u64().unwrap() >= 2,
            "{summary}"
        );
        let change: u64 = headers["x-planmap-change"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let was: u64 = health["x-planmap-change"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(change > was, "the change number moves: {was} → {change}");
        assert_eq!(before["change"], was);

        let (_, _, list) = server.get("/api/reports").await;
        assert!(
            list["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["id"] == "jiefang-2027")
        );
        let names = names_in(&server, "jiefang-2027").await;
        assert!(names.iter().any(|n| n == "较场口"), "{names:?}");
        let id = "jiefang-2027/zones/湖广会馆".to_owned();
        let (status, _, item) = server.get(&item_path("zones", &id)).await;
        assert_eq!(status, StatusCode::OK, "{names:?}");
        let at = item["geometry"].clone();
        assert!(!at.is_null(), "placed by the gazetteer: {item}");
        let g: geojson::Geometry = serde_json::from_value(at).unwrap();
        let g = geo::Geometry::<f64>::try_from(&g).unwrap();
        let p = geo::InteriorPoint::interior_point(&g).unwrap();
        let (_, _, near) = server
            .get(&format!(
                "/api/near?lon={}&lat={}&radius_m=300&limit=200",
                p.x(),
                p.y()
            ))
            .await;
        assert!(
            near["features"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["id"] == id.as_str()),
            "near finds the uploaded report's feature"
        );

        // A restart reads the stored text again.
        let again = restarted(&server);
        assert_eq!(names_in(&again, "jiefang-2027").await, names);

        let (status, _, removed) = send(
            &again,
            Method::DELETE,
            "/api/reports/jiefang-2027?note=%E4%BC%A0%E9%94%99%E4%BA%86",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{removed}");
        assert_eq!(removed["note"], "传错了");
        let (status, _, _) = again.get("/api/reports/jiefang-2027").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(names_in(&again, "jiefang-2027").await.is_empty());
        let log =
            planmap::store::changes::ChangeStore::changes_since(again.store.as_ref(), 0).unwrap();
        let kinds: Vec<&str> = log.iter().map(|c| c.kind.as_str()).collect();
        assert_eq!(
            kinds,
            ["report_added", "report_removed"],
            "the history is kept"
        );
    }

    #[tokio::test]
    async fn bad_uploads_get_json_errors_naming_the_field() {
        let limits = planmap::api::Limits {
            max_report_bytes: 4096,
            ..planmap::api::Limits::default()
        };
        let server = seed_server(limits);
        let post = |body: Vec<u8>| send(&server, Method::POST, "/api/reports", Some(body));
        let (status, _, e) = post(json!({"text": "  \n"}).to_string().into_bytes()).await;
        assert_eq!(
            (status, e["parameter"].as_str()),
            (StatusCode::BAD_REQUEST, Some("text"))
        );
        // 4800 bytes: over the text limit, under the body's (twice it).
        let long = "推进解放碑提升。".repeat(200);
        let (status, _, e) = post(json!({"text": long}).to_string().into_bytes()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
        assert_eq!(e["parameter"], "text");
        let (status, _, e) = post(
            json!({"id": "yuzhong-2025", "text": UPLOAD})
                .to_string()
                .into_bytes(),
        )
        .await;
        assert_eq!(
            (status, e["parameter"].as_str()),
            (StatusCode::CONFLICT, Some("id"))
        );
        let (status, _, e) = post(
            json!({"id": "a/b", "text": UPLOAD})
                .to_string()
                .into_bytes(),
        )
        .await;
        assert_eq!(
            (status, e["parameter"].as_str()),
            (StatusCode::BAD_REQUEST, Some("id"))
        );
        let (status, _, _) = post(
            json!({"id": "r-1", "text": UPLOAD})
                .to_string()
                .into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _, e) = post(
            json!({"id": "r-1", "text": UPLOAD})
                .to_string()
                .into_bytes(),
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::CONFLICT, Some("duplicate_id"))
        );
        let (status, _, e) = send(
            &server,
            Method::DELETE,
            "/api/reports/yuzhong-2025?note=x",
            None,
        )
        .await;
        assert_eq!(
            (status, e["code"].as_str()),
            (StatusCode::CONFLICT, Some("read_only_report"))
        );
        let (status, _, e) = send(&server, Method::DELETE, "/api/reports/r-1", None).await;
        assert_eq!(
            (status, e["parameter"].as_str()),
            (StatusCode::BAD_REQUEST, Some("note"))
        );
        let (status, _, _) = server
            .send_from(
                [127, 0, 0, 1],
                Method::POST,
                "/api/reports",
                &[],
                Some(json!({"text": UPLOAD}).to_string()),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }

    #[tokio::test]
    async fn a_body_that_is_not_utf8_gets_400_naming_the_text() {
        let server = seed_server(planmap::api::Limits::default());
        let mut body = br#"{"text": ""#.to_vec();
        body.extend_from_slice(&[0xd5, 0xfe, 0xb8, 0xae]); // 政府 in GBK
        body.extend_from_slice(br#""}"#);
        let request = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/api/reports")
            .header("authorization", format!("Bearer {}", server.token))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(body))
            .unwrap();
        let mut request = request;
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
                [127, 0, 0, 1],
                40000,
            ))));
        let response = tower::ServiceExt::oneshot(planmap::api::app(server.state.clone()), request)
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let bytes = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        let e: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(e["parameter"], "text", "{e}");
    }

    #[tokio::test]
    async fn verdicts_take_a_name_out_of_every_report_or_make_the_reader_find_it_and_survive_a_restart()
     {
        let server = seed_server(planmap::api::Limits::default());
        let body = json!({"id": "r-2027", "text": UPLOAD});
        let (status, _, _) = send(
            &server,
            Method::POST,
            "/api/reports",
            Some(body.to_string().into_bytes()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        // 十八梯 is read in the seed and in the upload.
        for report in ["yuzhong-2025", "r-2027"] {
            assert!(
                names_in(&server, report)
                    .await
                    .iter()
                    .any(|n| n == "十八梯"),
                "{report}"
            );
        }
        let (_, _, found) = server
            .get("/api/search?q=%E5%8D%81%E5%85%AB%E6%A2%AF")
            .await;
        assert!(found.to_string().contains("\"name\":\"十八梯\""), "{found}");
        let (status, _, v) = send(
            &server,
            Method::PUT,
            "/api/lexicon/%E5%8D%81%E5%85%AB%E6%A2%AF",
            Some(
                json!({"verdict": "not_place", "note": "按规划人员意见暂不作规划对象"})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["verdict"], "not_place");
        assert_eq!(v["editor"], "li.ming");
        for report in ["yuzhong-2025", "r-2027"] {
            assert!(
                !names_in(&server, report)
                    .await
                    .iter()
                    .any(|n| n == "十八梯"),
                "{report}"
            );
        }
        let (_, _, search) = server
            .get("/api/search?q=%E5%8D%81%E5%85%AB%E6%A2%AF")
            .await;
        assert!(
            !search.to_string().contains("\"name\":\"十八梯\""),
            "{search}"
        );
        let (_, _, report) = server.get("/api/reports/yuzhong-2025").await;
        assert!(
            !report.to_string().contains("/十八梯\""),
            "the sentence map forgets it"
        );

        let again = restarted(&server);
        assert!(
            !names_in(&again, "r-2027")
                .await
                .iter()
                .any(|n| n == "十八梯")
        );
        let (_, _, lexicon) = again.get("/api/lexicon").await;
        assert_eq!(lexicon["verdicts"][0]["verdict"], "not_place", "{lexicon}");
        let (status, _, _) = send(
            &again,
            Method::DELETE,
            "/api/lexicon/%E5%8D%81%E5%85%AB%E6%A2%AF?note=%E6%92%A4%E5%9B%9E",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            names_in(&again, "r-2027")
                .await
                .iter()
                .any(|n| n == "十八梯")
        );
        let (_, _, lexicon) = again.get("/api/lexicon").await;
        assert!(lexicon["verdicts"].as_array().unwrap().is_empty());
        assert_eq!(lexicon["history"].as_array().unwrap().len(), 2, "{lexicon}");
        assert_eq!(lexicon["history"][0]["note"], "撤回");
    }

    #[tokio::test]
    async fn a_place_verdict_makes_a_missed_name_a_feature_of_the_seed_that_survives_a_restart() {
        let server = seed_server(planmap::api::Limits::default());
        // The reader misses 中新互联互通项目运营中心 (the independent gold lists it); a place
        // verdict makes it a feature of the seed.
        let name = "中新互联互通项目运营中心";
        assert!(
            !names_in(&server, "yuzhong-2025")
                .await
                .iter()
                .any(|n| n == name)
        );
        let (status, _, v) = send(
            &server,
            Method::PUT,
            &format!(
                "/api/lexicon/{}",
                percent_encoding::utf8_percent_encode(name, percent_encoding::NON_ALPHANUMERIC)
            ),
            Some(
                json!({"verdict": "place", "layer": "projects", "note": "报告要设的运营中心"})
                    .to_string()
                    .into_bytes(),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let id = server.id_of("projects", name).await;
        assert_eq!(id, format!("yuzhong-2025/projects/{name}"));
        let (_, _, f) = server.get(&item_path("projects", &id)).await;
        assert!(f["geometry"].is_null(), "unlocated until someone places it");

        let again = restarted(&server);
        assert_eq!(again.id_of("projects", name).await, id);
        let (_, _, lexicon) = again.get("/api/lexicon").await;
        assert_eq!(lexicon["verdicts"][0]["name"], name, "{lexicon}");
        assert_eq!(lexicon["verdicts"][0]["note"], "报告要设的运营中心");
    }
}
