//! Words glued in front of a name that are no part of it: plain speech (去南山, 经解放东路),
//! dates and fractions (1/6鹅岭公园), a boundary's direction and verb (南临|学田湾正街), and the
//! district's own name (渝中区|东水门).
//!
//! Input: a sentence's chars, its [`Words`] and the candidates whose boundaries against the
//! known names are settled. Output: the same candidates with their start moved past the debris
//! (or their name emptied when only a generic word is left). Used by [`super::mentions::find`].

use super::grammar::kind_of;
use super::lexicon::Lexicon;
use super::mentions::{Candidate, CandidateSource, is_generic};
use super::words::Words;

/// One-char verbs and function words of plain speech that never start a name (去南山,
/// 经解放东路, 者千厮门大桥, 另含嘉陵江滨江路).
const SPEECH_DEBRIS: &str = "去到走经说乘坐爬如入从含者把往向在于逛看";

/// Cuts what plain speech glued in front of a name read by the head-word rules: up to the
/// last one-char verb or function word the segmenter reads as a word of its own, when at
/// least a two-char proper part and the generic part remain (顺便去|南山, 轨道到|鹅岭,
/// 老母亲去|重庆医科大学附属第一医院). A leading date or fraction (1/6|鹅岭公园) goes too.
pub(super) fn trim_leading_debris(
    sentence: &[char],
    words: &Words,
    lexicon: &Lexicon,
    found: &mut [Candidate],
) {
    // The known names of the sentence, found once and only when a clause word asks (a scan of
    // the lexicon per word would cost more than the sentence's reading).
    let known = std::cell::OnceCell::new();
    for c in found.iter_mut() {
        if !matches!(c.source, CandidateSource::Pattern) || !c.parts.is_empty() {
            continue;
        }
        // The generic part: the longest term of the vocabulary the name ends in, else its
        // last char (南山, 鹅岭).
        let head = crate::vocab::term_ending(&c.name).map_or(1, |(t, _)| t.chars().count());
        // Words wholly in front of the last two proper chars and the generic part.
        let last = c.end.saturating_sub(head + 2).max(c.start);
        let mut cut = None;
        let mut i = c.start;
        while i + 2 <= c.end {
            let Some(w) = words.at(i) else { break };
            let w_end = w.end.min(c.end);
            let first = w.tag.chars().next().unwrap_or('x');
            let chars = &sentence[w.start.max(c.start)..w_end];
            // Conjunctions, prepositions, particles, pronouns (或者, 通过, 这些);
            // verbs of going and saying (去, 走路, 说).
            let debris = "cpur".contains(first)
                || (chars.len() == 1 && SPEECH_DEBRIS.contains(chars[0]))
                || (first == 'v' && chars.iter().any(|ch| SPEECH_DEBRIS.contains(*ch)));
            // A cut leaves two proper chars and the generic part, or only a generic word
            // (通过|人行天桥), which is then no name.
            // …or a known name (轨道到|鹅岭).
            let leaves_generic = || {
                let rest: String = sentence[w_end..c.end].iter().collect();
                is_generic(&rest, &kind_of(&rest)) || lexicon.get(&rest).is_some()
            };
            if debris && w_end < c.end && (w_end <= last || leaves_generic()) {
                cut = Some(w_end);
            }
            // A verb of two chars, or an adverb, adjective or position word after a verb,
            // right before a known name the rest starts with (走路上|鹅岭, 做旺|上清寺商圈): the
            // sentence's words, not the name's. Alone in front a one-char word may be the
            // name's own (上|大田湾, 环|重医片区).
            let after_verb = i > c.start && words.at(i - 1).is_some_and(|p| p.tag == "v");
            let clause_word =
                first == 'v' && chars.len() >= 2 || "adf".contains(first) && after_verb;
            if clause_word
                && w_end < c.end
                && known
                    .get_or_init(|| lexicon.find(sentence))
                    .iter()
                    .any(|&(s, e, _)| s == w_end && e - s >= 2 && e <= c.end)
            {
                cut = Some(w_end);
            }
            i = w_end.max(i + 1);
        }
        // 中山三路|上|石板坡长江大桥, 储奇门|上|东水门长江大桥: going onto a place from
        // another.
        if let Some(at) = onto_from_known(sentence, lexicon, c) {
            cut = Some(cut.map_or(at, |x: usize| x.max(at)));
        }
        // 5/6菜园坝长江大桥, -12-02重庆…: digits and marks in front of Chinese, also after a
        // word the name read back over (a photo credit: 摄影 谭路5/6菜园坝长江大桥).
        if c.kind != "地块"
            && let Some(after) = last_marked_number_end(&sentence[c.start..c.end])
        {
            let at = c.start + after;
            cut = Some(cut.map_or(at, |x: usize| x.max(at)));
        }
        if let Some(at) = cut
            && c.end - at >= 2
        {
            c.name = sentence[at..c.end].iter().collect();
            c.start = at;
            // What is left may be a generic structure (化龙桥那边明年要修|空中连廊).
            if is_generic(&c.name, &c.kind) {
                c.name.clear();
            }
        }
    }
}

