//! Page geometry: the character grid every block is placed on.
//!
//! A basic column is `column_chars` full-width cells of the body size; columns
//! are separated by `gutter_chars` cells; a grid line is one body line plus the
//! line gap. Everything on the page is a whole number of cells wide and grid
//! lines high, so baselines line up across columns.

use serde::Serialize;

use crate::content::model::{PageSpec, Placement};
use crate::error::{Error, Result};

pub const PT_PER_MM: f64 = 72.0 / 25.4;

pub fn mm(pt: f64) -> f64 {
    pt / PT_PER_MM
}

/// A rectangle in pt, origin at the page's top left.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn to_mm(self) -> Rect {
        Rect { x: mm(self.x), y: mm(self.y), w: mm(self.w), h: mm(self.h) }
    }
}

/// One cell of air inside the 编者按 box's side rules: the text inside keeps
/// whole cells.
const NOTE_INSET_CHARS: u32 = 1;

/// The resolved grid of one page, in pt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub width: f64,
    pub height: f64,
    /// Body size: the width of one full-width cell.
    pub cell: f64,
    /// Body line gap.
    pub gap: f64,
    /// Line pitch: `cell + gap`.
    pub pitch: f64,
    pub columns: u32,
    pub column_chars: u32,
    pub gutter_chars: u32,
    /// Cells the 编者按 box keeps between its rules and its text at each side.
    pub note_inset_chars: u32,
    /// Left edge of the type area.
    pub left: f64,
    /// Top of the page header.
    pub header_top: f64,
    /// Height of the header zone (whole grid lines).
    pub header_height: f64,
    /// Top of grid line 1.
    pub top: f64,
    /// Grid lines below the header.
    pub lines: u32,
}

impl Grid {
    pub fn new(spec: &PageSpec) -> Result<Self> {
        let bad = |what: &str| {
            Error::input(format!("page setting {what} is out of range"))
                .hint("see the [page] table in content/README.md for the allowed values")
        };
        if !(100.0..=2000.0).contains(&spec.width_mm) {
            return Err(bad("width_mm"));
        }
        if !(100.0..=2000.0).contains(&spec.height_mm) {
            return Err(bad("height_mm"));
        }
        if !(1..=20).contains(&spec.columns) {
            return Err(bad("columns"));
        }
        if !(4..=60).contains(&spec.column_chars) {
            return Err(bad("column_chars"));
        }
        if spec.gutter_chars > 4 {
            return Err(bad("gutter_chars"));
        }
        if !(5.0..=20.0).contains(&spec.body_pt) {
            return Err(bad("body_pt"));
        }
        if !(0.0..=2.0).contains(&spec.line_gap_em) {
            return Err(bad("line_gap_em"));
        }
        let width = spec.width_mm * PT_PER_MM;
        let height = spec.height_mm * PT_PER_MM;
        let cell = spec.body_pt;
        let gap = spec.line_gap_em * cell;
        let pitch = cell + gap;
        let chars = spec.columns * spec.column_chars + (spec.columns - 1) * spec.gutter_chars;
        let type_width = chars as f64 * cell;
        if type_width > width {
            return Err(Error::input(format!(
                "the type area ({chars} characters = {:.1} mm) is wider than the page ({} mm)",
                mm(type_width),
                spec.width_mm
            ))
            .hint("use fewer columns, fewer characters per column or a smaller body size"));
        }
        let header_top = spec.margin_top_mm * PT_PER_MM;
        let header_height = spec.header_lines as f64 * pitch;
        let top = header_top + header_height;
        let room = height - spec.margin_bottom_mm * PT_PER_MM - top;
        if room < pitch * 10.0 {
            return Err(bad("height_mm / margins (fewer than 10 grid lines left)"));
        }
        // A tiny tolerance so that float noise never costs a whole line.
        let lines = ((room + 1e-6) / pitch).floor() as u32;
        Ok(Self {
            width,
            height,
            cell,
            gap,
            pitch,
            columns: spec.columns,
            column_chars: spec.column_chars,
            gutter_chars: spec.gutter_chars,
            note_inset_chars: NOTE_INSET_CHARS,
            left: (width - type_width) / 2.0,
            header_top,
            header_height,
            top,
            lines,
        })
    }

