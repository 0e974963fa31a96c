//! The verb that governs a place, and the status it implies (issue #24, item 3).
//!
//! Input: one normalised sentence and the char spans of the names found in it. Output: for a
//! mention, the [`Action`] (verb as written, [`Status`]) of the verb that governs it.
//!
//! A work report wraps what happens to a place in a light verb: in `推进X开工建设` the place is
//! the subject of 开工建设 and 推进 only pushes that event along; in `力促重庆塔尽快复工` the
//! skyscraper resumes work. So the reader weighs the verbs on both sides of the place within its
//! clause: the run of verbs nearest before it (开工建设X, 加快推进X) and the run that follows
//! it closely (X开工建设, X尽快复工, X、Y等整体投用). Within a run and between the two sides,
//! a verb that names a phase of work (start, resumption, completion) outranks a light verb
//! (推进, 加快 …: under construction), which outranks a verb that only plans (建设, 提升); on
//! a tie the verb before the place wins, and within a run the one nearest the place. A verb inside a name (建设路)
//! is no verb. A clause with no verb near the place falls back to the first verb after it in
//! the clause, then to the nearest verb before it in the sentence, then the first after it.

use std::sync::LazyLock;

use crate::plan::{Action, Status};

/// The planning verbs of the vocabulary as chars, with the status each implies, built once.
static VERB_CHARS: LazyLock<Vec<(Vec<char>, &'static str, Status)>> = LazyLock::new(|| {
    crate::vocab::statuses()
        .flat_map(|s| {
            s.verbs
                .iter()
                .map(move |v| (v.chars().collect(), v.as_str(), s.id))
        })
        .collect()
});

/// Most chars between a place and a verb after it for the verb to be the place's predicate
/// (尽快, 主体, 等整体); more and the verb belongs to something else in the clause.
const NEAR_AFTER: usize = 4;

/// Chars that join names coordinated under one verb (A、B和C等).
const COORDINATION: &str = "、和及与";

/// One verb found in a sentence.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    verb: &'static str,
    status: Status,
}

impl Hit {
    /// How much a verb says about the state of the work: a phase (开工, 复工, 完工) more than
    /// a light verb (推进), which says more than a plan (建设).
    fn rank(self) -> u8 {
        match self.status {
            Status::Planned => 0,
            Status::UnderConstruction => 1,
            Status::Starting | Status::Resuming | Status::Completing => 2,
        }
    }
}

/// Whether a char separates clauses inside a sentence.
fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '，' | '；' | '：' | '。' | '！' | '？' | '\n' | ',' | ';' | ':'
    )
}

/// The verbs of one sentence outside its names, left to right, longest first where two
/// overlap (投入使用 over 投用). Built once per sentence; asked once per mention.
#[derive(Debug, Clone)]
pub struct Verbs<'a> {
    sentence: &'a [char],
    names: Vec<(usize, usize)>,
    hits: Vec<Hit>,
}

