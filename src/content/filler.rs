//! Placeholder copy (待稿), so a desk can plan a page before the copy lands.
//!
//! Deterministic for an article id and seed, of the requested length, and
//! reading like Chinese trade-union news copy: common news vocabulary,
//! clauses of 4–16 characters, sentences of two to four clauses with ，、；
//! and 。. It never names a person: the person line is a generic post with ××
//! in place of the place. Every article made from it is flagged as placeholder,
//! marked 待稿 on the page, and refused by `build --final`.
//!
//! Given the column measure, the copy is written to fit it, as a sub-editor
//! fits copy: each sentence is drawn again (a few times at most) when it
//! would leave a line that cannot fill its cells (the line planner, asked
//! through [`Fits`]), and the last paragraph is cut where it sets cleanly.

use crate::content::model::{BodyBlock, PlaceholderSpec, Run};

/// Generated headline, person line and body.
pub struct Copy {
    pub headline: String,
    pub person: String,
    pub body: Vec<BodyBlock>,
}

const SUBJECTS: &[&str] = &[
    "各级工会",
    "广大职工",
    "基层工会组织",
    "区总工会",
    "县总工会",
    "工会干部",
    "产业工会",
    "职工服务中心",
    "劳模创新工作室",
    "女职工委员会",
    "各乡镇（街道）工会",
    "非公企业工会",
];
const ADVERBS: &[&str] = &["进一步", "持续", "不断", "扎实", "全面", "切实", "积极", "大力", "深入", "稳步"];
const VERBS: &[&str] = &[
    "推进", "深化", "落实", "加强", "完善", "开展", "提升", "服务", "建设", "培育", "打造", "健全", "拓展",
    "创新", "优化", "巩固",
];
const OBJECTS: &[&str] = &[
    "工会改革",
    "职工服务体系",
    "劳动竞赛",
    "技能培训",
    "普惠服务",
    "困难职工帮扶机制",
    "民主管理制度",
    "职工文体活动",
    "工匠队伍",
    "网上工作平台",
    "基层组织建设",
    "职工权益保障",
    "劳模精神宣传",
    "集体协商",
    "安全生产监督",
    "职工书屋",
    "户外劳动者服务站点",
    "工会经费管理",
    "新就业形态劳动者入会工作",
    "职工之家",
    "法律援助服务",
    "职工疗休养",
];
const OPENERS: &[&str] = &[
    "新的一年，",
    "今年，",
    "同时，",
    "此外，",
    "与此同时，",
    "下一步，",
    "一方面，",
    "另一方面，",
    "围绕中心工作，",
    "在此基础上，",
    "",
    "",
    "",
    "",
];
const RESULTS: &[&str] = &[
    "让职工群众有更多获得感",
    "为经济社会发展作出新贡献",
    "努力把工会建成职工信赖的“职工之家”",
    "推动各项工作再上新台阶",
    "不断增强工会组织的吸引力和凝聚力",
    "切实维护职工合法权益",
    "营造劳动光荣的良好氛围",
];
const UNITS: &[&str] = &["场次", "家", "名", "个", "项", "期"];

/// SplitMix64: small, fast and the same on every platform.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// FNV-1a, to turn an article id into a seed.
fn hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// Draws of a sentence before the copy settles for one that leaves a short
/// line.
const TRIES: usize = 12;
/// A paragraph shorter than this would look like a stray line: the one
/// before it takes the rest.
const SHORTEST: usize = 40;

/// Whether a paragraph sets with every line full on the body's column, and,
/// for the last (`true`), without a one-character last line. The line
/// planner answers it (`plan::place` asks `plan::linebreak`); with none
/// (no measure) anything goes.
pub type Fits<'a> = &'a dyn Fn(&[char], bool) -> bool;

fn sets_cleanly(text: &[char], fits: Option<Fits>, last: bool) -> bool {
    fits.is_none_or(|f| f(text, last))
}

