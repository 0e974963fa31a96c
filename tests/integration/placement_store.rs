//! What only the GeoPackage store has to show, on real temp folders: token hashes in the file,
//! schema versions, foreign files, read-only folders, a full disk, online backup and what GDAL
//! sees in the file. What every store must do (versions, conflicts, reverts, restarts, tokens,
//! concurrent writers, SIGKILL) is the contract in `store_contract.rs`, run on both stores.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use geo::{Geometry, point};
use planmap::plan::Layer;
use planmap::store::gpkg::{FILE_NAME, GeoPackageStore};
use planmap::store::placement::{Correction, PlacementStore, Role, StoreError};
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
fn tokens_are_stored_in_the_file_only_as_their_hashes() {
    // What every store must do with tokens is the contract's (store_contract.rs); here: no
    // byte of the file or its log holds the secret, and the stored column is its SHA-256.
    let dir = tempfile::tempdir().unwrap();
    let store = GeoPackageStore::open(dir.path()).unwrap();
    let secret = store.add_token("chen.jie", Role::Editor).unwrap();
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