/// Where a name starts that the text reaches from another place by 上 or 下 (经中山三路上|
/// 石板坡长江大桥, 储奇门上|东水门长江大桥: onto the bridge): a known name ends right before
/// the 上 (inside the would-be name or before it) and a known place or a road, bridge or
/// tunnel follows it. `None` when the name is not so read (上清寺 after a road: 上清寺 is
/// known whole; 上大田湾片区 is an area, nothing one goes onto).
fn onto_from_known(sentence: &[char], lexicon: &Lexicon, c: &Candidate) -> Option<usize> {
    let ends_known = |at: usize| {
        (2..=6).any(|k| {
            at >= k && {
                let w: String = sentence[at - k..at].iter().collect();
                lexicon.get(&w).is_some()
            }
        })
    };
    // What is gone onto: a known place, or a road, bridge or tunnel of the grammar (its
    // generic part of two chars or more is a street's: 长江大桥, 隧道).
    let way = |rest: &[char]| {
        let text: String = rest.iter().collect();
        let kind = kind_of(&text);
        starts_known(lexicon, rest)
            || rest.len() >= 4
                && super::decision::head_len(&text) >= 2
                && crate::vocab::layer_of_kind(&kind) == Some(crate::plan::Layer::Streets)
    };
    (c.start..c.end.saturating_sub(3))
        .find(|&i| {
            "上下".contains(sentence[i])
                && ends_known(i)
                && way(&sentence[i + 1..c.end])
                && !starts_known(lexicon, &sentence[i..c.end])
        })
        .map(|i| i + 1)
}

/// Whether `rest` opens with a known name of two chars or more that is not all of `rest`
/// (石板坡|长江大桥, 上清寺|商圈).
fn starts_known(lexicon: &Lexicon, rest: &[char]) -> bool {
    let rest: String = rest.iter().collect();
    lexicon
        .longest_prefix(&rest)
        .is_some_and(|k| k.text.chars().count() >= 2)
}

/// Where the last run of digits holding a date or fraction mark (/ - :) ends inside a name,
/// if Chinese follows it: nothing before such a run is part of the name (1/6, 12-02).
fn last_marked_number_end(name: &[char]) -> Option<usize> {
    let mut found = None;
    let mut i = 0;
    while i < name.len() {
        let run = name[i..]
            .iter()
            .take_while(|ch| ch.is_ascii_digit() || "/-.:".contains(**ch))
            .count();
        if run == 0 {
            i += 1;
            continue;
        }
        let marked = name[i..i + run].iter().any(|ch| "/-:".contains(*ch));
        if marked && i + run < name.len() {
            found = Some(i + run);
        }
        i += run;
    }
    found
}

