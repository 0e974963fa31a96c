//! A collection's rendered items in one datum, held in small chunks that successive
//! renderings share.
//!
//! Input: the features' texts in the collection's order. Output: [`Items`], indexed and
//! iterated like a slice. Why chunks: a correction re-renders the features of one place, one
//! per report, spread over the whole collection; copying the collection's texts then touched
//! every text's reference count (a cache miss each), where copying chunks touches one count
//! per chunk and rebuilds only the chunks holding a changed feature.

use std::ops::Index;
use std::sync::Arc;

use crate::store::FeatureText;

/// Texts per chunk: small, since a change touches about one chunk per report.
const CHUNK: usize = 16;

/// A collection's texts, `CHUNK` per shared chunk.
#[derive(Debug, Clone, Default)]
pub struct Items {
    chunks: Vec<Arc<[FeatureText]>>,
}

impl Items {
    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = &FeatureText> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// `len` items where `kept(i)` says item `i` is `old`'s item `i` unchanged: a chunk whose
    /// items are all kept is shared with `old`, the others are made with `make(i)`.
    pub fn derive(
        old: Option<&Items>,
        len: usize,
        kept: impl Fn(usize) -> bool,
        mut make: impl FnMut(usize) -> FeatureText,
    ) -> Items {
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        for start in (0..len).step_by(CHUNK) {
            let end = (start + CHUNK).min(len);
            let shared = old
                .and_then(|o| o.chunks.get(start / CHUNK))
                .filter(|c| c.len() == end - start && (start..end).all(&kept));
            chunks.push(match shared {
                Some(c) => Arc::clone(c),
                None => (start..end).map(&mut make).collect(),
            });
        }
        Items { chunks }
    }
}

impl FromIterator<FeatureText> for Items {
    fn from_iter<I: IntoIterator<Item = FeatureText>>(texts: I) -> Items {
        let mut chunks = Vec::new();
        let mut chunk = Vec::with_capacity(CHUNK);
        for text in texts {
            chunk.push(text);
            if chunk.len() == CHUNK {
                chunks.push(Arc::from(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(CHUNK),
                )));
            }
        }
        if !chunk.is_empty() {
            chunks.push(Arc::from(chunk));
        }
        Items { chunks }
    }
}

impl Index<usize> for Items {
    type Output = FeatureText;

    fn index(&self, i: usize) -> &FeatureText {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(k: usize) -> FeatureText {
        FeatureText::new(format!("{{\"id\":{k},\"properties\":{{"), "{}")
    }

    fn written(items: &Items) -> Vec<String> {
        items
            .iter()
            .map(|t| {
                let mut s = String::new();
                t.write(&mut s);
                s
            })
            .collect()
    }

    #[test]
    fn derived_items_share_the_chunks_nothing_changed_in_and_read_as_a_fresh_list() {
        let old: Items = (0..50).map(text).collect();
        assert_eq!(old.iter().count(), 50);
        assert_eq!(old[37], text(37));
        // Item 20 changes; 48 and 49 are gone.
        let derived = Items::derive(
            Some(&old),
            48,
            |i| i != 20,
            |i| text(i + 1000 * usize::from(i == 20)),
        );
        let fresh: Items = (0..48)
            .map(|i| text(i + 1000 * usize::from(i == 20)))
            .collect();
        assert_eq!(written(&derived), written(&fresh));
        assert_eq!(derived.iter().count(), 48);
        assert!(Arc::ptr_eq(&derived.chunks[0], &old.chunks[0]));
        assert!(
            !Arc::ptr_eq(&derived.chunks[1], &old.chunks[1]),
            "the chunk of item 20"
        );
        assert!(Arc::ptr_eq(&derived.chunks[2], &old.chunks[2]));
        assert!(
            !Arc::ptr_eq(&derived.chunks[2], &old.chunks[3]) && derived.chunks.len() == 3,
            "the last chunk is shorter now, so it is made again"
        );
    }
}
