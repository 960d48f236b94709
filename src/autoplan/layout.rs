//! A page arrangement as the search moves it, and the blocks it makes.
//!
//! The page: banner and lead across the top, in rank order; under them
//! the body area cut into stacks, column groups side by side from the
//! left; each stack holds articles one under another, each as wide as its
//! stack. Every stack is as tall as the body area, so the blocks cover the
//! whole grid; the lines a stack has beyond what its articles need are
//! shared out as air in the heads and lines under balanced columns, by the
//! stack's policy (which article takes them moves the heads below).

use crate::content::model::Placement;

use super::pieces::{Need, Piece};

/// Air the planner may give a head (set as `head_lines`): a head set in
/// more lines than it needs is centred in them.
pub const AIR_MAX: u32 = 3;
/// Lines a block may leave under its balanced columns and still fit (the
/// fit report's "underfull" starts above this).
pub const SHORT_MAX: u32 = crate::layout::report::UNDERFULL_LINES;

/// One column group: its span and what stands in it, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stack {
    pub span: u32,
    pub items: Vec<Item>,
    /// How spare lines are shared: `policy % 3` is 0 from the top, 1 from
    /// the bottom, 2 a line each in turn; `policy / 3` the item they
    /// start from.
    pub policy: u8,
}

/// What stands in a column group: an article as wide as the group, or a
/// band of narrower groups side by side.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Article(usize),
    Band(Band),
}

/// Column groups side by side across their stack (spans summing to its
/// span), each holding articles one under another; all as tall as the
/// band. With `arm`, the band is the foot of an L: the article standing
/// right above it (its arm, as wide as the stack) fills its columns with
/// as few lines as let the rest of its text, run on into a leg at the top
/// of the band's first group (no head of its own), stand no lower than
/// the band's other groups, plus `arm` lines (the search moves it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Band {
    pub parts: Vec<Stack>,
    pub arm: Option<u32>,
}

/// An arrangement: extra lines given to the top of the page (the lead's
/// air), and the groups from the left.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Layout {
    pub top_extra: u32,
    pub stacks: Vec<Stack>,
}

impl Stack {
    /// The articles in it, in bands too, top to bottom and left to right.
    pub fn articles(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for item in &self.items {
            match item {
                Item::Article(i) => out.push(*i),
                Item::Band(b) => b.parts.iter().for_each(|p| out.extend(p.articles())),
            }
        }
        out
    }
}

/// A placed block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub piece: usize,
    pub column: u32,
    pub span: u32,
    pub line: u32,
    pub lines: u32,
    pub need: Need,
    /// Lines of air given to the head.
    pub air: u32,
    /// Lines left under the balanced columns.
    pub short: u32,
    /// Column-lines of body that do not fit.
    pub over: u32,
    /// The leg of an L: the article's text run on from its arm, no head.
    pub leg: bool,
}

impl Block {
    /// The lines its head's text stands on (none for a note's box): `snap`
    /// centres the head in its lines, so air puts half above it.
    pub fn head_zone(&self, piece: &Piece) -> (u32, u32) {
        if !piece.headed() {
            return (self.line, self.line);
        }
        let head = if piece.kind == crate::content::model::ArticleKind::Interview {
            self.need.head()
        } else {
            self.need.head_text
        };
        // Half the air above, rounded either way: a head centred on
        // half a line may reach into either.
        (self.line + self.air / 2, self.line + self.air.div_ceil(2) + head)
    }

    /// The `[[place]]` table for it.
    pub fn placement(&self, piece: &Piece) -> Placement {
        let head_lines = (self.air > 0 && piece.headed()).then_some(match piece.kind {
            crate::content::model::ArticleKind::Interview => self.need.head() + self.air,
            _ => self.need.head_text + self.air,
        });
        Placement {
            article: piece.id.clone(),
            column: self.column,
            span: self.span,
            line: self.line,
            lines: self.lines,
            body_columns: (self.need.columns != self.span).then_some(self.need.columns),
            head_lines,
        }
    }
}

/// The blocks of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub blocks: Vec<Block>,
    /// Grid lines the page's top (banner, lead) takes.
    pub top_lines: u32,
}

impl Plan {
    pub fn placements(&self, pieces: &[Piece]) -> Vec<Placement> {
        self.blocks.iter().map(|b| b.placement(&pieces[b.piece])).collect()
    }
}

