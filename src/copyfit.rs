//! Copyfit: for an overset or underfull article, find the smallest change a
//! desk accepts that makes it fit while keeping the grid, by laying the page
//! out again with each candidate. Never a word of text, never the leading,
//! never the character grid: only the head's lines, a photo's lines, or a
//! block boundary moved against its neighbour by whole grid lines.
//!
//! First tried, being the smallest: 缩行 and 拉行, a paragraph one line
//! shorter or longer by line-break choices that only squeeze full-width
//! marks to half a cell or let squeezed ones out again (clreq), measured
//! from the marks' actual widths on the page.

use std::fmt;

use serde::Serialize;

use crate::chain;
use crate::compile::{self, Laid, LayoutOptions, Project};
use crate::error::Result;
use crate::grid::Rect;
use crate::model::BodyBlock;
use crate::model::Issue;
use crate::report::{FitReport, Status};
use crate::typography::{NO_END, NO_START};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    /// Forced line ends in one paragraph (by body block index), one line
    /// fewer (缩行, `lines` = -1) or one more (拉行, `lines` = 1).
    LineBreaks { article: String, paragraph: usize, lines: i32, breaks: Vec<usize> },
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
            Self::LineBreaks { article, paragraph, lines, .. } => {
                let what = if *lines < 0 { "缩行: one line shorter" } else { "拉行: one line longer" };
                write!(
                    f,
                    "{article}: paragraph {} {what} by squeezing or releasing punctuation",
                    paragraph + 1
                )
            }
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
}

