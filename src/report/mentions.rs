//! Finding the names of planned places in normalised sentences.
//!
//! Inputs: a sentence's chars and the [`Lexicon`] of known names (gazetteer names and
//! aliases). Output: [`Candidate`]s with char spans relative to the sentence.
//!
//! Two sources, merged: known names by Aho-Corasick (leftmost-longest), and pattern rules for
//! names the lexicon lacks: a head word (…路 …街 …片区 …产业园 …中心 …号线 …) whose name is
//! read back to the nearest punctuation or planning verb. Names joined by — (an axis, a
//! corridor) keep the join and list their parts; quoted names (“十字金街”) are read whole.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

pub use crate::text::LexiconTerm;
use crate::text::{self, is_cjk};

/// Known names, searchable leftmost-longest.
#[derive(Debug, Clone)]
pub struct Lexicon {
    terms: Vec<LexiconTerm>,
    matcher: Option<AhoCorasick>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new(Vec::new())
    }
}

impl Lexicon {
    /// Builds the lexicon. Terms shorter than two chars are ignored: one char names nothing
    /// reliably in Chinese text.
    #[must_use]
    pub fn new(terms: Vec<LexiconTerm>) -> Lexicon {
        let terms: Vec<LexiconTerm> = terms
            .into_iter()
            .filter(|t| t.text.chars().count() >= 2)
            .collect();
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(terms.iter().map(|t| t.text.as_str()))
            .ok();
        Lexicon { terms, matcher }
    }

    /// The terms, in the order given.
    #[must_use]
    pub fn terms(&self) -> &[LexiconTerm] {
        &self.terms
    }

    /// The term with exactly this text, if any.
    #[must_use]
    pub fn get(&self, text: &str) -> Option<&LexiconTerm> {
        self.terms.iter().find(|t| t.text == text)
    }

    /// The longest term that is a prefix of `text`.
    #[must_use]
    pub fn longest_prefix(&self, text: &str) -> Option<&LexiconTerm> {
        self.terms
            .iter()
            .filter(|t| text.starts_with(t.text.as_str()))
            .max_by_key(|t| t.text.len())
    }

    /// Non-overlapping known names in `chars`, leftmost-longest: (start, end, term) in chars.
    fn find(&self, chars: &[char]) -> Vec<(usize, usize, &LexiconTerm)> {
        let Some(m) = &self.matcher else {
            return Vec::new();
        };
        let text: String = chars.iter().collect();
        // Byte offsets → char offsets.
        let mut char_at = vec![0usize; text.len() + 1];
        let mut ci = 0;
        for (b, c) in text.char_indices() {
            for slot in &mut char_at[b..b + c.len_utf8()] {
                *slot = ci;
            }
            ci += 1;
        }
        char_at[text.len()] = ci;
        m.find_iter(&text)
            .map(|hit| {
                (
                    char_at[hit.start()],
                    char_at[hit.end()],
                    &self.terms[hit.pattern().as_usize()],
                )
            })
            .collect()
    }
}

/// Where a candidate came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CandidateSource {
    /// A known name; `key` is the place it names.
    Lexicon {
        /// Gazetteer id of the place.
        key: String,
    },
    /// A head-word pattern rule.
    Pattern,
    /// A quoted name.
    Quoted,
}

/// A name found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The name as written (normalised).
    pub name: String,
    /// First char, relative to the sentence.
    pub start: usize,
    /// One past the last char, relative to the sentence.
    pub end: usize,
    /// Head-word kind.
    pub kind: String,
    /// Where it was found.
    pub source: CandidateSource,
    /// For a name joined by — : the places it joins, in order.
    pub parts: Vec<String>,
    /// Lexicon keys of known names inside this name (李子坝 in 李子坝大公报片区).
    pub contains: Vec<String>,
}

