//! Installs the web page's npm dependencies (Leaflet, Leaflet-Geoman) when they are missing, because the
//! binary embeds them: `cargo build` alone then gives a server that runs anywhere.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=web/package-lock.json");
    println!("cargo:rerun-if-changed=web/node_modules/leaflet/dist/leaflet.js");
    // The editing plugin is embedded too: a node_modules from before it was added needs `npm ci`.
    let geoman = "web/node_modules/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js";
    println!("cargo:rerun-if-changed={geoman}");
    if Path::new("web/node_modules/leaflet/dist/leaflet.js").exists() && Path::new(geoman).exists()
    {
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
