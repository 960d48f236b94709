//! Typography measured on the laid-out page: every body line's baseline
//! against the page's baseline grid, every full-width glyph against the
//! character cells of its column, justified lines against the measure
//! (ragged: on the cells but short; loose: letter-spaced), line-start and
//! line-end rules (clreq, GB/T 15834 §5.1.10), numbers (4,000 and 3.5
//! too) and dashes split at a line end, one-character last lines (孤字),
//! last lines of marks only (……, ”。), a 小标题 on a column's last line
//! (背题), straight quotes printed, and glyphs touching a rule
//! (`near_rule`); in heads (主题, 引题, 副题, person lines, bylines, 小标题,
//! captions) a line broken inside a word, and a line of one character. A
//! line off the cells that the line plan had to set short names the rule
//! that forced it.
//!
//! Every rule has a name ([`Rule`]): the summary line, the JSON `counts`
//! and `build`'s warnings use it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::clreq::{NO_END, NO_START, is_full_width_glyph, is_half_mark, is_han};
use crate::content::model::Issue;
use crate::layout::heads::{HeadText, head_texts};
use crate::layout::rounds::Laid;
use crate::plan::chain;
use crate::plan::grid::Grid;

const EPS: f64 = 0.05;

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    pub issue: String,
    /// 1-based page of the issue (an issue is one page today).
    pub page: usize,
    pub article: String,
    /// 1-based column within the block and line within the column.
    pub column: u32,
    pub line: u32,
    pub rule: Rule,
    pub text: String,
    /// For a loose line the line plan had to letter-space: the rule that
    /// forced it (only a copy edit would mend it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced: Option<&'static str>,
    /// What on the line broke the rule, where the text alone does not say
    /// (`near-rule`: which glyph, how far from the rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The line's box on the page: x, y, w, h in mm from the top left (the
    /// column's measure by one cell), for proofs to mark it.
    pub line_mm: [f64; 4],
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TypoReport {
    pub lines: usize,
    pub lines_on_baseline_grid: usize,
    /// Lines with at least one full-width glyph, and those whose full-width
    /// glyphs all start a whole number of cells from the column's edge.
    pub cjk_lines: usize,
    pub lines_cell_exact: usize,
    /// Lines followed by more of their paragraph in the same column (so
    /// justified), and those that end flush at the measure: the last glyph
    /// in the last cell, no mark past it.
    pub full_lines: usize,
    pub full_lines_at_measure: usize,
    /// Justified lines with a mark hanging past the measure (行末悬挂: only
    /// where the house style hangs).
    pub hung_lines: usize,
    /// Loose lines the line plan had to letter-space because the copy and
    /// the rules left no other way (each names its rule).
    pub forced: usize,
    /// 小标题 checked for 背题 (found by their markers).
    pub subheads: usize,
    pub violations: Vec<Violation>,
}

impl TypoReport {
    pub fn on_grid_ratio(&self) -> f64 {
        self.lines_on_baseline_grid as f64 / self.lines.max(1) as f64
    }
    pub fn cell_ratio(&self) -> f64 {
        self.lines_cell_exact as f64 / self.cjk_lines.max(1) as f64
    }
    pub fn count(&self, rule: Rule) -> usize {
        self.violations.iter().filter(|v| v.rule == rule).count()
    }
}

/// Extra space between two adjacent full-width glyphs of a line (in ems of
/// the body) past which the line reads letter-spaced: a justified line two
/// cells short spreads 0.2 em a gap, one a cell short 0.09 em.
const LOOSE: f64 = 0.15;

/// A typography rule a line can break, in the summary's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A line that starts with a no-start mark (clreq, GB/T 15834).
    LineStart,
    /// A line that ends with a no-end mark.
    LineEnd,
    /// A one-character last line (孤字).
    Runt,
    /// A paragraph's last line of marks only (……, ——, ”。).
    MarkOnlyLastLine,
    /// A number parted from its digits, separator, decimal point or unit at a line end.
    NumberSplit,
    /// A dash or an ellipsis split at a line end.
    DashSplit,
    /// A justified line short of the measure.
    Ragged,
    /// A line letter-spaced: two adjacent full-width glyphs more than 0.15 em further apart than an em.
    Loose,
    /// A glyph whose ink comes within 0.3 pt of a rule.
    NearRule,
    /// An ASCII straight quote printed.
    StraightQuote,
    /// A 小标题 on a column's last line (背题).
    SubheadAtFoot,
    /// A head line that ends inside a word (书/记, a name parted).
    HeadWordSplit,
    /// A head line that holds a single character.
    HeadRunt,
    /// A full-width glyph off its column's character cells (counted, no longer reported).
    OffCell,
}