/// Chars that, right after a head word, show it is not the end of a name (中心城区, 路径,
/// 街道, 城市 …).
fn continues_word(head: &str, next: Option<char>) -> bool {
    let Some(n) = next else { return false };
    match head {
        "中心" => "城区".contains(n),
        "路" => "径线网子演况面段".contains(n),
        "街" => "道区景".contains(n),
        "巷" => "道".contains(n),
        "园" => "区林艺坝".contains(n),
        "门" => "户店面槛诊类票禁".contains(n),
        "沟" => "通".contains(n),
        "楼" => "宇栋梯盘层".contains(n),
        "站" => "点位台".contains(n),
        "岩" => "石层".contains(n),
        "湾" => "区".contains(n),
        "街道" => "路".contains(n),
        "城" => "市区墙门乡融镇".contains(n),
        "村" => "镇民落".contains(n),
        "市场" => "主化".contains(n),
        "公园" | "广场" | "码头" | "立交" => false,
        _ => false,
    }
}

/// Generic parts of bare toponyms (储奇门, 上清寺, 观音岩): often the proper part of a longer
/// name that follows (千厮门嘉陵江大桥, 上清寺路口).
const TOPONYM_HEADS: &str = "门寺岩湾沟洞坡庙";

/// Whether a toponym's generic part at `head_end` is followed, within a few chars and without a
/// break or a stop word, by a longer generic term that ends the real name.
fn toponym_goes_on(sentence: &[char], head: &str, head_end: usize) -> bool {
    if head.chars().count() != 1 || !head.chars().all(|c| TOPONYM_HEADS.contains(c)) {
        return false;
    }
    for j in head_end..(head_end + 5).min(sentence.len()) {
        if !is_cjk(sentence[j]) || stop_at(sentence, j).is_some() {
            return false;
        }
        let longer = HEAD_CHARS
            .iter()
            .any(|(h, _, _)| h.len() >= 2 && sentence.get(j..j + h.len()) == Some(&h[..]));
        if longer {
            return true;
        }
    }
    false
}

/// Words at which a name read backwards from its head word stops: planning verbs, function
/// words and generic modifiers. The name starts after the rightmost one that leaves a name.
#[rustfmt::skip]
const STOPS: &[&str] = &[
    "加快", "推进", "推动", "提速", "启动", "完工", "完成", "开工", "建设", "打造", "建成", "建好", "改造", "新增", "升级",
    "提升", "优化", "做靓", "做强", "做优", "做精", "培育", "联动", "依托", "落地", "引入", "引进", "融入", "深化", "强化",
    "拓展", "创建", "争创", "争取", "实施", "开展", "探索", "用好", "发挥", "丰富", "支持", "鼓励", "引导", "保护", "活化",
    "利用", "连片", "焕新", "复建", "谋划", "规划", "研究", "策划", "布局", "盘活", "提质", "扩容", "提档", "投用", "同步",
    "紧跟", "加速", "高标准", "高水平", "全面", "持续", "大力", "积极", "加强", "完善", "推出", "新建", "续建", "实现", "达到",
    "聚焦", "围绕", "助力", "打通", "串联", "有机", "建立", "设立", "成立", "全力", "配套", "整体", "接续", "一批", "一座",
    "一个", "首个", "重点", "重大", "高品质", "高能级", "高端", "特色", "全市", "全国", "全区", "市级", "区级", "国家级", "国家",
    "以及", "以", "和", "与", "及", "等", "的", "在", "为", "是", "指", "即", "对", "把", "将", "从", "向", "到",
    "于", "让", "使", "由", "并", "或", "之", "个", "成为", "作为", "形成", "建", "扩大", "做好", "办好", "办", "新开",
    "开通", "贯通", "畅通", "开放", "投运", "运营", "服务", "提供", "加装", "幕墙", "内部", "装修", "沿线", "周边", "传统",
    "激活", "固化", "转化", "阐释", "展现", "突出", "推广", "创作", "带动", "辐射", "激活", "固化", "转化", "阐释", "展现",
    "突出", "推广", "创作", "带动", "辐射", "进", "拓", "走出去", "过",
    "其中包括", "其中", "包括", "我区", "本区", "整治", "更换", "修复", "紧邻", "临近", "毗邻", "通往", "配合", "途经", "位于",
    "健全", "一次", "需经", "经过", "离不开", "也", "咨询", "新改建", "改建", "具体", "起", "东起", "西起", "南起", "北起", "至", "北至", "南至", "东至", "西至", "起点接", "终点接", "接", "原", "其间",
    "乘坐", "力争", "全年", "改善", "规范", "增设", "这条", "该", "一期", "二期", "三期", "沿", "沿着", "前往", "可乘坐",
    "游客", "车辆", "需", "范围", "项目", "涉及", "段", "所在", "从", "各",
    "横跨", "设有", "这座", "那座", "西连", "东连", "南连", "北连", "连接", "解决", "修缮", "动工", "印象是", "属地", "进出",
    "对岸", "上下", "甲级", "垂直", "观光", "无障碍", "全文", "请见", "转自", "本文", "出", "老人", "更新",
];

