//! CQL2 filters (OGC API Features Part 3) over planned and context features.
//!
//! Inputs: a filter in cql2-text or cql2-json, parsed by the `cql2` crate, and the coordinate
//! system its geometry literals are written in (as a function to WGS-84 lon/lat). The parsed
//! tree is checked and compiled once into a [`CqlFilter`] naming only our typed queryables, so
//! an unknown property or an unsupported operator is refused before any feature is read.
//! Output: yes/no per feature ([`CqlFilter::matches`]).
//!
//! What is evaluated: `AND`, `OR`, `NOT`; `=`, `<>`, `<`, `<=`, `>`, `>=`; `LIKE` (`%`, `_`,
//! `\` escapes); `BETWEEN`; `IN`; `IS NULL`; `CASEI`; the spatial functions `S_INTERSECTS`,
//! `S_WITHIN`, `S_CONTAINS`, `S_DISJOINT`, `S_EQUALS`, `S_TOUCHES`, `S_OVERLAPS`, `S_CROSSES`
//! on WGS-84 geometries with the `geo` crate (DE-9IM). Logic is three-valued as in SQL: a
//! comparison with a null is unknown, `NOT unknown` is unknown, and a feature passes only when
//! the whole filter is true. A list queryable (`metric`) holds when some element holds.
//!
//! This file reads and checks a filter into its tree; `cql/eval.rs` runs the tree over a
//! feature.

mod eval;

use cql2::Expr;
use geo::{Geometry, MapCoords};
use thiserror::Error;

use super::nesting::{MAX_NESTING, nesting_json, nesting_text};
use super::queryable::{Queryable, Queryables};

/// Why a filter was refused.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CqlError {
    /// The text or JSON is not CQL2; the parser's message.
    #[error("the filter is not valid {lang}: {message}")]
    Parse {
        /// `cql2-text` or `cql2-json`.
        lang: &'static str,
        /// The parser's message.
        message: String,
    },
    /// A property that is not among the queryables.
    #[error("`{0}` is not a queryable; see /api/collections/{{id}}/queryables")]
    UnknownQueryable(String),
    /// An operator or function this server does not evaluate.
    #[error("`{0}` is not supported here")]
    Unsupported(String),
    /// An operand of the wrong kind (a geometry where a value is needed, say).
    #[error("{0}")]
    Invalid(String),
    /// No thread could be started to parse the filter (the machine is out of threads).
    #[error("the filter could not be parsed now: {0}")]
    Unavailable(String),
    /// Brackets and prefix operators nested deeper than [`MAX_NESTING`]: refused before the
    /// parser sees the text, whose recursion grows with the nesting.
    #[error("the filter nests {depth} levels deep; at most {max} are accepted")]
    TooDeep {
        /// How deep the filter nests (at least; counting stops past the bound).
        depth: usize,
        /// [`MAX_NESTING`].
        max: usize,
    },
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A spatial predicate, by its DE-9IM meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spatial {
    Intersects,
    Disjoint,
    Within,
    Contains,
    Equals,
    Touches,
    Overlaps,
    Crosses,
}

/// A value operand.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Property(Queryable),
    Text(String),
    Number(f64),
    Null,
    /// `CASEI(x)`: compared lower-cased.
    CaseI(Box<Operand>),
}

/// A geometry operand.
#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// The feature's own geometry.
    Feature,
    /// A literal, already in WGS-84 lon/lat.
    Literal(Box<Geometry<f64>>),
}

/// A compiled filter node.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Const(bool),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Compare(Cmp, Operand, Operand),
    Like(Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    IsNull(Operand),
    Spatial(Spatial, Shape, Shape),
}

/// A checked CQL2 filter, ready to run over features.
#[derive(Debug, Clone, PartialEq)]
pub struct CqlFilter {
    root: Node,
}

impl CqlFilter {
    /// Parses cql2-text; geometry literals are given in a system that `to_wgs84` converts
    /// (identity for CRS84).
    ///
    /// # Errors
    /// [`CqlError`]: too deep a nesting, the parser's message, an unknown queryable or an
    /// unsupported operator.
    pub fn parse_text(
        text: &str,
        to_wgs84: &(dyn Fn(f64, f64) -> (f64, f64) + Sync),
    ) -> Result<CqlFilter, CqlError> {
        check_nesting(nesting_text(text))?;
        on_parser_stack(|| {
            let expr = cql2::parse_text(text).map_err(|e| CqlError::Parse {
                lang: "cql2-text",
                message: e.to_string(),
            })?;
            Ok(CqlFilter {
                root: compile(expr, to_wgs84)?,
            })
        })
    }

