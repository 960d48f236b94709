//! Line breaking on the strict character grid, done here rather than by
//! Typst. A body paragraph is a stream of whole-cell units (a character, a
//! mark, a digit run in ⌈n/2⌉ cells); a line is on the cells only if its
//! units fill the measure exactly. Where first fit cannot do that (a number
//! that must stay with its unit, an opening mark at the 13th cell, a 孤字
//! to mend), the whole paragraph is broken at once, choosing among the
//! moves clreq allows that keep every character on its cell:
//!
//! - 行末悬挂: a no-start mark that would begin the next line hangs after
//!   the last cell;
//! - 挤进: two adjacent marks share one cell, each on the half its ink sits
//!   in (。” ，“ （“), which frees a cell in that line.
//!
//! A line no move can fill is set a cell short and justified (off the
//! cells): the last resort, listed in `Plan::short`, with the rule that
//! forced it (`why_short`) so the check can tell the desk which lines only a
//! copy edit would mend. The plan then reaches Typst as forced breaks,
//! hanging marks and paired marks.

use crate::plan::clreq::{CLOSING_HALF, NO_END, NO_START, OPENING_HALF, is_full_width, is_unit};

/// One unit of the cell stream.
#[derive(Debug, Clone)]
pub struct Token {
    /// Offset of its first printed character in the paragraph.
    pub at: usize,
    pub cells: usize,
    pub first: char,
    pub last: char,
    /// A number glued to the unit after it (word joiner in the layouts).
    pub glued: bool,
}

/// Runs longer than this stay breakable text in the layouts (grid.typ).
const LONGEST_RUN: usize = 24;

/// A paragraph's printed characters (spaces do not count: offsets are
/// printed-character offsets throughout), with, for each, whether it is
/// tied to the one before (inside a gap mark, never cut) and whether a space
/// between two words of Latin comes before it (`Wi Fi`: the space is part
/// of the run, chain::grid_spaces).
#[derive(Debug, Clone, Default)]
pub struct Printed {
    pub text: Vec<char>,
    pub tied: Vec<bool>,
    pub spaced: Vec<bool>,
}

impl Printed {
    /// Text with no spaces and no gap marks.
    pub fn plain(text: &[char]) -> Self {
        Printed { text: text.to_vec(), tied: vec![false; text.len()], spaced: vec![false; text.len()] }
    }
}

/// Splits printed text into grid units: a character a cell, a run of ASCII
/// letters and digits ⌈n/2⌉ cells, a space inside it counted like a letter
/// (the layouts' digit rule). `None` for text with anything else
/// (half-width signs, a run too long to keep whole), whose widths are not
/// whole cells.
pub fn tokens(p: &Printed) -> Option<Vec<Token>> {
    let text = &p.text;
    let spaced = |j: usize| p.spaced.get(j).copied().unwrap_or(false);
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        // A space is only ever inside a run.
        if spaced(i) {
            return None;
        }
        // The layouts' rule: a run starts with a letter, digit, + - or /.
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '/') {
            let mut j = i + 1;
            let mut spaces = 0;
            while j < text.len() && crate::plan::clreq::is_run_char(text[j]) {
                // Wi Fi: the space goes with the run when a letter or digit
                // follows it.
                if spaced(j) {
                    if !text[j].is_ascii_alphanumeric() {
                        break;
                    }
                    spaces += 1;
                }
                j += 1;
            }
            let n = j - i + spaces;
            if n > LONGEST_RUN {
                return None;
            }
            let unit = text.get(j).is_some_and(|&u| is_unit(u));
            // After a percent sign the number is complete (15%的).
            let glued = unit && text[j - 1] != '%';
            out.push(Token { at: i, cells: n.div_ceil(2), first: c, last: text[j - 1], glued });
            i = j;
        } else if is_full_width(c) {
            out.push(Token { at: i, cells: 1, first: c, last: c, glued: false });
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Whether two adjacent units may share one cell (挤进): closing + closing,
/// closing + opening, opening + opening (clreq's adjacent-mark compression,
/// taken to a whole cell).
fn pairable(a: &Token, b: &Token) -> bool {
    let half = |t: &Token, set: &str| t.cells == 1 && set.contains(t.first);
    (half(a, CLOSING_HALF) && (half(b, CLOSING_HALF) || half(b, OPENING_HALF)))
        || (half(a, OPENING_HALF) && half(b, OPENING_HALF))
}

/// How a paragraph is broken.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Printed-character offsets where a line ends with a forced break
    /// (lines that end in a hanging mark are in `hangs` instead).
    pub breaks: Vec<usize>,
    /// Marks set hanging after a line's last cell: offset, and how many (1,
    /// or 2 closing marks set close together in the hanging cell: ）、).
    pub hangs: Vec<(usize, usize)>,
    /// Offsets of the first mark of each pair set in one cell.
    pub pairs: Vec<usize>,
    /// Lines no move could fill, by the offset of their first character:
    /// set a cell or more short, justified.
    pub short: Vec<usize>,
    /// The last line is still a 孤字 (nothing could mend it).
    pub runt: bool,
}

