//! Uploads reviewed before they are published (issue #21): the dry run of `POST
//! /api/reports`, report files (`.docx`, PDF with a text layer, plain text) as the body, and
//! the list of the uploads taken out. In-process over a GeoPackage store in a temp folder,
//! on the seed and the real geodata; the texts are ours (`tests/fixtures/uploads/`, and the
//! `.docx` made here with the zip crate).

use std::fmt::Write as _;
use std::io::Write;

use axum::body::Body;
use axum::http::{HeaderMap, Method, StatusCode};
use planmap::store::changes::ChangeStore;
use serde_json::{Value, json};

use crate::common;
use crate::corrections::Server;

/// A text of our own that plans places the gazetteer knows and one it does not (鹅公岩小学
/// is no gazetteer entry, so it stays unlocated with its quote).
const TEXT: &str = "一、2027年工作安排。\n（一）老城提升。\n推进十八梯和湖广会馆业态提升，完善较场口停车配套。\n（二）民生补短板。\n新建鹅公岩小学综合楼，新增学位600个。\n";

fn seed_server() -> Server {
    Server::new(
        common::folder("geodata", "geojson"),
        common::folder("seeds", "txt"),
        planmap::api::Limits::default(),
    )
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/uploads")
            .join(name),
    )
    .unwrap()
}

/// Sends `body` with this media type (none: no `Content-Type`) and the server's editor
/// token.
async fn send(
    server: &Server,
    method: Method,
    uri: &str,
    media_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, HeaderMap, Value) {
    let mut headers = vec![("authorization", format!("Bearer {}", server.token))];
    if let Some(m) = media_type {
        headers.push(("content-type", m.to_owned()));
    }
    server
        .send_body([127, 0, 0, 1], method, uri, &headers, Body::from(body))
        .await
}

async fn post_json(server: &Server, uri: &str, body: &Value) -> (StatusCode, HeaderMap, Value) {
    send(
        server,
        Method::POST,
        uri,
        Some("application/json"),
        body.to_string().into_bytes(),
    )
    .await
}

/// The ids of a report's served features, in collection order.
async fn served_ids(server: &Server, report: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for layer in ["zones", "streets", "projects"] {
        let (_, _, fc) = server
            .get(&format!(
                "/api/collections/{layer}/items?limit=10000&report={report}"
            ))
            .await;
        for f in fc["features"].as_array().unwrap() {
            ids.push(f["id"].as_str().unwrap().to_owned());
        }
    }
    ids
}

