//! The fewest loose lines a paragraph can be set with: an oracle the line
//! planner (`linebreak`) is measured against, not used to set pages.
//!
//! A loose line (issue 16, `check --typography`) has two adjacent
//! full-width glyphs more than 0.15 em further apart than an em. Whether a
//! line is loose depends on its breaks and squeezes and on where
//! justification puts the line's slack, so this module counts the least
//! any set of breaks can reach, by dynamic programming over break
//! positions, under the same house rules the planner keeps (default house
//! style, no hanging): 避头尾, a number kept whole and with its unit, ——
//! and …… whole, nothing cut inside a gap mark, marks squeezed half a cell
//! as the planner may (at most `max_squeezes` a line), a 孤字 or a last
//! line of marks only avoided whenever any breaks avoid it (that rule
//! first: fewest loose lines among the breaks that keep it). Two spacing
//! models ([`Spacing`]):
//!
//! - `Typst`: what Typst does with a justified line — the slack spread
//!   evenly after each Han character but the line's last, nothing beside a
//!   boxed mark or inside or after a Latin or digit run. The line prints
//!   loose if a spread gap lies between two full-width glyphs, and ragged
//!   (counted loose too) when it has nowhere to spread.
//! - `Even`: the best any justification can do without letter-spacing
//!   inside a Latin word: the slack spread evenly over every gap between
//!   the line's units (after marks and beside runs too). This is the floor
//!   under the definition of a loose line, whatever the layouts do.
//!
//! A loose line here is exactly the check's (over 0.15 em, not at it; a
//! hole before a Latin run is not counted, though the planner avoids one
//! wider than `linebreak::RUN_SPACE`), so the floor is a floor of what the
//! check can report. The count alone is lowest for settings that pile a
//! paragraph's slack into one line (a lone character spread over the
//! measure); [`Short::Spread`] bounds how wide a line may be spread, to
//! ask instead what the fewest loose lines are with no line worse than a
//! given one (the planner's widest: `clreq_corpus`).
//!
//! `printing` counts a plan's loose lines under the same models, so the
//! planner's choice can be set beside the floor. Figures: README and
//! layouts/GRID.md ("Why 7–10-cell columns stay above 1 %"); the tests
//! that hold the planner to them: tests/it/clreq_corpus.rs and
//! tests/it/clreq_typst.rs.

use crate::plan::linebreak::{
    self, HALF, LOOSE_GAP, Measure, Plan, Printed, Relax, Token, may_break, prints_full_width, room, spreads,
    squeezable,
};

/// Where a justified line's slack goes (module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    Typst,
    Even,
}

/// The least a paragraph can be set with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Floor {
    /// Whether every allowed set of breaks ends on a 孤字 or marks only.
    pub runt: bool,
    /// The fewest loose lines among the breaks with the fewest 孤字.
    pub loose: usize,
    /// Printed-character offsets of the breaks of one setting that reaches
    /// it, and the squeezes it makes (as in `Plan`).
    pub breaks: Vec<usize>,
    pub squeezes: usize,
}

/// One line, built up unit by unit: what decides whether it fits and
/// whether it prints loose.
#[derive(Default)]
struct Line {
    width: u32,
    marks: usize,
    units: u32,
    /// Places Typst spreads (after a Han character), the last unit's
    /// counted apart, and whether a spread place lies before a full-width
    /// glyph.
    spread: u32,
    last_spreads: bool,
    typst_pair: bool,
    /// Two full-width units side by side.
    even_pair: bool,
}

impl Line {
    fn push(&mut self, tokens: &[Token], tied: &[bool], s: usize, t: usize) {
        let u = &tokens[t];
        self.width += u.width;
        self.marks += usize::from(squeezable(tokens, tied, t));
        self.units += 1;
        if t > s {
            let prev = &tokens[t - 1];
            self.typst_pair |= spreads(prev) && prints_full_width(u);
            self.even_pair |= prints_full_width(prev) && prints_full_width(u);
        }
        self.spread += u32::from(spreads(u));
        self.last_spreads = spreads(u);
    }

