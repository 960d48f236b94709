//! Finalists laid out for real: the plan is loaded as the build would load
//! it, laid out by Typst, and measured. What Typst measured (each head's
//! lines, each body's lines) replaces the estimates (`calibrate`), the
//! arrangement is laid out again on the corrected figures, and copyfit
//! settles what is left (head lines and block edges only: the plan may
//! not change an article's photos). The score is then taken from the
//! measured page, and the page invariant checked.

use std::path::Path;

use crate::layout::rounds::{self, Laid, LayoutOptions};
use crate::typeset::project::Project;
use crate::layout::copyfit::{self, Change};
use crate::error::Result;
use crate::content::model::{ArticleKind, Issue, Placement};

use super::layout::{Block, Layout, Plan, materialize};
use super::pieces::{Need, Piece};
use super::score::{Score, score};
use super::search::Page;

/// Layouts of one arrangement on corrected figures before copyfit.
const ROUNDS: usize = 3;

/// A finalist as laid out.
pub struct Verified {
    pub layout: Layout,
    pub placements: Vec<Placement>,
    pub issue: Issue,
    pub laid: Laid,
    /// The score measured on the laid-out page.
    pub score: Score,
    /// Elements drawn outside their block (the page invariant).
    pub strays: Vec<String>,
    /// What copyfit changed.
    pub copyfit: Vec<String>,
    /// Typst layouts it took.
    pub layouts: usize,
    pub millis: u128,
}

impl Verified {
    /// Every rule a desk never breaks kept, and nothing outside its block.
    pub fn clean(&self) -> bool {
        self.score.clean() && self.strays.is_empty()
    }
}

/// Loads the issue laid out to `placements`, as `build` would.
fn load(edition: &Path, root: &Path, id: &str, placements: &[Placement]) -> Result<Issue> {
    let mut e = crate::plan::place::edition_planned(edition, root, Some((id, placements)))?;
    let at = e.issues.iter().position(|i| i.file.id == id).expect("the issue planned is in its edition");
    Ok(e.issues.swap_remove(at))
}

/// The head as measured: the block's lines above its body (`None` for a
/// block without a body).
fn measured_head(laid: &Laid, p: &Placement) -> Option<u32> {
    let f = laid.fits.iter().find(|f| f.key == p.article)?;
    Some(p.lines.saturating_sub(f.lines_per_column))
}

/// Each placement with its part's key (`id`, then `id~2` … for an L's
/// leg, as `plan::chain` names them) and whether it continues a chain.
fn keyed(issue: &Issue) -> Vec<(&Placement, String, bool)> {
    crate::plan::chain::parts(issue).into_iter().map(|p| (p.place, p.key, p.index > 0)).collect()
}

/// Corrects `pieces` from a laid-out page: a head that came out taller
/// than estimated, at every span (the estimate's error is the head's, not
/// the span's); the body's lines at the measure laid out.
fn calibrate(pieces: &mut [Piece], issue: &Issue, laid: &Laid) {
    for p in &issue.file.place {
        // An L's parts hold parts of its text: its figures stay estimates.
        if issue.file.place.iter().filter(|q| q.article == p.article).count() > 1 {
            continue;
        }
        let Some(piece) = pieces.iter_mut().find(|x| x.id == p.article) else { continue };
        let Some(need) = piece.need(p.span).copied() else { continue };
        let Some(f) = laid.fits.iter().find(|f| f.key == p.article) else { continue };
        if piece.kind != ArticleKind::EditorsNote
            && let Some(head) = measured_head(laid, p)
        {
            let asked = p.head_lines.unwrap_or(0).max(need.head_text) + need.photo_row;
            let natural = if piece.kind == ArticleKind::Interview { need.head() } else { need.head_text + need.photo_row };
            if head > asked.max(natural) {
                let delta = head - asked.max(natural);
                for n in piece.needs.iter_mut().flatten() {
                    n.head_text += delta;
                }
            }
        }
        // The body's lines in one column: what the balanced columns hold.
        let body = f.used;
        for n in piece.needs.iter_mut().flatten().filter(|n| n.columns == need.columns || !matches!(piece.kind, ArticleKind::EditorsNote)) {
            if body > 0 {
                n.body = body;
                n.per = body.div_ceil(n.columns);
                n.last = body.saturating_sub(n.per * (n.columns - 1));
            }
        }
        // A balanced body the layout set a line longer (a 小标题 sent to
        // the next column's top) keeps that line.
        if let Some(n) = piece.needs.get_mut(p.span as usize - 1).and_then(Option::as_mut)
            && f.per > n.per
        {
            n.per = f.per;
        }
    }
}

