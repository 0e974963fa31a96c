//! Installs the web page's npm dependencies (Leaflet) when they are missing, because the
//! binary embeds them: `cargo build` alone then gives a server that runs anywhere.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-changed=web/node_modules/leaflet/dist/leaflet.js");
    if Path::new("web/node_modules/leaflet/dist/leaflet.js").exists() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix", "web"])
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => {
            panic!("`npm ci --prefix web` failed ({s}); install Node.js/npm, or run it by hand")
        }
        Err(e) => panic!(
            "could not run npm ({e}); planmap embeds Leaflet from web/node_modules: install Node.js and npm"
        ),
    }
}
