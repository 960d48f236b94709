//! Line breaking for body paragraphs, done here rather than by Typst. A
//! paragraph is a stream of units with widths in thousandths of an em (a
//! Chinese character or mark one em, a digit half, a Latin letter its own
//! advance in the body face); every line is chosen over the whole
//! paragraph at once (dynamic programming) so it ends flush at the measure
//! and keeps clreq's line rules (避头尾), with the house style's moves
//! (`[style]`, src/content/style.rs), cheapest first:
//!
//! - 挤进 (squeeze): a mark whose ink fills half its cell (。，、；：”） and
//!   “（) is set half a cell wide, freeing half a cell: the line takes one
//!   more character, or the no-start mark that would begin the next line.
//!   Marks beside another mark are squeezed first (。” in one cell).
//! - 推出 (push): a character goes to the next line and the line is
//!   justified (its Chinese characters spaced out a little).
//! - Letter-spacing: a line so short that its characters stand visibly
//!   apart (more than 0.15 em between two full-width glyphs, as the check
//!   reads it, or a hole over a quarter em before a Latin run:
//!   `prints_loose`) is the last resort; such lines are listed in
//!   `Plan::loose` with the rule that forced them (`why_loose`). How close
//!   the plan comes to the fewest possible is measured by the oracle in
//!   `loose_floor`.
//! - 行末悬挂 (hanging) only where the house style allows it: a no-start
//!   mark after the last cell.
//!
//! `kinsoku = "push-first"` makes a push cheaper than a squeeze. The plan
//! reaches Typst as forced justified breaks, squeezed marks and hanging
//! marks. A 孤字 (a last line of one character) and a last line of marks
//! only (……, ——) are avoided whenever any set of breaks allows it.

use crate::clreq::{
    CLOSING_HALF, LONGEST_RUN, NO_END, NO_START, OPENING_HALF, RUN, is_full_width, is_half_width_sign,
    is_han, is_mark, is_unit,
};
use crate::content::style::{Hanging, Kinsoku, Punctuation, Runs, Style};

/// One em, and half of one, in the planner's unit (thousandths of an em).
pub const EM: u32 = 1000;
pub const HALF: u32 = 500;

/// Advance widths of the printable ASCII characters in the body face, in
/// thousandths of an em (Latin letters and word spaces are set in their
/// proportional forms; digits and number signs half-width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widths {
    ascii: [u16; 95],
}

impl Default for Widths {
    /// Every ASCII character half an em: the half-width forms. Used where no
    /// font is at hand (unit tests, placeholder copy, which has no Latin).
    fn default() -> Self {
        Widths { ascii: [HALF as u16; 95] }
    }
}

impl Widths {
    /// The default widths (every ASCII character half an em), for a
    /// measure that borrows them for the whole run.
    pub fn halves() -> &'static Widths {
        static HALVES: std::sync::OnceLock<Widths> = std::sync::OnceLock::new();
        HALVES.get_or_init(Widths::default)
    }

    /// From the face's advances (`None`: the face lacks it; half an em).
    pub fn from_advances(advance: impl Fn(char) -> Option<u16>) -> Self {
        let mut ascii = [HALF as u16; 95];
        for (i, w) in ascii.iter_mut().enumerate() {
            if let Some(a) = advance(char::from(b' ' + i as u8)) {
                *w = a;
            }
        }
        Widths { ascii }
    }

    /// The width a character of a run takes: digits and the signs of a
    /// number (. , % + - /) half an em (the face's half-width forms, `hwid`
    /// in the layouts), letters and spaces their own advance.
    pub fn run_char(&self, c: char) -> u32 {
        if is_half_width_sign(c) {
            HALF
        } else if (' '..='~').contains(&c) {
            u32::from(self.ascii[c as usize - 32])
        } else {
            EM
        }
    }
}

fn run_at_start() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(&format!("^(?:{RUN})")).expect("RUN is a valid pattern"))
}

/// One unit of a paragraph.
#[derive(Debug, Clone)]
pub struct Token {
    /// Offset of its first printed character in the paragraph.
    pub at: usize,
    /// Its width, and how much of it a squeeze takes (half an em for a mark
    /// whose ink fills half its cell, else 0).
    pub width: u32,
    pub squeeze: u32,
    pub first: char,
    pub last: char,
    /// A number glued to the unit after it (word joiner in the layouts).
    pub glued: bool,
    /// Not a mark: counts for a 孤字 and for a last line of marks only.
    pub solid: bool,
    /// A character of a Latin or digit run.
    pub run: bool,
}

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

