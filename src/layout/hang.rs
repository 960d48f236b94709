//! Where paiban, not Typst, breaks body lines. `plan_issue` breaks every
//! paragraph it can measure in whole cells before the first layout
//! (`linebreak`). For the rest (text with half-width signs or spaces),
//! the rounds on the laid-out page: 行末悬挂 where a full line had to end
//! one character early because the character after it is followed by a
//! no-start mark (the line takes that character and the mark hangs after
//! its last cell), and a forced break to mend a 孤字. Each round fixes the
//! first such line of each paragraph (the lines after it reflow).

use crate::content::model::{ArticleKind, BodyBlock, Issue, Run};
use crate::plan::chain;
use crate::clreq::{NO_END, NO_START};
use crate::plan::grid::{Grid, Rect};
use crate::plan::linebreak;
use crate::typeset::inspect::PageScan;

/// Whether paiban may set hangs and breaks in body block `j`: a paragraph
/// copyfit has not broken, and not the one a lead-in label (编者按) opens,
/// whose first line is not a plain indented line.
fn settable(a: &crate::content::model::Article, j: usize) -> bool {
    matches!(a.body.get(j), Some(BodyBlock::Paragraph { .. }))
        && !a.breaks.contains_key(&j)
        && !(j == 0 && chain::lead_in(a.meta.kind).is_some())
}

/// A mark to hang: article, paragraph index, printed-character offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hang {
    pub article: String,
    pub paragraph: usize,
    pub offset: usize,
}

/// Cells a line's characters take: one each, a run of ASCII letters and
/// digits ⌈n/2⌉ (the layouts' digit rule).
fn cells(text: &[char]) -> usize {
    let mut n: usize = 0;
    let mut ascii: usize = 0;
    for &c in text {
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '/') || (ascii > 0 && matches!(c, '.' | '%'))
        {
            ascii += 1;
        } else {
            n += ascii.div_ceil(2) + 1;
            ascii = 0;
        }
    }
    n + ascii.div_ceil(2)
}

/// The next hang for each paragraph whose lines show the pattern.
pub fn find(issue: &Issue, grid: &Grid, scan: &PageScan) -> Vec<Hang> {
    let mut out = Vec::new();
    let parts = chain::parts(issue);
    for a in &issue.articles {
        // A chain's parts are split by character counts measured before any
        // hang; leave them as Typst set them.
        if parts.iter().filter(|p| p.place.article == a.id).count() != 1 {
            continue;
        }
        // The boxed 编者按 sets its text inside the box's inset, off the
        // page's column measure.
        if a.meta.kind == ArticleKind::EditorsNote {
            continue;
        }
        let Some((paras, col_chars)) = body_lines_in(issue, grid, scan, &a.id) else { continue };
        for (j, lines) in paras {
            if !settable(a, j) {
                continue;
            }
            // Only where the lines are measured as the grid says (a line
            // wider than the measure means the cells are counted wrong).
            // A mark already hanging sits past the measure.
            let width = |i: usize, l: &[char]| {
                let hanging = l.last().is_some_and(|c| NO_START.contains(*c));
                (cells(l) + if i == 0 { 2 } else { 0 }).saturating_sub(usize::from(hanging))
            };
            if lines.iter().enumerate().any(|(i, l)| width(i, &l.text) > col_chars) {
                continue;
            }
            let mut before = 0;
            'lines: for (i, pair) in lines.windows(2).enumerate() {
                let (line, next) = (&pair[0].text, &pair[1].text);
                let indent = if i == 0 { grid.indent_chars as usize } else { 0 };
                // The line takes the next `m` characters (one to three
                // cells: 乙 before 。, or 理” before 。) and the mark after
                // them hangs.
                for m in 1..=3usize.min(next.len().saturating_sub(1)) {
                    let taken = &next[..m];
                    let rest: usize =
                        lines[i + 2..].iter().map(|l| l.text.len()).sum::<usize>() + next.len() - m - 1;
                    let solid_rest = lines[i + 1..]
                        .iter()
                        .flat_map(|l| l.text.iter())
                        .skip(m + 1)
                        .filter(|c| !NO_START.contains(**c))
                        .count();
                    if indent + cells(line) + m == col_chars
                        && !NO_START.contains(taken[0])
                        && taken.iter().all(|c| !c.is_ascii_alphanumeric())
                        && NO_START.contains(next[m])
                        && next.get(m + 1).is_none_or(|c| !NO_START.contains(*c))
                        // The paragraph must not end on a lone character.
                        && (rest == 0 || solid_rest >= 2)
                    {
                        out.push(Hang {
                            article: a.id.clone(),
                            paragraph: j,
                            offset: before + line.len() + m,
                        });
                        break 'lines;
                    }
                }
                before += line.len();
            }
        }
    }
    out
}

