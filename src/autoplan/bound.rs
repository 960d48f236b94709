//! When no plan can keep heads apart (碰题), and why: a proof from the
//! capacity, so a warning can say the page, not the search, is at fault.
//!
//! The argument, over every arrangement the planner makes (`layout`):
//! the lead story stands at the top left of the body area, its head on
//! the area's first lines. Every other column group starts on the same
//! line, and opens with an article (a band opens with its first group's
//! article; a band with an L's leg needs an arm above it), so the group
//! right of the lead story opens with a head beside the lead's head,
//! unless that article has no head (a 编者按's box) or opens with a
//! portrait at its left edge; heads of two lines or more overlap
//! however the air (at most `layout::AIR_MAX`, half above) shifts them.
//! So with neither among the articles, a plan keeps heads apart only if
//! the lead story spans every column, as a block or as an L's arm, and
//! everything else stands under it. The same holds under it, which
//! leaves one shape: a chain, the lead story across every column and
//! each other article either across the page under it or in a list one
//! under another beside an L's leg (a band's second group beside the
//! leg; a third would open with a head beside the second's, and the
//! planner nests no band in a band). `shortest_chain` works out the
//! shortest chain exactly, over every way to share the articles out into
//! heads and lists (3ⁿ, up to `MAX_CHAIN` articles), each segment sized
//! as `layout::materialize` sizes it; when it is taller than the body
//! area, no arrangement keeps heads apart. Past `MAX_CHAIN` a weaker
//! bound by area: the lead's head across the page and its body, plus for
//! every other article its head across its narrowest span and its body.
//! The shortest chain is also a start for the search (`search`).
//!
//! The figures are the planner's (`pieces`): the line planner's exact
//! body lines and the heads as estimated or, after a layout, measured.

use crate::content::model::ArticleKind;

use super::layout::{Band, Item, Layout, MIN_ARM, Stack};
use super::pieces::{MIN_COLUMN_LINES, Need, Piece};
use super::search::Page;

/// Lines of a head's zone as the score reads it (`Block::head_zone`).
fn zone(p: &Piece, n: &Need) -> u32 {
    if p.kind == ArticleKind::Interview { n.head() } else { n.head_text }
}

/// Why no arrangement of `pieces` on `page` keeps heads apart, or `None`
/// when this argument cannot tell.
pub fn heads_apart_impossible(pieces: &[Piece], page: Page) -> Option<String> {
    let top: u32 = pieces.iter().filter(|p| p.top).map(|p| p.need(page.columns).map(Need::lines)).sum::<Option<u32>>()?;
    let height = page.lines.checked_sub(top)?;
    let lead = pieces.iter().filter(|p| !p.top).min_by_key(|p| p.rank)?;
    let others: Vec<&Piece> = pieces.iter().filter(|p| !p.top && p.id != lead.id).collect();
    // Heads of two lines or more overlap however the air (at most
    // `AIR_MAX`, half above) shifts them.
    let tall = |p: &Piece| p.needs.iter().flatten().all(|n| zone(p, n) >= 2);
    if !lead.headed() || !tall(lead) || others.is_empty() {
        return None;
    }
    if others.iter().any(|p| !p.headed() || p.portrait_left() || p.kind == ArticleKind::EditorsNote || !tall(p)) {
        return None;
    }
    let Some(across) = lead.need(page.columns) else {
        return Some(format!(
            "the lead story {} cannot span all {} columns, and whatever stands beside it opens with a head on its lines",
            lead.id, page.columns
        ));
    };
    let beside = format!(
        "whatever stands beside the lead story {} opens with a head on its lines, so it must span all {} columns with every other article under it or beside an L's leg",
        lead.id, page.columns
    );
    match shortest_chain(pieces, page) {
        Chain::Shortest(lines, _) => {
            return (lines > height).then(|| format!("{beside}, and the shortest such arrangement takes {lines} lines, the page {height}"));
        }
        Chain::None => return Some(format!("{beside}, and no such arrangement holds them")),
        Chain::TooMany => {}
    }
    let least = least_area(across, &others, page.columns)?;
    let has = page.columns * height;
    (least > has).then(|| format!("{beside}, which needs at least {least} column-lines, the page {has}"))
}

/// Column-lines the articles need at least with the lead across all
/// `columns` (`across`): its head across and its body, and for every
/// other article its head across its narrowest span and its body (an L
/// moves body lines, it saves none). For pages with too many articles to
/// work out the shortest chain.
fn least_area(across: &Need, others: &[&Piece], columns: u32) -> Option<u32> {
    let mut least = across.area(columns);
    for p in others {
        least += (1..=columns).filter_map(|s| Some(p.need(s)?.area(s))).min()?;
    }
    Some(least)
}

