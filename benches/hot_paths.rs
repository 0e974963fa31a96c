//! Hot paths: reading the seed report, and near/bbox queries on the R-tree against a
//! brute-force scan, on deterministic synthetic data (no RNG drift between runs).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use planmap::gazetteer::{Gazetteer, Tier};
use planmap::report::{Lexicon, parse};
use planmap::spatial::{BBox, SpatialIndex, synthetic};

const SEED: &str = include_str!("../seeds/yuzhong-2025.txt");

fn lexicon() -> Lexicon {
    let mut g = Gazetteer::new();
    g.add_entries(
        "gazetteer.geojson",
        include_bytes!("../geodata/gazetteer.geojson"),
        Tier::Curated,
    )
    .expect("curated gazetteer loads");
    g.add_osm_stations(
        "osm-rail-stations.geojson",
        include_bytes!("../geodata/osm-rail-stations.geojson"),
    )
    .expect("stations load");
    Lexicon::new(g.lexicon_terms())
}

fn report(c: &mut Criterion) {
    let lexicon = lexicon();
    c.bench_function("parse the Yuzhong 2025 seed (11k chars)", |b| {
        b.iter(|| parse("yuzhong-2025", black_box(SEED), &lexicon));
    });
}

fn spatial(c: &mut Criterion) {
    let index = SpatialIndex::new(synthetic(100_000, 7));
    let mut group = c.benchmark_group("100k synthetic features");
    group.bench_function("near 500 m, index", |b| {
        b.iter(|| index.near(black_box(106.55), black_box(29.56), 500.0, 100, &|_| true));
    });
    group.bench_function("near 500 m, brute force", |b| {
        b.iter(|| {
            index.near_brute_force(black_box(106.55), black_box(29.56), 500.0, 100, &|_| true)
        });
    });
    let bbox = BBox {
        min_lon: 106.55,
        min_lat: 29.55,
        max_lon: 106.56,
        max_lat: 29.56,
    };
    group.bench_function("bbox 1 km, index", |b| {
        b.iter(|| index.within_bbox(black_box(bbox)))
    });
    group.finish();
}

criterion_group!(benches, report, spatial);
criterion_main!(benches);
