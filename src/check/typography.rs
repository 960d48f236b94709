//! Typography measured on the laid-out page: every body line's baseline
//! against the page's baseline grid, every full-width glyph against the
//! character cells of its column, justified lines against the measure
//! (ragged: on the cells but short; loose: letter-spaced), line-start and
//! line-end rules (clreq, GB/T 15834 §5.1.10), numbers and dashes split at
//! a line end, one-character last lines (孤字), and a 小标题 on a column's
//! last line (背题); in heads (主题, 引题, 副题, person lines, bylines, 小标题,
//! captions) a line broken inside a word, and a line of one character. A line off the cells that the line plan had to set
//! short names the rule that forced it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::layout::heads::{HeadText, head_texts};
use crate::layout::rounds::Laid;
use crate::plan::chain;
use crate::plan::clreq::{NO_END, NO_START, is_full_width_glyph, is_half_mark, is_han, is_han_glyph};
use crate::plan::grid::Grid;

const EPS: f64 = 0.05;

/// A typography rule a line can break (or a line off the cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A full-width glyph off its column's character cells.
    OffCell,
    /// A justified line on the cells but short of the measure.
    Ragged,
    /// A line letter-spaced: more than a sixth of a cell between two Han characters.
    Loose,
    /// A line that starts with a no-start mark (clreq, GB/T 15834).
    LineStart,
    /// A line that ends with a no-end mark.
    LineEnd,
    /// A number parted from its digits, its decimal point or its unit at a line end.
    NumberSplit,
    /// A dash or an ellipsis split at a line end.
    DashSplit,
    /// A one-character last line (孤字).
    Runt,
    /// A 小标题 on a column's last line (背题).
    SubheadAtFoot,
    /// A head line that ends inside a word (书/记, a name parted).
    HeadWordSplit,
    /// A head line that holds a single character.
    HeadRunt,
}

impl Rule {
    pub const ALL: [Rule; 11] = [
        Self::OffCell,
        Self::Ragged,
        Self::Loose,
        Self::LineStart,
        Self::LineEnd,
        Self::NumberSplit,
        Self::DashSplit,
        Self::Runt,
        Self::SubheadAtFoot,
        Self::HeadWordSplit,
        Self::HeadRunt,
    ];

    /// The rule's name in reports and JSON (`off-cell`, `line-start` …).
    pub fn name(self) -> &'static str {
        match self {
            Self::OffCell => "off-cell",
            Self::Ragged => "ragged",
            Self::Loose => "loose",
            Self::LineStart => "line-start",
            Self::LineEnd => "line-end",
            Self::NumberSplit => "number-split",
            Self::DashSplit => "dash-split",
            Self::Runt => "runt",
            Self::SubheadAtFoot => "subhead-at-foot",
            Self::HeadWordSplit => "head-word-split",
            Self::HeadRunt => "head-runt",
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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
    /// For an off-cell line the line plan had to set short: the rule that
    /// forced it (only a copy edit would put it on the cells).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forced: Option<&'static str>,
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
    /// justified), and those that are cell-exact and reach their column's
    /// last cell: exactly the measure in whole cells.
    pub full_lines: usize,
    pub full_lines_at_measure: usize,
    /// Off-cell lines the line plan set short because the copy and the
    /// rules left no way to fill them (each names its rule).
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

/// Extra space between two Han characters of a line (in cells) past which
/// the line reads letter-spaced.
const LOOSE: f64 = 1.0 / 6.0;

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
    for part in chain::parts(issue) {
        let p = part.place;
        let rect = grid.rect(p);
        let Some(start) = scan.start(&part.key) else { continue };
        let columns = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
        // Body-size lines only: subheads and the end byline are not body lines.
        let lines = scan.body_lines(&rect, start.y, rect.bottom(), step, Some(grid.cell), grid.overhang());
        // The 编者按 box sets its text a cell in from its rules.
        let boxed =
            issue.article(&p.article).is_some_and(|a| a.meta.kind == crate::content::model::ArticleKind::EditorsNote);
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
                    let last = glyphs.iter().rev().find(|g| g.0 < right - EPS).map_or(line.x0, |g| g.0);
                    if exact && last >= right - grid.cell - EPS {
                        report.full_lines_at_measure += 1;
                    } else if exact {
                        // On the cells but short of the measure: not justified.
                        report.violations.push(violation(Rule::Ragged));
                    }
                }
                if exact {
                    report.lines_cell_exact += 1;
                } else {
                    let forced = laid
                        .forced
                        .iter()
                        .find(|f| f.article == p.article && squash(&f.text) == squash(&text))
                        .map(|f| f.why.describe());
                    report.forced += usize::from(forced.is_some());
                    report.violations.push(Violation { forced, ..violation(Rule::OffCell) });
                }
            }
            // Letter-spaced: two Han characters side by side more than a
            // sixth of a cell apart, i.e. a justified line two or more
            // cells short (one cell short spreads 1/11 of a cell a gap).
            // (Spaces count as neighbours: 编者按　新 is not letter-spacing.)
            let spread = line
                .glyphs
                .windows(2)
                .filter(|w| is_han_glyph(&w[0].2) && is_han_glyph(&w[1].2))
                .map(|w| (w[1].0 - w[0].0) / grid.cell - 1.0)
                .fold(0.0, f64::max);
            if spread > LOOSE {
                report.violations.push(violation(Rule::Loose));
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
                let first_next = following
                    .and_then(|l| l.glyphs.iter().find(|g| !g.2.trim().is_empty()))
                    .and_then(|g| g.2.chars().next());
                if let Some(c) = first_next {
                    if splits_number(last, c) {
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
        }
        // 背题: a 小标题 as the last line of its column, its text in the
        // next. A 小标题 is found by its markers (an `xbt` head), not by its
        // size, which the layouts own (`style.subhead-size`).
        for h in heads.iter().filter(|h| h.key == part.key && h.role.starts_with("xbt")) {
            report.subheads += 1;
            for l in h.lines.iter().filter(|l| {
                l.x >= rect.x - 0.5 && l.x < rect.right() && l.baseline > start.y && l.baseline <= rect.bottom() + 0.5
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
                        line_mm: [column_left(col), l.baseline - ascent, measure, grid.cell]
                            .map(crate::plan::grid::mm),
                    });
                }
            }
        }
    }
    check_heads(laid, &heads, report);
}

