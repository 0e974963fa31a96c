//! The GeoPackage placement store on real temp folders: versions, conflicts, reverts, restarts,
//! tokens, schema versions, read-only folders, online backup and what GDAL sees in the file.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use geo::{Geometry, line_string, point, polygon};
use planmap::plan::Layer;
use planmap::store::gpkg::{FILE_NAME, GeoPackageStore};
use planmap::store::placement::{Change, Correction, PlacementStore, Role, StoreError, Version};
use rusqlite::Connection;

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

const CHUQIMEN: &str = "yuzhong-2024/streets/chuqimen";

fn chuqimen_point() -> Geometry<f64> {
    point!(x: 106.5790, y: 29.5520).into()
}

#[test]
fn a_put_correction_appears_in_history_and_current() {
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
    let v = store
        .put(
            &correction(CHUQIMEN, chuqimen_point(), "踏勘确认位于储奇门码头上方"),
            Some(Version::AUTOMATIC),
        )
        .unwrap();
    assert_eq!(v, Version(1));
    let history = store.history(CHUQIMEN).unwrap();
    assert_eq!(history.len(), 1);
    let first = &history[0];
    assert_eq!(first.change, Change::Placed);
    assert_eq!(first.geometry, Some(chuqimen_point()));
    assert_eq!(first.uncertainty_m, Some(40.0));
    assert_eq!(first.source.as_deref(), Some("渝中区 1:2000 地形图"));
    assert_eq!(first.editor, "wang.fang");
    assert_eq!(first.replaced, None);
    assert!(
        first.at.ends_with('Z') && first.at.contains('T'),
        "{}",
        first.at
    );
    let current = store.current().unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].feature_id, CHUQIMEN);
    assert_eq!(current[0].layer, Layer::Streets);
    assert_eq!(current[0].version, Version(1));
    assert_eq!(store.version(CHUQIMEN).unwrap(), Version(1));
}

#[test]
fn a_stale_expected_version_is_a_conflict_naming_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
    store
        .put(
            &correction(CHUQIMEN, chuqimen_point(), "第一位规划师"),
            Some(Version::AUTOMATIC),
        )
        .unwrap();
    let moved: Geometry<f64> = point!(x: 106.5801, y: 29.5515).into();
    let err = store
        .put(
            &correction(CHUQIMEN, moved, "第二位规划师看的是旧版本"),
            Some(Version::AUTOMATIC),
        )
        .unwrap_err();
    match err {
        StoreError::Conflict {
            current, expected, ..
        } => assert_eq!((current, expected), (Version(1), Version(0))),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store.history(CHUQIMEN).unwrap().len(),
        1,
        "the stale write left no trace"
    );
}

#[test]
fn a_revert_restores_automatic_placement_and_history_keeps_both() {
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
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
    assert_eq!(
        history
            .iter()
            .map(|h| (h.version, h.change))
            .collect::<Vec<_>>(),
        vec![(Version(2), Change::Reverted), (Version(1), Change::Placed)]
    );
    assert_eq!(history[0].geometry, None);
    assert_eq!(history[0].replaced, Some(Version(1)));
    assert_eq!(history[0].editor, "li.na");
    assert!(matches!(
        store.revert(CHUQIMEN, "li.na", "再撤一次", Some(v2)),
        Err(StoreError::NotCorrected { .. })
    ));
}