/// Names that are generic words, never places on their own.
#[rustfmt::skip]
const GENERIC: &[&str] = &[
    "城市中心", "中心", "购物中心", "服务中心", "创新中心", "技术中心", "企业技术中心", "文化中心", "活动中心", "运营中心", "指挥中心",
    "数据中心", "研发中心", "检测中心", "交易中心", "研究中心", "消费中心", "总部基地", "基地", "产业园", "公园", "广场", "街区", "片区",
    "商圈", "园区", "主题公园", "口袋公园", "社区公园", "城市公园", "名城", "新城", "风貌街区", "传统风貌街区", "后街小巷", "小巷",
    "背街小巷", "道路", "马路", "一路", "示范基地", "实践基地", "教育基地", "城区", "中心城区", "示范区", "集聚区", "功能区", "示范园",
    "产业中心", "医药产业中心", "科创中心", "金融中心", "商贸中心", "服务专业服务中心", "党群服务中心", "便民服务中心", "养老服务中心", "医疗中心",
    "卫生服务中心", "社区卫生服务中心", "大道", "街", "路", "巷", "园", "城", "消费大道", "金融大道", "国际消费大道", "绿色金融大道", "名校",
    "学校", "医院", "幼儿园", "小学", "中学", "中央商务区",
    "国际市场", "乡村", "农村", "阶段",
    "街道", "社区", "网格", "大中小学", "区",
    "交叉路", "回家路", "主干路", "次干路", "支路", "慢行步道", "临江步道", "背街步道", "游步道", "滨江步道", "步道", "马路",
    "新闻中心", "老街", "主街", "老城", "公交线路", "线路", "西部片区", "批发市场", "灯饰城", "部门", "窗口", "家园", "老公园",
    "车站", "公交站", "大楼", "城门", "寺", "门", "楼", "站", "天桥", "人行天桥", "电梯", "扶梯", "码头", "山洞", "前广场",
    "步行街", "商业街", "美食街", "特色街", "老街", "背街", "写字楼", "居民楼", "招呼站", "轨道站", "火车站", "老火车站", "轻轨站", "网站", "政府网站", "区政府网站", "路面",
];

/// Modifiers that make a would-be name generic when nothing else precedes the head word.
#[rustfmt::skip]
const GENERIC_MODIFIERS: &[&str] = &[
    "国际", "城市", "社区", "主题", "口袋", "综合", "文化", "特色", "示范", "公共", "便民", "专业", "创新", "服务", "产业",
    "数字", "智慧", "体育", "健康", "养老", "托育", "商业", "消费", "休闲", "生态", "绿色", "低空", "飞行", "企业", "技术",
    "科技", "文体", "文创", "金融", "商务", "传统", "风貌", "历史", "人文", "老旧", "新型", "共享", "停车", "立体", "全龄",
    "友好", "儿童", "青年", "老年", "运动", "滨江", "山城", "步行", "小", "大",
    "现代", "服务业", "夜经济", "夜间", "文旅", "重大", "无废", "近零碳", "低碳", "零碳", "新时代", "文明", "实践", "邻里", "交易", "展示", "保税",
    "要素", "价格", "品牌", "激发", "优质", "辖区", "全域", "传承", "信用", "试点", "最大", "二次元", "购物", "非遗", "保护",
    "老", "主", "慢行", "临江", "背街", "崖壁", "遗址", "展示", "风雨", "交叉", "破损", "批发", "游", "部分", "公交",
    "优先", "属地", "边", "政府", "区", "城门", "小型", "大型", "中型",
];