    /// Parses cql2-json, as [`CqlFilter::parse_text`].
    ///
    /// # Errors
    /// As [`CqlFilter::parse_text`].
    pub fn parse_json(
        text: &str,
        to_wgs84: &(dyn Fn(f64, f64) -> (f64, f64) + Sync),
    ) -> Result<CqlFilter, CqlError> {
        check_nesting(nesting_json(text))?;
        on_parser_stack(|| {
            let expr = cql2::parse_json(text).map_err(|e| CqlError::Parse {
                lang: "cql2-json",
                message: e.to_string(),
            })?;
            Ok(CqlFilter {
                root: compile(expr, to_wgs84)?,
            })
        })
    }

    /// Whether the feature passes (the filter is true for it; false and unknown fail).
    #[must_use]
    pub fn matches(&self, f: &dyn Queryables) -> bool {
        eval::eval(&self.root, f) == Some(true)
    }
}

/// Stack of the thread a filter is parsed, compiled and dropped on. The `cql2` parser and its
/// tree conversion recurse per level of nesting and per prefix operator or chained comparison
/// (`name=a=a=…`), which [`MAX_NESTING`] does not all count; an unoptimised build needs up to
/// 4 MiB for the worst 1000-character filter, more than a server worker's 2 MiB. The pages are
/// only touched as deep as a filter goes, so the reservation costs address space, not memory.
const PARSER_STACK_BYTES: usize = 32 << 20;

/// Runs the parse on a thread of its own with [`PARSER_STACK_BYTES`] of stack, so no filter
/// can overflow the caller's stack; a panic inside the parser is a refused filter, not a
/// failed request.
fn on_parser_stack(
    parse: impl FnOnce() -> Result<CqlFilter, CqlError> + Send,
) -> Result<CqlFilter, CqlError> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("cql2-parse".into())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, parse)
            .map_err(|e| CqlError::Unavailable(e.to_string()))?;
        handle
            .join()
            .unwrap_or_else(|_| Err(CqlError::Invalid("the filter could not be read".into())))
    })
}

/// Refuses a nesting past [`MAX_NESTING`].
fn check_nesting(depth: usize) -> Result<(), CqlError> {
    if depth > MAX_NESTING {
        Err(CqlError::TooDeep {
            depth,
            max: MAX_NESTING,
        })
    } else {
        Ok(())
    }
}

fn op_name(op: &str) -> String {
    op.to_ascii_lowercase()
}

fn compile(expr: Expr, to_wgs84: &dyn Fn(f64, f64) -> (f64, f64)) -> Result<Node, CqlError> {
    match expr {
        Expr::Bool(b) => Ok(Node::Const(b)),
        Expr::Operation { op, args } => {
            let op = op_name(&op);
            let mut args: Vec<Expr> = args.into_iter().map(|a| *a).collect();
            let arity = |n: usize, args: &[Expr]| {
                if args.len() == n {
                    Ok(())
                } else {
                    Err(CqlError::Invalid(format!(
                        "`{op}` takes {n} arguments, got {}",
                        args.len()
                    )))
                }
            };
            let cmp = match op.as_str() {
                "=" => Some(Cmp::Eq),
                "<>" => Some(Cmp::Ne),
                "<" => Some(Cmp::Lt),
                "<=" => Some(Cmp::Le),
                ">" => Some(Cmp::Gt),
                ">=" => Some(Cmp::Ge),
                _ => None,
            };
            if let Some(c) = cmp {
                arity(2, &args)?;
                let b = operand(args.pop())?;
                let a = operand(args.pop())?;
                return Ok(Node::Compare(c, a, b));
            }
            if let Some(s) = spatial(&op) {
                arity(2, &args)?;
                let b = shape(args.pop(), to_wgs84)?;
                let a = shape(args.pop(), to_wgs84)?;
                return Ok(Node::Spatial(s, a, b));
            }
            match op.as_str() {
                "and" | "or" => {
                    let nodes = args
                        .into_iter()
                        .map(|a| compile(a, to_wgs84))
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(if op == "and" {
                        Node::And(nodes)
                    } else {
                        Node::Or(nodes)
                    })
                }
                "not" => {
                    arity(1, &args)?;
                    let inner = compile(args.remove(0), to_wgs84)?;
                    Ok(Node::Not(Box::new(inner)))
                }
                "like" => {
                    arity(2, &args)?;
                    let pattern = operand(args.pop())?;
                    let value = operand(args.pop())?;
                    Ok(Node::Like(value, pattern))
                }
                "between" => {
                    arity(3, &args)?;
                    let high = operand(args.pop())?;
                    let low = operand(args.pop())?;
                    let value = operand(args.pop())?;
                    Ok(Node::Between(value, low, high))
                }
                "in" => {
                    arity(2, &args)?;
                    let list = match args.pop() {
                        Some(Expr::Array(items)) => items
                            .into_iter()
                            .map(|i| operand(Some(*i)))
                            .collect::<Result<Vec<_>, _>>()?,
                        _ => {
                            return Err(CqlError::Invalid(
                                "`IN` takes a list in parentheses".into(),
                            ));
                        }
                    };
                    Ok(Node::In(operand(args.pop())?, list))
                }
                "isnull" => {
                    arity(1, &args)?;
                    Ok(Node::IsNull(operand(args.pop())?))
                }
                other => Err(CqlError::Unsupported(other.to_string())),
            }
        }
        other => Err(CqlError::Invalid(format!(
            "a filter must be a condition, not a value ({})",
            other.to_text().unwrap_or_else(|_| "?".into())
        ))),
    }
}

