//! The grammar of Chinese place names: a proper part (专名) followed by a generic part (通名).
//!
//! Input: a sentence's chars. Output: where a name that ends in a generic term starts, and
//! whether a would-be name is only generic words. The generic terms and the kinds they give
//! come from the vocabulary ([`crate::vocab::terms`]); this module holds what decides the
//! boundaries: words that never start or end a name (verbs, function words, counts, list
//! numbers, dates), what continues a word past a generic char (街|道 in 街道, 门|户 in 门户),
//! and the generic words and endings that name no place (交叉路, 回家路, 部门, 家园).

use std::sync::LazyLock;

use crate::text::{self, is_cjk};

/// Chars that, right after a head word, show it is not the end of a name (中心城区, 路径,
/// 街道, 城市 …).
pub(super) fn continues_word(head: &str, next: Option<char>) -> bool {
    let Some(n) = next else { return false };
    match head {
        "中心" => "城区".contains(n),
        "中学" | "小学" => "校".contains(n),
        "路" => "径线网子演况面段".contains(n),
        "街" => "道区景面坊头巷".contains(n),
        "巷" | "坡" => "道".contains(n),
        "岗" => "位亭哨".contains(n),
        "园" => "区林艺坝".contains(n),
        "门" => "户店面槛诊类票禁前".contains(n),
        "沟" => "通".contains(n),
        "楼" => "宇栋梯盘层主上下".contains(n),
        "站" => "点位台房".contains(n),
        "岩" => "石层".contains(n),
        "湾" => "区".contains(n),
        "街道" => "路".contains(n),
        "城" => "市区墙门乡融镇".contains(n),
        "村" => "镇民落".contains(n),
        "市场" => "主化".contains(n),
        "桥" => "梁头墩面下上体洞".contains(n),
        "山" => "城体坡脊顶地水区腰林路势".contains(n),
        "坝" => "子".contains(n),
        "池" => "塘".contains(n),
        "堂" => "屋".contains(n),
        "洞" => "口穴".contains(n),
        "台" => "阶".contains(n),
        "堡" => "坎".contains(n),
        // 公园, 广场, 码头, 立交 and every other term: nothing after them continues a word.
        _ => false,
    }
}

/// One-char generic parts that end many common words (草坪, 水池, 食堂, 登山, 桥梁): one is a
/// name's generic part only when the segmenter does not read it as the end of a common word of
/// two chars or more (a place word, ns/nr/nz, may end in it: 化龙桥).
pub(super) const WORD_END_HEADS: &str = "桥堡垭坝嘴坪池坎宫祠堂山岭台溪岗";

/// Whether the one-char head at `i` ends a common word rather than a name.
pub(super) fn ends_common_word(words: &super::words::Words, head: &str, i: usize) -> bool {
    head.chars().count() == 1
        && WORD_END_HEADS.contains(head)
        && words.at(i).is_some_and(|w| {
            // 台|湾: the char starts or stands inside a longer word.
            w.end > i + 1 || w.end - w.start >= 2 && !["ns", "nr", "nz"].contains(&w.tag.as_str())
        })
}

/// Generic parts of bare toponyms (储奇门, 上清寺, 观音岩): often the proper part of a longer
/// name that follows (千厮门嘉陵江大桥, 上清寺路口).
pub(super) const TOPONYM_HEADS: &str = "门寺岩湾沟洞坡庙";

