//! `import::import_osm` on `.osm.pbf` files written by a small PBF writer below (no
//! extract ships with the repository, and none can be downloaded in CI).
//!
//! The fixture's coordinates are made up for these tests (they lie inside 渝中区 so the atlas
//! accepts them); they are not the real positions of the places they are named after.

use planmap::atlas::{Atlas, NamedFile};
use planmap::gazetteer::{Gazetteer, Tier};
use planmap::import::{ImportError, ImportOptions, ImportSummary, import_osm};
use serde_json::Value;

/// A minimal, honest `.osm.pbf` writer: the protobuf wire format of `fileformat.proto` and
/// `osmformat.proto` by hand. One raw `OSMHeader` blob, then one `OSMData` blob of `DenseNodes`
/// (delta-coded ids/lat/lon, granularity 100, `keys_vals`) and one of Ways (delta-coded
/// refs, keys/vals), each raw or zlib (stored deflate blocks, a valid zlib stream).
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the protobuf wire format is bit-level: varint bytes, zigzag, u16/u32 length fields \
              of small test blocks"
)]
mod pbf {
    /// A node: id, WGS-84 degrees, tags.
    pub struct Node {
        pub id: i64,
        pub lon: f64,
        pub lat: f64,
        pub tags: Vec<(&'static str, &'static str)>,
    }

    /// A way: id, node ids, tags.
    pub struct Way {
        pub id: i64,
        pub refs: Vec<i64>,
        pub tags: Vec<(&'static str, &'static str)>,
    }

    /// How to write the file.
    #[derive(Clone, Copy)]
    pub struct Layout {
        /// Compress the data blocks with zlib (else raw blobs).
        pub zlib: bool,
        /// Write the ways block before the nodes block (unusual but legal order).
        pub ways_first: bool,
    }

    fn varint(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn zigzag(v: i64) -> u64 {
        ((v << 1) ^ (v >> 63)) as u64
    }

    fn field_varint(out: &mut Vec<u8>, field: u64, v: u64) {
        varint(out, field << 3);
        varint(out, v);
    }

    fn field_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
        varint(out, (field << 3) | 2);
        varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }

    fn field_packed(out: &mut Vec<u8>, field: u64, values: impl IntoIterator<Item = u64>) {
        let mut body = Vec::new();
        for v in values {
            varint(&mut body, v);
        }
        field_bytes(out, field, &body);
    }

    /// Delta codes then zigzags, as `sint64` DELTA fields are stored.
    fn deltas(values: impl IntoIterator<Item = i64>) -> Vec<u64> {
        let mut last = 0;
        values
            .into_iter()
            .map(|v| {
                let d = zigzag(v - last);
                last = v;
                d
            })
            .collect()
    }

    /// Strings of one block; index 0 is the empty string, which `DenseNodes` use as separator.
    struct StringTable(Vec<String>);

    impl StringTable {
        fn index(&mut self, s: &str) -> u64 {
            if let Some(i) = self.0.iter().position(|t| t == s) {
                return i as u64;
            }
            self.0.push(s.to_string());
            (self.0.len() - 1) as u64
        }

        fn encode(&self) -> Vec<u8> {
            let mut out = Vec::new();
            for s in &self.0 {
                field_bytes(&mut out, 1, s.as_bytes());
            }
            out
        }
    }

    fn primitive_block(group: impl FnOnce(&mut StringTable) -> Vec<u8>) -> Vec<u8> {
        let mut strings = StringTable(vec![String::new()]);
        let group = group(&mut strings);
        let mut block = Vec::new();
        field_bytes(&mut block, 1, &strings.encode());
        field_bytes(&mut block, 2, &group);
        field_varint(&mut block, 17, 100); // granularity: 100 nanodegrees
        block
    }

    fn decimicro(degrees: f64) -> i64 {
        (degrees * 1e7).round() as i64
    }