fn spatial(op: &str) -> Option<Spatial> {
    Some(match op {
        "s_intersects" => Spatial::Intersects,
        "s_disjoint" => Spatial::Disjoint,
        "s_within" => Spatial::Within,
        "s_contains" => Spatial::Contains,
        "s_equals" => Spatial::Equals,
        "s_touches" => Spatial::Touches,
        "s_overlaps" => Spatial::Overlaps,
        "s_crosses" => Spatial::Crosses,
        _ => return None,
    })
}

fn property(name: &str) -> Result<Queryable, CqlError> {
    Queryable::parse(name).ok_or_else(|| CqlError::UnknownQueryable(name.to_string()))
}

fn operand(expr: Option<Expr>) -> Result<Operand, CqlError> {
    match expr {
        Some(Expr::Property { property: name }) => {
            let q = property(&name)?;
            if q == Queryable::Geometry {
                return Err(CqlError::Invalid(
                    "`geometry` can only be used in a spatial function (S_INTERSECTS …)".into(),
                ));
            }
            Ok(Operand::Property(q))
        }
        Some(Expr::Literal(s)) => Ok(Operand::Text(s)),
        Some(Expr::Float(x)) => Ok(Operand::Number(x)),
        Some(Expr::Null) => Ok(Operand::Null),
        Some(Expr::Operation { op, mut args }) if op_name(&op) == "casei" && args.len() == 1 => {
            Ok(Operand::CaseI(Box::new(operand(args.pop().map(|a| *a))?)))
        }
        Some(Expr::Operation { op, .. }) => Err(CqlError::Unsupported(op)),
        Some(Expr::Bool(_)) => Err(CqlError::Unsupported(
            "boolean values (no queryable is boolean)".into(),
        )),
        Some(other) => Err(CqlError::Unsupported(
            other.to_text().unwrap_or_else(|_| "this operand".into()),
        )),
        None => Err(CqlError::Invalid("an argument is missing".into())),
    }
}

fn shape(expr: Option<Expr>, to_wgs84: &dyn Fn(f64, f64) -> (f64, f64)) -> Result<Shape, CqlError> {
    match expr {
        Some(Expr::Property { property: name }) => match property(&name)? {
            Queryable::Geometry => Ok(Shape::Feature),
            _ => Err(CqlError::Invalid(format!(
                "`{name}` is not a geometry; spatial functions take `geometry` and a geometry literal"
            ))),
        },
        Some(Expr::BBox { bbox }) if reversed(&bbox) => Err(CqlError::Invalid(
            "BBOX minimum exceeds maximum (boxes across the antimeridian are not supported)".into(),
        )),
        Some(e @ (Expr::Geometry(_) | Expr::BBox { .. })) => {
            let g = Geometry::<f64>::try_from(e).map_err(|e| CqlError::Parse {
                lang: "geometry literal",
                message: e.to_string(),
            })?;
            let g = g.map_coords(|c| {
                let (lon, lat) = to_wgs84(c.x, c.y);
                geo::Coord { x: lon, y: lat }
            });
            Ok(Shape::Literal(Box::new(g)))
        }
        Some(other) => Err(CqlError::Invalid(format!(
            "a spatial function takes geometries, got {}",
            other.to_text().unwrap_or_else(|_| "a value".into())
        ))),
        None => Err(CqlError::Invalid("an argument is missing".into())),
    }
}

