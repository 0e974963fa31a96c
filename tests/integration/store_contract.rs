//! One contract, two stores (issue #22): every case below runs against the GeoPackage in a
//! temp folder (`on_geopackage::…`) and against a real PostgreSQL + PostGIS
//! (`on_postgres::…`, a schema of its own on the cluster `.ci/postgres` starts): the same
//! writes, conflicts, history, reverts, tokens, change log, reopening, concurrent writers and
//! a SIGKILL of the writer in the middle of a burst must give the same answers.

use std::path::Path;
use std::sync::{Arc, Barrier};

use geo::{Geometry, line_string, point, polygon};
use planmap::plan::Layer;
use planmap::store::changes::{ChangeKind, EditStore, NewReport, Verdict, VerdictKind};
use planmap::store::gpkg::GeoPackageStore;
use planmap::store::placement::{Change, Correction, Role, StoreError, Version};
use planmap::store::postgres::PostgresStore;

use crate::pg::Schema;

/// A store under test, and where it is: `gpkg:DIR` or `pg:URL`, so another handle (a second
/// server, a restart, a child process) can open the same data.
pub struct Fresh {
    pub store: Arc<dyn EditStore>,
    spec: String,
    _dir: Option<tempfile::TempDir>,
    _schema: Option<Schema>,
}

/// Opens the store a spec names.
fn open_spec(spec: &str) -> Arc<dyn EditStore> {
    match spec.split_once(':') {
        Some(("gpkg", dir)) => Arc::new(GeoPackageStore::open(Path::new(dir)).unwrap()),
        Some(("pg", url)) => Arc::new(PostgresStore::open(url).unwrap()),
        _ => panic!("not a store spec: {spec}"),
    }
}

impl Fresh {
    pub fn geopackage() -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        let spec = format!("gpkg:{}", dir.path().display());
        Fresh {
            store: open_spec(&spec),
            spec,
            _dir: Some(dir),
            _schema: None,
        }
    }

    pub fn postgres(label: &str) -> Option<Fresh> {
        let schema = Schema::fresh(label)?;
        let spec = format!("pg:{}", schema.url());
        Some(Fresh {
            store: open_spec(&spec),
            spec,
            _dir: None,
            _schema: Some(schema),
        })
    }

    /// Another handle on the same data.
    pub fn reopen(&self) -> Arc<dyn EditStore> {
        open_spec(&self.spec)
    }
}

/// Each named case becomes `on_geopackage::NAME` and `on_postgres::NAME`.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod on_geopackage {
            $(
                #[test]
                fn $name() {
                    super::$name(&super::Fresh::geopackage());
                }
            )*
        }
        mod on_postgres {
            $(
                #[test]
                fn $name() {
                    if let Some(fresh) = super::Fresh::postgres(stringify!($name)) {
                        super::$name(&fresh);
                    }
                }
            )*
        }
    };
}

contract!(
    a_put_is_version_one_in_history_and_current,
    a_stale_expected_version_is_a_conflict_that_leaves_no_trace,
    a_revert_restores_automatic_placement_and_history_keeps_both,
    points_lines_and_polygons_read_back_exactly_after_reopening,
    an_invalid_correction_is_refused_and_leaves_nothing_behind,
    tokens_verify_until_revoked_and_a_name_has_one_valid_token,
    every_write_appends_one_numbered_change_in_commit_order,
    reports_and_verdicts_keep_their_history,
    two_planners_saving_the_same_version_at_once_get_one_success_and_one_conflict,
    every_acknowledged_write_survives_a_sigkill_of_the_writer,
);

const CHUQIMEN: &str = "yuzhong-2024/streets/chuqimen";

fn correction(feature_id: &str, geometry: Geometry<f64>, note: &str) -> Correction {
    Correction {
        feature_id: feature_id.to_owned(),
        layer: Layer::Streets,
        name: "储奇门".to_owned(),
        geometry,
        uncertainty_m: 40.0,
        source: "渝中区 1:2000 地形图".to_owned(),
        note: note.to_owned(),
        editor: "wang.fang".to_owned(),
    }
}

fn chuqimen_point() -> Geometry<f64> {
    point!(x: 106.5790, y: 29.5520).into()
}