/// Splits printed text into units: a character or mark an em, a run of
/// Latin or digits (`RUN`) by the house style (`runs`): proportional (digits
/// half an em, letters their advance) or whole cells (⌈n/2⌉ em). `None`
/// for text with anything else (a half-width sign outside a run, a run too
/// long to keep whole), whose widths the planner does not know.
pub fn tokens(p: &Printed, widths: &Widths, runs: Runs) -> Option<Vec<Token>> {
    let text = &p.text;
    let spaced = |j: usize| p.spaced.get(j).copied().unwrap_or(false);
    // The text as the layouts see it: spaces inside Latin runs kept.
    let mut s = String::new();
    let mut starts = Vec::with_capacity(text.len() + 1);
    for (i, &c) in text.iter().enumerate() {
        if spaced(i) {
            s.push(' ');
        }
        starts.push(s.len());
        s.push(c);
    }
    starts.push(s.len());
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        // A space is only ever inside a run.
        if spaced(i) {
            return None;
        }
        if let Some(m) = run_at_start().find(&s[starts[i]..]) {
            let end = starts[i] + m.end();
            let mut j = i + 1;
            while starts[j] < end {
                j += 1;
            }
            let run = &s[starts[i]..end];
            let n = run.chars().count();
            if n > LONGEST_RUN {
                return None;
            }
            let width = match runs {
                Runs::Cells => n.div_ceil(2) as u32 * EM,
                Runs::Proportional => run.chars().map(|c| widths.run_char(c)).sum(),
            };
            let unit = text.get(j).is_some_and(|&u| is_unit(u));
            // After a percent sign the number is complete (15%的).
            let glued = unit && text[j - 1] != '%';
            out.push(Token {
                at: i,
                width,
                squeeze: 0,
                first: c,
                last: text[j - 1],
                glued,
                solid: true,
                run: true,
            });
            i = j;
        } else if is_full_width(c) {
            let half = CLOSING_HALF.contains(c) || OPENING_HALF.contains(c);
            // Never a mark of a gap mark (〔原文缺失〕 prints whole).
            let tied = |j: usize| p.tied.get(j).copied().unwrap_or(false);
            let squeeze = if half && !tied(i) && !tied(i + 1) { HALF } else { 0 };
            out.push(Token {
                at: i,
                width: EM,
                squeeze,
                first: c,
                last: c,
                glued: false,
                solid: !is_mark(c),
                run: false,
            });
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

/// How a paragraph is broken.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Printed-character offsets where a line ends with a forced break
    /// (lines that end in a hanging mark are in `hangs` instead).
    pub breaks: Vec<usize>,
    /// Marks set hanging after a line's last cell: offset, and how many (1,
    /// or 2 closing marks set close together: ）、). Only where the house
    /// style hangs.
    pub hangs: Vec<(usize, usize)>,
    /// Offsets of the marks set half a cell wide (挤进).
    pub squeezes: Vec<usize>,
    /// Lines letter-spaced because no allowed move fills them, by the
    /// offset of their first character.
    pub loose: Vec<usize>,
    /// Lines (before the last) justified over half a cell or more of space:
    /// a character pushed out, or a run that left the line short.
    pub pushed: usize,
    /// The last line is still a 孤字 or marks only (nothing could mend it).
    pub runt: bool,
}

/// Where and how one paragraph is set.
#[derive(Debug, Clone, Copy)]
pub struct Measure<'a> {
    /// The column's measure in cells, and the first line's indent.
    pub cap: usize,
    pub indent: usize,
    pub style: Style,
    /// Whether a mark may hang here (the style allows it for this column).
    pub hang: bool,
    pub widths: &'a Widths,
}

impl<'a> Measure<'a> {
    /// The default house style, no hanging, half-width Latin: unit tests
    /// and placeholder copy.
    pub fn plain(cap: usize, indent: usize) -> Measure<'static> {
        Measure { cap, indent, style: Style::default(), hang: false, widths: Widths::halves() }
    }

    /// The measure a body column of the edition is set to, and the one
    /// place the build, the placeholder copy and `paiban plan` make it:
    /// the body face's Latin and digit widths (`Project.widths`), the
    /// edition's `[style]`, and a mark hangs only where the style lets it
    /// in this column (`may_hang`: whether its right side is clear).
    pub fn house(cap: usize, indent: usize, style: Style, clear_right: bool, widths: &'a Widths) -> Measure<'a> {
        Measure { cap, indent, style, hang: may_hang(&style, clear_right), widths }
    }
}

