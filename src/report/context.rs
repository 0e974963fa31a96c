//! What around a name says what it names: the part of a place planned as the place (its
//! trail, lanes, old street, junction: 鹅岭公园步道 → 鹅岭公园), and the settings in which a
//! name is no planned place (a document's title, a house-number address, a page's source line).
//!
//! Input: a name, or a name's char span in a sentence; output: the owning place, or whether the
//! setting rules the name out. Used by [`super::mentions`].

use std::sync::LazyLock;

use super::grammar::{is_generic, kind_of};
use super::lexicon::Lexicon;
use crate::text::is_cjk;

/// Words after a place that name a part of it planned as the place itself: its trail, its
/// lanes, its old street, its junction, its stretch.
/// The words are in `src/vocab/grammar.json` (`part_of_place`).
static PART_OF_PLACE: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().part_of_place.words());

/// Words before 路口 that say which junctions, not whose (主要路口, 十字路口).
/// The words are in `src/vocab/grammar.json` (`not_a_road`).
static NOT_A_ROAD: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| crate::vocab::grammar().not_a_road.words());

/// Generic parts of areas: a road of one of them is planned as the area.
const ZONE_ENDS: &[&str] = &["片区", "商圈", "街区", "园区"];

/// Parts that are their owner only when the owner is a known place (老鼓楼衙署跨街谯楼遗址 is
/// the known 谯楼); otherwise the whole name stands (巴县衙门遗址).
const PART_OF_KNOWN: &[&str] = &["遗址", "旧址"];

/// Parts whose owner, when it names no place, leaves the whole name standing (小东门 is a gate,
/// 东华观藏经楼 a hall of a temple the gazetteer lacks).
const PART_OR_NAME: &[&str] = &["北门", "南门", "东门", "西门", "藏经楼"];

/// Trailing words between a place and [`PART_OF_PLACE`] that say where along it
/// (大溪沟滨江步道, 佛图关段步道).
/// The words are in `src/vocab/grammar.json` (`along`).
static ALONG: LazyLock<Vec<&'static str>> = LazyLock::new(|| crate::vocab::grammar().along.words());

/// Unnamed facilities a named site, area or institution has (its car park, its gym).
const FACILITIES: &[&str] = &[
    "停车场",
    "停车楼",
    "停车库",
    "体育馆",
    "裙楼",
    "门诊楼",
    "急诊楼",
    "综合楼",
    "教学楼",
];

/// For a name ending in one of [`FACILITIES`]: its owner and how many chars were cut, when the
/// owner is itself a whole name — it ends in a generic part of two chars or more (文化宫片区|
/// 停车场, 复旦中学|体育馆, 重医附一院袁家岗院区|停车楼) or a position word stands between
/// (人民大礼堂|东侧|停车场). A facility named after a bare toponym or a street (两路口地下停车库,
/// 长江一路停车场, 金汤街停车楼) is a site of its own: `None`.
fn facility_owner(name: &str) -> Option<(String, usize)> {
    let facility = FACILITIES.iter().find(|f| name.ends_with(*f))?;
    let mut owner = name.strip_suffix(facility)?.to_string();
    let mut placed = false;
    while let Some(a) = ALONG.iter().find(|a| owner.ends_with(*a)) {
        owner.truncate(owner.len() - a.len());
        placed = true;
    }
    // A proper part of two chars or more before the owner's own generic part (新|院区 is no
    // name).
    let whole = crate::vocab::terms().iter().any(|(t, _)| {
        t.chars().count() >= 2
            && owner
                .strip_suffix(t)
                .is_some_and(|p| p.chars().count() >= 2)
    });
    (owner.chars().count() >= 3 && (whole || placed) && !is_generic(&owner, &kind_of(&owner))).then(
        || {
            let cut = name.chars().count() - owner.chars().count();
            (owner, cut)
        },
    )
}

