//! Reading an `.osm.pbf` in one pass: the header's required features, every node's position,
//! and the nodes and ways that classify as candidates (with their node ids, resolved later).
//! Input: any `impl Read + Send`; output: an [`Extract`] or a message saying what is wrong
//! with the file. Relations are only counted.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

use osmpbf::{BlobDecode, BlobReader, Element};

use super::classify::{Category, Shape, Tags, classify, names};
use super::geometry::{Bbox, Position, position};

/// Header features this reader understands (`required_features` of the `OSMHeader` block).
const SUPPORTED_FEATURES: [&str; 2] = ["OsmSchema-V0.6", "DenseNodes"];

/// An element that passed classification, before its geometry is known.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    /// `node` or `way`.
    pub(super) element: &'static str,
    /// The OSM id.
    pub(super) id: i64,
    /// What it becomes.
    pub(super) category: Category,
    /// The tag that decided the category, `key=value`.
    pub(super) tag: String,
    /// `None` for an unnamed feature, kept only to be counted.
    pub(super) name: Option<String>,
    /// Normalised aliases that differ from the name.
    pub(super) aliases: Vec<String>,
}

/// A way waiting for its node positions.
#[derive(Debug, Clone)]
pub(super) struct PendingWay {
    /// What the way is.
    pub(super) candidate: Candidate,
    /// Its node ids, in order.
    pub(super) refs: Vec<i64>,
    /// Closed ring that should be drawn as a Polygon.
    pub(super) polygon: bool,
}

/// Everything one pass over the file keeps.
#[derive(Debug, Default)]
pub(super) struct Extract {
    /// Every node's position, by id.
    pub(super) positions: HashMap<i64, Position>,
    /// Named candidate nodes inside the box, with their positions.
    pub(super) nodes: Vec<(Candidate, Position)>,
    /// Candidate ways (named or not), waiting for their node positions.
    pub(super) ways: Vec<PendingWay>,
    /// Candidate nodes inside the box without a name.
    pub(super) unnamed_nodes: usize,
    /// Named relations of a kept kind, not imported.
    pub(super) named_relations: usize,
}

impl Extract {
    fn add(&mut self, element: &Element<'_>, bbox: Option<&Bbox>) {
        match element {
            Element::DenseNode(n) => {
                self.add_node(n.id(), n.nano_lon(), n.nano_lat(), n.tags(), bbox);
            }
            Element::Node(n) => {
                self.add_node(n.id(), n.nano_lon(), n.nano_lat(), n.tags(), bbox);
            }
            Element::Way(w) => {
                self.add_way(w.id(), w.refs().collect(), &Tags(w.tags().collect()));
            }
            Element::Relation(r) => {
                let tags = Tags(r.tags().collect());
                if names(&tags).0.is_some() && classify(&tags, Shape::ClosedWay).is_some() {
                    self.named_relations += 1;
                }
            }
        }
    }

    fn add_node<'a>(
        &mut self,
        id: i64,
        nano_lon: i64,
        nano_lat: i64,
        tags: impl Iterator<Item = (&'a str, &'a str)>,
        bbox: Option<&Bbox>,
    ) {
        let Some(p) = position(nano_lon, nano_lat) else {
            return;
        };
        self.positions.insert(id, p);
        let tags = Tags(tags.collect());
        if tags.0.is_empty() || bbox.is_some_and(|b| !b.contains(p)) {
            return;
        }
        let Some((category, tag)) = classify(&tags, Shape::Node) else {
            return;
        };
        let (name, aliases) = names(&tags);
        if name.is_none() {
            self.unnamed_nodes += 1;
            return;
        }
        let candidate = Candidate {
            element: "node",
            id,
            category,
            tag,
            name,
            aliases,
        };
        self.nodes.push((candidate, p));
    }

    fn add_way(&mut self, id: i64, refs: Vec<i64>, tags: &Tags<'_>) {
        if tags.0.is_empty() || refs.len() < 2 {
            return;
        }
        let closed = refs.len() >= 4 && refs.first() == refs.last();
        let shape = if closed {
            Shape::ClosedWay
        } else {
            Shape::OpenWay
        };
        let Some((category, tag)) = classify(tags, shape) else {
            return;
        };
        let (name, aliases) = names(tags);
        let polygon = closed
            && matches!(category, Category::Place | Category::Area | Category::Poi)
            && !tags.is("area", "no");
        self.ways.push(PendingWay {
            candidate: Candidate {
                element: "way",
                id,
                category,
                tag,
                name,
                aliases,
            },
            refs,
            polygon,
        });
    }
}

/// Counts the bytes read, so a file cut a few bytes into the next block's length prefix
/// (which osmpbf takes for a clean end) is still caught.
struct CountingReader<'a, R> {
    inner: R,
    count: &'a AtomicU64,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The one pass over the file: header checks, node positions, candidate nodes and ways.
pub(super) fn read_extract<R: Read + Send>(
    reader: R,
    bbox: Option<&Bbox>,
) -> Result<Extract, String> {
    let count = AtomicU64::new(0);
    let blobs = BlobReader::new(CountingReader {
        inner: reader,
        count: &count,
    });
    let mut extract = Extract::default();
    let mut header_seen = false;
    let mut complete_bytes = 0;
    for (index, blob) in blobs.enumerate() {
        let not_pbf = |e: osmpbf::Error| {
            format!("not a readable .osm.pbf: block {index} (after byte {complete_bytes}): {e}")
        };
        let blob = blob.map_err(not_pbf)?;
        match blob.decode().map_err(not_pbf)? {
            BlobDecode::OsmHeader(header) => {
                if let Some(feature) = header
                    .required_features()
                    .iter()
                    .find(|f| !SUPPORTED_FEATURES.contains(&f.as_str()))
                {
                    return Err(format!(
                        "the file requires the PBF feature `{feature}`, which this reader does not support"
                    ));
                }
                header_seen = true;
            }
            BlobDecode::OsmData(block) => {
                if !header_seen {
                    return Err(
                        "not a valid .osm.pbf: data block before the OSMHeader block".into(),
                    );
                }
                block.for_each_element(|e| extract.add(&e, bbox));
            }
            BlobDecode::Unknown(_) => {}
        }
        complete_bytes = count.load(Ordering::Relaxed);
    }
    if !header_seen {
        return Err("not an .osm.pbf: no OSMHeader block (empty file?)".into());
    }
    let read = count.load(Ordering::Relaxed);
    if read > complete_bytes {
        return Err(format!(
            "truncated .osm.pbf: {} stray bytes after the last complete block at byte {complete_bytes}",
            read - complete_bytes
        ));
    }
    Ok(extract)
}