impl Rule {
    /// Every rule the check names, in the summary's order.
    pub const ALL: [Rule; 14] = [
        Self::LineStart,
        Self::LineEnd,
        Self::Runt,
        Self::MarkOnlyLastLine,
        Self::NumberSplit,
        Self::DashSplit,
        Self::Ragged,
        Self::Loose,
        Self::NearRule,
        Self::StraightQuote,
        Self::SubheadAtFoot,
        Self::HeadWordSplit,
        Self::HeadRunt,
        Self::OffCell,
    ];

    /// The rule's name in reports and JSON (`line-start`, `near-rule` …).
    pub fn name(self) -> &'static str {
        match self {
            Self::LineStart => "line-start",
            Self::LineEnd => "line-end",
            Self::Runt => "runt",
            Self::MarkOnlyLastLine => "mark-only-last-line",
            Self::NumberSplit => "number-split",
            Self::DashSplit => "dash-split",
            Self::Ragged => "ragged",
            Self::Loose => "loose",
            Self::NearRule => "near-rule",
            Self::StraightQuote => "straight-quote",
            Self::SubheadAtFoot => "subhead-at-foot",
            Self::HeadWordSplit => "head-word-split",
            Self::HeadRunt => "head-runt",
            Self::OffCell => "off-cell",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A mark, for `mark-only-last-line`: neither a letter, a digit, a Han
/// character nor a sign set as one (℃ ①).
fn is_mark(c: char) -> bool {
    !c.is_alphanumeric() && !crate::clreq::is_cell_symbol(c)
}

/// Whether printed text holds a straight quote (an apostrophe inside a
/// Latin word is not one).
fn has_straight_quote(text: &[char]) -> bool {
    text.iter().enumerate().any(|(i, &c)| {
        (c == '"' || c == '\'')
            && !crate::content::quotes::is_apostrophe(
                i.checked_sub(1).map(|j| text[j]),
                c,
                text.get(i + 1).copied(),
            )
    })
}

/// The glyphs of `near` that match `pick`, marked as placed; as a
/// violation's detail (`。 0.12 pt from a rule`).
fn take_near(
    near: &[crate::check::near_rule::NearGlyph],
    used: &mut [bool],
    pick: impl Fn(&crate::check::near_rule::NearGlyph) -> bool,
) -> Option<String> {
    let mut found = Vec::new();
    for (g, u) in near.iter().zip(used.iter_mut()) {
        if !*u && pick(g) {
            *u = true;
            found.push(format!("{} {:.2} pt from a rule", g.text, g.distance));
        }
    }
    (!found.is_empty()).then(|| found.join(", "))
}

/// Whether every full-width glyph of a line starts on a cell boundary
/// (offsets in cells from the column's edge). The one exception is a pair
/// of marks set in one cell: the mark that starts half-way sits beside a
/// mark half a cell from it.
fn on_cells(offsets: &[(f64, &str)], tolerance: f64) -> bool {
    let near = |x: f64| (x - x.round()).abs() < tolerance;
    offsets.iter().enumerate().all(|(i, &(o, s))| {
        near(o)
            || (is_half_mark(s)
                && near(o + 0.5)
                && [i.wrapping_sub(1), i + 1]
                    .iter()
                    .filter_map(|&k| offsets.get(k))
                    .any(|&(p, t)| is_half_mark(t) && ((p - o).abs() - 0.5).abs() < tolerance))
    })
}

pub fn check(laid: &Laid, report: &mut TypoReport) {
    let issue = &laid.issue;
    let grid: &Grid = &laid.grid;
    let scan = &laid.scans[0];
    let ascent = grid.ascent_em * grid.cell;
    let heads = head_texts(laid);
    // Glyphs touching a rule, told to the line that holds them below.
    let near = crate::check::near_rule::glyphs(laid.ink(0));
    let mut near_used = vec![false; near.len()];
    for part in chain::parts(issue) {
        let p = part.place;
        let rect = grid.rect(p);
        let Some(start) = scan.start(&part.key) else { continue };
        let columns = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
        // Body-size lines only: subheads and the end byline are not body lines.
        let lines = scan.body_lines(&rect, start.y, rect.bottom(), step, Some(grid.cell), grid.overhang());
        // The 编者按 box sets its text a cell in from its rules.
        let boxed = issue
            .article(&p.article)
            .is_some_and(|a| a.meta.kind == crate::content::model::ArticleKind::EditorsNote);
        let inset = if boxed { grid.note_inset_chars as f64 * grid.cell } else { 0.0 };
        let measure = grid.body_measure(p, boxed).unwrap_or(0) as f64 * grid.cell;
        // Where column `c`'s text starts (inside the box's inset).
        let column_left =
            |c: u32| rect.x + inset + c as f64 * (measure + grid.cell * grid.gutter_chars as f64);
        let mut in_col = BTreeMap::<u32, u32>::new();
        let keys: Vec<_> = lines.keys().copied().collect();
        for (i, key) in keys.iter().enumerate() {
            let line = &lines[key];
            let mut glyphs = line.glyphs.clone();
            glyphs.retain(|g| !g.2.trim().is_empty());
            if glyphs.is_empty() {
                continue;
            }
            let n = in_col.entry(key.0).or_insert(0);
            *n += 1;
            let text: String = glyphs.iter().map(|g| g.2.as_str()).collect();
            let left = column_left(key.0);
            let line_mm = [left, line.baseline - ascent, measure, grid.cell].map(crate::plan::grid::mm);
            let violation = |rule: Rule| Violation {
                issue: issue.file.id.clone(),
                // An issue is one page (`lay_out` refuses more).
                page: 1,
                article: p.article.clone(),
                column: key.0 + 1,
                line: *n,
                rule,
                text: text.clone(),
                forced: None,
                detail: None,
                line_mm,
            };
            report.lines += 1;
            let phase = (line.baseline - ascent - grid.top) / grid.pitch;
            if (phase - phase.round()).abs() * grid.pitch < EPS {
                report.lines_on_baseline_grid += 1;
            }
            let full: Vec<_> = glyphs.iter().filter(|g| is_full_width_glyph(&g.2)).collect();
            if !full.is_empty() {
                report.cjk_lines += 1;
                // Marks hanging past the measure are outside the cells by
                // design (the first one starts on the cell after the last).
                let offsets: Vec<(f64, &str)> = full
                    .iter()
                    .filter(|g| g.0 < left + measure + EPS)
                    .map(|g| ((g.0 - line.x0) / grid.cell, g.2.as_str()))
                    .collect();
                let exact = on_cells(&offsets, EPS / grid.cell);
                // A justified line: its last glyph (not a hanging mark) sits
                // in the column's last cell.
                let more = keys.get(i + 1).filter(|k| k.0 == key.0).map(|k| &lines[k]);
                if more.is_some_and(|l| !grid.indented(l.start() - left)) {
                    report.full_lines += 1;
                    let right = left + measure;
                    // Flush: the last glyph starts in the measure's last cell
                    // (a mark squeezed at the line's end half a cell in), and
                    // nothing starts past the measure (a hanging mark).
                    let hung = glyphs.iter().any(|g| g.0 >= right - EPS);
                    // Where the last glyph's last cell starts: a glyph of
                    // several full-width characters (the Song face's ——,
                    // shaped as one) fills a cell each.
                    let last = glyphs.iter().rev().find(|g| g.0 < right - EPS).map_or(line.x0, |g| {
                        let wide = g.2.chars().all(crate::clreq::is_full_width);
                        let cells = if wide { g.2.chars().count().max(1) } else { 1 };
                        g.0 + (cells - 1) as f64 * grid.cell
                    });
                    report.hung_lines += usize::from(hung);
                    if last >= right - grid.cell - EPS && !hung {
                        report.full_lines_at_measure += 1;
                    } else if last < right - grid.cell - EPS {
                        // Short of the measure: not justified. A line the
                        // plan had to set short with nothing Typst can
                        // spread it over (a Latin run and one character)
                        // names the rule that forced it.
                        let forced = forced_by(laid, &p.article, &text);
                        report.forced += usize::from(forced.is_some());
                        report.violations.push(Violation { forced, ..violation(Rule::Ragged) });
                    }
                }
                // Off the cells is no defect (a squeezed mark, a Latin word,
                // a justified line): counted, not reported.
                if exact {
                    report.lines_cell_exact += 1;
                }
            }
            // Letter-spaced: two full-width glyphs side by side more than
            // 0.15 em further apart than an em, i.e. a justified line two or
            // more cells short. (Spaces count as neighbours: 编者按　新 is
            // not letter-spacing.)
            let spread = line
                .glyphs
                .windows(2)
                .filter(|w| is_full_width_glyph(&w[0].2) && is_full_width_glyph(&w[1].2))
                .map(|w| (w[1].0 - w[0].0) / grid.cell - 1.0)
                .fold(0.0, f64::max);
            if spread > LOOSE {
                // A line the plan had to letter-space names the rule that
                // forced it: only a copy edit would mend it.
                let forced = forced_by(laid, &p.article, &text);
                report.forced += usize::from(forced.is_some());
                report.violations.push(Violation { forced, ..violation(Rule::Loose) });
            }
            // Straight quotes printed as typed (the ones the loader could
            // not pair, or copy that never went through it).
            let typed: Vec<char> = line.glyphs.iter().flat_map(|g| g.2.chars()).collect();
            if has_straight_quote(&typed) {
                report.violations.push(violation(Rule::StraightQuote));
            }
            // Glyphs of this line touching a rule.
            let step_here = step;
            if let Some(detail) = take_near(&near, &mut near_used, |g| {
                g.owner.is_block(&part.key)
                    && (g.baseline - line.baseline).abs() < 0.5
                    && g.bbox.0 >= line.x0 - 0.5
                    && g.bbox.0 < line.x0 + step_here
            }) {
                report.violations.push(Violation { detail: Some(detail), ..violation(Rule::NearRule) });
            }
            let first = text.chars().next().unwrap();
            let last = text.chars().last().unwrap();
            if NO_START.contains(first) {
                report.violations.push(violation(Rule::LineStart));
            }
            if NO_END.contains(last) {
                report.violations.push(violation(Rule::LineEnd));
            }
            // A paragraph's last line: the next line in this column starts a
            // paragraph (indented by two cells) or there is none.
            let next = keys.get(i + 1).filter(|k| k.0 == key.0).map(|k| &lines[k]);
            let ends_paragraph = next.is_none_or(|l| grid.indented(l.start() - l.x0));
            // The line that goes on with this one's text, in this column or
            // at the top of the next.
            let following = keys.get(i + 1).map(|k| &lines[k]).filter(|l| !grid.indented(l.start() - l.x0));
            if !ends_paragraph || next.is_none() {
                let mut starts = following.into_iter().flat_map(|l| l.chars());
                let (first_next, second_next) = (starts.next(), starts.next());
                let before_last = text.chars().rev().nth(1);
                if let Some(c) = first_next {
                    if splits_number(before_last, last, c, second_next) {
                        report.violations.push(violation(Rule::NumberSplit));
                    }
                    if (last == '—' && c == '—') || (last == '…' && c == '…') {
                        report.violations.push(violation(Rule::DashSplit));
                    }
                }
            }
            let solid = text.chars().filter(|c| !NO_START.contains(*c)).count();
            if ends_paragraph && solid == 1 && next.is_some() {
                report.violations.push(violation(Rule::Runt));
            }
            // A paragraph's last line of marks alone (……, ——, ”。): nothing
            // goes on with it here or at the next column's top.
            if following.is_none() && text.chars().all(is_mark) {
                report.violations.push(violation(Rule::MarkOnlyLastLine));
            }
        }
        // 背题: a 小标题 as the last line of its column, its text in the
        // next. A 小标题 is found by its markers (an `xbt` head), not by its
        // size, which the layouts own (`house.subhead-size`).
        for h in heads.iter().filter(|h| h.key == part.key && h.role.starts_with("xbt")) {
            report.subheads += 1;
            for l in h.lines.iter().filter(|l| {
                l.x >= rect.x - 0.5
                    && l.x < rect.right()
                    && l.baseline > start.y
                    && l.baseline <= rect.bottom() + 0.5
            }) {
                let col = ((l.x - rect.x + 0.5) / step).floor().max(0.0) as u32;
                let in_col = || lines.range((col, i64::MIN)..(col + 1, i64::MIN));
                let above = in_col().filter(|(_, b)| b.baseline < l.baseline).count();
                if in_col().all(|(_, b)| b.baseline < l.baseline) {
                    report.violations.push(Violation {
                        issue: issue.file.id.clone(),
                        page: 1,
                        article: p.article.clone(),
                        column: col + 1,
                        line: above as u32 + 1,
                        rule: Rule::SubheadAtFoot,
                        text: l.text.clone(),
                        forced: None,
                        detail: None,
                        line_mm: [column_left(col), l.baseline - ascent, measure, grid.cell]
                            .map(crate::plan::grid::mm),
                    });
                }
            }
        }
    }
    check_heads(issue, laid, &heads, report, &near, &mut near_used);
    // Glyphs touching a rule outside body and head lines (the end byline,
    // the page header): told by block and grid line.
    let parts = chain::parts(issue);
    for (g, _) in near.iter().zip(&near_used).filter(|(_, u)| !**u) {
        let (article, column, line) = match &g.owner {
            crate::typeset::ink::Owner::Block(key) | crate::typeset::ink::Owner::Rule(key) => {
                match parts.iter().find(|p| &p.key == key) {
                    Some(p) => {
                        let rect = grid.rect(p.place);
                        let step = grid.cell * (grid.column_chars + grid.gutter_chars) as f64;
                        let column = ((g.bbox.0 - rect.x) / step).floor().max(0.0) as u32 + 1;
                        let line = ((g.baseline - rect.y) / grid.pitch).ceil().max(1.0) as u32;
                        (p.place.article.clone(), column, line)
                    }
                    None => (key.to_string(), 1, 1),
                }
            }
            _ => ("(page header)".to_string(), 1, 1),
        };
        report.violations.push(Violation {
            issue: issue.file.id.clone(),
            page: 1,
            article,
            column,
            line,
            rule: Rule::NearRule,
            text: g.text.clone(),
            forced: None,
            detail: Some(format!("{} {:.2} pt from a rule", g.text, g.distance)),
            line_mm: [g.bbox.0, g.bbox.1, g.bbox.2 - g.bbox.0, g.bbox.3 - g.bbox.1]
                .map(crate::plan::grid::mm),
        });
    }
}

/// A number parted from its unit, its percent sign or its own digits
/// (GB/T 15835: 2018年, 50%, 477项 stay on one line), or at its thousands
/// separator or decimal point (约4, / 000吨, 3. / 5%): `before` and `last`
/// end a line, `next` and `after` begin the line that goes on with it.
fn splits_number(before: Option<char>, last: char, next: char, after: Option<char>) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    (last.is_ascii_digit()
        && (next.is_ascii_digit()
            || next == '.'
            || crate::clreq::is_unit(next)
            || (next == ',' && digit(after))))
        || (matches!(last, ',' | '.') && digit(before) && next.is_ascii_digit())
}

/// The rule that forced the plan to set `text` (a line of `article`)
/// short, if it did.
fn forced_by(laid: &Laid, article: &str, text: &str) -> Option<&'static str> {
    laid.forced
        .iter()
        .find(|f| f.article == article && squash(&f.text) == squash(text))
        .map(|f| f.why.describe())
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Violation {
    /// `xinchun-1 guali column 2 line 4: off-cell: 实现了…`
    pub fn describe(&self) -> String {
        let forced = self.forced.map(|why| format!(" (set short: {why})")).unwrap_or_default();
        let detail = self.detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
        format!(
            "{} page {} {} column {} line {}: {}: {}{forced}{detail}",
            self.issue, self.page, self.article, self.column, self.line, self.rule, self.text
        )
    }
}

impl TypoReport {
    /// Adds another issue's measurements to these.
    pub fn merge(&mut self, other: &TypoReport) {
        self.lines += other.lines;
        self.lines_on_baseline_grid += other.lines_on_baseline_grid;
        self.cjk_lines += other.cjk_lines;
        self.lines_cell_exact += other.lines_cell_exact;
        self.full_lines += other.full_lines;
        self.full_lines_at_measure += other.full_lines_at_measure;
        self.hung_lines += other.hung_lines;
        self.forced += other.forced;
        self.subheads += other.subheads;
        self.violations.extend(other.violations.iter().cloned());
    }

