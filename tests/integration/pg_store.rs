//! What only the PostgreSQL store has to show (issue #22): servers starting together migrate
//! once; tokens are kept as hashes; `planmap migrate` copies a GeoPackage store verified by
//! counts and checksum and `planmap backup --database` writes it back as a GeoPackage; GDAL
//! opens the corrections as PostGIS layers. (The SIGKILL of a writer mid-burst is in the
//! contract, `store_contract.rs`, for both stores.)

use std::process::Command;

use geo::point;
use planmap::plan::Layer;
use planmap::store::changes::{ChangeStore, NewReport, Verdict, VerdictKind};
use planmap::store::gpkg::GeoPackageStore;
use planmap::store::placement::{Correction, PlacementStore, Role, Version};
use planmap::store::postgres::PostgresStore;

use crate::crash::planmap_ok;
use crate::pg::{Schema, psql};

fn correction(i: u32, note: &str) -> Correction {
    Correction {
        feature_id: format!("yuzhong-2024/projects/p{i:05}"),
        layer: Layer::Projects,
        name: "国泰艺术中心".to_owned(),
        geometry: point!(x: 106.55 + f64::from(i % 1000) * 0.000_05, y: 29.5585).into(),
        uncertainty_m: 15.0,
        source: "竣工测量图".to_owned(),
        note: note.to_owned(),
        editor: "zhou.min".to_owned(),
    }
}