impl Copy {
    /// `fits` says whether a paragraph sets cleanly on the column the body
    /// will be set in.
    pub fn generate(id: &str, spec: &PlaceholderSpec, fits: Option<Fits>) -> Self {
        let mut rng = Rng(spec.seed.unwrap_or_else(|| hash(id)));
        let headline =
            format!("{}{} {}{}", rng.pick(VERBS), rng.pick(OBJECTS), rng.pick(VERBS), rng.pick(OBJECTS));
        let person = "××县（市、区）总工会负责人：".to_string();
        let target = spec.chars as usize;
        let mut body = Vec::new();
        let mut total = 0;
        while total < target {
            let mut para_target = (60 + rng.below(120)).min(target - total).max(24);
            if target - total < para_target + SHORTEST {
                para_target = target - total;
            }
            let mut para: Vec<char> = Vec::new();
            // Grow to the target; if what would be left after it is too
            // little for a paragraph, take it all.
            let stray = |len: usize| (1..SHORTEST).contains(&(target - total).saturating_sub(len));
            while para.len() < para_target || stray(para.len()) {
                let mut tries = 0;
                loop {
                    let s: Vec<char> = sentence(&mut rng).chars().collect();
                    let longer: Vec<char> = para.iter().chain(&s).copied().collect();
                    tries += 1;
                    if tries >= TRIES || sets_cleanly(&longer, fits, false) {
                        para = longer;
                        break;
                    }
                }
            }
            // Exactly the requested length, or up to five characters less
            // where that sets cleanly: cut the last paragraph and close it
            // with a full stop (never after another mark).
            let cut_here = total + para.len() > target;
            let chars = if cut_here {
                let cut = |n: usize| {
                    let mut c = para[..n.max(2).min(para.len())].to_vec();
                    while c.len() > 1 && "，、；。".contains(c[c.len() - 1]) {
                        c.pop();
                    }
                    c.pop();
                    c.push('。');
                    c
                };
                let room = target - total;
                (0..=5)
                    .filter_map(|less| room.checked_sub(less))
                    .map(cut)
                    .find(|c| sets_cleanly(c, fits, true))
                    .unwrap_or_else(|| cut(room))
            } else {
                para
            };
            total += chars.len();
            body.push(BodyBlock::Paragraph {
                runs: vec![Run::Text { text: chars.into_iter().collect() }],
                line: 0,
            });
            // A cut paragraph is the last, even when cut a little short.
            if cut_here {
                break;
            }
        }
        Self { headline, person, body }
    }
}

fn clause(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 => format!("{}{}{}", rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS)),
        1 => format!("{}{}{}", rng.pick(ADVERBS), rng.pick(VERBS), rng.pick(OBJECTS)),
        2 => format!("{}{}、{}", rng.pick(VERBS), rng.pick(OBJECTS), rng.pick(OBJECTS)),
        3 => format!("全年开展相关活动{}{}", 2 + rng.below(98), rng.pick(UNITS)),
        4 => rng.pick(RESULTS).to_string(),
        _ => format!("{}{}{}", rng.pick(SUBJECTS), rng.pick(ADVERBS), rng.pick(VERBS)) + rng.pick(OBJECTS),
    }
}

fn sentence(rng: &mut Rng) -> String {
    let mut s = rng.pick(OPENERS).to_string();
    let n = 2 + rng.below(3);
    for i in 0..n {
        s.push_str(&clause(rng));
        s.push(if i + 1 == n {
            '。'
        } else if rng.below(5) == 0 {
            '；'
        } else {
            '，'
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_long_enough() {
        let spec = PlaceholderSpec { chars: 600, seed: None };
        let a = Copy::generate("slot-1", &spec, None);
        let b = Copy::generate("slot-1", &spec, None);
        let c = Copy::generate("slot-2", &spec, None);
        let text = |c: &Copy| c.body.iter().map(|b| b.text()).collect::<String>();
        assert_eq!(text(&a), text(&b));
        assert_ne!(text(&a), text(&c));
        let n = text(&a).chars().count();
        assert!((595..=600).contains(&n), "{n}");
        assert!(text(&a).ends_with('。'));
    }
}