/// Whether a style lets a mark hang in a column with (or without) a rule or
/// text within a cell of its right edge.
pub fn may_hang(style: &Style, clear_right: bool) -> bool {
    match style.hanging {
        Hanging::Never => false,
        Hanging::UnruledGutters => clear_right,
        Hanging::Always => true,
    }
}

// What each move costs. Squeeze-first: squeezing a mark costs less than
// the justification a pushed character leaves; push-first the other way.
// A line whose characters stand more than LOOSE_GAP apart costs far more,
// a 孤字 or a last line of marks most.
const SQUEEZE_FIRST: u32 = 3;
const SQUEEZE_BESIDE_MARK: u32 = 2;
const SQUEEZE_PUSH_FIRST: u32 = 40;
const HANG: u32 = 1;
const LOOSE: u32 = 2_000;
const RUNT: u32 = 100_000;
/// Marks one line may squeeze: more would crowd it.
pub const MAX_SQUEEZES: usize = 4;
/// Extra space between two characters past which a justified line reads
/// letter-spaced (clreq; `check --typography` measures the same).
pub const LOOSE_GAP: u32 = 150;

/// Whether `slack` spread over `gaps` places letter-spaces a line. At
/// exactly `LOOSE_GAP` a gap it counts as loose: a Latin run's advances
/// are rounded up here, so Typst may spread a hair more than planned.
fn is_loose(slack: u32, gaps: u32) -> bool {
    slack >= LOOSE_GAP * gaps.max(1) && slack > 0
}

/// What justifying `slack` over a line with `gaps` places to put it costs,
/// `loose` when it prints letter-spaced (`prints_loose`).
fn slack_cost(slack: u32, gaps: u32, loose: bool) -> u32 {
    let s = slack as u64;
    let base = (s * s / 40_000) as u32;
    if loose { base + LOOSE + slack / gaps.max(1) } else { base }
}

/// Whether a line justified over `slack` reads letter-spaced: spread past
/// `LOOSE_GAP` over its `gaps` places (`spreads`) where one of them lies
/// between two full-width glyphs (`pair`: what the check measures), or
/// set short with nowhere to spread (ragged). A line whose spread falls
/// only before Latin or digit runs (会GDP户: the slack goes after 会) is
/// not, up to `RUN_SPACE` a gap: as wide as the space clreq puts between
/// Han and Latin; a wider hole there is as plain to a reader, though no
/// two full-width glyphs stand apart.
pub(crate) fn prints_loose(slack: u32, gaps: u32, pair: bool) -> bool {
    is_loose(slack, gaps) && (pair || gaps == 0 || slack > RUN_SPACE * gaps)
}

/// The most justification may open a gap before a Latin or digit run
/// without the line reading letter-spaced: a quarter em (clreq's space
/// between Han and Latin).
pub const RUN_SPACE: u32 = 250;

/// A unit the check reads as a full-width glyph: a Han character, a sign
/// set as one, a mark in a cell (not a dash, ellipsis or middle dot,
/// centred in boxes of their own, and not a run).
pub(crate) fn prints_full_width(t: &Token) -> bool {
    !t.run && crate::clreq::is_full_width_glyph(t.first.encode_utf8(&mut [0; 4]))
}

/// Whether Typst's justification puts space after this unit: a Han
/// character or an ideographic space (Typst spreads a line after each
/// glyph of Han script and each space, never inside a box: not after a
/// mark, a Latin or digit run, or a sign set as a character, ℃ ‰ ①).
pub(crate) fn spreads(t: &Token) -> bool {
    !t.run && (is_han(t.first) || matches!(t.first, '\u{3000}' | '〇' | '々'))
}

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
    /// Units this line sets half a cell wide.
    squeezed: Vec<usize>,
    loose: bool,
    /// Space justification spreads over the line.
    slack: u32,
    runt: bool,
}

