//! Constructive starts for the search: arrangements built the way a desk
//! sizes a page from its copy, before the annealing moves anything.
//!
//! Why: on a page packed tight with long pieces and short news (the 四开
//! test page: three interviews and four news on 6 × 64 lines), the plans
//! that hold the copy set the long pieces as L-shapes with the news in a
//! column beside each leg, and each such plan is surrounded by overset:
//! from column groups, every step of the annealing towards one oversets,
//! so it is never reached. Built directly, with each band sized from the
//! exact capacity, it is one evaluation away.
//!
//! How, for one cut of the columns into groups:
//!
//! 1. The pieces are split into *mains* and *fillers*: a filler is a
//!    short piece (not the lead story) that stands in one column and takes
//!    at most a third of the body area's height there (`FILLER_SHARE`).
//! 2. Every assignment of the mains to the groups (the lead story in the
//!    first) whose column-lines fit, up to `MAX_ASSIGNMENTS`; past that
//!    the greedy one (longest first into the group with most room).
//! 3. Each group takes a shape: its mains one under another with a slot
//!    for fillers at its foot, or one of its mains set as an L over a
//!    band of a leg `leg` columns wide and a slot of the other columns.
//!    The slot's room is exact from the capacity: with `C` lines left to
//!    the L in a group `s` wide after its head and the other mains, and
//!    `B` body lines, an arm of `a` lines leaves a leg of `(B − a·s)/leg`
//!    lines, so a band `h` lines tall holds the leg when
//!    `h ≤ (s·C − B)/(s − leg)` and leaves the arm `C − h ≥ MIN_ARM`.
//! 4. Fillers go into the slots longest first, each into the slot with
//!    the most room left where it may stand (rank order inside a slot).
//! 5. The shapes are chosen group by group, the others held, keeping a
//!    change only when the arrangement scores better (`PASSES` rounds).
//!
//! The best arrangements of all cuts are returned, scored; the search
//! records them and anneals from them. Deterministic: every choice is
//! enumerated in a fixed order and ties keep the first.

use super::layout::{Band, Item, Layout, MIN_ARM, Stack};
use super::pieces::Piece;

/// A filler takes at most this share (1/n) of the body area's height in
/// one column.
const FILLER_SHARE: u32 = 3;
/// Assignments of the mains to the groups tried for one cut; past this,
/// the greedy one only.
const MAX_ASSIGNMENTS: usize = 81;
/// Rounds of choosing each group's shape with the others held.
const PASSES: usize = 2;

/// How a group stands: its mains one under another, or the main `at` set
/// as an L over a band of a leg `leg` columns wide and a slot of fillers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Plain,
    L { at: usize, leg: u32 },
}

/// Where fillers may go: `span` columns wide, `room` lines (may be
/// negative when the mains alone overfill it).
struct Slot {
    span: u32,
    room: i64,
}

/// The pieces split for construction: the mains in rank order (the lead
/// story first) and the fillers.
pub struct Split {
    mains: Vec<usize>,
    fillers: Vec<usize>,
}

/// Splits the body pieces (`body`, in rank order, the lead story first) of
/// a body area `height` lines tall; `None` when there are no fillers to
/// place (the search's own starts cover that).
pub fn split(pieces: &[Piece], body: &[usize], height: u32) -> Option<Split> {
    let (&lead, rest) = body.split_first()?;
    let is_filler = |i: usize| pieces[i].need(1).is_some_and(|n| n.lines() * FILLER_SHARE <= height);
    let fillers: Vec<usize> = rest.iter().copied().filter(|&i| is_filler(i)).collect();
    let mains: Vec<usize> = std::iter::once(lead).chain(rest.iter().copied().filter(|&i| !is_filler(i))).collect();
    (!fillers.is_empty()).then_some(Split { mains, fillers })
}

/// Lines a piece takes at `span`, `None` where it may not stand.
fn lines(pieces: &[Piece], i: usize, span: u32) -> Option<i64> {
    pieces[i].need(span).map(|n| n.lines() as i64)
}

/// The slot a group of `span` × `height` with `mains` (top to bottom)
/// leaves in `shape`, or `None` when the shape cannot stand.
fn slot(pieces: &[Piece], mains: &[usize], span: u32, height: u32, shape: Shape) -> Option<Slot> {
    let h = height as i64;
    match shape {
        Shape::Plain => {
            let load: i64 = mains.iter().map(|&i| lines(pieces, i, span)).sum::<Option<i64>>()?;
            Some(Slot { span, room: h - load })
        }
        Shape::L { at, leg } => {
            let main = *mains.get(at)?;
            let p = &pieces[main];
            let need = p.need(span)?;
            if !p.may_l() || leg == 0 || leg >= span || need.columns != span {
                return None;
            }
            let others: i64 = mains.iter().enumerate().filter(|&(k, _)| k != at).map(|(_, &i)| lines(pieces, i, span)).sum::<Option<i64>>()?;
            let c = h - need.head() as i64 - others;
            let (s, b, l) = (span as i64, need.body as i64, leg as i64);
            let room = (s * c - b).div_euclid(s - l).min(c - MIN_ARM as i64);
            Some(Slot { span: span - leg, room })
        }
    }
}

