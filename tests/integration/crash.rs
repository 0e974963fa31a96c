//! Nothing acknowledged is lost (issue #13): the built binary is SIGKILLed in the middle of a
//! burst of corrections and restarted on the same data folder; every write it answered 200 is
//! served, and no version is half-written. Also: a backup taken while serving, and a data path
//! that cannot be opened (a regular file where the folder should be), where reads keep working
//! and writes answer 503. Root ignores file modes, so "read-only" is made by the path itself.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use planmap::store::placement::PlacementStore;
use serde_json::{Value, json};

use crate::corrections::item_path;

/// A running `planmap serve` on a free port, killed when dropped.
pub(crate) struct Served {
    child: Child,
    pub(crate) addr: String,
    /// Everything the server logged so far.
    log: Arc<Mutex<String>>,
}

impl Served {
    /// Starts the binary on port 0 with the embedded data and `--data data`, and waits for
    /// the line that names its address.
    fn start(data: &Path) -> Served {
        Served::start_logging(data, "info")
    }

    /// [`Served::start`] with this `RUST_LOG`.
    fn start_logging(data: &Path, filter: &str) -> Served {
        Served::start_with(&["--data".as_ref(), data.as_os_str()], filter)
    }

    /// `planmap serve --addr 127.0.0.1:0` with these further arguments and `RUST_LOG`, once
    /// it serves.
    pub(crate) fn start_with(args: &[&std::ffi::OsStr], filter: &str) -> Served {
        Served::start_until(args, filter, "serving http://")
    }

    /// [`Served::start_with`], returning once the log has a line with `marker` followed by
    /// the address (`serving http://`, or `listening on http://` for a replica that is not
    /// ready yet).
    pub(crate) fn start_until(args: &[&std::ffi::OsStr], filter: &str, marker: &str) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planmap"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", filter)
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let deadline = Instant::now() + Duration::from_mins(3);
        let log: Arc<Mutex<String>> = Arc::default();
        let addr = loop {
            assert!(Instant::now() < deadline, "the server did not come up");
            let line = lines
                .next()
                .expect("the server exited before serving")
                .unwrap();
            log.lock().unwrap().push_str(&line);
            if let Some(rest) = line.split(marker).nth(1) {
                break rest.split('/').next().unwrap().to_owned();
            }
        };
        // Keep reading the log, so the server never blocks on a full pipe.
        let kept = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                kept.lock().unwrap().push_str(&line);
            }
        });
        Served { child, addr, log }
    }

    /// Everything the server logged so far.
    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Sends one request; `None` when the connection fails (the server is gone).
    pub(crate) fn send(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Option<(u16, String, Value)> {
        request(&self.addr, method, path, token, body)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A minimal HTTP/1.1 client: status, the `ETag` header and the JSON body.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, String, Value)> {
    request_with(addr, method, path, &[], token, body).map(|(status, head, body)| {
        let etag = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("etag: ")
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        (status, etag, body)
    })
}

/// [`request`] with extra header lines (`If-Match: "v1"`): status, the response head (status
/// line and headers) and the JSON body.
pub(crate) fn request_with(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[&str],
    token: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, String, Value)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_mins(1))).ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    for h in headers {
        auth.push_str(h);
        auth.push_str("\r\n");
    }
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split(' ').nth(1)?.parse().ok()?;
    Some((
        status,
        head.to_owned(),
        serde_json::from_str(body).unwrap_or(Value::Null),
    ))
}

/// Runs `planmap ARGS… --data DIR` to the end and asserts it succeeded: its stdout.
pub(crate) fn run_planmap(args: &[&std::ffi::OsStr], data: &Path) -> String {
    let mut all = args.to_vec();
    all.extend(["--data".as_ref(), data.as_os_str()]);
    planmap_ok(&all)
}