    /// Its width with `k` marks squeezed.
    fn set(&self, k: usize) -> u32 {
        self.width - k as u32 * HALF
    }

    /// The fewest squeezes that fit it in `room` (`None`: none do).
    fn squeezes(&self, room: u32, max: usize) -> Option<usize> {
        let k = self.width.saturating_sub(room).div_ceil(HALF) as usize;
        (k <= self.marks.min(max)).then_some(k)
    }

    /// The gaps `spacing` spreads it over, and whether one of them lies
    /// between two full-width glyphs.
    fn gaps(&self, spacing: Spacing) -> (u32, bool) {
        match spacing {
            Spacing::Typst => (self.spread - u32::from(self.last_spreads), self.typst_pair),
            Spacing::Even => (self.units - 1, self.even_pair),
        }
    }

    /// Whether, justified over `slack`, it prints loose.
    fn loose(&self, slack: u32, spacing: Spacing) -> bool {
        let (gaps, pair) = self.gaps(spacing);
        slack > 0 && (gaps == 0 || (pair && slack > LOOSE_GAP * gaps))
    }

    /// How far apart `slack` spreads its characters (`u32::MAX`: it has
    /// nowhere to spread it).
    fn spread(&self, slack: u32, spacing: Spacing) -> u32 {
        match self.gaps(spacing).0 {
            _ if slack == 0 => 0,
            0 => u32::MAX,
            gaps => slack.div_ceil(gaps),
        }
    }
}

/// What a floor may do: how justification spreads a line, how many marks
/// a line may squeeze, and how far apart a line may be spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    pub spacing: Spacing,
    pub max_squeezes: usize,
    pub short: Short,
}

/// How far apart a justified line's characters may be spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Short {
    /// Any spread: the floor of the count alone, below which no setting
    /// goes. It is reached by piling a paragraph's slack into few lines (a
    /// lone character over the measure) to spare others a little loose
    /// each, which no desk sets.
    Any,
    /// No line's gaps spread more than this (thousandths of an em, under
    /// the floor's spacing; a line with nowhere to spread counts as
    /// endless), or, where no setting of the paragraph manages that, no
    /// more than the paragraph forces (the least, over its settings, of
    /// the widest spread of any of its lines).
    Spread(u32),
}

impl Rules {
    /// The planner's own moves (`MAX_SQUEEZES` a line) with `spacing`, any
    /// spread.
    pub fn planner(spacing: Spacing) -> Self {
        Rules { spacing, max_squeezes: linebreak::MAX_SQUEEZES, short: Short::Any }
    }
}

/// What the search minimises: loose lines, or the widest spread of a
/// setting's lines. Either way a 孤字 (or last line of marks only) first.
#[derive(Clone, Copy)]
enum Objective {
    Loose,
    Widest,
}

/// The fewest loose lines paragraph `p` can be set with at measure `m`
/// (its hanging is ignored: no mark hangs) under `rules`. `None` where the
/// planner does not plan either (units it cannot measure) or no breaks
/// fit.
pub fn floor(p: &Printed, m: &Measure, rules: Rules) -> Option<Floor> {
    let tokens = linebreak::tokens(p, m.widths, m.style.runs)?;
    if tokens.is_empty() {
        return Some(Floor { runt: false, loose: 0, breaks: Vec::new(), squeezes: 0 });
    }
    let limit = match rules.short {
        Short::Any => u32::MAX,
        Short::Spread(most) => search(p, &tokens, m, rules, Objective::Widest, u32::MAX)?.0.1.max(most),
    };
    let ((runt, loose), breaks, squeezes) = search(p, &tokens, m, rules, Objective::Loose, limit)?;
    Some(Floor { runt, loose: loose as usize, breaks, squeezes })
}