/// A paragraph whose last line holds one character (孤字) in first-fit
/// breaking: the offset where a forced break sends one more character down.
/// The line above then ends a cell short: the one off-cell line clreq
/// accepts for this.
pub fn find_runts(issue: &Issue, grid: &Grid, scan: &PageScan) -> Vec<Hang> {
    let mut out = Vec::new();
    for a in &issue.articles {
        let Some((paras, _)) = body_lines_in(issue, grid, scan, &a.id) else { continue };
        for (j, lines) in paras {
            if !settable(a, j) {
                continue;
            }
            let Some(last) = lines.last().filter(|_| lines.len() >= 2) else { continue };
            if last.text.iter().filter(|c| !NO_START.contains(**c)).count() != 1 {
                continue;
            }
            let text: Vec<char> = lines.iter().flat_map(|l| l.text.iter().copied()).collect();
            let start = text.len() - last.text.len();
            // One character more on the last line, or as few more as keep
            // the line rules and a number whole.
            let ok = |at: usize| {
                at > 0
                    && !NO_START.contains(text[at])
                    && !NO_END.contains(text[at - 1])
                    // Nor part a number from its digits or unit.
                    && !(text[at - 1].is_ascii_digit() && (text[at].is_ascii_alphanumeric() || !text[at].is_ascii()))
            };
            if let Some(at) = (1..=5).map(|k| start.saturating_sub(k)).find(|&at| ok(at)) {
                out.push(Hang { article: a.id.clone(), paragraph: j, offset: at });
            }
        }
    }
    out
}

/// A body line as set on the page.
#[derive(Debug, Clone)]
struct SetLine {
    /// Printed characters, in order.
    text: Vec<char>,
}

/// The article's body lines in reading order, from the page (lines that
/// ran past the block included), with the body block each belongs to.
/// Each body block's lines, by block index.
type ParagraphLines = Vec<(usize, Vec<SetLine>)>;

