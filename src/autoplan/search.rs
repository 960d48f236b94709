//! The search over arrangements (see the module doc of `autoplan`): for
//! every way to cut the columns into column groups, a greedy start and
//! simulated annealing over which articles stand in which group, in what
//! order, and where each group's spare lines go. Deterministic: a fixed
//! seed per cut, ties broken by the arrangement itself.

use std::collections::BTreeMap;

use crate::content::filler::Rng;

use super::layout::{Layout, Plan, Stack, materialize};
use super::pieces::Piece;
use super::score::{Score, score};

/// Steps of annealing per cut of the columns.
const STEPS: usize = 2500;
/// Most column groups side by side.
const MAX_STACKS: u32 = 4;
/// Most lines of air the lead may be given over its need.
const TOP_EXTRA_MAX: u32 = 3;
/// Seed of the search (fixed: the same input gives the same plans).
const SEED: u64 = 0x7061_6962_616e;

/// A scored arrangement.
#[derive(Debug, Clone)]
pub struct Found {
    pub layout: Layout,
    pub plan: Plan,
    pub score: Score,
}

/// The page's dimensions as the scorer takes them.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub columns: u32,
    pub lines: u32,
    pub column_chars: u32,
    pub gutter: u32,
}

impl Page {
    fn dims(&self) -> (u32, u32, u32, u32) {
        (self.columns, self.lines, self.column_chars, self.gutter)
    }
}