/// For a name ending in a [`PART_OF_PLACE`] word: the place it is a part of and how many chars
/// were cut, or an empty owner when no named place is left (登山步道, 老街巷, 收录街巷): the
/// name is then generic. `None` when the name is not such a part, or names a trail of its own
/// (戴家巷崖壁步道).
pub(super) fn owner_part(name: &str, lexicon: &Lexicon) -> Option<(String, usize)> {
    // 化龙桥片区支路: the branch roads of an area are the area (中山支路 is a street's name).
    if let Some(zone) = name.strip_suffix("支路")
        && ZONE_ENDS
            .iter()
            .any(|z| zone.ends_with(z) && zone.chars().count() > 2)
    {
        return Some((zone.to_string(), 2));
    }
    if let Some(part) = PART_OF_KNOWN
        .iter()
        .find(|p| name.ends_with(*p) && !name.ends_with("城墙遗址"))
    {
        let owner = name.strip_suffix(part)?;
        return lexicon
            .get(owner)
            .map(|_| (owner.to_string(), part.chars().count()));
    }
    if let Some(owned) = facility_owner(name) {
        return Some(owned);
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
        // 燕子岩—飞机码头段步道: the stretch between two places is a trail of its own.
        if *a == "段" && owner.contains('—') {
            return None;
        }
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

/// Whether char `at` is inside 《…》, the title of a document that is not itself a plan: a
/// plan's title names the place it plans (《鲁祖庙传统风貌区保护规划（2026—2035年）》,
/// 《…城市更新单元实施方案》), a book's or a report's does not (《七星岗街巷志》).
pub(super) fn in_title(sentence: &[char], at: usize) -> bool {
    let open = sentence[..at].iter().rposition(|&c| c == '《');
    let close = sentence[..at].iter().rposition(|&c| c == '》');
    let Some(end) = sentence[at..].iter().position(|&c| c == '》') else {
        return false;
    };
    let title: String = sentence[at..at + end].iter().collect();
    // Past a bracketed period or draft at the end: （2026—2035年）, （征求意见稿）.
    let title = match title.rfind('（') {
        Some(b) if title.ends_with('）') => &title[..b],
        _ => title.as_str(),
    };
    let a_plan = PLAN_TITLES.iter().any(|p| title.ends_with(p));
    open.is_some_and(|o| close.is_none_or(|c| c < o)) && !a_plan
}

/// Ends of the title of a document that plans the place it names.
const PLAN_TITLES: &[&str] = &["规划", "实施方案", "建设方案", "更新方案", "保护方案"];

/// Whether a name is a house-number address in brackets (（曾家岩50号）) or after an address
/// label (地址：渝中区中山一路某号): where an office or a sender is, not a place planned.
pub(super) fn is_address(sentence: &[char], start: usize, end: usize) -> bool {
    let digits = sentence[end..]
        .iter()
        .take_while(|d| d.is_ascii_digit())
        .count();
    let bracketed = start > 0
        && "（(".contains(sentence[start - 1])
        && digits > 0
        && sentence.get(end + digits) == Some(&'号');
    let before: String = sentence[start.saturating_sub(12)..start].iter().collect();
    let before = before
        .trim_end_matches("渝中区")
        .trim_end_matches("重庆市")
        .trim_end_matches([':', '：', ' ']);
    bracketed || before.ends_with("地址")
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

/// Whether a name follows a page's label for its source, author, editor or photographer
/// (来源:, 摄影 谭路), or starts with one (the segmenter read 摄影谭路 as one name).
pub(super) fn after_source_label(sentence: &[char], at: usize) -> bool {
    let before: String = sentence[at.saturating_sub(4)..at].iter().collect();
    let before = before.trim_end_matches([':', '：', ' ']);
    let from: String = sentence[at..(at + 4).min(sentence.len())].iter().collect();
    ["来源", "来源于"]
        .iter()
        .chain(CREDIT_LABELS)
        .any(|l| before.ends_with(l) || from.starts_with(l))
}

/// Labels that open a page's source, author, editor or credit line (来源：…, 编辑｜…).
const CREDIT_LABELS: &[&str] = &[
    "来源",
    "编辑",
    "责任编辑",
    "作者",
    "摄影",
    "记者",
    "通讯员",
    "审核",
    "校对",
    "监制",
    "出品",
    "图片",
    "撰文",
    "文字",
];

/// Lines of a web page around the article: navigation, tools, sharing, other articles' titles.
const DEBRIS_OPENINGS: &[&str] = &[
    "首页",
    "当前位置",
    "您的位置",
    "分享到",
    "上一篇",
    "下一篇",
    "上一组",
    "下一组",
    "上一条",
    "下一条",
    "【字号",
    "【打印",
    "【纠错",
    "【关闭",
    "打印本页",
    "关闭窗口",
    "相关专题",
    "点击蓝字",
    "扫码",
    "版权所有",
    "著作权",
    // An encyclopedia page's categories (分类：渝中区｜…).
    "分类：",
    "分类:",
    // An editor's afterword: comment on the article, no plan of its own.
    "编后：",
    "编后:",
];

/// Headers after which a page lists other articles' titles, one a line.
const TITLE_LIST_HEADERS: &[&str] = &[
    "相关新闻",
    "相关阅读",
    "往期推荐",
    "相关问题",
    "相关文章",
    "推荐阅读",
    "热门推荐",
    "延伸阅读",
    "【相关",
    "相关推荐",
    "相关帖子",
    // App and shop pages: recommendations, searches, links, other notes.
    "猜你喜欢",
    "附近推荐",
    "相关游记",
    "相关搜索",
    "相关链接",
    // An encyclopedia page's links to other articles, one a line.
    "参见",
];

/// A line without the spaces, rules and bullets a page sets in front of it (━━━━相关问题,
/// ▶ 往期推荐, ·上一篇): box-drawing and geometric shapes, ASCII rules and marks.
fn undecorated(line: &str) -> &str {
    line.trim_start_matches(|c: char| {
        c.is_whitespace() || ('\u{2500}'..='\u{25FF}').contains(&c) || "-=*_~·•—".contains(c)
    })
}

/// Whether a line of text is page debris rather than the article: navigation and tool lines,
/// and short lines that carry a source, editor or credit label (`来源：…  编辑：…`).
#[must_use]
pub fn is_debris_line(line: &str) -> bool {
    let line = undecorated(line);
    // A long run of text that merely starts with a page's navigation holds the article too
    // (a page whose lines were joined).
    let short = line.chars().count() <= 100;
    if short
        && (DEBRIS_OPENINGS.iter().any(|o| line.starts_with(o))
            || TITLE_LIST_HEADERS.iter().any(|h| line.starts_with(h)))
    {
        return true;
    }
    let labelled = CREDIT_LABELS.iter().any(|l| {
        ["：", ":", "｜", "|"]
            .iter()
            .any(|sep| line.contains(&format!("{l}{sep}")))
    });
    labelled && !line.contains('。') && line.chars().count() <= 80 || is_post_header(line)
}

/// Whether a line heads a post or a reply in a forum or a Q&A page: a short line without
/// sentence punctuation that carries the post's date (`#3　用户名　2026-12-01 21:15`,
/// `2楼　用户名　…`, `网友"…"　2026-11-22`), or introduces a quoted reply (`引用 用户名 的回复：`).
/// The user names on it are no places, whatever words they borrow.
fn is_post_header(line: &str) -> bool {
    if line.chars().nth(40).is_some() {
        return false;
    }
    let chars: Vec<char> = line.chars().collect();
    let dated = chars.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
    });
    let quoting = line.starts_with("引用") && line.contains("的回复");
    chars.len() <= 40 && !line.contains(['。', '，', '；', '！', '？']) && (dated || quoting)
}

/// Whether the name at `start` is inside a user name called with @ (@石油路打工人 谢谢): the
/// handle runs from the @ to the next space or punctuation.
pub(super) fn in_user_handle(sentence: &[char], start: usize) -> bool {
    // A handle is short: look back no further than a long one.
    sentence[start.saturating_sub(24)..start]
        .iter()
        .rev()
        .take_while(|c| crate::text::is_cjk(**c) || c.is_ascii_alphanumeric() || **c == '@')
        .any(|c| *c == '@')
}

/// Which lines of a text are page debris: [`is_debris_line`], and the titles listed after a
/// related-articles header (lines without a sentence end) up to the next line of prose.
#[must_use]
pub fn debris_lines(lines: &[&str]) -> Vec<bool> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_titles = false;
    for line in lines {
        let trimmed = undecorated(line);
        if TITLE_LIST_HEADERS.iter().any(|h| trimmed.starts_with(h))
            && trimmed.chars().count() <= 40
        {
            in_titles = true;
            out.push(true);
            continue;
        }
        // A header run onto the end of a line of the article (…分享收藏━━相关问题…？): the
        // line's tail is debris ([`debris_tail`]), and so are the title lines after it.
        let chars: Vec<char> = line.chars().collect();
        let tail = debris_tail(&chars);
        if tail < chars.len() {
            let rest: String = chars[tail..].iter().collect();
            if TITLE_LIST_HEADERS.iter().any(|h| rest.starts_with(h)) {
                in_titles = true;
                out.push(is_debris_line(line));
                continue;
            }
        }
        if in_titles && (trimmed.contains('。') || trimmed.chars().count() > 60) {
            in_titles = false;
        }
        out.push(in_titles || is_debris_line(line));
    }
    out
}