#[test]
fn reopening_the_folder_keeps_corrections_history_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let secret;
    {
        let store = GeoPackageStore::open(dir.path()).unwrap();
        let square = polygon![
            (x: 106.5860, y: 29.5640),
            (x: 106.5880, y: 29.5640),
            (x: 106.5880, y: 29.5660),
            (x: 106.5860, y: 29.5660),
        ];
        let mut zone = correction("yuzhong-2024/zones/chaotianmen", square.into(), "广场范围");
        zone.layer = Layer::Zones;
        zone.name = "朝天门广场".to_owned();
        store.put(&zone, None).unwrap();
        store
            .put(&correction(CHUQIMEN, chuqimen_point(), "码头"), None)
            .unwrap();
        let street = line_string![(x: 106.5700, y: 29.5520), (x: 106.5750, y: 29.5560)];
        store
            .put(
                &correction(CHUQIMEN, street.into(), "其实是一条街"),
                Some(Version(1)),
            )
            .unwrap();
        secret = store.add_token("zhao.lei", Role::Editor).unwrap();
    }
    let store = GeoPackageStore::open(dir.path()).unwrap();
    let current = store.current().unwrap();
    assert_eq!(current.len(), 2);
    assert_eq!(current[0].feature_id, CHUQIMEN);
    assert!(matches!(current[0].geometry, Geometry::LineString(_)));
    assert!(matches!(current[1].geometry, Geometry::Polygon(_)));
    assert_eq!(current[1].layer, Layer::Zones);
    assert_eq!(store.history(CHUQIMEN).unwrap().len(), 2);
    assert_eq!(store.version(CHUQIMEN).unwrap(), Version(2));
    assert_eq!(
        store.verify_token(&secret).unwrap().unwrap().name,
        "zhao.lei"
    );
}

#[test]
fn an_invalid_correction_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
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
    c.note = " ".to_owned();
    assert!(matches!(
        store.put(&c, None),
        Err(StoreError::EmptyText { field: "note", .. })
    ));
    assert!(store.history(CHUQIMEN).unwrap().is_empty());
}

#[test]
fn tokens_are_stored_as_hashes_and_a_revoked_token_no_longer_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
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

    // Nothing in the file contains the secret; the stored column is its SHA-256.
    let raw = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
    let wal = std::fs::read(dir.path().join(format!("{FILE_NAME}-wal"))).unwrap_or_default();
    for bytes in [&raw, &wal] {
        assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
    }
    let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT token_sha256 FROM accounts WHERE name = 'chen.jie'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, planmap::store::gpkg::tokens::hash_secret(&secret));
    assert_ne!(stored, secret);

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
    let listed = store.list_tokens().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed[0].revoked_at.is_some() && listed[1].revoked_at.is_none());
    // A revoked name can be given a new token; the old row stays for the audit trail.
    let again = store.add_token("chen.jie", Role::Editor).unwrap();
    assert_eq!(
        store.verify_token(&again).unwrap().unwrap().name,
        "chen.jie"
    );
    assert_eq!(store.list_tokens().unwrap().len(), 3);
}

#[test]
fn a_file_with_a_newer_schema_version_is_refused_naming_file_and_versions() {
    let dir = tempfile::tempdir().unwrap();
    drop(GeoPackageStore::open(dir.path()).unwrap());
    let path = dir.path().join(FILE_NAME);
    Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE planmap_meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
    let err = GeoPackageStore::open(dir.path()).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 99,
                supported: 2,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains("99"),
        "{message}"
    );
}

#[test]
fn a_sqlite_file_of_another_application_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE plots (id INTEGER PRIMARY KEY, owner TEXT);")
        .unwrap();
    assert!(matches!(
        GeoPackageStore::open(dir.path()),
        Err(StoreError::Corrupt { .. })
    ));
}

#[test]
fn a_fresh_file_is_a_geopackage_with_both_feature_tables_in_epsg_4326() {
    let dir = tempfile::tempdir().unwrap();
    drop(GeoPackageStore::open(dir.path()).unwrap());
    let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let user: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        (app.to_be_bytes(), user, mode.as_str()),
        (*b"GPKG", 10300, "wal")
    );
    let mut stmt = conn
        .prepare(
            "SELECT c.table_name, c.data_type, g.geometry_type_name, g.srs_id
             FROM gpkg_contents c LEFT JOIN gpkg_geometry_columns g USING (table_name)
             ORDER BY c.table_name",
        )
        .unwrap();
    let rows: Vec<(String, String, Option<String>, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let features: Vec<_> = rows.iter().filter(|r| r.1 == "features").collect();
    assert_eq!(features.len(), 2);
    for (name, _, kind, srs) in features {
        assert!(name == "corrections" || name == "correction_history");
        assert_eq!((kind.as_deref(), *srs), (Some("GEOMETRY"), Some(4326)));
    }
    assert!(
        rows.iter()
            .any(|r| r.0 == "accounts" && r.1 == "attributes")
    );
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let fk: Option<String> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .ok();
    assert_eq!(fk, None);
}