/// [`GENERIC_MODIFIERS`], longest first, so 小型 is stripped whole before 小 is tried.
static MODIFIERS_LONGEST_FIRST: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v = GENERIC_MODIFIERS.to_vec();
    v.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
    v
});

/// Measure words that end a count (7个, 33栋, 5处) in front of a name.
const MEASURES: &str = "个家条座处所项批栋部间片班";

/// The vocabulary's generic terms (head words) as chars, longest first, built once: the matcher runs at every char of every sentence.
static HEAD_CHARS: LazyLock<Vec<(Vec<char>, &'static str, &'static str)>> = LazyLock::new(|| {
    crate::vocab::terms()
        .iter()
        .map(|&(h, k)| (h.chars().collect(), h, k))
        .collect()
});

/// Stop words as chars, built once.
static STOP_CHARS: LazyLock<Vec<Vec<char>>> =
    LazyLock::new(|| STOPS.iter().map(|s| s.chars().collect()).collect());

fn stop_at(chars: &[char], i: usize) -> Option<usize> {
    // A count is a stop: "7个传统风貌街区" names no place by itself.
    if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
        let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        match chars.get(i + digits) {
            Some(c) if MEASURES.contains(*c) => return Some(digits + 1),
            // A number glued to a name is a list number or a date (1重庆宾馆, 2024年), unless
            // the name goes on with it (18号线, 6号地块).
            // A date or a length (2024年, 30米) goes with its number.
            Some(&c) if "年月日米届次".contains(c) => return Some(digits + 1),
            Some(&c) if is_cjk(c) && !"号期".contains(c) => return Some(digits),
            _ => {}
        }
    }
    // A count in words is a stop too: 三条老街, 两部电梯, 一座天桥.
    if (text::is_cn_numeral(chars[i]) || "两几多".contains(chars[i]))
        && chars.get(i + 1).is_some_and(|c| MEASURES.contains(*c))
    {
        return Some(2);
    }
    STOP_CHARS
        .iter()
        .filter(|s| chars.get(i) == s.first() && chars.get(i..i + s.len()) == Some(&s[..]))
        .map(Vec::len)
        .max()
}

/// Endings that make a name a slogan or a title rather than a place (博物馆之城, 母城).
const GENERIC_ENDINGS: &[&str] = &[
    "之城",
    "母城",
    "名城",
    "双城",
    "山城",
    "山水城",
    "强区",
    "大市场",
    "家园",
    "过街",
    "一中心",
    "巡巷",
    "赶考路",
    "转型路",
    "之路",
    "道路",
    // "X进Y" is an activity (体育赛事进景区), not a place.
    "进景区",
    "进社区",
    "进校园",
    "进园区",
    "马路",
    "各街道",
    "—街道",
    "满楼",
    "拓市场",
    "充电站",
    "救援站",
    "加油站",
    "服务站",
    "工作站",
    "消防站",
    "垃圾站",
    "中转站",
    "穿楼",
    "网路",
    "线路",
    "部门",
    "融媒体中心",
    "管理中心",
    "更新中心",
    "专门",
    "热门",
    "出门",
    "家门",
    "大门",
    "桥梁",
    "桥头堡",
];

/// Words before 中心 that make it an institution or a function, not a site (西部数据交易中心,
/// 新时代文明实践中心); a site's 中心 follows a proper name (陆海国际中心, 嘉陵中心).
const INSTITUTION_CENTRES: &[&str] = &[
    "创新中心",
    "交易中心",
    "产业中心",
    "消费中心",
    "服务中心",
    "实践中心",
    "邻里中心",
    "研究中心",
    "医学中心",
    "医疗中心",
    "运营中心",
    "商务中心",
    "商业中心",
    "治理中心",
    "数据中心",
    "技术中心",
    "促进中心",
];

/// Whether a name is a slogan of numbered items (一轴一环一带百巷, 一带一路).
fn is_numbered_slogan(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    chars
        .windows(2)
        .filter(|w| w[0] == '一' && text::is_cjk(w[1]))
        .count()
        >= 2
}

