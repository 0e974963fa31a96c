//! The debris of social and app pages inside a sentence: user names and the tags readers file a
//! post under. Forum threads, comment sections, video and note pages put a user's name in
//! front of or above what the user wrote (`3楼 两路口的猫（楼主）`, `南纪门老坎 IP属地：重庆`,
//! `七星岗陈姐 Lv4`, `马家堡居民：…`) and file the page under tags (`#鹅岭二厂`). People name
//! themselves after where they live, so these names borrow places; none of them is planned.
//!
//! Input: a sentence's chars (the normaliser may have joined a page's lines into one sentence,
//! so a name's marker is the only edge it keeps). Output: whether a name's chars lie in such a
//! span ([`in_user_name`]). Pure functions of the chars; no state.

/// Words written right after a user's name: the IP region line, a level badge, the thread's
/// own author.
const AFTER_NAME: &[&str] = &[
    "IP属地",
    "IP 属地",
    "（楼主）",
    "(楼主)",
    "（作者）",
    "(作者)",
];

/// Labels written right before a user's name: the answerer of a Q&A page, a video's uploader.
const BEFORE_NAME: &[&str] = &["答主：", "答主:", "UP主：", "UP主:", "楼主："];

/// The last words of a user name that names a person (马家堡居民, 中山三路小胖): with a colon
/// after it, it labels what the person wrote.
const PERSON_ENDINGS: &[&str] = &[
    "居民",
    "住户",
    "街坊",
    "网友",
    "嬢嬢",
    "孃孃",
    "阿姨",
    "大爷",
    "大妈",
    "妈妈",
    "爸爸",
    "奶奶",
    "爷爷",
    "小胖",
    "老幺",
    "土著",
    "打工人",
    "打工仔",
    "搬砖的",
    "送外卖的",
    "老坎",
    "崽",
    "姐",
    "哥",
    "妹",
    "妈",
    "爸",
];

/// Regions an IP line names (IP属地：重庆): page debris too, which the normaliser may have
/// glued to the first name of the post (重庆|人和街那边…).
const REGIONS: &[&str] = &[
    "黑龙江",
    "内蒙古",
    "重庆",
    "四川",
    "广东",
    "北京",
    "上海",
    "天津",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广西",
    "海南",
    "贵州",
    "云南",
    "西藏",
    "陕西",
    "甘肃",
    "青海",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
    "台湾",
    "海外",
];

/// The longest user name the reader looks for, in chars.
const MAX_NAME: usize = 12;

/// Whether a char can be part of a user name: ideographs and Latin letters (Tina在重庆).
fn name_char(c: char) -> bool {
    crate::text::is_cjk(c) || c.is_ascii_alphabetic()
}

/// Whether `at` starts with `word`.
fn starts_with(sentence: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| sentence.get(i) == Some(&w))
}

/// Where a user name that ends at `end` starts: back over name chars, past the spaces in
/// front of the marker. `None` when no name char is there.
fn name_before(sentence: &[char], end: usize) -> Option<usize> {
    let mut e = end;
    while e > 0 && sentence[e - 1].is_whitespace() {
        e -= 1;
    }
    let len = sentence[..e]
        .iter()
        .rev()
        .take(MAX_NAME)
        .take_while(|c| name_char(**c))
        .count();
    (len > 0).then_some(e - len)
}

/// Where a user name that starts at `start` ends: at a space, a bracket, an @ or an IP line
/// within [`MAX_NAME`] chars. `None` when the run goes on (the name was joined to the text).
fn name_after(sentence: &[char], start: usize) -> Option<usize> {
    let mut s = start;
    while sentence.get(s).is_some_and(|c| c.is_whitespace()) {
        s += 1;
    }
    let len = sentence[s..]
        .iter()
        .take_while(|c| name_char(**c) && **c != 'I')
        .count();
    let stop = sentence.get(s + len);
    (len > 0
        && len <= MAX_NAME
        && stop.is_none_or(|c| c.is_whitespace() || "（(@I：:".contains(*c)))
    .then_some(s + len)
}