/// Makes a folder unwritable for the current user: `chattr +i` (which binds root too), or
/// `chmod 555` when chattr is not permitted (a normal user, where chmod is enough). Undoes it
/// on drop so the temp folder can be removed.
struct ReadOnlyFolder<'a> {
    dir: &'a Path,
    chattr: bool,
}

impl<'a> ReadOnlyFolder<'a> {
    fn new(dir: &'a Path) -> Option<Self> {
        let chattr = Command::new("chattr")
            .arg("+i")
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        if !chattr {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).ok()?;
        }
        let guard = ReadOnlyFolder { dir, chattr };
        // Proof the folder is really read-only for us; otherwise the test cannot say anything.
        let probe = dir.join("probe");
        if std::fs::write(&probe, b"x").is_ok() {
            let _ = std::fs::remove_file(probe);
            return None;
        }
        Some(guard)
    }
}

impl Drop for ReadOnlyFolder<'_> {
    fn drop(&mut self) {
        if self.chattr {
            let _ = Command::new("chattr").arg("-i").arg(self.dir).status();
        } else {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(0o755));
        }
    }
}

#[test]
fn a_read_only_data_folder_is_unavailable_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    {
        let store = GeoPackageStore::open(&data).unwrap();
        store
            .put(
                &correction(CHUQIMEN, chuqimen_point(), "只读之前写入"),
                None,
            )
            .unwrap();
    }
    let Some(_guard) = ReadOnlyFolder::new(&data) else {
        eprintln!(
            "notice: cannot make a read-only folder here (no chattr, no chmod effect); skipped"
        );
        return;
    };
    match GeoPackageStore::open(&data) {
        // SQLite cannot create its -wal and -shm files beside the database.
        // SQLite cannot create its -wal and -shm files beside the database.
        Err(StoreError::Unavailable { path, .. }) => assert!(path.starts_with(&data)),
        Ok(store) => {
            // SQLite may open the file read-only; then the write is what must fail.
            let err = store
                .put(&correction(CHUQIMEN, chuqimen_point(), "只读时写入"), None)
                .unwrap_err();
            assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
        }
        Err(other) => panic!("expected Unavailable, got {other:?}"),
    }
    // Serving goes on from the same folder: reads work, writes answer Unavailable (503).
    let store = GeoPackageStore::open_read_only(&data).unwrap();
    assert_eq!(store.current().unwrap().len(), 1);
    assert_eq!(store.history(CHUQIMEN).unwrap().len(), 1);
    let err = store
        .put(&correction(CHUQIMEN, chuqimen_point(), "只读时写入"), None)
        .unwrap_err();
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
    assert!(matches!(
        store.add_token("zhou.min", Role::Editor),
        Err(StoreError::Unavailable { .. })
    ));
    let nested = data.join("new-folder");
    assert!(matches!(
        GeoPackageStore::open(&nested),
        Err(StoreError::Unavailable { .. })
    ));
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_consistent_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = Arc::new(GeoPackageStore::open(&data).unwrap());
    for i in 0..50 {
        let id = format!("yuzhong-2024/projects/p{i:03}");
        let lon = 106.56 + f64::from(i) * 0.0002;
        store
            .put(
                &correction(&id, point!(x: lon, y: 29.55).into(), "批量校正"),
                None,
            )
            .unwrap();
    }
    // A second store on the same folder is another connection, as `planmap token` or a
    // second process would be; it writes while the first one backs up.
    let writer = GeoPackageStore::open(&data).unwrap();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let handle = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || n < 20 {
                let lat = 29.55 + f64::from(n % 100) * 0.0001;
                let c = correction(CHUQIMEN, point!(x: 106.579, y: lat).into(), "并发写入");
                writer.put(&c, None).unwrap();
                n += 1;
            }
            n
        })
    };
    let target = dir.path().join("copy.gpkg");
    store.backup(&target).unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = handle.join().unwrap();
    assert!(written >= 20);

    // The copy opens as a store on its own, passes SQLite's integrity check and holds a
    // single snapshot: the live row's version equals the newest history version.
    let copy_dir = dir.path().join("restored");
    std::fs::create_dir(&copy_dir).unwrap();
    std::fs::rename(&target, copy_dir.join(FILE_NAME)).unwrap();
    let conn = Connection::open(copy_dir.join(FILE_NAME)).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "a backup is one self-contained file");
    drop(conn);
    let restored = GeoPackageStore::open(&copy_dir).unwrap();
    let current = restored.current().unwrap();
    assert!(current.len() >= 50);
    for c in &current {
        let newest = restored.history(&c.feature_id).unwrap()[0].version;
        assert_eq!(c.version, newest, "{}", c.feature_id);
    }
    assert!(matches!(
        store.backup(&copy_dir.join(FILE_NAME)),
        Err(StoreError::BackupTargetExists { .. })
    ));
}

