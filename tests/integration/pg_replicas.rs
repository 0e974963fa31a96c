//! Two replicas on one PostgreSQL (issue #22), end to end with the built binary: a write on A
//! is served by B within 2 s; a stale `If-Match` on B after A's write is 412; an upload and a
//! verdict on B are served by A; with the
//! database stopped both still answer reads, writes get 503 JSON with `Retry-After` and
//! `/health` says the store is unavailable; after it starts again a write succeeds within
//! 10 s without restarting anything, and B serves it.
//!
//! The test stops its database, so it starts a cluster of its own with `.ci/postgres` (the
//! shared one keeps serving the other tests); it runs where `PLANMAP_TEST_DATABASE_URL` says
//! PostgreSQL is installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::corrections::item_path;
use crate::crash::{Served, planmap_ok, request_with};

/// A throwaway cluster of this test's own, stopped and removed on drop.
struct Cluster {
    url: String,
    data: PathBuf,
    bin: PathBuf,
}

impl Cluster {
    fn start() -> Option<Cluster> {
        crate::pg::database_url()?;
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres");
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let exports = String::from_utf8(out.stdout).unwrap();
        let var = |name: &str| {
            exports
                .lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {exports}"))
                .to_owned()
        };
        Some(Cluster {
            url: var("PLANMAP_TEST_DATABASE_URL"),
            data: PathBuf::from(var("PLANMAP_TEST_PGDATA")),
            bin: PathBuf::from(var("PLANMAP_TEST_PG_BIN")),
        })
    }

    /// Runs `pg_ctl` as the cluster's owner (PostgreSQL will not run as root).
    fn pg_ctl(&self, args: &[&str]) {
        let pg_ctl = self.bin.join("pg_ctl");
        let mut command = if nix_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(pg_ctl);
            c
        } else {
            Command::new(pg_ctl)
        };
        let out = command
            .arg("-D")
            .arg(&self.data)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn stop(&self) {
        self.pg_ctl(&["-m", "fast", "-w", "stop"]);
    }

    /// The port it listens on, from its URL.
    fn port(&self) -> &str {
        self.url
            .rsplit(':')
            .next()
            .unwrap()
            .split('/')
            .next()
            .unwrap()
    }

