//! `planmap token` and `planmap backup` through the built binary, on a throw-away data folder:
//! a token is printed once and never listed, a revoked account shows when, a second valid
//! token for one account is refused, and a backup is a GeoPackage that refuses to be
//! overwritten.

use std::path::Path;
use std::process::{Command, Output};

fn planmap(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .output()
        .expect("planmap runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

#[test]
fn token_add_prints_the_secret_once_and_list_never_shows_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = planmap(dir.path(), &["token", "add", "李工"]);
    assert!(added.status.success(), "{added:?}");
    let secret = stdout(&added)
        .lines()
        .next()
        .expect("a first line")
        .to_owned();
    assert!(secret.starts_with("pmk_") && secret.len() > 40, "{secret}");

    let listed = planmap(dir.path(), &["token", "list"]);
    assert!(listed.status.success());
    let list = stdout(&listed);
    assert!(list.contains("李工\teditor\t"), "{list}");
    assert!(
        !list.contains(&secret[4..]),
        "the secret must never be listed"
    );

    let again = planmap(dir.path(), &["token", "add", "李工"]);
    assert!(
        !again.status.success(),
        "a second valid token for one account"
    );
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(message.contains("李工"), "{message}");
}

#[test]
fn a_revoked_account_is_listed_with_when_it_was_revoked() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(
        planmap(dir.path(), &["token", "add", "张工"])
            .status
            .success()
    );
    let revoked = planmap(dir.path(), &["token", "revoke", "张工"]);
    assert!(revoked.status.success(), "{revoked:?}");
    let list = stdout(&planmap(dir.path(), &["token", "list"]));
    let row = list
        .lines()
        .find(|l| l.starts_with("张工\t"))
        .expect("the account is still listed");
    let revoked_at = row.split('\t').nth(3).expect("a revoked column");
    assert!(revoked_at.starts_with("20"), "{row}");
    assert!(
        !planmap(dir.path(), &["token", "revoke", "无此人"])
            .status
            .success()
    );
}

#[test]
fn backup_writes_a_geopackage_and_never_overwrites_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert!(
        planmap(dir.path(), &["token", "add", "赵工"])
            .status
            .success()
    );
    let copy = dir.path().join("copy.gpkg");
    let copy_arg = copy.to_str().expect("UTF-8 path");
    let made = planmap(dir.path(), &["backup", copy_arg]);
    assert!(made.status.success(), "{made:?}");
    let bytes = std::fs::read(&copy).expect("the copy exists");
    // Every SQLite file starts so; GeoPackage's application id 'GPKG' sits at byte 68.
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert_eq!(&bytes[68..72], b"GPKG");
    let again = planmap(dir.path(), &["backup", copy_arg]);
    assert!(
        !again.status.success(),
        "an existing file must not be overwritten"
    );
}
