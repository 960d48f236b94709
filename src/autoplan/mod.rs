//! `paiban plan`: the page plan (`[[place]]`) made from the articles, as a
//! layout desk would make it.
//!
//! **What it searches.** The banner and the lead headline go across the
//! top, in that order. Under them the columns are cut into column groups
//! side by side (every ordered way to cut the page's columns into at most
//! four groups), and each group holds, one under another, articles as
//! wide as the group and bands: narrower groups side by side across it,
//! each holding articles of its own (`layout::Band`). An article right
//! above a band may be set as an L: its arm fills its columns across the
//! group, and its text runs on into a leg, with no head, at the top of
//! the band's first group (two `[[place]]` tables, a chain, as a desk
//! writes one). A leg beside a head is how a page keeps heads apart (碰题)
//! where groups side by side would open with heads on the same lines.
//! Every group is as tall as its place, so the blocks cover the whole
//! grid; the lines a group has beyond what its articles need go to air in
//! the heads (at most `AIR_MAX` a head), then to lines under balanced
//! columns (at most the two a fit allows), then to its bands, from the
//! top, from the bottom or a line each in turn (the group's policy). The
//! lead story (rank 1 after banner and lead: front matter `priority`, else
//! the 编者按, else the longest story) stays at the top of the first group.
//!
//! **The fast estimate.** What an article needs at a span is counted
//! without Typst (`pieces`): its body's lines from the line planner, which
//! breaks each paragraph exactly as the build will (`capacity`), balanced
//! over its columns; its head's lines from the rules the layouts set heads
//! by (`heads`). An arrangement is then laid out on paper in microseconds
//! (`layout`) and scored by the desk's rules (`score`).
//!
//! **The search.** For each cut of the columns two starts: a greedy one
//! (each article, longest first, into the group with most lines left) and
//! the same with each group's first article made an L over the rest; from
//! each, simulated annealing from a fixed seed: an article moved to
//! another group, band or place, two swapped, a policy or the lead's air
//! changed, two articles set side by side in a band or as an L and its
//! neighbour, a band taken apart or its columns shared otherwise, an arm
//! made longer or shorter. A worse arrangement is taken with a chance that
//! falls as the search cools, so it leaves local optima early and settles
//! late. Two more kinds of start are built, not searched: constructive
//! starts (`construct`: the long pieces in groups, one of them an L where
//! that helps, the short pieces beside its leg, each slot sized from the
//! exact capacity), which reach tight pages where every annealing step
//! towards an L oversets; and the shortest chain (`bound`: the lead
//! across the page, the rest under it or beside an L's leg), which keeps
//! heads apart by construction, and which, when taller than the page,
//! proves no plan can (the warning says so). The best distinct
//! arrangements of all starts are the finalists (`search`).
//!
//! **Verification.** Finalists are laid out by Typst, best first
//! (`verify`): the heads and bodies Typst measured replace the estimates,
//! the arrangement is laid out again on them, and copyfit settles the last
//! lines (head lines and block edges). Each correction also goes into the
//! figures the next search uses, so after the first finalist the search
//! ranks on measured heads. A plan is proposed only from a laid-out page:
//! its score is measured there, and it must keep every rule a desk never
//! breaks (`score::HARD`) and the page invariant.
//!
//! Deterministic: fixed seeds, ordered maps, ties broken by the
//! arrangement; the same articles give the same plans.

pub mod bound;
pub mod capacity;
pub mod construct;
pub mod heads;
pub mod layout;
pub mod pieces;
pub mod score;
pub mod search;
pub mod sheet;
pub mod verify;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::typeset::project::Project;
use crate::error::{Error, Result};

use self::pieces::Piece;
use self::search::Page;
use self::verify::Verified;

/// Finalists the search hands to verification at a time.
const KEEP: usize = 12;
/// Finalists laid out beyond the candidates asked for, before giving up on
/// finding more that keep every rule.
const SPARE_TRIES: usize = 4;

/// What `plan` found.
pub struct Outcome {
    pub id: String,
    /// The issue folder and its issue.toml as written.
    pub dir: PathBuf,
    pub text: String,
    /// Laid-out candidates, best first.
    pub candidates: Vec<Verified>,
    pub pieces: Vec<Piece>,
    /// Searches run and finalists laid out.
    pub searches: usize,
    pub tried: usize,
    pub search_millis: u128,
    pub millis: u128,
    /// Why no plan can keep heads apart (碰题) on this page, when the
    /// capacity proves it (`bound`).
    pub heads_apart_impossible: Option<String>,
}

