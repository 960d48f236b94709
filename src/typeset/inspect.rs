//! Reads what Typst actually laid out: text runs with their glyph positions
//! and paiban's metadata markers, all in page coordinates (pt). The overset
//! check, the text-layer tests and the grid measurements start here.

use typst::foundations::Value;
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst_layout::{Page, PagedDocument};

/// A glyph: its left edge (absolute x), its advance, and its text.
pub type Glyph = (f64, f64, String);

/// One line of a multi-column body: its column's left edge, its baseline
/// and its glyphs, left to right.
#[derive(Debug, Clone)]
pub struct BodyLine {
    pub x0: f64,
    pub baseline: f64,
    pub glyphs: Vec<Glyph>,
}

impl BodyLine {
    /// The line's printed characters (whitespace left out).
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        self.glyphs.iter().flat_map(|g| g.2.chars()).filter(|c| !c.is_whitespace())
    }

    /// Left edge of the first glyph that prints.
    pub fn start(&self) -> f64 {
        self.glyphs.iter().find(|g| !g.2.trim().is_empty()).map_or(self.x0, |g| g.0)
    }
}

/// A run of shaped text on one line.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// Baseline origin of the run.
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub family: String,
    /// The face's weight (400 regular, 700 bold), to tell faces of one family apart.
    pub weight: u16,
    pub text: String,
    pub glyphs: Vec<Glyph>,
}

/// A `metadata("paiban:…")` marker and where it landed.
#[derive(Debug, Clone)]
pub struct Marker {
    pub page: usize,
    pub x: f64,
    pub y: f64,
    pub value: String,
}

#[derive(Debug, Clone, Default)]
pub struct PageScan {
    pub runs: Vec<TextRun>,
    pub markers: Vec<Marker>,
    pub images: usize,
}

pub fn scan_document(doc: &PagedDocument) -> Vec<PageScan> {
    doc.pages().iter().enumerate().map(|(i, p)| scan_page(i, p)).collect()
}

pub fn scan_page(index: usize, page: &Page) -> PageScan {
    let mut scan = PageScan::default();
    walk(&page.frame, Transform::identity(), index, &mut scan);
    scan
}

/// Text as it prints: without the invisible joiners the layouts insert to
/// steer line breaking (U+2060 word joiner, zero-width space, BOM).
fn visible(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\u{2060}' | '\u{200B}' | '\u{FEFF}')).collect()
}

fn walk(frame: &Frame, ts: Transform, page: usize, out: &mut PageScan) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), page, out),
            FrameItem::Text(t) => {
                let origin = Point::zero().transform(here);
                let size = t.size.to_pt();
                let mut x = 0.0;
                let glyphs = t
                    .glyphs
                    .iter()
                    .map(|g| {
                        let left = Point::new(Abs::pt(x + g.x_offset.at(t.size).to_pt()), Abs::zero())
                            .transform(here)
                            .x
                            .to_pt();
                        let adv = g.x_advance.at(t.size).to_pt();
                        x += adv;
                        (left, adv, visible(&t.text[g.range()]))
                    })
                    .collect();
                out.runs.push(TextRun {
                    x: origin.x.to_pt(),
                    y: origin.y.to_pt(),
                    size,
                    family: t.font.font().info().family.clone(),
                    weight: t.font.font().info().variant.weight.to_number(),
                    text: visible(&t.text),
                    glyphs,
                });
            }
            FrameItem::Image(..) => out.images += 1,
            FrameItem::Tag(Tag::Start(content, _)) => {
                if let Some(meta) = content.to_packed::<MetadataElem>()
                    && let Value::Str(s) = &meta.value
                    && let Some(v) = s.as_str().strip_prefix("paiban:")
                {
                    let p = Point::zero().transform(here);
                    out.markers.push(Marker { page, x: p.x.to_pt(), y: p.y.to_pt(), value: v.to_string() });
                }
            }
            _ => {}
        }
    }
}

impl PageScan {
    /// The lines of a body set in columns `col_step` apart inside `rect`,
    /// between `top` and `bottom`, keyed by (column, baseline) so they come
    /// in reading order. `size` keeps only text of that size (body lines).
    /// Hanging marks past the last column's edge count up to `overhang` in
    /// (the second of two hanging marks starts 0.3 em into the gutter).
    pub fn body_lines(
        &self,
        rect: &crate::plan::grid::Rect,
        top: f64,
        bottom: f64,
        col_step: f64,
        size: Option<f64>,
        overhang: f64,
    ) -> std::collections::BTreeMap<(u32, i64), BodyLine> {
        let mut lines = std::collections::BTreeMap::new();
        for r in self.runs.iter().filter(|r| {
            r.x >= rect.x - 0.5
                && r.x < rect.right() + 0.5 + overhang
                && r.y > top
                && r.y <= bottom + 0.5
                && size.is_none_or(|s| (r.size - s).abs() < 0.01)
        }) {
            let col = ((r.x - rect.x + 0.5) / col_step).floor().max(0.0) as u32;
            let line = lines.entry((col, (r.y * 8.0).round() as i64)).or_insert(BodyLine {
                x0: rect.x + col as f64 * col_step,
                baseline: r.y,
                glyphs: Vec::new(),
            });
            line.glyphs.extend(r.glyphs.iter().cloned());
        }
        for l in lines.values_mut() {
            l.glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        lines
    }

    /// Markers whose value is `kind:id`, e.g. `end:chunan`.
    pub fn marker(&self, kind: &str, id: &str) -> Option<&Marker> {
        let key = format!("{kind}:{id}");
        self.markers.iter().find(|m| m.value == key)
    }
}