/// The arrangement of `groups` (each group's mains, top to bottom) in
/// `shapes`, the fillers shared out into the slots; `None` when a filler
/// may stand in no slot or a shape cannot stand.
fn build(pieces: &[Piece], spans: &[u32], groups: &[Vec<usize>], shapes: &[Shape], fillers: &[usize], height: u32) -> Option<Layout> {
    let mut slots: Vec<Slot> = Vec::with_capacity(groups.len());
    for (g, mains) in groups.iter().enumerate() {
        slots.push(slot(pieces, mains, spans[g], height, shapes[g])?);
    }
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    let mut order: Vec<usize> = fillers.to_vec();
    order.sort_by_key(|&i| (std::cmp::Reverse(lines(pieces, i, 1).unwrap_or(0)), pieces[i].rank));
    for i in order {
        let (g, n) = slots
            .iter()
            .enumerate()
            .filter_map(|(g, s)| Some((g, lines(pieces, i, s.span)?)))
            .max_by_key(|&(g, n)| (slots[g].room - n, std::cmp::Reverse(g)))?;
        slots[g].room -= n;
        into[g].push(i);
    }
    let stacks = groups
        .iter()
        .zip(spans)
        .zip(shapes)
        .zip(into)
        .map(|(((mains, &span), &shape), mut fill)| {
            fill.sort_by_key(|&i| pieces[i].rank);
            let art = |v: &[usize]| v.iter().map(|&i| Item::Article(i)).collect::<Vec<_>>();
            let items = match shape {
                Shape::Plain => art(&[mains.as_slice(), fill.as_slice()].concat()),
                Shape::L { at, leg } => {
                    let mut items = art(&mains[..=at]);
                    items.push(Item::Band(Band {
                        parts: vec![
                            Stack { span: leg, items: Vec::new(), policy: 0 },
                            Stack { span: span - leg, items: art(&fill), policy: 0 },
                        ],
                        arm: Some(0),
                    }));
                    items.extend(art(&mains[at + 1..]));
                    items
                }
            };
            Stack { span, items, policy: 0 }
        })
        .collect();
    Some(Layout { top_extra: 0, stacks })
}

/// The shapes a group of `span` with `mains` may take.
fn shapes(pieces: &[Piece], mains: &[usize], span: u32) -> Vec<Shape> {
    let mut out = vec![Shape::Plain];
    for (at, &i) in mains.iter().enumerate() {
        if pieces[i].may_l() {
            out.extend((1..span).map(|leg| Shape::L { at, leg }));
        }
    }
    out
}

/// The assignments of the mains (after the lead story, which stands in
/// group 0) to `spans.len()` groups, each group's mains in rank order:
/// all whose column-lines fit when there are few, else the greedy one.
fn assignments(pieces: &[Piece], split: &Split, spans: &[u32], height: u32) -> Vec<Vec<Vec<usize>>> {
    let k = spans.len();
    let rest = &split.mains[1..];
    let area = |i: usize, span: u32| pieces[i].need(span).map(|n| n.area(span) as i64);
    let fits = |groups: &[Vec<usize>]| {
        groups.iter().zip(spans).all(|(g, &s)| g.iter().map(|&i| area(i, s)).sum::<Option<i64>>().is_some_and(|a| a <= (height * s) as i64))
    };
    let total = (k as u128).checked_pow(rest.len() as u32).unwrap_or(u128::MAX);
    let mut out = Vec::new();
    if total <= MAX_ASSIGNMENTS as u128 {
        for code in 0..total as usize {
            let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
            groups[0].push(split.mains[0]);
            let mut c = code;
            for &i in rest {
                groups[c % k].push(i);
                c /= k;
            }
            if fits(&groups) {
                out.push(groups);
            }
        }
    } else {
        // Longest first into the group with the most column-lines left.
        let mut groups: Vec<Vec<usize>> = vec![Vec::new(); k];
        groups[0].push(split.mains[0]);
        let mut left: Vec<i64> = spans.iter().map(|&s| (height * s) as i64).collect();
        left[0] -= area(split.mains[0], spans[0]).unwrap_or(0);
        let mut order = rest.to_vec();
        order.sort_by_key(|&i| (std::cmp::Reverse(pieces[i].chars), pieces[i].rank));
        for i in order {
            let Some((g, a)) = (0..k).filter_map(|g| Some((g, area(i, spans[g])?))).max_by_key(|&(g, a)| (left[g] - a, std::cmp::Reverse(g))) else {
                return out;
            };
            left[g] -= a;
            groups[g].push(i);
        }
        for g in &mut groups {
            g.sort_by_key(|&i| pieces[i].rank);
        }
        out.push(groups);
    }
    out
}

/// Constructive arrangements for the cut `spans` of a body area `height`
/// lines tall, each the best shapes found for one assignment of the
/// mains, scored by `eval` (lower is better, `None` where it does not lay
/// out).
pub fn starts(
    pieces: &[Piece],
    split: &Split,
    spans: &[u32],
    height: u32,
    mut eval: impl FnMut(&Layout) -> Option<f64>,
) -> Vec<(Layout, f64)> {
    let mut out = Vec::new();
    for groups in assignments(pieces, split, spans, height) {
        let options: Vec<Vec<Shape>> = groups.iter().zip(spans).map(|(g, &s)| shapes(pieces, g, s)).collect();
        let mut chosen = vec![Shape::Plain; groups.len()];
        let mut score = |chosen: &[Shape]| build(pieces, spans, &groups, chosen, &split.fillers, height).and_then(|l| Some((eval(&l)?, l)));
        let mut best = score(&chosen);
        for _ in 0..PASSES {
            let mut moved = false;
            for g in 0..groups.len() {
                for &o in &options[g] {
                    if o == chosen[g] {
                        continue;
                    }
                    let mut trial = chosen.clone();
                    trial[g] = o;
                    if let Some((s, l)) = score(&trial)
                        && best.as_ref().is_none_or(|b| s < b.0)
                    {
                        best = Some((s, l));
                        chosen = trial;
                        moved = true;
                    }
                }
            }
            if !moved {
                break;
            }
        }
        if let Some((s, l)) = best {
            out.push((l, s));
        }
    }
    out
}