/// Runs `planmap ARGS…` to the end (logging warnings only) and asserts it succeeded: its
/// stdout.
pub(crate) fn planmap_ok(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "planmap {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `planmap token add NAME --data DIR`: the secret.
fn add_token(data: &Path, name: &str) -> String {
    run_planmap(&["token".as_ref(), "add".as_ref(), name.as_ref()], data)
        .lines()
        .next()
        .unwrap()
        .to_owned()
}

/// The correction number `i` of a burst: a point that moves east by 0.0001° with `i` (written
/// so that it is the same number after the 7-decimal rounding of answers), and a note naming it.
fn burst_body(i: usize) -> Value {
    json!({
        "geometry": {"type": "Point", "coordinates": [(1_065_700 + i) as f64 / 10_000.0, 29.5580]},
        "uncertainty_m": 10,
        "source": "现场踏勘",
        "note": format!("burst {i}"),
    })
}

#[test]
fn every_acknowledged_write_survives_a_sigkill_mid_burst_and_none_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = add_token(&data, "li.ming");
    let server = Served::start(&data);
    let (_, _, fc) = server
        .send("GET", "/api/collections/streets/items?limit=2", None, None)
        .unwrap();
    let ids: Vec<String> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);

    // Two planners each save one feature again and again; every 200 is recorded.
    let acked: Arc<Mutex<Vec<(usize, usize, u64)>>> = Arc::default();
    let writers: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(w, id)| {
            let (addr, token, acked) = (server.addr.clone(), token.clone(), Arc::clone(&acked));
            let path = format!("{}/placement", item_path("streets", id));
            std::thread::spawn(move || {
                for i in 0..500 {
                    match request(&addr, "PUT", &path, Some(&token), Some(&burst_body(i))) {
                        Some((200, etag, _)) => {
                            let v = etag
                                .trim_matches('"')
                                .trim_start_matches('v')
                                .parse()
                                .unwrap();
                            acked.lock().unwrap().push((w, i, v));
                        }
                        Some((status, _, body)) => panic!("write {i}: {status} {body}"),
                        None => return,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_mins(5);
    while acked.lock().unwrap().len() < 6 {
        assert!(Instant::now() < deadline, "too few writes acknowledged");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A consistent copy while serving and writing.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    let copy_file = copy.join("planmap.gpkg");
    run_planmap(&["backup".as_ref(), copy_file.as_os_str()], &data);
    while acked.lock().unwrap().len() < 10 {
        assert!(Instant::now() < deadline, "too few writes acknowledged");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();

    let restarted = Served::start(&data);
    for (w, id) in ids.iter().enumerate() {
        let mine: Vec<(usize, u64)> = acked
            .iter()
            .filter(|a| a.0 == w)
            .map(|a| (a.1, a.2))
            .collect();
        assert_history_holds(&restarted, id, &mine);
    }

    // The backup is a whole store holding what was acknowledged before it was taken.
    let copy_store = planmap::store::gpkg::GeoPackageStore::open_read_only(&copy).unwrap();
    let copied: usize = ids
        .iter()
        .map(|id| copy_store.history(id).unwrap().len())
        .sum();
    assert!(copied >= 6, "the copy holds {copied} versions");
    assert_eq!(copy_store.list_tokens().unwrap().len(), 1);
}

/// After the restart, a feature's history holds every acknowledged write of its burst (`mine`:
/// burst number and version), at most one more, none half-written, and the newest is served.
fn assert_history_holds(server: &Served, id: &str, mine: &[(usize, u64)]) {
    let (status, etag, history) = server
        .send(
            "GET",
            &format!("{}/placements", item_path("streets", id)),
            None,
            None,
        )
        .unwrap();
    assert_eq!(status, 200);
    let versions = history["versions"].as_array().unwrap();
    let newest = history["version"].as_u64().unwrap();
    assert_eq!(etag, format!("\"v{newest}\""));
    assert_eq!(
        versions.len() as u64,
        newest,
        "no gap, no duplicate: {history}"
    );
    // Every acknowledged write is there, as sent.
    for (i, v) in mine {
        let found = versions.iter().find(|x| x["version"] == *v).unwrap();
        assert_eq!(found["note"], format!("burst {i}"));
        assert_eq!(found["geometry"], burst_body(*i)["geometry"]);
    }
    // At most the one write in flight at the kill committed without its answer, and it is
    // whole: the next of the burst, with its geometry and note.
    let last_v = mine.last().map_or(0, |m| m.1);
    let next_i = mine.last().map_or(0, |m| m.0 + 1);
    assert!(
        newest == last_v || newest == last_v + 1,
        "{newest} after {last_v}"
    );
    for x in versions {
        let i: usize = x["note"]
            .as_str()
            .unwrap()
            .trim_start_matches("burst ")
            .parse()
            .unwrap();
        assert_eq!(x["geometry"], burst_body(i)["geometry"], "{x}");
        assert_eq!(x["source"], "现场踏勘");
        assert_eq!(x["kind"], "put");
    }
    if newest == last_v + 1 {
        assert_eq!(versions[0]["note"], format!("burst {next_i}"));
    }
    // And it is what is served.
    let (_, _, item) = server
        .send("GET", &item_path("streets", id), None, None)
        .unwrap();
    assert_eq!(*crate::common::placement(&item), versions[0]["geometry"]);
    assert_eq!(item["properties"]["location"]["match"], "curated");
}

#[test]
fn a_data_path_that_cannot_be_opened_serves_reads_and_answers_writes_503() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "a file where the data folder should be").unwrap();
    let server = Served::start(&file);
    let (status, _, health) = server.send("GET", "/health", None, None).unwrap();
    assert_eq!(status, 200);
    assert!(health["features"].as_u64().unwrap() > 0);
    let (_, _, fc) = server
        .send("GET", "/api/collections/zones/items?limit=1", None, None)
        .unwrap();
    let id = fc["features"][0]["id"].as_str().unwrap().to_owned();
    let (status, _, body) = server
        .send(
            "PUT",
            &format!("{}/placement", item_path("zones", &id)),
            Some("any-token"),
            Some(&burst_body(0)),
        )
        .unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "unavailable");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("reads keep working"),
        "{body}"
    );
    let (status, _, history) = server
        .send(
            "GET",
            &format!("{}/placements", item_path("zones", &id)),
            None,
            None,
        )
        .unwrap();
    assert_eq!((status, history["version"].as_u64()), (200, Some(0)));
}

#[test]
fn the_server_log_never_holds_a_token_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = add_token(&data, "li.ming");
    let server = Served::start_logging(&data, "trace");
    let (_, _, fc) = server
        .send("GET", "/api/collections/zones/items?limit=1", None, None)
        .unwrap();
    let id = fc["features"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("{}/placement", item_path("zones", &id));
    let (status, _, body) = server
        .send("PUT", &path, Some(&token), Some(&burst_body(1)))
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = server
        .send(
            "PUT",
            &path,
            Some("a-wrong-secret-0123456789"),
            Some(&burst_body(2)),
        )
        .unwrap();
    assert_eq!(status, 401);
    std::thread::sleep(Duration::from_millis(300));
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("placement"), "the requests were traced: {log}");
    assert!(!log.contains(&token), "the token was logged");
    assert!(
        !log.contains("a-wrong-secret-0123456789"),
        "a wrong token was logged"
    );
}

#[test]
fn export_curated_writes_the_corrections_as_gazetteer_entries_the_loader_reads_and_the_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    add_token(&data, "li.ming");
    let server = Served::start(&data);
    let (_, _, fc) = server
        .send("GET", "/api/collections/zones/items?limit=1", None, None)
        .unwrap();
    let id = fc["features"][0]["id"].as_str().unwrap().to_owned();
    let name = fc["features"][0]["properties"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    drop(server);
    let store = planmap::store::gpkg::GeoPackageStore::open(&data).unwrap();
    let correction = planmap::store::placement::Correction {
        feature_id: id.clone(),
        layer: planmap::plan::Layer::Zones,
        name: name.clone(),
        geometry: geo::Geometry::Point(geo::Point::new(106.5761, 29.5569)),
        uncertainty_m: 40.0,
        source: "现场踏勘".to_owned(),
        note: "按现场修正".to_owned(),
        editor: "li.ming".to_owned(),
    };
    store.put(&correction, None).unwrap();
    planmap::store::changes::ChangeStore::set_verdict(
        &store,
        &planmap::store::changes::Verdict {
            name: "提升工程".to_owned(),
            verdict: planmap::store::changes::VerdictKind::NotPlace,
            layer: None,
            kind: None,
            note: "泛称，不是地名".to_owned(),
            editor: "li.ming".to_owned(),
        },
    )
    .unwrap();
    drop(store);
    let out_file = dir.path().join("gazetteer-curated.geojson");
    run_planmap(
        &[
            "gazetteer".as_ref(),
            "export-curated".as_ref(),
            out_file.as_os_str(),
        ],
        &data,
    );
    let bytes = std::fs::read(&out_file).unwrap();
    let mut gazetteer = planmap::gazetteer::Gazetteer::new();
    let n = gazetteer
        .add_entries(
            "gazetteer-curated.geojson",
            &bytes,
            planmap::gazetteer::Tier::Curated,
        )
        .unwrap();
    assert_eq!(n, 1);
    let place = gazetteer
        .find_name(&planmap::gazetteer::normalise_name(&name))
        .unwrap();
    assert!(
        place.source.contains("li.ming") && place.source.contains(&id),
        "{}",
        place.source
    );
    assert!((place.uncertainty_m - 40.0).abs() < f64::EPSILON);
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        v["features"][0]["geometry"],
        json!({"type": "Point", "coordinates": [106.5761, 29.5569]})
    );
    assert_eq!(
        v["verdicts"][0]["name"], "提升工程",
        "verdicts are exported too"
    );
    assert_eq!(v["verdicts"][0]["verdict"], "not_place");
    assert_eq!(v["verdicts"][0]["editor"], "li.ming");
}