/// Lays the arrangement out on a grid of `columns` × `lines`: `None` when
/// an article stands where it may not (a span outside its range, an L it
/// may not take) or a group cannot hold even a line of each.
pub fn materialize(layout: &Layout, pieces: &[Piece], columns: u32, lines: u32) -> Option<Plan> {
    let mut blocks = Vec::new();
    let mut line = 1;
    let mut tops: Vec<&Piece> = pieces.iter().filter(|p| p.top).collect();
    tops.sort_by_key(|p| p.rank);
    let n_tops = tops.len();
    for (i, p) in tops.into_iter().enumerate() {
        let need = *p.need(columns)?;
        let extra = if i + 1 == n_tops { layout.top_extra } else { 0 };
        let n = need.lines() + extra;
        blocks.push(Block {
            piece: pieces.iter().position(|q| q.id == p.id)?,
            column: 1,
            span: columns,
            line,
            lines: n,
            need,
            air: 0,
            short: 0,
            over: 0,
            leg: false,
        });
        line += n;
    }
    // Every article under the top once.
    let mut placed: Vec<usize> = layout.stacks.iter().flat_map(Stack::articles).collect();
    placed.sort_unstable();
    if placed.len() != pieces.iter().filter(|p| !p.top).count() || placed.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    let top_lines = line - 1;
    let height = lines.checked_sub(top_lines)?;
    let mut column = 1;
    for stack in &layout.stacks {
        fill(stack, None, pieces, column, top_lines + 1, height, true, &mut blocks)?;
        column += stack.span;
    }
    (column == columns + 1).then_some(Plan { blocks, top_lines })
}

/// One thing in a group as `fill` sizes it.
enum Slot<'a> {
    /// An article: its need, and whether it is an L's arm (full columns,
    /// nothing to spare) or leg (no head).
    Article { piece: usize, need: Need, arm: bool, leg: bool },
    Band(&'a Band),
}

/// What an L needs: the arm (head and `arm` lines in each column) and the
/// leg (the rest of the text balanced over `leg_span` columns), or `None`
/// when the article may not be an L there or its text does not reach the
/// leg.
fn l_needs(piece: &Piece, span: u32, arm: u32, leg_span: u32) -> Option<(Need, Need)> {
    if !piece.may_l() || leg_span >= span {
        return None;
    }
    // The leg needs no head (it may be narrower than the head or portrait
    // could stand), only body columns, as wide as the arm's.
    let whole = *piece.need(span)?;
    if whole.columns != span || leg_span == 0 || arm < MIN_ARM {
        return None;
    }
    let rest = whole.body.checked_sub(arm * whole.columns).filter(|&r| r > 0)?;
    let per = rest.div_ceil(leg_span);
    if leg_span > 1 && per < super::pieces::MIN_COLUMN_LINES {
        return None;
    }
    let arm_need = Need { per: arm, last: arm, foot: 0, ..whole };
    let leg = Need {
        head_text: 0,
        photo_row: 0,
        columns: leg_span,
        body: rest,
        per,
        last: rest.saturating_sub(per * (leg_span - 1)),
        foot: 0,
    };
    Some((arm_need, leg))
}

/// Least body lines an L's arm sets in each column: no 豆腐块 either.
pub const MIN_ARM: u32 = super::pieces::MIN_COLUMN_LINES;