/// Whether a name is only generic words.
#[must_use]
pub fn is_generic(name: &str, head: &str) -> bool {
    if GENERIC.contains(&name)
        || GENERIC_ENDINGS.iter().any(|e| name.ends_with(e))
        || is_numbered_slogan(name)
        || INSTITUTION_CENTRES.iter().any(|e| name.ends_with(e))
        || name.contains('的')
    {
        return true;
    }
    // 街区和园区: a coordination of generic words.
    if name.contains(['和', '与', '及']) {
        let parts: Vec<&str> = name.split(['和', '与', '及']).collect();
        // A part without a generic term is a plain word (外墙, 桥梁) when it has two chars or
        // more; one char is the proper part of a name (人和街, 协和城).
        let plain = |p: &str| {
            let kind = kind_of(p);
            if kind.is_empty() {
                p.chars().count() >= 2
            } else {
                is_generic(p, &kind)
            }
        };
        if parts.len() > 1 && parts.iter().all(|p| plain(p)) {
            return true;
        }
    }
    // A count in front of a generic head: 五大片区, 403个地块, 三类街区.
    let prefix = name.strip_suffix(head).unwrap_or(name);
    let counted = prefix.trim_end_matches(|c: char| "大个类批处座条项".contains(c));
    if counted.len() < prefix.len()
        && !counted.is_empty()
        && counted
            .chars()
            .all(|c| c.is_ascii_digit() || text::is_cn_numeral(c) || "百千万两几多".contains(c))
    {
        return true;
    }
    // 青年路, 健康路, 民生路: a street's proper part may be any word.
    if ["路", "街", "巷"].contains(&head) && name.chars().count() >= 3 {
        return false;
    }
    let mut rest = name.strip_suffix(head).unwrap_or(name).to_string();
    loop {
        let before = rest.len();
        for m in MODIFIERS_LONGEST_FIRST.iter() {
            if let Some(r) = rest.strip_prefix(m) {
                rest = r.to_string();
            }
        }
        if rest.len() == before {
            break;
        }
    }
    rest.is_empty()
}

/// The shortest proper part a name may have: one char for a numbered line (1号线) or a
/// two-char generic part after a proper char that is no modifier (华村 needs two), else two.
fn min_proper(chars: &[char], start: usize, head_start: usize, head_end: usize) -> usize {
    let head: String = chars[head_start..head_end].iter().collect();
    let one_char = chars.get(start).copied().is_some_and(|c| {
        c.is_ascii_digit() || text::is_cn_numeral(c) || is_cjk(c) && !"新老大小各该".contains(c)
    });
    if head == "号线" && chars.get(start).is_some_and(char::is_ascii_digit)
        || ["码头", "公馆"].contains(&head.as_str()) && one_char
    {
        1
    } else {
        2
    }
}

/// Reads the name that ends with the head word at `head_start..head_end`, back to its start.
fn read_back(chars: &[char], floor: usize, head_start: usize, head_end: usize) -> Option<usize> {
    const MAX: usize = 16;
    let mut left = head_start;
    while left > floor && head_end - left < MAX {
        let c = chars[left - 1];
        if is_cjk(c) || c.is_ascii_alphanumeric() || c == '—' {
            left -= 1;
        } else {
            break;
        }
    }
    // Joined names do not start with a join.
    while left < head_start && chars[left] == '—' {
        left += 1;
    }
    // Candidate starts: the left edge and every position right after a stop word. Take the
    // rightmost that still leaves at least two chars before the head word.
    let mut starts = vec![left];
    let mut stopped = false;
    for i in left..head_start {
        if let Some(len) = stop_at(chars, i)
            && i + len <= head_start
        {
            starts.push(i + len);
            // One-char function words (和, 与, 等) stand inside real names (人和街, 协和城).
            stopped |= len >= 2 || !"和与及以".contains(chars[i]);
        }
    }
    let best = starts
        .into_iter()
        .filter(|&s| {
            head_start >= s + min_proper(chars, s, head_start, head_end) && chars[s] != '—'
        })
        .max()?;
    // A name that would have to start with a planning verb or function word is no name
    // (推动母城, 打通片区): the only "name" left is the verb plus a generic head.
    // Single-char function words (和, 与, 等) stand inside real names (协和城, 和平路); only
    // longer verbs that could not be cut off mark a phrase rather than a name.
    let uncut = (best..head_start)
        .any(|i| stop_at(chars, i).is_some_and(|len| len >= 2 && i + len <= head_start));
    if stopped && (best == left || uncut) {
        return None;
    }
    Some(best)
}