    /// Every violation, rule breaks first, then the lines off the cells.
    pub fn print_violations(&self) {
        for v in self
            .violations
            .iter()
            .filter(|v| v.rule != Rule::Loose)
            .chain(self.violations.iter().filter(|v| v.rule == Rule::Loose))
        {
            println!("{}", v.describe());
        }
    }

    /// How many of each rule's lines, every rule named (0 too), for JSON.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        Rule::ALL.iter().map(|&r| (r.name(), self.count(r))).collect()
    }

    /// The report as JSON: its fields, and `counts` of each rule.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!(self);
        v["counts"] = serde_json::json!(self.counts());
        v
    }

    /// The totals in one line.
    pub fn summary(&self) -> String {
        format!(
            "{} body lines, {:.1} % on the baseline grid; {:.1} % of lines with Chinese text cell-exact; {} of {} justified lines flush at the measure, {} with a hanging mark; {} letter-spaced by the copy (rule named); {} line-start, {} line-end, {} 孤字, {} mark-only-last-line, {} number-split, {} dash-split, {} ragged, {} loose, {} near-rule, {} straight-quote, {} 背题; heads: {} broken inside a word, {} 孤字",
            self.lines,
            100.0 * self.on_grid_ratio(),
            100.0 * self.cell_ratio(),
            self.full_lines_at_measure,
            self.full_lines,
            self.hung_lines,
            self.forced,
            self.count(Rule::LineStart),
            self.count(Rule::LineEnd),
            self.count(Rule::Runt),
            self.count(Rule::MarkOnlyLastLine),
            self.count(Rule::NumberSplit),
            self.count(Rule::DashSplit),
            self.count(Rule::Ragged),
            self.count(Rule::Loose),
            self.count(Rule::NearRule),
            self.count(Rule::StraightQuote),
            self.count(Rule::SubheadAtFoot),
            self.count(Rule::HeadWordSplit),
            self.count(Rule::HeadRunt),
        )
    }
}