/// Breaks a paragraph of printed text. No break, hang or squeeze cuts
/// between tied characters. `None` when the text has units whose widths
/// the planner does not know, or a unit wider than the column: Typst breaks
/// those.
pub fn plan(p: &Printed, m: &Measure) -> Option<Plan> {
    plan_with(p, m, Relax::default())
}

/// A rule the planner may be told to drop, to learn which rule forced a
/// loose line (`why_loose`); pages are never set with one dropped.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Relax {
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
    /// No set of breaks fills every line (a long run, a dash, or the rules
    /// together).
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

/// The rule that forces the loose lines of `planned` (the paragraph's
/// plan): the first whose drop would leave fewer of them. `None` when it
/// has none.
pub fn why_loose(p: &Printed, m: &Measure, planned: &Plan) -> Option<Forced> {
    let base = planned.loose.len();
    if base == 0 {
        return None;
    }
    let tries = [
        (Forced::Runt, Relax { runt: true, ..Relax::default() }),
        (Forced::Unit, Relax { unit: true, ..Relax::default() }),
        (Forced::Opening, Relax { opening: true, ..Relax::default() }),
    ];
    let fewer = |relax| plan_with(p, m, relax).is_some_and(|p| p.loose.len() < base);
    Some(tries.into_iter().find(|&(_, relax)| fewer(relax)).map_or(Forced::Breaks, |(why, _)| why))
}

/// The `k` marks of a line to squeeze, from its squeezable marks: those
/// beside another mark first (clreq's adjacent-mark compression), then
/// closing marks, then opening ones, each from the line's end back.
fn pick(tokens: &[Token], marks: &[usize], k: usize) -> Vec<usize> {
    let beside = |t: usize| marks.contains(&(t + 1)) || (t > 0 && marks.contains(&(t - 1)));
    let rank = |t: usize| {
        if beside(t) {
            0
        } else if CLOSING_HALF.contains(tokens[t].first) {
            1
        } else {
            2
        }
    };
    let mut order: Vec<usize> = marks.to_vec();
    order.sort_by_key(|&t| (rank(t), std::cmp::Reverse(t)));
    let mut chosen: Vec<usize> = order.into_iter().take(k).collect();
    chosen.sort_unstable();
    chosen
}

/// Whether unit `t` is tied to the one before it (inside a gap mark).
pub(crate) fn tied_at(tokens: &[Token], tied: &[bool], t: usize) -> bool {
    tied.get(tokens[t].at).copied().unwrap_or(false)
}

/// Whether a mark of the line may be squeezed (挤进): one whose ink fills
/// half its cell, not inside a gap mark.
pub(crate) fn squeezable(tokens: &[Token], tied: &[bool], t: usize) -> bool {
    tokens[t].squeeze > 0 && !tied_at(tokens, tied, t)
}

/// May a line end before unit `t` (0 < t)? Not before a no-start mark,
/// after a no-end mark, between a number and its unit, inside —— or ……,
/// or inside a gap mark (unless `relax` drops one of those rules).
pub(crate) fn may_break(tokens: &[Token], tied: &[bool], t: usize, relax: Relax) -> bool {
    let (a, b) = (&tokens[t - 1], &tokens[t]);
    let dash = a.last == b.first && matches!(b.first, '—' | '…');
    let opening = NO_END.contains(a.last) && !relax.opening;
    let unit = a.glued && !relax.unit;
    !(NO_START.contains(b.first) || opening || unit || dash || tied_at(tokens, tied, t))
}

/// The cells a paragraph's line starting at unit `s` has, in the planner's
/// unit: the measure, less the indent on the first line. `None` when the
/// indent fills the measure.
pub(crate) fn room(m: &Measure, s: usize) -> Option<u32> {
    Some((if s == 0 { m.cap.checked_sub(m.indent)? } else { m.cap }) as u32 * EM)
}