#[test]
fn servers_starting_together_on_an_empty_database_migrate_it_once() {
    let Some(schema) = Schema::fresh("migrate_once") else {
        return;
    };
    let url = schema.url();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PostgresStore::open(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let applied = psql(
        &schema.base,
        &format!("SELECT count(*) FROM {}.planmap_schema", schema.name),
    );
    assert_eq!(applied, "1");
    // Opening again finds nothing to do and keeps what is there.
    let store = PostgresStore::open(&url).unwrap();
    store.put(&correction(1, "迁移之后写入"), None).unwrap();
    drop(store);
    let store = PostgresStore::open(&url).unwrap();
    assert_eq!(store.current().unwrap().len(), 1);
}

#[test]
fn a_database_of_a_newer_planmap_is_refused_naming_both_versions() {
    let Some(schema) = Schema::fresh("newer_schema") else {
        return;
    };
    drop(PostgresStore::open(&schema.url()).unwrap());
    psql(
        &schema.base,
        &format!(
            "INSERT INTO {}.planmap_schema (version) VALUES (99)",
            schema.name
        ),
    );
    let err = PostgresStore::open(&schema.url()).unwrap_err().to_string();
    assert!(
        err.contains("99") && err.contains("upgrade planmap"),
        "{err}"
    );
}

#[test]
fn tokens_are_stored_in_postgres_only_as_their_hashes() {
    let Some(schema) = Schema::fresh("token_hashes") else {
        return;
    };
    let store = PostgresStore::open(&schema.url()).unwrap();
    let secret = store.add_token("chen.jie", Role::Editor).unwrap();
    let stored = psql(
        &schema.base,
        &format!("SELECT token_sha256 FROM {}.accounts", schema.name),
    );
    assert_eq!(stored, planmap::store::secret::hash_secret(&secret));
    let everything = psql(
        &schema.base,
        &format!(
            "SELECT row_to_json(a)::text FROM {}.accounts a",
            schema.name
        ),
    );
    assert!(!everything.contains(&secret), "{everything}");
}

/// A GeoPackage store with a bit of everything: corrections with history, a revoked and a
/// valid account, an upload, a removed upload and a withdrawn verdict.
fn filled_geopackage(dir: &std::path::Path) -> GeoPackageStore {
    let store = GeoPackageStore::open(dir).unwrap();
    for i in 0..20 {
        store.put(&correction(i, "批量校正"), None).unwrap();
    }
    store
        .revert(
            "yuzhong-2024/projects/p00003",
            "li.na",
            "恢复自动定位",
            Some(Version(1)),
        )
        .unwrap();
    store.add_token("old.hand", Role::Editor).unwrap();
    store.revoke_token("old.hand").unwrap();
    store.add_token("li.na", Role::Editor).unwrap();
    let upload = |id: &str| NewReport {
        id: id.to_owned(),
        text: "推进白象街传统风貌区保护利用。".to_owned(),
        title: None,
        district: Some("渝中区".to_owned()),
        year: Some(2026),
        kind: Some("工作要点".to_owned()),
        editor: "li.na".to_owned(),
        note: "街道来文".to_owned(),
    };
    store.add_report(&upload("baixiangjie-2026")).unwrap();
    store.add_report(&upload("baixiangjie-draft")).unwrap();
    store
        .remove_report("baixiangjie-draft", "li.na", "草稿作废")
        .unwrap();
    let verdict = Verdict {
        name: "传统风貌区".to_owned(),
        verdict: VerdictKind::NotPlace,
        layer: None,
        kind: None,
        note: "泛称".to_owned(),
        editor: "li.na".to_owned(),
    };
    store.set_verdict(&verdict).unwrap();
    store.remove_verdict("传统风貌区", "li.na", "再议").unwrap();
    store
}

#[test]
fn migrate_copies_a_geopackage_store_and_backup_brings_back_the_same_checksum() {
    let Some(schema) = Schema::fresh("migrate_backup") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let original = filled_geopackage(&data).snapshot().unwrap();
    let url = schema.url();
    let said = planmap_ok(&[
        "migrate".as_ref(),
        "--from".as_ref(),
        data.as_os_str(),
        "--to".as_ref(),
        url.as_ref(),
    ]);
    assert!(said.contains(&original.checksum()), "{said}");
    assert!(
        said.contains("19 live correction(s), 21 version(s), 2 account(s)"),
        "{said}"
    );

    let pg = PostgresStore::open(&url).unwrap();
    assert_eq!(pg.snapshot().unwrap().checksum(), original.checksum());
    // The copy goes on numbering changes after the copied ones.
    let next = pg.put(&correction(100, "迁移后第一笔"), None).unwrap();
    assert_eq!(next, Version(1));
    assert_eq!(pg.last_change().unwrap(), original.changes.len() as u64 + 1);
    // A second migrate into the same database is refused: a copy never merges.
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["migrate", "--from"])
        .arg(&data)
        .args(["--to", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty store"));

    let backup = dir.path().join("pg-backup.gpkg");
    planmap_ok(&[
        "backup".as_ref(),
        backup.as_os_str(),
        "--database".as_ref(),
        url.as_ref(),
    ]);
    let restored = dir.path().join("restored");
    std::fs::create_dir(&restored).unwrap();
    std::fs::rename(&backup, restored.join(planmap::store::gpkg::FILE_NAME)).unwrap();
    let back = GeoPackageStore::open(&restored).unwrap();
    assert_eq!(
        back.snapshot().unwrap().checksum(),
        pg.snapshot().unwrap().checksum()
    );
    assert_eq!(back.current().unwrap().len(), 20);
}

#[test]
fn ogrinfo_lists_the_corrections_and_their_history_as_postgis_layers_in_epsg_4326() {
    let Some(schema) = Schema::fresh("ogrinfo") else {
        return;
    };
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        eprintln!("notice: ogrinfo is not installed; GDAL check skipped (CI installs gdal-bin)");
        return;
    }
    let store = PostgresStore::open(&schema.url()).unwrap();
    store.put(&correction(7, "给 GDAL 看"), None).unwrap();
    store
        .revert("yuzhong-2024/projects/p00007", "zhou.min", "撤回", None)
        .unwrap();
    store.put(&correction(7, "再次标出"), None).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("ogrinfo")
            .args(["-ro", "-so", &schema.ogr_name()])
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        text
    };
    let listing = run(&[]);
    assert!(listing.contains(": corrections\n"), "{listing}");
    assert!(listing.contains(": correction_history\n"), "{listing}");
    let live = run(&["corrections"]);
    assert!(live.contains("Feature Count: 1"), "{live}");
    assert!(live.contains("ID[\"EPSG\",4326]"), "{live}");
    assert!(live.contains("Geometry Column NOT NULL = geom"), "{live}");
    let history = run(&["correction_history"]);
    assert!(history.contains("Feature Count: 3"), "{history}");
}