/// Whether a toponym's generic part at `head_end` is followed, within a few chars and without a
/// break or a stop word, by a longer generic term that ends the real name.
pub(super) fn toponym_goes_on(sentence: &[char], head: &str, head_end: usize) -> bool {
    if head.chars().count() != 1
        || !head
            .chars()
            .all(|c| TOPONYM_HEADS.contains(c) || WORD_END_HEADS.contains(c))
    {
        return false;
    }
    // 嘉陵桥|西村, 菜园坝|北路: a place named after the toponym and a direction.
    if sentence
        .get(head_end)
        .is_some_and(|c| "东西南北".contains(*c))
        && sentence
            .get(head_end + 1)
            .is_some_and(|c| "村路街巷".contains(*c))
    {
        return true;
    }
    // 中山|二路, 鹅岭|一街: a numbered street named after the toponym.
    if sentence
        .get(head_end)
        .is_some_and(|&c| text::is_cn_numeral(c))
        && sentence
            .get(head_end + 1)
            .is_some_and(|c| "路街巷".contains(*c))
    {
        return true;
    }
    for j in head_end..(head_end + 5).min(sentence.len()) {
        if !is_cjk(sentence[j]) || stop_at(sentence, j).is_some() {
            return false;
        }
        // A longer generic part, or a one-char one right after this (红岩|村|站).
        let longer = HEAD_CHARS.iter().any(|(h, _, _)| {
            (h.len() >= 2 || j == head_end && h[0] == '村')
                && sentence.get(j..j + h.len()) == Some(&h[..])
        });
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
    "游客", "车辆", "需", "范围", "一带", "项目", "涉及", "段", "所在", "从", "各",
    "横跨", "设有", "这座", "那座", "西连", "东连", "南连", "北连", "连接", "解决", "修缮", "动工", "印象是", "属地", "进出",
    "对岸", "上下", "甲级", "垂直", "观光", "无障碍", "全文", "请见", "转自", "本文", "出", "老人", "更新",
    // Notices and letters: detours, hotlines, meetings, what exists today.
    "请经", "经由", "绕行", "连通", "设置", "召开", "讲好", "收录", "现存", "拨打", "会同", "已", "接驳", "施划",
    "进入", "来源", "编辑", "记者", "获悉", "表示", "介绍", "共设", "起点", "终点", "临街",
    // Other districts of the city in front of a place next to ours (南岸上新街).
    "南岸", "江北", "沙坪坝", "九龙坡", "大渡口", "渝北", "巴南", "北碚",
    "改经", "换乘", "持有", "还须", "原址", "现作", "现为", "辟为", "改作", "用作", "自", "采用", "加固", "两侧", "两旁", "一侧", "参观", "可", "到达", "抵达", "直达", "达",
    "方便", "选择", "建议", "期间", "坐", "察看", "视察", "调研", "走访", "查看", "喺", "嘅", "咗", "我哋", "佢哋", "睇", "就系", "行去", "去咗",
    "啲", "真系", "同埋",
    "整理", "距离", "班次",
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
    "农贸市场", "菜市场", "停车场", "停车楼", "结算中心",
    "交叉路", "回家路", "主干路", "次干路", "支路", "慢行步道", "临江步道", "背街步道", "游步道", "滨江步道", "步道", "马路",
    "新闻中心", "老街", "主街", "老城", "公交线路", "线路", "西部片区", "批发市场", "灯饰城", "部门", "窗口", "家园", "老公园",
    "车站", "公交站", "大楼", "城门", "寺", "门", "楼", "站", "天桥", "人行天桥", "电梯", "扶梯", "码头", "山洞", "前广场",
    "长江", "嘉陵江", "城墙根", "上下半城", "半城", "青石板路", "危岩", "边坡", "绿水青山", "金山银山", "青山", "港湾", "上山", "登山", "拉链路", "地铁站", "轨道站", "吊脚楼", "遗址", "医疗中心", "区域医疗中心", "爬坡上坎", "马路市场",
    "教学楼", "综合楼", "办公楼", "住院楼", "门诊楼", "宿舍楼", "实验楼", "纪念馆", "陈列馆", "展览馆", "美术馆", "图书馆", "剧院", "大剧院", "体育场", "体育馆", "上坡下坎", "梯坎", "堡坎", "陡坎",
    "步行街", "商业街", "美食街", "特色街", "老街", "背街", "写字楼", "居民楼", "招呼站", "轨道站", "火车站", "老火车站", "轻轨站", "网站", "政府网站", "区政府网站", "路面",
    "盲道", "树池", "梯道", "斜坡",
    "断头路", "坡坎",
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
    "优先", "属地", "边", "政府", "人均", "山体", "部分", "登山", "步梯", "青石板", "沿岸", "两岸", "危", "隧道", "排水", "临街", "陡",
    "西部", "东部", "全球", "区域", "空中", "临时", "西侧", "东侧", "南侧", "北侧", "地铁", "北塔", "南塔", "危旧", "吊脚", "拉链", "母城", "城墙", "某", "门急诊", "门诊", "住院", "抗战", "教学", "专科", "适老", "健身", "一键", "区", "城门", "小型", "大型", "中型", "地下", "山地", "中国", "夜游", "后",
    // Planning's own vocabulary of kinds of things: a name made only of these is generic.
    "沿街", "沿江", "小区", "院落", "楼栋", "海绵", "韧性", "安全", "应急", "消防", "防洪", "排涝", "污水", "雨水", "供水", "燃气", "电力", "通信", "照明", "景观", "亮化", "绿化", "夜景", "灯光", "骑行", "充电", "轨道", "轻轨", "交通", "换乘", "接驳", "过街", "人行", "无障碍", "适儿", "助餐", "医疗", "卫生", "游憩", "观景", "亲水", "自然", "文物", "红色", "革命", "名人", "会展", "创业", "孵化", "总部", "楼宇", "农贸", "备用", "地面", "屋顶", "微型", "小微", "都市", "核心", "重点", "主要", "标准化", "规范化", "精品", "品质", "网红", "打卡", "沉浸式", "数字化", "智能", "青少年", "市民", "居民", "群众", "社会", "公益", "志愿", "党群", "党建", "睦邻", "管理", "治理", "综治", "网格",
    "拟建", "在建", "现状", "既有", "原有", "配套", "附属", "公租", "保障性", "安置", "棚户", "城中村", "周边", "沿线", "片区级", "社区级", "街道级", "区级", "市级", "一级", "二级", "三级", "高品质", "高标准", "精细化", "品牌化",
    "老牌", "微循环",
    "陆路", "水路",
    "机械式",
];

/// [`GENERIC_MODIFIERS`], longest first, so 小型 is stripped whole before 小 is tried.
static MODIFIERS_LONGEST_FIRST: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut v = GENERIC_MODIFIERS.to_vec();
    v.sort_by_key(|m| std::cmp::Reverse(m.chars().count()));
    v
});