/// The spans of user names and tags in a sentence.
fn spans(sentence: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for at in 0..sentence.len() {
        // A name before its marker (两路口的猫 IP属地：重庆, Tina在重庆 Lv3).
        let level = starts_with(sentence, at, "Lv")
            && sentence.get(at + 2).is_some_and(char::is_ascii_digit);
        if let Some(marker) = AFTER_NAME.iter().find(|m| starts_with(sentence, at, m)) {
            if let Some(s) = name_before(sentence, at) {
                let mut end = at + marker.chars().count();
                if marker.starts_with("IP") {
                    while sentence.get(end).is_some_and(|c| "：: ".contains(*c)) {
                        end += 1;
                    }
                    if let Some(r) = REGIONS.iter().find(|r| starts_with(sentence, end, r)) {
                        end += r.chars().count();
                    }
                }
                out.push((s, end));
            }
        } else if level && let Some(s) = name_before(sentence, at) {
            out.push((s, at));
        }
        // A name after its label (答主：上半城老宅控（Lv9）) or its post's floor (3楼 两路口的猫).
        let label = BEFORE_NAME
            .iter()
            .find(|l| starts_with(sentence, at, l))
            .map(|l| at + l.chars().count());
        let floor = (sentence[at] == '楼'
            && at > 0
            && sentence[at - 1].is_ascii_digit()
            && sentence.get(at + 1).is_some_and(|c| c.is_whitespace()))
        .then_some(at + 1);
        if let Some(s) = label.or(floor)
            && let Some(e) = name_after(sentence, s)
        {
            out.push((s, e));
        }
        // A person's name with a colon: a comment's or a message's sender (马家堡居民：).
        if "：:".contains(sentence[at])
            && let Some(ending) = PERSON_ENDINGS.iter().find(|p| {
                let n = p.chars().count();
                at >= n && starts_with(sentence, at - n, p)
            })
        {
            let e = at - ending.chars().count();
            if let Some(s) = name_before(sentence, e) {
                out.push((s, at));
            }
        }
        // A shop page's areas after its category and a bar, joined by slashes (农贸市场 |
        // 较场口/解放碑): the site's tags for the district the shop is filed under.
        if "|｜".contains(sentence[at]) {
            let mut s = at + 1;
            while sentence.get(s).is_some_and(|c| c.is_whitespace()) {
                s += 1;
            }
            let len = sentence[s..]
                .iter()
                .take_while(|c| name_char(**c) || "/／".contains(**c))
                .count();
            if sentence[s..s + len].iter().any(|c| "/／".contains(*c)) {
                out.push((s, s + len));
            }
        }
        // A tag (#鹅岭二厂, #较场口#).
        if "#＃".contains(sentence[at]) {
            let len = sentence[at + 1..]
                .iter()
                .take(MAX_NAME)
                .take_while(|c| name_char(**c))
                .count();
            out.push((at + 1, at + 1 + len));
        }
    }
    out
}