// What each move costs: a plain full line nothing, a hang a little, a pair
// more (it narrows two marks), a short line (off the cells) much more, and
// the more so the more cells it lacks (its letter-spacing shows: two lines
// a cell short each are better than one two short), a 孤字 most.
const HANG: u32 = 1;
const PAIR: u32 = 3;
const SHORT: u32 = 100;
const PER_MISSING_CELL_SQUARED: u32 = 60;
const RUNT: u32 = 10_000;
/// Pairs one line may take: more would crowd its marks.
const MAX_PAIRS: usize = 2;

#[derive(Debug, Clone, Copy)]
enum End {
    /// The paragraph's last line.
    Last,
    /// A forced break before unit `e`.
    Break(usize),
    /// Unit `e` hangs (with the next one when the count is 2); the next
    /// line starts after them.
    Hang(usize, usize),
}

#[derive(Debug, Clone)]
struct Line {
    end: End,
    /// First units of the pairs this line sets in one cell.
    pairs: Vec<usize>,
    short: bool,
    runt: bool,
}

/// Breaks a paragraph of printed text for a column of `cap` cells whose
/// first line starts `indent` cells in. No break, hang or pair cuts between
/// tied characters. `None` when the text has units whose widths are not
/// whole cells, or a unit wider than the column: Typst breaks those.
pub fn plan(p: &Printed, cap: usize, indent: usize) -> Option<Plan> {
    plan_with(p, cap, indent, Relax::default())
}

/// A rule the planner may be told to drop, to learn which rule forced a
/// short line (`why_short`); pages are never set with one dropped.
#[derive(Debug, Clone, Copy, Default)]
struct Relax {
    /// A paragraph may end on a 孤字.
    runt: bool,
    /// A number may part from its unit.
    unit: bool,
    /// An opening mark may end a line.
    opening: bool,
}

/// Why a paragraph has a line no allowed move can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forced {
    /// Its last line would be a 孤字: a character was pushed over.
    Runt,
    /// A number would part from its unit (GB/T 15835).
    Unit,
    /// An opening mark would end a line.
    Opening,
    /// No set of breaks fills every line (a dash, a run of marks, or the
    /// rules together).
    Breaks,
}

impl Forced {
    pub fn describe(self) -> &'static str {
        match self {
            Forced::Runt => "a character pushed over so the paragraph does not end on a 孤字",
            Forced::Unit => "a number kept with its unit",
            Forced::Opening => "an opening mark kept off the line's end",
            Forced::Breaks => "no allowed break fills every line of the paragraph",
        }
    }
}

/// The rule that forces the short lines of `planned` (the paragraph's plan):
/// the first whose drop would leave fewer of them. `None` when it has none.
pub fn why_short(p: &Printed, cap: usize, indent: usize, planned: &Plan) -> Option<Forced> {
    let base = planned.short.len();
    if base == 0 {
        return None;
    }
    let tries = [
        (Forced::Runt, Relax { runt: true, ..Relax::default() }),
        (Forced::Unit, Relax { unit: true, ..Relax::default() }),
        (Forced::Opening, Relax { opening: true, ..Relax::default() }),
    ];
    let fewer = |relax| plan_with(p, cap, indent, relax).is_some_and(|p| p.short.len() < base);
    Some(tries.into_iter().find(|&(_, relax)| fewer(relax)).map_or(Forced::Breaks, |(why, _)| why))
}