/// Every way to write `n` as an ordered sum of at most `k` parts.
fn compositions(n: u32, k: u32) -> Vec<Vec<u32>> {
    fn go(n: u32, k: u32, prefix: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if n == 0 {
            out.push(prefix.clone());
            return;
        }
        if k == 0 {
            return;
        }
        for first in 1..=n {
            prefix.push(first);
            go(n - first, k - 1, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    go(n, k, &mut Vec::new(), &mut out);
    out
}

fn evaluate(layout: &Layout, pieces: &[Piece], page: Page) -> Option<(Plan, Score)> {
    let plan = materialize(layout, pieces, page.columns, page.lines)?;
    let s = score(&plan, pieces, page.dims(), 0, false);
    Some((plan, s))
}

/// The greedy start for a cut: the lead story at the top of the first
/// group, then each article, longest first, into the group with the most
/// lines left where it may stand; each group in rank order.
fn greedy(spans: &[u32], pieces: &[Piece], body: &[usize], lines: u32) -> Option<Layout> {
    let mut stacks: Vec<Stack> = spans.iter().map(|&span| Stack { span, items: Vec::new(), policy: 0 }).collect();
    let (&lead, rest) = body.split_first()?;
    pieces[lead].need(spans[0])?;
    stacks[0].items.push(lead);
    let mut order: Vec<usize> = rest.to_vec();
    order.sort_by_key(|&i| (std::cmp::Reverse(pieces[i].chars), pieces[i].rank));
    for i in order {
        let load = |s: &Stack| -> i64 {
            s.items.iter().map(|&j| pieces[j].need(s.span).map_or(0, |n| n.lines() as i64)).sum()
        };
        let best = stacks
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                let need = pieces[i].need(s.span)?.lines() as i64;
                Some((lines as i64 - load(s) - need, k))
            })
            .max()?;
        stacks[best.1].items.push(i);
    }
    for s in &mut stacks {
        let lead_first = s.items.first() == Some(&lead);
        s.items.sort_by_key(|&i| (i != lead || !lead_first, pieces[i].rank));
    }
    Some(Layout { top_extra: 0, stacks })
}

/// One move of the annealing: an article to another group or place, two
/// articles swapped, a group's policy or the lead's air changed. The lead
/// story stays at the top of the first group.
fn neighbour(layout: &Layout, lead: usize, rng: &mut Rng, has_top: bool) -> Layout {
    let mut l = layout.clone();
    let n = l.stacks.len();
    // Articles that may move: (stack, index), all but the lead story.
    let movable: Vec<(usize, usize)> = l
        .stacks
        .iter()
        .enumerate()
        .flat_map(|(s, st)| (0..st.items.len()).map(move |k| (s, k)))
        .filter(|&(s, k)| !(s == 0 && k == 0 && l.stacks[0].items[0] == lead))
        .collect();
    match rng.below(5) {
        0 if !movable.is_empty() => {
            let (s, k) = movable[rng.below(movable.len())];
            let item = l.stacks[s].items.remove(k);
            let to = rng.below(n);
            let lo = usize::from(to == 0 && l.stacks[0].items.first() == Some(&lead));
            let len = l.stacks[to].items.len();
            let at = lo + rng.below(len + 1 - lo.min(len));
            l.stacks[to].items.insert(at.min(len), item);
        }
        1 if movable.len() >= 2 => {
            let (s1, k1) = movable[rng.below(movable.len())];
            let (s2, k2) = movable[rng.below(movable.len())];
            let a = l.stacks[s1].items[k1];
            let b = l.stacks[s2].items[k2];
            l.stacks[s1].items[k1] = b;
            l.stacks[s2].items[k2] = a;
        }
        2 => {
            let s = rng.below(n);
            l.stacks[s].policy = rng.below(3 * l.stacks[s].items.len().max(1)) as u8;
        }
        3 if has_top => {
            l.top_extra = rng.below(TOP_EXTRA_MAX as usize + 1) as u32;
        }
        _ if !movable.is_empty() => {
            // Within a group: swap an article with the one below it.
            let (s, k) = movable[rng.below(movable.len())];
            if k + 1 < l.stacks[s].items.len() {
                l.stacks[s].items.swap(k, k + 1);
            }
        }
        _ => {}
    }
    l
}

/// A plan's blocks as (column, line, span, lines, piece): what makes two
/// plans the same.
type BlockKey = Vec<(u32, u32, u32, u32, usize)>;

/// Searches arrangements of `pieces` on `page` and returns the best
/// `keep` distinct plans, best first.
pub fn search(pieces: &[Piece], page: Page, keep: usize) -> Vec<Found> {
    let mut body: Vec<usize> = (0..pieces.len()).filter(|&i| !pieces[i].top).collect();
    body.sort_by_key(|&i| pieces[i].rank);
    let has_top = pieces.iter().any(|p| p.top);
    let Some(&lead) = body.first() else { return Vec::new() };
    // Distinct plans (by their blocks), best score kept.
    let mut found: BTreeMap<BlockKey, Found> = BTreeMap::new();
    let mut record = |layout: &Layout, plan: Plan, s: Score| {
        let key: Vec<_> = plan.blocks.iter().map(|b| (b.column, b.line, b.span, b.lines, b.piece)).collect();
        let better = found.get(&key).is_none_or(|f| s.total < f.score.total);
        if better {
            found.insert(key, Found { layout: layout.clone(), plan, score: s });
        }
    };
    for (n, spans) in compositions(page.columns, MAX_STACKS.min(body.len() as u32)).into_iter().enumerate() {
        let Some(start) = greedy(&spans, pieces, &body, page.lines) else { continue };
        let mut rng = Rng(SEED ^ (n as u64).wrapping_mul(0x9E37_79B9));
        let mut cur = start;
        let Some((plan, s)) = evaluate(&cur, pieces, page).or_else(|| {
            // The greedy start may overfill a group past holding a line of
            // each article: walk until an arrangement lays out.
            (0..200).find_map(|_| {
                cur = neighbour(&cur, lead, &mut rng, has_top);
                evaluate(&cur, pieces, page)
            })
        }) else {
            continue;
        };
        let mut cur_score = s.total;
        record(&cur, plan, s);
        for step in 0..STEPS {
            let temp = 60.0 * (0.002f64).powf(step as f64 / STEPS as f64);
            let next = neighbour(&cur, lead, &mut rng, has_top);
            let Some((plan, s)) = evaluate(&next, pieces, page) else { continue };
            let delta = s.total - cur_score;
            let accept = delta <= 0.0 || (rng.below(1_000_000) as f64 / 1e6) < (-delta / temp).exp();
            if accept {
                cur_score = s.total;
                record(&next, plan, s);
                cur = next;
            }
        }
    }
    let mut all: Vec<Found> = found.into_values().collect();
    all.sort_by(|a, b| a.score.total.total_cmp(&b.score.total).then_with(|| a.layout.cmp(&b.layout)));
    // Distinct arrangements, not one arrangement with its spare lines
    // moved: one plan per set of groups and their articles.
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|f| seen.insert(f.layout.stacks.iter().map(|s| (s.span, s.items.clone())).collect::<Vec<_>>()));
    all.truncate(keep);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositions_of_four() {
        let c = compositions(4, 4);
        assert_eq!(c.len(), 8);
        assert!(c.contains(&vec![1, 3]) && c.contains(&vec![4]) && c.contains(&vec![1, 1, 1, 1]));
        assert_eq!(compositions(8, 2).len(), 8);
    }
}
