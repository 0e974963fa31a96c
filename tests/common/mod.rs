//! Shared set-up for integration tests: the atlas built from the repository's own data.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use planmap::atlas::{Atlas, NamedFile};

/// Every file of a repository folder with this extension.
pub fn folder(dir: &str, ext: &str) -> Vec<NamedFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<NamedFile> = std::fs::read_dir(&root)
        .expect("folder exists")
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()?.to_str()? == ext).then(|| NamedFile {
                name: p
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                bytes: std::fs::read(&p).expect("readable"),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The atlas of the repository's geodata and seeds, built once per test binary.
pub fn atlas() -> Arc<Atlas> {
    static ATLAS: OnceLock<Arc<Atlas>> = OnceLock::new();
    ATLAS
        .get_or_init(|| {
            Arc::new(
                Atlas::build(&folder("geodata", "geojson"), &folder("seeds", "txt"))
                    .expect("the default data loads"),
            )
        })
        .clone()
}

/// The app state over [`atlas`], built once per test binary (rendering takes a moment).
#[allow(dead_code)]
pub fn state() -> planmap::api::AppState {
    static STATE: OnceLock<planmap::api::AppState> = OnceLock::new();
    STATE
        .get_or_init(|| planmap::api::AppState::new(atlas()))
        .clone()
}
