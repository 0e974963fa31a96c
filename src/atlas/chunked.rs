//! A list held in small shared chunks, so that the list after a change shares every chunk
//! the change did not touch: the atlas's planned features, and each collection's rendered
//! items in one datum.
//!
//! Input: the values in order, or the list before a change with which positions it kept.
//! Output: [`Chunked`], indexed and iterated like a slice. Why chunks: a correction
//! re-places the features of one place, one per report, spread over the whole list; copying
//! the list then touched every value's reference count (a cache miss each), where copying
//! chunks touches one count per chunk and rebuilds only the chunks holding a changed value.

use std::ops::Index;
use std::sync::Arc;

use crate::plan::PlannedFeature;
use crate::store::FeatureText;

/// Values per chunk: small, since a change touches about one chunk per report.
const CHUNK: usize = 16;

/// A list, `CHUNK` values per shared chunk.
#[derive(Debug, Clone)]
pub struct Chunked<T> {
    chunks: Vec<Arc<[T]>>,
}

/// A collection's rendered texts in one datum.
pub type Items = Chunked<FeatureText>;

/// The planned features of every report, in report order.
pub type Features = Chunked<Arc<PlannedFeature>>;

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked { chunks: Vec::new() }
    }
}

/// The iterator over a [`Chunked`]'s values.
pub type Iter<'a, T> =
    std::iter::FlatMap<std::slice::Iter<'a, Arc<[T]>>, &'a [T], fn(&'a Arc<[T]>) -> &'a [T]>;

impl<T> Chunked<T> {
    /// The values in order.
    pub fn iter(&self) -> Iter<'_, T> {
        let as_slice: fn(&Arc<[T]>) -> &[T] = |c| c;
        self.chunks.iter().flat_map(as_slice)
    }

    /// How many values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.chunks
            .last()
            .map_or(0, |last| (self.chunks.len() - 1) * CHUNK + last.len())
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// The value at `i`, if any.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// Whether the values at `i` here and in `other` are in one shared chunk: then they are
    /// the same value, and so are the rest of the chunk's.
    #[must_use]
    pub fn shares_chunk_of(&self, other: &Chunked<T>, i: usize) -> bool {
        match (self.chunks.get(i / CHUNK), other.chunks.get(i / CHUNK)) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }

    /// `len` values where `kept(i)` says value `i` is `old`'s value `i` unchanged: a chunk
    /// whose values are all kept is shared with `old`, the others are made with `make(i)`.
    pub fn derive(
        old: Option<&Chunked<T>>,
        len: usize,
        kept: impl Fn(usize) -> bool,
        mut make: impl FnMut(usize) -> T,
    ) -> Chunked<T> {
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
        Chunked { chunks }
    }
}

impl<T> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Chunked<T> {
        let mut chunks = Vec::new();
        let mut chunk = Vec::with_capacity(CHUNK);
        for value in values {
            chunk.push(value);
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
        Chunked { chunks }
    }
}

/// Appends by making the last chunk again and adding chunks: for lists being built (an
/// upload's preview), not for the hot path.
impl<T: Clone> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        let start = self
            .chunks
            .pop()
            .map(|last| last.to_vec())
            .unwrap_or_default();
        let rest: Chunked<T> = start.into_iter().chain(values).collect();
        self.chunks.extend(rest.chunks);
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.chunks[i / CHUNK][i % CHUNK]
    }
}

impl<'a, T> IntoIterator for &'a Chunked<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(k: usize) -> FeatureText {
        FeatureText::new(
            crate::store::Head::new(Arc::from(k.to_string()), Arc::from("\"geometry\":null")),
            "{}",
        )
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
    fn a_chunked_list_counts_indexes_and_extends_as_a_vector_does() {
        for n in [0, 1, 15, 16, 17, 40] {
            let mut list: Chunked<usize> = (0..n).collect();
            let mut vector: Vec<usize> = (0..n).collect();
            assert_eq!(list.len(), n);
            assert_eq!(list.is_empty(), n == 0);
            assert_eq!(list.get(n), None);
            list.extend(100..103);
            vector.extend(100..103);
            assert_eq!(list.iter().copied().collect::<Vec<_>>(), vector);
            assert_eq!(list.len(), vector.len());
            assert!((0..vector.len()).all(|i| list[i] == vector[i]));
        }
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