    /// Starts it again on the same port and socket folder as `.ci/postgres` did.
    fn start_again(&self) {
        let port = self.port();
        let socket = self.data.parent().unwrap().display().to_string();
        let log = self
            .data
            .parent()
            .unwrap()
            .join("log")
            .display()
            .to_string();
        let options = format!("-p {port} -k {socket} -c listen_addresses=127.0.0.1");
        self.pg_ctl(&["-l", &log, "-w", "-o", &options, "start"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres"))
            .arg("stop")
            .env("PLANMAP_TEST_PGDATA", &self.data)
            .output();
    }
}

fn nix_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn put_body(lon: f64, note: &str) -> Value {
    json!({
        "geometry": {"type": "Point", "coordinates": [lon, 29.5580]},
        "uncertainty_m": 10,
        "source": "现场踏勘",
        "note": note,
    })
}

/// Polls `probe` every 50 ms until it is true or `limit` passes; how long it took.
fn within(limit: Duration, mut probe: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if probe() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn two_replicas_share_writes_versions_and_outages_of_one_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let token = planmap_ok(&[
        "token".as_ref(),
        "add".as_ref(),
        "li.ming".as_ref(),
        "--database".as_ref(),
        cluster.url.as_ref(),
    ])
    .lines()
    .next()
    .unwrap()
    .to_owned();
    let args = ["--database".as_ref(), cluster.url.as_ref()];
    let a = Served::start_with(&args, "info");
    let b = Served::start_with(&args, "info");

    let (_, _, fc) = a
        .send("GET", "/api/collections/streets/items?limit=1", None, None)
        .unwrap();
    let id = fc["features"][0]["id"].as_str().unwrap().to_owned();
    let item = item_path("streets", &id);
    let placement = format!("{item}/placement");
    let lon_on_b = |b: &Served| {
        b.send("GET", &item, None, None)
            .and_then(|(_, _, f)| crate::common::placement(&f)["coordinates"][0].as_f64())
    };

    // A write on A, served by B within 2 s.
    let (status, head, body) = request_with(
        &a.addr,
        "PUT",
        &placement,
        &["If-Match: \"v0\""],
        Some(&token),
        Some(&put_body(106.5712, "A 写入")),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&head, "etag"), Some("\"v1\""));
    let seen = within(Duration::from_secs(2), || lon_on_b(&b) == Some(106.5712));
    assert!(seen.is_some(), "B did not serve A's write within 2 s");
    eprintln!("B served A's write after {:?}", seen.unwrap());

    // A planner on B still holding version 0 loses: 412, and B names the current version.
    let (status, head, body) = request_with(
        &b.addr,
        "PUT",
        &placement,
        &["If-Match: \"v0\""],
        Some(&token),
        Some(&put_body(106.5799, "B 用旧版本写入")),
    )
    .unwrap();
    assert_eq!(status, 412, "{body}");
    assert_eq!(header(&head, "etag"), Some("\"v1\""));

    uploads_and_verdicts_on_b_are_served_by_a(&b, &a, &token);
    outage_keeps_reads_and_writes_resume_after(&cluster, [&a, &b], &token, &item);
}

/// The other kinds of change travel the same way: a report uploaded on B and a verdict given
/// on B are served by A.
fn uploads_and_verdicts_on_b_are_served_by_a(b: &Served, a: &Served, token: &str) {
    let upload = json!({
        "id": "replica-upload-2027",
        "text": "一、2027年工作安排。\n加快戴家巷崖壁步道二期建设。\n",
        "note": "在 B 上传",
    });
    let (status, _, body) = b
        .send("POST", "/api/reports", Some(token), Some(&upload))
        .unwrap();
    assert_eq!(status, 201, "{body}");
    let listed = within(Duration::from_secs(2), || {
        a.send("GET", "/api/reports/replica-upload-2027", None, None)
            .is_some_and(|(s, _, _)| s == 200)
    });
    assert!(listed.is_some(), "A did not serve B's upload within 2 s");
    let verdict = json!({"verdict": "not_place", "note": "泛称，不是地名"});
    let (status, _, body) = b
        .send("PUT", "/api/lexicon/崖壁步道", Some(token), Some(&verdict))
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let judged = within(Duration::from_secs(2), || {
        a.send("GET", "/api/lexicon", None, None)
            .is_some_and(|(_, _, l)| l["verdicts"].to_string().contains("崖壁步道"))
    });
    assert!(judged.is_some(), "A did not serve B's verdict within 2 s");
}

/// Stops the database under two replicas that serve `item` at 106.5712 (version 1), checks
/// reads, the 503 and `/health`, starts it again and checks a write goes through on A and is
/// served by B.
fn outage_keeps_reads_and_writes_resume_after(
    cluster: &Cluster,
    [a, b]: [&Served; 2],
    token: &str,
    item: &str,
) {
    let placement = format!("{item}/placement");
    let lon_on_b = |b: &Served| {
        b.send("GET", item, None, None)
            .and_then(|(_, _, f)| crate::common::placement(&f)["coordinates"][0].as_f64())
    };
    // The database goes away: reads go on from memory on both, writes are 503 with
    // Retry-After, and /health says why.
    cluster.stop();
    for server in [&a, &b] {
        let (status, _, fc) = server
            .send("GET", "/api/collections/streets/items?limit=5", None, None)
            .unwrap();
        assert_eq!(status, 200);
        assert_eq!(fc["features"].as_array().unwrap().len(), 5);
        assert_eq!(lon_on_b(server), Some(106.5712), "the last state is served");
    }
    let (status, head, body) = request_with(
        &a.addr,
        "PUT",
        &placement,
        &["If-Match: \"v1\""],
        Some(token),
        Some(&put_body(106.5720, "数据库停了")),
    )
    .unwrap();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "unavailable");
    assert!(header(&head, "retry-after").is_some(), "{head}");
    for server in [&a, &b] {
        let degraded = within(Duration::from_secs(5), || {
            server
                .send("GET", "/health", None, None)
                .is_some_and(|(s, _, h)| s == 200 && h["store"]["status"] == "unavailable")
        });
        assert!(
            degraded.is_some(),
            "/health never said the store is unavailable"
        );
    }

    // It comes back: a write succeeds within 10 s, with no restart, and B serves it.
    cluster.start_again();
    let written = within(Duration::from_secs(10), || {
        request_with(
            &a.addr,
            "PUT",
            &placement,
            &["If-Match: \"v1\""],
            Some(token),
            Some(&put_body(106.5731, "数据库回来了")),
        )
        .is_some_and(|(s, _, _)| s == 200)
    });
    assert!(
        written.is_some(),
        "no write succeeded within 10 s of the restart"
    );
    eprintln!(
        "a write succeeded {:?} after the database started",
        written.unwrap()
    );
    assert!(
        within(Duration::from_secs(2), || lon_on_b(b) == Some(106.5731)).is_some(),
        "B did not serve the write after the outage"
    );
    let healthy = within(Duration::from_secs(5), || {
        b.send("GET", "/health", None, None)
            .is_some_and(|(_, _, h)| h["store"]["status"] == "ok")
    });
    assert!(healthy.is_some(), "B's /health did not recover");
}

