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
//! however the air (at most `layout::AIR_MAX`, half above) shifts them. So with neither among the articles, a plan
//! keeps heads apart only if the lead story spans every column, as a
//! block or as an L's arm, and everything else stands under it. That
//! takes at least the lead's head across the page and its body, plus for
//! every other article its head across its narrowest span and its body
//! (an L moves body lines, it does not save any). When that is more than
//! the body area's column-lines, no arrangement keeps heads apart.
//!
//! The figures are the planner's (`pieces`): the line planner's exact
//! body lines and the heads as estimated or, after a layout, measured.

use crate::content::model::ArticleKind;

use super::pieces::{Need, Piece};
use super::search::Page;

/// Column-lines an article takes at `span`: its head across, its body
/// once, its foot across.
fn area(n: &Need, span: u32) -> u32 {
    (n.head() + n.foot) * span + n.body
}

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
    let mut least = area(across, page.columns);
    for p in &others {
        least += (1..=page.columns).filter_map(|s| Some(area(p.need(s)?, s))).min()?;
    }
    let has = page.columns * height;
    (least > has).then(|| {
        format!(
            "whatever stands beside the lead story {} opens with a head on its lines, and with {} across all {} columns the articles need at least {least} column-lines, the page {has}",
            lead.id, lead.id, page.columns
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(id: &str, rank: usize, head: u32, body: u32, spans: std::ops::RangeInclusive<u32>) -> Piece {
        let needs = (1..=4)
            .map(|span| {
                spans.contains(&span).then(|| {
                    let per = body.div_ceil(span);
                    Need { head_text: head, photo_row: 0, columns: span, body, per, last: body - per * (span - 1), foot: 0 }
                })
            })
            .collect();
        Piece {
            id: id.into(),
            kind: ArticleKind::News,
            path: Default::default(),
            top: false,
            rank,
            chars: 0,
            min_span: 1,
            max_span: 4,
            l_shape: None,
            photos: vec![],
            needs,
        }
    }

    #[test]
    fn heads_apart_is_impossible_only_when_the_lead_across_leaves_too_little() {
        let page = Page { columns: 4, lines: 40, column_chars: 10, gutter: 2 };
        // Lead across 4: 10 × 4 + 60 = 100; the other at 1 column: 5 + 50
        // = 55. 155 ≤ 160: it may fit under the lead.
        let fits = vec![piece("a", 0, 10, 60, 1..=4), piece("b", 1, 5, 50, 1..=4)];
        assert_eq!(heads_apart_impossible(&fits, page), None);
        // Ten more body lines: 165 > 160.
        let over = vec![piece("a", 0, 10, 60, 1..=4), piece("b", 1, 5, 60, 1..=4)];
        let why = heads_apart_impossible(&over, page).expect("proved");
        assert!(why.contains("at least 165 column-lines, the page 160"), "{why}");
        // A lead that may not span the page.
        let narrow = vec![piece("a", 0, 10, 60, 1..=3), piece("b", 1, 5, 10, 1..=4)];
        assert!(heads_apart_impossible(&narrow, page).unwrap().contains("cannot span all 4 columns"));
        // A 编者按 may stand beside the lead: nothing proved.
        let mut note = over.clone();
        note[1].kind = ArticleKind::EditorsNote;
        assert_eq!(heads_apart_impossible(&note, page), None);
    }
}
