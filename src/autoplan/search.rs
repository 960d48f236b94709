//! The search over arrangements (see the module doc of `autoplan`): for
//! every way to cut the columns into column groups, a greedy start (and
//! the same with L-shapes), the best constructive starts of all cuts
//! (`construct`) and the shortest chain (`bound`); from each, simulated
//! annealing over which articles stand in which group, in what order,
//! and where each group's spare lines go. Deterministic: a fixed seed per
//! start, ties broken by the arrangement itself.

use std::collections::BTreeMap;

use crate::content::filler::Rng;

use super::{bound, construct};
use super::layout::{Band, Item, Layout, Plan, Stack, materialize};
use super::pieces::Piece;
use super::score::{Score, score};

/// Steps of annealing per cut of the columns.
const STEPS: usize = 2500;
/// Most column groups side by side.
const MAX_STACKS: u32 = 4;
/// Most lines of air the lead may be given over its need.
const TOP_EXTRA_MAX: u32 = 3;
/// Constructive starts (the best of all cuts) annealed from.
const BUILT_STARTS: usize = 6;
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
    let s = score(&plan, pieces, page.dims(), false);
    Some((plan, s))
}

/// The greedy start for a cut: the lead story at the top of the first
/// group, then each article, longest first, into the group with the most
/// lines left where it may stand; each group in rank order.
fn greedy(spans: &[u32], pieces: &[Piece], body: &[usize], lines: u32) -> Option<Layout> {
    let mut stacks: Vec<Vec<usize>> = spans.iter().map(|_| Vec::new()).collect();
    let (&lead, rest) = body.split_first()?;
    pieces[lead].need(spans[0])?;
    stacks[0].push(lead);
    let mut order: Vec<usize> = rest.to_vec();
    order.sort_by_key(|&i| (std::cmp::Reverse(pieces[i].chars), pieces[i].rank));
    for i in order {
        let best = stacks
            .iter()
            .enumerate()
            .filter_map(|(k, s)| {
                let need = pieces[i].need(spans[k])?.lines() as i64;
                let load: i64 = s.iter().map(|&j| pieces[j].need(spans[k]).map_or(0, |n| n.lines() as i64)).sum();
                Some((lines as i64 - load - need, k))
            })
            .max()?;
        stacks[best.1].push(i);
    }
    let stacks = stacks
        .into_iter()
        .zip(spans)
        .map(|(mut items, &span)| {
            let lead_first = items.first() == Some(&lead);
            items.sort_by_key(|&i| (i != lead || !lead_first, pieces[i].rank));
            Stack { span, items: items.into_iter().map(Item::Article).collect(), policy: 0 }
        })
        .collect();
    Some(Layout { top_extra: 0, stacks })
}

/// The second start for a cut: the greedy start with the first article of
/// each group that may be one made an L, its leg half the group wide, the
/// group's other articles beside the leg. (From column groups alone the
/// annealing seldom reaches an L: every step on the way oversets.)
fn l_start(start: &Layout, pieces: &[Piece]) -> Option<Layout> {
    let mut l = start.clone();
    let mut changed = false;
    for st in &mut l.stacks {
        let first = match st.items.first() {
            Some(Item::Article(i)) if st.span >= 2 && st.items.len() >= 2 && pieces[*i].may_l() => *i,
            _ => continue,
        };
        let rest: Vec<Item> = st.items.drain(1..).collect();
        let leg = st.span / 2;
        st.items = vec![
            Item::Article(first),
            Item::Band(Band {
                parts: vec![
                    Stack { span: leg, items: Vec::new(), policy: 0 },
                    Stack { span: st.span - leg, items: rest, policy: 0 },
                ],
                arm: Some(0),
            }),
        ];
        changed = true;
    }
    changed.then_some(l)
}

/// A list of items the search moves articles in and out of: a group's,
/// or (item, part) a band's group in it.
#[derive(Clone, Copy)]
struct Cont {
    stack: usize,
    band: Option<(usize, usize)>,
}

fn cont_mut(l: &mut Layout, c: Cont) -> Option<&mut Stack> {
    let s = l.stacks.get_mut(c.stack)?;
    match c.band {
        None => Some(s),
        Some((k, j)) => match s.items.get_mut(k)? {
            Item::Band(b) => b.parts.get_mut(j),
            Item::Article(_) => None,
        },
    }
}

fn conts(l: &Layout) -> Vec<Cont> {
    let mut out = Vec::new();
    for (s, st) in l.stacks.iter().enumerate() {
        out.push(Cont { stack: s, band: None });
        for (k, item) in st.items.iter().enumerate() {
            if let Item::Band(b) = item {
                out.extend((0..b.parts.len()).map(|j| Cont { stack: s, band: Some((k, j)) }));
            }
        }
    }
    out
}

