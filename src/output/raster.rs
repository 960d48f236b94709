//! Page rasters that can be brought up to date by rendering only what
//! changed. After a one-paragraph edit most of a page is as it was: the
//! laid-out frames are compared item by item, and only the rectangle that
//! holds every changed item is rendered again and copied into the last
//! raster. Rendering is translation-exact at whole pixels, so the result is
//! the same pixels as a full render (tested).

use std::collections::HashSet;

use tiny_skia::Pixmap;
use typst::layout::{Abs, Frame, FrameItem, GroupItem, Point, Size};
use typst::utils::hash128;
use typst_layout::Page;

/// A rendered page and what it was rendered from.
pub struct Raster {
    page: Page,
    dpi: f64,
    pub pixmap: Pixmap,
}

/// What `update` did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rendered {
    /// The whole page (first render, or the size or resolution changed).
    Full,
    /// Only this share of the page's pixels.
    Region(f64),
    /// Nothing: the page looks as before.
    Nothing,
}

impl Raster {
    pub fn new(page: &Page, dpi: f64) -> Self {
        Self { page: page.clone(), dpi, pixmap: render(page, dpi) }
    }

    /// Brings the raster up to `page`, rendering as little as it can.
    pub fn update(&mut self, page: &Page, dpi: f64) -> Rendered {
        if dpi != self.dpi || page.frame.size() != self.page.frame.size() || page.fill != self.page.fill {
            *self = Self::new(page, dpi);
            return Rendered::Full;
        }
        let Some(dirty) = changed_area(&self.page.frame, &page.frame) else {
            *self = Self::new(page, dpi);
            return Rendered::Full;
        };
        self.page = page.clone();
        let Some((x0, y0, x1, y1)) = dirty else { return Rendered::Nothing };
        let s = dpi / 72.0;
        let (w, h) = (self.pixmap.width(), self.pixmap.height());
        // Whole pixels, so the region renders exactly as the full page does.
        let px = |v: Abs, max: u32| ((v.to_pt() * s).clamp(0.0, max as f64)) as u32;
        let (px0, py0) = (px(x0, w), px(y0, h));
        let (px1, py1) = ((px(x1, w) + 1).min(w), (px(y1, h) + 1).min(h));
        if px1 <= px0 || py1 <= py0 {
            return Rendered::Nothing;
        }
        let at = |p: u32| Abs::pt(p as f64 / s);
        // Only the items that can touch the region: rendering the rest would
        // only draw outside it.
        let area = (at(px0), at(py0), at(px1), at(py1));
        let mut frame = Frame::hard(Size::new(at(px1 - px0), at(py1 - py0)));
        frame.push_frame(Point::new(-at(px0), -at(py0)), prune(&page.frame, Point::zero(), area));
        let region = Page { frame, ..page.clone() };
        let patch = render(&region, dpi);
        let (pw, ph) = (patch.width().min(px1 - px0), patch.height().min(py1 - py0));
        let row = 4 * w as usize;
        let data = self.pixmap.data_mut();
        for y in 0..ph as usize {
            let from = &patch.data()[y * 4 * patch.width() as usize..][..4 * pw as usize];
            let start = (py0 as usize + y) * row + 4 * px0 as usize;
            data[start..start + from.len()].copy_from_slice(from);
        }
        Rendered::Region((pw as f64 * ph as f64) / (w as f64 * h as f64))
    }
}

pub fn render(page: &Page, dpi: f64) -> Pixmap {
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(dpi / 72.0),
        ..Default::default()
    };
    typst_render::render(page, &options)
}

type Area = (Abs, Abs, Abs, Abs);

/// The rectangle (x0, y0, x1, y1) holding every item that differs between
/// two frames: `Some(None)` when none does, `None` when the frames cannot be
/// compared item by item (a transformed group), so render everything.
fn changed_area(old: &Frame, new: &Frame) -> Option<Option<Area>> {
    let mut a = Vec::new();
    let mut b = Vec::new();
    leaves(old, Point::zero(), &mut a)?;
    leaves(new, Point::zero(), &mut b)?;
    let in_a: HashSet<u128> = a.iter().map(|l| l.0).collect();
    let in_b: HashSet<u128> = b.iter().map(|l| l.0).collect();
    let mut area: Option<Area> = None;
    for (_, r) in a.iter().filter(|l| !in_b.contains(&l.0)).chain(b.iter().filter(|l| !in_a.contains(&l.0))) {
        area = Some(match area {
            None => *r,
            Some(u) => (u.0.min(r.0), u.1.min(r.1), u.2.max(r.2), u.3.max(r.3)),
        });
    }
    Some(area)
}

/// A copy of `frame` without the items whose bounds miss `area`.
fn prune(frame: &Frame, offset: Point, area: Area) -> Frame {
    let mut out = Frame::hard(frame.size());
    let meets = |b: Area| b.0 < area.2 && b.2 > area.0 && b.1 < area.3 && b.3 > area.1;
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        let keep = match item {
            FrameItem::Group(g) if g.transform.is_identity() && g.clip.is_none() => {
                let inner = prune(&g.frame, at, area);
                out.push(*pos, FrameItem::Group(GroupItem { frame: inner, ..g.clone() }));
                continue;
            }
            _ => bounds(item, at).is_none_or(meets),
        };
        if keep {
            out.push(*pos, item.clone());
        }
    }
    out
}

/// Generous bounds of a drawn item at `at` (None for a transformed group:
/// assume it reaches anywhere).
fn bounds(item: &FrameItem, at: Point) -> Option<Area> {
    match item {
        FrameItem::Group(g) if !g.transform.is_identity() => None,
        FrameItem::Group(g) => {
            let size = g.frame.size();
            Some((at.x, at.y, at.x + size.x, at.y + size.y))
        }
        // Ink can reach past the advance and the em box.
        FrameItem::Text(t) => {
            Some((at.x - t.size, at.y - t.size * 1.5, at.x + t.width() + t.size, at.y + t.size))
        }
        FrameItem::Shape(s, _) => {
            let b = s.bbox(true);
            let m = Abs::pt(2.0);
            Some((at.x + b.min.x - m, at.y + b.min.y - m, at.x + b.max.x + m, at.y + b.max.y + m))
        }
        FrameItem::Image(_, size, _) => Some((at.x, at.y, at.x + size.x, at.y + size.y)),
        FrameItem::Link(..) | FrameItem::Tag(_) => Some((at.x, at.y, at.x, at.y)),
    }
}

/// Every drawn item with its absolute position, as (hash, generous bounds).
fn leaves(frame: &Frame, offset: Point, out: &mut Vec<(u128, Area)>) -> Option<()> {
    for (pos, item) in frame.items() {
        let at = offset + *pos;
        match item {
            FrameItem::Group(g) if !g.transform.is_identity() => return None,
            // A clip changes what its items show: the group is one item.
            FrameItem::Group(g) if g.clip.is_none() => leaves(&g.frame, at, out)?,
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
            _ => out.push((hash128(&(at, item)), bounds(item, at)?)),
        }
    }
    Some(())
}
