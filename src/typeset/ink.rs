//! Every mark of ink on a laid-out page, with its owner: what the page
//! invariant (`check::invariant`) holds to its blocks, and what the rounds
//! count when they thread a chain (`chars_in_rows`).
//!
//! Ownership comes from the layouts: `page.typ` labels each article block
//! `paiban-block:<key>`, its hairlines `paiban-rule:<key>`, the header
//! `paiban-header` and proof guides `paiban-guide`; Typst keeps a labelled
//! block's frame as a labelled group, so every item inside it is known to
//! be its owner's. Extents are ink, not advance: a glyph's outline box from
//! its font, a shape's box with its stroke, an image's frame, each cut to
//! the clips above it (ink a clip hides is not printed).

use std::collections::HashMap;

use ecow::EcoString;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::Font;
use typst::visualize::{CurveItem, Geometry};
use typst_layout::Page;

use crate::plan::chain;

/// Who drew an item, from the labelled groups around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Inside an article part's block (`key`: `id` or `id~2` …).
    Block(EcoString),
    /// A part's hairlines.
    Rule(EcoString),
    Header,
    /// Proof guides and tints: never printed by `build`.
    Guide,
    /// Not inside any labelled group.
    None,
}

impl Owner {
    /// Whether this is the block of part `key`.
    pub fn is_block(&self, key: &str) -> bool {
        matches!(self, Self::Block(k) if k == key)
    }