/// An uploaded report, numbered: our own words planning two places the gazetteer knows.
fn upload_body(i: usize) -> Value {
    json!({
        "id": format!("upload-burst-{i}"),
        "text": format!("一、2027年工作安排。\n（一）老城提升第{i}项。\n推进十八梯和湖广会馆业态提升。\n"),
        "note": format!("burst {i}"),
    })
}

#[test]
fn every_acknowledged_upload_and_verdict_survives_a_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let token = add_token(&data, "li.ming");
    let server = Served::start(&data);
    let verdict = json!({"verdict": "place", "layer": "projects", "note": "两江四岸工程"});
    let (status, _, _) = server
        .send(
            "PUT",
            "/api/lexicon/%E5%98%89%E5%AE%BE%E9%87%8C",
            Some(&token),
            Some(&verdict),
        )
        .unwrap();
    assert_eq!(status, 200);
    let acked: Arc<Mutex<Vec<usize>>> = Arc::default();
    let writer = {
        let (addr, token, acked) = (server.addr.clone(), token.clone(), Arc::clone(&acked));
        std::thread::spawn(move || {
            for i in 0..200 {
                match request(
                    &addr,
                    "POST",
                    "/api/reports",
                    Some(&token),
                    Some(&upload_body(i)),
                ) {
                    Some((201, _, _)) => acked.lock().unwrap().push(i),
                    Some((status, _, body)) => panic!("upload {i}: {status} {body}"),
                    None => return,
                }
            }
        })
    };
    let deadline = Instant::now() + Duration::from_mins(5);
    while acked.lock().unwrap().len() < 4 {
        assert!(Instant::now() < deadline, "too few uploads acknowledged");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut server = server;
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();

    let restarted = Served::start(&data);
    let (_, _, list) = restarted.send("GET", "/api/reports", None, None).unwrap();
    let listed: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    for i in &acked {
        assert!(
            listed.contains(&format!("upload-burst-{i}").as_str()),
            "acknowledged upload {i} is listed after the restart: {listed:?}"
        );
    }
    assert!(
        listed.len() <= acked.len() + 2,
        "at most one unacknowledged upload more"
    );
    let (status, _, f) = restarted
        .send(
            "GET",
            &item_path("projects", "yuzhong-2025/projects/嘉宾里"),
            None,
            None,
        )
        .unwrap();
    assert_eq!(status, 200, "the place verdict survives: {f}");
}