fn change_of(headers: &HeaderMap) -> u64 {
    headers["x-planmap-change"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_dry_run_answers_what_publishing_serves_and_stores_nothing() {
    let server = seed_server();
    let (_, health, _) = server.get("/health").await;
    let upload =
        json!({"id": "review-2027", "text": TEXT, "year": 2027, "title": "2027年老城提升安排"});
    let (status, headers, preview) = post_json(&server, "/api/reports?dry_run=true", &upload).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["dry_run"], true);
    assert_eq!(
        change_of(&headers),
        change_of(&health),
        "no change number taken"
    );
    assert!(
        server.store.changes_since(0).unwrap().is_empty(),
        "nothing stored"
    );
    let (_, _, list) = server.get("/api/reports").await;
    assert!(
        !list.to_string().contains("review-2027"),
        "not listed after a dry run"
    );
    let unlocated: Vec<&str> = preview["unlocated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(unlocated.contains(&"鹅公岩小学"), "{unlocated:?}");
    let school = preview["unlocated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "鹅公岩小学")
        .unwrap();
    assert!(
        school["quote"]
            .as_str()
            .unwrap()
            .contains("新建鹅公岩小学综合楼")
    );
    let read = preview["features"].as_array().unwrap();
    assert!(
        read.iter()
            .all(|f| !f["sentence"].as_str().unwrap().is_empty())
    );
    let zones = &preview["layers"]["zones"];
    assert_eq!(
        zones["features"],
        read.iter().filter(|f| f["layer"] == "zones").count()
    );

    // Publishing the same upload serves exactly what the dry run said.
    let (status, _, summary) = post_json(&server, "/api/reports", &upload).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(
        preview["summary"], summary,
        "the summary as /api/reports lists it"
    );
    let mut previewed: Vec<String> = read
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    let mut served = served_ids(&server, "review-2027").await;
    previewed.sort();
    served.sort();
    assert_eq!(previewed, served);
}

#[tokio::test]
async fn with_a_public_url_an_upload_and_its_dry_run_link_the_report_from_it() {
    let base = "https://maps.example.org/planmap";
    let mut server = seed_server();
    server.state = server
        .state
        .clone()
        .with_links(planmap::api::LinkBase::public(base, false).unwrap());
    let upload = json!({"id": "linked-2027", "text": TEXT, "year": 2027});
    let (status, _, preview) = post_json(&server, "/api/reports?dry_run=true", &upload).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let expected = format!("{base}/api/reports/linked-2027");
    assert_eq!(preview["summary"]["href"], expected.as_str());
    let (status, headers, summary) = post_json(&server, "/api/reports", &upload).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(summary["href"], expected.as_str());
    assert_eq!(headers["location"].to_str().unwrap(), expected);
}

#[tokio::test]
async fn a_write_during_a_long_dry_run_is_not_held_up_by_its_reading() {
    let server = seed_server();
    // A long report of our own words (some 400 KB): its reading takes seconds here.
    let mut long = String::from("一、2027年工作安排。\n");
    for n in 1..=1500 {
        let _ = writeln!(
            long,
            "（{n}）第{n}项安排。推进十八梯和湖广会馆业态提升，完善较场口停车配套，新增车位{n}个。"
        );
    }
    let upload = json!({"id": "long-2027", "text": long, "year": 2027});
    let started = std::time::Instant::now();
    let dry_run = async {
        let answer = post_json(&server, "/api/reports?dry_run=true", &upload).await;
        (answer, started.elapsed())
    };
    let write = async {
        // Long enough for the dry run to have taken its copy and begun reading.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let answer = send(
            &server,
            Method::PUT,
            // 测试用不存在地名: a name in no report, so the verdict itself re-reads nothing.
            "/api/lexicon/%E6%B5%8B%E8%AF%95%E7%94%A8%E4%B8%8D%E5%AD%98%E5%9C%A8%E5%9C%B0%E5%90%8D",
            Some("application/json"),
            json!({"verdict": "not_place", "note": "测试"})
                .to_string()
                .into_bytes(),
        )
        .await;
        (answer, started.elapsed())
    };
    let (((status, _, preview), previewed), ((w_status, _, verdict), written)) =
        tokio::join!(dry_run, write);
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["summary"]["id"], "long-2027");
    assert_eq!(w_status, StatusCode::OK, "{verdict}");
    eprintln!("write answered after {written:?}, the dry run after {previewed:?}");
    assert!(
        written < previewed,
        "the write ({written:?}) waited for the dry run ({previewed:?})"
    );
}

#[tokio::test]
async fn a_dry_run_meets_the_errors_the_upload_meets() {
    let limits = planmap::api::Limits {
        max_report_bytes: 4096,
        ..planmap::api::Limits::default()
    };
    let server = Server::new(
        common::folder("geodata", "geojson"),
        common::folder("seeds", "txt"),
        limits,
    );
    let dry = "/api/reports?dry_run=true";
    let cases = [
        (
            json!({"id": "yuzhong-2025", "text": TEXT}),
            StatusCode::CONFLICT,
            "id",
        ),
        (json!({"text": " \n"}), StatusCode::BAD_REQUEST, "text"),
        (
            json!({"id": "a/b", "text": TEXT}),
            StatusCode::BAD_REQUEST,
            "id",
        ),
        (
            json!({"text": "推进解放碑提升。".repeat(200)}),
            StatusCode::PAYLOAD_TOO_LARGE,
            "text",
        ),
    ];
    for (body, status, field) in cases {
        let (got, _, e) = post_json(&server, dry, &body).await;
        assert_eq!((got, e["parameter"].as_str()), (status, Some(field)), "{e}");
    }
    let (status, _, _) = server
        .send_from(
            [127, 0, 0, 1],
            Method::POST,
            dry,
            &[],
            Some(json!({"text": TEXT}).to_string()),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(server.store.changes_since(0).unwrap().is_empty());
}

/// A minimal `.docx` of these paragraphs, made with the zip crate as a word processor lays
/// one out (the main part in word/document.xml; styles and settings are never read).
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let body = paragraphs
        .iter()
        .map(|p| ["<w:p><w:r><w:t>", p, "</w:t></w:r></w:p>"].concat())
        .collect::<String>();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

async fn names_of(server: &Server, report: &str) -> Vec<String> {
    served_ids(server, report)
        .await
        .iter()
        .map(|id| id.rsplit('/').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_docx_upload_is_read_and_its_places_are_served() {
    let server = seed_server();
    let file = docx(&[
        "2029年渝中区政府工作报告（测试稿）",
        "一、重点任务",
        "（一）推进白象街传统风貌区保护利用，完成十八梯北地块开发。",
        "（二）加快陆海国际中心建设，新引进企业30家。",
    ]);
    let docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    let (status, _, summary) = send(
        &server,
        Method::POST,
        "/api/reports?id=docx-2029&year=2029&note=%E6%B5%8B%E8%AF%95",
        Some(docx_type),
        file,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(summary["year"], 2029);
    let names = names_of(&server, "docx-2029").await;
    for name in ["十八梯北地块", "陆海国际中心"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let (_, _, report) = server.get("/api/reports/docx-2029").await;
    assert!(
        report.to_string().contains("完成十八梯北地块开发"),
        "each paragraph is a line of the text: {report}"
    );
    let (_, _, lh) = server
        .get("/api/collections/projects/items?report=docx-2029&limit=100")
        .await;
    let lh = lh["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["name"] == "陆海国际中心")
        .unwrap()
        .clone();
    assert!(!lh["geometry"].is_null(), "placed by the gazetteer: {lh}");
}

#[tokio::test]
async fn a_pdf_with_a_text_layer_is_read_and_its_places_are_served() {
    let server = seed_server();
    let pdf = fixture("report-2028.pdf");
    let (status, _, preview) = send(
        &server,
        Method::POST,
        "/api/reports?id=pdf-2028&year=2028&dry_run=true",
        Some("application/pdf"),
        pdf.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let (status, _, summary) = send(
        &server,
        Method::POST,
        "/api/reports?id=pdf-2028&year=2028",
        Some("application/pdf"),
        pdf,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    assert_eq!(preview["summary"], summary);
    let names = names_of(&server, "pdf-2028").await;
    // 长滨路 and 通远门 come through the font's radical glyphs (⻓, ⻔) mended.
    for name in ["山城巷", "长滨路", "通远门", "菜园坝片区"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let (_, _, report) = server.get("/api/reports/pdf-2028").await;
    assert!(
        report.to_string().contains("开工建设长滨路慢行通道"),
        "the sentence reads whole: {report}"
    );
}

#[tokio::test]
async fn files_that_cannot_be_read_are_refused_saying_why() {
    let server = seed_server();
    let post = |media: Option<&'static str>, uri: &'static str, body: Vec<u8>| {
        send(&server, Method::POST, uri, media, body)
    };
    let (status, _, e) = post(
        Some("application/pdf"),
        "/api/reports?id=scan-1",
        fixture("no-text-layer.pdf"),
    )
    .await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file"))
    );
    assert_eq!(e["code"], "no_text_layer");
    assert!(
        e["message"].as_str().unwrap().contains("no text layer"),
        "{e}"
    );
    let (status, _, e) = post(
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "/api/reports",
        fixture("report-2028.pdf"),
    )
    .await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file"))
    );
    assert_eq!(e["code"], "unreadable_file");
    assert!(
        e["message"].as_str().unwrap().contains("not a .docx"),
        "{e}"
    );
    let (status, _, e) = post(Some("application/msword"), "/api/reports", b"x".to_vec()).await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, Some("Content-Type"))
    );
    // 政府 in GBK as a plain-text body.
    let (status, _, e) = post(
        Some("text/plain; charset=gbk"),
        "/api/reports",
        vec![0xd5, 0xfe, 0xb8, 0xae],
    )
    .await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("text"))
    );
    // A report field belongs in a JSON body, not beside it.
    let (status, _, e) = post_json(&server, "/api/reports?id=x-1", &json!({"text": TEXT})).await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("id"))
    );
    assert!(server.store.changes_since(0).unwrap().is_empty());
    // Plain UTF-8 text is taken as the file it is.
    let (status, _, summary) = post(
        Some("text/plain; charset=utf-8"),
        "/api/reports?id=plain-2027",
        TEXT.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
}

#[tokio::test]
async fn removed_uploads_are_listed_with_who_uploaded_and_who_removed_them_when_and_why() {
    let server = seed_server();
    let (_, _, none) = server.get("/api/reports?removed=true").await;
    assert_eq!(none, json!({"removed": []}));
    for id in ["gone-1", "gone-2"] {
        let (status, _, _) = post_json(
            &server,
            "/api/reports",
            &json!({"id": id, "text": TEXT, "note": "区政府公开的全文"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    for (id, note) in [("gone-1", "传错了"), ("gone-2", "重复上传")] {
        let (status, _, _) = send(
            &server,
            Method::DELETE,
            &format!(
                "/api/reports/{id}?note={}",
                percent_encoding::utf8_percent_encode(note, percent_encoding::NON_ALPHANUMERIC)
            ),
            None,
            Vec::new(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, list) = server.get("/api/reports?removed=true").await;
    assert_eq!(status, StatusCode::OK);
    let removed = list["removed"].as_array().unwrap();
    let ids: Vec<&str> = removed.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["gone-2", "gone-1"], "newest removal first");
    let first = &removed[1];
    assert_eq!(first["removed"]["note"], "传错了");
    assert_eq!(first["removed"]["editor"], "li.ming");
    assert!(first["removed"]["at"].as_str().unwrap().starts_with("20"));
    assert_eq!(first["uploaded"]["editor"], "li.ming");
    assert_eq!(first["uploaded"]["note"], "区政府公开的全文");
    assert_eq!(first["chars"], TEXT.chars().count());
    assert!(
        first["removed"]["change"].as_u64().unwrap()
            > first["uploaded"]["change"].as_u64().unwrap()
    );
    let (_, _, live) = server.get("/api/reports").await;
    assert!(!live.to_string().contains("gone-1"));
    let (status, _, e) = server.get("/api/reports?removed=yes").await;
    assert_eq!(
        (status, e["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("removed"))
    );
}