/// Measure words that end a count (7个, 33栋, 5处) in front of a name.
const MEASURES: &str = "个家条座处所项批栋部间片班道";

/// The vocabulary's generic terms (head words) as chars, longest first, built once: the matcher runs at every char of every sentence.
pub(super) static HEAD_CHARS: LazyLock<Vec<(Vec<char>, &'static str, &'static str)>> =
    LazyLock::new(|| {
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
    // Digits inside a code (B14-2/04地块) are no count.
    if chars[i].is_ascii_digit()
        && (i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || "-/".contains(chars[i - 1])))
    {
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
    // A span of months (八个月, 3个月) is a stop whole.
    let num_len = if chars[i].is_ascii_digit() {
        chars[i..].iter().take_while(|c| c.is_ascii_digit()).count()
    } else {
        usize::from(text::is_cn_numeral(chars[i]) || "两几".contains(chars[i]))
    };
    if num_len > 0 && chars.get(i + num_len..i + num_len + 2) == Some(&['个', '月'][..]) {
        return Some(num_len + 2);
    }
    // A count in words is a stop too: 三条老街, 两部电梯, 一座天桥.
    if (text::is_cn_numeral(chars[i]) || "两几多".contains(chars[i]))
        && chars.get(i + 1).is_some_and(|c| MEASURES.contains(*c))
    {
        return Some(2);
    }
    // 十余处, 20多个: a rough count.
    if (text::is_cn_numeral(chars[i]) || chars[i].is_ascii_digit())
        && chars.get(i + 1).is_some_and(|c| "余多".contains(*c))
        && chars.get(i + 2).is_some_and(|c| MEASURES.contains(*c))
    {
        return Some(3);
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
    // A park opening (年内开园) and the figurative back garden (市民的后花园) are no places.
    "开园",
    "后花园",
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
    "网站",
    "名镇名村",
    "好巷",
    "护学岗",
    "进园",
    "排水沟",
    "洞口",
    "示范街区",
    // Kinds of facilities: whatever is in front, the name ends as a common noun.
    "驿站",
    "便民站",
    "补给站",
    "环卫站",
    "泵站",
    "变电站",
    "基站",
    "气象站",
    "监测站",
    "观测站",
    "检查站",
    "收费站",
    "首末站",
    "始发站",
    "终点站",
    "停靠站",
    "临时站",
    "校园",
    "乐园",
    "游园",
    "田园",
    "庭园",
    "植物园",
    "动物园",
    "孵化园",
    "住宅楼",
    "商住楼",
    "安置楼",
    "临街楼",
    "骑楼",
    "楼栋",
    "侧门",
    "后门",
    "正门",
    "校门",
    "院门",
    "人行桥",
    "便桥",
    "步行桥",
    "过街桥",
    "廊桥",
    "观景台",
    "观景平台",
    "卫生间",
    "公厕",
    "厕所",
    "充电桩",
    "篮球场",
    "足球场",
    "运动场",
    "健身房",
    "游乐场",
    "开门",
    "上门",
    "关门",
    "进门",
    "指路",
    "带路",
    "问路",
    "让路",
    "走路",
    "修路",
    "过路",
    "上路",
    "出路",
    "退路",
    "思路",
    "套路",
    "爬坡",
    "梯坎",
    "微循环",
    "护坡",
    "切坡",
    "斜坡",
    "老城",
    "一站",
    "上学路",
    "放学路",
    "绕路",
    "开街",
    "坡坎",
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
    "发展中心",
    "保障中心",
    "党员中心",
    "综治中心",
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
    let numeral = |c: char| text::is_cn_numeral(c) || "两百千万".contains(c);
    chars
        .windows(2)
        .filter(|w| w[0] == '一' && text::is_cjk(w[1]))
        .count()
        >= 2
        // 三街两巷: counted things side by side. 两江四岸, the banks of the two rivers, is the
        // riverside zone planners mean by it.
        || !name.ends_with("四岸")
            && chars
            .windows(4)
            .any(|w| numeral(w[0]) && !numeral(w[1]) && numeral(w[2]) && !numeral(w[3]))
}

/// Whether a name ranks rather than names (第一站, 首店经济第一站): an ordinal counts a place
/// among others, it is no proper part.
fn is_ordinal(name: &str) -> bool {
    // Schools, hospitals and trails are numbered by name (第二十九中学, 附属第二医院, 山城第三步道).
    if ["中学", "小学", "学校", "医院", "幼儿园", "步道"]
        .iter()
        .any(|h| name.ends_with(h))
    {
        return false;
    }
    let chars: Vec<char> = name.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0] == '第' && (text::is_cn_numeral(w[1]) || w[1].is_ascii_digit()))
}

