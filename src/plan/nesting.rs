//! How deep a CQL2 filter nests, read lexically before any parser sees it: the `cql2` parser
//! recurses per level, so a deep filter must be refused by counting, not by parsing.
//!
//! Input: the filter text (cql2-text or cql2-json). Output: its nesting depth, compared with
//! [`MAX_NESTING`] by `cql::CqlFilter`'s parse functions.

/// Deepest nesting a filter may have: brackets (`(` in cql2-text; `[` and `{` in cql2-json)
/// plus the runs of prefix operators (`NOT`, unary `-`) the parser recurses on. A real filter
/// nests a few levels (a multipolygon in cql2-json inside an `and` is 9). Chained comparisons
/// (`a=b=c…`) are not counted: the parser's own large stack (`cql`) holds them.
pub const MAX_NESTING: usize = 32;

/// How deep a cql2-text filter nests: the deepest point of its parentheses outside quoted
/// strings (`'…'`) and identifiers (`"…"`), with the run of prefix operators (`NOT`, unary
/// `-`) in front of an operand added at that point, since the parser recurses on each.
pub fn nesting_text(text: &str) -> usize {
    let mut deepest = 0;
    let mut parens = 0usize;
    let mut prefixes = 0usize;
    let mut quote: Option<char> = None;
    let mut word = String::new();
    // Whether the last token ends an operand, so a `-` after it is binary.
    let mut after_operand = false;
    let end_word = |word: &mut String, prefixes: &mut usize, after_operand: &mut bool| {
        if word.is_empty() {
            return;
        }
        if word.eq_ignore_ascii_case("not") {
            *prefixes += 1;
            *after_operand = false;
        } else if ["and", "or", "like", "in", "between", "is"]
            .iter()
            .any(|k| word.eq_ignore_ascii_case(k))
        {
            *after_operand = false;
        } else {
            *prefixes = 0;
            *after_operand = true;
        }
        word.clear();
    };
    for c in text.chars() {
        if let Some(q) = quote {
            // A doubled quote inside closes and reopens: the same toggling reads it right.
            if c == q {
                quote = None;
                prefixes = 0;
                after_operand = true;
            }
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '.' || c == ':' {
            word.push(c);
            continue;
        }
        end_word(&mut word, &mut prefixes, &mut after_operand);
        match c {
            '\'' | '"' => quote = Some(c),
            '(' => {
                parens += 1;
                after_operand = false;
            }
            ')' => {
                parens = parens.saturating_sub(1);
                prefixes = 0;
                after_operand = true;
            }
            '-' | '+' if !after_operand => prefixes += 1,
            c if c.is_whitespace() => {}
            _ => after_operand = false,
        }
        deepest = deepest.max(parens + prefixes);
    }
    end_word(&mut word, &mut prefixes, &mut after_operand);
    deepest.max(parens + prefixes)
}

/// How deep a cql2-json filter nests: the deepest point of its arrays and objects outside
/// strings.
pub fn nesting_json(text: &str) -> usize {
    let mut deepest = 0;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_in_strings_are_text_and_prefix_operators_count() {
        assert_eq!(nesting_text("name = '(((((' AND \"((\" = 'x'"), 0);
        assert_eq!(
            nesting_json(r#"{"op":"=","args":[{"property":"name"},"[[[{{{"]}"#),
            3
        );
        assert_eq!(nesting_text("NOT (NOT name = 'a')"), 3);
        // A binary minus is no prefix.
        assert_eq!(nesting_text("uncertainty_m - 1 > 2"), 0);
        assert_eq!(nesting_text(&format!("{}1", "-".repeat(40))), 40);
    }
}
