//! Roles in which a name stands for a body, not a place: a cell of a table column that lists
//! the bodies responsible (责任单位, 实施主体), a party to an agreement (巴蜀小学与大坪街道合作),
//! the issuer of a notice (肖家湾社区关于召开…的通知), and a metro line named only to say which
//! station is meant (与轨道交通2号线大溪沟站周边单位协调).
//!
//! Input: a sentence's chars (normalised, a table's rows joined into one run as the normaliser
//! leaves them) and a candidate's char span. Output: whether the setting gives the name that
//! role. Each question is one function, tested alone; [`super::decision`] weighs the answers.

use super::context::clause_around;
use crate::text::is_cjk;

/// Header cells of a table column that lists the bodies that carry out or answer for a row's
/// works (a 街道 there is the office responsible, never the place of the works).
const BODY_COLUMNS: &[&str] = &[
    "责任单位",
    "责任部门",
    "责任主体",
    "实施主体",
    "实施单位",
    "牵头单位",
    "牵头部门",
    "配合单位",
    "建设单位",
    "业主单位",
    "主办单位",
    "承办单位",
    "建设主体",
];

/// The cells of a pipe-separated run as (start, end) char spans, in order (cells of the
/// joined rows included).
fn cells(sentence: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    for (i, &c) in sentence.iter().enumerate() {
        if c == '|' {
            out.push((from, i));
            from = i + 1;
        }
    }
    out.push((from, sentence.len()));
    out
}