/// Applies a change to the issue (in memory; files are not touched).
pub fn apply(issue: &mut Issue, change: &Change) {
    match change {
        Change::LineBreaks { article, paragraph, breaks, .. } => {
            if let Some(a) = issue.articles.iter_mut().find(|a| &a.id == article) {
                a.breaks.insert(*paragraph, breaks.clone());
            }
        }
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
fn candidates(issue: &Issue, laid: &Laid, article: &str, status: Status) -> Vec<Change> {
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
    out.extend(line_break_candidates(issue, laid, article, grow));
    out.sort_by_key(|c| match c {
        Change::LineBreaks { .. } => 0,
        Change::HeadLines { from, to, .. } => 10 * from.abs_diff(*to),
        Change::PhotoLines { from, to, .. } => 10 * from.abs_diff(*to) + 1,
        Change::Boundary { lines, .. } => 10 * lines.unsigned_abs() + 2,
    });
    out
}

fn status_of(issue: &Issue, laid: &Laid, article: &str) -> Option<Status> {
    let mut r = FitReport::default();
    r.add(issue, laid);
    r.articles.into_iter().find(|a| a.article == article).map(|a| a.status)
}

/// Lays out, and with `copyfit` applies the proposals (in memory) and lays
/// out again. Prints one line per change. Returns the issue as laid out.
pub fn lay_out_fitted(
    project: &Project,
    issue: &Issue,
    opts: LayoutOptions,
    copyfit: bool,
) -> Result<(Issue, Laid)> {
    let mut issue = issue.clone();
    let laid = compile::lay_out(project, &issue, opts)?;
    if !copyfit {
        return Ok((issue, laid));
    }
    let proposals = propose(project, &issue, &laid)?;
    let mut changed = false;
    for p in &proposals {
        match &p.change {
            Some(c) => {
                eprintln!("copyfit: {}: {c}", issue.file.id);
                apply(&mut issue, c);
                changed = true;
            }
            None => eprintln!(
                "copyfit: {}: {}: {:?}, no change found ({} tried)",
                issue.file.id, p.article, p.status, p.tried
            ),
        }
    }
    if !changed {
        return Ok((issue, laid));
    }
    let laid = compile::lay_out(project, &issue, opts)?;
    Ok((issue, laid))
}

/// Finds a change for each overset or underfull article of `issue`.
pub fn propose(project: &Project, issue: &Issue, laid: &Laid) -> Result<Vec<Proposal>> {
    let mut report = FitReport::default();
    report.add(issue, laid);
    let mut out = Vec::new();
    for a in report.articles.iter().filter(|a| a.status != Status::Fits) {
        let mut tried = 0;
        let mut found = None;
        for c in candidates(issue, laid, &a.article, a.status) {
            let mut trial = issue.clone();
            apply(&mut trial, &c);
            tried += 1;
            let Ok(l) = compile::lay_out(project, &trial, LayoutOptions::default()) else { continue };
            let fits = status_of(&trial, &l, &a.article) == Some(Status::Fits)
                && !sticks_out(&trial, &l, &a.article);
            // The change may not break a neighbour that fitted.
            let neighbour_ok = match &c {
                Change::Boundary { neighbour, .. } => {
                    status_of(&trial, &l, neighbour) != Some(Status::Overset)
                }
                _ => true,
            };
            if fits && neighbour_ok {
                found = Some(c);
                break;
            }
        }
        out.push(Proposal {
            issue: issue.file.id.clone(),
            article: a.article.clone(),
            status: a.status,
            change: found,
            tried,
        });
    }
    Ok(out)
}

/// A body line as set on the page.
#[derive(Debug, Clone)]
struct SetLine {
    /// Printed characters, in order.
    text: Vec<char>,
    /// Whole characters' room the marks would give if squeezed to half a
    /// cell each (Typst spreads its squeeze over all marks of a line).
    squeezable: usize,
    /// Whole characters' room the squeezed marks would take if let out to
    /// a full cell again.
    expandable: usize,
}

const MARKS: &str = "，。、；：？！”’）》」』“‘（《「『";

/// The article's body lines in reading order, from the page (lines that
/// ran past the block included), with the body block each belongs to.
/// Each body block's lines, by block index.
type ParagraphLines = Vec<(usize, Vec<SetLine>)>;

fn body_lines(issue: &Issue, laid: &Laid, article: &str) -> Option<(ParagraphLines, usize)> {
    let grid = &laid.grid;
    let scan = &laid.scans[0];
    let mut lines: Vec<SetLine> = Vec::new();
    let mut col_chars = 0;
    for part in chain::parts(issue).into_iter().filter(|p| p.place.article == article) {
        let p = part.place;
        let rect: Rect = grid.rect(p);
        let start = scan.marker("start", &part.key)?.y;
        // Balanced columns taller than the block run past its bottom: read
        // as many lines as the layout gave each column.
        let prefix = format!("per:{}:", part.key);
        let per = scan.markers.iter().find_map(|m| m.value.strip_prefix(&prefix)?.parse::<f64>().ok());
        let end = per.map_or(rect.bottom(), |per| (start + per * grid.pitch).max(rect.bottom()));
        let n = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
        col_chars = (grid.span_chars(p.span) - (n - 1) * grid.gutter_chars) / n;
        for line in scan.body_lines(&rect, start, end, step, None).into_values() {
            let mut l = SetLine { text: Vec::new(), squeezable: 0, expandable: 0 };
            let (mut squeeze, mut expand) = (0.0, 0.0);
            for (_, adv, t) in &line.glyphs {
                for c in t.chars().filter(|c| !c.is_whitespace()) {
                    l.text.push(c);
                    if MARKS.contains(c) {
                        squeeze += (adv - grid.cell / 2.0).max(0.0);
                        expand += (grid.cell - adv).max(0.0);
                    }
                }
            }
            l.squeezable = (squeeze / grid.cell + 0.05).floor() as usize;
            l.expandable = (expand / grid.cell + 0.05).floor() as usize;
            if !l.text.is_empty() {
                lines.push(l);
            }
        }
    }
    let a = issue.article(article)?;
    let mut out = Vec::new();
    let mut it = lines.into_iter();
    let mut skip = chain::lead_in(a.meta.kind).map_or(0, chain::printed_len);
    for (j, b) in a.body.iter().enumerate() {
        let want = chain::block_len(b) + std::mem::take(&mut skip);
        let mut got = 0;
        let mut mine = Vec::new();
        while got < want {
            let l = it.next()?;
            got += l.text.len();
            mine.push(l);
        }
        if got != want {
            return None;
        }
        out.push((j, mine));
    }
    Some((out, col_chars as usize))
}

/// Line ends for a paragraph whose line lengths become `counts`; `None`
/// when a break would put a mark at a line start or end (kinsoku).
/// A break that would do so moves by one character (the mark joins the line
/// before, or the opening mark the line after), as long as the last line
/// keeps two characters.
fn breaks_for(text: &[char], counts: &[usize]) -> Option<Vec<usize>> {
    let ok = |at: usize| {
        let (Some(prev), Some(next)) = (text.get(at.wrapping_sub(1)), text.get(at)) else { return false };
        !NO_START.contains(*next) && !NO_END.contains(*prev) && text.len() - at >= 2
    };
    let mut out: Vec<usize> = Vec::new();
    let mut at = 0;
    for &c in &counts[..counts.len() - 1] {
        at += c;
        let at_ok = [at, at + 1, at.wrapping_sub(1)]
            .into_iter()
            .find(|&a| a > out.last().copied().unwrap_or(0) && ok(a))?;
        out.push(at_ok);
        at = at_ok;
    }
    Some(out)
}

/// 缩行 (pull a short last line back) for overset, 拉行 (push one out) for
/// underfull: only where the marks in the paragraph give the room.
fn line_break_candidates(issue: &Issue, laid: &Laid, article: &str, grow: bool) -> Vec<Change> {
    let Some((paras, col_chars)) = body_lines(issue, laid, article) else { return Vec::new() };
    let a = issue.article(article).expect("article exists");
    let mut out = Vec::new();
    for (j, lines) in paras {
        if !matches!(a.body[j], BodyBlock::Paragraph { .. }) || lines.len() < 2 || a.breaks.contains_key(&j) {
            continue;
        }
        let text: Vec<char> = lines.iter().flat_map(|l| l.text.iter().copied()).collect();
        let mut counts: Vec<usize> = lines.iter().map(|l| l.text.len()).collect();
        let last = *counts.last().unwrap();
        if !grow {
            // Each line takes one more character per cell its marks can give.
            let mut need = last;
            if need > 4 {
                continue;
            }
            let n = counts.len();
            for (i, l) in lines[..n - 1].iter().enumerate() {
                let take = l.squeezable.min(need);
                counts[i] += take;
                need -= take;
            }
            if need > 0 {
                continue;
            }
            counts.pop();
            if let Some(breaks) = breaks_for(&text, &counts) {
                out.push(Change::LineBreaks { article: article.into(), paragraph: j, lines: -1, breaks });
            }
        } else {
            // Lines give up a character per cell their squeezed marks take back,
            // until the last line overflows with at least two characters.
            let mut need = (col_chars + 2).saturating_sub(last);
            let n = counts.len();
            for i in (0..n - 1).rev() {
                let give = lines[i].expandable.min(need);
                counts[i] -= give;
                need -= give;
            }
            if need > 0 {
                continue;
            }
            let moved: usize =
                lines.iter().map(|l| l.text.len()).sum::<usize>() - counts[..n - 1].iter().sum::<usize>();
            counts[n - 1] = col_chars.min(moved - 2);
            counts.push(moved - counts[n - 1]);
            if let Some(breaks) = breaks_for(&text, &counts) {
                out.push(Change::LineBreaks { article: article.into(), paragraph: j, lines: 1, breaks });
            }
        }
    }
    out.truncate(8);
    out
}

/// Whether any body glyph of the article reaches past its column's right
/// edge (a forced break the marks could not absorb).
fn sticks_out(issue: &Issue, laid: &Laid, article: &str) -> bool {
    let grid = &laid.grid;
    let scan = &laid.scans[0];
    chain::parts(issue).into_iter().filter(|p| p.place.article == article).any(|part| {
        let p = part.place;
        let rect = grid.rect(p);
        let n = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
        let width = step - grid.cell * grid.gutter_chars as f64;
        let start = scan.marker("start", &part.key).map_or(rect.y, |m| m.y);
        let body = |r: &&crate::inspect::TextRun| {
            r.x >= rect.x - 0.5
                && r.x < rect.right()
                && r.y > start
                && r.y <= rect.bottom()
                && (r.size - grid.cell).abs() < 0.01
        };
        scan.runs.iter().filter(body).any(|r| {
            let col = ((r.x - rect.x + 0.5) / step).floor();
            let right = rect.x + col * step + width;
            r.glyphs.iter().any(|g| g.0 + g.1 > right + 0.5 && !g.2.trim().is_empty())
        })
    })
}