/// A name right after a title in 《》 is named with it (《新华日报》|总馆旧址): the title is the
/// proper part of the site, not a document the site is in.
pub(super) fn take_title_in_front(sentence: &[char], found: &mut [Candidate]) {
    for c in found.iter_mut() {
        if !matches!(c.source, CandidateSource::Pattern) || c.start == 0 {
            continue;
        }
        if sentence[c.start - 1] != '》' {
            continue;
        }
        let Some(open) = sentence[..c.start - 1].iter().rposition(|&ch| ch == '《') else {
            continue;
        };
        if c.start - 1 - open <= 10 && !sentence[open + 1..c.start - 1].contains(&'》') {
            c.start = open;
            c.name = sentence[open..c.end].iter().collect();
        }
    }
}

/// Directions and verbs by which a boundary names the place at one side (南临学田湾正街,
/// 北接人民路, 东靠…), or a way heads past it (向东经嘉陵江滨江路): the place starts after them.
const BOUNDARY_VERBS: &str = "临接靠邻抵至经";

/// Cuts a boundary's direction and verb in front of a name (南临|学田湾正街), when a name of
/// three chars or more is left.
pub(super) fn trim_boundary_words(found: &mut [Candidate]) {
    for c in found.iter_mut() {
        if !matches!(c.source, CandidateSource::Pattern) || !c.parts.is_empty() {
            continue;
        }
        let chars: Vec<char> = c.name.chars().collect();
        if chars.len() >= 5 && "东西南北".contains(chars[0]) && BOUNDARY_VERBS.contains(chars[1])
        {
            c.name = chars[2..].iter().collect();
            c.start += 2;
        }
    }
}

/// Whether a name is the city's name and a short place name, known or of the grammar (重庆鹅岭,
/// a note's title): the place. A known building or brand keeps the city (重庆来福士), as
/// [`strip_own_district`]'s first rule does, and so does a long zone named with it (重庆国际友好城市美食集聚区).
fn city_and_known_area(lexicon: &Lexicon, name: &str) -> bool {
    name.strip_prefix("重庆")
        .filter(|rest| {
            !rest.starts_with('市')
                && rest.chars().count() <= 4
                && super::speech::a_place(lexicon, rest)
        })
        .is_some_and(|rest| {
            // The kind its generic part says (鹅岭: an area, though a station is named so
            // too), else the gazetteer's (来福士: a building).
            let kind = Some(super::grammar::kind_of(rest))
                .filter(|k| !k.is_empty())
                .or_else(|| lexicon.get(rest).map(|k| k.kind.clone()))
                .unwrap_or_default();
            // A known name of no kind says nothing of being an area: it keeps the city too.
            !kind.is_empty()
                && crate::vocab::layer_of_kind(&kind) != Some(crate::plan::Layer::Projects)
        })
}

