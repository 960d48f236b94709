//! Copyfit: for an overset or underfull article, find the smallest change a
//! desk accepts that makes it fit while keeping the grid, by laying the page
//! out again with each candidate. Never a word of text, never the leading,
//! never the character grid: only the head's lines, a photo's lines, or a
//! block boundary moved against its neighbour by whole grid lines.
//!
//! (缩行/拉行 by squeezing marks has no place on the strict grid, where
//! every mark keeps its whole cell.)

use std::fmt;

use serde::Serialize;

use crate::content::model::Issue;
use crate::error::Result;
use crate::layout::report::{FitReport, Status};
use crate::layout::rounds::{self, Laid, LayoutOptions};
use crate::typeset::project::Project;
use crate::plan::chain;
use crate::clreq::NO_START;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// The head (headline, photo, byline) of the article's first block.
    HeadLines { article: String, from: u32, to: u32 },
    /// A photo's height in grid lines.
    PhotoLines { article: String, photo: String, from: u32, to: u32 },
    /// The edge between the article's last block and a neighbour's block,
    /// moved by `lines` (positive: the article's block grows).
    Boundary { article: String, neighbour: String, lines: i32 },
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::HeadLines { article, from, to } => write!(f, "{article}: head {from} → {to} lines"),
            Self::PhotoLines { article, photo, from, to } => {
                write!(f, "{article}: photo {photo} {from} → {to} lines")
            }
            Self::Boundary { article, neighbour, lines } => {
                let (who, n) = if *lines > 0 { (article, lines) } else { (neighbour, &-lines) };
                let other = if who == article { neighbour } else { article };
                write!(
                    f,
                    "{article}: move the edge with {neighbour} by {n} line(s), {who} grows, {other} shrinks"
                )
            }
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    pub issue: String,
    pub article: String,
    pub status: Status,
    /// The change that makes it fit; `None` when no candidate does.
    pub change: Option<Change>,
    /// Candidates laid out to find it.
    pub tried: usize,
    /// When none fits: the candidate that came closest, and the grid lines
    /// by which it still misses (column-lines over, or lines short).
    pub closest: Option<Change>,
    pub misses_by: Option<u32>,
}

impl Proposal {
    /// "chunan: Overset, no change found (6 tried); closest: … still 3 line(s) over".
    pub fn no_change(&self) -> String {
        let what = if self.status == Status::Underfull { "short" } else { "over" };
        let closest = match (&self.closest, self.misses_by) {
            (Some(c), Some(n)) => format!("; the closest, {c}, still leaves {n} line(s) {what}"),
            _ => "; no candidate could be laid out".to_string(),
        };
        format!(
            "{}: {:?}, no change found ({} tried){closest}; cut or add copy, or change the plan in issue.toml",
            self.article, self.status, self.tried
        )
    }
}

/// Applies a change to the issue (in memory; files are not touched).
pub fn apply(issue: &mut Issue, change: &Change) {
    match change {
        Change::HeadLines { article, to, .. } => {
            if let Some(p) = issue.file.place.iter_mut().find(|p| &p.article == article) {
                p.head_lines = Some(*to);
            }
        }
        Change::PhotoLines { article, photo, to, .. } => {
            if let Some(a) = issue.articles.iter_mut().find(|a| &a.id == article)
                && let Some(ph) = a.meta.photos.iter_mut().find(|ph| &ph.id == photo)
            {
                ph.lines = *to;
            }
        }
        Change::Boundary { article, neighbour, lines } => {
            let last = issue.file.place.iter().rposition(|p| &p.article == article);
            let nb = issue.file.place.iter().position(|p| &p.article == neighbour);
            let (Some(a), Some(b)) = (last, nb) else { return };
            let below = issue.file.place[b].line > issue.file.place[a].line;
            let d = *lines;
            let (pa, pb) = (&issue.file.place[a].clone(), &issue.file.place[b].clone());
            issue.file.place[a].lines = (pa.lines as i32 + d) as u32;
            issue.file.place[b].lines = (pb.lines as i32 - d) as u32;
            if below {
                issue.file.place[b].line = (pb.line as i32 + d) as u32;
            } else {
                issue.file.place[a].line = (pa.line as i32 - d) as u32;
            }
        }
    }
}

/// Candidate changes for one article, smallest first.
fn candidates(laid: &Laid, article: &str, status: Status) -> Vec<Change> {
    let issue = &laid.issue;
    let grow = status == Status::Underfull;
    let sign: i32 = if grow { 1 } else { -1 };
    let mut out = Vec::new();
    let first = issue.file.place.iter().position(|p| p.article == article);
    let fit = laid.fits.iter().find(|f| f.article == article);
    if let (Some(i), Some(fit)) = (first, fit) {
        let head = issue.file.place[i].lines.saturating_sub(fit.lines_per_column);
        for d in [1, 2] {
            let to = head as i32 + sign * d;
            if to >= 1 {
                out.push(Change::HeadLines { article: article.into(), from: head, to: to as u32 });
            }
        }
    }
    if let Some(a) = issue.article(article) {
        for ph in &a.meta.photos {
            for d in [1, 2] {
                let to = ph.lines as i32 + sign * d;
                if to >= 2 {
                    out.push(Change::PhotoLines {
                        article: article.into(),
                        photo: ph.id.clone(),
                        from: ph.lines,
                        to: to as u32,
                    });
                }
            }
        }
    }
    // Neighbours sharing a whole edge (same columns) above or below the
    // article's last block.
    if let Some(p) = issue.file.place.iter().rev().find(|p| p.article == article) {
        for q in issue
            .file
            .place
            .iter()
            .filter(|q| q.article != article && q.column == p.column && q.span == p.span)
        {
            if q.line == p.line + p.lines || q.line + q.lines == p.line {
                for d in 1..=3 {
                    let lines = -sign * d;
                    if (q.lines as i32) - lines >= 4 && (p.lines as i32) + lines >= 4 {
                        out.push(Change::Boundary {
                            article: article.into(),
                            neighbour: q.article.clone(),
                            lines,
                        });
                    }
                }
            }
        }
    }
    out.sort_by_key(|c| match c {
        Change::HeadLines { from, to, .. } => 10 * from.abs_diff(*to),
        Change::PhotoLines { from, to, .. } => 10 * from.abs_diff(*to) + 1,
        Change::Boundary { lines, .. } => 10 * lines.unsigned_abs() + 2,
    });
    out
}

