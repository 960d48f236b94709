//! How many body lines an article needs, without Typst: the line planner
//! (`linebreak::plan`) breaks every paragraph it can count in whole cells
//! exactly as the build will, so its line count is the build's.
//!
//! [`body_lines`] is the only place `paiban plan` calls the line planner:
//! when the planner's interface changes, this function is the one to
//! re-point.

use crate::plan::chain;
use crate::content::model::{Article, BodyBlock};

/// What an article's body takes in a block's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyLines {
    /// Lines the body takes set in one column of the measure (subheads with
    /// their blank line above, the end byline included).
    pub total: u32,
    /// Lines per column when the body is balanced over the block's columns.
    pub per_column: u32,
    /// Lines the last column holds (the others hold `per_column`).
    pub last_column: u32,
}

/// The edition's setting the build breaks lines in: its `[style]` and the
/// body face's widths (`Project.widths`).
#[derive(Clone, Copy)]
pub struct Setting<'a> {
    pub style: crate::content::style::Style,
    pub widths: &'a crate::plan::linebreak::Widths,
}

/// Lines the body of `a` needs at `measure` cells a column, balanced over
/// `columns` body columns, as the build sets it: paragraphs broken by the
/// line planner in the edition's setting (`Measure::house`; first-line
/// indent 2 cells, after the 编者按 label in a note's first paragraph; no
/// mark hung, as in a ruled column); a paragraph the planner cannot count (odd signs,
/// a space between Chinese characters) is counted by its cells, with a line
/// to spare for Typst's first fit; a 小标题 takes its lines and the blank line
/// above it; an end byline a line.
pub fn body_lines(a: &Article, measure: usize, columns: u32, setting: Setting) -> BodyLines {
    let mut total = 0u32;
    for (j, b) in a.body.iter().enumerate() {
        match b {
            BodyBlock::Paragraph { runs, .. } => {
                let indent = chain::paragraph_indent(a.meta.kind, j);
                let m = crate::plan::linebreak::Measure::house(measure, indent, setting.style, false, setting.widths);
                let planned = crate::layout::hang::printed(runs)
                    .and_then(|p| crate::plan::linebreak::plan(&p, &m).map(|plan| (p, plan)));
                total += match planned {
                    Some((p, plan)) if !p.text.is_empty() => (plan.breaks.len() + plan.hangs.len() + 1) as u32,
                    Some(_) => 0,
                    None => {
                        let cells = indent + cells(&b.text());
                        cells.div_ceil(measure.max(1)) as u32 + 1
                    }
                };
            }
            BodyBlock::Subhead { text, .. } => {
                // 黑体 at 1.1 × the body size, broken in the column.
                let lines = ((cells(text) as f64 * 1.1) / measure.max(1) as f64).ceil().max(1.0) as u32;
                // The blank line above is dropped at a column's top; the
                // first block always stands there.
                total += lines + u32::from(j > 0);
            }
        }
    }
    if a.meta.byline_position == crate::content::model::BylinePosition::End && !a.meta.byline.is_empty() {
        total += 1;
    }
    let columns = columns.max(1);
    let per_column = total.div_ceil(columns);
    let last_column = total.saturating_sub(per_column * (columns - 1));
    BodyLines { total, per_column, last_column }
}

/// Cells a text takes on the grid: a cell a character, a run of ASCII
/// letters and digits ⌈n/2⌉ (the layouts' digit rule), spaces none.
pub fn cells(text: &str) -> usize {
    let mut n = 0usize;
    let mut run = 0usize;
    for c in text.chars() {
        if crate::clreq::is_run_char(c) {
            run += 1;
            continue;
        }
        n += run.div_ceil(2);
        run = 0;
        if !c.is_whitespace() {
            n += 1;
        }
    }
    n + run.div_ceil(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_count_digit_runs_in_half_cells() {
        assert_eq!(cells("2018年"), 3);
        assert_eq!(cells("新春 快乐"), 4);
        assert_eq!(cells("477项"), 3);
    }
}