/// Whether a BBOX literal (4 or 6 numbers) has a minimum above its maximum; `Rect` would
/// silently swap them, turning a box across the antimeridian into the rest of the world.
fn reversed(bbox: &[Box<Expr>]) -> bool {
    let n: Vec<f64> = bbox
        .iter()
        .filter_map(|e| match e.as_ref() {
            Expr::Float(x) => Some(*x),
            _ => None,
        })
        .collect();
    match n.as_slice() {
        [x0, y0, x1, y1] | [x0, y0, _, x1, y1, _] => x0 > x1 || y0 > y1,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::queryable::Scalar;

    struct Fake {
        name: &'static str,
        uncertainty_m: Option<f64>,
        metrics: Vec<&'static str>,
        geometry: Option<Geometry<f64>>,
    }

    impl Queryables for Fake {
        fn values(&self, q: Queryable) -> Vec<Scalar<'_>> {
            match q {
                Queryable::Name => vec![Scalar::Text(self.name)],
                Queryable::UncertaintyM => {
                    self.uncertainty_m.map(Scalar::Number).into_iter().collect()
                }
                Queryable::Metric => self.metrics.iter().map(|m| Scalar::Text(m)).collect(),
                _ => Vec::new(),
            }
        }
        fn geometry(&self) -> Option<&Geometry<f64>> {
            self.geometry.as_ref()
        }
    }

    fn fake() -> Fake {
        Fake {
            name: "解放碑步行街",
            uncertainty_m: Some(120.0),
            metrics: vec!["新增停车位", "改造面积"],
            geometry: Some(Geometry::Point(geo::Point::new(106.577, 29.557))),
        }
    }

    fn text(filter: &str) -> CqlFilter {
        CqlFilter::parse_text(filter, &|lon, lat| (lon, lat)).expect(filter)
    }

    #[test]
    fn comparisons_like_in_and_between_hold_as_sql_says() {
        let f = fake();
        for (filter, expected) in [
            ("name = '解放碑步行街'", true),
            ("name <> '解放碑步行街'", false),
            ("uncertainty_m > 100", true),
            ("uncertainty_m >= 120 AND uncertainty_m <= 120", true),
            ("uncertainty_m < 100 OR name LIKE '解放碑%'", true),
            ("name LIKE '解放_步行街'", true),
            ("name LIKE '%广场'", false),
            ("NOT name LIKE '%广场'", true),
            ("name IN ('朝天门', '解放碑步行街')", true),
            ("name NOT IN ('朝天门')", true),
            ("uncertainty_m BETWEEN 100 AND 200", true),
            ("uncertainty_m IS NULL", false),
            ("theme IS NULL", true),
            ("metric = '新增停车位'", true),
            ("metric IN ('改造面积')", true),
            ("metric = '绿地率'", false),
        ] {
            assert_eq!(text(filter).matches(&f), expected, "{filter}");
        }
    }

    #[test]
    fn a_comparison_with_null_is_unknown_and_so_is_its_negation() {
        let f = fake();
        assert!(!text("theme = '产业'").matches(&f));
        assert!(!text("NOT (theme = '产业')").matches(&f));
        assert!(text("NOT (theme = '产业') OR name = '解放碑步行街'").matches(&f));
    }

    #[test]
    fn spatial_functions_test_the_feature_geometry_against_the_literal() {
        let f = fake();
        let inside =
            "POLYGON((106.57 29.55, 106.58 29.55, 106.58 29.56, 106.57 29.56, 106.57 29.55))";
        assert!(text(&format!("S_INTERSECTS(geometry, {inside})")).matches(&f));
        assert!(text(&format!("S_WITHIN(geometry, {inside})")).matches(&f));
        assert!(!text("S_INTERSECTS(geometry, BBOX(106.0, 29.0, 106.1, 29.1))").matches(&f));
        assert!(text("S_INTERSECTS(geometry, BBOX(106.5, 29.5, 106.6, 29.6))").matches(&f));
        let unlocated = Fake {
            geometry: None,
            ..fake()
        };
        assert!(!text("S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))").matches(&unlocated));
        // Literals given latitude first are turned to lon/lat before testing.
        let swapped = CqlFilter::parse_text(
            "S_INTERSECTS(geometry, BBOX(29.5, 106.5, 29.6, 106.6))",
            &|lat, lon| (lon, lat),
        )
        .expect("parses");
        assert!(swapped.matches(&f));
    }

    #[test]
    fn cql2_json_gives_the_same_answer_as_text() {
        let f = fake();
        let json = r#"{"op":"and","args":[{"op":"like","args":[{"property":"name"},"解放碑%"]},{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[106.5,29.5,106.6,29.6]}]}]}"#;
        let filter = CqlFilter::parse_json(json, &|lon, lat| (lon, lat)).expect("parses");
        assert!(filter.matches(&f));
    }

    #[test]
    fn unknown_properties_and_malformed_text_are_refused_with_a_reason() {
        let id = |lon, lat| (lon, lat);
        assert_eq!(
            CqlFilter::parse_text("height > 3", &id),
            Err(CqlError::UnknownQueryable("height".into()))
        );
        assert!(matches!(
            CqlFilter::parse_text("name = ", &id),
            Err(CqlError::Parse { .. })
        ));
        assert!(matches!(
            CqlFilter::parse_json("{\"op\":", &id),
            Err(CqlError::Parse { .. })
        ));
        assert!(matches!(
            CqlFilter::parse_text("S_WITHIN(geometry, BBOX(106.6, 29.6, 106.5, 29.5))", &id),
            Err(CqlError::Invalid(_))
        ));
        assert!(matches!(
            CqlFilter::parse_text("T_BEFORE(name, TIMESTAMP('2020-01-01T00:00:00Z'))", &id),
            Err(CqlError::Unsupported(_) | CqlError::Invalid(_))
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_and_never_panics(
            text in "(name|theme|geometry|metric|uncertainty_m|S_INTERSECTS|S_WITHIN|BBOX|POINT|POLYGON|LINESTRING|EMPTY|AND|OR|NOT|IN|LIKE|IS|NULL|BETWEEN|CASEI|[(),' %_=<>0-9.-]){0,40}",
        ) {
            let f = fake();
            if let Ok(filter) = CqlFilter::parse_text(&text, &|lon, lat| (lon, lat)) {
                let _ = filter.matches(&f);
            }
        }

        #[test]
        fn any_json_is_parsed_or_refused_and_never_panics(
            text in r#"(\{|\}|\[|\]|"op"|"args"|"property"|"bbox"|"type"|"coordinates"|"Point"|"Polygon"|"s_intersects"|"and"|"not"|"in"|"like"|"isNull"|"="|"name"|"geometry"|:|,|[0-9.-]){0,40}"#,
        ) {
            let f = fake();
            if let Ok(filter) = CqlFilter::parse_json(&text, &|lon, lat| (lon, lat)) {
                let _ = filter.matches(&f);
            }
        }
    }

    fn parens(n: usize) -> String {
        format!("{}name='a'{}", "(".repeat(n), ")".repeat(n))
    }

    fn json_nots(n: usize) -> String {
        format!(
            "{}{{\"op\":\"=\",\"args\":[{{\"property\":\"name\"}},\"a\"]}}{}",
            "{\"op\":\"not\",\"args\":[".repeat(n),
            "]}".repeat(n)
        )
    }

    #[test]
    fn a_filter_nested_past_the_bound_is_refused_before_it_is_parsed() {
        let id = |lon, lat| (lon, lat);
        for text in [
            parens(400),
            format!("{}name='a'", "NOT ".repeat(200)),
            format!("name={}1", "-".repeat(500)),
        ] {
            assert!(
                matches!(
                    CqlFilter::parse_text(&text, &id),
                    Err(CqlError::TooDeep {
                        max: MAX_NESTING,
                        ..
                    })
                ),
                "{text}"
            );
        }
        assert!(matches!(
            CqlFilter::parse_json(&json_nots(200), &id),
            Err(CqlError::TooDeep { .. })
        ));
        // Brackets inside strings are text, not nesting.
        assert_eq!(nesting_text("name = '(((((' AND \"((\" = 'x'"), 0);
        assert_eq!(
            nesting_json(r#"{"op":"=","args":[{"property":"name"},"[[[{{{"]}"#),
            3
        );
        assert_eq!(nesting_text("NOT (NOT name = 'a')"), 3);
        // A binary minus is no prefix.
        assert_eq!(nesting_text("uncertainty_m - 1 > 2"), 0);
    }

    #[test]
    fn the_deepest_accepted_filters_parse_even_from_a_small_stack() {
        // The caller's 256 KiB would not hold the parser at these depths in a debug build
        // (32 parentheses need about 2 MiB); the parser's own thread does.
        let outcomes = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let id = |lon, lat| (lon, lat);
                [
                    CqlFilter::parse_text(&parens(MAX_NESTING), &id).map(|_| ()),
                    CqlFilter::parse_json(&json_nots(MAX_NESTING / 2 - 2), &id).map(|_| ()),
                    // Chained comparisons are not counted as nesting; 1000 characters of them
                    // are refused by the compiler, not by the stack.
                    CqlFilter::parse_text(&format!("name{}", "=a".repeat(495)), &id).map(|_| ()),
                ]
            })
            .expect("thread")
            .join()
            .expect("no overflow");
        assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
        assert!(outcomes[1].is_ok(), "{:?}", outcomes[1]);
        assert!(outcomes[2].is_err());
    }
}
