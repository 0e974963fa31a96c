//! A list held in small shared chunks, so that the list after a change shares every chunk
//! the change did not touch: the atlas's planned features, each collection's rendered items
//! in one datum, and the geometries of a spatial index.
//!
//! Input: the values in order, or the list before a change with which positions it kept.
//! Output: [`Chunked`], indexed and iterated like a slice. Why chunks: a correction
//! re-places the features of one place, one per report, spread over the whole list; copying
//! the list then touched every value's reference count (a cache miss each), where copying
//! chunks touches one count per chunk. A chunk with a few changed values is not copied
//! either: it keeps the old chunk and lists the new values beside it (a patch), until half
//! of it is patched and it is made whole again.

use std::ops::Index;
use std::sync::Arc;

/// Values per chunk: small, since a change touches about one chunk per report.
const CHUNK: usize = 16;

/// One chunk: its values, or a shared older chunk with some of its values replaced.
#[derive(Debug)]
enum Chunk<T> {
    /// The values.
    Whole(Arc<[T]>),
    /// The values of `base`, but at each (offset, value) of `patches` (offsets ascending).
    Patched {
        base: Arc<[T]>,
        patches: Arc<[(usize, T)]>,
    },
}

impl<T> Clone for Chunk<T> {
    fn clone(&self) -> Chunk<T> {
        match self {
            Chunk::Whole(values) => Chunk::Whole(Arc::clone(values)),
            Chunk::Patched { base, patches } => Chunk::Patched {
                base: Arc::clone(base),
                patches: Arc::clone(patches),
            },
        }
    }
}

impl<T> Chunk<T> {
    fn len(&self) -> usize {
        match self {
            Chunk::Whole(values) | Chunk::Patched { base: values, .. } => values.len(),
        }
    }

    fn get(&self, offset: usize) -> Option<&T> {
        match self {
            Chunk::Whole(values) => values.get(offset),
            Chunk::Patched { base, patches } => patches
                .iter()
                .find(|(o, _)| *o == offset)
                .map(|(_, v)| v)
                .or_else(|| base.get(offset)),
        }
    }

    fn patches(&self) -> &[(usize, T)] {
        match self {
            Chunk::Whole(_) => &[],
            Chunk::Patched { patches, .. } => patches,
        }
    }
}

/// A list, `CHUNK` values per shared chunk.
#[derive(Debug)]
pub struct Chunked<T> {
    chunks: Vec<Chunk<T>>,
}

impl<T> Clone for Chunked<T> {
    fn clone(&self) -> Chunked<T> {
        Chunked {
            chunks: self.chunks.clone(),
        }
    }
}

impl<T> Default for Chunked<T> {
    fn default() -> Chunked<T> {
        Chunked { chunks: Vec::new() }
    }
}

/// The iterator over a [`Chunked`]'s values.
#[derive(Debug, Clone)]
pub struct Iter<'a, T> {
    list: &'a Chunked<T>,
    front: usize,
    back: usize,
}

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        if self.front == self.back {
            return None;
        }
        self.front += 1;
        self.list.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front == self.back {
            return None;
        }
        self.back -= 1;
        self.list.get(self.back)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<T> Chunked<T> {
    /// The values in order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_, T> {
        Iter {
            list: self,
            front: 0,
            back: self.len(),
        }
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

    /// Per value, whether it is not `same` as `old`'s at its position, comparing only in
    /// the chunks the two lists do not share. For lists as long.
    #[must_use]
    pub fn changed_from(&self, old: &Chunked<T>, same: impl Fn(&T, &T) -> bool) -> Vec<bool> {
        let mut changed = vec![false; self.len()];
        for (k, (now, before)) in self.chunks.iter().zip(&old.chunks).enumerate() {
            let shared = match (now, before) {
                (Chunk::Whole(a), Chunk::Whole(b)) => Arc::ptr_eq(a, b),
                (
                    Chunk::Patched {
                        base: a,
                        patches: p,
                    },
                    Chunk::Patched {
                        base: b,
                        patches: q,
                    },
                ) => Arc::ptr_eq(a, b) && Arc::ptr_eq(p, q),
                _ => false,
            };
            if shared {
                continue;
            }
            for o in 0..now.len() {
                changed[k * CHUNK + o] = match (now.get(o), before.get(o)) {
                    (Some(a), Some(b)) => !same(a, b),
                    _ => true,
                };
            }
        }
        changed
    }

    /// `len` values where `kept(i)` says value `i` is `old`'s value `i` unchanged: a chunk
    /// whose values are all kept is shared with `old`; one with a few others keeps `old`'s
    /// and lists them beside it, each made with `make(i)`; the rest are made whole with
    /// `make(i)` for every value.
    pub fn derive(
        old: Option<&Chunked<T>>,
        len: usize,
        kept: impl Fn(usize) -> bool,
        mut make: impl FnMut(usize) -> T,
    ) -> Chunked<T>
    where
        T: Clone,
    {
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        for start in (0..len).step_by(CHUNK) {
            let end = (start + CHUNK).min(len);
            let before = old
                .and_then(|o| o.chunks.get(start / CHUNK))
                .filter(|c| c.len() == end - start);
            let Some(before) = before else {
                chunks.push(Chunk::Whole((start..end).map(&mut make).collect()));
                continue;
            };
            let changed: Vec<usize> = (start..end).filter(|&i| !kept(i)).collect();
            if changed.is_empty() {
                chunks.push(before.clone());
                continue;
            }
            let unchanged_patches = before
                .patches()
                .iter()
                .filter(|(o, _)| !changed.contains(&(start + o)));
            if changed.len() + unchanged_patches.clone().count() > CHUNK / 2 {
                chunks.push(Chunk::Whole((start..end).map(&mut make).collect()));
                continue;
            }
            let mut patches: Vec<(usize, T)> = unchanged_patches.cloned().collect();
            patches.extend(changed.iter().map(|&i| (i - start, make(i))));
            patches.sort_by_key(|(o, _)| *o);
            let base = match before {
                Chunk::Whole(values) | Chunk::Patched { base: values, .. } => Arc::clone(values),
            };
            chunks.push(Chunk::Patched {
                base,
                patches: patches.into(),
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
                chunks.push(Chunk::Whole(Arc::from(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(CHUNK),
                ))));
            }
        }
        if !chunk.is_empty() {
            chunks.push(Chunk::Whole(Arc::from(chunk)));
        }
        Chunked { chunks }
    }
}