/// 渝中区东水门: the district's own name in front is no part of the place's; nor is the city's
/// in front of a known place and more (重庆|菜园坝片区), while a name of the city's own
/// (重庆天地, 重庆来福士) stays whole.
pub(super) fn strip_own_district(
    sentence: &[char],
    words: &Words,
    lexicon: &Lexicon,
    merged: &mut [Candidate],
) {
    for c in merged.iter_mut() {
        if let Some(rest) = c.name.strip_prefix("重庆")
            && matches!(c.source, CandidateSource::Pattern)
            && lexicon.longest_prefix(rest).is_some_and(|k| {
                // A known place and more, or a known area by its generic part (菜园坝片区);
                // a known building or brand alone (来福士) is named with the city.
                k.text.chars().count() >= 2
                    && (k.text.len() < rest.len()
                        || super::decision::head_len(rest) >= 2
                            && super::grammar::kind_of(rest) == "片区")
            })
        {
            c.name = rest.to_string();
            c.start += 2;
            continue;
        }
        if matches!(c.source, CandidateSource::Pattern)
            && c.parts.is_empty()
            && city_and_known_area(lexicon, &c.name)
        {
            c.name = c.name.chars().skip(2).collect();
            c.start += 2;
            c.kind = lexicon
                .get(&c.name)
                .map_or_else(|| super::grammar::kind_of(&c.name), |k| k.kind.clone());
            continue;
        }
        // In brackets it is another name of the place before (…医院（渝中区人民医院）).
        let bracketed = c.start > 0 && "（(".contains(sentence[c.start - 1]);
        if let Some(rest) = c.name.strip_prefix("渝中区")
            && rest.chars().count() >= 2
            && !bracketed
            && matches!(c.source, CandidateSource::Pattern)
        {
            // The verb the district does it by (在渝中区设|七星岗站) goes with the district.
            let verb = words
                .at(c.start + 3)
                .is_some_and(|w| w.start == c.start + 3 && w.end == c.start + 4 && w.tag == "v");
            let cut = if verb && rest.chars().count() >= 4 {
                4
            } else {
                3
            };
            c.name = rest.chars().skip(cut - 3).collect();
            c.start += cut;
        }
        // 重庆轨道交通18号线: the city's name before its network's is no part of the line's.
        if let Some(rest) = c.name.strip_prefix("重庆")
            && (rest.starts_with("轨道") || rest.starts_with("轻轨"))
            && matches!(c.source, CandidateSource::Pattern)
        {
            c.name = rest.to_string();
            c.start += 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_citys_name_before_a_known_area_is_cut_but_not_before_a_brand() {
        let s: Vec<char> = "重庆较场口｜重庆来福士｜重庆鹅岭｜重庆市急救医疗中心"
            .chars()
            .collect();
        let term = |text: &str, kind: &str| crate::text::LexiconTerm {
            text: text.into(),
            key: format!("test:{text}"),
            kind: kind.into(),
        };
        let lexicon = Lexicon::new(vec![term("较场口", "口"), term("来福士", "广场")]);
        let mut found = vec![
            Candidate::first_in(&s, "重庆较场口"),
            Candidate::first_in(&s, "重庆来福士"),
            Candidate::first_in(&s, "重庆鹅岭"),
            Candidate::first_in(&s, "重庆市急救医疗中心"),
        ];
        strip_own_district(&s, &Words::of(&s), &lexicon, &mut found);
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["较场口", "重庆来福士", "鹅岭", "重庆市急救医疗中心"]
        );
    }

    fn trimmed(s: &str, name: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut found = vec![Candidate::first_in(&chars, name)];
        trim_leading_debris(&chars, &Words::of(&chars), &Lexicon::default(), &mut found);
        trim_boundary_words(&mut found);
        strip_own_district(&chars, &Words::of(&chars), &Lexicon::default(), &mut found);
        found.remove(0).name
    }

    #[test]
    fn a_fraction_after_a_photo_credit_is_no_part_of_the_name_after_it() {
        assert_eq!(
            trimmed(
                "摄影 李华5/6千厮门嘉陵江大桥下的江滩。",
                "李华5/6千厮门嘉陵江大桥"
            ),
            "千厮门嘉陵江大桥"
        );
        assert_eq!(last_marked_number_end(&['1', '8', '号', '线']), None);
    }

    #[test]
    fn plain_speech_in_front_of_a_name_is_cut() {
        assert_eq!(trimmed("车辆请经解放东路绕行。", "经解放东路"), "解放东路");
    }

    #[test]
    fn speech_in_front_of_a_short_known_name_is_cut() {
        let chars: Vec<char> = "建议坐轨道到鹅岭站走过去。".chars().collect();
        let lex = Lexicon::new(vec![crate::text::LexiconTerm {
            text: "鹅岭".into(),
            key: "鹅岭".into(),
            kind: String::new(),
        }]);
        let mut found = vec![Candidate::first_in(&chars, "轨道到鹅岭")];
        trim_leading_debris(&chars, &Words::of(&chars), &lex, &mut found);
        assert_eq!(found[0].name, "鹅岭");
    }

    #[test]
    fn a_boundary_s_direction_and_verb_are_no_part_of_the_place() {
        assert_eq!(
            trimmed("北接人民路，南临学田湾正街。", "南临学田湾正街"),
            "学田湾正街"
        );
        assert_eq!(trimmed("改造南临路。", "南临路"), "南临路");
        assert_eq!(
            trimmed("向东经嘉陵江滨江路可达牛角沱。", "东经嘉陵江滨江路"),
            "嘉陵江滨江路"
        );
    }

    #[test]
    fn a_title_in_front_of_a_site_is_part_of_its_name() {
        let s: Vec<char> = "完成《新华日报》总馆旧址保护展示。".chars().collect();
        let mut found = vec![Candidate::first_in(&s, "总馆旧址")];
        take_title_in_front(&s, &mut found);
        assert_eq!(found[0].name, "《新华日报》总馆旧址");
        assert_eq!(found[0].start, 2);
    }

    #[test]
    fn the_city_s_name_in_front_of_a_known_place_is_cut() {
        let lex = Lexicon::of_names(&["菜园坝片区", "来福士"]);
        let s: Vec<char> = "重庆菜园坝片区“重生”，重庆天地、重庆来福士开业。"
            .chars()
            .collect();
        let mut found = vec![
            Candidate::first_in(&s, "重庆菜园坝片区"),
            Candidate::first_in(&s, "重庆天地"),
            Candidate::first_in(&s, "重庆来福士"),
        ];
        strip_own_district(&s, &Words::of(&s), &lex, &mut found);
        let names: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["菜园坝片区", "重庆天地", "重庆来福士"]);
    }

    #[test]
    fn the_district_s_own_name_in_front_is_cut() {
        assert_eq!(
            trimmed("修缮渝中区东水门城墙。", "渝中区东水门城墙"),
            "东水门城墙"
        );
        assert_eq!(
            trimmed("地铁在渝中区设两路口站。", "渝中区设两路口站"),
            "两路口站"
        );
    }

    #[test]
    fn a_verb_and_its_complement_before_a_known_name_are_the_sentence_s() {
        let chars: Vec<char> = "明年要做旺较场口商圈。".chars().collect();
        let lex = Lexicon::of_names(&["较场口"]);
        let mut found = vec![Candidate::first_in(&chars, "做旺较场口商圈")];
        trim_leading_debris(&chars, &Words::of(&chars), &lex, &mut found);
        assert_eq!(found[0].name, "较场口商圈");
        // A one-char position word alone in front may be the name's own (上|大田湾).
        let chars: Vec<char> = "改造上大田湾片区。".chars().collect();
        let lex = Lexicon::of_names(&["大田湾"]);
        let mut found = vec![Candidate::first_in(&chars, "上大田湾片区")];
        trim_leading_debris(&chars, &Words::of(&chars), &lex, &mut found);
        assert_eq!(found[0].name, "上大田湾片区");
    }

    #[test]
    fn going_onto_a_bridge_from_a_known_road_leaves_the_bridge() {
        let chars: Vec<char> = "经较场口上菜园坝长江大桥过江。".chars().collect();
        let lex = Lexicon::of_names(&["较场口"]);
        let mut found = vec![Candidate::first_in(&chars, "较场口上菜园坝长江大桥")];
        trim_leading_debris(&chars, &Words::of(&chars), &lex, &mut found);
        assert_eq!(found[0].name, "菜园坝长江大桥");
        // A known name that opens with 上 stays whole.
        let lex = Lexicon::of_names(&["中山四路", "上清寺"]);
        let chars: Vec<char> = "沿中山四路上清寺路口往北。".chars().collect();
        let mut found = vec![Candidate::first_in(&chars, "上清寺")];
        trim_leading_debris(&chars, &Words::of(&chars), &lex, &mut found);
        assert_eq!(found[0].name, "上清寺");
    }
}
