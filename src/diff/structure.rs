//! The structural dump of a laid-out page: every printed line with its text,
//! position (mm), face and size, grouped by the block (article part) it
//! falls in. `build` writes it beside the PDF as `<issue>.layout.json`, the
//! snapshots keep it, and the structural diff compares two of them, so a
//! diff of two build folders needs neither the edition nor the PDFs' text.
//!
//! Body lines (the block's most used face and size) are kept per column in
//! reading order, marked where a paragraph starts (an indented line); every
//! other line (headline, person line, byline, subhead) is a head line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::layout::rounds::Laid;
use crate::plan::chain;
use crate::plan::grid::{Rect, mm};
use crate::typeset::inspect::TextRun;

/// Rounds mm to 0.01 so dumps are stable and small.
fn r2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageDump {
    pub issue: String,
    /// 1-based.
    pub page: usize,
    pub width_mm: f64,
    pub height_mm: f64,
    /// Lines outside every block (the page header, 报眉).
    pub page_lines: Vec<Line>,
    pub blocks: Vec<BlockDump>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockDump {
    pub article: String,
    /// Which rectangle of the article's chain (1-based).
    pub part: usize,
    pub kind: String,
    /// x, y, w, h in mm.
    pub rect_mm: [f64; 4],
    pub heads: Vec<Line>,
    pub body: Vec<Line>,
}

/// One printed line. Positions in mm from the page's top left; `y` is the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub text: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub font: String,
    pub size: f64,
    /// Body lines: the column within the block (0-based).
    #[serde(default)]
    pub col: u32,
    /// Body lines: this line starts a paragraph.
    #[serde(default)]
    pub para: bool,
}

impl Line {
    /// Face and size, as a reader would name them.
    pub fn style(&self) -> String {
        format!("{} {} pt", self.font, self.size)
    }
}

/// A run's face: family, and the weight when it is not regular.
fn face(r: &TextRun) -> String {
    match r.weight {
        400 => r.family.clone(),
        700 => format!("{} Bold", r.family),
        w => format!("{} {w}", r.family),
    }
}

/// Text larger than this is head, never body.
const BODY_MAX_PT: f64 = 12.0;

fn size_key(size: f64) -> i64 {
    (size * 10.0).round() as i64
}

/// Glyphs gathered for one line before it becomes a `Line`.
#[derive(Default)]
struct Gather {
    glyphs: Vec<(f64, f64, String)>,
    /// Glyph count per (face, size×10): the line's style is the majority.
    styles: BTreeMap<(String, i64), usize>,
    baseline: f64,
}

impl Gather {
    fn add(&mut self, r: &TextRun) {
        self.baseline = r.y;
        *self.styles.entry((face(r), size_key(r.size))).or_default() += r.glyphs.len();
        self.glyphs.extend(r.glyphs.iter().cloned());
    }

    fn style(&self) -> (String, i64) {
        // Ties go to the first in order, so the choice is deterministic.
        let mut best: Option<(&(String, i64), usize)> = None;
        for (k, &n) in &self.styles {
            if best.is_none_or(|(_, m)| n > m) {
                best = Some((k, n));
            }
        }
        best.map(|(k, _)| k.clone()).unwrap_or_default()
    }

    fn line(mut self, col: u32, para: bool) -> Line {
        self.glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let text: String = self.glyphs.iter().map(|g| g.2.as_str()).collect::<String>().trim().to_string();
        let printing: Vec<_> = self.glyphs.iter().filter(|g| !g.2.trim().is_empty()).collect();
        let x0 = printing.first().map_or(0.0, |g| g.0);
        let x1 = printing.last().map_or(0.0, |g| g.0 + g.1);
        let (font, size) = self.style();
        Line {
            text,
            x: r2(mm(x0)),
            y: r2(mm(self.baseline)),
            w: r2(mm(x1 - x0)),
            font,
            size: size as f64 / 10.0,
            col,
            para,
        }
    }
}