fn a_put_is_version_one_in_history_and_current(f: &Fresh) {
    let store = &f.store;
    let c = correction(CHUQIMEN, chuqimen_point(), "踏勘确认位于储奇门码头上方");
    assert_eq!(store.put(&c, Some(Version::AUTOMATIC)).unwrap(), Version(1));
    let history = store.history(CHUQIMEN).unwrap();
    assert_eq!(history.len(), 1);
    let first = &history[0];
    assert_eq!(
        (first.version, first.change, first.replaced),
        (Version(1), Change::Placed, None)
    );
    assert_eq!(first.geometry, Some(chuqimen_point()));
    assert_eq!(first.uncertainty_m, Some(40.0));
    assert_eq!(first.source.as_deref(), Some("渝中区 1:2000 地形图"));
    assert_eq!(
        (first.editor.as_str(), first.layer),
        ("wang.fang", Layer::Streets)
    );
    // UTC RFC 3339 with milliseconds, on both engines: 2026-03-01T08:30:00.123Z.
    assert_eq!(first.at.len(), 24, "{}", first.at);
    assert!(
        first.at.ends_with('Z') && first.at.as_bytes()[19] == b'.',
        "{}",
        first.at
    );
    let current = store.current().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(
        (
            current[0].feature_id.as_str(),
            current[0].version,
            current[0].at.as_str()
        ),
        (CHUQIMEN, Version(1), first.at.as_str())
    );
    assert_eq!(store.version(CHUQIMEN).unwrap(), Version(1));
    assert_eq!(
        store.version("yuzhong-2024/streets/never").unwrap(),
        Version::AUTOMATIC
    );
}