impl<'a> Verbs<'a> {
    /// The verbs of `sentence`, ignoring any inside the `names` spans (char offsets).
    #[must_use]
    pub fn of(sentence: &'a [char], names: &[(usize, usize)]) -> Verbs<'a> {
        let mut hits: Vec<Hit> = Vec::new();
        for (v, verb, status) in VERB_CHARS.iter() {
            for i in 0..sentence.len().saturating_sub(v.len() - 1) {
                if sentence[i] == v[0] && sentence[i..i + v.len()] == v[..] {
                    let end = i + v.len();
                    if names.iter().any(|&(s, e)| s < end && i < e) {
                        continue;
                    }
                    hits.push(Hit {
                        start: i,
                        end,
                        verb,
                        status: *status,
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
        let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
        for h in hits {
            if kept.last().is_none_or(|k| h.start >= k.end) {
                kept.push(h);
            }
        }
        Verbs {
            sentence,
            names: names.to_vec(),
            hits: kept,
        }
    }

    /// The clause `[start, end)` around the chars `at..to`.
    fn clause(&self, at: usize, to: usize) -> (usize, usize) {
        let s = self.sentence;
        let start = s[..at.min(s.len())]
            .iter()
            .rposition(|&c| is_clause_break(c))
            .map_or(0, |p| p + 1);
        let end = s[to.min(s.len())..]
            .iter()
            .position(|&c| is_clause_break(c))
            .map_or(s.len(), |p| to + p);
        (start, end)
    }

    /// The best verb of the run of adjacent verbs that `hits[k]` belongs to, walking `back`
    /// (towards the start) or forwards.
    fn best_of_run(&self, k: usize, back: bool) -> Hit {
        let mut run = vec![self.hits[k]];
        if back {
            let mut j = k;
            while j > 0 && self.hits[j - 1].end == self.hits[j].start {
                j -= 1;
                run.insert(0, self.hits[j]);
            }
        } else {
            let mut j = k;
            while j + 1 < self.hits.len() && self.hits[j + 1].start == self.hits[j].end {
                j += 1;
                run.push(self.hits[j]);
            }
        }
        // The highest rank nearest the place: 开工建设X is 开工, 加快建设X is 加快, 提质扩容X
        // is 扩容; X开工建设 is 开工.
        let top = run.iter().map(|h| h.rank()).max().unwrap_or(0);
        let mut top_ranked = run.into_iter().filter(|h| h.rank() == top);
        if back {
            top_ranked.next_back()
        } else {
            top_ranked.next()
        }
        .unwrap_or(self.hits[k])
    }

    /// Where the names coordinated with the one ending at `end` end (A、B等 → after B).
    fn end_of_coordination(&self, mut end: usize) -> usize {
        loop {
            let joined = self.names.iter().find(|&&(s, _)| {
                s > end
                    && s - end <= 1
                    && self.sentence[end..s]
                        .iter()
                        .all(|c| COORDINATION.contains(*c))
            });
            match joined {
                Some(&(_, e)) if e > end => end = e,
                _ => return end,
            }
        }
    }

    /// The action governing the mention at chars `start..end`.
    #[must_use]
    pub fn governing(&self, start: usize, end: usize) -> Option<Action> {
        let (clause_start, clause_end) = self.clause(start, end);
        let before_k = self
            .hits
            .iter()
            .rposition(|h| h.end <= start && h.start >= clause_start);
        let before = before_k.map(|k| self.best_of_run(k, true));
        let list_end = self.end_of_coordination(end);
        let after_k = self
            .hits
            .iter()
            .position(|h| h.start >= list_end && h.end <= clause_end);
        let near_after = after_k
            .filter(|&k| self.hits[k].start - list_end <= NEAR_AFTER)
            .map(|k| self.best_of_run(k, false));
        let chosen = match (before, near_after) {
            (Some(b), Some(a)) => Some(if a.rank() > b.rank() { a } else { b }),
            (Some(b), None) => Some(b),
            (None, Some(a)) => Some(a),
            (None, None) => after_k
                .map(|k| self.best_of_run(k, false))
                .or_else(|| {
                    self.hits
                        .iter()
                        .rposition(|h| h.end <= start)
                        .map(|k| self.best_of_run(k, true))
                })
                .or_else(|| self.hits.iter().find(|h| h.start >= end).copied()),
        };
        chosen.map(|h| Action {
            verb: h.verb.to_string(),
            status: h.status,
        })
    }
}

/// The action governing the mention at chars `start..end` of `sentence`, whose names are at
/// `names` (see [`Verbs`]).
#[must_use]
pub fn action_for(
    sentence: &[char],
    start: usize,
    end: usize,
    names: &[(usize, usize)],
) -> Option<Action> {
    Verbs::of(sentence, names).governing(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Lexicon;

    /// Sentences of the seed and sentences in the styles of the development texts (our own
    /// words), with a place in each and the verb and status a planner reads for it.
    const TABLE: &[(&str, &str, &str, Status)] = &[
        // The seed.
        (
            "全力推进恒大解放碑中心二期开工建设，力促重庆塔尽快复工，加快协和城司法处置。",
            "恒大解放碑中心二期",
            "开工",
            Status::Starting,
        ),
        (
            "全力推进恒大解放碑中心二期开工建设，力促重庆塔尽快复工，加快协和城司法处置。",
            "重庆塔",
            "复工",
            Status::Resuming,
        ),
        (
            "全力推进恒大解放碑中心二期开工建设，力促重庆塔尽快复工，加快协和城司法处置。",
            "协和城",
            "加快",
            Status::UnderConstruction,
        ),
        (
            "实施“两江四岸”整体提升攻坚行动，完工朝天门金角、嘉宾里等工程，全线贯通两江岸线。",
            "朝天门金角",
            "完工",
            Status::Completing,
        ),
        (
            "实施“两江四岸”整体提升攻坚行动，完工朝天门金角、嘉宾里等工程，全线贯通两江岸线。",
            "嘉宾里",
            "完工",
            Status::Completing,
        ),
        (
            "完工老鼓楼衙署跨街谯楼项目，推动山城巷二期等整体投用，加快燕子岩—飞机码头传统风貌区建设。",
            "老鼓楼衙署跨街谯楼",
            "完工",
            Status::Completing,
        ),
        (
            "完工老鼓楼衙署跨街谯楼项目，推动山城巷二期等整体投用，加快燕子岩—飞机码头传统风貌区建设。",
            "山城巷二期",
            "投用",
            Status::Completing,
        ),
        (
            "完工老鼓楼衙署跨街谯楼项目，推动山城巷二期等整体投用，加快燕子岩—飞机码头传统风貌区建设。",
            "燕子岩—飞机码头传统风貌区",
            "加快",
            Status::UnderConstruction,
        ),
        (
            "完工陆海国际中心幕墙加装、启动内部装修。",
            "陆海国际中心",
            "完工",
            Status::Completing,
        ),
        (
            "同步开工站北路、菜园坝立交、兜子背立交项目。",
            "兜子背立交",
            "开工",
            Status::Starting,
        ),
        (
            "提速渝湘高铁渝中段、轨道18号线北延伸段、27号线建设。",
            "27号线",
            "提速",
            Status::UnderConstruction,
        ),
        (
            "完工求精中学河运路校区等6个在建项目。",
            "求精中学河运路校区",
            "完工",
            Status::Completing,
        ),
        (
            "建成区应急救援指挥中心。",
            "区应急救援指挥中心",
            "建成",
            Status::Completing,
        ),
        (
            "做靓五一路重庆金融街、打铜街金融创新生态圈。",
            "打铜街金融创新生态圈",
            "做靓",
            Status::Planned,
        ),
        (
            "推进李子坝大公报片区、印制贰厂南区更新改造等项目。",
            "印制贰厂南区",
            "推进",
            Status::UnderConstruction,
        ),
        (
            "启动戴家巷—国泰艺术中心连廊建设。",
            "戴家巷—国泰艺术中心连廊",
            "启动",
            Status::Starting,
        ),
        (
            "开工建设黄花园现代服务业产业园。",
            "黄花园现代服务业产业园",
            "开工",
            Status::Starting,
        ),
        (
            "提速新华万象中心、福布斯基金小镇建设。",
            "福布斯基金小镇",
            "提速",
            Status::UnderConstruction,
        ),
        (
            "盘活世贸大厦等闲置楼宇。",
            "世贸大厦",
            "盘活",
            Status::Planned,
        ),
        (
            "加快夜雨寺主题公园建设。",
            "夜雨寺主题公园",
            "加快",
            Status::UnderConstruction,
        ),
        // In the styles of the development texts, in our own words.
        (
            "年内推动鹅岭公园北门公共电梯建成投用。",
            "鹅岭公园北门公共电梯",
            "建成",
            Status::Completing,
        ),
        (
            "加快推进大坪医院新院区主体完工。",
            "大坪医院新院区",
            "完工",
            Status::Completing,
        ),
        (
            "力争停工多年的嘉陵中心二期今年重启建设。",
            "嘉陵中心二期",
            "重启",
            Status::Resuming,
        ),
        (
            "督促化龙桥片区B11-2/03地块项目尽快复工，确保明年封顶。",
            "化龙桥片区B11-2/03地块",
            "复工",
            Status::Resuming,
        ),
        (
            "金汤街停车楼完工并对外开放。",
            "金汤街停车楼",
            "完工",
            Status::Completing,
        ),
        (
            "白象街完成历史建筑保护修缮，修缮历史建筑10栋。",
            "白象街",
            "完成",
            Status::Completing,
        ),
        (
            "完成白象街历史建筑保护修缮，修缮历史建筑10栋。",
            "白象街",
            "完成",
            Status::Completing,
        ),
        (
            "解放碑步行街推进品质提升，新增停车位500个。",
            "解放碑步行街",
            "推进",
            Status::UnderConstruction,
        ),
        (
            "推进陆海国际中心主体建设，年内完成投资12亿元。",
            "陆海国际中心",
            "推进",
            Status::UnderConstruction,
        ),
        (
            "陆海国际中心建成并投入运营，入驻企业80家。",
            "陆海国际中心",
            "建成",
            Status::Completing,
        ),
        (
            "开工建设山城巷二期。",
            "山城巷二期",
            "开工",
            Status::Starting,
        ),
        (
            "启动山城巷二期规划设计。",
            "山城巷二期",
            "启动",
            Status::Starting,
        ),
        (
            "规划建设菜园坝滨江公园。",
            "菜园坝滨江公园",
            "建设",
            Status::Planned,
        ),
        (
            "长滨路储奇门至望龙门段年内开工，预计明年底通车。",
            "长滨路",
            "开工",
            Status::Starting,
        ),
        (
            "推动十八梯北地块、较场口地块开工建设。",
            "十八梯北地块",
            "开工",
            Status::Starting,
        ),
        (
            "推动十八梯北地块、较场口地块开工建设。",
            "较场口地块",
            "开工",
            Status::Starting,
        ),
        (
            "继续推进建设路沿线楼宇外立面整治。",
            "建设路",
            "推进",
            Status::UnderConstruction,
        ),
        (
            "新建人和街小学体育馆，改造学田湾菜市场。",
            "学田湾菜市场",
            "改造",
            Status::Planned,
        ),
        (
            "打造七星岗片区慢行系统，加快通远门城墙遗址公园提升。",
            "通远门城墙遗址公园",
            "加快",
            Status::UnderConstruction,
        ),
        (
            "停建两年的重庆塔项目已于三月复工。",
            "重庆塔",
            "复工",
            Status::Resuming,
        ),
        (
            "山城巷二期开街运营，湖广会馆完成修缮。",
            "湖广会馆",
            "完成",
            Status::Completing,
        ),
        (
            "凯旋路电梯建成投用，市民出行更便捷。",
            "凯旋路电梯",
            "建成",
            Status::Completing,
        ),
        (
            "化龙桥国际商务区。",
            "化龙桥国际商务区",
            "",
            Status::Planned,
        ),
        (
            "推动解放碑朝天门、上下半城协同发展。",
            "上下半城",
            "推动",
            Status::UnderConstruction,
        ),
    ];

    fn read(sentence: &str, place: &str) -> Option<Action> {
        let chars: Vec<char> = sentence.chars().collect();
        let p: Vec<char> = place.chars().collect();
        let start = (0..chars.len())
            .find(|&i| chars[i..].starts_with(&p))
            .unwrap_or_else(|| panic!("{place} in {sentence}"));
        let mut names: Vec<(usize, usize)> =
            crate::report::mentions::find(&chars, &Lexicon::default())
                .iter()
                .map(|c| (c.start, c.end))
                .collect();
        // The table's places, also where the grammar alone (without the gazetteer) misses one.
        for (_, other, _, _) in TABLE {
            let o: Vec<char> = other.chars().collect();
            if let Some(s) = (0..chars.len()).find(|&i| chars[i..].starts_with(&o)) {
                names.push((s, s + o.len()));
            }
        }
        names.push((start, start + p.len()));
        action_for(&chars, start, start + p.len(), &names)
    }

    #[test]
    fn the_verb_that_governs_a_place_gives_its_status_in_forty_sentences() {
        assert!(TABLE.len() >= 40, "{} rows", TABLE.len());
        let mut wrong = Vec::new();
        for (sentence, place, verb, status) in TABLE {
            let got = read(sentence, place);
            let want = (!verb.is_empty()).then(|| Action {
                verb: (*verb).to_string(),
                status: *status,
            });
            if got != want {
                wrong.push(format!(
                    "{place} in {sentence}: read {got:?}, want {want:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn a_verb_inside_a_name_governs_nothing() {
        let a = read("建设路完成改造。", "建设路").expect("a verb");
        assert_eq!(a.verb, "完成");
    }

    #[test]
    fn a_verb_of_an_earlier_clause_does_not_govern_a_place_with_its_own() {
        let a = read("加快学田湾正街建设，凯旋路电梯尽快复工。", "凯旋路电梯").expect("a verb");
        assert_eq!(a.status, Status::Resuming);
    }
}