/// Lays out `stack` at `column`, from `line`, `height` lines tall, its
/// first slot the leg `leg` (piece and need) when the stack is an L's
/// foot. Its spare lines go by its policy: air in heads first, then lines
/// under balanced columns, then to its bands; overset (when `overset` may
/// be taken) costs the last article what is missing.
#[allow(clippy::too_many_arguments)]
fn fill(
    stack: &Stack,
    leg: Option<(usize, Need)>,
    pieces: &[Piece],
    column: u32,
    line: u32,
    height: u32,
    overset: bool,
    blocks: &mut Vec<Block>,
) -> Option<()> {
    let mut slots: Vec<Slot> = Vec::new();
    if let Some((piece, need)) = leg {
        slots.push(Slot::Article { piece, need, arm: false, leg: true });
    }
    let mut legs: Vec<Option<(usize, Need)>> = Vec::new();
    for (k, item) in stack.items.iter().enumerate() {
        match item {
            Item::Article(i) => {
                let foot = match stack.items.get(k + 1) {
                    Some(Item::Band(Band { arm: Some(extra), parts })) => {
                        // The arm as short as lets the leg stand no lower
                        // than the band's other groups, then `extra` longer.
                        let natural = |p: &Stack| -> Option<u32> {
                            p.items
                                .iter()
                                .map(|it| match it {
                                    Item::Article(i) => pieces[*i].need(p.span).map(Need::lines),
                                    Item::Band(_) => None,
                                })
                                .sum()
                        };
                        let first = parts.first()?;
                        let others = parts[1..].iter().map(natural).try_fold(0, |m, n| n.map(|n| m.max(n)))?;
                        let room = others.saturating_sub(natural(first)?);
                        let whole = pieces[*i].need(stack.span)?;
                        let arm = whole.body.saturating_sub(room * first.span).div_ceil(whole.columns.max(1)).max(MIN_ARM);
                        Some((arm + extra, first.span))
                    }
                    _ => None,
                };
                match foot {
                    Some((arm, leg_span)) => {
                        let (a, l) = l_needs(&pieces[*i], stack.span, arm, leg_span)?;
                        slots.push(Slot::Article { piece: *i, need: a, arm: true, leg: false });
                        legs.push(Some((*i, l)));
                    }
                    None => slots.push(Slot::Article { piece: *i, need: *pieces[*i].need(stack.span)?, arm: false, leg: false }),
                }
            }
            Item::Band(b) => {
                if b.parts.iter().map(|p| p.span).sum::<u32>() != stack.span || b.parts.len() < 2 {
                    return None;
                }
                // An L's foot follows its arm.
                if b.arm.is_some() && !matches!(k.checked_sub(1).map(|j| &stack.items[j]), Some(Item::Article(_))) {
                    return None;
                }
                slots.push(Slot::Band(b));
                if b.arm.is_none() {
                    legs.push(None);
                }
            }
        }
    }
    // The leg each band's first group opens with, in band order.
    let mut band_legs = legs.into_iter().flatten();
    let mut band_leg: Vec<Option<(usize, Need)>> = Vec::new();
    for slot in &slots {
        if let Slot::Band(b) = slot {
            band_leg.push(if b.arm.is_some() { band_legs.next() } else { None });
        }
    }
    // Natural lines of each slot.
    let mut bands = band_leg.iter();
    let natural: Vec<u32> = slots
        .iter()
        .map(|s| match s {
            Slot::Article { need, .. } => Some(need.lines()),
            Slot::Band(b) => {
                let leg = bands.next()?;
                b.parts
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        let leg_lines = if j == 0 { leg.map_or(0, |l| l.1.lines()) } else { 0 };
                        let arts: Option<u32> = p
                            .items
                            .iter()
                            .map(|it| match it {
                                Item::Article(i) => pieces[*i].need(p.span).map(Need::lines),
                                Item::Band(_) => None,
                            })
                            .sum();
                        Some(leg_lines + arts?)
                    })
                    .try_fold(0, |m, n| n.map(|n| m.max(n)))
            }
        })
        .collect::<Option<_>>()?;
    let n = slots.len();
    if n == 0 {
        return None;
    }
    let sum: u32 = natural.iter().sum();
    let mut air = vec![0; n];
    let mut short = vec![0; n];
    let mut over = vec![0; n];
    let mut sizes = natural.clone();
    if sum > height {
        // Overset: the group's last article loses what is missing.
        // (A band at the foot: its groups' last articles.)
        let deficit = sum - height;
        let last = n - 1;
        if !overset || sizes[last] <= deficit {
            return None;
        }
        match &slots[last] {
            Slot::Article { need, arm: false, .. } => over[last] = deficit * need.columns,
            Slot::Band(_) => {}
            Slot::Article { arm: true, .. } => return None,
        }
        sizes[last] -= deficit;
    } else {
        let mut spare = height - sum;
        let (mode, from) = (stack.policy % 3, stack.policy as usize / 3);
        let mut order: Vec<usize> = match mode {
            1 => (0..n).rev().collect(),
            _ => (0..n).collect(),
        };
        order.rotate_left(from % n);
        let headed: Vec<bool> = slots
            .iter()
            .map(|s| matches!(s, Slot::Article { piece, leg: false, .. } if pieces[*piece].headed()))
            .collect();
        // What may stand under its balanced columns: not an arm, whose
        // columns run full into its leg; a band, any lines its groups share.
        let cap_short: Vec<u32> = slots
            .iter()
            .map(|s| match s {
                Slot::Article { arm: true, .. } => 0,
                Slot::Article { .. } => SHORT_MAX,
                Slot::Band(_) => u32::MAX,
            })
            .collect();
        // Air in the heads first, then lines under the columns.
        for into_air in [true, false] {
            let cap = |k: usize| if into_air { if headed[k] { AIR_MAX } else { 0 } } else { cap_short[k] };
            if mode == 2 {
                while spare > 0 {
                    let mut gave = false;
                    for &k in &order {
                        let slot = if into_air { &mut air[k] } else { &mut short[k] };
                        if spare > 0 && *slot < cap(k) {
                            *slot += 1;
                            spare -= 1;
                            gave = true;
                        }
                    }
                    if !gave {
                        break;
                    }
                }
            } else {
                for &k in &order {
                    let slot = if into_air { &mut air[k] } else { &mut short[k] };
                    let give = spare.min(cap(k).saturating_sub(*slot));
                    *slot += give;
                    spare -= give;
                }
            }
        }
        // What is still spare leaves the last that may take it underfull.
        if spare > 0 {
            let k = *order.iter().rev().find(|&&k| !matches!(slots[k], Slot::Article { arm: true, .. }))?;
            short[k] += spare;
        }
        for k in 0..n {
            sizes[k] += air[k] + short[k];
        }
    }
    let mut l = line;
    let mut bands = band_leg.into_iter();
    for k in 0..n {
        match &slots[k] {
            Slot::Article { piece, need, leg, .. } => blocks.push(Block {
                piece: *piece,
                column,
                span: stack.span,
                line: l,
                lines: sizes[k],
                need: *need,
                air: air[k],
                short: short[k],
                over: over[k],
                leg: *leg,
            }),
            Slot::Band(b) => {
                let leg = bands.next()?;
                let mut c = column;
                for (j, part) in b.parts.iter().enumerate() {
                    fill(part, if j == 0 { leg } else { None }, pieces, c, l, sizes[k], overset && k + 1 == n, blocks)?;
                    c += part.span;
                }
            }
        }
        l += sizes[k];
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(id: &str, body: u32, head: u32) -> Piece {
        crate::autoplan::pieces::fixture::piece(id, 0, head, body, 1..=4)
    }

    #[test]
    fn an_l_runs_its_text_from_a_full_arm_into_a_leg_beside_a_band() {
        // A 4-column group, 40 lines: `a` (head 4, 80 body lines) as an
        // L over a band, `b` (head 4, 30 lines: 15 a column at span 2, 19
        // lines) beside the leg. The arm is as short as lets the leg stand
        // no lower than `b`: ⌈(80 − 19 × 2) / 4⌉ = 11 lines a column; the
        // leg takes the other 36 in 2 columns of 18.
        let pieces = vec![piece("a", 80, 4), piece("b", 30, 4)];
        let layout = Layout {
            top_extra: 0,
            stacks: vec![Stack {
                span: 4,
                items: vec![
                    Item::Article(0),
                    Item::Band(Band {
                        parts: vec![
                            Stack { span: 2, items: vec![], policy: 0 },
                            Stack { span: 2, items: vec![Item::Article(1)], policy: 0 },
                        ],
                        arm: Some(0),
                    }),
                ],
                policy: 0,
            }],
        };
        let plan = materialize(&layout, &pieces, 4, 40).expect("lays out");
        let at: Vec<_> = plan.blocks.iter().map(|b| (b.piece, b.column, b.span, b.line, b.lines, b.leg)).collect();
        // The 6 spare lines (40 − 15 − 19): 3 air in the arm's head, 3 to
        // the band (the leg 4 under its columns, `b` 3 of air).
        assert_eq!(at, vec![(0, 1, 4, 1, 18, false), (0, 1, 2, 19, 22, true), (1, 3, 2, 19, 22, false)]);
        assert_eq!((plan.blocks[0].need.per, plan.blocks[0].air), (11, 3));
        assert_eq!((plan.blocks[1].need.per, plan.blocks[1].need.head(), plan.blocks[1].short), (18, 0, 4));
        assert_eq!(plan.blocks[2].air, 3);
        // The leg's text is the arm's rest: nothing lost, nothing twice.
        assert_eq!(plan.blocks[0].need.per * 4 + plan.blocks[1].need.body, 80);
        // No L where the article says never.
        let mut never = pieces.clone();
        never[0].l_shape = Some(false);
        assert!(materialize(&layout, &never, 4, 40).is_none());
    }
}