/// What ends an article on a web page and starts its footer: sharing, other articles' titles,
/// navigation to the next article, the site's footer.
const TAIL_OPENINGS: &[&str] = &[
    "分享到",
    "上一篇",
    "下一篇",
    "上一组",
    "下一组",
    "上一条",
    "下一条",
    "网站地图",
    "版权所有",
    "[责任编辑",
    "【责任编辑",
];

/// Where page debris starts inside a sentence, when the page's lines were joined into it
/// (…供图[责任编辑：何超]相关新闻▪化龙桥人行天桥加装电梯工程启动▪…): the first header of a
/// list of other articles' titles or opening of the page's footer. Names from there on are
/// debris; `sentence.len()` when there is none.
#[must_use]
pub fn debris_tail(sentence: &[char]) -> usize {
    let text: String = sentence.iter().collect();
    // A header the article goes on after (分享到 under the headline) is no tail: what follows
    // a tail holds no clause of prose.
    // A question mark that closes the line ends a title (相关问题 lists questions).
    // A list of titles may run into the page's footer, whose one sentence closes the line
    // (参见：…分类：…本词条最后修订于…。): a full stop that closes it is no prose either.
    let prose = |rest: &str, titles: bool| {
        let rest = rest.trim_end_matches('？');
        let rest = if titles {
            rest.trim_end_matches('。')
        } else {
            rest
        };
        rest.contains(['。', '，', ',', '；', ';', '！', '？'])
    };
    let titles = TITLE_LIST_HEADERS.iter().map(|h| (h, true));
    titles
        .chain(TAIL_OPENINGS.iter().map(|h| (h, false)))
        .filter_map(|(h, t)| text.find(h).map(|byte| (byte, t)))
        .filter(|&(byte, t)| !prose(&text[byte..], t))
        .map(|(byte, _)| byte)
        .min()
        .map_or(sentence.len(), |byte| text[..byte].chars().count())
}