/// One move of the annealing: an article to another place, two articles
/// swapped, a policy or the lead's air changed; two articles of a group
/// set side by side in a band, a band taken apart, its columns shared
/// otherwise; an article made an L over a band (or its arm made longer or
/// shorter). The lead story stays at the top of the first group.
fn neighbour(layout: &Layout, lead: usize, rng: &mut Rng, has_top: bool, pieces: &[Piece]) -> Layout {
    let mut l = layout.clone();
    let all = conts(&l);
    // Articles that may move: (container, index), all but the lead story.
    let mut movable: Vec<(Cont, usize)> = Vec::new();
    for &c in &all {
        let st = cont_mut(&mut l, c).expect("listed");
        for (k, item) in st.items.iter().enumerate() {
            if matches!(item, Item::Article(i) if !(c.stack == 0 && c.band.is_none() && k == 0 && *i == lead)) {
                movable.push((c, k));
            }
        }
    }
    let article = |l: &mut Layout, (c, k): (Cont, usize)| match cont_mut(l, c).and_then(|s| s.items.get(k)) {
        Some(Item::Article(i)) => Some(*i),
        _ => None,
    };
    // Bands: (stack, item index).
    let bands: Vec<(usize, usize)> = l
        .stacks
        .iter()
        .enumerate()
        .flat_map(|(s, st)| st.items.iter().enumerate().filter(|(_, it)| matches!(it, Item::Band(_))).map(move |(k, _)| (s, k)))
        .collect();
    match rng.below(10) {
        0 if !movable.is_empty() => {
            let (c, k) = movable[rng.below(movable.len())];
            let item = cont_mut(&mut l, c).expect("listed").items.remove(k);
            let to = all[rng.below(all.len())];
            // (Taking it out may have moved the band `to` named: then it
            // goes back.)
            let to = if cont_mut(&mut l, to).is_some() { to } else { c };
            let dest = cont_mut(&mut l, to).expect("listed");
            let lo = usize::from(to.stack == 0 && to.band.is_none() && dest.items.first() == Some(&Item::Article(lead)));
            let len = dest.items.len();
            let at = (lo + rng.below(len + 1 - lo.min(len))).min(len);
            dest.items.insert(at, item);
        }
        1 if movable.len() >= 2 => {
            let p1 = movable[rng.below(movable.len())];
            let p2 = movable[rng.below(movable.len())];
            if let (Some(a), Some(b)) = (article(&mut l, p1), article(&mut l, p2)) {
                cont_mut(&mut l, p1.0).expect("listed").items[p1.1] = Item::Article(b);
                cont_mut(&mut l, p2.0).expect("listed").items[p2.1] = Item::Article(a);
            }
        }
        2 => {
            let c = all[rng.below(all.len())];
            let st = cont_mut(&mut l, c).expect("listed");
            st.policy = rng.below(3 * st.items.len().max(1) + 3) as u8;
        }
        3 if has_top => {
            l.top_extra = rng.below(TOP_EXTRA_MAX as usize + 1) as u32;
        }
        4 => {
            // Two articles of a group side by side in a band, or an L: the
            // first's text run on into a leg beside the second.
            let s = rng.below(l.stacks.len());
            let st = &mut l.stacks[s];
            let pairs: Vec<usize> = (0..st.items.len().saturating_sub(1))
                .filter(|&k| matches!((&st.items[k], &st.items[k + 1]), (Item::Article(_), Item::Article(_))))
                .collect();
            if st.span >= 2 && !pairs.is_empty() {
                let k = pairs[rng.below(pairs.len())];
                let Item::Article(first) = st.items[k] else { unreachable!() };
                let Item::Article(second) = st.items.remove(k + 1) else { unreachable!() };
                let left = 1 + rng.below(st.span as usize - 1) as u32;
                let l_arm = (pieces[first].may_l() && rng.below(2) == 0).then_some(0);
                let band = match l_arm {
                    Some(arm) => Band {
                        parts: vec![
                            Stack { span: left, items: Vec::new(), policy: 0 },
                            Stack { span: st.span - left, items: vec![Item::Article(second)], policy: 0 },
                        ],
                        arm: Some(arm),
                    },
                    // The lead story keeps the first group's top.
                    None if s == 0 && k == 0 => {
                        st.items.insert(k + 1, Item::Article(second));
                        return l;
                    }
                    None => {
                        let Item::Article(_) = st.items.remove(k) else { unreachable!() };
                        let b = Band {
                            parts: vec![
                                Stack { span: left, items: vec![Item::Article(first)], policy: 0 },
                                Stack { span: st.span - left, items: vec![Item::Article(second)], policy: 0 },
                            ],
                            arm: None,
                        };
                        st.items.insert(k, Item::Band(b));
                        return l;
                    }
                };
                st.items.insert(k + 1, Item::Band(band));
            }
        }
        5 if !bands.is_empty() => {
            // A band taken apart: its groups' articles one under another.
            let (s, k) = bands[rng.below(bands.len())];
            let Item::Band(b) = l.stacks[s].items.remove(k) else { unreachable!() };
            let arts: Vec<Item> = b.parts.iter().flat_map(|p| p.articles()).map(Item::Article).collect();
            for (j, a) in arts.into_iter().enumerate() {
                l.stacks[s].items.insert(k + j, a);
            }
        }
        6 if !bands.is_empty() => {
            // An L's arm longer or shorter; or the L made or undone.
            let (s, k) = bands[rng.below(bands.len())];
            let Item::Band(b) = &mut l.stacks[s].items[k] else { unreachable!() };
            b.arm = match b.arm {
                Some(a) if rng.below(4) > 0 => {
                    let step = 1 + rng.below(3) as u32;
                    Some(if rng.below(2) == 0 { a + step } else { a.saturating_sub(step) })
                }
                Some(_) => None,
                None => Some(0),
            };
        }
        7 if !bands.is_empty() => {
            // A column from one of a band's groups to its neighbour; or a
            // group cut in two at one of its articles.
            let (s, k) = bands[rng.below(bands.len())];
            let Item::Band(b) = &mut l.stacks[s].items[k] else { unreachable!() };
            let j = rng.below(b.parts.len());
            if rng.below(2) == 0 && j + 1 < b.parts.len() {
                let (from, to) = if rng.below(2) == 0 { (j, j + 1) } else { (j + 1, j) };
                if b.parts[from].span > 1 {
                    b.parts[from].span -= 1;
                    b.parts[to].span += 1;
                }
            } else if b.parts[j].span >= 2 && b.parts[j].items.len() >= 2 {
                let at = 1 + rng.below(b.parts[j].items.len() - 1);
                let rest = b.parts[j].items.split_off(at);
                let span = 1 + rng.below(b.parts[j].span as usize - 1) as u32;
                b.parts[j].span -= span;
                b.parts.insert(j + 1, Stack { span, items: rest, policy: 0 });
            }
        }
        _ if !movable.is_empty() => {
            // Within a group: swap an article with the item below it.
            let (c, k) = movable[rng.below(movable.len())];
            let st = cont_mut(&mut l, c).expect("listed");
            if k + 1 < st.items.len() {
                st.items.swap(k, k + 1);
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
    let cuts = compositions(page.columns, MAX_STACKS.min(body.len() as u32));
    // Constructive starts (`construct`), of every cut, best first.
    let tops: Option<u32> = pieces.iter().filter(|p| p.top).map(|p| p.need(page.columns).map(|n| n.lines())).sum();
    let mut built: Vec<(Layout, f64)> = Vec::new();
    if let Some(split) = tops.and_then(|t| page.lines.checked_sub(t)).and_then(|h| construct::split(pieces, &body, h).map(|s| (s, h))) {
        let (split, height) = split;
        for spans in &cuts {
            built.extend(construct::starts(pieces, &split, spans, height, |l| evaluate(l, pieces, page).map(|(_, s)| s.total)));
        }
        built.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        built.dedup_by(|a, b| a.0 == b.0);
        for (l, _) in &built {
            if let Some((plan, s)) = evaluate(l, pieces, page) {
                record(l, plan, s);
            }
        }
        built.truncate(BUILT_STARTS);
    }
    let mut starts: Vec<(u64, Layout)> = Vec::new();
    for (n, spans) in cuts.iter().enumerate() {
        let Some(start) = greedy(spans, pieces, &body, page.lines) else { continue };
        let l_start = l_start(&start, pieces);
        for (k, start) in std::iter::once(start).chain(l_start).enumerate() {
            starts.push((SEED ^ (n as u64).wrapping_mul(0x9E37_79B9) ^ (k as u64).wrapping_mul(0x85EB_CA6B), start));
        }
    }
    // The shortest arrangement that keeps heads apart by construction
    // (`bound::shortest_chain`), where one is worked out.
    if let bound::Chain::Shortest(_, chain) = bound::shortest_chain(pieces, page) {
        starts.push((SEED ^ 0xD6E8_FEB8_6659_FD93, chain));
    }
    for (k, (start, _)) in built.into_iter().enumerate() {
        starts.push((SEED ^ (k as u64 + 1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F), start));
    }
    for (seed, start) in starts {
        let mut rng = Rng(seed);
        let mut cur = start;
        let Some((plan, s)) = evaluate(&cur, pieces, page).or_else(|| {
            // A start may overfill a group past holding a line of each
            // article: walk until an arrangement lays out.
            (0..200).find_map(|_| {
                cur = neighbour(&cur, lead, &mut rng, has_top, pieces);
                evaluate(&cur, pieces, page)
            })
        }) else {
            continue;
        };
        let mut cur_score = s.total;
        record(&cur, plan, s);
        for step in 0..STEPS {
            let temp = 60.0 * (0.002f64).powf(step as f64 / STEPS as f64);
            let next = neighbour(&cur, lead, &mut rng, has_top, pieces);
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
    all.retain(|f| seen.insert(f.layout.stacks.iter().map(|s| (s.span, s.articles())).collect::<Vec<_>>()));
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