/// Whether a name is only one-char generic parts side by side (山水城桥): a slogan of the
/// city's landscape, not a place.
fn is_generic_heads_only(name: &str) -> bool {
    name.chars().count() >= 3
        && name.chars().all(|c| {
            "水江".contains(c)
                || crate::vocab::terms()
                    .iter()
                    .any(|(t, _)| t.chars().count() == 1 && t.starts_with(c))
        })
}

/// Whether a name ends in a storey (中心一楼, 3楼): a floor of a building, not a building.
fn is_storey(name: &str) -> bool {
    let chars: Vec<char> = name.chars().rev().collect();
    chars.first() == Some(&'楼')
        && chars
            .get(1)
            .is_some_and(|&c| text::is_cn_numeral(c) || c.is_ascii_digit())
        && chars.get(2) != Some(&'号')
}

/// Places outside the district that planning texts compare it with or trade with: other
/// countries, cities and regions. They are never places of this district's plan.
const ELSEWHERE: &[&str] = &[
    "新加坡",
    "香港",
    "澳门",
    "台湾",
    "北京",
    "上海",
    "广州",
    "深圳",
    "成都",
    "西安",
    "武汉",
    "杭州",
    "南京",
    "天津",
    "长沙",
    "贵阳",
    "昆明",
    "日本",
    "韩国",
    "美国",
    "英国",
    "德国",
    "法国",
    "欧洲",
    "东南亚",
    "东盟",
    // The other districts of the city.
    "江北",
    "江北区",
    "南岸",
    "南岸区",
    "沙坪坝",
    "沙坪坝区",
    "九龙坡",
    "九龙坡区",
    "大渡口",
    "大渡口区",
    "渝北",
    "渝北区",
    "巴南区",
    "北碚区",
];

