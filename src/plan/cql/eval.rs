//! Running a checked CQL2 filter over one feature: the three-valued logic of SQL (a
//! comparison with a null is unknown; `NOT unknown` is unknown), comparisons of text and
//! numbers, `LIKE` by characters, and the spatial predicates by their DE-9IM meaning.
//!
//! Input: the tree [`super::CqlFilter`] compiled (only our typed queryables, geometry
//! literals already WGS-84 lon/lat) and a feature as [`Queryables`]. Output: true, false or
//! unknown (`None`); the filter passes a feature only when true.

use std::cmp::Ordering;

use geo::{Geometry, Intersects, Relate};

use super::{Cmp, Node, Operand, Shape, Spatial};
use crate::plan::queryable::{Queryables, Scalar};

/// Text values compared, owned only when lower-cased.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

/// Three-valued AND over any number of terms (true for none). Not a `try_fold`: an unknown
/// term must not stop the scan, since a later false still makes the whole false.
fn all3(terms: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut out = Some(true);
    for t in terms {
        out = and3(out, t);
    }
    out
}

/// Three-valued OR over any number of terms (false for none).
fn any3(terms: impl Iterator<Item = Option<bool>>) -> Option<bool> {
    let mut out = Some(false);
    for t in terms {
        out = or3(out, t);
    }
    out
}

/// The value of `node` for the feature `f`: true, false or unknown (`None`).
pub(super) fn eval(node: &Node, f: &dyn Queryables) -> Option<bool> {
    match node {
        Node::Const(b) => Some(*b),
        Node::And(nodes) => all3(nodes.iter().map(|n| eval(n, f))),
        Node::Or(nodes) => any3(nodes.iter().map(|n| eval(n, f))),
        Node::Not(n) => eval(n, f).map(|b| !b),
        Node::Compare(c, a, b) => any_pair(f, a, b, |x, y| {
            compare(x, y).map(|o| match c {
                Cmp::Eq => o == Ordering::Equal,
                Cmp::Ne => o != Ordering::Equal,
                Cmp::Lt => o == Ordering::Less,
                Cmp::Le => o != Ordering::Greater,
                Cmp::Gt => o == Ordering::Greater,
                Cmp::Ge => o != Ordering::Less,
            })
        }),
        Node::Like(v, p) => any_pair(f, v, p, |x, y| match (x, y) {
            (Val::Text(s), Val::Text(pat)) => Some(like(s, pat)),
            _ => None,
        }),
        Node::Between(v, lo, hi) => {
            let above = any_pair(f, v, lo, |x, y| compare(x, y).map(|o| o != Ordering::Less));
            let below = any_pair(f, v, hi, |x, y| {
                compare(x, y).map(|o| o != Ordering::Greater)
            });
            and3(above, below)
        }
        Node::In(v, list) => any3(list.iter().map(|item| {
            any_pair(f, v, item, |x, y| {
                compare(x, y).map(|o| o == Ordering::Equal)
            })
        })),
        Node::IsNull(v) => Some(values(f, v).is_empty()),
        Node::Spatial(op, a, b) => {
            let a = geometry(f, a)?;
            let b = geometry(f, b)?;
            Some(relate(*op, a, b))
        }
    }
}

fn geometry<'a>(f: &'a dyn Queryables, s: &'a Shape) -> Option<&'a Geometry<f64>> {
    match s {
        Shape::Feature => f.geometry(),
        Shape::Literal(g) => Some(g),
    }
}

fn relate(op: Spatial, a: &Geometry<f64>, b: &Geometry<f64>) -> bool {
    match op {
        // The cheap predicates first; the rest need the full intersection matrix.
        Spatial::Intersects => a.intersects(b),
        Spatial::Disjoint => !a.intersects(b),
        _ => {
            let m = a.relate(b);
            match op {
                Spatial::Within => m.is_within(),
                Spatial::Contains => m.is_contains(),
                Spatial::Equals => m.is_equal_topo(),
                Spatial::Touches => m.is_touches(),
                Spatial::Overlaps => m.is_overlaps(),
                Spatial::Crosses => m.is_crosses(),
                Spatial::Intersects | Spatial::Disjoint => m.is_intersects(),
            }
        }
    }
}

fn values<'a>(f: &'a dyn Queryables, o: &'a Operand) -> Vec<Val<'a>> {
    match o {
        Operand::Property(q) => f
            .values(*q)
            .into_iter()
            .map(|s| match s {
                Scalar::Text(t) => Val::Text(t.into()),
                Scalar::Number(x) => Val::Number(x),
            })
            .collect(),
        Operand::Text(t) => vec![Val::Text(t.as_str().into())],
        Operand::Number(x) => vec![Val::Number(*x)],
        Operand::Null => Vec::new(),
        Operand::CaseI(inner) => values(f, inner)
            .into_iter()
            .map(|v| match v {
                Val::Text(t) => Val::Text(t.to_lowercase().into()),
                n @ Val::Number(_) => n,
            })
            .collect(),
    }
}

/// Applies `test` to every pair of the operands' values: true when some pair is true, unknown
/// when an operand is null (or no pair can be compared), false otherwise.
fn any_pair(
    f: &dyn Queryables,
    a: &Operand,
    b: &Operand,
    test: impl Fn(&Val<'_>, &Val<'_>) -> Option<bool>,
) -> Option<bool> {
    let (va, vb) = (values(f, a), values(f, b));
    let mut out = None;
    for x in &va {
        for y in &vb {
            match test(x, y) {
                Some(true) => return Some(true),
                Some(false) => out = Some(false),
                None => {}
            }
        }
    }
    out
}

/// Orders two values of the same type; text against a number compares the text read as a
/// number when it is one (`'100'` and `100`), else is not comparable.
fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Text(x), Val::Text(y)) => Some(x.cmp(y)),
        (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
        (Val::Text(t), Val::Number(y)) => t.trim().parse::<f64>().ok()?.partial_cmp(y),
        (Val::Number(x), Val::Text(t)) => x.partial_cmp(&t.trim().parse::<f64>().ok()?),
    }
}

/// SQL `LIKE`: `%` any run of characters, `_` one character, `\` escapes the next one.
/// Characters, not bytes, so `_` matches one Chinese character.
fn like(text: &str, pattern: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Any,
        One,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Char(chars.next().unwrap_or('\\')),
            c => Tok::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    // reach[j]: the first i tokens can match the first j chars (one row of the usual table).
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for t in &toks {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            next[j] = match t {
                Tok::Any => reach[j] || (j > 0 && next[j - 1]),
                Tok::One => j > 0 && reach[j - 1],
                Tok::Char(c) => j > 0 && reach[j - 1] && text[j - 1] == *c,
            };
        }
        reach = next;
    }
    reach[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_counts_characters_and_honours_escapes() {
        assert!(like("十八梯", "十_梯"));
        assert!(like("50%", "50\\%"));
        assert!(!like("500", "50\\%"));
        assert!(like("", "%"));
        assert!(!like("", "_"));
    }
}