/// Words that open a comparison with a place elsewhere: 像…一样 needs its closing word, the
/// others run to the end of the clause (对标上海陆家嘴, 借鉴成都太古里的做法).
const LIKE: &[&str] = &["好像", "如同", "犹如", "就像", "像"];
const LIKE_CLOSERS: &[&str] = &["一样", "那样", "这样", "一般", "似的", "般"];
const MODEL: &[&str] = &[
    "对标", "借鉴", "参照", "参考", "堪比", "媲美", "比肩", "效仿", "学习", "不输", "比作",
];

/// Words of more or less after 比 and the place (人比八一路好吃街少, 比解放碑还热闹).
const MEASURED: &[&str] = &[
    "少", "多", "还", "更", "强", "差", "好", "快", "慢", "高", "低", "便宜", "贵", "近", "远",
    "静", "闹", "挤", "热", "大", "小", "宽", "窄", "安逸", "巴适",
];

/// Words right after a place whose feel a text finds in ours (有…那种感觉, 有…的味道).
const FEEL: &[&str] = &[
    "那种感觉",
    "的感觉",
    "那种味道",
    "的味道",
    "的影子",
    "那种范儿",
];

/// Words after 和/跟/与 and the place that set it beside another (有得一比, 相比, 比较).
const SET_BESIDE: &[&str] = &["有得一比", "相比", "比较", "比起来", "相提并论", "差不多"];

/// The clause around the chars `start..end`: from after the last of `breaks` before them to
/// the first after them (or the sentence's ends).
pub(super) fn clause_around(
    sentence: &[char],
    start: usize,
    end: usize,
    breaks: &str,
) -> (usize, usize) {
    let clause_start = sentence[..start]
        .iter()
        .rposition(|c| breaks.contains(*c))
        .map_or(0, |p| p + 1);
    let clause_end = sentence[end..]
        .iter()
        .position(|c| breaks.contains(*c))
        .map_or(sentence.len(), |p| end + p);
    (clause_start, clause_end)
}

