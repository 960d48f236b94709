//! The rules a newspaper desk lays a page out by, each named in the score.
//! A plan's score is the sum of its penalty points, lower is better; a
//! rule the desk never breaks costs enough that no other gain pays for it.
//!
//! | rule | what it checks | points |
//! | --- | --- | --- |
//! | `banner-and-lead-on-top` | the banner, then the lead headline, across the page's top | 1000 each misplaced |
//! | `lead-story-top-left` | the lead story (rank 1 under them) at the top of the first column, and no block wider than it | 1000; 8 a wider block |
//! | `zero-overset` | every body holds its text | 1000 a column-line |
//! | `grid-filled` | blocks cover at least 97 % of the grid | 1000 a per cent missing |
//! | `on-the-grid` | blocks on whole columns and grid lines, inside the grid, touching without overlap | 1000 each |
//! | `heads-side-by-side` | 碰题: heads of neighbouring blocks on the same lines, unless a portrait stands between them | 300 a pair |
//! | `photos-adjacent` | photos of two articles touching across a gutter or rule | 300 a pair |
//! | `short-columns` | 豆腐块: a body column shorter than `MIN_COLUMN_LINES` | 300 a block |
//! | `balanced-columns` | lines left under balanced columns (3 each, 60 each past the two a fit allows), a last column three or more lines shorter than the rest (1 a line) | |
//! | `head-air` | lines of air given to heads to fill a stack | 2 a line |
//! | `reading-order` | a higher-ranked article under a lower-ranked one in its column group | 5 a pair |
//! | `l-shapes` | an article set as an L (its text run on from a full-width arm into a narrower leg under it) it did not ask for (`l_shape = true`) | 40 each |

use serde::Serialize;

use crate::content::model::ArticleKind;

use super::layout::{Block, Plan, SHORT_MAX};
use super::pieces::{MIN_COLUMN_LINES, Piece};

/// The share of the grid blocks must cover.
pub const MIN_COVERAGE: f64 = 0.97;

/// Rules in the order they are reported.
pub const RULES: &[&str] = &[
    "banner-and-lead-on-top",
    "lead-story-top-left",
    "zero-overset",
    "grid-filled",
    "on-the-grid",
    "heads-side-by-side",
    "photos-adjacent",
    "short-columns",
    "balanced-columns",
    "head-air",
    "reading-order",
    "l-shapes",
];

/// Rules a plan the planner proposes may never break: the first eight
/// of `RULES` (the rest only rank plans).
pub const HARD: &[&str] = RULES.split_at(8).0;

/// One rule's share of a score.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RuleScore {
    pub rule: &'static str,
    pub points: f64,
    /// How many times it is broken (lines for line-counted rules).
    pub count: u32,
    /// What breaks it, for the desk (filled when asked for).
    pub detail: Vec<String>,
}

/// A plan's score, rule by rule.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Score {
    pub total: f64,
    pub rules: Vec<RuleScore>,
    /// Share of the grid's column-lines covered by blocks.
    pub coverage: f64,
}

impl Score {
    pub fn rule(&self, name: &str) -> &RuleScore {
        self.rules.iter().find(|r| r.rule == name).expect("every rule is scored")
    }

    /// Whether it breaks none of the rules a desk never breaks.
    pub fn clean(&self) -> bool {
        HARD.iter().all(|r| self.rule(r).count == 0)
    }

    /// "heads-side-by-side 300 (1), balanced-columns 6 (2)": the rules that cost.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .rules
            .iter()
            .filter(|r| r.points > 0.0 || r.count > 0)
            .map(|r| format!("{} {} ({})", r.rule, r.points, r.count))
            .collect();
        if parts.is_empty() { "no rule costs a point".into() } else { parts.join(", ") }
    }
}

struct Tally {
    rules: Vec<RuleScore>,
    detail: bool,
}

impl Tally {
    fn add(&mut self, rule: &'static str, points: f64, count: u32, what: impl FnOnce() -> String) {
        let r = self.rules.iter_mut().find(|r| r.rule == rule).expect("known rule");
        r.points += points;
        r.count += count;
        if self.detail {
            r.detail.push(what());
        }
    }
}

