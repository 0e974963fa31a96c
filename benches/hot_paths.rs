//! Hot paths: reading the seed report and a 1 MB mixed text, near/bbox queries on the R-tree against a brute-force
//! scan on deterministic synthetic data (no RNG drift between runs), and near over the
//! district's own features along the walk `scripts/load.sh` sends.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use planmap::atlas::{Atlas, AtlasStore, Collection};
use planmap::bench::district_walk;
use planmap::datum::Crs;
use planmap::defaults;
use planmap::gazetteer::{Gazetteer, Tier};
use planmap::plan::Layer;
use planmap::report::{Lexicon, parse};
use planmap::spatial::{BBox, SpatialIndex, synthetic};
use planmap::store::{DistrictWide, FeatureStore, NearQuery};

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

/// About 1 MB of planning text: the development corpus (Simplified and Traditional texts,
/// web copies) and the seed, in turn and again until the text passes one mebibyte.
fn one_megabyte() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    texts.sort();
    texts.push(SEED.to_string());
    let mut out = String::with_capacity(1 << 20);
    // Text by text, so the text stops just past 1 MiB however large the corpus grows.
    for t in texts.iter().cycle() {
        if out.len() >= 1 << 20 {
            break;
        }
        out.push_str(t);
        out.push('\n');
    }
    out
}

fn report(c: &mut Criterion) {
    let lexicon = lexicon();
    c.bench_function("parse the Yuzhong 2025 seed (11k chars)", |b| {
        b.iter(|| parse("yuzhong-2025", black_box(SEED), &lexicon));
    });
    let big = one_megabyte();
    let mut group = c.benchmark_group("reading any text");
    group.sample_size(10);
    group.bench_function(
        format!("parse {} KiB of mixed planning text", big.len() / 1024),
        |b| {
            b.iter(|| parse("one-megabyte", black_box(&big), &lexicon));
        },
    );
    group.finish();
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
        b.iter(|| index.within_bbox(black_box(bbox)));
    });
    group.finish();
}

/// The load script's near walk: 1,000 points over the district, 500 m, limit 50, every planned
/// layer, as the `/api/near` handler queries them (without HTTP and JSON).
fn district_near(c: &mut Criterion) {
    let atlas = Atlas::build(&defaults::geodata(), &defaults::seeds()).expect("default data");
    let layers: Vec<&Collection> = ["zones", "streets", "projects"]
        .iter()
        .filter_map(|id| atlas.collection(id))
        .collect();
    let points = district_walk(1_000);
    c.bench_function("district near walk, 1000 points x 3 layers", |b| {
        b.iter(|| {
            let mut found = 0;
            for &(lon, lat) in &points {
                for c in &layers {
                    found += c.index.near(lon, lat, 500.0, 50, &|_| true).len();
                }
            }
            black_box(found)
        });
    });
    // The same walk through the FeatureStore the handler calls: the three layers' hits merged,
    // sorted by distance and id, cut to the limit, with the pre-rendered features they point at.
    let store = AtlasStore::new(std::sync::Arc::new(atlas.clone()));
    c.bench_function(
        "district near walk via the FeatureStore, 1000 points",
        |b| {
            b.iter(|| {
                let mut found = 0;
                for &(lon, lat) in &points {
                    let query = NearQuery {
                        lon,
                        lat,
                        radius_m: 500.0,
                        limit: 50,
                        layers: Layer::ALL.to_vec(),
                        district_wide: DistrictWide::Brief,
                        reports: Vec::new(),
                    };
                    found += store.near(&query, Crs::Wgs84).hits.len();
                }
                black_box(found)
            });
        },
    );
}

criterion_group!(benches, report, spatial, district_near);
criterion_main!(benches);