/// Whether the name at `start..end` is only a comparison or a model (像成都宽窄巷子一样,
/// 对标上海陆家嘴): a place held up as an example is not planned.
#[must_use]
pub fn in_comparison(sentence: &[char], start: usize, end: usize) -> bool {
    let (clause_start, clause_end) = clause_around(sentence, start, end, "，；。！？：\n,;");
    // The marker may have been read into the name's first chars (对|标上海陆家嘴).
    let before: String = sentence[clause_start..(start + 2).min(end)]
        .iter()
        .collect();
    let after: String = sentence[end..clause_end].iter().collect();
    if MODEL.iter().any(|m| before.contains(m)) {
        return true;
    }
    // 人比八一路好吃街少, 比解放碑还热闹: a measure against the place.
    let outer: String = sentence[clause_start..start].iter().collect();
    if outer.ends_with('比') && MEASURED.iter().any(|m| after.contains(m)) {
        return true;
    }
    // 很有上海武康路那种感觉: the feel of a place elsewhere (有 may be read into the name).
    let from_clause: String = sentence[clause_start..end].iter().collect();
    if from_clause.contains('有') && FEEL.iter().any(|f| after.starts_with(f)) {
        return true;
    }
    // 和南京颐和路有得一比, 跟观音桥相比: the place set beside ours.
    if outer.ends_with(['和', '跟', '同', '与']) && SET_BESIDE.iter().any(|m| after.contains(m))
    {
        return true;
    }
    // 有“小解放碑”之称, 被称为“山城的外滩”: a nickname, the place is a measure of another.
    if NICKNAMED
        .iter()
        .any(|w| after.trim_start_matches(['”', '“']).starts_with(w))
        || ["称为", "叫作", "叫做", "誉为", "号称", "被称"]
            .iter()
            .any(|w| outer.trim_end_matches(['“', '小']).ends_with(w))
    {
        return true;
    }
    LIKE.iter().any(|m| before.contains(m)) && LIKE_CLOSERS.iter().any(|c| after.contains(c))
}

/// Words after a quoted name that make it a nickname of another place (有“小解放碑”之称).
const NICKNAMED: &[&str] = &["之称", "的美誉", "的称号", "之誉"];

/// Verbs of riding a line (坐2号线到…, 优先选择1号线): the line is the way to travel, not a plan.
const RIDE: &[&str] = &["乘坐", "搭乘", "换乘", "选择", "坐", "乘", "搭"];