    fn dense_nodes_block(nodes: &[Node]) -> Vec<u8> {
        primitive_block(|strings| {
            let mut keys_vals = Vec::new();
            for n in nodes {
                for (k, v) in &n.tags {
                    keys_vals.push(strings.index(k));
                    keys_vals.push(strings.index(v));
                }
                keys_vals.push(0);
            }
            let mut dense = Vec::new();
            field_packed(&mut dense, 1, deltas(nodes.iter().map(|n| n.id)));
            field_packed(
                &mut dense,
                8,
                deltas(nodes.iter().map(|n| decimicro(n.lat))),
            );
            field_packed(
                &mut dense,
                9,
                deltas(nodes.iter().map(|n| decimicro(n.lon))),
            );
            field_packed(&mut dense, 10, keys_vals);
            let mut group = Vec::new();
            field_bytes(&mut group, 2, &dense);
            group
        })
    }

    fn ways_block(ways: &[Way]) -> Vec<u8> {
        primitive_block(|strings| {
            let mut group = Vec::new();
            for w in ways {
                let mut way = Vec::new();
                field_varint(&mut way, 1, w.id as u64);
                let keys: Vec<u64> = w.tags.iter().map(|(k, _)| strings.index(k)).collect();
                let vals: Vec<u64> = w.tags.iter().map(|(_, v)| strings.index(v)).collect();
                field_packed(&mut way, 2, keys);
                field_packed(&mut way, 3, vals);
                field_packed(&mut way, 8, deltas(w.refs.iter().copied()));
                field_bytes(&mut group, 3, &way);
            }
            group
        })
    }

    fn header_block() -> Vec<u8> {
        let mut header = Vec::new();
        field_bytes(&mut header, 4, b"OsmSchema-V0.6");
        field_bytes(&mut header, 4, b"DenseNodes");
        field_bytes(&mut header, 16, b"planmap tests");
        header
    }

    /// A zlib stream of stored (uncompressed) deflate blocks, with its Adler-32.
    fn zlib_stored(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01];
        let chunks: Vec<&[u8]> = if data.is_empty() {
            vec![&[]]
        } else {
            data.chunks(65_535).collect()
        };
        for (i, chunk) in chunks.iter().enumerate() {
            out.push(u8::from(i + 1 == chunks.len())); // BFINAL, BTYPE = 00 (stored)
            let len = chunk.len() as u16;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&(!len).to_le_bytes());
            out.extend_from_slice(chunk);
        }
        let (mut a, mut b) = (1_u32, 0_u32);
        for &byte in data {
            a = (a + u32::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out
    }

    fn append_blob(file: &mut Vec<u8>, kind: &str, data: &[u8], zlib: bool) {
        let mut blob = Vec::new();
        if zlib {
            field_varint(&mut blob, 2, data.len() as u64); // raw_size
            field_bytes(&mut blob, 3, &zlib_stored(data));
        } else {
            field_bytes(&mut blob, 1, data);
        }
        let mut header = Vec::new();
        field_bytes(&mut header, 1, kind.as_bytes());
        field_varint(&mut header, 3, blob.len() as u64);
        file.extend_from_slice(&(header.len() as u32).to_be_bytes());
        file.extend_from_slice(&header);
        file.extend_from_slice(&blob);
    }

    /// The file's bytes and the byte offsets where each block ends.
    pub fn write(nodes: &[Node], ways: &[Way], layout: Layout) -> (Vec<u8>, Vec<usize>) {
        let mut file = Vec::new();
        let mut block_ends = Vec::new();
        append_blob(&mut file, "OSMHeader", &header_block(), false);
        block_ends.push(file.len());
        let mut data = vec![dense_nodes_block(nodes), ways_block(ways)];
        if layout.ways_first {
            data.reverse();
        }
        for block in data {
            append_blob(&mut file, "OSMData", &block, layout.zlib);
            block_ends.push(file.len());
        }
        (file, block_ends)
    }
}

use pbf::{Layout, Node, Way};

const ZLIB: Layout = Layout {
    zlib: true,
    ways_first: false,
};
const FILE: &str = "fixture.osm.pbf";
const BBOX: [f64; 4] = [106.50, 29.50, 106.60, 29.60];