fn plan_with(p: &Printed, m: &Measure, relax: Relax) -> Option<Plan> {
    let tokens = tokens(p, m.widths, m.style.runs)?;
    let tied = &p.tied;
    let n = tokens.len();
    if n == 0 {
        return Some(Plan::default());
    }
    let squeeze_cost = match m.style.kinsoku {
        Kinsoku::SqueezeFirst => SQUEEZE_FIRST,
        Kinsoku::PushFirst => SQUEEZE_PUSH_FIRST,
    };
    let fixed = |t: usize| tied_at(&tokens, tied, t);
    let breakable = |t: usize| may_break(&tokens, tied, t, relax);
    let hangable = |t: usize| {
        m.hang && !tokens[t].run && NO_START.contains(tokens[t].first) && !fixed(t) && tokens[t].first != '·'
    };
    // Units that are not marks, from `t` to the end: one is a 孤字, none a
    // last line of marks only.
    let mut solid = vec![0usize; n + 1];
    for t in (0..n).rev() {
        solid[t] = solid[t + 1] + usize::from(tokens[t].solid);
    }
    let half_at_end = m.style.punctuation == Punctuation::HalfAtLineEnd;

    // best[s]: the cheapest way to set units s.. with a line starting at s.
    let mut best: Vec<Option<(u32, Line)>> = vec![None; n + 1];
    best[n] = Some((0, Line { end: End::Last, squeezed: vec![], loose: false, slack: 0, runt: false }));
    for s in (0..n).rev() {
        let room = room(m, s)?;
        let mut width = 0u32;
        let mut marks: Vec<usize> = Vec::new();
        // Places where justification spreads a line: after each of its
        // Chinese characters but the last (`spreads`).
        let mut han = 0u32;
        // Whether one of them lies before a full-width glyph.
        let mut pair = false;
        let mut choice: Option<(u32, Line)> = None;
        let mut consider = |cost: u32, line: Line| {
            // On a tie the longer line wins: lines fill as first fit would.
            if choice.as_ref().is_none_or(|(c, _)| cost <= *c) {
                choice = Some((cost, line));
            }
        };
        for e in s + 1..=n {
            let t = e - 1;
            width += tokens[t].width;
            han += u32::from(spreads(&tokens[t]));
            pair |= t > s && spreads(&tokens[t - 1]) && prints_full_width(&tokens[t]);
            if squeezable(&tokens, tied, t) {
                marks.push(t);
            }
            let most = marks.len().min(MAX_SQUEEZES) as u32 * HALF;
            if width > room + most + EM {
                break;
            }
            // Fits the line in `room` by squeezing: the marks squeezed and
            // what is left to justify. `end_half`: the line's last mark is
            // set half wide by the house style, free.
            let fit = |end_half: bool| -> Option<(Vec<usize>, u32, u32)> {
                let (w, own): (u32, &[usize]) =
                    if end_half { (width - HALF, &marks[..marks.len() - 1]) } else { (width, &marks[..]) };
                let mut squeezed = Vec::new();
                let mut cost = 0;
                let mut w = w;
                if w > room {
                    let k = (w - room).div_ceil(HALF) as usize;
                    if k > own.len().min(MAX_SQUEEZES) {
                        return None;
                    }
                    squeezed = pick(&tokens, own, k);
                    for &q in &squeezed {
                        let beside = own.contains(&(q + 1)) || (q > 0 && own.contains(&(q - 1)));
                        cost += if beside { squeeze_cost.min(SQUEEZE_BESIDE_MARK) } else { squeeze_cost };
                    }
                    w -= k as u32 * HALF;
                }
                if end_half {
                    squeezed.push(t);
                }
                Some((squeezed, cost, room - w))
            };
            let gaps = han.saturating_sub(u32::from(spreads(&tokens[t])));
            if e == n {
                // The last line is not justified: only squeezes to fit.
                let runt = s > 0 && solid[s] <= 1 && !relax.runt;
                if let Some((squeezed, cost, _)) = fit(false) {
                    let cost = cost + if runt { RUNT } else { 0 };
                    consider(cost, Line { end: End::Last, squeezed, loose: false, slack: 0, runt });
                }
                continue;
            }
            if breakable(e)
                && let Some((rest, _)) = &best[e]
            {
                let end_half = half_at_end
                    && tokens[t].squeeze > 0
                    && CLOSING_HALF.contains(tokens[t].first)
                    && marks.last() == Some(&t);
                if let Some((squeezed, cost, slack)) = fit(end_half) {
                    let loose = prints_loose(slack, gaps, pair);
                    consider(
                        rest + cost + slack_cost(slack, gaps, loose),
                        Line { end: End::Break(e), squeezed, loose, slack, runt: false },
                    );
                }
            }
            // The next unit is a mark that may not start a line: hang it
            // (the style allowing), or two closing marks together (）、),
            // unless yet another no-start mark follows.
            if hangable(e) {
                let two = e + 1 < n && NO_START.contains(tokens[e + 1].first);
                let k = if two { 2 } else { 1 };
                let fits = !two
                    || (hangable(e + 1)
                        && CLOSING_HALF.contains(tokens[e + 1].first)
                        && CLOSING_HALF.contains(tokens[e].first));
                if fits
                    && (e + k == n || !NO_START.contains(tokens[e + k].first))
                    && let Some((rest, _)) = &best[e + k]
                    && let Some((squeezed, cost, slack)) = fit(false)
                {
                    let loose = prints_loose(slack, gaps, pair);
                    consider(
                        rest + HANG + cost + slack_cost(slack, gaps, loose),
                        Line { end: End::Hang(e, k), squeezed, loose, slack, runt: false },
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
        plan.squeezes.extend(line.squeezed.iter().map(|&t| tokens[t].at));
        if line.loose {
            plan.loose.push(tokens[s].at);
        }
        plan.pushed += usize::from(line.slack >= HALF);
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

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn p(s: &str) -> Option<Plan> {
        plan(&Printed::plain(&chars(s)), &Measure::plain(13, 2))
    }

    fn with(s: &str, style: Style, hang: bool) -> Plan {
        let m = Measure { style, hang, ..Measure::plain(13, 2) };
        plan(&Printed::plain(&chars(s)), &m).unwrap()
    }

    #[test]
    fn full_lines_break_at_the_measure() {
        // Indent 2 + 11, then 13, then 2.
        let plan = p("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳").unwrap();
        assert_eq!(plan.breaks, vec![11, 24]);
        assert!(plan.hangs.is_empty() && plan.squeezes.is_empty() && plan.loose.is_empty());
    }

    #[test]
    fn a_mark_that_would_start_a_line_is_never_hung_by_default() {
        // Indent 2 + 10 + 乙 = 13; 。 may not start the next line, and the
        // line has no other mark to squeeze: 乙 is pushed down with its 。.
        let s = "一二三四五六七八九十乙。甲乙丙丁戊己庚辛壬癸子丑寅";
        let plan = p(s).unwrap();
        assert!(plan.hangs.is_empty(), "{plan:?}");
        assert_eq!(plan.breaks.first(), Some(&10), "{plan:?}");
        assert!(plan.loose.is_empty(), "one cell over nine gaps is not letter-spacing: {plan:?}");
        // A house that hangs sets it after the last cell instead.
        let style = Style { hanging: Hanging::Always, ..Style::default() };
        let hung = with(s, style, true);
        assert_eq!((hung.hangs.clone(), hung.breaks.clone()), (vec![(11, 1)], vec![]));
        // …but only where the column lets it.
        assert!(with(s, style, false).hangs.is_empty());
    }

    #[test]
    fn squeeze_first_takes_the_mark_in_by_squeezing_marks_in_the_line() {
        // 2 + 一二、三四、五六七八 + 乙 = 13, then 。: squeezing 、 and 、
        // frees a cell, so 乙。 both stay on the first line.
        let s = "一二、三四、五六七八乙。甲乙丙丁戊";
        let plan = p(s).unwrap();
        assert_eq!(plan.squeezes.len(), 2, "{plan:?}");
        assert_eq!(plan.breaks.first(), Some(&12), "{plan:?}");
        // Push-first pushes 乙 instead and squeezes nothing.
        let pushed = with(s, Style { kinsoku: Kinsoku::PushFirst, ..Style::default() }, false);
        assert!(pushed.squeezes.is_empty(), "{pushed:?}");
        assert_eq!(pushed.breaks.first(), Some(&10), "{pushed:?}");
    }

    #[test]
    fn marks_beside_each_other_squeeze_first() {
        // 2 + 一…九 + 乙 = 12 cells, then ”。: pushing 乙 would leave the
        // line two cells short (letter-spaced); ”。 share a cell instead.
        let s = "一二三四五六七八九乙”。甲乙丙丁戊";
        let plan = p(s).unwrap();
        assert_eq!(plan.squeezes, vec![10, 11], "{plan:?}");
        assert_eq!(plan.breaks.first(), Some(&12));
    }

    #[test]
    fn numbers_with_separators_never_split() {
        let text = chars("今年全年开展劳动竞赛约4,000吨增长3.5%以上的产量再创新高");
        let t = tokens(&Printed::plain(&text), &Widths::default(), Runs::Proportional).unwrap();
        let runs: Vec<_> = t.iter().filter(|t| t.run).map(|t| (t.at, t.width, t.glued)).collect();
        // 4,000 (2.5 em, glued to 吨) and 3.5% (2 em, complete after %).
        assert_eq!(runs, vec![(11, 2500, true), (19, 2000, false)]);
        for cap in 7..=20 {
            for shift in 0..cap {
                let mut s = chars(&"甲".repeat(shift));
                s.extend(&text);
                let plan = plan(&Printed::plain(&s), &Measure::plain(cap, 2)).unwrap();
                let at = |c: usize| shift + c;
                for b in &plan.breaks {
                    assert!(
                        ![at(12), at(13), at(14), at(15), at(16), at(20), at(21), at(22)].contains(b),
                        "cap {cap} shift {shift}: {plan:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_last_line_of_marks_only_is_avoided() {
        // Indent 2 + 11, then 11 + …… would leave …… alone on a third line
        // if the second took 13 characters.
        let s = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯……";
        let plan = p(s).unwrap();
        assert!(!plan.runt);
        let last = *plan.breaks.last().unwrap();
        assert!(chars(s)[last..].iter().any(|c| !is_mark(*c)), "{plan:?}");
    }

    #[test]
    fn a_lone_last_character_is_mended() {
        let plan = p("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰").unwrap();
        assert!(!plan.runt);
        assert_eq!(plan.breaks, vec![11, 23]);
        assert!(plan.loose.is_empty());
    }

    #[test]
    fn a_loose_line_names_the_rule_that_forced_it() {
        let why = |s: &str, cap: usize| {
            let p = Printed::plain(&chars(s));
            let m = Measure::plain(cap, 2);
            why_loose(&p, &m, &plan(&p, &m).unwrap())
        };
        // At 7 cells a 4-cell number kept with its unit leaves its line
        // three cells short.
        assert_eq!(why("一二三四五甲乙丙20180101年丁戊己庚", 7), Some(Forced::Unit));
        assert_eq!(why("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯", 13), None);
    }

    #[test]
    fn half_width_at_line_end_style() {
        // 2 + 一…十 + ， = 13: the line ends on ， set half (12.5 cells,
        // justified); 全身, the ， takes its whole cell.
        let s = "一二三四五六七八九十，甲乙丙丁戊己庚辛壬癸子丑寅卯辰";
        let style = Style { punctuation: Punctuation::HalfAtLineEnd, ..Style::default() };
        let plan = with(s, style, false);
        assert_eq!(plan.breaks.first(), Some(&11), "{plan:?}");
        assert_eq!(plan.squeezes, vec![10], "{plan:?}");
        assert!(p(s).unwrap().squeezes.is_empty());
    }

    #[test]
    fn runs_in_cells_or_proportional() {
        let text = chars("使用WiFi上网");
        let mut pr = Printed::plain(&text);
        pr.spaced[4] = true; // Wi Fi
        let w = Widths::from_advances(|c| Some(if c == ' ' { 256 } else { 600 }));
        let cells = tokens(&pr, &w, Runs::Cells).unwrap();
        assert_eq!(cells[2].width, 3 * EM);
        let prop = tokens(&pr, &w, Runs::Proportional).unwrap();
        assert_eq!(prop[2].width, 4 * 600 + 256);
        // A half-width sign outside a run is not measured.
        assert!(tokens(&Printed::plain(&chars("互联网*职工")), &w, Runs::Proportional).is_none());
    }

    #[test]
    fn gap_marks_are_never_cut() {
        let s = "一二三四五六七八九〔原文缺失〕甲乙丙丁戊己庚辛壬癸";
        let text = chars(s);
        let mut tied = vec![false; text.len()];
        for t in tied.iter_mut().take(15).skip(10) {
            *t = true;
        }
        let plan = plan(&Printed { tied, ..Printed::plain(&text) }, &Measure::plain(13, 2)).unwrap();
        assert!(plan.breaks.iter().all(|&b| !(10..15).contains(&b)), "{plan:?}");
        assert!(plan.squeezes.iter().all(|&b| !(10..15).contains(&b)), "{plan:?}");
    }
}