/// Whether a name is, or only joins, places outside the district (新加坡, 香港和台湾).
fn is_elsewhere(name: &str) -> bool {
    name.split(['和', '与', '及', '、'])
        .all(|p| ELSEWHERE.contains(&p))
}

/// Verbs and modals by which a sub-district's office acts (…街道要组织, …街道负责实施).
const OFFICE_ACTS: &[&str] = &[
    "要",
    "负责",
    "组织",
    "牵头",
    "配合",
    "协同",
    "会同",
    "落实",
    "抓好",
    "将",
    "已",
    "召开",
    "相关",
    "表示",
    "党工委",
    "工作",
    "坚持",
    "联合",
    "印发",
    "发布",
    "在",
    "协调",
];

/// Whether the sub-district (…街道) named up to `end`, alone or in a 、 list of them, is the
/// subject of an act: then 街道 names the office that acts, not the area planned.
pub(super) fn office_acts_after(sentence: &[char], end: usize) -> bool {
    let mut at = end;
    // The rest of a list of sub-districts: 、X街道 ….
    while sentence.get(at) == Some(&'、') {
        let next = (at + 1..(at + 10).min(sentence.len()))
            .find(|&j| sentence.get(j..j + 2) == Some(&['街', '道'][..]));
        let Some(k) = next.filter(|&k| sentence[at + 1..k].iter().all(|&c| is_cjk(c))) else {
            break;
        };
        at = k + 2;
    }
    // A year after the office is its plan's (七星岗街道2026年工作要点).
    let digits = sentence[at.min(sentence.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 4 && sentence.get(at + 4) == Some(&'年') {
        at += 5;
    }
    OFFICE_ACTS.iter().any(|a| {
        let a: Vec<char> = a.chars().collect();
        sentence.get(at..at + a.len()) == Some(&a[..])
    })
}

/// Whether a name is only generic words.
#[must_use]
pub fn is_generic(name: &str, head: &str) -> bool {
    // Callers may pass a kind (扶梯) where the name ends in another of its terms (电梯).
    let head = if name.ends_with(head) {
        head
    } else {
        crate::vocab::terms()
            .iter()
            .find(|(t, _)| name.ends_with(t))
            .map_or(head, |(t, _)| *t)
    };
    if GENERIC.contains(&name)
        || is_generic_heads_only(name)
        || GENERIC_ENDINGS.iter().any(|e| name.ends_with(e))
        || is_numbered_slogan(name)
        || is_ordinal(name)
        || is_storey(name)
        || is_elsewhere(name)
        || INSTITUTION_CENTRES.iter().any(|e| name.ends_with(e))
        || name.contains('的')
        // 某路, 某小区: "a certain road" names none.
        || name.contains('某')
        // 2号楼, 3号楼: a numbered building of a complex the text names elsewhere.
        || name.strip_suffix("号楼").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
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
    // 215路, N12路: a bus route, not a street.
    let proper = name.strip_suffix(head).unwrap_or(name);
    let mut bare = proper.to_string();
    for m in MODIFIERS_LONGEST_FIRST.iter() {
        if let Some(r) = bare.strip_prefix(m) {
            bare = r.to_string();
        }
    }
    if head == "路" && !bare.is_empty() && bare.chars().all(|c| c.is_ascii_alphanumeric()) {
        return true;
    }
    // 青年路, 健康路, 民生路: a street's proper part may be any word; a long one made only of
    // modifiers is a kind of street (精细化管理示范街).
    if ["路", "街", "巷"].contains(&head) && name.chars().count() >= 3 {
        let mut rest = proper.to_string();
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
        return proper.chars().count() >= 4 && rest.is_empty();
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
    // 嘉陵江渝中段: a stretch of a river, or of another generic thing.
    if !rest.is_empty() && GENERIC.contains(&rest.as_str()) && head == "渝中段" {
        return true;
    }
    // 老堡坎: a modifier in front of a generic noun.
    rest.is_empty() || GENERIC.contains(&format!("{rest}{head}").as_str())
}

/// The shortest proper part a name may have: one char for a numbered line (1号线) or a
/// two-char generic part after a proper char that is no modifier (华村 needs two), else two.
fn min_proper(chars: &[char], start: usize, head_start: usize, head_end: usize) -> usize {
    let head: String = chars[head_start..head_end].iter().collect();
    let one_char = chars.get(start).copied().is_some_and(|c| {
        c.is_ascii_digit() || text::is_cn_numeral(c) || is_cjk(c) && !"新老大小各该".contains(c)
    });
    if head == "号线" && chars.get(start).is_some_and(char::is_ascii_digit)
        || ["码头", "公馆", "牌坊"].contains(&head.as_str()) && one_char
    {
        1
    } else {
        2
    }
}

/// Reads the name that ends with the head word at `head_start..head_end`, back to its start.
pub(super) fn read_back(
    chars: &[char],
    floor: usize,
    head_start: usize,
    head_end: usize,
) -> Option<usize> {
    // A plot's name carries its zone and code (渝中组团B分区B14-2/04地块).
    let head: String = chars[head_start..head_end].iter().collect();
    let max = if ["地块", "纪念馆", "旧址", "博物馆", "陈列馆"].contains(&head.as_str())
    {
        24
    } else {
        16
    };
    let mut left = head_start;
    while left > floor && head_end - left < max {
        let c = chars[left - 1];
        // A plot code's dash and slash (B14-2/04地块) stand between its digits.
        let in_code = "-/".contains(c)
            && chars.get(left).is_some_and(char::is_ascii_alphanumeric)
            && left >= 2
            && chars[left - 2].is_ascii_alphanumeric();
        if is_cjk(c) || c.is_ascii_alphanumeric() || c == '—' || in_code {
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
    // A stop of two chars or more right before the generic part leaves it bare (乘坐|电梯,
    // 建设|公园): a verb on a kind of thing, no name. (One-char stops may be inside a word:
    // 指|挥中心.)
    if let Some(&last) = starts.iter().max()
        && last > left
        && head_start < last + min_proper(chars, last, head_start, head_end)
        && (left..last).any(|i| stop_at(chars, i).is_some_and(|len| len >= 2 && i + len == last))
    {
        return None;
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

pub(super) fn kind_of(name: &str) -> String {
    crate::vocab::terms()
        .iter()
        .find(|(h, _)| name.ends_with(h))
        .map_or_else(String::new, |(_, k)| (*k).to_string())
}