    /// Width in cells of `span` joined columns: 13n + (n−1) on the default grid.
    pub fn span_chars(&self, span: u32) -> u32 {
        span * self.column_chars + span.saturating_sub(1) * self.gutter_chars
    }

    /// Cells in one body column of block `p`: its span shared out among its
    /// body columns, inside the 编者按 box's inset when `boxed`.
    pub fn body_measure(&self, p: &crate::content::model::Placement, boxed: bool) -> Option<usize> {
        let n = p.body_columns.unwrap_or(p.span).max(1);
        let inset = if boxed { 2 * self.note_inset_chars } else { 0 };
        let width = self.span_chars(p.span).checked_sub((n - 1) * self.gutter_chars + inset)?;
        Some((width / n) as usize)
    }

    /// How far into the gutter a hanging mark's text may start: half a
    /// cell, when there is a gutter.
    pub fn overhang(&self) -> f64 {
        if self.gutter_chars > 0 { self.cell / 2.0 } else { 0.0 }
    }

    pub fn type_width(&self) -> f64 {
        self.span_chars(self.columns) as f64 * self.cell
    }

    /// Left edge of basic column `column` (1-based).
    pub fn column_x(&self, column: u32) -> f64 {
        self.left + ((column - 1) * (self.column_chars + self.gutter_chars)) as f64 * self.cell
    }

    /// Top of grid line `line` (1-based).
    pub fn line_y(&self, line: u32) -> f64 {
        self.top + (line - 1) as f64 * self.pitch
    }

    /// The rectangle of a placement (assumed validated).
    pub fn rect(&self, p: &Placement) -> Rect {
        Rect {
            x: self.column_x(p.column),
            y: self.line_y(p.line),
            w: self.span_chars(p.span) as f64 * self.cell,
            h: p.lines as f64 * self.pitch,
        }
    }

    /// Why a placement does not fit the grid, if it does not.
    pub fn check(&self, p: &Placement) -> Option<String> {
        if p.column == 0 || p.line == 0 || p.span == 0 || p.lines == 0 {
            return Some("column, span, line and lines count from 1".into());
        }
        // In u64: a value near u32::MAX must not wrap into the page.
        let last_column = p.column as u64 + p.span as u64 - 1;
        if last_column > self.columns as u64 {
            return Some(format!(
                "columns {}–{last_column} run past the page's {} columns",
                p.column, self.columns
            ));
        }
        let last_line = p.line as u64 + p.lines as u64 - 1;
        if last_line > self.lines as u64 {
            return Some(format!("lines {}–{last_line} run past the page's {} grid lines", p.line, self.lines));
        }
        if let Some(b) = p.body_columns
            && (b == 0 || b > p.span)
        {
            return Some(format!("body_columns = {b} must be between 1 and span = {}", p.span));
        }
        if let Some(h) = p.head_lines
            && h >= p.lines
        {
            return Some(format!("head_lines = {h} leaves no room for the body in {} lines", p.lines));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_grid_is_a_broadsheet() {
        let g = Grid::new(&PageSpec::default()).unwrap();
        assert_eq!(g.span_chars(8), 111);
        assert_eq!(g.span_chars(2), 27);
        assert_eq!(g.span_chars(3), 41);
        assert_eq!(g.span_chars(5), 69);
        assert!((mm(g.type_width()) - 352.425).abs() < 0.01);
        assert!((mm(g.width) - 390.0).abs() < 1e-9);
        assert!(g.lines >= 95 && g.lines <= 110, "{}", g.lines);
        // Column 2 starts 14 cells right of column 1.
        assert!((g.column_x(2) - g.column_x(1) - 14.0 * 9.0).abs() < 1e-9);
    }
}