/// The plan as measured on the laid-out page: each block's place from the
/// final placements, its columns and what they hold from the fit.
fn measured(pieces: &[Piece], issue: &Issue, laid: &Laid, top_lines: u32) -> Plan {
    let blocks = keyed(issue)
        .into_iter()
        .filter_map(|(p, key, leg)| {
            let piece = pieces.iter().position(|x| x.id == p.article)?;
            // A leg has no head, and may stand narrower than the article
            // could with one (an interview's portrait): its figures are
            // all measured.
            let mut need: Need = match (leg, pieces[piece].need(p.span)) {
                (false, n) => *n?,
                (true, n) => Need {
                    head_text: 0,
                    photo_row: 0,
                    columns: p.body_columns.unwrap_or(p.span),
                    foot: 0,
                    ..n.copied().unwrap_or(Need { head_text: 0, photo_row: 0, columns: 0, body: 0, per: 0, last: 0, foot: 0 })
                },
            };
            let f = laid.fits.iter().find(|f| f.key == key);
            let natural = if pieces[piece].kind == ArticleKind::Interview { need.head() } else { need.head_text };
            let air = p.head_lines.map_or(0, |h| h.saturating_sub(natural));
            if let Some(f) = f {
                need.per = f.per;
                need.body = f.used;
                need.last = f.last_column_lines;
            }
            let over = laid.overset.iter().filter(|o| o.key == key).map(|o| o.lines).sum();
            Some(Block {
                piece,
                column: p.column,
                span: p.span,
                line: p.line,
                lines: p.lines,
                need,
                air,
                short: f.map_or(0, |f| f.short_lines),
                over,
                leg,
            })
        })
        .collect();
    Plan { blocks, top_lines }
}

/// Lays out an arrangement, corrects the figures and lays it out again
/// until it holds, then lets copyfit settle the last lines.
#[allow(clippy::too_many_arguments)]
pub fn verify(
    project: &Project,
    edition: &Path,
    id: &str,
    layout: &Layout,
    pieces: &mut [Piece],
    page: Page,
) -> Result<Option<Verified>> {
    let t = std::time::Instant::now();
    let mut layouts = 0;
    let mut last: Option<(Vec<Placement>, Issue, Laid, u32)> = None;
    for _ in 0..ROUNDS {
        let Some(plan) = materialize(layout, pieces, page.columns, page.lines) else { break };
        let placements = plan.placements(pieces);
        if last.as_ref().is_some_and(|(p, ..)| *p == placements) {
            break;
        }
        let issue = load(edition, &project.root, id, &placements)?;
        layouts += 1;
        let laid = match rounds::lay_out(project, &issue, LayoutOptions::default()) {
            Ok(l) => l,
            // A head that cannot be set at this width: not a finalist.
            Err(_) => return Ok(None),
        };
        calibrate(pieces, &issue, &laid);
        let fits = laid.overset.is_empty() && laid.fits.iter().all(|f| f.short_lines <= crate::layout::report::UNDERFULL_LINES);
        last = Some((placements, issue, laid, plan.top_lines));
        if fits {
            break;
        }
    }
    let Some((_, mut issue, mut laid, top_lines)) = last else { return Ok(None) };
    // Copyfit for what the corrected figures did not settle: head lines
    // and block edges, which the plan can hold.
    let mut changes = Vec::new();
    if !laid.overset.is_empty() || laid.fits.iter().any(|f| f.short_lines > crate::layout::report::UNDERFULL_LINES) {
        let proposals = copyfit::propose(project, &laid)?;
        layouts += proposals.iter().map(|p| p.tried).sum::<usize>();
        let mut changed = false;
        for p in proposals {
            // A story's head_lines sizes the text above its photos, which
            // copyfit's head change does not tell apart: not for those.
            let photo_row = |a: &str| pieces.iter().any(|x| x.id == a && x.kind != ArticleKind::Interview && !x.photos.is_empty());
            let usable = match &p.change {
                Some(Change::HeadLines { article, .. }) => !photo_row(article),
                Some(Change::Boundary { .. }) => true,
                _ => false,
            };
            if usable && let Some(c) = p.change {
                changes.push(c.to_string());
                copyfit::apply(&mut issue, &c);
                changed = true;
            }
        }
        if changed {
            laid = rounds::lay_out(project, &issue, LayoutOptions::default())?;
            layouts += 1;
        }
    }
    let plan = measured(pieces, &issue, &laid, top_lines);
    let s = score(&plan, pieces, (page.columns, page.lines, page.column_chars, page.gutter), true);
    let strays: Vec<String> = crate::check::invariant::check(&laid)
        .into_iter()
        .map(|s| s.describe())
        .collect();
    Ok(Some(Verified {
        layout: layout.clone(),
        placements: issue.file.place.clone(),
        issue,
        laid,
        score: s,
        strays,
        copyfit: changes,
        layouts,
        millis: t.elapsed().as_millis(),
    }))
}
