//! Places named only as a likeness, in the looser ways of informal text: set beside ours with
//! words between (跟我们在解放碑看到的那种差不多, 与北京的南锣鼓巷相比), a version of a place
//! elsewhere (重庆版的武康路), and a nickname in quotes that borrows a place (「小解放碑」,
//! 「山城的南锣鼓巷」). The place is the measure or the model, not planned; the decision
//! weighs it like the comparisons of [`super::context::in_comparison`].
//!
//! Input: a sentence's chars and a name's char span. Output: whether the name is such a
//! likeness ([`is_likeness`]). Pure functions.

/// Words that set one thing beside another (跟…差不多, 与…相比, 和…一样).
const BESIDE: &[&str] = &[
    "差不多",
    "相比",
    "一样",
    "类似",
    "相似",
    "相仿",
    "有得一比",
    "相提并论",
    "比起来",
];

/// Words in front that open such a setting beside. Not 和: 解放碑和朝天门一样要做夜景 joins
/// two places planned alike.
const WITH: &[char] = &['跟', '与', '同'];

/// Chars that end a clause.
const BREAKS: &str = "，；。！？：\n,;";

/// Quote marks that open a nickname, with their closing marks.
const QUOTES: &[(char, char)] = &[('「', '」'), ('“', '”'), ('『', '』'), ('"', '"')];

/// Whether the name at `start..end` is set beside something with words between: 跟, 与 or 同
/// earlier in its clause, and a word of likeness after it there.
fn set_beside(sentence: &[char], start: usize, end: usize) -> bool {
    let (from, to) = super::context::clause_around(sentence, start, end, BREAKS);
    let before = &sentence[from..start];
    let opened = before.iter().any(|c| WITH.contains(c));
    let after: String = sentence[end..to].iter().collect();
    opened && BESIDE.iter().any(|b| after.contains(b))
}

/// Whether the name is a version of a place elsewhere (重庆版的武康路, 山城版外滩).
fn a_version_of(sentence: &[char], start: usize) -> bool {
    let before: String = sentence[start.saturating_sub(2)..start].iter().collect();
    before.ends_with("版的") || before.ends_with('版')
}

/// Whether the name closes a nickname in quotes that qualifies it (「小解放碑」, 「山城的南锣
/// 鼓巷」, 「重庆的外滩」): what the nickname names is ours, the place is borrowed.
fn in_nickname(sentence: &[char], start: usize, end: usize) -> bool {
    let Some(&close) = sentence.get(end) else {
        return false;
    };
    let Some(&(open, _)) = QUOTES.iter().find(|(_, c)| *c == close) else {
        return false;
    };
    let Some(at) = sentence[..start].iter().rposition(|c| *c == open) else {
        return false;
    };
    let inside = &sentence[at + 1..start];
    (1..=6).contains(&inside.len())
        && !inside.iter().any(|c| BREAKS.contains(*c))
        && (inside == ['小'] || inside.last() == Some(&'的'))
}

/// Whether the name at `start..end` is only a likeness (see the module doc).
#[must_use]
pub fn is_likeness(sentence: &[char], start: usize, end: usize) -> bool {
    set_beside(sentence, start, end)
        || a_version_of(sentence, start)
        || in_nickname(sentence, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn likeness(s: &str, name: &str) -> bool {
        let s: Vec<char> = s.chars().collect();
        let n: Vec<char> = name.chars().collect();
        let at = s.windows(n.len()).position(|w| w == n.as_slice()).unwrap();
        is_likeness(&s, at, at + n.len())
    }

    #[test]
    fn a_place_set_beside_ours_with_words_between_is_a_likeness() {
        assert!(likeness(
            "新铺的人行道跟我们在较场口见过的那种差不多。",
            "较场口"
        ));
        assert!(likeness("常有人把它与成都的宽窄巷子相比。", "宽窄巷子"));
        assert!(likeness("这条坡道跟十八梯一样陡。", "十八梯"));
    }

    #[test]
    fn a_version_or_a_nickname_borrows_the_place() {
        assert!(likeness("有人说这就是渝中版的春熙路。", "春熙路"));
        assert!(likeness("化龙桥被叫做「小陆家嘴」。", "陆家嘴"));
        assert!(likeness("街坊都说这是“山城的田子坊”。", "田子坊"));
    }

    #[test]
    fn a_place_planned_beside_another_is_no_likeness() {
        assert!(!likeness(
            "跟张家花园的老楼一起打包招标，明年装好。",
            "张家花园"
        ));
        assert!(!likeness("解放碑和朝天门一样要做夜景。", "朝天门"));
        assert!(!likeness(
            "与去年相比，鹅岭公园的客流多了三成。",
            "鹅岭公园"
        ));
        assert!(!likeness("片区更名为“白象街”。", "白象街"));
    }
}