    fn from_label(label: &str) -> Option<Self> {
        if let Some(k) = label.strip_prefix("paiban-block:") {
            Some(Self::Block(k.into()))
        } else if let Some(k) = label.strip_prefix("paiban-rule:") {
            Some(Self::Rule(k.into()))
        } else if label == "paiban-header" {
            Some(Self::Header)
        } else if label == "paiban-guide" {
            Some(Self::Guide)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// A glyph and the characters it sets (short strings live inline: a
    /// page has some ten thousand of them).
    Glyph(EcoString),
    /// An image of this size (pt).
    Image(f64, f64),
    /// A line.
    Line,
    /// A rectangle of this size (pt), filled or stroked.
    Box(f64, f64),
    /// Any other shape.
    Shape,
}

/// One mark of ink on the page.
#[derive(Debug, Clone)]
pub struct Ink {
    pub owner: Owner,
    pub what: What,
    /// Ink box in page coordinates (pt): left, top, right, bottom, already
    /// cut to the clips above it.
    pub bbox: (f64, f64, f64, f64),
    /// The baseline of a glyph (page y, pt).
    pub baseline: f64,
    /// Whether the item was wholly clipped away (then `bbox` is its box
    /// before the clip): it prints nothing.
    pub hidden: bool,
    /// Index of the text run the glyph belongs to (to join stray glyphs).
    pub run: usize,
    /// A glyph's size (pt); 0 for other items.
    pub size: f64,
    /// For a ruled frame drawn as one filled ring (a box's rules,
    /// `ring_bands`): each side's band, page coordinates as `bbox`. Empty
    /// for everything else.
    pub bands: Vec<(f64, f64, f64, f64)>,
}

/// Every mark of ink on a page, with its owner.
pub fn ink(page: &Page) -> Vec<Ink> {
    let mut walker = Walker { out: Vec::new(), runs: 0, boxes: HashMap::new() };
    walker.walk(&page.frame, Transform::identity(), &Owner::None, None);
    walker.out
}

/// A glyph's outline box in font units, as ttf-parser gives it.
type GlyphBox = Option<ttf_parser::Rect>;

struct Walker {
    out: Vec<Ink>,
    /// Text runs seen so far (a glyph's `run`).
    runs: usize,
    /// Outline boxes by font and glyph: outlining a CFF glyph to find its
    /// box is the walk's main cost, and a page sets each of its few
    /// thousand distinct glyphs many times.
    boxes: HashMap<Font, HashMap<u16, GlyphBox>>,
}

/// A box in page coordinates (pt): left, top, right, bottom.
pub type BBox = (f64, f64, f64, f64);

fn transform_box(ts: Transform, x0: Abs, y0: Abs, x1: Abs, y1: Abs) -> BBox {
    let pts = [Point::new(x0, y0), Point::new(x1, y0), Point::new(x0, y1), Point::new(x1, y1)]
        .map(|p| p.transform(ts));
    let xs = pts.map(|p| p.x.to_pt());
    let ys = pts.map(|p| p.y.to_pt());
    (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        ys.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    )
}

fn intersect(a: BBox, clip: Option<BBox>) -> Option<BBox> {
    let Some(c) = clip else { return Some(a) };
    let b = (a.0.max(c.0), a.1.max(c.1), a.2.min(c.2), a.3.min(c.3));
    (b.0 < b.2 && b.1 < b.3).then_some(b)
}

impl Walker {
    fn push(
        &mut self,
        owner: &Owner,
        what: What,
        bbox: BBox,
        clip: Option<BBox>,
        baseline: f64,
        run: (usize, f64),
    ) {
        let (run, size) = run;
        let (bbox, hidden) = match intersect(bbox, clip) {
            Some(b) => (b, false),
            None => (bbox, true),
        };
        self.out.push(Ink {
            owner: owner.clone(),
            what,
            bbox,
            baseline,
            hidden,
            run,
            size,
            bands: Vec::new(),
        });
    }

    fn walk(&mut self, frame: &Frame, ts: Transform, owner: &Owner, clip: Option<BBox>) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            match item {
                FrameItem::Group(g) => {
                    let inner = here.pre_concat(g.transform);
                    let owner = g
                        .label
                        .and_then(|l| Owner::from_label(l.resolve().as_str()))
                        .unwrap_or_else(|| owner.clone());
                    let clip = match &g.clip {
                        Some(curve) => {
                            let b = curve.bbox(None);
                            let c = transform_box(inner, b.min.x, b.min.y, b.max.x, b.max.y);
                            // A clip inside a clip keeps what both keep.
                            Some(intersect(c, clip).unwrap_or((c.0, c.1, c.0, c.1)))
                        }
                        None => clip,
                    };
                    self.walk(&g.frame, inner, &owner, clip);
                }
                FrameItem::Text(t) => {
                    self.runs += 1;
                    let run = (self.runs, t.size.to_pt());
                    let size = t.size;
                    let upem = t.font.units_per_em();
                    let baseline = Point::zero().transform(here).y.to_pt();
                    let mut x = Abs::zero();
                    for g in &t.glyphs {
                        let gx = x + g.x_offset.at(size);
                        let gy = -g.y_offset.at(size);
                        x += g.x_advance.at(size);
                        // (By font: the fonts paiban ships are not variable.)
                        let font = t.font.font();
                        let boxes = match self.boxes.get_mut(font) {
                            Some(b) => b,
                            None => self.boxes.entry(font.clone()).or_default(),
                        };
                        let b = *boxes
                            .entry(g.id)
                            .or_insert_with(|| t.font.ttf().glyph_bounding_box(ttf_parser::GlyphId(g.id)));
                        let Some(b) = b else { continue };
                        let s = |v: i16| size * (v as f64 / upem);
                        let bbox = transform_box(
                            here,
                            gx + s(b.x_min),
                            gy - s(b.y_max),
                            gx + s(b.x_max),
                            gy - s(b.y_min),
                        );
                        let text = EcoString::from(&t.text[g.range()]);
                        self.push(owner, What::Glyph(text), bbox, clip, baseline, run);
                    }
                }
                FrameItem::Shape(shape, _) => {
                    let b = shape.geometry.bbox(shape.stroke.as_ref());
                    let bbox = transform_box(here, b.min.x, b.min.y, b.max.x, b.max.y);
                    let what = match &shape.geometry {
                        Geometry::Line(_) => What::Line,
                        Geometry::Rect(s) => What::Box(s.x.to_pt(), s.y.to_pt()),
                        Geometry::Curve(_) => What::Shape,
                    };
                    self.push(owner, what, bbox, clip, 0.0, (0, 0.0));
                    if let Some(m) = self.out.last_mut() {
                        m.bands = ring_bands(&shape.geometry)
                            .into_iter()
                            .map(|(x0, y0, x1, y1)| transform_box(here, x0, y0, x1, y1))
                            .collect();
                    }
                }
                FrameItem::Image(_, size, _) => {
                    let bbox = transform_box(here, Abs::zero(), Abs::zero(), size.x, size.y);
                    self.push(owner, What::Image(size.x.to_pt(), size.y.to_pt()), bbox, clip, 0.0, (0, 0.0));
                }
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
    }
}

/// Printed characters of part `key`'s body in its first `limit` lines in
/// reading order, its columns `step.0` apart from `origin.0` holding `per`
/// lines of `step.1` from `origin.1` (the body's top).
pub fn chars_in_rows(
    page: &Page,
    key: &str,
    origin: (f64, f64),
    step: (f64, f64),
    per: usize,
    limit: usize,
) -> usize {
    ink(page)
        .iter()
        .filter(|m| m.owner.is_block(key) && m.baseline > origin.1)
        .filter_map(|m| {
            let What::Glyph(t) = &m.what else { return None };
            let col = ((m.bbox.0 - origin.0 + 0.5) / step.0).floor().max(0.0) as usize;
            let row = ((m.baseline - origin.1) / step.1).floor() as usize;
            (col.saturating_mul(per).saturating_add(row) < limit).then(|| chain::printed_len(t))
        })
        .sum()
}

/// The four sides of a ruled frame Typst drew as one filled ring (an outer
/// and an inner rectangle of level and upright lines), each a band (left,
/// top, right, bottom, in the shape's coordinates); none for any other
/// shape.
pub fn ring_bands(geometry: &Geometry) -> Vec<(Abs, Abs, Abs, Abs)> {
    let Geometry::Curve(curve) = geometry else { return Vec::new() };
    let mut points = Vec::new();
    for item in curve.0.iter() {
        match item {
            CurveItem::Move(p) | CurveItem::Line(p) => points.push(*p),
            CurveItem::Cubic(..) => return Vec::new(),
            CurveItem::Close => {}
        }
    }
    let eps = Abs::pt(0.01);
    let span = |f: fn(&typst::layout::Point) -> Abs, pts: &[typst::layout::Point]| {
        let lo = pts.iter().map(f).fold(Abs::inf(), Abs::min);
        let hi = pts.iter().map(f).fold(-Abs::inf(), Abs::max);
        (lo, hi)
    };
    if points.len() < 8 {
        return Vec::new();
    }
    let ((x0, x1), (y0, y1)) = (span(|p| p.x, &points), span(|p| p.y, &points));
    let on_edge = |p: &typst::layout::Point| {
        (p.x - x0).abs() < eps || (p.x - x1).abs() < eps || (p.y - y0).abs() < eps || (p.y - y1).abs() < eps
    };
    let inner: Vec<_> = points.iter().copied().filter(|p| !on_edge(p)).collect();
    if inner.len() < 4 {
        return Vec::new();
    }
    let ((ix0, ix1), (iy0, iy1)) = (span(|p| p.x, &inner), span(|p| p.y, &inner));
    // Only a ring whose hole is a rectangle of level and upright sides.
    let square = points.iter().all(|p| {
        on_edge(p)
            || (((p.x - ix0).abs() < eps || (p.x - ix1).abs() < eps)
                && ((p.y - iy0).abs() < eps || (p.y - iy1).abs() < eps))
    });
    if !square {
        return Vec::new();
    }
    vec![(x0, y0, x1, iy0), (x0, iy1, x1, y1), (x0, y0, ix0, y1), (ix1, y0, x1, y1)]
}
