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
    pub mark: Mark,
}

/// What a marker says: the layouts' half of the contract (`layouts/body.typ`
/// marks bodies, `layouts/heads.typ` heads), parsed once when the page is
/// scanned. `KEY` is a chain part's key (`id`, `id~2` …).
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// `start:KEY`: the top of a part's body.
    Start { key: String },
    /// `end:KEY`: the end of a part's body (below its block: overset).
    End { key: String },
    /// `per:KEY:N`: the lines per column the layout gave a balanced body.
    Per { key: String, lines: u32 },
    /// `hl:KEY:ROLE:I` (`end` false) and `hle:KEY:ROLE:I` (`end` true): the
    /// start and the end of line I of a head element (`headline`,
    /// `person.0`, `xbt.2` …).
    HeadLine { key: String, role: String, line: usize, end: bool },
    /// `headfit:KEY:ROLE:NEEDED:WIDTH:SIZE`: a head whose widest word needs
    /// NEEDED pt at its least size SIZE pt, in a block WIDTH pt wide.
    HeadFit { key: String, role: String, needed: f64, width: f64, size: f64 },
}

impl Mark {
    /// Parses a marker's value (after `paiban:`); `None` for a value no
    /// layout writes.
    pub fn parse(value: &str) -> Option<Self> {
        let (kind, rest) = value.split_once(':')?;
        // The last fields are numbers or roles; a key is everything before.
        let tail = |n: usize| -> Option<Vec<&str>> {
            let mut f: Vec<&str> = rest.rsplitn(n, ':').collect();
            f.reverse();
            (f.len() == n).then_some(f)
        };
        let key = |k: &str| k.to_string();
        Some(match kind {
            "start" => Self::Start { key: key(rest) },
            "end" => Self::End { key: key(rest) },
            "per" => {
                let f = tail(2)?;
                Self::Per { key: key(f[0]), lines: f[1].parse().ok()? }
            }
            "hl" | "hle" => {
                let f = tail(3)?;
                Self::HeadLine { key: key(f[0]), role: f[1].to_string(), line: f[2].parse().ok()?, end: kind == "hle" }
            }
            "headfit" => {
                let f = tail(5)?;
                Self::HeadFit {
                    key: key(f[0]),
                    role: f[1].to_string(),
                    needed: f[2].parse().ok()?,
                    width: f[3].parse().ok()?,
                    size: f[4].parse().ok()?,
                }
            }
            _ => return None,
        })
    }
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
                    && let Some(mark) = Mark::parse(v)
                {
                    let p = Point::zero().transform(here);
                    out.markers.push(Marker { page, x: p.x.to_pt(), y: p.y.to_pt(), mark });
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

    /// The top of part `key`'s body.
    pub fn start(&self, key: &str) -> Option<&Marker> {
        self.markers.iter().find(|m| matches!(&m.mark, Mark::Start { key: k } if k == key))
    }

    /// The end of part `key`'s body.
    pub fn end(&self, key: &str) -> Option<&Marker> {
        self.markers.iter().find(|m| matches!(&m.mark, Mark::End { key: k } if k == key))
    }

    /// The lines per column the layout gave part `key`'s balanced body.
    pub fn per(&self, key: &str) -> Option<u32> {
        self.markers.iter().find_map(|m| match &m.mark {
            Mark::Per { key: k, lines } if k == key => Some(*lines),
            _ => None,
        })
    }

}

#[cfg(test)]
mod tests {
    use super::Mark;

    #[test]
    fn markers_parse_into_what_they_say() {
        assert_eq!(Mark::parse("start:chunan~2"), Some(Mark::Start { key: "chunan~2".into() }));
        assert_eq!(Mark::parse("end:a"), Some(Mark::End { key: "a".into() }));
        assert_eq!(Mark::parse("per:a~2:14"), Some(Mark::Per { key: "a~2".into(), lines: 14 }));
        assert_eq!(
            Mark::parse("hle:a:person.1:3"),
            Some(Mark::HeadLine { key: "a".into(), role: "person.1".into(), line: 3, end: true })
        );
        assert_eq!(
            Mark::parse("headfit:a:headline:120.5:96:18"),
            Some(Mark::HeadFit { key: "a".into(), role: "headline".into(), needed: 120.5, width: 96.0, size: 18.0 })
        );
        for bad in ["", "room:a:9", "start", "per:a", "per:a:x", "hl:a:headline", "headfit:a:headline:1:2", "guess:a"] {
            assert_eq!(Mark::parse(bad), None, "{bad}");
        }
    }
}