/// Splits a joined name (A—B—C) into the places it joins. The last part loses the joined
/// name's head word when what remains is still a name (戴家巷—国泰艺术中心连廊 → 国泰艺术中心).
fn split_parts(name: &str, lexicon: &Lexicon) -> Vec<String> {
    name.split('—')
        .filter(|p| !p.is_empty())
        .map(|p| {
            if let Some(t) = lexicon.longest_prefix(p) {
                return t.text.clone();
            }
            // The longest prefix that ends in a head word is the part's own name.
            let chars: Vec<char> = p.chars().collect();
            for end in (3..chars.len()).rev() {
                let prefix: String = chars[..end].iter().collect();
                if crate::vocab::terms()
                    .iter()
                    .any(|(h, _)| h.chars().count() >= 2 && prefix.ends_with(h))
                {
                    return prefix;
                }
            }
            p.to_string()
        })
        .collect()
}

fn kind_of(name: &str) -> String {
    crate::vocab::terms()
        .iter()
        .find(|(h, _)| name.ends_with(h))
        .map_or_else(String::new, |(_, k)| (*k).to_string())
}

/// Finds every candidate name in one sentence.
#[must_use]
pub fn find(sentence: &[char], lexicon: &Lexicon) -> Vec<Candidate> {
    let text: String = sentence.iter().collect();
    let known = lexicon.find(sentence);
    let mut found: Vec<Candidate> = Vec::new();

    // Pattern rules: every head word occurrence that ends a word.
    let mut floor = 0;
    // The floor before the last name: a name joined to the last one by — or running straight
    // on into this head word (国泰艺术中心|连廊) may read back across it.
    let mut prior_floor = 0;
    let mut i = 0;
    while i < sentence.len() {
        // 人和街道路改造: the street 人和街, then 道路 (road works), not the sub-district 街道.
        let street_then_road = sentence.get(i..i + 3) == Some(&['街', '道', '路'][..]);
        let head = HEAD_CHARS.iter().find(|(h, head, _)| {
            sentence.get(i..i + h.len()) == Some(&h[..]) && !(street_then_road && *head == "街道")
        });
        let Some((head_chars, head, kind)) = head else {
            i += 1;
            continue;
        };
        let head_len = head_chars.len();
        let head_end = i + head_len;
        // A longer head word may continue here (园 → 园区 was tried first; 公园 then 园), and a
        // numbered part goes on with the name (嘉陵新村|6号地块).
        let digits = sentence[head_end..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let numbered = digits > 0 && sentence.get(head_end + digits) == Some(&'号');
        if numbered
            || (!street_then_road && continues_word(head, sentence.get(head_end).copied()))
            || toponym_goes_on(sentence, head, head_end)
        {
            i += 1;
            continue;
        }
        // Single-char heads need the next char to be a break or a non-name continuation.
        let joins_last = floor > 0 && (floor == i || sentence.get(floor) == Some(&'—'));
        let reach = if joins_last { prior_floor } else { floor };
        if let Some(start) = read_back(sentence, reach, i, head_end) {
            let mut name: String = sentence[start..head_end].iter().collect();
            let (mut end, mut kind) = (head_end, *kind);
            // 鹅岭公园步道: the trail of a park is planned as the park.
            if *head == "步道"
                && let Some(park) = name
                    .strip_suffix("步道")
                    .filter(|p| p.ends_with("公园") && p.chars().count() >= 4)
            {
                name = park.to_string();
                end = head_end - 2;
                kind = "公园";
            }
            if !is_generic(&name, head) {
                let parts = if name.contains('—') {
                    split_parts(&name, lexicon)
                } else {
                    Vec::new()
                };
                found.push(Candidate {
                    name,
                    start,
                    end,
                    kind: kind.to_string(),
                    source: CandidateSource::Pattern,
                    parts,
                    contains: Vec::new(),
                });
                prior_floor = reach;
                floor = head_end;
            }
        }
        i = head_end;
    }

    // Quoted names: short, and either joined by — or a known name.
    let mut q = 0;
    while let Some(open) = sentence[q..].iter().position(|&c| c == '“').map(|p| p + q) {
        let Some(close) = sentence[open + 1..]
            .iter()
            .position(|&c| c == '”')
            .map(|p| p + open + 1)
        else {
            break;
        };
        let inner: String = sentence[open + 1..close].iter().collect();
        let n = close - open - 1;
        if (3..=20).contains(&n)
            && inner.contains('—')
            && inner.chars().all(|c| is_cjk(c) || c == '—')
        {
            let parts = split_parts(&inner, lexicon);
            if parts
                .iter()
                .any(|p| p.chars().count() < 2 || is_generic(p, &kind_of(p)))
            {
                q = close + 1;
                continue;
            }
            found.push(Candidate {
                name: inner.clone(),
                kind: if parts.len() >= 3 {
                    "轴".into()
                } else {
                    "连线".into()
                },
                start: open + 1,
                end: close,
                source: CandidateSource::Quoted,
                parts,
                contains: Vec::new(),
            });
        }
        // A quoted name without a head word is a place when the words after it plan works
        // on it (实施“红色三岩”提升); quoted slogans are followed by other words.
        let after: String = sentence[close + 1..].iter().take(2).collect();
        let before: String = sentence[open.saturating_sub(2)..open].iter().collect();
        if (3..=8).contains(&n)
            && [
                "实施", "推进", "推动", "打造", "启动", "加快", "完成", "开展",
            ]
            .contains(&before.as_str())
            && inner.chars().all(is_cjk)
            && !is_generic(&inner, "")
            && kind_of(&inner).is_empty()
            && [
                "提升", "建设", "改造", "项目", "工程", "保护", "更新", "修缮",
            ]
            .contains(&after.as_str())
        {
            found.push(Candidate {
                kind: "片区".into(),
                name: inner,
                start: open + 1,
                end: close,
                source: CandidateSource::Quoted,
                parts: Vec::new(),
                contains: Vec::new(),
            });
        }
        q = close + 1;
    }

    // Merge known names: a known name inside a pattern name that is not a join is part of that
    // name (李子坝 in 李子坝大公报片区); a pattern name inside a known name yields to it.
    // A pattern name that is only known names side by side (菜园坝|重庆站) is those names.
    found.retain(|c| {
        if !c.parts.is_empty() {
            return true;
        }
        let (mut at, mut n) = (c.start, 0);
        while at < c.end {
            let Some(&(_, e, _)) = known.iter().find(|(s, _, _)| *s == at) else {
                break;
            };
            at = e;
            n += 1;
        }
        !(at == c.end && n >= 2)
    });
    let mut merged: Vec<Candidate> = Vec::new();
    for (start, end, term) in known {
        // A pattern name that ends where a known name ends only adds words in front of it,
        // mostly verbs the stop list lacks (激活大坪正街): the known name wins.
        found.retain(|c| !(c.end == end && c.start < start && c.parts.is_empty()));
        if let Some(host) = found.iter_mut().find(|c| {
            c.start <= start
                && end <= c.end
                && (c.end - c.start) > (end - start)
                && c.parts.is_empty()
        }) {
            host.contains.push(term.key.clone());
            continue;
        }
        found.retain(|c| !(start <= c.start && c.end <= end));
        merged.push(Candidate {
            name: sentence[start..end].iter().collect(),
            start,
            end,
            // The name's own head word says what it is (五一路重庆金融街 is a street even when
            // the entry it matched is a zone); else the entry's kind.
            // A bare toponym's last char (朝天门, 大溪沟) says less than the entry does.
            kind: Some(kind_of(&term.text))
                .filter(|k| {
                    !k.is_empty()
                        && (term.kind.is_empty() || !(TOPONYM_HEADS.contains(k.as_str()) || k == "楼"))
                })
                .unwrap_or_else(|| term.kind.clone()),
            source: CandidateSource::Lexicon {
                key: term.key.clone(),
            },
            parts: Vec::new(),
            contains: Vec::new(),
        });
    }
    // The parts of a join are candidates of their own (they may be planned elsewhere too).
    let mut part_candidates = Vec::new();
    for c in &found {
        let mut from = c.start;
        for part in &c.parts {
            let pc: Vec<char> = part.chars().collect();
            let Some(off) = (from..c.end.saturating_sub(pc.len() - 1))
                .find(|&s| sentence[s..s + pc.len()] == pc[..])
            else {
                continue;
            };
            from = off + pc.len();
            let overlaps = merged
                .iter()
                .chain(part_candidates.iter())
                .any(|m: &Candidate| m.start < off + pc.len() && off < m.end);
            if !overlaps && !is_generic(part, &kind_of(part)) {
                part_candidates.push(Candidate {
                    name: part.clone(),
                    start: off,
                    end: off + pc.len(),
                    kind: kind_of(part),
                    source: CandidateSource::Pattern,
                    parts: Vec::new(),
                    contains: Vec::new(),
                });
            }
        }
    }
    merged.extend(found);
    merged.extend(part_candidates);
    // A pattern name strictly inside another non-join name is a fragment of it.
    let spans: Vec<(usize, usize, bool)> = merged
        .iter()
        .map(|c| (c.start, c.end, c.parts.is_empty()))
        .collect();
    merged.retain(|c| {
        !matches!(c.source, CandidateSource::Pattern)
            || !spans.iter().any(|&(s, e, plain)| {
                plain && s <= c.start && c.end <= e && (e - s) > (c.end - c.start)
            })
    });
    merged.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    merged.dedup_by(|a, b| a.start == b.start && a.end == b.end);
    let _ = text;
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str, lexicon: &Lexicon) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        find(&chars, lexicon).into_iter().map(|c| c.name).collect()
    }

    fn lexicon(words: &[&str]) -> Lexicon {
        Lexicon::new(
            words
                .iter()
                .map(|w| LexiconTerm {
                    text: (*w).into(),
                    key: (*w).into(),
                    kind: String::new(),
                })
                .collect(),
        )
    }

    #[test]
    fn a_verb_before_a_name_is_not_part_of_it() {
        let n = names(
            "推进李子坝大公报片区、印制贰厂南区更新改造等项目。",
            &Lexicon::default(),
        );
        assert!(n.contains(&"李子坝大公报片区".to_string()), "{n:?}");
    }

    #[test]
    fn interchanges_and_streets_in_a_list_are_each_found() {
        let n = names(
            "同步开工站北路、菜园坝立交、兜子背立交项目。",
            &Lexicon::default(),
        );
        assert_eq!(n, vec!["站北路", "菜园坝立交", "兜子背立交"]);
    }

    #[test]
    fn a_corridor_joining_two_places_keeps_the_join_and_its_parts() {
        let chars: Vec<char> = "启动戴家巷—国泰艺术中心连廊建设。".chars().collect();
        let c = find(&chars, &Lexicon::default());
        let joined = c
            .iter()
            .find(|c| c.name == "戴家巷—国泰艺术中心连廊")
            .expect("joined");
        assert_eq!(joined.parts, vec!["戴家巷", "国泰艺术中心"]);
        assert!(c.iter().any(|c| c.name == "国泰艺术中心"), "{c:?}");
    }

    #[test]
    fn a_quoted_axis_is_read_whole_with_its_places() {
        let lex = lexicon(&["朝天门", "解放碑", "通远门"]);
        let chars: Vec<char> = "“一轴”是“朝天门—解放碑—通远门”城市中心主轴。"
            .chars()
            .collect();
        let c = find(&chars, &lex);
        let axis = c
            .iter()
            .find(|c| c.name == "朝天门—解放碑—通远门")
            .expect("axis");
        assert_eq!(axis.parts.len(), 3);
        assert!(c.iter().any(|c| c.name == "解放碑"));
    }

    #[test]
    fn generic_words_are_not_places() {
        let n = names(
            "重点实验室、企业技术中心等科研平台突破40家。",
            &Lexicon::default(),
        );
        assert!(n.is_empty(), "{n:?}");
    }

    #[test]
    fn a_known_name_inside_a_longer_name_is_recorded_not_split_off() {
        let lex = lexicon(&["李子坝"]);
        let chars: Vec<char> = "推进李子坝大公报片区。".chars().collect();
        let c = find(&chars, &lex);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].contains, vec!["李子坝"]);
    }
}
