//! What around a name says what it names: the part of a place planned as the place (its
//! trail, lanes, old street, junction: 鹅岭公园步道 → 鹅岭公园), and the settings in which a
//! name is no planned place (a document's title, a house-number address, a page's source line).
//!
//! Input: a name, or a name's char span in a sentence; output: the owning place, or whether the
//! setting rules the name out. Used by [`super::mentions`].

use std::sync::LazyLock;

use super::grammar::{is_generic, kind_of};
use super::lexicon::Lexicon;

/// Words after a place that name a part of it planned as the place itself: its trail, its
/// lanes, its old street, its junction, its stretch.
/// The words are in `src/vocab/grammar.json` (`part_of_place`).
static PART_OF_PLACE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().part_of_place.words());

/// Words before 路口 that say which junctions, not whose (主要路口, 十字路口).
/// The words are in `src/vocab/grammar.json` (`not_a_road`).
static NOT_A_ROAD: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().not_a_road.words());

/// Parts that are their owner only when the owner is a known place (老鼓楼衙署跨街谯楼遗址 is
/// the known 谯楼); otherwise the whole name stands (巴县衙门遗址).
const PART_OF_KNOWN: &[&str] = &["遗址", "旧址"];

/// Parts whose owner, when it names no place, leaves the whole name standing (小东门 is a gate).
const PART_OR_NAME: &[&str] = &["北门", "南门", "东门", "西门"];

/// Trailing words between a place and [`PART_OF_PLACE`] that say where along it
/// (大溪沟滨江步道, 佛图关段步道).
/// The words are in `src/vocab/grammar.json` (`along`).
static ALONG: LazyLock<Vec<&'static str>> = LazyLock::new(|| crate::vocab::grammar().along.words());

/// For a name ending in a [`PART_OF_PLACE`] word: the place it is a part of and how many chars
/// were cut, or an empty owner when no named place is left (登山步道, 老街巷, 收录街巷): the
/// name is then generic. `None` when the name is not such a part, or names a trail of its own
/// (戴家巷崖壁步道).
pub(super) fn owner_part(name: &str, lexicon: &Lexicon) -> Option<(String, usize)> {
    if let Some(part) = PART_OF_KNOWN
        .iter()
        .find(|p| name.ends_with(*p) && !name.ends_with("城墙遗址"))
    {
        let owner = name.strip_suffix(part)?;
        return lexicon
            .get(owner)
            .map(|_| (owner.to_string(), part.chars().count()));
    }
    let part = PART_OF_PLACE.iter().find(|p| name.ends_with(*p))?;
    if name.ends_with("崖壁步道") || name == *part {
        return None;
    }
    // 山城第三步道: a numbered trail is a name of its own.
    let before: Vec<char> = name.strip_suffix(part)?.chars().collect();
    if before.len() >= 2
        && before[before.len() - 2] == '第'
        && crate::text::is_cn_numeral(before[before.len() - 1])
    {
        return None;
    }
    // A known name that ends in the part is a name of its own (两路口).
    let chars: Vec<char> = name.chars().collect();
    let part_len = part.chars().count();
    if (0..chars.len() - part_len).any(|k| {
        lexicon
            .get(&chars[k..].iter().collect::<String>())
            .is_some()
    }) {
        return None;
    }
    let mut owner = name.strip_suffix(part)?.to_string();
    // 新华路口: the junction of 新华路, whose 路 the junction shares.
    if *part == "路口" && NOT_A_ROAD.contains(&owner.as_str()) {
        return Some((String::new(), name.chars().count() - owner.chars().count()));
    }
    if *part == "路口" && !owner.ends_with('路') {
        let road = format!("{owner}路");
        if lexicon.get(&owner).is_none() && kind_of(&owner).is_empty() {
            owner = road;
        }
    }
    while let Some(a) = ALONG.iter().find(|a| owner.ends_with(*a)) {
        owner.truncate(owner.len() - a.len());
    }
    let cut = name.chars().count() - owner.chars().count();
    let kind = kind_of(&owner);
    let named = lexicon.get(&owner).is_some() || !kind.is_empty() && !is_generic(&owner, &kind);
    if !named && PART_OR_NAME.contains(part) {
        return None;
    }
    Some((if named { owner } else { String::new() }, cut))
}

/// Whether char `at` is inside 《…》.
pub(super) fn in_title(sentence: &[char], at: usize) -> bool {
    let open = sentence[..at].iter().rposition(|&c| c == '《');
    let close = sentence[..at].iter().rposition(|&c| c == '》');
    open.is_some_and(|o| close.is_none_or(|c| c < o)) && sentence[at..].contains(&'》')
}

/// Whether a name is a house-number address in brackets: （曾家岩50号）.
pub(super) fn is_address(sentence: &[char], start: usize, end: usize) -> bool {
    let digits = sentence[end..]
        .iter()
        .take_while(|d| d.is_ascii_digit())
        .count();
    start > 0
        && "（(".contains(sentence[start - 1])
        && digits > 0
        && sentence.get(end + digits) == Some(&'号')
}

/// Whether a name stands alone in brackets right after another name ends at `prev_end`: the
/// other name of the same place (特园旧址（中国民主党派历史陈列馆）), not a second place.
pub(super) fn is_bracketed_alias(
    sentence: &[char],
    start: usize,
    end: usize,
    prev_end: usize,
) -> bool {
    start == prev_end + 1
        && sentence.get(prev_end) == Some(&'（')
        && sentence.get(end) == Some(&'）')
}

/// Whether a name follows a page's label for its source, author or editor (来源:).
pub(super) fn after_source_label(sentence: &[char], at: usize) -> bool {
    let before: String = sentence[at.saturating_sub(3)..at].iter().collect();
    let before = before.trim_end_matches([':', '：', ' ']);
    ["来源", "编辑", "作者", "来源于"]
        .iter()
        .any(|l| before.ends_with(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn the_trail_and_junction_of_a_place_are_the_place() {
        let lex = Lexicon::default();
        assert_eq!(
            owner_part("鹅岭公园步道", &lex),
            Some(("鹅岭公园".into(), 2))
        );
        assert_eq!(owner_part("新华路口", &lex), Some(("新华路".into(), 1)));
        assert_eq!(
            owner_part("大溪沟滨江步道", &lex),
            Some(("大溪沟".into(), 4))
        );
    }

    #[test]
    fn the_trail_of_no_place_is_generic() {
        let lex = Lexicon::default();
        assert_eq!(owner_part("登山步道", &lex), Some((String::new(), 2)));
        assert_eq!(owner_part("老街巷", &lex), Some((String::new(), 2)));
        assert_eq!(owner_part("戴家巷崖壁步道", &lex), None);
    }

    #[test]
    fn titles_addresses_and_source_lines_are_settings_of_no_plan() {
        let s = chars("编写《七星岗街巷志》");
        assert!(in_title(&s, 3));
        let s = chars("周公馆（曾家岩50号）");
        assert!(is_address(&s, 4, 7));
        let s = chars("来源:上清寺街道");
        assert!(after_source_label(&s, 3));
        assert!(!after_source_label(&chars("完成上清寺街道"), 2));
    }
}