/// The best setting of `tokens` by `objective`, no justified line spread
/// more than `limit` a gap: its score (孤字, then loose lines or the
/// widest spread), breaks (printed offsets) and squeezes.
fn search(
    p: &Printed,
    tokens: &[Token],
    m: &Measure,
    rules: Rules,
    objective: Objective,
    limit: u32,
) -> Option<((bool, u32), Vec<usize>, usize)> {
    let tied = &p.tied;
    let n = tokens.len();
    let mut solid = vec![0usize; n + 1];
    for t in (0..n).rev() {
        solid[t] = solid[t + 1] + usize::from(tokens[t].solid);
    }
    // best[s]: the score of the best setting of units s.., with its first
    // line's end and squeezes.
    type Best = Option<((bool, u32), usize, usize)>;
    let mut best: Vec<Best> = vec![None; n + 1];
    best[n] = Some(((false, 0), n, 0));
    for s in (0..n).rev() {
        let room = room(m, s)?;
        let mut line = Line::default();
        let mut choice: Best = None;
        // `e`: where the line ends, a break position, not just an index.
        #[allow(clippy::needless_range_loop)]
        for e in s + 1..=n {
            line.push(tokens, tied, s, e - 1);
            if line.set(line.marks.min(rules.max_squeezes)) > room {
                break;
            }
            let Some(k) = line.squeezes(room, rules.max_squeezes) else { continue };
            let slack = room - line.set(k);
            let spread = line.spread(slack, rules.spacing);
            let this = if e == n {
                (s > 0 && solid[s] <= 1, 0)
            } else if spread <= limit
                && may_break(tokens, tied, e, Relax::default())
                && let Some(((runt, rest), _, _)) = best[e]
            {
                match objective {
                    Objective::Loose => (runt, rest + u32::from(line.loose(slack, rules.spacing))),
                    Objective::Widest => (runt, rest.max(spread)),
                }
            } else {
                continue;
            };
            if choice.is_none_or(|c| this < c.0) {
                choice = Some((this, e, k));
            }
        }
        best[s] = choice;
    }
    let (score, mut e, mut squeezes) = best[0]?;
    let mut breaks = Vec::new();
    while e < n {
        breaks.push(tokens[e].at);
        let (_, next, k) = best[e]?;
        squeezes += k;
        e = next;
    }
    Some((score, breaks, squeezes))
}

/// A plan's lines as they print under a spacing model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Printing {
    /// Its loose lines.
    pub loose: usize,
    /// The widest spread of any of its justified lines (thousandths of an
    /// em a gap; `u32::MAX`: a line with nowhere to spread its slack).
    pub widest: u32,
}