fn body_lines_in(
    issue: &Issue,
    grid: &crate::plan::grid::Grid,
    scan: &crate::typeset::inspect::PageScan,
    article: &str,
) -> Option<(ParagraphLines, usize)> {
    let mut lines: Vec<SetLine> = Vec::new();
    let mut col_chars = 0;
    for part in chain::parts(issue).into_iter().filter(|p| p.place.article == article) {
        let p = part.place;
        let rect: Rect = grid.rect(p);
        let start = scan.start(&part.key)?.y;
        // Balanced columns taller than the block run past its bottom: read
        // as many lines as the layout gave each column.
        let per = scan.per(&part.key).map(f64::from);
        let end = per.map_or(rect.bottom(), |per| (start + per * grid.pitch).max(rect.bottom()));
        let n = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
        col_chars = (grid.span_chars(p.span) - (n - 1) * grid.gutter_chars) / n;
        for line in scan.body_lines(&rect, start, end, step, None, grid.overhang()).into_values() {
            let mut l = SetLine { text: Vec::new() };
            for (_, _, t) in &line.glyphs {
                l.text.extend(t.chars().filter(|c| !c.is_whitespace()));
            }
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

/// Printed text of a paragraph, as `body_lines` reads it off the page, with
/// its spaces as the grid sets them (`chain::grid_spaces`). `None` when a
/// space is left that is not inside a Latin run (between two Chinese
/// characters, around other signs): it has no whole-cell width, and Typst
/// sets that paragraph.
pub fn printed(runs: &[crate::content::model::Run]) -> Option<linebreak::Printed> {
    let mut p = linebreak::Printed::default();
    let mut space = false;
    for r in chain::grid_spaces(runs) {
        match r {
            Run::Text { text: t } | Run::Hang { text: t } | Run::Squeeze { text: t } => {
                for c in t.chars() {
                    if c == ' ' && !space {
                        space = true;
                    } else if c.is_whitespace() {
                        return None;
                    } else {
                        p.text.push(c);
                        p.tied.push(false);
                        p.spaced.push(std::mem::take(&mut space));
                    }
                }
            }
            Run::Gap { .. } => {
                for (i, c) in chain::GAP_MARK.chars().enumerate() {
                    p.text.push(c);
                    p.tied.push(i > 0);
                    p.spaced.push(std::mem::take(&mut space));
                }
            }
            Run::Break => {}
        }
    }
    Some(p)
}

/// Breaks every body paragraph paiban can measure, before the first
/// layout (`linebreak::plan`, in the edition's house style): forced breaks,
/// squeezed marks and (where the style hangs) hanging marks, so the page is
/// laid out once with every line flush. Paragraphs it cannot measure (odd
/// signs, long runs) are left to Typst and to the rounds on the laid-out
/// page. Returns the lines the plan had to letter-space, with the rule that
/// forced each.
pub fn plan_issue(issue: &mut Issue, grid: &Grid, widths: &linebreak::Widths) -> Vec<ShortLine> {
    let parts = chain::parts(issue);
    let mut plans = Vec::new();
    let mut short = Vec::new();
    let style = issue.style;
    for a in &issue.articles {
        // The 编者按 box sets its text a cell in from each side.
        let boxed = a.meta.kind == ArticleKind::EditorsNote;
        let mine: Vec<_> = parts.iter().filter(|p| p.place.article == a.id).collect();
        let measures: Vec<_> = mine.iter().map(|p| grid.body_measure(p.place, boxed)).collect();
        // A chain (an L, a story continued) is planned like one block when
        // its parts share one measure: its lines are the same wherever the
        // parts split it, and the split falls at a planned line's end.
        let Some(&Some(cap)) = measures.first() else { continue };
        if measures.iter().any(|&m| m != Some(cap)) {
            continue;
        }
        // A mark may hang only where the style lets it: with "unruled
        // gutters", in a one-column body at the type area's right edge (no
        // rule, no neighbour's text within a cell).
        let clear_right = !boxed
            && mine.iter().all(|p| {
                p.place.body_columns.unwrap_or(p.place.span) == 1 && p.place.column + p.place.span > grid.columns
            });
        for (j, b) in a.body.iter().enumerate() {
            let BodyBlock::Paragraph { runs, .. } = b else { continue };
            if a.breaks.contains_key(&j) {
                continue;
            }
            // The paragraph a lead-in label opens (编者按　) starts after it.
            let indent = chain::paragraph_indent(a.meta.kind, j);
            // A space has no known width unless inside a Latin run: Typst
            // and the page rounds set such a paragraph.
            let Some(p) = printed(runs) else { continue };
            let m = linebreak::Measure::house(cap, indent, style, clear_right, widths);
            if let Some(plan) = linebreak::plan(&p, &m) {
                if let Some(why) = linebreak::why_loose(&p, &m, &plan) {
                    for &from in &plan.loose {
                        // A loose line ends at a forced break or a hang.
                        let to = plan
                            .breaks
                            .iter()
                            .copied()
                            .chain(plan.hangs.iter().map(|h| h.0))
                            .filter(|&b| b > from)
                            .min()
                            .unwrap_or(p.text.len());
                        let text = p.text[from..to].iter().collect();
                        short.push(ShortLine { article: a.id.clone(), text, why });
                    }
                }
                plans.push((a.id.clone(), j, plan));
            }
        }
    }
    for (id, j, plan) in plans {
        if let Some(a) = issue.articles.iter_mut().find(|a| a.id == id) {
            // Listed even when empty: the paragraph is paiban's to break.
            a.breaks.insert(j, plan.breaks.clone());
            if !plan.hangs.is_empty() {
                a.hangs.insert(j, plan.hangs.clone());
            }
            if !plan.squeezes.is_empty() {
                a.squeezes.insert(j, plan.squeezes.clone());
            }
        }
    }
    short
}

/// A line the plan letter-spaces because no allowed move fills it, with the
/// rule that forced it: the typography check names it, since only a copy
/// edit would mend it.
#[derive(Debug, Clone)]
pub struct ShortLine {
    pub article: String,
    /// Its printed characters.
    pub text: String,
    pub why: linebreak::Forced,
}
