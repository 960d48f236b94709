//! Typography measured on the laid-out page: every body line's baseline
//! against the page's baseline grid, every full-width glyph against the
//! character cells of its column, line-start and line-end rules (clreq,
//! GB/T 15834 §5.1.10), and one-character last lines (孤字).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::chain;
use crate::compile::Laid;
use crate::grid::Grid;
use crate::model::Issue;

/// Marks that may not start a line.
pub const NO_START: &str = "。，、；：？！）》」』”’·】〕〉";
/// Marks that may not end a line.
pub const NO_END: &str = "（《「『“‘【〔〈";

/// Where the baseline sits in a line box (`top-edge: 0.88em`).
const ASCENT_EM: f64 = 0.88;
const EPS: f64 = 0.05;

#[derive(Debug, Clone, Serialize)]
pub struct Violation {
    pub issue: String,
    pub article: String,
    /// 1-based column within the block and line within the column.
    pub column: u32,
    pub line: u32,
    pub rule: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TypoReport {
    pub lines: usize,
    pub lines_on_baseline_grid: usize,
    /// Lines with at least one full-width glyph, and those whose full-width
    /// glyphs all start a whole number of cells from the column's edge.
    pub cjk_lines: usize,
    pub lines_cell_exact: usize,
    pub violations: Vec<Violation>,
}

impl TypoReport {
    pub fn on_grid_ratio(&self) -> f64 {
        self.lines_on_baseline_grid as f64 / self.lines.max(1) as f64
    }
    pub fn cell_ratio(&self) -> f64 {
        self.lines_cell_exact as f64 / self.cjk_lines.max(1) as f64
    }
    pub fn count(&self, rule: &str) -> usize {
        self.violations.iter().filter(|v| v.rule == rule).count()
    }
}

fn is_full_width(s: &str) -> bool {
    s.chars().next().is_some_and(|c| matches!(c as u32, 0x3000..=0x303F | 0x4E00..=0x9FFF | 0xFF01..=0xFF60))
}

pub fn check(issue: &Issue, laid: &Laid, report: &mut TypoReport) {
    let grid: &Grid = &laid.grid;
    let scan = &laid.scans[0];
    let ascent = ASCENT_EM * grid.cell;
    for part in chain::parts(issue) {
        let p = part.place;
        let rect = grid.rect(p);
        let Some(start) = scan.marker("start", &part.key) else { continue };
        let columns = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
        // Body-size lines only: subheads and the end byline are not body lines.
        let lines = scan.body_lines(&rect, start.y, rect.bottom(), step, Some(grid.cell));
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
            let violation = |rule: &'static str| Violation {
                issue: issue.file.id.clone(),
                article: p.article.clone(),
                column: key.0 + 1,
                line: *n,
                rule,
                text: text.clone(),
            };
            report.lines += 1;
            let phase = (line.baseline - ascent - grid.top) / grid.pitch;
            if (phase - phase.round()).abs() * grid.pitch < EPS {
                report.lines_on_baseline_grid += 1;
            }
            let full: Vec<_> = glyphs.iter().filter(|g| is_full_width(&g.2)).collect();
            if !full.is_empty() {
                report.cjk_lines += 1;
                let on_cells = full.iter().all(|g| {
                    let cells = (g.0 - line.x0) / grid.cell;
                    (cells - cells.round()).abs() * grid.cell < EPS
                });
                if on_cells {
                    report.lines_cell_exact += 1;
                } else {
                    report.violations.push(violation("off-cell"));
                }
            }
            let first = text.chars().next().unwrap();
            let last = text.chars().last().unwrap();
            if NO_START.contains(first) {
                report.violations.push(violation("line-start"));
            }
            if NO_END.contains(last) {
                report.violations.push(violation("line-end"));
            }
            // A paragraph's last line: the next line in this column starts a
            // paragraph (indented by two cells) or there is none.
            let next = keys.get(i + 1).filter(|k| k.0 == key.0).map(|k| &lines[k]);
            let ends_paragraph = next.is_none_or(|l| l.start() - l.x0 > grid.cell * 1.5);
            // The line that goes on with this one's text, in this column or
            // at the top of the next.
            let following = keys.get(i + 1).map(|k| &lines[k]).filter(|l| l.start() - l.x0 < grid.cell * 1.5);
            if !ends_paragraph || next.is_none() {
                let first_next = following
                    .and_then(|l| l.glyphs.iter().find(|g| !g.2.trim().is_empty()))
                    .and_then(|g| g.2.chars().next());
                if let Some(c) = first_next {
                    if splits_number(last, c) {
                        report.violations.push(violation("number-split"));
                    }
                    if (last == '—' && c == '—') || (last == '…' && c == '…') {
                        report.violations.push(violation("dash-split"));
                    }
                }
            }
            let solid = text.chars().filter(|c| !NO_START.contains(*c)).count();
            if ends_paragraph && solid == 1 && next.is_some() {
                report.violations.push(violation("runt"));
            }
        }
    }
}

/// A number parted from its unit, its percent sign or its own digits
/// (GB/T 15835: 2018年, 50%, 477项 stay on one line).
fn splits_number(last: char, next: char) -> bool {
    last.is_ascii_digit()
        && (next.is_ascii_digit() || matches!(next, '%' | '％' | '.' | '万' | '亿') || is_han(next))
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF)
}

impl TypoReport {
    pub fn print(&self) {
        // Rule breaks first, then the lines off the character cells.
        for v in self
            .violations
            .iter()
            .filter(|v| v.rule != "off-cell")
            .chain(self.violations.iter().filter(|v| v.rule == "off-cell"))
        {
            println!("{} {} column {} line {}: {}: {}", v.issue, v.article, v.column, v.line, v.rule, v.text);
        }
        println!(
            "typography: {} body lines, {:.1} % on the baseline grid; {:.1} % of lines with Chinese text cell-exact; {} line-start, {} line-end, {} 孤字, {} number-split, {} dash-split",
            self.lines,
            100.0 * self.on_grid_ratio(),
            100.0 * self.cell_ratio(),
            self.count("line-start"),
            self.count("line-end"),
            self.count("runt"),
            self.count("number-split"),
            self.count("dash-split"),
        );
    }
}