fn a_stale_expected_version_is_a_conflict_that_leaves_no_trace(f: &Fresh) {
    let store = &f.store;
    store
        .put(
            &correction(CHUQIMEN, chuqimen_point(), "第一位规划师"),
            Some(Version(0)),
        )
        .unwrap();
    let moved: Geometry<f64> = point!(x: 106.5801, y: 29.5515).into();
    let err = store
        .put(
            &correction(CHUQIMEN, moved, "第二位规划师看的是旧版本"),
            Some(Version(0)),
        )
        .unwrap_err();
    match err {
        StoreError::Conflict {
            current, expected, ..
        } => {
            assert_eq!((current, expected), (Version(1), Version(0)));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let err = store
        .revert(CHUQIMEN, "li.na", "按旧版本撤回", Some(Version(3)))
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(
        store.history(CHUQIMEN).unwrap().len(),
        1,
        "the stale writes left no trace"
    );
    assert_eq!(store.current().unwrap()[0].geometry, chuqimen_point());
    let log = store.changes_since(0).unwrap();
    assert_eq!(log.len(), 1, "a refused write appends no change: {log:?}");
}

fn a_revert_restores_automatic_placement_and_history_keeps_both(f: &Fresh) {
    let store = &f.store;
    let v1 = store
        .put(
            &correction(CHUQIMEN, chuqimen_point(), "按地形图标出"),
            None,
        )
        .unwrap();
    let v2 = store
        .revert(CHUQIMEN, "li.na", "原位置更可信，恢复自动定位", Some(v1))
        .unwrap();
    assert_eq!(v2, Version(2));
    assert!(store.current().unwrap().is_empty());
    let history = store.history(CHUQIMEN).unwrap();
    let steps: Vec<_> = history.iter().map(|h| (h.version, h.change)).collect();
    assert_eq!(
        steps,
        vec![(Version(2), Change::Reverted), (Version(1), Change::Placed)]
    );
    assert_eq!(history[0].geometry, None);
    assert_eq!(history[0].replaced, Some(Version(1)));
    assert_eq!(
        (history[0].editor.as_str(), history[0].name.as_str()),
        ("li.na", "储奇门")
    );
    assert!(matches!(
        store.revert(CHUQIMEN, "li.na", "再撤一次", Some(v2)),
        Err(StoreError::NotCorrected { .. })
    ));
    // Placing again continues the numbering: an ETag is never reused.
    assert_eq!(
        store
            .put(
                &correction(CHUQIMEN, chuqimen_point(), "重新标出"),
                Some(v2)
            )
            .unwrap(),
        Version(3)
    );
}

fn points_lines_and_polygons_read_back_exactly_after_reopening(f: &Fresh) {
    let square = polygon![
        (x: 106.5860, y: 29.5640),
        (x: 106.5880, y: 29.5640),
        (x: 106.5880, y: 29.5660),
        (x: 106.5860, y: 29.5660),
    ];
    // Coordinates that need all 17 significant digits to round-trip.
    let street = line_string![(x: 106.570_000_000_000_01, y: 29.552_123_456_789_012), (x: 106.575_1, y: 29.556_1)];
    let mut zone = correction(
        "yuzhong-2024/zones/chaotianmen",
        square.clone().into(),
        "广场范围",
    );
    zone.layer = Layer::Zones;
    "朝天门广场".clone_into(&mut zone.name);
    f.store.put(&zone, None).unwrap();
    f.store
        .put(
            &correction(CHUQIMEN, street.clone().into(), "其实是一条街"),
            None,
        )
        .unwrap();
    let secret = f.store.add_token("zhao.lei", Role::Editor).unwrap();
    let again = f.reopen();
    let current = again.current().unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[0].feature_id, CHUQIMEN, "ordered by feature id");
    assert_eq!(current[0].geometry, Geometry::LineString(street));
    assert_eq!(current[1].geometry, Geometry::Polygon(square));
    assert_eq!(current[1].layer, Layer::Zones);
    assert_eq!(
        again.verify_token(&secret).unwrap().unwrap().name,
        "zhao.lei"
    );
}

fn an_invalid_correction_is_refused_and_leaves_nothing_behind(f: &Fresh) {
    let store = &f.store;
    let mut c = correction(
        CHUQIMEN,
        point!(x: 106.579, y: f64::INFINITY).into(),
        "坐标坏了",
    );
    assert!(matches!(
        store.put(&c, None),
        Err(StoreError::InvalidGeometry { .. })
    ));
    c.geometry = chuqimen_point();
    " ".clone_into(&mut c.note);
    assert!(matches!(
        store.put(&c, None),
        Err(StoreError::EmptyText { field: "note", .. })
    ));
    assert!(store.history(CHUQIMEN).unwrap().is_empty());
    assert_eq!(store.last_change().unwrap(), 0);
}

fn tokens_verify_until_revoked_and_a_name_has_one_valid_token(f: &Fresh) {
    let store = &f.store;
    let secret = store.add_token("chen.jie", Role::Editor).unwrap();
    let other = store.add_token("liu.yang", Role::Editor).unwrap();
    assert!(secret.starts_with("pmk_") && secret.len() == 4 + 64);
    assert_ne!(secret, other);
    assert!(matches!(
        store.add_token("chen.jie", Role::Editor),
        Err(StoreError::AccountExists { .. })
    ));
    assert!(matches!(
        store.add_token("has space", Role::Editor),
        Err(StoreError::InvalidAccountName { .. })
    ));
    let editor = store.verify_token(&secret).unwrap().unwrap();
    assert_eq!(
        (editor.name.as_str(), editor.role),
        ("chen.jie", Role::Editor)
    );
    assert_eq!(store.verify_token("pmk_0000").unwrap(), None);
    store.revoke_token("chen.jie").unwrap();
    assert_eq!(store.verify_token(&secret).unwrap(), None);
    assert_eq!(
        store.verify_token(&other).unwrap().unwrap().name,
        "liu.yang"
    );
    assert!(matches!(
        store.revoke_token("chen.jie"),
        Err(StoreError::UnknownAccount { .. })
    ));
    let again = store.add_token("chen.jie", Role::Editor).unwrap();
    assert_eq!(
        store.verify_token(&again).unwrap().unwrap().name,
        "chen.jie"
    );
    let listed = store.list_tokens().unwrap();
    let rows: Vec<(&str, bool)> = listed
        .iter()
        .map(|t| (t.name.as_str(), t.revoked_at.is_some()))
        .collect();
    assert_eq!(
        rows,
        [("chen.jie", true), ("liu.yang", false), ("chen.jie", false)]
    );
}

fn upload(id: &str) -> NewReport {
    NewReport {
        id: id.to_owned(),
        text: "推进十八梯传统风貌区二期建设。加快山城巷步道修缮。".to_owned(),
        title: Some("渝中区城市更新工作要点".to_owned()),
        district: Some("渝中区".to_owned()),
        year: Some(2027),
        kind: None,
        editor: "li.ming".to_owned(),
        note: "区政府来文".to_owned(),
    }
}

fn every_write_appends_one_numbered_change_in_commit_order(f: &Fresh) {
    let store = &f.store;
    let v1 = store
        .put(&correction(CHUQIMEN, chuqimen_point(), "标出码头"), None)
        .unwrap();
    store.revert(CHUQIMEN, "li.na", "撤回", Some(v1)).unwrap();
    store.add_report(&upload("yuzhong-2027-renewal")).unwrap();
    let verdict = Verdict {
        name: "山城巷".to_owned(),
        verdict: VerdictKind::Place,
        layer: Some(Layer::Streets),
        kind: Some("巷".to_owned()),
        note: "是一条巷子".to_owned(),
        editor: "li.na".to_owned(),
    };
    let last = store.set_verdict(&verdict).unwrap();
    let log = store.changes_since(0).unwrap();
    let kinds: Vec<(u64, ChangeKind, &str)> = log
        .iter()
        .map(|c| (c.number, c.kind, c.key.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            (1, ChangeKind::Placed, CHUQIMEN),
            (2, ChangeKind::Reverted, CHUQIMEN),
            (3, ChangeKind::ReportAdded, "yuzhong-2027-renewal"),
            (4, ChangeKind::VerdictSet, "山城巷"),
        ]
    );
    assert_eq!(
        (log[1].who.as_str(), log[1].why.as_str()),
        ("li.na", "撤回")
    );
    assert_eq!(last.number, 4);
    assert_eq!(store.last_change().unwrap(), 4);
    let rest: Vec<u64> = store
        .changes_since(2)
        .unwrap()
        .iter()
        .map(|c| c.number)
        .collect();
    assert_eq!(rest, [3, 4]);
    assert!(store.changes_since(4).unwrap().is_empty());
}

fn reports_and_verdicts_keep_their_history(f: &Fresh) {
    let store = &f.store;
    let added = store.add_report(&upload("yuzhong-2027-renewal")).unwrap();
    assert!(matches!(
        store.add_report(&upload("yuzhong-2027-renewal")),
        Err(StoreError::DuplicateReport { .. })
    ));
    let stored = store
        .stored_report("yuzhong-2027-renewal")
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.change, stored.report.year),
        (added.number, Some(2027))
    );
    store
        .remove_report("yuzhong-2027-renewal", "li.ming", "重复上传")
        .unwrap();
    assert!(store.stored_reports().unwrap().is_empty());
    assert!(matches!(
        store.remove_report("yuzhong-2027-renewal", "li.ming", "再删一次"),
        Err(StoreError::UnknownStoredReport { .. })
    ));
    // The id is free again once the upload is removed.
    let again = store.add_report(&upload("yuzhong-2027-renewal")).unwrap();
    // The removed row is listed with who took it out, when and why; the live one is not.
    let removed = store.removed_reports().unwrap();
    assert_eq!(removed.len(), 1);
    let gone = removed[0].removed.as_ref().unwrap();
    assert_eq!(
        (gone.by.as_str(), gone.note.as_str()),
        ("li.ming", "重复上传")
    );
    assert!(gone.change > added.number && gone.change < again.number);
    assert_eq!(removed[0].stored.change, added.number);
    assert_eq!(removed[0].stored.report.year, Some(2027));
    let not_place = Verdict {
        name: "城市更新".to_owned(),
        verdict: VerdictKind::NotPlace,
        layer: None,
        kind: None,
        note: "不是地名".to_owned(),
        editor: "li.na".to_owned(),
    };
    store.set_verdict(&not_place).unwrap();
    assert_eq!(store.verdicts().unwrap().len(), 1);
    store
        .remove_verdict("城市更新", "li.na", "撤回判断")
        .unwrap();
    assert!(store.verdicts().unwrap().is_empty());
    assert!(matches!(
        store.remove_verdict("城市更新", "li.na", "再撤"),
        Err(StoreError::NoVerdict { .. })
    ));
    let history: Vec<Option<VerdictKind>> = store
        .verdict_history()
        .unwrap()
        .iter()
        .map(|v| v.verdict)
        .collect();
    assert_eq!(history, [None, Some(VerdictKind::NotPlace)], "newest first");
}