/// The fixture: two ways named 中山四路 sharing node 3 (and, with `disconnected`, a third one
/// elsewhere), a clockwise park ring, a station node, an unnamed service road and a named
/// school far outside [`BBOX`].
fn fixture(disconnected: bool, layout: Layout) -> (Vec<u8>, Vec<usize>) {
    let node = |id, lon, lat| Node {
        id,
        lon,
        lat,
        tags: vec![],
    };
    let nodes = vec![
        node(1, 106.5530, 29.5570),
        node(2, 106.5550, 29.5578),
        node(3, 106.5570, 29.5585),
        node(4, 106.5590, 29.5590),
        node(5, 106.5610, 29.5594),
        node(6, 106.5700, 29.5580),
        node(7, 106.5720, 29.5585),
        node(10, 106.5360, 29.5535),
        node(11, 106.5360, 29.5550),
        node(12, 106.5380, 29.5550),
        node(13, 106.5380, 29.5535),
        Node {
            id: 20,
            lon: 106.5690,
            lat: 29.5562,
            tags: vec![
                ("railway", "station"),
                ("public_transport", "station"),
                ("name", "较场口"),
                ("name:en", "Jiaochangkou"),
            ],
        },
        node(30, 106.5650, 29.5525),
        node(31, 106.5660, 29.5530),
        Node {
            id: 40,
            lon: 106.7000,
            lat: 29.7000,
            tags: vec![("amenity", "school"), ("name", "外地学校")],
        },
    ];
    let road = |id, refs: Vec<i64>| Way {
        id,
        refs,
        tags: vec![("highway", "secondary"), ("name", "中山四路")],
    };
    let mut ways = vec![
        road(101, vec![1, 2, 3]),
        // Drawn the other way round and ending at the shared node 3.
        Way {
            id: 102,
            refs: vec![5, 4, 3],
            tags: vec![
                ("highway", "secondary"),
                ("name", "中山四路"),
                ("name:zh", "中山四路"),
                ("old_name", "中山路"),
            ],
        },
        // Clockwise: north, east, south, back west.
        Way {
            id: 201,
            refs: vec![10, 11, 12, 13, 10],
            tags: vec![("leisure", "park"), ("name", "鹅岭公园")],
        },
        Way {
            id: 301,
            refs: vec![30, 31],
            tags: vec![("highway", "service")],
        },
    ];
    if disconnected {
        ways.push(road(103, vec![6, 7]));
    }
    pbf::write(&nodes, &ways, layout)
}

fn import(bytes: &[u8], bbox: Option<[f64; 4]>) -> (Value, ImportSummary) {
    let options = ImportOptions {
        bbox,
        file_label: FILE.into(),
    };
    let (text, summary) = import_osm(bytes, &options).expect("the fixture imports");
    (
        serde_json::from_str(&text).expect("the output is JSON"),
        summary,
    )
}

fn features(fc: &Value) -> &Vec<Value> {
    fc["features"].as_array().expect("features")
}

fn feature<'a>(fc: &'a Value, id: &str) -> &'a Value {
    features(fc)
        .iter()
        .find(|f| f["properties"]["id"] == id)
        .unwrap_or_else(|| panic!("no feature {id} in {fc}"))
}

