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

/// One column group: its span and its articles, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Stack {
    pub span: u32,
    pub items: Vec<usize>,
    /// How spare lines are shared: `policy % 3` is 0 from the top, 1 from
    /// the bottom, 2 a line each in turn; `policy / 3` the article they
    /// start from.
    pub policy: u8,
}

/// An arrangement: extra lines given to the top of the page (the lead's
/// air), and the stacks from the left.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Layout {
    pub top_extra: u32,
    pub stacks: Vec<Stack>,
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
/// an article stands where it may not (a span outside its range) or a
/// stack cannot hold even a line of each.
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
        });
        line += n;
    }
    let top_lines = line - 1;
    let height = lines.checked_sub(top_lines)?;
    let mut column = 1;
    for stack in &layout.stacks {
        let needs: Vec<Need> = stack.items.iter().map(|&i| pieces[i].need(stack.span).copied()).collect::<Option<_>>()?;
        let sum: u32 = needs.iter().map(Need::lines).sum();
        let n = needs.len();
        let mut air = vec![0; n];
        let mut short = vec![0; n];
        let mut over = vec![0; n];
        let mut sizes: Vec<u32> = needs.iter().map(Need::lines).collect();
        if sum > height {
            // Overset: the stack's last article loses what is missing.
            let deficit = sum - height;
            let last = n.checked_sub(1)?;
            if sizes[last] <= deficit {
                return None;
            }
            sizes[last] -= deficit;
            over[last] = deficit * needs[last].columns;
        } else {
            let mut spare = height - sum;
            // The policy: how (from the top, from the bottom, in turn) and
            // from which article on.
            let (mode, from) = (stack.policy % 3, stack.policy as usize / 3);
            let mut order: Vec<usize> = match mode {
                1 => (0..n).rev().collect(),
                _ => (0..n).collect(),
            };
            order.rotate_left(from % n.max(1));
            let headed: Vec<bool> = stack.items.iter().map(|&i| pieces[i].headed()).collect();
            // Air in the heads first, then lines under the columns.
            for (cap, into_air) in [(AIR_MAX, true), (SHORT_MAX, false)] {
                if mode == 2 {
                    while spare > 0 {
                        let mut gave = false;
                        for &k in &order {
                            let slot = if into_air { &mut air[k] } else { &mut short[k] };
                            if spare > 0 && *slot < cap && (!into_air || headed[k]) {
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
                        if into_air && !headed[k] {
                            continue;
                        }
                        let slot = if into_air { &mut air[k] } else { &mut short[k] };
                        let give = spare.min(cap);
                        *slot += give;
                        spare -= give;
                    }
                }
            }
            // What is still spare leaves the last article underfull.
            if let Some(&k) = order.last() {
                short[k] += spare;
            }
            for k in 0..n {
                sizes[k] += air[k] + short[k];
            }
        }
        let mut l = top_lines + 1;
        for k in 0..n {
            blocks.push(Block {
                piece: stack.items[k],
                column,
                span: stack.span,
                line: l,
                lines: sizes[k],
                need: needs[k],
                air: air[k],
                short: short[k],
                over: over[k],
            });
            l += sizes[k];
        }
        column += stack.span;
    }
    (column == columns + 1).then_some(Plan { blocks, top_lines })
}