fn plan_with(p: &Printed, cap: usize, indent: usize, relax: Relax) -> Option<Plan> {
    let tokens = tokens(p)?;
    let tied = &p.tied;
    let n = tokens.len();
    if n == 0 {
        return Some(Plan::default());
    }
    let fixed = |t: usize| tied.get(tokens[t].at).copied().unwrap_or(false);
    // May a line end before unit `t`? Not before a no-start mark, after a
    // no-end mark, between a number and its unit, inside —— or ……, or
    // inside a gap mark.
    let breakable = |t: usize| {
        let (a, b) = (&tokens[t - 1], &tokens[t]);
        let dash = a.last == b.first && matches!(b.first, '—' | '…');
        let opening = NO_END.contains(a.last) && !relax.opening;
        let unit = a.glued && !relax.unit;
        !(NO_START.contains(b.first) || opening || unit || dash || fixed(t))
    };
    let hangable = |t: usize| {
        tokens[t].cells == 1 && NO_START.contains(tokens[t].first) && !fixed(t) && tokens[t].first != '·'
    };
    // Units that are not marks, from `t` to the end: one is a 孤字.
    let mut solid = vec![0usize; n + 1];
    for t in (0..n).rev() {
        solid[t] = solid[t + 1] + usize::from(!NO_START.contains(tokens[t].first));
    }

    // best[s]: the cheapest way to set units s.. with a line starting at s.
    let mut best: Vec<Option<(u32, Line)>> = vec![None; n + 1];
    best[n] = Some((0, Line { end: End::Last, pairs: vec![], short: false, runt: false }));
    for s in (0..n).rev() {
        let room = if s == 0 { cap.checked_sub(indent)? } else { cap };
        let mut width = 0;
        let mut pairs: Vec<usize> = Vec::new();
        let mut choice: Option<(u32, Line)> = None;
        let mut consider = |cost: u32, line: Line| {
            // On a tie the longer line wins: lines fill as first fit would.
            if choice.as_ref().is_none_or(|(c, _)| cost <= *c) {
                choice = Some((cost, line));
            }
        };
        for e in s + 1..=n {
            let t = e - 1;
            width += tokens[t].cells;
            // Pairs left to right, never sharing a mark.
            if t > s
                && pairable(&tokens[t - 1], &tokens[t])
                && !fixed(t - 1)
                && !fixed(t)
                && pairs.last().is_none_or(|&p| p + 2 != t)
            {
                pairs.push(t - 1);
            }
            let usable = pairs.len().min(MAX_PAIRS);
            if width > room + usable {
                break;
            }
            // Pairs needed to bring the line down to the measure.
            let need = width.saturating_sub(room);
            let paired = |k: usize| pairs[..k].to_vec();
            if e == n {
                let runt = s > 0 && solid[s] == 1 && !relax.runt;
                let cost = PAIR * need as u32 + if runt { RUNT } else { 0 };
                consider(cost, Line { end: End::Last, pairs: paired(need), short: false, runt });
                continue;
            }
            if breakable(e)
                && let Some((rest, _)) = &best[e]
            {
                if width >= room {
                    consider(
                        rest + PAIR * need as u32,
                        Line { end: End::Break(e), pairs: paired(need), short: false, runt: false },
                    );
                } else {
                    let missing = (room - width) as u32;
                    let cost = rest + SHORT + PER_MISSING_CELL_SQUARED * missing * missing;
                    consider(cost, Line { end: End::Break(e), pairs: vec![], short: true, runt: false });
                }
            }
            // The line is full and the next unit is a mark that may not
            // start a line: hang it, or two closing marks together (）、),
            // unless yet another no-start mark follows.
            if width >= room && hangable(e) {
                let two = e + 1 < n && NO_START.contains(tokens[e + 1].first);
                let k = if two { 2 } else { 1 };
                let fits = !two
                    || (hangable(e + 1)
                        && CLOSING_HALF.contains(tokens[e + 1].first)
                        && CLOSING_HALF.contains(tokens[e].first));
                if fits
                    && (e + k == n || !NO_START.contains(tokens[e + k].first))
                    && let Some((rest, _)) = &best[e + k]
                {
                    let cost = rest + HANG + PAIR * (need + k - 1) as u32;
                    consider(
                        cost,
                        Line { end: End::Hang(e, k), pairs: paired(need), short: false, runt: false },
                    );
                }
            }
        }
        best[s] = choice;
    }

    let mut plan = Plan::default();
    let mut s = 0;
    loop {
        let (_, line) = best[s].as_ref()?;
        plan.pairs.extend(line.pairs.iter().map(|&t| tokens[t].at));
        if line.short {
            plan.short.push(tokens[s].at);
        }
        plan.runt |= line.runt;
        match line.end {
            End::Last => break,
            End::Break(e) => {
                plan.breaks.push(tokens[e].at);
                s = e;
            }
            End::Hang(e, k) => {
                plan.hangs.push((tokens[e].at, k));
                s = e + k;
            }
        }
        if s >= n {
            break;
        }
    }
    Some(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<Plan> {
        let text: Vec<char> = s.chars().collect();
        plan(&Printed::plain(&text), 13, 2)
    }

    #[test]
    fn full_lines_break_at_the_measure() {
        // Indent 2 + 11, then 13, then 2.
        let plan = p("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳").unwrap();
        assert_eq!(plan.breaks, vec![11, 24]);
        assert!(plan.hangs.is_empty() && plan.pairs.is_empty() && plan.short.is_empty());
    }

    #[test]
    fn a_mark_that_would_start_a_line_hangs() {
        // Indent 2 + 10 + 乙 = 13; 。 may not start the next line.
        let plan = p("一二三四五六七八九十乙。甲乙丙丁戊己庚辛壬癸子丑寅").unwrap();
        assert_eq!((plan.hangs.clone(), plan.breaks.clone()), (vec![(11, 1)], vec![]));
        // Two closing marks there hang together.
        let plan = p("一二三四五六七八九十乙”。甲乙丙丁戊己庚辛壬癸子丑寅").unwrap();
        assert_eq!((plan.hangs.clone(), plan.short.len()), (vec![(11, 2)], 0), "{plan:?}");
    }

    #[test]
    fn a_number_that_cannot_leave_its_unit_is_made_room_for_by_a_pair() {
        // 一…”。 fills the first line; 甲…丑 then leaves one cell, too few
        // for 97家. With ”。 in one cell the first line takes 甲 as well,
        // and every line fills exactly.
        let text = "一二三四五六“八九”。甲乙丙丁戊己庚辛壬癸子丑97家寅卯辰";
        let plan = p(text).unwrap();
        assert_eq!(plan.short.len(), 0, "{plan:?}");
        assert_eq!(plan.pairs.len(), 1, "{plan:?}");
        // Without a pair to set, the line before the number is short.
        let plan = p("一二三四五六七八九十乙甲乙丙丁戊己庚辛壬癸子丑97家寅卯辰").unwrap();
        assert_eq!(plan.short.len(), 1, "{plan:?}");
    }

    #[test]
    fn a_lone_last_character_is_mended() {
        // Indent 2 + 11, 13, then 辰 alone: first fit leaves a 孤字; the
        // plan sends one more character down and counts the short line.
        let plan = p("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰").unwrap();
        assert!(!plan.runt);
        assert_eq!(plan.breaks, vec![11, 23]);
        assert_eq!(plan.short, vec![11]);
    }

    #[test]
    fn a_short_line_names_the_rule_that_forced_it() {
        let why = |s: &str| {
            let text: Vec<char> = s.chars().collect();
            let p = Printed::plain(&text);
            why_short(&p, 13, 2, &plan(&p, 13, 2).unwrap())
        };
        // Indent 2 + 11, 13, then 辰 alone.
        assert_eq!(why("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰"), Some(Forced::Runt));
        // 97家 cannot start at the 13th cell of the second line.
        assert_eq!(why("一二三四五六七八九十乙甲乙丙丁戊己庚辛壬癸子丑97家寅卯辰"), Some(Forced::Unit));
        // “ would take the first line's 13th cell.
        assert_eq!(why("一二三四五六七八九十“乙丙”丁戊己庚辛壬癸子丑寅卯辰"), Some(Forced::Opening));
        // —— (two cells) would start at the first line's 13th cell.
        assert_eq!(why("一二三四五六七八九十——乙丙丁戊己庚辛壬癸子丑寅卯"), Some(Forced::Breaks));
        assert_eq!(why("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯"), None);
    }

    #[test]
    fn numbers_take_whole_cells_and_odd_signs_are_left_to_typst() {
        // 2018 is two cells: 2 + 7 + 2 + 年 + 辛 = 13.
        let plan = p("甲乙丙丁戊己庚2018年辛壬癸").unwrap();
        assert_eq!(plan.breaks, vec![13]);
        assert!(p("互联网+职工").is_some());
        assert_eq!(p("互联网*职工"), None);
    }

    #[test]
    fn gap_marks_are_never_cut() {
        // 〔原文缺失〕 is six characters tied together: no break inside.
        let s = "一二三四五六七八九〔原文缺失〕甲乙丙丁戊己庚辛壬癸";
        let text: Vec<char> = s.chars().collect();
        let mut tied = vec![false; text.len()];
        for t in tied.iter_mut().take(15).skip(10) {
            *t = true;
        }
        let plan = plan(&Printed { tied, ..Printed::plain(&text) }, 13, 2).unwrap();
        assert!(plan.breaks.iter().all(|&b| !(10..15).contains(&b)), "{plan:?}");
    }

    #[test]
    fn which_marks_share_a_cell() {
        let a = Token { at: 0, cells: 1, first: '。', last: '。', glued: false };
        let b = Token { at: 1, cells: 1, first: '”', last: '”', glued: false };
        let c = Token { at: 2, cells: 1, first: '？', last: '？', glued: false };
        let d = Token { at: 3, cells: 1, first: '“', last: '“', glued: false };
        assert!(pairable(&a, &b) && pairable(&a, &d) && pairable(&d, &d));
        assert!(!pairable(&c, &b) && !pairable(&d, &a));
    }
}