/// Whether the name at `start..end` stands in a table column whose header names the bodies
/// responsible (| 序号 | 道路名称 | … | 责任单位 | … | 上清寺街道 |).
///
/// The normaliser joins a table's rows into one run: rows written with outer pipes meet as
/// `||`, an empty cell that closes one row; rows without them run the last cell of a row into
/// the first of the next, so the column is counted modulo the header's width.
#[must_use]
pub fn in_body_column(sentence: &[char], start: usize, end: usize) -> bool {
    if !sentence.contains(&'|') {
        return false;
    }
    let cells = cells(sentence);
    let text = |(s, e): (usize, usize)| -> String {
        sentence[s..e]
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    // The header: the first cell naming a column of bodies, and the cells of its row.
    let Some(body_cell) = cells.iter().position(|&c| {
        // The header's last cell may carry the first row's number (责任单位1).
        let t = text(c);
        let t = t.trim_end_matches(|ch: char| ch.is_ascii_digit());
        BODY_COLUMNS.iter().any(|b| t.ends_with(b))
    }) else {
        return false;
    };
    let Some(at) = cells.iter().position(|&(s, e)| s <= start && end <= e) else {
        return false;
    };
    if at <= body_cell {
        return false;
    }
    if sentence.windows(2).any(|w| w == ['|', '|']) {
        // Outer pipes: the empty cell between two rows (||) is column 0 of the next row, as
        // the cell before the header's first pipe (empty, or the table's title run into it)
        // is of the header row.
        let column = |i: usize| -> usize {
            i - cells[..i]
                .iter()
                .rposition(|&c| text(c).is_empty())
                .unwrap_or(0)
        };
        column(at) == column(body_cell)
    } else {
        // No outer pipes: the first row's number runs into the header's last cell, the first
        // cell after the first that holds a digit; each row then adds that many cells.
        let Some(period) = cells
            .iter()
            .skip(1)
            .position(|&c| text(c).chars().any(|ch| ch.is_ascii_digit()))
            .map(|p| p + 1)
        else {
            return false;
        };
        at % period == body_cell % period
    }
}

/// Verbs of an agreement between parties (与…合作, 与…共建, 与…签约).
const AGREEMENT: &[&str] = &[
    "合作",
    "共建",
    "签约",
    "签署",
    "签订",
    "携手",
    "结对",
    "共同举办",
    "联合举办",
    "联合开设",
];

/// Whether `s` is only names joined by 、 (or nothing) up to a verb of [`AGREEMENT`]: no noun
/// the names qualify (袁家岗片区的企业), no closing 等 (英利国际、时代天街等周边商业体).
fn names_then_agreement(s: &str) -> bool {
    let Some(p) = AGREEMENT.iter().filter_map(|v| s.find(v)).min() else {
        return false;
    };
    // 等单位签订: a list closed by the kind of bodies it names.
    let names = ["等单位", "等机构", "等部门", "等高校", "等企业"]
        .iter()
        .find_map(|k| s[..p].strip_suffix(k))
        .unwrap_or(&s[..p]);
    names.chars().count() <= 24
        && names
            .chars()
            .all(|ch| is_cjk(ch) && !"的等及和".contains(ch) || ch == '、')
}

/// Whether the name at `start..end` is a party to an agreement: the subject or the object of
/// 与 whose verb, right after the parties, is one of [`AGREEMENT`] (巴蜀小学与大坪街道合作开设,
/// 与重庆医科大学、陆军特色医学中心签订): a school, hospital or office acting, not a place
/// planned. Firms of an area (与袁家岗片区的企业…合作) leave the area a place.
#[must_use]
pub fn is_party(sentence: &[char], start: usize, end: usize) -> bool {
    let (clause_start, clause_end) = clause_around(sentence, start, end, "，；。！？：\n");
    let before: String = sentence[clause_start..start].iter().collect();
    let after: String = sentence[end..clause_end].iter().collect();
    if before.ends_with("携手") {
        return true;
    }
    // X与Y合作: the other party, then the verb.
    let subject = after
        .strip_prefix('与')
        .is_some_and(|rest| !rest.starts_with('、') && names_then_agreement(rest));
    // 与X合作, 与X、Y签订: the rest of the list, then the verb.
    let object = before.ends_with('与') && names_then_agreement(&after);
    subject || object
}

/// Words that close the title of a notice, a letter or a decision a body issues.
const DOCUMENTS: &[&str] = &[
    "通知", "公告", "通告", "复函", "答复", "批复", "决定", "意见", "函", "报告", "公示",
];

/// Whether the name at `start..end` issues a document: it opens a title `X关于…的通知`
/// (肖家湾社区关于召开居民议事会的通知): the body that writes, not a place.
#[must_use]
pub fn is_issuer(sentence: &[char], start: usize, end: usize) -> bool {
    if sentence.get(end..end + 2) != Some(&['关', '于'][..]) {
        return false;
    }
    // Only the title's own words before the name (a line that opens with it).
    let opens = sentence[..start]
        .iter()
        .all(|c| !is_cjk(*c) || "重庆市渝中区".contains(*c));
    // The title may run into the salutation after it (…的通知各位居民朋友：).
    let text: String = sentence[end..].iter().collect();
    let title = text
        .split(['。', '，', '：', '\n'])
        .next()
        .unwrap_or_default();
    opens
        && DOCUMENTS
            .iter()
            .any(|d| title.ends_with(d) || title.contains(&format!("的{d}")))
}

/// Words after a station (or its exits) that make it the name of a neighbourhood (…站周边,
/// …站出入口附近): what is there is planned, the station only says where.
const VICINITY: &[&str] = &["周边", "附近", "周围", "旁边", "一带", "旁"];

/// Whether the metro line ending at `end` is named only to say which station follows it, and
/// the station only to say where something is (轨道交通2号线大溪沟站周边单位, 10号线大礼堂站
/// 出入口附近): then the line is not planned. A line whose station, exits or stretch the
/// clause changes (1号线七星岗站出入口将增设连廊, 1号线小什字站至两路口站区段升级) is.
/// `station_end` is where the station's name, which starts right after the line (or after the
/// rest of a list of lines), ends.
#[must_use]
pub fn line_names_station(sentence: &[char], end: usize, station_end: usize) -> bool {
    if station_end <= end || sentence.get(station_end - 1) != Some(&'站') {
        return false;
    }
    let rest: String = sentence[station_end..]
        .iter()
        .take_while(|c| !"，；。！？\n".contains(**c))
        .collect();
    let rest = rest.strip_prefix("出入口").unwrap_or(&rest);
    VICINITY.iter().any(|v| rest.starts_with(v))
}

/// Labels of a line that name a body (采购人：…, 招标代理机构：…): what follows is the body.
const BODY_LABELS: &[&str] = &[
    "采购人",
    "采购单位",
    "招标人",
    "中标人",
    "中标单位",
    "代理机构",
    "申报单位",
    "发布单位",
    "建设单位",
    "业主单位",
    "实施单位",
    "责任单位",
];

/// Ends of the names of offices (区交通局, 区公安交巡警支队, 市住房城乡建委); not 中心 or 公司,
/// which end the names of buildings too (重庆环球金融中心、大都会东方广场).
const OFFICE_ENDS: &[&str] = &["局", "委", "办", "支队", "大队", "办事处"];

/// Words after a name that make it the source of what the text reports (据…介绍).
const SAYS: &[&str] = &["介绍", "称", "透露", "表示", "消息", "说", "统计"];

/// Whether the name at `start..end` names a body by its setting: right after a label of a
/// body (采购人：重庆市某中心), as the source of a report (据七星岗街道介绍), or in a list of
/// offices (会同区交通局、区公安交巡警支队、大坪街道研究).
#[must_use]
pub fn names_a_body(sentence: &[char], start: usize, end: usize) -> bool {
    // Every setting ends right before the name in a label's colon, 据 or a list's 、.
    if start == 0 || !"：: 据、".contains(sentence[start - 1]) {
        return false;
    }
    let (clause_start, clause_end) = clause_around(sentence, start, end, "，；。！？\n");
    let before: String = sentence[clause_start..start].iter().collect();
    let after: String = sentence[end..clause_end].iter().collect();
    let label = before.trim_end_matches([' ', '：', ':']);
    let labelled = label.len() < before.len() && BODY_LABELS.iter().any(|l| label.ends_with(l));
    let informant = before.ends_with('据') && SAYS.iter().any(|w| after.starts_with(w));
    let among_offices = before
        .strip_suffix('、')
        .is_some_and(|b| OFFICE_ENDS.iter().any(|o| b.ends_with(o)));
    labelled || informant || among_offices
}

/// Nouns of a bus or shuttle route named by its ends (“七星岗站—枇杷山公园”接驳线).
const ROUTE_NOUNS: &[&str] = &[
    "接驳线",
    "接驳专线",
    "专线",
    "公交线",
    "线路",
    "班车",
    "巴士",
];

/// Whether the joined name at `start..end` (A—B) names a route that runs between its places
/// (新开“较场口—十八梯”接驳线): the route is no place; its ends are, where written.
#[must_use]
pub fn names_a_route(sentence: &[char], end: usize) -> bool {
    let rest: String = sentence[end..].iter().take(6).collect();
    let rest = rest.trim_start_matches(['”', '“', '"']);
    ROUTE_NOUNS.iter().any(|r| rest.starts_with(r))
}

/// Chars of a list of metro lines (轨道交通1号线、6号线).
fn in_list_of_lines(c: char) -> bool {
    c.is_ascii_digit() || "号线、和及轨道交通地铁轻轨".contains(c)
}

/// Whether the metro line at `start..end` is named only to say which station is meant: in
/// brackets after the station, with the other lines there (小什字站（轨道1号线、6号线）), or as
/// the lines that meet at a station (1号线、2号线在大坪站换乘). The station is the place; the
/// lines are not planned.
#[must_use]
pub fn line_identifies_station(sentence: &[char], start: usize, end: usize) -> bool {
    let open = sentence[..start]
        .iter()
        .rposition(|&c| !in_list_of_lines(c))
        .filter(|&p| "（(".contains(sentence[p]));
    let in_brackets = open.is_some_and(|p| p > 0 && sentence[p - 1] == '站');
    let after = sentence[end..]
        .iter()
        .position(|&c| !in_list_of_lines(c))
        .map_or(sentence.len(), |p| end + p);
    let rest: String = sentence[after..]
        .iter()
        .take_while(|c| !"，；。！？\n".contains(**c))
        .take(16)
        .collect();
    let transfer = rest.starts_with('在') && rest.contains("站换乘");
    in_brackets || transfer
}

/// Words of distance in front of a station (距2号线牛角沱站约400米, 近5号线红岩村站).
const NEAR: &[&str] = &["距离", "距", "靠近", "临近", "邻近", "离", "近"];

/// Whether the metro line at `start..end` (or the list of lines it stands in) only says which
/// station follows it, in a listing's or a note's way: the station's lines with 的 between
/// (1号线、2号线的大坪站), the distance to the station (距2号线、3号线牛角沱站约400米), or
/// where to alight (2号线 李子坝站 下). The station is the place; the lines are not planned.
#[must_use]
pub fn line_of_a_station_named(sentence: &[char], start: usize, end: usize) -> bool {
    let first = sentence[..start]
        .iter()
        .rposition(|&c| !in_list_of_lines(c))
        .map_or(0, |p| p + 1);
    let mut at = sentence[end..]
        .iter()
        .position(|&c| !in_list_of_lines(c))
        .map_or(sentence.len(), |p| end + p);
    let by_of = sentence.get(at) == Some(&'的');
    while sentence
        .get(at)
        .is_some_and(|c| *c == '的' || c.is_whitespace())
    {
        at += 1;
    }
    let Some(station_end) = sentence[at..]
        .iter()
        .take(8)
        .take_while(|c| is_cjk(**c))
        .position(|&c| c == '站')
        .map(|p| at + p + 1)
        .filter(|&e| e > at + 1)
    else {
        return false;
    };
    let before: String = sentence[first.saturating_sub(2)..first].iter().collect();
    let near = NEAR.iter().any(|n| before.ends_with(n));
    let after: String = sentence[station_end..]
        .iter()
        .skip_while(|c| c.is_whitespace())
        .take(2)
        .collect();
    let alight = after.starts_with('下') && !after.starts_with("下面");
    by_of || near || alight
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn span(s: &[char], name: &str) -> (usize, usize) {
        let n = chars(name);
        let start = (0..s.len())
            .find(|&i| s[i..].starts_with(&n))
            .expect("in it");
        (start, start + n.len())
    }

    fn span_after(s: &[char], name: &str, after: usize) -> (usize, usize) {
        let n = chars(name);
        let start = (after..s.len())
            .find(|&i| s[i..].starts_with(&n))
            .expect("in it");
        (start, start + n.len())
    }

    #[test]
    fn a_sub_district_in_the_column_of_bodies_responsible_is_an_office() {
        let s = chars(
            "|序号|道路名称|起止点|责任单位||1|健康路|全线|两路口街道||2|体育路|大田湾至两路口|两路口街道|",
        );
        let (a, b) = span(&s, "两路口街道");
        assert!(in_body_column(&s, a, b));
        // The road and the place in the 起止点 column are no bodies.
        let (a, b) = span(&s, "健康路");
        assert!(!in_body_column(&s, a, b));
        let (a, b) = span(&s, "大田湾");
        assert!(!in_body_column(&s, a, b));
    }

    #[test]
    fn a_table_without_outer_pipes_counts_its_columns_across_joined_rows() {
        let s = chars(
            "序号|项目名称|实施主体|投资1|金汤街院落改造|七星岗街道|1.22|人和街道路改造|南纪门街道|0.8",
        );
        let first = span(&s, "七星岗街道");
        assert!(in_body_column(&s, first.0, first.1));
        let second = span(&s, "南纪门街道");
        assert!(in_body_column(&s, second.0, second.1));
        let works = span(&s, "金汤街");
        assert!(!in_body_column(&s, works.0, works.1));
    }

    #[test]
    fn a_sub_district_in_a_location_column_is_a_place() {
        let s = chars("|序号|项目名称|位置|牵头单位||1|黄花园片区改造|大溪沟街道|区住房城乡建委|");
        let (a, b) = span(&s, "大溪沟街道");
        assert!(!in_body_column(&s, a, b));
    }

    #[test]
    fn the_parties_to_an_agreement_are_bodies() {
        let s = chars("巴蜀小学与大坪街道合作开设课堂，覆盖12个社区。");
        let (a, b) = span(&s, "巴蜀小学");
        assert!(is_party(&s, a, b));
        let (a, b) = span(&s, "大坪街道");
        assert!(is_party(&s, a, b));
        let s = chars("与重庆医科大学、陆军特色医学中心等单位签订协议。");
        let (a, b) = span(&s, "重庆医科大学");
        assert!(is_party(&s, a, b));
        // Places listed before the bodies they hold are places.
        let s = chars("推动医院与英利国际、时代天街等周边商业体签订共享停车协议。");
        let (a, b) = span(&s, "英利国际");
        assert!(!is_party(&s, a, b));
        let s = chars("与重庆医科大学、陆军特色医学中心签订协议。");
        let (a, b) = span(&s, "重庆医科大学");
        assert!(is_party(&s, a, b));
        // The firms of an area are the party, the area a place.
        let s = chars("医院与袁家岗片区的企业开展了合作。");
        let (a, b) = span(&s, "袁家岗片区");
        assert!(!is_party(&s, a, b));
        // Two places joined by 与 with a verb of works are places.
        let s = chars("推进解放碑与朝天门步道贯通。");
        let (a, b) = span(&s, "解放碑");
        assert!(!is_party(&s, a, b));
    }

    #[test]
    fn the_body_that_issues_a_notice_is_no_place() {
        let s = chars("肖家湾社区关于召开老旧小区改造居民议事会的通知各位居民朋友：");
        let (a, b) = span(&s, "肖家湾社区");
        assert!(is_issuer(&s, a, b));
        let s = chars("关于大溪沟社区加装电梯的通知");
        let (a, b) = span(&s, "大溪沟社区");
        assert!(!is_issuer(&s, a, b));
    }

    #[test]
    fn a_line_before_its_station_only_says_which_station() {
        let s = chars("并与轨道交通2号线大溪沟站周边单位协调共享车位。");
        let (_, line_end) = span(&s, "轨道交通2号线");
        let (_, station_end) = span(&s, "大溪沟站");
        assert!(line_names_station(&s, line_end, station_end));
        let s = chars("二期将在轨道交通10号线大礼堂站出入口附近新增集散点。");
        let (_, line_end) = span(&s, "轨道交通10号线");
        let (_, station_end) = span(&s, "大礼堂站");
        assert!(line_names_station(&s, line_end, station_end));
        let s = chars("轨道交通1号线、6号线小什字站3号出入口将临时封闭。");
        let (_, line_end) = span(&s, "6号线");
        let (_, station_end) = span_after(&s, "小什字站", line_end);
        assert!(!line_names_station(&s, line_end, station_end));
    }

    #[test]
    fn lines_in_brackets_after_a_station_or_meeting_at_it_only_name_it() {
        let s = chars("出了较场口站（轨道2号线、3号线）往左走就是十八梯。");
        let (a, b) = span(&s, "2号线");
        assert!(line_identifies_station(&s, a, b));
        let (a, b) = span(&s, "3号线");
        assert!(line_identifies_station(&s, a, b));
        let s = chars("轨道交通2号线、3号线在牛角沱站换乘，步行约三分钟。");
        let (a, b) = span(&s, "轨道交通2号线");
        assert!(line_identifies_station(&s, a, b));
        let s = chars("轨道交通3号线牛角沱站出入口改造年内完工。");
        let (a, b) = span(&s, "轨道交通3号线");
        assert!(!line_identifies_station(&s, a, b));
    }

    #[test]
    fn a_body_s_label_a_source_of_news_or_a_list_of_offices_make_a_name_a_body() {
        let s = chars("采购人：重庆市渝中区市政设施养护中心");
        let (a, b) = span(&s, "重庆市渝中区市政设施养护中心");
        assert!(names_a_body(&s, a, b));
        let s = chars("据南纪门街道介绍，凤凰台社区的梯道已完工。");
        let (a, b) = span(&s, "南纪门街道");
        assert!(names_a_body(&s, a, b));
        let (a, b) = span(&s, "凤凰台社区");
        assert!(!names_a_body(&s, a, b));
        let s = chars("经会同区住房城乡建委、南纪门街道研究，答复如下。");
        let (a, b) = span(&s, "南纪门街道");
        assert!(names_a_body(&s, a, b));
        let s = chars("改造凤凰台、南纪门街道的梯道。");
        let (a, b) = span(&s, "南纪门街道");
        assert!(!names_a_body(&s, a, b));
    }

    #[test]
    fn a_line_named_with_the_distance_to_its_station_or_where_to_alight_is_not_planned() {
        let s = chars("房源距1号线、6号线小什字站约300米，拎包入住。");
        let (a, b) = span(&s, "6号线");
        assert!(line_of_a_station_named(&s, a, b));
        let (a, b) = span(&s, "1号线");
        assert!(line_of_a_station_named(&s, a, b));
        let s = chars("交通：3号线 两路口站 下，出站就是扶梯。");
        let (a, b) = span(&s, "3号线");
        assert!(line_of_a_station_named(&s, a, b));
        let s = chars("明年和9号线的化龙桥站打通换乘通道。");
        let (a, b) = span(&s, "9号线");
        assert!(line_of_a_station_named(&s, a, b));
    }

    #[test]
    fn a_line_whose_station_is_planned_without_such_words_stays_a_line() {
        let s = chars("1号线七星岗站出入口将增设连廊。");
        let (a, b) = span(&s, "1号线");
        assert!(!line_of_a_station_named(&s, a, b));
        let s = chars("轨道交通27号线年内开工。");
        let (a, b) = span(&s, "轨道交通27号线");
        assert!(!line_of_a_station_named(&s, a, b));
    }
}