/// Finds the issue folder of `id` in the edition.
fn issue_dir(edition: &Path, id: &str) -> Result<PathBuf> {
    let (file, path, _) = crate::plan::place::edition_file(edition)?;
    let mut ids = Vec::new();
    for name in &file.issues {
        let dir = edition.join(name);
        let (f, _, _) = crate::plan::place::issue_file(&dir)?;
        if f.id == id {
            return Ok(dir);
        }
        ids.push(f.id);
    }
    Err(Error::input(format!("no issue `{id}` in this edition"))
        .in_file(path)
        .hint(format!("the issues are: {}", ids.join(", "))))
}

/// Plans issue `id` of the edition in `edition`: up to `candidates` plans,
/// laid out and scored, best first.
pub fn plan(project: &Project, edition: &Path, id: &str, candidates: usize) -> Result<Outcome> {
    let start = Instant::now();
    let dir = issue_dir(edition, id)?;
    let (_, text, grid) = crate::plan::place::issue_file(&dir)?;
    let style = crate::plan::place::edition_file(edition)?.0.style;
    let mut pieces = pieces::load(&dir, project, &grid, style)?;
    let page = Page { columns: grid.columns, lines: grid.lines, column_chars: grid.column_chars, gutter: grid.gutter_chars };
    if std::env::var_os("PAIBAN_PLAN_DEBUG").is_some() {
        eprintln!("debug: page {} x {} lines", page.columns, page.lines);
        for p in &pieces {
            let needs: Vec<String> = p.needs.iter().enumerate().filter_map(|(i, n)| n.map(|n| format!("{}:{}+{}x{}", i + 1, n.head(), n.per, n.columns))).collect();
            eprintln!("debug: {} rank {} l {:?} body {:?} | {}", p.id, p.rank, p.l_shape, p.needs.iter().flatten().next().map(|n| n.body), needs.join(" "));
        }
    }
    let mut verified: Vec<Verified> = Vec::new();
    let mut tried: Vec<layout::Layout> = Vec::new();
    let (mut searches, mut search_millis) = (0, 0);
    let wanted = candidates.max(1);
    while verified.iter().filter(|v| v.clean()).count() < wanted && tried.len() < wanted + SPARE_TRIES {
        let t = Instant::now();
        let found = search::search(&pieces, page, KEEP);
        searches += 1;
        search_millis += t.elapsed().as_millis();
        if std::env::var_os("PAIBAN_PLAN_DEBUG").is_some() {
            for f in found.iter().take(5) {
                let blocks: Vec<String> = f.plan.blocks.iter().map(|b| format!("{}@{}+{}:{}+{}(a{} s{} o{})", pieces[b.piece].id, b.column, b.span, b.line, b.lines, b.air, b.short, b.over)).collect();
                eprintln!("debug: {} {} | {}", f.score.total, f.score.summary(), blocks.join(" "));
            }
        }
        let Some(next) = found.into_iter().find(|f| !tried.contains(&f.layout)) else { break };
        tried.push(next.layout.clone());
        if let Some(v) = verify::verify(project, edition, id, &next.layout, &mut pieces, page)?
            && !verified.iter().any(|w| w.placements == v.placements) {
                verified.push(v);
            }
        // Each issue's layouts are of no use to the next finalist's.
        comemo::evict(4);
    }
    verified.sort_by(|a, b| {
        (!a.clean(), a.score.total).partial_cmp(&(!b.clean(), b.score.total)).unwrap_or(std::cmp::Ordering::Equal)
    });
    verified.truncate(wanted);
    if verified.is_empty() {
        return Err(Error::input(format!("no arrangement of issue `{id}`'s articles could be laid out on its page"))
            .in_file(dir.join("issue.toml"))
            .hint("the copy may be far more or less than the page holds, or a head or photo too wide for every span: check min_span/max_span and the copy's length"));
    }
    let heads_apart_impossible = bound::heads_apart_impossible(&pieces, page);
    Ok(Outcome {
        id: id.to_string(),
        dir,
        text,
        candidates: verified,
        pieces,
        searches,
        tried: tried.len(),
        search_millis,
        millis: start.elapsed().as_millis(),
        heads_apart_impossible,
    })
}