fn positions(coordinates: &Value) -> Vec<[f64; 2]> {
    coordinates
        .as_array()
        .expect("a list of positions")
        .iter()
        .map(|c| [c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat")])
        .collect()
}

/// Positions of fixture nodes 1–5 in order.
const ZHONGSHAN: [[f64; 2]; 5] = [
    [106.5530, 29.5570],
    [106.5550, 29.5578],
    [106.5570, 29.5585],
    [106.5590, 29.5590],
    [106.5610, 29.5594],
];

fn forwards(mut line: Vec<[f64; 2]>, first: [f64; 2]) -> Vec<[f64; 2]> {
    // Exact: the first vertex is one of the test's own literals, not a computed value.
    if line[0]
        .iter()
        .zip(first)
        .any(|(a, b)| a.to_bits() != b.to_bits())
    {
        line.reverse();
    }
    line
}

#[test]
fn ways_of_one_name_merge_into_one_street_line() {
    let (fc, summary) = import(&fixture(false, ZLIB).0, None);
    let road = feature(&fc, "osm-road-中山四路");
    let p = &road["properties"];
    assert_eq!(road["geometry"]["type"], "LineString", "{road}");
    assert_eq!(
        forwards(positions(&road["geometry"]["coordinates"]), ZHONGSHAN[0]),
        ZHONGSHAN
    );
    assert_eq!(p["name"], "中山四路");
    assert_eq!(p["kind"], "路");
    assert_eq!(p["layer"], "streets");
    assert_eq!(p["match"], "exact");
    assert_eq!(p["uncertainty_m"], 25);
    assert_eq!(p["aliases"], serde_json::json!(["中山路"]));
    let source = p["source"].as_str().expect("source");
    assert!(
        source.starts_with("OSM way/101, way/102 (highway=secondary")
            && source.contains(FILE)
            && source.ends_with("© OpenStreetMap contributors, ODbL"),
        "{source}"
    );
    let named_zhongshan = features(&fc)
        .iter()
        .filter(|f| f["properties"]["name"] == "中山四路")
        .count();
    assert_eq!(named_zhongshan, 1);
    assert_eq!(summary.roads, 1);
}

#[test]
fn a_disconnected_way_of_the_same_name_makes_a_multilinestring() {
    let (fc, summary) = import(&fixture(true, ZLIB).0, None);
    let road = feature(&fc, "osm-road-中山四路");
    assert_eq!(road["geometry"]["type"], "MultiLineString", "{road}");
    let parts = road["geometry"]["coordinates"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(forwards(positions(&parts[0]), ZHONGSHAN[0]), ZHONGSHAN);
    assert_eq!(
        forwards(positions(&parts[1]), [106.57, 29.558]),
        [[106.57, 29.558], [106.572, 29.5585]]
    );
    let source = road["properties"]["source"].as_str().expect("source");
    assert!(
        source.contains("way/103") && source.contains("into 2 lines"),
        "{source}"
    );
    assert_eq!(summary.roads, 1);
}

#[test]
fn the_station_and_the_park_are_kept_as_exact_osm_entries() {
    let (fc, summary) = import(&fixture(false, ZLIB).0, Some(BBOX));

    let station = feature(&fc, "osm-node-20");
    let p = &station["properties"];
    assert_eq!(p["name"], "较场口");
    assert_eq!(p["kind"], "站");
    assert_eq!(p["layer"], "projects");
    assert_eq!(p["match"], "exact");
    assert_eq!(p["uncertainty_m"], 10);
    assert_eq!(p["aliases"], serde_json::json!(["较场口站"]));
    assert!(
        p["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("OSM node/20 (railway=station)")),
        "{p}"
    );
    assert_eq!(
        station["geometry"],
        serde_json::json!({"type": "Point", "coordinates": [106.569, 29.5562]})
    );

    let park = feature(&fc, "osm-way-201");
    let p = &park["properties"];
    assert_eq!(p["name"], "鹅岭公园");
    assert_eq!(p["kind"], "公园");
    assert_eq!(p["layer"], "zones");
    assert_eq!(p["match"], "exact");
    assert!(
        p["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("OSM way/201 (leisure=park)")),
        "{p}"
    );
    assert_eq!(park["geometry"]["type"], "Polygon");
    let rings = park["geometry"]["coordinates"].as_array().expect("rings");
    assert_eq!(rings.len(), 1);
    let ring = positions(&rings[0]);
    assert_eq!(ring.len(), 5);
    assert_eq!(ring.first(), ring.last(), "closed");
    let doubled_area: f64 = ring
        .windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum();
    assert!(
        doubled_area > 0.0,
        "the clockwise way is written counter-clockwise: {ring:?}"
    );
    assert_eq!((summary.stations, summary.areas), (1, 1));
}

#[test]
fn unnamed_ways_are_skipped_and_counted() {
    let (fc, summary) = import(&fixture(false, ZLIB).0, Some(BBOX));
    assert_eq!(summary.skipped_unnamed, 1);
    assert!(features(&fc).iter().all(|f| {
        !f["properties"]["source"]
            .as_str()
            .unwrap_or("")
            .contains("way/301")
    }));
}

#[test]
fn the_bbox_drops_named_features_outside_it() {
    let bytes = fixture(false, ZLIB).0;
    let (all, summary) = import(&bytes, None);
    assert_eq!(
        feature(&all, "osm-node-40")["properties"]["name"],
        "外地学校"
    );
    assert_eq!(summary.pois, 1);

    let (inside, summary) = import(&bytes, Some(BBOX));
    assert!(
        features(&inside)
            .iter()
            .all(|f| f["properties"]["id"] != "osm-node-40")
    );
    assert_eq!(
        summary,
        ImportSummary {
            roads: 1,
            stations: 1,
            areas: 1,
            skipped_unnamed: 1,
            ..ImportSummary::default()
        }
    );
    assert_eq!(features(&inside).len(), summary.entries());

    // A box that holds nothing of the fixture keeps nothing.
    let (none, summary) = import(&bytes, Some([0.0, 0.0, 1.0, 1.0]));
    assert!(features(&none).is_empty());
    assert_eq!(summary, ImportSummary::default());
}

#[test]
fn raw_and_zlib_blobs_and_either_block_order_read_the_same() {
    let (expected, _) = import(&fixture(true, ZLIB).0, None);
    for layout in [
        Layout {
            zlib: false,
            ways_first: false,
        },
        Layout {
            zlib: true,
            ways_first: true,
        },
        Layout {
            zlib: false,
            ways_first: true,
        },
    ] {
        assert_eq!(import(&fixture(true, layout).0, None).0, expected);
    }
}

fn assert_names_file(result: Result<(String, ImportSummary), ImportError>, what: &str) {
    match result {
        Err(ImportError::Osm { file, message }) => {
            assert_eq!(file, "bad.osm.pbf", "{what}: {message}");
            assert!(!message.is_empty());
        }
        Ok((_, summary)) => panic!("{what}: accepted as {summary}"),
    }
}

fn bad_options() -> ImportOptions {
    ImportOptions {
        bbox: None,
        file_label: "bad.osm.pbf".into(),
    }
}

#[test]
fn a_truncated_file_is_an_error_naming_the_file() {
    let (bytes, block_ends) = fixture(true, ZLIB);
    let full = import(&bytes, None).1;
    for cut in 0..bytes.len() {
        let result = import_osm(&bytes[..cut], &bad_options());
        if block_ends.contains(&cut) {
            // Cut exactly between blocks: a shorter valid file, which PBF cannot tell apart.
            let (_, summary) = result.expect("a file of whole blocks reads");
            assert!(summary.entries() < full.entries());
        } else {
            assert_names_file(result, &format!("cut at byte {cut} of {}", bytes.len()));
        }
    }
    let message = import_osm(&bytes[..bytes.len() - 10], &bad_options())
        .expect_err("truncated")
        .to_string();
    assert!(message.starts_with("bad.osm.pbf: "), "{message}");
}

#[test]
fn garbage_is_an_error_naming_the_file_and_never_a_panic() {
    let mut seed = 42_u64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 56) as u8
        })
        .collect();
    let geojson = br#"{"type":"FeatureCollection","features":[]}"#;
    for (what, bytes) in [
        ("empty", &b""[..]),
        ("text", b"this is not an OpenStreetMap file"),
        ("GeoJSON", geojson),
        ("random bytes", &random),
        ("four zero bytes", &[0, 0, 0, 0]),
    ] {
        assert_names_file(import_osm(bytes, &bad_options()), what);
    }

    // Every single corrupted byte of a real file: an error or a (different) import, no panic.
    let (bytes, _) = fixture(
        true,
        pbf::Layout {
            zlib: false,
            ways_first: false,
        },
    );
    for i in 0..bytes.len() {
        let mut corrupt = bytes.clone();
        corrupt[i] ^= 0xA5;
        if let Err(e) = import_osm(&corrupt[..], &bad_options()) {
            assert!(e.to_string().starts_with("bad.osm.pbf: "), "{e}");
        }
    }
}

#[test]
fn an_invalid_bbox_is_an_error_naming_the_file() {
    let options = ImportOptions {
        bbox: Some([106.6, 29.5, 106.5, 29.6]),
        file_label: "bad.osm.pbf".into(),
    };
    assert_names_file(import_osm(&fixture(false, ZLIB).0[..], &options), "bbox");
}

#[test]
fn coordinates_have_at_most_seven_decimals_and_ids_are_unique() {
    let (fc, _) = import(&fixture(true, ZLIB).0, None);
    let text = fc.to_string();
    for number in text
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|s| s.contains('.'))
    {
        let decimals = number.split('.').nth(1).map_or(0, str::len);
        assert!(decimals <= 7, "{number}");
    }
    let mut ids: Vec<&str> = features(&fc)
        .iter()
        .map(|f| f["properties"]["id"].as_str().expect("id"))
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
}

fn geodata(file: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("geodata")
        .join(file);
    std::fs::read(path).expect("geodata file")
}

#[test]
fn the_import_loads_into_the_gazetteer_as_the_osm_tier() {
    let text = import_osm(
        &fixture(true, ZLIB).0[..],
        &ImportOptions {
            bbox: Some(BBOX),
            file_label: FILE.into(),
        },
    )
    .expect("imports")
    .0;
    let mut gazetteer = Gazetteer::new();
    gazetteer
        .add_entries(
            "gazetteer.geojson",
            &geodata("gazetteer.geojson"),
            Tier::Curated,
        )
        .expect("curated entries load");
    gazetteer
        .add_osm_stations(
            "osm-rail-stations.geojson",
            &geodata("osm-rail-stations.geojson"),
        )
        .expect("stations load");
    let n = gazetteer
        .add_entries(
            "osm-import-fixture.geojson",
            text.as_bytes(),
            Tier::OsmImport,
        )
        .expect("the import loads beside the default data");
    assert_eq!(n, 3);

    for name in ["较场口", "较场口站"] {
        let station = gazetteer.find_name(name).expect("station by name");
        assert_eq!(
            (station.id.as_str(), station.tier),
            ("osm-node-20", Tier::OsmImport)
        );
    }
    let road = gazetteer.find_name("中山路").expect("road by its old name");
    assert_eq!(road.id, "osm-road-中山四路");
    assert_eq!(road.file, "osm-import-fixture.geojson");
    assert!((road.uncertainty_m - 25.0).abs() < f64::EPSILON);
}

/// Every file of a repository folder with this extension, as the atlas takes them.
fn folder(dir: &str, ext: &str) -> Vec<NamedFile> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<NamedFile> = std::fs::read_dir(&root)
        .expect("folder exists")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_string_lossy().into_owned();
            (path.extension()? == ext).then(|| NamedFile {
                name,
                bytes: std::fs::read(&path).expect("readable"),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// The whole fixture imported without a bbox, as GeoJSON text.
fn import_whole_fixture() -> String {
    import_osm(
        &fixture(true, ZLIB).0[..],
        &ImportOptions {
            bbox: None,
            file_label: FILE.into(),
        },
    )
    .expect("imports")
    .0
}

#[test]
fn the_import_builds_into_the_atlas_beside_the_default_geodata() {
    // No bbox: the school far outside the district must not stop the atlas (the entries are
    // marked `outside_district`, so it is left out of the planning layers instead).
    let text = import_whole_fixture();
    let seeds = folder("seeds", "txt");
    let with_import = |text: &str| {
        let mut geodata = folder("geodata", "geojson");
        geodata.push(NamedFile {
            name: "osm-import-fixture.geojson".into(),
            bytes: text.as_bytes().to_vec(),
        });
        geodata
    };
    Atlas::build(&with_import(&text), &seeds).expect("the atlas builds with the import");
    let unmarked = text.replace(",\"outside_district\":true", "");
    assert!(
        Atlas::build(&with_import(&unmarked), &seeds).is_err(),
        "without the mark, the school outside the district would stop the atlas"
    );
}

#[test]
fn an_imported_street_takes_precedence_over_the_curated_approximation() {
    let text = import_whole_fixture();
    let mut geodata = folder("geodata", "geojson");
    let curated = Atlas::build(&geodata, &folder("seeds", "txt")).expect("builds");
    let before = curated
        .features
        .iter()
        .find(|f| f.name == "中山四路")
        .expect("the report plans 中山四路");
    assert_eq!(before.location.match_type, planmap::plan::MatchType::Anchor);
    geodata.push(NamedFile {
        name: "osm-import-fixture.geojson".into(),
        bytes: text.into_bytes(),
    });
    let atlas = Atlas::build(&geodata, &folder("seeds", "txt")).expect("builds");
    let after = atlas
        .features
        .iter()
        .find(|f| f.name == "中山四路")
        .expect("still planned");
    assert_eq!(after.location.match_type, planmap::plan::MatchType::Exact);
    assert!(
        after.location.source.starts_with("OSM way/"),
        "{}",
        after.location.source
    );
}
