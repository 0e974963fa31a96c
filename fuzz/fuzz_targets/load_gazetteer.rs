//! Fuzzes `planmap::gazetteer::Gazetteer::add_entries` with arbitrary bytes: it must never
//! panic (an error is a fine answer). When the bytes load, the lexicon built from them must
//! also build, and parsing a short sentence with it must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planmap::gazetteer::{Gazetteer, Tier};
use planmap::report::{Lexicon, parse};

fuzz_target!(|data: &[u8]| {
    let mut g = Gazetteer::new();
    let Ok(n) = g.add_entries("fuzz.geojson", data, Tier::Curated) else {
        return;
    };
    assert_eq!(n, g.places().len(), "every loaded entry is a place");
    for p in g.places() {
        assert!(
            p.uncertainty_m.is_finite() && p.uncertainty_m > 0.0,
            "uncertainty_m {} was accepted",
            p.uncertainty_m
        );
        assert!(g.get(&p.id).is_some());
    }
    // Loading the same entries twice is a duplicate id unless there were none.
    let again = g.add_entries("fuzz.geojson", data, Tier::Curated);
    assert_eq!(
        again.is_err(),
        n > 0,
        "a reload collides exactly when there are entries"
    );
    let lexicon = Lexicon::new(g.lexicon_terms());
    let names: String = g
        .places()
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let _ = parse("fuzz", &format!("加快建设{names}。"), &lexicon);
});