#[test]
fn ogrinfo_lists_both_feature_tables_with_geometry_and_epsg_4326() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        eprintln!("notice: ogrinfo is not installed; GDAL check skipped (CI installs gdal-bin)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
    store
        .put(&correction(CHUQIMEN, chuqimen_point(), "给 GDAL 看"), None)
        .unwrap();
    store
        .revert(CHUQIMEN, "wang.fang", "撤回以产生历史", None)
        .unwrap();
    store
        .put(&correction(CHUQIMEN, chuqimen_point(), "再次标出"), None)
        .unwrap();
    let file = dir.path().join(FILE_NAME);
    let run = |args: &[&str]| {
        let out = Command::new("ogrinfo")
            .args(args)
            .arg(&file)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        // GDAL warns, among others, when the header's application_id is not 'GPKG'.
        assert!(
            !text.contains("Warning") && !text.contains("ERROR"),
            "{text}"
        );
        text
    };
    let listing = run(&["-ro", "-so"]);
    assert!(listing.contains("corrections"), "{listing}");
    assert!(listing.contains("correction_history"), "{listing}");
    for layer in ["corrections", "correction_history"] {
        let out = Command::new("ogrinfo")
            .args(["-ro", "-so"])
            .arg(&file)
            .arg(layer)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        assert!(text.contains("Geometry: Unknown (any)"), "{layer}: {text}");
        assert!(text.contains("ID[\"EPSG\",4326]"), "{layer}: {text}");
        assert!(
            !text.contains("ERROR") && !text.contains("Warning"),
            "{layer}: {text}"
        );
    }
    let counts = run(&["-ro", "-al", "-so"]);
    assert!(counts.contains("Feature Count: 1"), "{counts}");
    assert!(counts.contains("Feature Count: 3"), "{counts}");
}