/// Appends by making the last chunk again and adding chunks: for lists being built (an
/// upload's preview), not for the hot path.
impl<T: Clone> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, values: I) {
        let start: Vec<T> = match self.chunks.pop() {
            Some(last) => (0..last.len())
                .filter_map(|o| last.get(o).cloned())
                .collect(),
            None => Vec::new(),
        };
        let rest: Chunked<T> = start.into_iter().chain(values).collect();
        self.chunks.extend(rest.chunks);
    }
}

impl<T> Index<usize> for Chunked<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(value) => value,
            None => panic!("index {i} out of a list of {}", self.len()),
        }
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

    type Items = Chunked<Arc<str>>;

    fn text(k: usize) -> Arc<str> {
        Arc::from(format!("item {k}"))
    }

    fn written(items: &Items) -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
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
    fn a_list_changed_many_times_reads_as_the_vector_changed_alike() {
        // Forty changes of a few values each, with fixed pseudo-random positions: chunks are
        // patched, patched again and made whole again, and every list reads as the vector.
        let mut vector: Vec<u64> = (0..100).collect();
        let mut list: Chunked<u64> = vector.iter().copied().collect();
        let mut state: u64 = 17;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % m
        };
        for round in 0..40_u64 {
            let changed: Vec<usize> = (0..=next(6))
                .map(|_| usize::try_from(next(100)).unwrap_or(0))
                .collect();
            for &i in &changed {
                vector[i] = 1000 * (round + 1) + i as u64;
            }
            list = Chunked::derive(Some(&list), 100, |i| !changed.contains(&i), |i| vector[i]);
            assert_eq!(
                list.iter().copied().collect::<Vec<_>>(),
                vector,
                "round {round}"
            );
            assert_eq!(list.iter().rev().count(), 100);
            assert!((0..100).all(|i| list[i] == vector[i]));
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
        let values = |c: &Chunk<Arc<str>>| match c {
            Chunk::Whole(v) | Chunk::Patched { base: v, .. } => Arc::clone(v),
        };
        assert!(Arc::ptr_eq(
            &values(&derived.chunks[0]),
            &values(&old.chunks[0])
        ));
        assert!(
            matches!(&derived.chunks[1], Chunk::Patched { base, patches }
                if Arc::ptr_eq(base, &values(&old.chunks[1])) && patches.len() == 1),
            "the chunk of item 20 keeps the old values and lists item 20 beside them"
        );
        assert!(Arc::ptr_eq(
            &values(&derived.chunks[2]),
            &values(&old.chunks[2])
        ));
        assert!(
            !Arc::ptr_eq(&values(&derived.chunks[2]), &values(&old.chunks[3]))
                && derived.chunks.len() == 3,
            "the last chunk is shorter now, so it is made again"
        );
    }
}
