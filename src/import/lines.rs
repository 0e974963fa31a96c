//! Merging the ways of one name into lines: the runs of a way's nodes that the extract has,
//! and joining parts whose endpoints coincide. Input and output are positions in
//! decimicrodegrees ([`Position`]); nothing here knows OSM tags.

use std::collections::{HashMap, VecDeque};

use super::geometry::Position;

/// The runs of consecutive nodes of `refs` whose positions are known, each at least two
/// distinct positions long (repeated positions dropped).
pub(super) fn resolve_runs(refs: &[i64], positions: &HashMap<i64, Position>) -> Vec<Vec<Position>> {
    let mut runs = Vec::new();
    let mut run: Vec<Position> = Vec::new();
    for id in refs {
        match positions.get(id) {
            Some(p) if run.last() == Some(p) => {}
            Some(p) => run.push(*p),
            None if run.len() >= 2 => runs.push(std::mem::take(&mut run)),
            None => run.clear(),
        }
    }
    if run.len() >= 2 {
        runs.push(run);
    }
    runs
}

/// Joins lines whose endpoints coincide into as few lines as possible, reversing parts where
/// needed. Each result starts from the first unused part (in input order) and grows at both
/// ends; where three or more parts meet at one point (a fork), the earliest part is taken.
/// Parts shorter than two positions are dropped. Cost: O(total positions) with an endpoint
/// index.
#[must_use]
pub fn merge_lines(parts: Vec<Vec<Position>>) -> Vec<Vec<Position>> {
    let parts: Vec<Vec<Position>> = parts.into_iter().filter(|p| p.len() >= 2).collect();
    let mut ends: HashMap<Position, Vec<usize>> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        ends.entry(p[0]).or_default().push(i);
        ends.entry(p[p.len() - 1]).or_default().push(i);
    }
    let mut used = vec![false; parts.len()];
    let mut next_unused = |at: Position, used: &mut [bool]| -> Option<usize> {
        let found = ends.get_mut(&at)?;
        found.retain(|&j| !used[j]);
        let j = *found.first()?;
        used[j] = true;
        Some(j)
    };
    let mut merged = Vec::new();
    for start in 0..parts.len() {
        if used[start] {
            continue;
        }
        used[start] = true;
        let mut line: VecDeque<Position> = parts[start].iter().copied().collect();
        while let Some(&end) = line.back()
            && let Some(j) = next_unused(end, &mut used)
        {
            let p = &parts[j];
            if p[0] == end {
                line.extend(&p[1..]);
            } else {
                line.extend(p.iter().rev().skip(1));
            }
        }
        while let Some(&front) = line.front()
            && let Some(j) = next_unused(front, &mut used)
        {
            let p = &parts[j];
            if p[p.len() - 1] == front {
                p.iter().rev().skip(1).for_each(|q| line.push_front(*q));
            } else {
                p.iter().skip(1).for_each(|q| line.push_front(*q));
            }
        }
        merged.push(line.into_iter().collect());
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(points: &[(i32, i32)]) -> Vec<Position> {
        points.iter().map(|&(x, y)| [x, y]).collect()
    }

    #[test]
    fn parts_sharing_endpoints_chain_into_one_line_whatever_their_direction() {
        let merged = merge_lines(vec![
            line(&[(2, 0), (3, 0)]),
            line(&[(2, 0), (1, 0)]),
            line(&[(5, 0), (4, 0), (3, 0)]),
            line(&[(0, 0), (1, 0)]),
        ]);
        assert_eq!(merged.len(), 1);
        let mut got = merged[0].clone();
        if got[0] != [0, 0] {
            got.reverse();
        }
        assert_eq!(got, line(&[(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)]));
    }

    #[test]
    fn parts_that_do_not_touch_stay_apart_and_short_parts_are_dropped() {
        let merged = merge_lines(vec![
            line(&[(0, 0), (1, 0)]),
            line(&[(5, 5)]),
            line(&[(3, 0), (4, 0)]),
            line(&[(1, 0), (2, 0)]),
        ]);
        assert_eq!(
            merged,
            vec![line(&[(0, 0), (1, 0), (2, 0)]), line(&[(3, 0), (4, 0)])]
        );
    }

    #[test]
    fn a_run_of_nodes_breaks_where_the_extract_lacks_a_node() {
        let positions: HashMap<i64, Position> = [
            (1, [0, 0]),
            (2, [1, 0]),
            (4, [3, 0]),
            (5, [4, 0]),
            (7, [6, 0]),
        ]
        .into();
        let runs = resolve_runs(&[1, 2, 3, 4, 5, 6, 7], &positions);
        assert_eq!(runs, vec![line(&[(0, 0), (1, 0)]), line(&[(3, 0), (4, 0)])]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// A line cut into pieces, shuffled and some reversed, merges back into itself.
        #[test]
        fn a_cut_line_merges_back_into_itself(
            steps in proptest::collection::vec((1..1000_i32, -1000..1000_i32), 2..40),
            cuts in proptest::collection::vec(0..40_usize, 0..10),
            order_seed in 0..u64::MAX,
        ) {
            // Strictly increasing longitude: no position repeats, so the merge is unique.
            let mut p = [1_065_000_000, 295_000_000];
            let mut original = vec![p];
            for (dx, dy) in steps {
                p = [p[0] + dx, p[1] + dy];
                original.push(p);
            }
            let mut cut_at: Vec<usize> = cuts.into_iter().map(|c| 1 + c % (original.len() - 1)).collect();
            cut_at.sort_unstable();
            cut_at.dedup();
            let mut parts = Vec::new();
            let mut from = 0;
            for at in cut_at.into_iter().chain([original.len() - 1]) {
                if at > from {
                    parts.push(original[from..=at].to_vec());
                    from = at;
                }
            }
            // Deterministic shuffle and reversal from the seed.
            let mut seed = order_seed;
            let mut shuffled = Vec::new();
            while !parts.is_empty() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let mut part = parts.remove((seed >> 33) as usize % parts.len());
                if seed & 1 == 1 {
                    part.reverse();
                }
                shuffled.push(part);
            }
            let merged = merge_lines(shuffled);
            proptest::prop_assert_eq!(merged.len(), 1);
            let mut got = merged[0].clone();
            if got[0] != original[0] {
                got.reverse();
            }
            proptest::prop_assert_eq!(got, original);
        }
    }
}