fn status_of(laid: &Laid, article: &str) -> Option<Status> {
    let mut r = FitReport::default();
    r.add(laid);
    r.articles.into_iter().find(|a| a.article == article).map(|a| a.status)
}

/// Lays out, and with `copyfit` applies the proposals (in memory) and lays
/// out again. Prints one line per change. The result holds the issue as
/// laid out (`Laid::issue`): with `copyfit`, the changed plan.
pub fn lay_out_fitted(project: &Project, issue: &Issue, opts: LayoutOptions, copyfit: bool) -> Result<Laid> {
    let laid = rounds::lay_out(project, issue, opts)?;
    if !copyfit {
        return Ok(laid);
    }
    let proposals = propose(project, &laid)?;
    let mut issue = issue.clone();
    let mut changed = false;
    for p in &proposals {
        match &p.change {
            Some(c) => {
                eprintln!("copyfit: {}: {c}", issue.file.id);
                apply(&mut issue, c);
                changed = true;
            }
            None => eprintln!("copyfit: {}: {}", issue.file.id, p.no_change()),
        }
    }
    if !changed {
        return Ok(laid);
    }
    rounds::lay_out(project, &issue, opts)
}

/// Finds a change for each overset or underfull article of `issue`.
pub fn propose(project: &Project, laid: &Laid) -> Result<Vec<Proposal>> {
    let issue = &laid.issue;
    let mut report = FitReport::default();
    report.add(laid);
    let mut out = Vec::new();
    for a in report.articles.iter().filter(|a| a.status != Status::Fits) {
        let mut tried = 0;
        let mut found = None;
        let mut closest: Option<(Change, u32)> = None;
        for c in candidates(laid, &a.article, a.status) {
            let mut trial = issue.clone();
            apply(&mut trial, &c);
            tried += 1;
            let Ok(l) = rounds::lay_out(project, &trial, LayoutOptions::default()) else { continue };
            let fits = status_of(&l, &a.article) == Some(Status::Fits)
                && !sticks_out(&l, &a.article);
            // The change may not break a neighbour that fitted.
            let neighbour_ok = match &c {
                Change::Boundary { neighbour, .. } => {
                    status_of(&l, neighbour) != Some(Status::Overset)
                }
                _ => true,
            };
            if fits && neighbour_ok {
                found = Some(c);
                break;
            }
            if neighbour_ok
                && let Some(miss) = misses(&l, &a.article, a.status)
                && closest.as_ref().is_none_or(|(_, m)| miss < *m)
            {
                closest = Some((c, miss));
            }
        }
        out.push(Proposal {
            issue: issue.file.id.clone(),
            article: a.article.clone(),
            status: a.status,
            closest: if found.is_none() { closest.as_ref().map(|(c, _)| c.clone()) } else { None },
            misses_by: if found.is_none() { closest.map(|(_, m)| m) } else { None },
            change: found,
            tried,
        });
    }
    Ok(out)
}

/// By how many grid lines an article still misses after a candidate:
/// column-lines over for an overset article, lines short beyond the
/// accepted for an underfull one.
fn misses(laid: &Laid, article: &str, status: Status) -> Option<u32> {
    let mut r = FitReport::default();
    r.add(laid);
    let a = r.articles.into_iter().find(|a| a.article == article)?;
    Some(match status {
        Status::Underfull => a.short.saturating_sub(crate::layout::report::UNDERFULL_LINES),
        _ => a.over,
    })
}

/// Whether any body glyph of the article reaches past its column's right
/// edge (a forced break the marks could not absorb).
fn sticks_out(laid: &Laid, article: &str) -> bool {
    let issue = &laid.issue;
    let grid = &laid.grid;
    let scan = &laid.scans[0];
    chain::parts(issue).into_iter().filter(|p| p.place.article == article).any(|part| {
        let p = part.place;
        let rect = grid.rect(p);
        let n = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
        let width = step - grid.cell * grid.gutter_chars as f64;
        let start = scan.start(&part.key).map_or(rect.y, |m| m.y);
        let body = |r: &&crate::typeset::inspect::TextRun| {
            r.x >= rect.x - 0.5
                && r.x < rect.right()
                && r.y > start
                && r.y <= rect.bottom()
                && (r.size - grid.cell).abs() < 0.01
        };
        scan.runs.iter().filter(body).any(|r| {
            let col = ((r.x - rect.x + 0.5) / step).floor();
            let right = rect.x + col * step + width;
            // A mark hanging after the last cell (行末悬挂) is meant to.
            let hanging =
                |g: &crate::typeset::inspect::Glyph| g.0 >= right - 0.5 && g.2.chars().all(|c| NO_START.contains(c));
            // The advance of a line's last glyph includes justification
            // space; the glyph itself is at most a cell wide.
            r.glyphs
                .iter()
                .any(|g| g.0 + g.1.min(grid.cell) > right + 0.5 && !g.2.trim().is_empty() && !hanging(g))
        })
    })
}
