//! Start-up faults, through the built binary: bad data stops the process with an error that
//! names the file and the entry; missing optional data only warns. Nothing half-loaded is ever
//! served, because the atlas is built whole before the listener opens.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A scratch copy of geodata/ and seeds/ that a test may break.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planmap-startup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["geodata", "seeds"] {
        std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        for e in std::fs::read_dir(repo(sub)).expect("read") {
            let p = e.expect("entry").path();
            if p.is_file() {
                std::fs::copy(&p, dir.join(sub).join(p.file_name().expect("name"))).expect("copy");
            }
        }
    }
    dir
}

fn stats(dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["stats", "--seeds"])
        .arg(dir.join("seeds"))
        .arg("--geodata")
        .arg(dir.join("geodata"))
        .env("RUST_LOG", "warn")
        .output()
        .expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn invalid_json_stops_start_up_naming_the_file_and_line() {
    let dir = scratch("json");
    let path = dir.join("geodata/gazetteer.geojson");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replacen("\"features\"", "\"features\" oops", 1)).expect("write");
    let out = stats(&dir);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("gazetteer.geojson:") && err.contains("invalid GeoJSON"),
        "{err}"
    );
}

#[test]
fn an_invalid_geometry_stops_start_up_naming_the_entry() {
    let dir = scratch("geometry");
    std::fs::write(
        dir.join("geodata/gazetteer-broken.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"broken-ring","name":"某地","kind":"片区","source":"test","uncertainty_m":100},
        "geometry":{"type":"Polygon","coordinates":[[[106.57,29.55],[106.58,29.55],[106.58,29.56]]]}}]}"#,
    )
    .expect("write");
    let err = stderr(&stats(&dir));
    assert!(
        err.contains("gazetteer-broken.geojson") && err.contains("broken-ring"),
        "{err}"
    );
}

#[test]
fn an_entry_outside_the_district_stops_start_up_unless_marked() {
    let dir = scratch("outside");
    std::fs::write(
        dir.join("geodata/gazetteer-far.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"far-away","name":"解放碑","kind":"商圈","source":"test","uncertainty_m":100},
        "geometry":{"type":"Point","coordinates":[116.39,39.90]}}]}"#,
    )
    .expect("write");
    let out = stats(&dir);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("far-away"), "{}", stderr(&out));
}

#[test]
fn a_report_in_the_wrong_encoding_stops_start_up_naming_it() {
    let dir = scratch("encoding");
    // "渝中区" in GBK: not UTF-8.
    std::fs::write(
        dir.join("seeds/gbk-report.txt"),
        [0xD3, 0xE5, 0xD6, 0xD0, 0xC7, 0xF8],
    )
    .expect("write");
    let out = stats(&dir);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("gbk-report.txt") && err.contains("UTF-8"),
        "{err}"
    );
}

#[test]
fn a_missing_folder_stops_start_up_naming_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["stats", "--geodata", "/nonexistent/planmap-geodata"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("/nonexistent/planmap-geodata"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_optional_stations_only_warn() {
    let dir = scratch("optional");
    std::fs::remove_file(dir.join("geodata/osm-rail-stations.geojson")).expect("rm");
    let out = stats(&dir);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no osm-rail-stations"),
        "{}",
        stderr(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("| layer |"),
        "stdout stays clean for piping"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly_after_it_has_answered() {
    use std::io::{Read, Write};
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    // Its own data folder, so the test never writes into the checkout.
    let data = tempfile::tempdir().expect("a temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(data.path())
        .env("RUST_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    // Wait for the listener, then hold a keep-alive connection open across the signal.
    let mut stream = None;
    for _ in 0..200 {
        if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            stream = Some(s);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut stream = stream.expect("server came up");
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "{exit:?}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("log");
    assert!(log.contains("shutting down"), "{log}");
}