/// Most articles under the lead story the chain is worked out for
/// (its work grows as 3ⁿ).
const MAX_CHAIN: usize = 12;

/// The shortest chain: the lead story across the page, every other
/// article either across the page under it (a segment's head) or in a
/// list one under another beside an L's leg (the segment head's text run
/// on from its arm): the only arrangements that keep heads apart when no
/// article may stand headless or portrait-first beside another (see the
/// module doc).
pub enum Chain {
    /// Too many articles to work it out.
    TooMany,
    /// No chain stands: an article fits no place in one.
    None,
    /// The shortest chain's lines and arrangement.
    Shortest(u32, Layout),
}

/// The shortest chain of `pieces` on `page` (see `Chain`).
pub fn shortest_chain(pieces: &[Piece], page: Page) -> Chain {
    let mut body: Vec<usize> = (0..pieces.len()).filter(|&i| !pieces[i].top).collect();
    body.sort_by_key(|&i| pieces[i].rank);
    if body.len() > MAX_CHAIN + 1 {
        return Chain::TooMany;
    }
    match chain(pieces, page, &body) {
        Some((lines, layout)) => Chain::Shortest(lines, layout),
        None => Chain::None,
    }
}

fn chain(pieces: &[Piece], page: Page, body: &[usize]) -> Option<(u32, Layout)> {
    let c = page.columns;
    let (&lead, others) = body.split_first()?;
    let m = others.len();
    let full = 1usize << m;
    // Lines of the list `set` one under another at `w` columns.
    let mut list: Vec<Vec<Option<u32>>> = vec![vec![Some(0); full]; c as usize];
    for w in 1..c {
        let t = &mut list[w as usize];
        for set in 1..full {
            let low = set.trailing_zeros() as usize;
            t[set] = t[set & (set - 1)].and_then(|h| Some(h + pieces[others[low]].need(w)?.lines()));
        }
    }
    // A segment: `head` across the page, `set` beside its leg; its lines
    // and leg, as `layout::materialize` sizes the arm (as short as lets
    // the leg stand no lower than the list; a longer arm only adds).
    let segment = |head: usize, set: usize| -> Option<(u32, u32)> {
        let p = &pieces[head];
        let whole = p.need(c)?;
        if set == 0 {
            return Some((whole.lines(), 0));
        }
        if !p.may_l() || whole.columns != c {
            return None;
        }
        (1..c)
            .filter_map(|leg| {
                let lh = list[(c - leg) as usize][set]?;
                let arm = whole.body.saturating_sub(lh * leg).div_ceil(c).max(MIN_ARM);
                let rest = whole.body.checked_sub(arm * c).filter(|&r| r > 0)?;
                let per = rest.div_ceil(leg);
                (leg == 1 || per >= MIN_COLUMN_LINES).then_some((whole.head() + arm + per.max(lh), leg))
            })
            .min()
    };
    // best[u]: the shortest chain segments for the articles in `u`, and
    // the segment holding its lowest article (head, list).
    let mut best: Vec<Option<(u32, usize, usize)>> = vec![None; full];
    best[0] = Some((0, 0, 0));
    for u in 1..full {
        let e = u.trailing_zeros() as usize;
        let mut top: Option<(u32, usize, usize)> = None;
        for h in (0..m).filter(|&h| u & (1 << h) != 0) {
            let room = u & !(1 << h);
            // Lists: subsets of `room`, holding `e` unless `h` is it.
            let mut set = room;
            loop {
                if (h == e || set & (1 << e) != 0)
                    && let Some((lines, _)) = segment(others[h], set)
                    && let Some((rest, ..)) = best[room & !set]
                    && top.is_none_or(|t| lines + rest < t.0)
                {
                    top = Some((lines + rest, h, set));
                }
                if set == 0 {
                    break;
                }
                set = (set - 1) & room;
            }
        }
        best[u] = top;
    }
    // The lead's own segment, and the rest.
    let all = full - 1;
    let mut lead_best: Option<(u32, usize)> = None;
    let mut set = all;
    loop {
        if let Some((lines, _)) = segment(lead, set)
            && let Some((rest, ..)) = best[all & !set]
            && lead_best.is_none_or(|b| lines + rest < b.0)
        {
            lead_best = Some((lines + rest, set));
        }
        if set == 0 {
            break;
        }
        set = (set - 1) & all;
    }
    let (total, lead_set) = lead_best?;
    // The arrangement: segments in the rank order of their heads.
    let mut segments = vec![(lead, lead_set)];
    let mut u = all & !lead_set;
    while u != 0 {
        let (_, h, set) = best[u]?;
        segments.push((others[h], set));
        u &= !(set | 1 << h);
    }
    segments.sort_by_key(|&(h, _)| pieces[h].rank);
    let mut items = Vec::new();
    for (head, set) in segments {
        items.push(Item::Article(head));
        if set != 0 {
            let (_, leg) = segment(head, set)?;
            let mut members: Vec<usize> = (0..m).filter(|&k| set & (1 << k) != 0).map(|k| others[k]).collect();
            members.sort_by_key(|&i| pieces[i].rank);
            items.push(Item::Band(Band {
                parts: vec![
                    Stack { span: leg, items: Vec::new(), policy: 0 },
                    Stack { span: c - leg, items: members.into_iter().map(Item::Article).collect(), policy: 0 },
                ],
                arm: Some(0),
            }));
        }
    }
    Some((total, Layout { top_extra: 0, stacks: vec![Stack { span: c, items, policy: 0 }] }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoplan::pieces::fixture::piece;

    #[test]
    fn the_shortest_chain_puts_short_pieces_beside_the_lead_leg() {
        // 4 columns. Lead `a`: head 4, 80 body lines (20 a column across).
        // `b`, `c`: head 4, 8 body lines, one column only (12 lines each).
        // Under `a` one after another: 24 + 12 + 12 is no chain (they
        // cannot span 4); beside a 3-column leg, one under the other (24
        // lines): the arm is ⌈(80 − 24 × 3) / 4⌉ = 2, raised to MIN_ARM
        // (6), the leg ⌈(80 − 24) / 3⌉ = 19 lines; 4 + 6 + 24 = 34.
        let a = piece("a", 0, 4, 80, 1..=4);
        let (b, c) = (piece("b", 1, 4, 8, 1..=1), piece("c", 2, 4, 8, 1..=1));
        let page = Page { columns: 4, lines: 40, column_chars: 10, gutter: 2 };
        let Chain::Shortest(lines, layout) = shortest_chain(&[a.clone(), b.clone(), c.clone()], page) else { panic!("a chain") };
        assert_eq!(lines, 34);
        let plan = super::super::layout::materialize(&layout, &[a.clone(), b.clone(), c.clone()], 4, 40).expect("lays out");
        let at: Vec<_> = plan.blocks.iter().map(|k| (k.piece, k.column, k.span, k.leg)).collect();
        assert_eq!(at, vec![(0, 1, 4, false), (0, 1, 3, true), (1, 4, 1, false), (2, 4, 1, false)]);
        // On 33 lines it does not fit: heads apart is proved impossible.
        let short = Page { lines: 33, ..page };
        let why = heads_apart_impossible(&[a.clone(), b.clone(), c.clone()], short).expect("proved");
        assert!(why.contains("takes 34 lines, the page 33"), "{why}");
        assert_eq!(heads_apart_impossible(&[a.clone(), b.clone(), c.clone()], page), None);
        // A lead that may not be an L: no chain holds the one-column news.
        let mut never = a.clone();
        never.l_shape = Some(false);
        assert!(matches!(shortest_chain(&[never, b, c], page), Chain::None));
    }

    #[test]
    fn heads_apart_is_unproved_with_a_note_and_bounded_by_area_past_the_chain() {
        let page = Page { columns: 4, lines: 40, column_chars: 10, gutter: 2 };
        // Lead across 4: 10 × 4 + 60 = 100; the other at 1 column: 5 + 60
        // = 65. 165 column-lines.
        let (a, b) = (piece("a", 0, 10, 60, 1..=4), piece("b", 1, 5, 60, 1..=4));
        assert_eq!(least_area(a.need(4).unwrap(), &[&b], 4), Some(165));
        // A lead that may not span the page.
        let narrow = vec![piece("a", 0, 10, 60, 1..=3), piece("b", 1, 5, 10, 1..=4)];
        assert!(heads_apart_impossible(&narrow, page).unwrap().contains("cannot span all 4 columns"));
        // A 编者按 may stand beside the lead: nothing proved.
        let mut note = vec![a, b];
        assert!(heads_apart_impossible(&note, Page { lines: 20, ..page }).is_some());
        note[1].kind = ArticleKind::EditorsNote;
        assert_eq!(heads_apart_impossible(&note, Page { lines: 20, ..page }), None);
    }
}