/// A photo's place in page cells and grid lines: x, y, width, height.
fn photos(b: &Block, p: &Piece, column_chars: u32, gutter: u32) -> Vec<(i64, i64, i64, i64)> {
    let x0 = ((b.column - 1) * (column_chars + gutter)) as i64;
    match p.kind {
        ArticleKind::Interview if !b.leg => {
            p.photos.first().map(|&(w, h)| (x0, b.line as i64, w as i64, h as i64)).into_iter().collect()
        }
        // A leg holds text only: the photos stand under the arm's head.
        ArticleKind::Feature | ArticleKind::News if b.leg => Vec::new(),
        ArticleKind::Feature | ArticleKind::News => {
            let y = (b.line + b.need.head_text + b.air) as i64;
            let mut x = x0;
            p.photos
                .iter()
                .map(|&(w, h)| {
                    let r = (x, y, w as i64, h as i64);
                    x += w as i64 + 1;
                    r
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Scores a plan of `columns` × `lines` (the grid's columns and lines,
/// `column_chars` and `gutter` cells), with each breach described when
/// `detail`.
pub fn score(
    plan: &Plan,
    pieces: &[Piece],
    grid: (u32, u32, u32, u32),
    detail: bool,
) -> Score {
    let (columns, lines, column_chars, gutter) = grid;
    let mut t = Tally {
        rules: RULES.iter().map(|&rule| RuleScore { rule, points: 0.0, count: 0, detail: Vec::new() }).collect(),
        detail,
    };
    let blocks = &plan.blocks;
    let piece = |b: &Block| &pieces[b.piece];

    // The top: banner then lead, across the page, from line 1.
    let mut expect_line = 1;
    let mut tops: Vec<&Block> = blocks.iter().filter(|b| piece(b).top).collect();
    tops.sort_by_key(|b| piece(b).rank);
    for b in &tops {
        if b.line != expect_line || b.column != 1 || b.span != columns {
            t.add("banner-and-lead-on-top", 1000.0, 1, || format!("{} is not across the top", piece(b).id));
        }
        expect_line = b.line + b.lines;
    }
    // The lead story: the best-ranked of the rest, at the top left.
    let body: Vec<&Block> = blocks.iter().filter(|b| !piece(b).top).collect();
    if let Some(lead) = body.iter().min_by_key(|b| piece(b).rank) {
        if lead.column != 1 || lead.line != plan.top_lines + 1 {
            t.add("lead-story-top-left", 1000.0, 1, || format!("{} is not at the top left", piece(lead).id));
        }
        for b in body.iter().filter(|b| b.span > lead.span) {
            // Points only: the desk prefers it, and may do otherwise.
            t.add("lead-story-top-left", 8.0, 0, || {
                format!("{} ({} columns) is wider than the lead story {}", piece(b).id, b.span, piece(lead).id)
            });
        }
    }

    // Overset, coverage, the grid.
    for b in blocks.iter().filter(|b| b.over > 0) {
        t.add("zero-overset", 1000.0 * b.over as f64, b.over, || {
            format!("{}: {} column-line(s) over", piece(b).id, b.over)
        });
    }
    // Every column-line under one block: counted cell by cell when the
    // desk reads the detail (a measured plan), by area in the search,
    // whose arrangements cannot overlap.
    let area = (columns * lines).max(1) as f64;
    let coverage = if detail {
        let mut cells = vec![0u8; (columns * lines) as usize];
        for b in blocks {
            let inside =
                b.column >= 1 && b.line >= 1 && b.column + b.span - 1 <= columns && b.line + b.lines - 1 <= lines;
            if !inside {
                t.add("on-the-grid", 1000.0, 1, || format!("{} runs off the grid", piece(b).id));
                continue;
            }
            for c in b.column..b.column + b.span {
                for l in b.line..b.line + b.lines {
                    cells[((l - 1) * columns + c - 1) as usize] += 1;
                }
            }
        }
        let overlaps = cells.iter().filter(|&&n| n > 1).count();
        if overlaps > 0 {
            t.add("on-the-grid", 1000.0, overlaps as u32, || format!("{overlaps} column-line(s) under two blocks"));
        }
        cells.iter().filter(|&&n| n > 0).count() as f64 / area
    } else {
        blocks.iter().map(|b| (b.span * b.lines) as f64).sum::<f64>() / area
    };
    if coverage < MIN_COVERAGE {
        let missing = (MIN_COVERAGE - coverage) * 100.0;
        t.add("grid-filled", 1000.0 * missing.ceil(), 1, || format!("blocks cover {:.1} % of the grid", coverage * 100.0));
    }

    // Neighbours side by side: heads and photos.
    for a in &body {
        for b in &body {
            if a.column + a.span != b.column {
                continue;
            }
            let (a0, a1) = a.head_zone(piece(a));
            let (b0, b1) = b.head_zone(piece(b));
            let overlap = a1.min(b1).saturating_sub(a0.max(b0));
            if overlap > 0 && !piece(b).portrait_left() {
                t.add("heads-side-by-side", 300.0, 1, || {
                    format!("{} and {} have heads on the same {overlap} line(s)", piece(a).id, piece(b).id)
                });
            }
        }
    }
    let all_photos: Vec<(usize, (i64, i64, i64, i64))> = blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| photos(b, piece(b), column_chars, gutter).into_iter().map(move |r| (i, r)))
        .collect();
    for (k, (i, r)) in all_photos.iter().enumerate() {
        for (j, q) in all_photos[k + 1..].iter().filter(|(j, _)| j != i) {
            // Touching across a gutter (2 cells) or a rule (1 line).
            let apart_x = q.0 >= r.0 + r.2 + 2 || r.0 >= q.0 + q.2 + 2;
            let apart_y = q.1 > r.1 + r.3 || r.1 > q.1 + q.3;
            if !apart_x && !apart_y {
                t.add("photos-adjacent", 300.0, 1, || {
                    format!("photos of {} and {} touch", piece(&blocks[*i]).id, piece(&blocks[*j]).id)
                });
            }
        }
    }

    // Columns: 豆腐块, balance, air.
    for b in &body {
        let p = piece(b);
        if !p.kind.has_body() {
            continue;
        }
        if b.need.columns > 1 && b.need.per < MIN_COLUMN_LINES {
            t.add("short-columns", 300.0, 1, || {
                format!("{}: columns of {} line(s), under {MIN_COLUMN_LINES}", p.id, b.need.per)
            });
        }
        if b.short > 0 {
            let beyond = b.short.saturating_sub(SHORT_MAX);
            let points = 3.0 * b.short.min(SHORT_MAX) as f64 + 60.0 * beyond as f64;
            t.add("balanced-columns", points, b.short, || format!("{}: {} line(s) left under its columns", p.id, b.short));
        }
        let ragged = b.need.per.saturating_sub(b.need.last);
        if b.need.columns > 1 && ragged >= 3 {
            t.add("balanced-columns", ragged as f64, 0, || {
                format!("{}: last column {ragged} line(s) shorter than the others", p.id)
            });
        }
        if b.air > 0 {
            t.add("head-air", 2.0 * b.air as f64, b.air, || format!("{}: {} line(s) of air in its head", p.id, b.air));
        }
    }

    // Reading order inside each column group.
    for a in &body {
        for b in &body {
            if a.column == b.column && a.line < b.line && piece(a).rank > piece(b).rank {
                t.add("reading-order", 5.0, 1, || format!("{} stands above the higher-ranked {}", piece(a).id, piece(b).id));
            }
        }
    }
    // An L where the article did not ask for one (`l_shape = true`): the
    // page needed it, or another arrangement would have done.
    for b in blocks.iter().filter(|b| b.leg) {
        let p = piece(b);
        let points = if p.l_shape == Some(true) { 0.0 } else { 40.0 };
        t.add("l-shapes", points, 1, || format!("{} is set as an L", p.id));
    }
    let total = t.rules.iter().map(|r| r.points).sum();
    Score { total, rules: t.rules, coverage }
}