/// A number parted from its unit, its percent sign or its own digits
/// (GB/T 15835: 2018年, 50%, 477项 stay on one line).
fn splits_number(last: char, next: char) -> bool {
    last.is_ascii_digit() && (next.is_ascii_digit() || next == '.' || crate::plan::clreq::is_unit(next))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Violation {
    /// `xinchun-1 guali column 2 line 4: off-cell: 实现了…`
    pub fn describe(&self) -> String {
        let forced = self.forced.map(|why| format!(" (set short: {why})")).unwrap_or_default();
        format!(
            "{} page {} {} column {} line {}: {}: {}{forced}",
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
        self.forced += other.forced;
        self.subheads += other.subheads;
        self.violations.extend(other.violations.iter().cloned());
    }

    /// Every violation, rule breaks first, then the lines off the cells.
    pub fn print_violations(&self) {
        for v in self
            .violations
            .iter()
            .filter(|v| v.rule != Rule::OffCell)
            .chain(self.violations.iter().filter(|v| v.rule == Rule::OffCell))
        {
            println!("{}", v.describe());
        }
    }

    /// The totals in one line.
    pub fn summary(&self) -> String {
        format!(
            "{} body lines, {:.1} % on the baseline grid; {:.1} % of lines with Chinese text cell-exact ({} of the others set short by the copy); {} of {} justified lines exactly the measure; {} line-start, {} line-end, {} 孤字, {} number-split, {} dash-split, {} ragged, {} loose, {} 背题; heads: {} broken inside a word, {} 孤字",
            self.lines,
            100.0 * self.on_grid_ratio(),
            100.0 * self.cell_ratio(),
            self.forced,
            self.full_lines_at_measure,
            self.full_lines,
            self.count(Rule::LineStart),
            self.count(Rule::LineEnd),
            self.count(Rule::Runt),
            self.count(Rule::NumberSplit),
            self.count(Rule::DashSplit),
            self.count(Rule::Ragged),
            self.count(Rule::Loose),
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

/// Head lines broken inside a word, and head lines of one character.
fn check_heads(laid: &Laid, heads: &[HeadText], report: &mut TypoReport) {
    let issue = &laid.issue;
    for h in heads {
        let Some(a) = issue.article(&h.article) else { continue };
        let seeds = crate::plan::words::seeds(a);
        let breaks = crate::plan::words::breaks(&h.source, &seeds);
        let total = solid_count(&h.source);
        // The printed lines must be the text, in order, for offsets to mean
        // anything (a head drawn twice or partly elsewhere is left alone).
        if squash(&h.lines.iter().map(|l| l.text.as_str()).collect::<String>()) != squash(&h.source) {
            continue;
        }
        let grid = &laid.grid;
        let Some(part) = chain::parts(issue).into_iter().find(|p| p.key == h.key) else { continue };
        let rect = grid.rect(part.place);
        let column = |x: f64| {
            let step = grid.cell * (grid.column_chars + grid.gutter_chars) as f64;
            ((x - rect.x) / step).floor().max(0.0) as u32 + 1
        };
        let mut at = 0;
        for (i, l) in h.lines.iter().enumerate() {
            at += l.text.chars().filter(|c| !c.is_whitespace()).count();
            let v = |rule: Rule, text: String| Violation {
                issue: issue.file.id.clone(),
                page: 1,
                article: h.article.clone(),
                column: column(l.x),
                line: i as u32 + 1,
                rule,
                text,
                forced: None,
                line_mm: [l.x, l.baseline - grid.ascent_em * l.size, l.right - l.x, l.size]
                    .map(crate::plan::grid::mm),
            };
            if let Some(next) = h.lines.get(i + 1)
                && !breaks.contains(&at)
            {
                report.violations.push(v(Rule::HeadWordSplit, format!("{}: {}/{}", h.role, l.text, next.text)));
            }
            if total > 1 && solid_count(&l.text) < 2 {
                report.violations.push(v(Rule::HeadRunt, format!("{}: {}", h.role, l.text)));
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