/// Runs `planmap serve --database url` with these further arguments, which must fail; its
/// stderr.
fn serve_fails(url: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database", url])
        .args(args)
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{stderr}");
    stderr
}

#[test]
fn a_replica_started_before_its_database_waits_saying_why_then_serves_once_it_answers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.stop();
    // A password in the URL (the test cluster trusts local connections, so it is not
    // checked): it must appear in no log line, error or answer.
    let url = cluster
        .url
        .replacen("postgres://postgres@", "postgres://postgres:Pw-9f3kq@", 1);
    assert_ne!(url, cluster.url, "{}", cluster.url);
    let port = cluster.port();

    // Bounded: with --database-wait it gives up, naming the database without the password.
    let started = Instant::now();
    let stderr = serve_fails(&url, &["--database-wait", "2"]);
    assert!(
        stderr.contains("could not be reached within 2 s")
            && stderr.contains(&format!("postgres://postgres@127.0.0.1:{port}/")),
        "{stderr}"
    );
    assert!(
        stderr.matches("cannot be reached").count() >= 1,
        "each attempt logged: {stderr}"
    );
    assert!(!stderr.contains("Pw-9f3kq"), "{stderr}");
    eprintln!("gave up after {:?}", started.elapsed());

    // An error that waiting cannot mend (no such database) ends it at once, whatever the wait.
    let shared = crate::pg::database_url().unwrap();
    let wrong = format!("{}/no_such_database", shared.rsplit_once('/').unwrap().0);
    let stderr = serve_fails(&wrong, &[]);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(
        !stderr.contains("cannot be reached"),
        "not retried: {stderr}"
    );

    // Unbounded (the default): it listens, /health says 503 and why, every route is 503
    // with Retry-After, and it keeps trying.
    let replica = Served::start_until(
        &["--database".as_ref(), url.as_ref()],
        "info",
        "listening on http://",
    );
    let (status, _, health) = request_with(&replica.addr, "GET", "/health", &[], None, None)
        .expect("it answers while it waits");
    assert_eq!(status, 503, "{health}");
    assert_eq!(health["status"], "starting");
    assert_eq!(health["ready"], false);
    assert_eq!(
        health["store"]["database"],
        format!("postgres://postgres@127.0.0.1:{port}/planmap_test")
    );
    let (status, head, error) =
        request_with(&replica.addr, "GET", "/api/collections", &[], None, None).unwrap();
    assert_eq!(status, 503, "{error}");
    assert_eq!(error["code"], "starting");
    assert!(header(&head, "retry-after").is_some(), "{head}");
    let retried = within(Duration::from_secs(20), || {
        request_with(&replica.addr, "GET", "/health", &[], None, None)
            .is_some_and(|(_, _, h)| h["store"]["attempts"].as_u64() >= Some(3))
    });
    assert!(retried.is_some(), "no third attempt within 20 s");
    let (_, _, health) = request_with(&replica.addr, "GET", "/health", &[], None, None).unwrap();
    assert!(
        !health["store"]["reason"]
            .as_str()
            .unwrap_or_default()
            .is_empty(),
        "{health}"
    );

    // The database comes up: the replica connects, loads and serves, without a restart.
    cluster.start_again();
    let ready = within(Duration::from_mins(2), || {
        request_with(&replica.addr, "GET", "/health", &[], None, None)
            .is_some_and(|(status, _, _)| status == 200)
    });
    assert!(ready.is_some(), "not ready within 2 min of the database");
    eprintln!("ready {:?} after the database started", ready.unwrap());
    let (status, _, fc) = request_with(
        &replica.addr,
        "GET",
        "/api/collections/zones/items?limit=1",
        &[],
        None,
        None,
    )
    .unwrap();
    assert_eq!(status, 200, "{fc}");
    assert_eq!(fc["numberReturned"], 1);
    let log = replica.log();
    assert!(log.contains("serving http://"), "{log}");
    assert!(log.contains("answers after"), "{log}");
    assert!(!log.contains("Pw-9f3kq"), "{log}");
}
