//! The default data embedded in the binary: `geodata/` and `seeds/` as they were at build
//! time, so `planmap serve` runs from any folder. Only bytes are embedded; parsing happens in
//! [`crate::atlas`].

use rust_embed::RustEmbed;

use crate::atlas::NamedFile;

#[derive(RustEmbed)]
#[folder = "geodata/"]
#[include = "*.geojson"]
struct Geodata;

#[derive(RustEmbed)]
#[folder = "seeds/"]
#[include = "*.txt"]
struct Seeds;

fn files<E: RustEmbed>() -> Vec<NamedFile> {
    E::iter()
        .filter_map(|name| {
            let f = E::get(&name)?;
            Some(NamedFile {
                name: name.to_string(),
                bytes: f.data.into_owned(),
            })
        })
        .collect()
}

/// The embedded geodata files.
#[must_use]
pub fn geodata() -> Vec<NamedFile> {
    files::<Geodata>()
}

/// The embedded report texts.
#[must_use]
pub fn seeds() -> Vec<NamedFile> {
    files::<Seeds>()
}