/// The dump of every page of a laid-out issue.
pub fn dump(laid: &Laid) -> Vec<PageDump> {
    let issue = &laid.issue;
    let grid = &laid.grid;
    let parts = chain::parts(issue);
    laid.scans
        .iter()
        .enumerate()
        .map(|(i, scan)| {
            let rects: Vec<Rect> = parts.iter().map(|p| grid.rect(p.place)).collect();
            let strictly = |r: &TextRun, rect: &Rect| {
                r.x >= rect.x - 0.5 && r.x < rect.right() && r.y > rect.y && r.y <= rect.bottom() + 0.5
            };
            // A mark hung after a line's last cell (行末悬挂) prints just
            // outside the block's right edge, on one of its lines: it is
            // that block's, not the page's. Text inside any block stays
            // with that block.
            let hung = |r: &TextRun, rect: &Rect| {
                r.size <= BODY_MAX_PT
                    && r.x >= rect.right() - 0.5
                    && r.x < rect.right() + grid.cell
                    && r.y > rect.y
                    && r.y <= rect.bottom() + 0.5
                    && !rects.iter().any(|other| strictly(r, other))
            };
            let inside = |r: &TextRun, rect: &Rect| strictly(r, rect) || hung(r, rect);
            let blocks = parts
                .iter()
                .zip(&rects)
                .map(|(part, rect)| {
                    let p = part.place;
                    let columns = p.body_columns.unwrap_or(p.span).max(1);
                    let col_step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
                    let runs: Vec<&TextRun> = scan.runs.iter().filter(|r| inside(r, rect)).collect();
                    let kind = issue
                        .article(&p.article)
                        .map(|a| serde_json::to_value(a.meta.kind).ok())
                        .and_then(|v| v.and_then(|v| v.as_str().map(String::from)))
                        .unwrap_or_default();
                    let (heads, body) = block_lines(&runs, rect, col_step, grid.cell);
                    BlockDump {
                        article: p.article.clone(),
                        part: part.index + 1,
                        kind,
                        rect_mm: [r2(mm(rect.x)), r2(mm(rect.y)), r2(mm(rect.w)), r2(mm(rect.h))],
                        heads,
                        body,
                    }
                })
                .collect();
            let outside: Vec<&TextRun> =
                scan.runs.iter().filter(|r| !rects.iter().any(|rect| inside(r, rect))).collect();
            PageDump {
                issue: issue.file.id.clone(),
                page: i + 1,
                width_mm: r2(mm(grid.width)),
                height_mm: r2(mm(grid.height)),
                page_lines: merge_by_baseline(&outside),
                blocks,
            }
        })
        .collect()
}

/// Head lines and body lines of one block.
fn block_lines(runs: &[&TextRun], rect: &Rect, col_step: f64, cell: f64) -> (Vec<Line>, Vec<Line>) {
    // The body style is the style most glyphs in the block are set in,
    // among text sizes (a banner or lead block is all head).
    let mut count: BTreeMap<(String, i64), usize> = BTreeMap::new();
    for r in runs.iter().filter(|r| r.size <= BODY_MAX_PT) {
        *count.entry((face(r), size_key(r.size))).or_default() += r.glyphs.len();
    }
    let mut body_style = None;
    for (k, &n) in &count {
        if body_style.as_ref().is_none_or(|(_, m)| n > *m) {
            body_style = Some((k.clone(), n));
        }
    }
    let body_style = body_style.map(|(k, _)| k);
    // First by column and baseline: a body line is one column's line.
    let mut cells: BTreeMap<(u32, i64), Gather> = BTreeMap::new();
    for r in runs {
        let col = ((r.x - rect.x + 0.5) / col_step).floor().max(0.0) as u32;
        cells.entry((col, (r.y * 8.0).round() as i64)).or_default().add(r);
    }
    let mut body = Vec::new();
    let mut heads: BTreeMap<i64, Gather> = BTreeMap::new();
    for ((col, y), g) in cells {
        if Some(g.style()) == body_style {
            let x0 = rect.x + col as f64 * col_step;
            let start = g
                .glyphs
                .iter()
                .filter(|gl| !gl.2.trim().is_empty())
                .map(|gl| gl.0)
                .fold(f64::INFINITY, f64::min);
            // An indent of two cells starts a paragraph (first-line indent).
            body.push(g.line(col, start - x0 > cell * 1.5));
        } else {
            // A head line may span columns: join its pieces on one baseline.
            let h = heads.entry(y).or_default();
            h.baseline = g.baseline;
            for (k, n) in g.styles {
                *h.styles.entry(k).or_default() += n;
            }
            h.glyphs.extend(g.glyphs);
        }
    }
    let heads = heads.into_values().map(|g| g.line(0, false)).collect();
    (heads, body)
}

