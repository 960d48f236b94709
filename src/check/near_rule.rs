//! Glyphs that touch a rule: the check's `near-rule` (`typography`). A
//! glyph whose ink comes within [`NEAR_RULE_PT`] of a hairline — between
//! articles (`paiban-rule:…`, `data::rules`), around a box (the 编者按's
//! rules), under a head or the page header — reads as touching it; a hung
//! pair of marks can even cross it.
//!
//! Measured on ink, not advance: each glyph's outline box from its font,
//! and each rule's box with its stroke, as the page invariant measures them
//! (`invariant::ink`). A rule is an upright or level line (a slanted one,
//! an FPO box's diagonal, is a drawing), or a side of a ruled frame that
//! Typst draws as one filled ring (a block's `stroke`, the 编者按 box): each
//! side of the ring is its own band. Stroked rectangles (the 待稿 sign, a
//! photo slot's frame) are not rules. A mark's advance box is a whole cell, but its ink
//! sits in one corner of it (。 low left, ” high left): the advance box
//! would call a mark hung clear of the rule touching, and a Han character
//! whose outline overshoots its cell (员's last dot) clear when it is not.
//! The outline box is a little larger than the ink itself (the box of a
//! curve's control points), so a glyph reported is at most that much
//! further away; one not reported is not near.


use crate::typeset::ink::{Ink, Owner, What};

/// How close a glyph's ink may come to a rule, in pt.
pub const NEAR_RULE_PT: f64 = 0.3;

/// Lines no thicker than this (pt) across their length are rules; thicker
/// lines and slanted ones (an FPO box's diagonals) are drawings.
const RULE_MAX_WIDTH: f64 = 2.0;

/// A glyph within [`NEAR_RULE_PT`] of a rule.
#[derive(Debug, Clone)]
pub struct NearGlyph {
    /// Who drew the glyph (a block's key, the header …).
    pub owner: Owner,
    pub text: String,
    /// Ink box, pt: left, top, right, bottom.
    pub bbox: (f64, f64, f64, f64),
    pub baseline: f64,
    pub size: f64,
    /// Clearance to the nearest rule, pt (0 when the ink overlaps it).
    pub distance: f64,
}

/// Every printed glyph of a page within [`NEAR_RULE_PT`] of a rule, from
/// the page's ink (`Laid::ink`, or `typeset::ink::ink` of a page).
pub fn glyphs(marks: &[Ink]) -> Vec<NearGlyph> {
    let mut rules: Vec<_> = marks
        .iter()
        .filter(|m| !m.hidden && m.owner != Owner::Guide && m.what == What::Line)
        .map(|m| m.bbox)
        .filter(|b| (b.2 - b.0).min(b.3 - b.1) <= RULE_MAX_WIDTH)
        .collect();
    rules.extend(
        marks.iter().filter(|m| !m.hidden && m.owner != Owner::Guide).flat_map(|m| m.bands.iter().copied()),
    );
    marks
        .iter()
        .filter(|m| !m.hidden && m.owner != Owner::Guide)
        .filter_map(|m| {
            let What::Glyph(text) = &m.what else { return None };
            if text.trim().is_empty() {
                return None;
            }
            let distance = rules.iter().map(|r| clearance(m.bbox, *r)).fold(f64::INFINITY, f64::min);
            (distance <= NEAR_RULE_PT).then(|| NearGlyph {
                owner: m.owner.clone(),
                text: text.to_string(),
                bbox: m.bbox,
                baseline: m.baseline,
                size: m.size,
                distance,
            })
        })
        .collect()
}

/// The gap between two boxes (left, top, right, bottom), 0 if they overlap.
pub fn clearance(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> f64 {
    let dx = (b.0 - a.2).max(a.0 - b.2).max(0.0);
    let dy = (b.1 - a.3).max(a.1 - b.3).max(0.0);
    dx.hypot(dy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::ink::ring_bands;
    use typst::layout::Abs;
    use typst::visualize::{CurveItem, Geometry};

    #[test]
    fn a_ruled_frame_drawn_as_a_ring_has_four_bands() {
        use typst::layout::Point;
        use typst::visualize::Curve;
        let pt = |x: f64, y: f64| Point::new(Abs::pt(x), Abs::pt(y));
        // As Typst draws `stroke: (top: 1.2pt, bottom: 1.2pt, x: 0.4pt)`.
        let mut items = vec![CurveItem::Move(pt(0.2, 0.6))];
        for p in [(-0.2, -0.6), (495.2, -0.6), (495.2, 119.85), (-0.2, 119.85), (-0.2, -0.6), (0.2, 0.6)] {
            items.push(CurveItem::Line(pt(p.0, p.1)));
        }
        for p in [(0.2, 118.65), (494.8, 118.65), (494.8, 0.6)] {
            items.push(CurveItem::Line(pt(p.0, p.1)));
        }
        items.push(CurveItem::Close);
        let bands: Vec<_> = ring_bands(&Geometry::Curve(Curve(items)))
            .into_iter()
            .map(|(a, b, c, d)| [a, b, c, d].map(|v| (v.to_pt() * 100.0).round() / 100.0))
            .collect();
        assert_eq!(
            bands,
            [
                [-0.2, -0.6, 495.2, 0.6],
                [-0.2, 118.65, 495.2, 119.85],
                [-0.2, -0.6, 0.2, 119.85],
                [494.8, -0.6, 495.2, 119.85]
            ]
        );
        // A filled rectangle (no hole) and a slanted line are not rules.
        let mut solid = vec![CurveItem::Move(pt(0.0, 0.0))];
        for p in [(10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 5.0), (0.0, 2.0), (0.0, 1.0), (0.0, 0.5)] {
            solid.push(CurveItem::Line(pt(p.0, p.1)));
        }
        assert!(ring_bands(&Geometry::Curve(Curve(solid))).is_empty());
        assert!(ring_bands(&Geometry::Line(pt(5.0, 5.0))).is_empty());
    }

    #[test]
    fn clearance_between_boxes() {
        // A glyph left of an upright rule, 0.2 pt clear of its stroke.
        assert!((clearance((0.0, 0.0, 8.8, 9.0), (9.0, -5.0, 9.4, 50.0)) - 0.2).abs() < 1e-9);
        // Overlapping: 0.
        assert_eq!(clearance((0.0, 0.0, 9.5, 9.0), (9.0, -5.0, 9.4, 50.0)), 0.0);
        // Diagonal: past a rule's end.
        assert!((clearance((0.0, 0.0, 1.0, 1.0), (4.0, 5.0, 10.0, 5.4)) - 5.0).abs() < 1e-9);
    }
}