/// Whether a metro line at `start..` is only the way to travel (坐2号线到李子坝, 可乘坐2号线、
/// 3号线出行): a verb of riding before the list of lines it stands in, or 出行 right after
/// that list. Then the line is not planned, the place reached may be.
#[must_use]
pub fn line_as_a_way(sentence: &[char], start: usize, name: &str) -> bool {
    if !name.ends_with("号线") {
        return false;
    }
    let is_line_end = |at: usize| at >= 2 && sentence[at - 2..at] == ['号', '线'];
    // A verb of riding, then only lines joined by 、 or 和 up to this one (乘坐2号线、|3号线).
    let clause_start = sentence[..start]
        .iter()
        .rposition(|c| "，；。：！？\n".contains(*c))
        .map_or(0, |p| p + 1);
    let before: String = sentence[clause_start..start].iter().collect();
    let ridden = RIDE
        .iter()
        .filter_map(|r| before.rfind(r).map(|at| at + r.len()))
        .max()
        .is_some_and(|after| {
            let lines = &before[after..];
            lines.is_empty()
                || lines.ends_with(['、', '和'])
                    && lines[..lines.len() - '、'.len_utf8()]
                        .split(['、', '和'])
                        .all(|l| l.ends_with("号线"))
        });
    if ridden {
        return true;
    }
    // On to the end of the list (2号线、3号线|出行).
    let mut end = start + name.chars().count();
    while sentence.get(end).is_some_and(|c| "、和".contains(*c)) {
        let Some(next) = (end + 1..(end + 12).min(sentence.len())).find(|&j| is_line_end(j + 1))
        else {
            break;
        };
        if !sentence[end + 1..=next]
            .iter()
            .all(|c| is_cjk(*c) || c.is_ascii_digit())
        {
            break;
        }
        end = next + 1;
    }
    sentence.get(end..end + 2) == Some(&['出', '行'][..])
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
    fn the_branch_roads_of_an_area_are_the_area_but_a_branch_road_keeps_its_name() {
        let lex = Lexicon::default();
        assert_eq!(
            owner_part("化龙桥片区支路", &lex),
            Some(("化龙桥片区".into(), 2))
        );
        assert_eq!(owner_part("中山支路", &lex), None);
    }

    #[test]
    fn the_car_park_of_a_whole_name_is_that_place_but_one_named_after_a_street_is_its_own() {
        let lex = Lexicon::default();
        assert_eq!(
            owner_part("文化宫片区停车场", &lex),
            Some(("文化宫片区".to_string(), 3))
        );
        assert_eq!(
            owner_part("人民大礼堂东侧停车场", &lex),
            Some(("人民大礼堂".to_string(), 5))
        );
        assert_eq!(owner_part("长江一路停车场", &lex), None);
        assert_eq!(owner_part("新院区门诊楼", &lex), None);
        assert_eq!(owner_part("两路口地下停车库", &lex), None);
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
        let s = chars("意见寄至分局（地址：渝中区中山一路某号）");
        assert!(is_address(&s, 13, 17));
        let s = chars("来源:上清寺街道");
        assert!(after_source_label(&s, 3));
        assert!(!after_source_label(&chars("完成上清寺街道"), 2));
    }

    #[test]
    fn debris_joined_into_the_last_sentence_starts_at_its_first_header() {
        let s =
            chars("图为完工后的连廊。区建委供图[责任编辑：何超]相关新闻▪化龙桥人行天桥加装电梯");
        assert_eq!(debris_tail(&s), 14);
        let s = chars("改造中兴路。");
        assert_eq!(debris_tail(&s), s.len());
        let s = chars("解放碑步道开放分享到：微信。记者从区里获悉，中兴路完成改造。");
        assert_eq!(debris_tail(&s), s.len());
    }

    #[test]
    fn a_photographer_s_credit_is_a_source_line() {
        let s = chars("1/6鹅岭公园瞰胜楼。摄影谭路2/6重庆塔施工现场。");
        assert!(after_source_label(&s, 11));
        assert!(after_source_label(&s, 13));
        assert!(!after_source_label(&s, 3));
    }

    #[test]
    fn page_debris_lines_are_told_from_the_article() {
        let lines = [
            "首页 > 新闻中心 > 区县动态 > 渝中",
            "解放东西路提升工程二期开工",
            "2026-12-03 08:41  来源：渝中区融媒体中心  编辑：刘敏",
            "12月2日，工程在四方街开工。",
            "相关新闻",
            "大坪街道开展消防检查",
            "两路口片区更新启动",
            "（图为解放东路施工现场。）",
        ];
        assert_eq!(
            debris_lines(&lines),
            [true, false, true, false, true, true, true, false]
        );
    }

    #[test]
    fn a_list_of_questions_after_a_ruled_header_is_page_debris() {
        let lines = [
            "赞同 2341 分享 收藏━━━━━━━━━━相关问题重庆南山一棵树观景台值得去吗？",
            "128 个回答沙坪坝磁器口和渝中十八梯哪个更好逛？",
            "97 个回答",
        ];
        assert_eq!(debris_lines(&lines), [false, true, true]);
        let s = chars(lines[0]);
        let tail = debris_tail(&s);
        assert_eq!(s[tail..tail + 4].iter().collect::<String>(), "相关问题");
        assert!(debris_lines(&["━━━━ 往期推荐", "▶ 十八梯夜景机位大公开"])[1]);
    }

    #[test]
    fn a_line_ridden_or_chosen_for_travel_is_a_way_not_a_plan() {
        let s = chars("市民可乘坐轨道交通2号线、3号线出行。");
        assert!(line_as_a_way(&s, 5, "轨道交通2号线"));
        assert!(line_as_a_way(&s, 13, "3号线"));
        let s = chars("建议市民优先选择轨道交通1号线出行。");
        assert!(line_as_a_way(&s, 8, "轨道交通1号线"));
        let s = chars("夜间可优先选择轨道交通1号线、2号线。");
        assert!(line_as_a_way(&s, 15, "2号线"));
        let s = chars("推进轨道交通18号线建设，优化2号线出入口。");
        assert!(!line_as_a_way(&s, 2, "轨道交通18号线"));
        assert!(!line_as_a_way(&s, 15, "2号线"));
    }

    #[test]
    fn a_place_held_up_as_a_model_is_a_comparison() {
        let s = chars("街巷尺度像成都宽窄巷子一样，对标上海陆家嘴，改造解放东路。");
        assert!(in_comparison(&s, 5, 11));
        assert!(in_comparison(&s, 16, 21));
        assert!(!in_comparison(&s, 24, 28));
        // 像 without a closing word is not a comparison of places.
        let s = chars("楼上有小馆子，人比八一路少多了，和南京颐和路有得一比，和白象街一起改造。");
        assert!(in_comparison(&s, 9, 12));
        assert!(in_comparison(&s, 17, 22));
        assert!(!in_comparison(&s, 28, 31));
        let s = chars("老水塔还立着，很有上海武康路那种感觉，旁边是领事巷。");
        assert!(in_comparison(&s, 9, 14));
        assert!(!in_comparison(&s, 22, 25));
        let s = chars("像解放碑这样的商圈要提质，好像也在改造洪崖洞。");
        assert!(in_comparison(&s, 1, 4));
        assert!(!in_comparison(&s, 19, 22));
    }

    #[test]
    fn the_header_of_a_forum_post_and_a_quoted_reply_are_page_debris() {
        let lines = [
            "#2　较场口老王　2026-11-30 19:02",
            "7楼　朝天门看船的　2026-11-30 20:15",
            "网友“住在鹅岭的猫”　2026-11-29",
            "引用 较场口老王 的回复：",
            "较场口那边的梯坎2027年要整修。",
        ];
        assert_eq!(debris_lines(&lines), [true, true, true, true, false]);
    }

    #[test]
    fn an_encyclopedia_page_s_categories_and_links_are_page_debris() {
        let lines = [
            "大坪是渝中区西部的一片台地，正在建设商务区。",
            "参见",
            "渝中区行政区划",
            "解放碑",
            "分类：渝中区｜重庆市的街道",
        ];
        assert_eq!(debris_lines(&lines), [false, true, true, true, true]);
    }

    #[test]
    fn a_user_name_called_with_an_at_sign_is_no_place() {
        let s = chars("@七星岗老街坊 你说的那个电梯在枇杷山后街。");
        assert!(in_user_handle(&s, 1));
        let at = s.iter().position(|&c| c == '枇').expect("in");
        assert!(!in_user_handle(&s, at));
    }

    /// Whether the first `n` in `s` is read as a comparison.
    fn compared(s: &str, n: &str) -> bool {
        let s = chars(s);
        let start = (0..s.len())
            .find(|&i| s[i..].starts_with(&chars(n)))
            .expect("in");
        in_comparison(&s, start, start + n.chars().count())
    }

    #[test]
    fn a_place_measured_by_price_or_quiet_is_a_comparison() {
        assert!(compared("这边的小面比八一路便宜两块钱。", "八一路"));
        assert!(compared("晚上比洪崖洞清静得多。", "洪崖洞"));
    }

    #[test]
    fn a_nickname_after_another_place_is_a_comparison() {
        assert!(compared("化龙桥素有“小陆家嘴”之称。", "陆家嘴"));
        assert!(compared("两路口被称为“小解放碑”。", "解放碑"));
    }

    #[test]
    fn an_editor_s_afterword_is_page_debris() {
        let lines = [
            "白象街三期明年开街。",
            "编后：老城的缆车、索道多已停运，只剩长江索道。",
        ];
        assert_eq!(debris_lines(&lines), [false, true]);
    }

    #[test]
    fn the_title_of_a_plan_names_the_place_it_plans_but_a_book_s_does_not() {
        let s = chars("公示《厚慈街传统风貌区保护规划（2027—2035年）》的草案。");
        assert!(!in_title(&s, 3));
        let s = chars("征求《储奇门—望龙门城市更新单元实施方案（征求意见稿）》意见。");
        assert!(!in_title(&s, 3));
        let s = chars("出版《厚慈街街巷志》一书。");
        assert!(in_title(&s, 3));
    }
}