#[test]
fn a_write_ahead_log_on_a_full_device_makes_the_store_unavailable_and_keeps_earlier_writes() {
    // Root-proof stand-in for a full disk: the write-ahead log is a link to /dev/full (every
    // write fails with ENOSPC). SQLite already refuses such a log when opening, so this checks
    // the opening path (a 503, not a crash) and that nothing stored before is lost; the
    // mapping of SQLITE_FULL during a write itself is covered by the unit test of db_error.
    if !Path::new("/dev/full").exists() {
        eprintln!("notice: no /dev/full on this system; disk-full check skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    {
        let store = GeoPackageStore::open(dir.path()).unwrap();
        store
            .put(
                &correction(CHUQIMEN, chuqimen_point(), "磁盘满之前写入"),
                None,
            )
            .unwrap();
    }
    let wal = dir.path().join(format!("{FILE_NAME}-wal"));
    assert!(
        !wal.exists(),
        "a clean close checkpoints and removes the log"
    );
    std::os::unix::fs::symlink("/dev/full", &wal).unwrap();
    let outcome = GeoPackageStore::open(dir.path()).and_then(|store| {
        let moved: Geometry<f64> = point!(x: 106.5801, y: 29.5515).into();
        store.put(&correction(CHUQIMEN, moved, "磁盘满时写入"), None)
    });
    let err = outcome.unwrap_err();
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err:?}");
    std::fs::remove_file(&wal).unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
    let history = store.history(CHUQIMEN).unwrap();
    assert_eq!(history.len(), 1, "the failed write left no version");
    assert_eq!(history[0].geometry, Some(chuqimen_point()));
}

#[test]
fn two_planners_saving_the_same_version_at_once_get_one_success_and_one_conflict() {
    let dir = tempfile::tempdir().unwrap();
    // Two stores on one folder are two connections, as two server processes would be; the
    // version check and the write must be one step for exactly one of them to win.
    let stores = [
        Arc::new(GeoPackageStore::open(dir.path()).unwrap()),
        Arc::new(GeoPackageStore::open(dir.path()).unwrap()),
    ];
    for round in 0..20u32 {
        let expected = stores[0].version(CHUQIMEN).unwrap();
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let handles: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(who, store)| {
                let store = Arc::clone(store);
                let barrier = Arc::clone(&barrier);
                std::thread::spawn(move || {
                    let lat = 29.55
                        + f64::from(round) * 0.0001
                        + f64::from(u8::try_from(who).unwrap()) * 0.00005;
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
    assert_eq!(stores[1].history(CHUQIMEN).unwrap().len(), 20);
}

/// Set by the SIGKILL test for its child process: the folder the child writes into.
const KILL_DIR_VAR: &str = "PLANMAP_STORE_KILL_TEST_DIR";

#[test]
#[ignore = "the child half of every_acknowledged_write_survives_a_sigkill_of_the_writer"]
fn sigkill_child_writes_until_killed() {
    use std::io::Write as _;
    let Some(dir) = std::env::var_os(KILL_DIR_VAR) else {
        return;
    };
    let store = GeoPackageStore::open(Path::new(&dir)).unwrap();
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

#[test]
fn every_acknowledged_write_survives_a_sigkill_of_the_writer() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            // A filter, not --exact: the test's full name depends on the module it sits in.
            "sigkill_child_writes_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(KILL_DIR_VAR, dir.path())
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
    child.kill().unwrap(); // SIGKILL: no destructor, no checkpoint, no clean close
    child.wait().unwrap();
    // Acknowledgements already in the pipe when the child died count too.
    acknowledged.extend(
        lines
            .map_while(Result::ok)
            .filter_map(|l| l.strip_prefix("ack ").map(str::to_owned)),
    );

    let store = GeoPackageStore::open(dir.path()).unwrap();
    let current = store.current().unwrap();
    let stored: std::collections::HashSet<&str> =
        current.iter().map(|c| c.feature_id.as_str()).collect();
    for id in &acknowledged {
        assert!(stored.contains(id.as_str()), "acknowledged {id} was lost");
    }
    // At most the one write in flight may have landed without its acknowledgement, and no
    // write is half there: every live row has exactly its one history version.
    assert!(current.len() <= acknowledged.len() + 1);
    for c in &current {
        let history = store.history(&c.feature_id).unwrap();
        assert_eq!(history.len(), 1, "{}", c.feature_id);
        assert_eq!((history[0].version, c.version), (Version(1), Version(1)));
    }
}