/// Printed characters that count for a line's length: Han, letters, digits.
fn solid_count(s: &str) -> usize {
    s.chars().filter(|c| is_han(*c) || c.is_alphanumeric()).count()
}

/// Head lines broken inside a word, head lines of one character, straight
/// quotes printed in heads, and head glyphs touching a rule.
fn check_heads(
    issue: &Issue,
    laid: &Laid,
    heads: &[HeadText],
    report: &mut TypoReport,
    near: &[crate::check::near_rule::NearGlyph],
    near_used: &mut [bool],
) {
    for h in heads {
        let Some(a) = issue.article(&h.article) else { continue };
        let grid = &laid.grid;
        let Some(part) = chain::parts(issue).into_iter().find(|p| p.key == h.key) else { continue };
        let rect = grid.rect(part.place);
        let column = |x: f64| {
            let step = grid.cell * (grid.column_chars + grid.gutter_chars) as f64;
            ((x - rect.x) / step).floor().max(0.0) as u32 + 1
        };
        let v = |i: usize, rule: Rule, text: String| {
            let l: &crate::layout::heads::HeadLine = &h.lines[i];
            Violation {
                issue: issue.file.id.clone(),
                page: 1,
                article: h.article.clone(),
                column: column(l.x),
                line: i as u32 + 1,
                rule,
                text,
                forced: None,
                detail: None,
                line_mm: [l.x, l.baseline - grid.ascent_em * l.size, l.right - l.x, l.size]
                    .map(crate::plan::grid::mm),
            }
        };
        for (i, l) in h.lines.iter().enumerate() {
            let typed: Vec<char> = l.text.chars().collect();
            if has_straight_quote(&typed) {
                report.violations.push(v(i, Rule::StraightQuote, format!("{}: {}", h.role, l.text)));
            }
            if let Some(detail) = take_near(near, near_used, |g| {
                g.owner.is_block(&h.key)
                    && (g.baseline - l.baseline).abs() < 0.5
                    && g.bbox.0 >= l.x - l.size
                    && g.bbox.0 <= l.right + l.size
            }) {
                let n = v(i, Rule::NearRule, format!("{}: {}", h.role, l.text));
                report.violations.push(Violation { detail: Some(detail), ..n });
            }
        }
        let seeds = crate::plan::words::seeds(a);
        let breaks = crate::plan::words::breaks(&h.source, &seeds);
        let total = solid_count(&h.source);
        // The printed lines must be the text, in order, for offsets to mean
        // anything (a head drawn twice or partly elsewhere is left alone).
        if squash(&h.lines.iter().map(|l| l.text.as_str()).collect::<String>()) != squash(&h.source) {
            continue;
        }
        let mut at = 0;
        for (i, l) in h.lines.iter().enumerate() {
            at += l.text.chars().filter(|c| !c.is_whitespace()).count();
            if let Some(next) = h.lines.get(i + 1)
                && !breaks.contains(&at)
            {
                let text = format!("{}: {}/{}", h.role, l.text, next.text);
                report.violations.push(v(i, Rule::HeadWordSplit, text));
            }
            if total > 1 && solid_count(&l.text) < 2 {
                report.violations.push(v(i, Rule::HeadRunt, format!("{}: {}", h.role, l.text)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rule;

    #[test]
    fn a_rule_has_one_name_in_reports_and_json() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        for r in Rule::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.name());
            assert_eq!(r.to_string(), r.name());
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
    }
}