/// How `plan`'s lines (a plan of `p` at `m`, without hangs) print under
/// `spacing`. `None` for a paragraph the planner does not plan.
pub fn printing(p: &Printed, m: &Measure, plan: &Plan, spacing: Spacing) -> Option<Printing> {
    let tokens = linebreak::tokens(p, m.widths, m.style.runs)?;
    let unit_at = |at: usize| tokens.iter().position(|t| t.at == at);
    let ends: Vec<usize> = plan.breaks.iter().map(|&b| unit_at(b)).collect::<Option<_>>()?;
    let mut out = Printing { loose: 0, widest: 0 };
    let mut s = 0;
    // The last line is not justified.
    for e in ends {
        let mut line = Line::default();
        for t in s..e {
            line.push(&tokens, &p.tied, s, t);
        }
        let (from, to) = (tokens[s].at, tokens[e].at);
        let k = plan.squeezes.iter().filter(|&&q| (from..to).contains(&q)).count();
        let slack = room(m, s)?.saturating_sub(line.set(k));
        out.loose += usize::from(line.loose(slack, spacing));
        out.widest = out.widest.max(line.spread(slack, spacing));
        s = e;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::linebreak::plan;

    fn printed(s: &str) -> Printed {
        Printed::plain(&s.chars().collect::<Vec<_>>())
    }

    #[test]
    fn a_paragraph_that_fills_its_lines_has_no_loose_line() {
        let p = printed("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳");
        let f = floor(&p, &Measure::plain(13, 2), Rules::planner(Spacing::Typst)).unwrap();
        assert_eq!((f.runt, f.loose), (false, 0));
    }

    #[test]
    fn a_push_is_loose_at_eight_cells_whatever_the_spacing_and_at_nine_only_as_typst_spreads() {
        // Indent 2 + 六 units, then 。 (no line start) and nothing to
        // squeeze: 六 goes down, its line a cell short.
        let line = |cap: usize| {
            let head: String = "一二三四五六七八九十".chars().take(cap - 3).collect();
            printed(&format!("{head}甲。乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"))
        };
        let count = |cap: usize, spacing| floor(&line(cap), &Measure::plain(cap, 2), Rules::planner(spacing)).unwrap();
        // 8 cells: 5 units over 4 gaps after the push, Han all: 1/4 em.
        assert_eq!(count(8, Spacing::Typst).loose, 1);
        assert_eq!(count(8, Spacing::Even).loose, 1);
        // 13 cells: 10 units, a cell over 9 gaps (0.11 em): tight.
        assert_eq!(count(13, Spacing::Typst).loose, 0);
        // A line with a mark in it: Typst spreads nothing after the mark.
        // 9 cells, no indent: 一二三、四五六七甲 then ？ (no line start, not
        // squeezable): 甲 is pushed (squeezing 、 frees only half a cell),
        // 8 units over 7 gaps is 0.143 em evenly but 1/6 em over the 6 Han
        // gaps Typst spreads.
        let p = printed("一二三、四五六七甲？乙丙丁戊己庚辛壬癸子丑寅卯辰");
        let m = Measure::plain(9, 0);
        assert_eq!(floor(&p, &m, Rules::planner(Spacing::Typst)).unwrap().loose, 1);
        assert_eq!(floor(&p, &m, Rules::planner(Spacing::Even)).unwrap().loose, 0);
        let planned = plan(&p, &m).unwrap();
        assert_eq!(printing(&p, &m, &planned, Spacing::Typst).map(|p| p.loose), Some(1));
        assert_eq!(printing(&p, &m, &planned, Spacing::Even).map(|p| p.loose), Some(0));
    }

    #[test]
    fn the_count_alone_is_lowest_with_one_line_spread_thin() {
        // 7 cells: 国国基层工 (indent 2), then 会规范化建设《劳动法》户外；…
        // One push a line leaves two lines loose; a lone 会 on a line of
        // its own leaves one.
        let p = printed("国国基层工会规范化建设《劳动法》户外；劳模创新477项基层工会；劳模创新工作室累计攻克技术0.8个百分点各级工，集体协商制度在非公企业全面《中国工人》杂志基层工……");
        let m = Measure::plain(7, 2);
        let one = floor(&p, &m, Rules { short: Short::Spread(250), ..Rules::planner(Spacing::Typst) }).unwrap();
        let lowest = floor(&p, &m, Rules::planner(Spacing::Typst)).unwrap();
        assert!(lowest.loose < one.loose, "{lowest:?} {one:?}");
        assert_eq!(lowest.breaks[..2], [5, 6], "{lowest:?}");
    }

    #[test]
    fn the_floor_is_never_above_what_the_planner_sets() {
        for s in ["一二、三四、五六七八乙。甲乙丙丁戊", "今年全年开展劳动竞赛约4,000吨增长3.5%以上的产量再创新高"] {
            for cap in 7..=13 {
                let p = printed(s);
                let m = Measure::plain(cap, 2);
                let planned = plan(&p, &m).unwrap();
                for spacing in [Spacing::Typst, Spacing::Even] {
                    let f = floor(&p, &m, Rules::planner(spacing)).unwrap();
                    assert!(f.loose <= printing(&p, &m, &planned, spacing).unwrap().loose, "{s} {cap}");
                }
            }
        }
    }
}