/// The sentence with its user names, IP lines and tags blanked out (each char a line break,
/// so every offset stays): what the names borrow is never read, and a place glued to the
/// region of an IP line (重庆|人和街) is read alone. `None` when there is nothing to blank.
#[must_use]
pub fn blank(sentence: &[char]) -> Option<Vec<char>> {
    // Most sentences hold none of the markers: nothing to look for then.
    if !sentence.iter().any(|c| "#＃楼LI：:（(|｜".contains(*c)) {
        return None;
    }
    let spans = spans(sentence);
    if spans.is_empty() {
        return None;
    }
    let mut out = sentence.to_vec();
    for (s, e) in spans {
        out[s..e].fill('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The char span of the first `name` in `s`.
    fn span(s: &[char], name: &str) -> (usize, usize) {
        let n: Vec<char> = name.chars().collect();
        let at = s.windows(n.len()).position(|w| w == n.as_slice()).unwrap();
        (at, at + n.len())
    }

    /// Whether the first `name` in `s` is blanked out (wholly or in part).
    fn user(s: &str, name: &str) -> bool {
        let s = chars(s);
        let (a, b) = span(&s, name);
        blank(&s).is_some_and(|out| out[a..b].contains(&'\n'))
    }

    #[test]
    fn a_name_before_an_ip_line_is_a_user_and_the_region_is_cut_off_the_next_place() {
        let s = chars("回复12储奇门的鱼 IP属地：重庆储奇门的台阶下月翻修。");
        let out = blank(&s).unwrap();
        let read: String = out.iter().collect();
        assert_eq!(
            read.trim_start_matches(['回', '复', '1', '2', '\n']),
            "储奇门的台阶下月翻修。"
        );
        assert_eq!(out.len(), s.len());
    }

    #[test]
    fn a_name_after_a_floor_or_before_a_level_badge_is_a_user() {
        assert!(user("有人晓得吗5楼 菜园坝老街坊（楼主）", "菜园坝"));
        assert!(user("楼下说得对12楼 大坪的风 IP属地：四川", "大坪"));
        assert!(user("曾家岩阿明 Lv5　★★★★☆", "曾家岩"));
        assert!(user("答主：下半城闲逛人（Lv7 城市达人）", "下半城"));
    }

    #[test]
    fn a_person_named_after_a_place_labels_a_comment_with_a_colon() {
        assert!(user("热门评论化龙桥住户：我们这边啥时候修？", "化龙桥"));
        assert!(user("金汤街小胖：走梯道嘛", "金汤街"));
        // A label that names no person heads a field of the page: the place is content.
        assert!(!user("建设地点：化龙桥片区", "化龙桥"));
    }

    #[test]
    fn a_tag_holds_no_planned_place() {
        assert!(user("#重庆 #鹅岭公园 #拍照", "鹅岭公园"));
        assert!(user("#十八梯#", "十八梯"));
    }

    #[test]
    fn a_place_in_the_text_of_a_post_is_no_user_name() {
        // The floor's user name runs into the post, so no end is known: nothing is cut.
        assert!(!user(
            "7楼 过路的人和街的老楼也在加电梯，说是明年装好。",
            "人和街"
        ));
        assert!(!user("双溪沟那几个院子也报名了（附图）", "双溪沟"));
        assert!(!user("明年十八梯的步道要翻修。", "十八梯"));
    }

    #[test]
    fn an_app_pages_recommendations_and_links_to_other_messages_are_debris_lines() {
        // The headers live with the other pages' headers in `context.rs`.
        let lines = [
            "楼下就是较场口，出门方便。",
            "—— 猜你喜欢 ——",
            "大坪 时代天街旁 一室 1800元",
            "附近推荐",
            "· 十八梯（1.2km）",
        ];
        assert_eq!(
            super::super::context::debris_lines(&lines),
            [false, true, true, true, true]
        );
        assert!(super::super::context::is_debris_line(
            "下一条：关于两路口人行道破损的投诉"
        ));
    }

    #[test]
    fn a_list_of_linked_articles_running_into_the_pages_footer_is_debris() {
        let s = chars(
            "石板坡的梯道明年翻修。参见：十八梯|白象街分类：渝中区本页最后修订于2026年5月1日。",
        );
        let at = s.iter().position(|c| *c == '参').unwrap();
        assert_eq!(super::super::context::debris_tail(&s), at);
        // A header the article goes on after, with prose of its own, is no tail.
        let s = chars("分享到：微信 解放碑步行街明年改造，灯光全部换新。");
        assert_eq!(super::super::context::debris_tail(&s), s.len());
    }

    #[test]
    fn the_areas_a_shop_page_files_a_shop_under_are_tags() {
        assert!(user("小面馆 | 七星岗/较场口", "七星岗"));
        assert!(user("小面馆 | 七星岗/较场口", "较场口"));
        // A bar between the cells of a table holds no tags.
        assert!(!user("| 2 | 中兴路人行道改造 | 七星岗街道 |", "中兴路"));
    }
}