fn merge_by_baseline(runs: &[&TextRun]) -> Vec<Line> {
    let mut lines: BTreeMap<(i64, String, i64), Gather> = BTreeMap::new();
    for r in runs {
        lines.entry(((r.y * 8.0).round() as i64, face(r), size_key(r.size))).or_default().add(r);
    }
    let mut out: Vec<Line> = lines.into_values().map(|g| g.line(0, false)).collect();
    // Reading order: by baseline, then left to right.
    out.sort_by(|a, b| (a.y, a.x).partial_cmp(&(b.y, b.x)).unwrap_or(std::cmp::Ordering::Equal));
    out
}

/// JSON with one printed line per text line, so a snapshot's git diff reads
/// line by line.
pub fn to_json(pages: &PageDump) -> String {
    let one = |l: &Line| serde_json::to_string(l).unwrap_or_default();
    let list = |lines: &[Line], indent: &str| {
        let items: Vec<String> = lines.iter().map(|l| format!("{indent}  {}", one(l))).collect();
        if items.is_empty() { "[]".to_string() } else { format!("[\n{}\n{indent}]", items.join(",\n")) }
    };
    let s = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let mut out = format!(
        "{{\n  \"issue\": {},\n  \"page\": {},\n  \"width_mm\": {},\n  \"height_mm\": {},\n  \"page_lines\": {},\n  \"blocks\": [",
        s(&pages.issue),
        pages.page,
        pages.width_mm,
        pages.height_mm,
        list(&pages.page_lines, "  ")
    );
    let blocks: Vec<String> = pages
        .blocks
        .iter()
        .map(|b| {
            format!(
                "\n    {{\n      \"article\": {},\n      \"part\": {},\n      \"kind\": {},\n      \"rect_mm\": {},\n      \"heads\": {},\n      \"body\": {}\n    }}",
                s(&b.article),
                b.part,
                s(&b.kind),
                serde_json::to_string(&b.rect_mm).unwrap_or_default(),
                list(&b.heads, "      "),
                list(&b.body, "      ")
            )
        })
        .collect();
    out.push_str(&blocks.join(","));
    out.push_str("\n  ]\n}\n");
    out
}

/// Reads dumps (one page, or a list of pages) from a file.
pub fn read(path: &std::path::Path) -> Result<Vec<PageDump>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(e, path, "layout dump"))?;
    if let Ok(one) = serde_json::from_str::<PageDump>(&text) {
        return Ok(vec![one]);
    }
    serde_json::from_str::<Vec<PageDump>>(&text).map_err(|e| {
        Error::input(format!("not a paiban layout dump: {e}"))
            .in_file(path)
            .hint("layout dumps are written by `paiban build` as <issue>.layout.json; rebuild to refresh it")
    })
}

/// The dumps of all pages of an issue, as `build` writes them.
pub fn to_json_pages(pages: &[PageDump]) -> String {
    if let [one] = pages {
        return to_json(one);
    }
    let items: Vec<String> = pages.iter().map(to_json).collect();
    format!("[\n{}]\n", items.join(",\n"))
}