fn two_planners_saving_the_same_version_at_once_get_one_success_and_one_conflict(f: &Fresh) {
    // Two handles are two connections, as two servers would be: the version check and the
    // write must be one step for exactly one of them to win.
    let stores = [f.reopen(), f.reopen()];
    for round in 0..10u32 {
        let expected = stores[0].version(CHUQIMEN).unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = stores
            .iter()
            .zip([0.0, 0.00005])
            .map(|(store, offset)| {
                let store = Arc::clone(store);
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    let lat = 29.55 + f64::from(round) * 0.0001 + offset;
                    let c = correction(CHUQIMEN, point!(x: 106.579, y: lat).into(), "同时保存");
                    barrier.wait();
                    store.put(&c, Some(expected))
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let wins = results.iter().filter(|r| r.is_ok()).count();
        let conflicts = results
            .iter()
            .filter(|r| matches!(r, Err(StoreError::Conflict { .. })))
            .count();
        assert_eq!((wins, conflicts), (1, 1), "round {round}: {results:?}");
    }
    assert_eq!(f.store.history(CHUQIMEN).unwrap().len(), 10);
    assert_eq!(f.store.last_change().unwrap(), 10);
}

/// Set by the SIGKILL case for its child process: the spec of the store the child writes to.
const KILL_SPEC_VAR: &str = "PLANMAP_STORE_KILL_SPEC";

#[test]
#[ignore = "the child half of every_acknowledged_write_survives_a_sigkill_of_the_writer"]
fn sigkill_child_writes_until_killed() {
    use std::io::Write as _;
    let Ok(spec) = std::env::var(KILL_SPEC_VAR) else {
        return;
    };
    let store = open_spec(&spec);
    let mut out = std::io::stdout().lock();
    for i in 0..100_000u32 {
        let id = format!("yuzhong-2024/projects/k{i:05}");
        let lon = 106.55 + f64::from(i % 1000) * 0.00005;
        store
            .put(
                &correction(&id, point!(x: lon, y: 29.55).into(), "连续写入直到被杀"),
                None,
            )
            .unwrap();
        // Printed only after put returned: this line is the acknowledgement.
        writeln!(out, "ack {id}").unwrap();
        out.flush().unwrap();
    }
}

fn every_acknowledged_write_survives_a_sigkill_of_the_writer(f: &Fresh) {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            // A filter, not --exact: the test's full name depends on the module it sits in.
            "sigkill_child_writes_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(KILL_SPEC_VAR, &f.spec)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acknowledged = Vec::new();
    while acknowledged.len() < 60 {
        let line = lines
            .next()
            .expect("the child stopped before writing")
            .unwrap();
        if let Some(id) = line.strip_prefix("ack ") {
            acknowledged.push(id.to_owned());
        }
    }
    // SIGKILL: no destructor, no checkpoint, no clean close; PostgreSQL sees the connection
    // drop in the middle of a transaction.
    child.kill().unwrap();
    child.wait().unwrap();
    // Acknowledgements already in the pipe when the child died count too.
    acknowledged.extend(
        lines
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("ack ").map(str::to_owned)),
    );
    let store = f.reopen();
    let current = store.current().unwrap();
    let stored: std::collections::HashSet<&str> =
        current.iter().map(|c| c.feature_id.as_str()).collect();
    for id in &acknowledged {
        assert!(stored.contains(id.as_str()), "acknowledged {id} was lost");
    }
    // At most the one write in flight may have landed without its acknowledgement, and no
    // write is half there: every live row has exactly its one version and its one change.
    assert!(current.len() <= acknowledged.len() + 1);
    for c in &current {
        let history = store.history(&c.feature_id).unwrap();
        assert_eq!(history.len(), 1, "{}", c.feature_id);
        assert_eq!((history[0].version, c.version), (Version(1), Version(1)));
    }
    assert_eq!(store.last_change().unwrap(), current.len() as u64);
}
