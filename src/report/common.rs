//! Common nouns the head-word rules read as names: an adjective of age and dictionary nouns
//! that end in a generic part (老公寓楼, 老银行楼: "the old bank's building"). Informal text names buildings and ways by
//! what they are, not what they are called; nothing is planned under such a name that a map
//! could place.
//!
//! Input: a sentence's chars, its [`Words`] and a grammar name's char span. Output: whether
//! the name is such a description ([`is_description`]). Known names never reach it.

use super::words::Words;

/// Adjectives of age or size in front of a common noun (老银行楼, 新公寓楼).
const AGE: &[char] = &['老', '新', '旧'];

/// Whether a word is a common noun of the dictionary (n, not a place's or a person's).
fn common_noun(words: &Words, start: usize, end: usize) -> bool {
    words
        .at(start)
        .is_some_and(|w| w.start == start && w.end <= end && w.tag == "n" && w.end - w.start >= 2)
}

/// Whether the name at `start..end` is a description (see the module doc): an adjective of
/// age, then common nouns of the dictionary up to the generic part. A common noun alone is no
/// sign: the dictionary holds street names as nouns (民生路, 观音岩).
#[must_use]
pub fn is_description(sentence: &[char], words: &Words, start: usize, end: usize) -> bool {
    let aged = AGE.contains(&sentence[start])
        && words
            .at(start)
            .is_some_and(|w| w.start == start && w.end == start + 1 && w.tag == "a");
    if !aged {
        return false;
    }
    let mut at = start + 1;
    while at < end {
        let Some(w) = words.at(at).filter(|w| w.start == at && w.tag == "n") else {
            return false;
        };
        if w.end == end {
            // A two-char word right after 老 may be a name's (老|鼓楼); a longer one holds its
            // generic part (老|公寓楼), and so does a word after other nouns (老|银行|楼).
            return at > start + 1 || w.end - w.start >= 3;
        }
        if w.end > end || !common_noun(words, at, end) {
            return false;
        }
        at = w.end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn described(s: &str, name: &str) -> bool {
        let s: Vec<char> = s.chars().collect();
        let n: Vec<char> = name.chars().collect();
        let at = s.windows(n.len()).position(|w| w == n.as_slice()).unwrap();
        is_description(&s, &Words::of(&s), at, at + n.len())
    }

    #[test]
    fn an_old_thing_named_by_common_nouns_is_a_description() {
        assert!(described("街口的老公寓楼今年加固。", "老公寓楼"));
        assert!(described("对面那栋老银行楼要修。", "老银行楼"));
    }

    #[test]
    fn a_name_with_a_proper_part_is_no_description() {
        assert!(!described("明年翻修打铜街的人行道。", "打铜街"));
        assert!(!described("新华路沿线立面整治。", "新华路"));
        assert!(!described("老鼓楼衙署遗址开放参观。", "老鼓楼"));
        // Street names the dictionary holds as common nouns are names.
        assert!(!described("民生路人行道改造。", "民生路"));
    }
}
