//! The issue as data for Typst: the grid in pt, the header, and every block
//! with its article. Text crosses into Typst as JSON strings, never as markup,
//! so `#`, `$`, `*`, `_`, `<`, `@` and `\` print literally.
//!
//! The contract (layouts/README.md, "One contract"): what Rust owns crosses
//! here and the layouts repeat none of it — the grid (`Grid`, with the line
//! box's ascent and the indent), the 编者按 lead-in, the header as raw parts.
//! What the layouts own (`layouts/style.typ`: faces, byline and header
//! wording, the 小标题 size) is read back by `typeset::house`, not written
//! here.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::content::model::{ArticleKind, BodyBlock, BylinePosition, Credit, Issue, Run};
use crate::plan::chain;
use crate::plan::grid::{Grid, Rect};
use crate::typeset::house::House;

#[derive(Debug, Serialize)]
pub struct IssueData<'a> {
    pub header: Header<'a>,
    pub grid: Grid,
    pub blocks: Vec<Block<'a>>,
    /// Character classes and run rules for body text (one definition, in
    /// Rust: `linebreak::CLREQ`).
    pub clreq: crate::clreq::Clreq,
    /// The house's punctuation rules (`[style]` in edition.toml).
    pub style: crate::content::style::Style,
    /// Draw the desk's guides (grid, baselines, block outlines and ids).
    pub guides: bool,
}

/// How an article's text fills its block(s): what the fit report says and
/// what a proof's block tint shows (`layouts/guides.typ` reads the
/// lowercase name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Fits,
    Underfull,
    Overset,
}

/// What a layout pass learned and the next draws on a proof.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// Lines each overset part ran over: the overset sign.
    pub overset: HashMap<String, u32>,
    /// Fit of each part: the block tint.
    pub fit: HashMap<String, Status>,
    pub guides: bool,
    /// Lines per column for a balanced body the layout would set uneven
    /// (`compile::lay_out`); the rest balance themselves.
    pub per: HashMap<String, u32>,
    /// Where an overset part's last column begins, in printed characters of
    /// the part's body (measured on the layout before): a proof stops that
    /// column a line early and draws the overset sign in the line.
    pub overset_split: HashMap<String, usize>,
}

/// A hairline between articles, page coordinates in pt (horizontal when
/// `y0 == y1`, else vertical).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleSeg {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// The page header's parts; `layouts/style.typ` words them (the date, the
/// weekday, the editors line).
#[derive(Debug, Serialize)]
pub struct Header<'a> {
    pub paper: &'a str,
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Day of the week, 0 = Monday.
    pub weekday: usize,
    pub number: u32,
    pub page_name: &'a str,
    pub editors: &'a [Credit],
    pub title: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Block<'a> {
    pub id: &'a str,
    /// Marker key of this part: the id, or `id~2` … for later parts of a chain.
    pub key: String,
    /// First part of the article's chain: carries the head.
    pub first: bool,
    /// Last part: balanced columns, end byline.
    pub last: bool,
    /// The body starts inside a paragraph begun in the previous part.
    pub continued: bool,
    /// The body's last paragraph goes on in the next part: justify its last line.
    pub runs_on: bool,
    /// Hairlines to other articles' blocks below and to the right, where
    /// they touch this one.
    pub rules: Vec<RuleSeg>,
    /// Lines this part ran over (0: it fits); draws the overset sign.
    pub overset_lines: u32,
    /// On an overset proof, the text of the part's last column (`body` then
    /// holds the columns before it), and whether it begins inside a paragraph.
    pub overset_tail: Option<Vec<BodyBlock>>,
    pub tail_continued: bool,
    /// Lines per column, where paiban sets a balanced body's columns
    /// (`Annotations::per`); otherwise the layout balances them.
    pub per: Option<u32>,
    /// Fit status for the proof's block tint, when asked for.
    pub fit: Option<Status>,
    pub kind: ArticleKind,
    pub rect: Rect,
    pub span: u32,
    pub cells: u32,
    pub body_columns: u32,
    pub head_lines: u32,
    pub kicker: Option<&'a str>,
    pub headline: Option<&'a str>,
    pub subhead: Option<&'a str>,
    pub person: &'a [String],
    pub byline: String,
    pub byline_position: BylinePosition,
    /// The head texts cut into words: where their lines may break (`words`).
    pub words: crate::plan::words::HeadWords,
    pub photos: Vec<PhotoData<'a>>,
    pub body: Vec<BodyBlock>,
    /// What to print for lost text, and the lead-in before the first
    /// paragraph (编者按): paiban counts these characters, so it owns them.
    pub gap_mark: &'static str,
    pub lead_in: Option<&'static str>,
    pub placeholder: bool,
}

#[derive(Debug, Serialize)]
pub struct PhotoData<'a> {
    pub id: &'a str,
    pub w: f64,
    pub h: f64,
    pub caption: &'a str,
    pub credit: &'a str,
    /// Caption and credit as printed, cut into words.
    pub caption_words: Vec<String>,
    /// Project path of the image (`/content/…`), when there is one.
    pub file: Option<String>,
}

/// Day of the week, Monday = 0 (Sakamoto's method).
pub fn weekday(y: i32, m: u8, d: u8) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let sunday0 = (y + y / 4 - y / 100 + y / 400 + T[m as usize - 1] + d as i32).rem_euclid(7);
    ((sunday0 + 6) % 7) as usize
}

impl<'a> IssueData<'a> {
    /// `splits` holds, per article, the printed-character offsets where its
    /// chain's parts end, as far as they are known (see `chain`).
    pub fn new(
        issue: &'a Issue,
        grid: &Grid,
        root: &Path,
        splits: &HashMap<String, Vec<usize>>,
        notes: &Annotations,
        house: &House,
    ) -> Self {
        let f = &issue.file;
        let (year, month, day) = issue.ymd();
        let header = Header {
            paper: &f.paper,
            year,
            month,
            day,
            weekday: weekday(year, month, day),
            number: f.page_number,
            page_name: &f.page_name,
            editors: &f.editors,
            title: &f.title,
        };
        let blocks = chain::parts(issue)
            .into_iter()
            .map(|part| {
                let p = part.place;
                let a = issue.article(&p.article).expect("validated at load");
                let known = splits.get(&p.article).map(Vec::as_slice).unwrap_or(&[]);
                let full = body_with_breaks(a);
                let (mut body, continued) = part_body(&full, known, part.index);
                let runs_on = part.index + 1 < part.count && part_body(&full, known, part.index + 1).1;
                let rules = rules(issue, grid, p, a.meta.kind);
                let seeds = crate::plan::words::seeds(a);
                let byline = house.byline_text(&a.meta.byline, a.meta.byline_position);
                let (mut overset_tail, mut tail_continued) = (None, false);
                if let Some(&at) = notes.overset_split.get(&part.key) {
                    let (before, tail, cont) = tail_at(&body, at);
                    body = before;
                    overset_tail = Some(tail);
                    tail_continued = cont;
                }
                let photos = a
                    .meta
                    .photos
                    .iter()
                    .map(|ph| PhotoData {
                        id: &ph.id,
                        w: ph.cells as f64 * grid.cell,
                        h: ph.lines as f64 * grid.pitch - grid.gap,
                        caption: &ph.caption,
                        credit: &ph.credit,
                        caption_words: crate::plan::words::segments(
                            &crate::plan::words::caption_text(&ph.caption, &ph.credit),
                            &seeds,
                        ),
                        file: ph.press_path.clone().or_else(|| {
                            let file = ph.file.as_ref()?;
                            let rel = file.strip_prefix(root).ok()?;
                            Some(format!("/{}", rel.to_string_lossy().replace('\\', "/")))
                        }),
                    })
                    .collect();
                Block {
                    id: &a.id,
                    key: part.key.clone(),
                    first: part.index == 0,
                    last: part.index + 1 == part.count,
                    continued,
                    runs_on,
                    rules,
                    overset_tail,
                    tail_continued,
                    overset_lines: notes.overset.get(&part.key).copied().unwrap_or(0),
                    per: notes.per.get(&part.key).copied(),
                    fit: notes.fit.get(&part.key).copied(),
                    kind: a.meta.kind,
                    rect: grid.rect(p),
                    span: p.span,
                    cells: grid.span_chars(p.span),
                    body_columns: p.body_columns.unwrap_or(p.span),
                    head_lines: p.head_lines.unwrap_or(1),
                    kicker: a.meta.kicker.as_deref(),
                    headline: a.meta.headline.as_deref(),
                    subhead: a.meta.subhead.as_deref(),
                    person: &a.meta.person,
                    words: crate::plan::words::HeadWords::new(a, &byline),
                    byline,
                    byline_position: a.meta.byline_position,
                    photos,
                    body,
                    gap_mark: chain::GAP_MARK,
                    lead_in: chain::lead_in(a.meta.kind),
                    placeholder: a.placeholder,
                }
            })
            .collect();
        Self { header, grid: grid.clone(), blocks, clreq: crate::clreq::CLREQ, style: issue.style, guides: notes.guides }
    }
}

/// The hairlines of block `p`: under it where another article's block
/// starts on the next grid line, at its right where another article's block
/// starts in the next column, each only as far as the two blocks touch
/// (touching stretches merged). A chain's own parts are never ruled apart,
/// so an L-shaped article reads as one. Banner and lead have their own rules.
pub fn rules(issue: &Issue, grid: &Grid, p: &crate::content::model::Placement, kind: ArticleKind) -> Vec<RuleSeg> {
    if matches!(kind, ArticleKind::Banner | ArticleKind::Lead) {
        return Vec::new();
    }
    let others: Vec<_> = issue.file.place.iter().filter(|q| q.article != p.article).collect();
    let r = grid.rect(p);
    let half_gutter = grid.cell * grid.gutter_chars as f64 / 2.0;
    let mut out = Vec::new();
    // Under the block: the columns it shares with each block below.
    let below = merge(
        others
            .iter()
            .filter(|q| q.line == p.line + p.lines)
            .map(|q| (q.column.max(p.column), (q.column + q.span).min(p.column + p.span)))
            .collect(),
    );
    for (c0, c1) in below {
        // A stretch that starts or ends inside the block reaches into the
        // gutter, to meet the upright rule there.
        let x0 = grid.column_x(c0) - if c0 > p.column { half_gutter } else { 0.0 };
        let x1 = grid.column_x(c1 - 1)
            + grid.column_chars as f64 * grid.cell
            + if c1 < p.column + p.span { half_gutter } else { 0.0 };
        let y = r.bottom() - grid.gap / 2.0;
        out.push(RuleSeg { x0, y0: y, x1, y1: y });
    }
    // At its right: the grid lines it shares with each block there.
    let right = merge(
        others
            .iter()
            .filter(|q| q.column == p.column + p.span)
            .map(|q| (q.line.max(p.line), (q.line + q.lines).min(p.line + p.lines)))
            .collect(),
    );
    for (l0, l1) in right {
        let x = r.right() + half_gutter;
        out.push(RuleSeg { x0: x, y0: grid.line_y(l0), x1: x, y1: grid.line_y(l1) - grid.gap });
    }
    out
}

/// Merges touching or overlapping half-open ranges; empty ones are dropped.
fn merge(mut v: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    v.retain(|(a, b)| a < b);
    v.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Splits a part's body where its last column begins (`at` printed
/// characters in): the columns before, the last column's text, and whether
/// that text begins inside a paragraph (then without the planned break
/// that ended the line before).
fn tail_at(body: &[BodyBlock], at: usize) -> (Vec<BodyBlock>, Vec<BodyBlock>, bool) {
    let (before, mut tail, continued) = chain::split(body, at);
    if continued
        && let Some(BodyBlock::Paragraph { runs, .. }) = tail.first_mut()
        && matches!(runs.first(), Some(Run::Break))
    {
        runs.remove(0);
    }
    (before, tail, continued)
}

/// The body with its spaces as the grid sets them and paiban's forced line
/// breaks, hanging marks and paired marks in place (breaks print nothing, hangs and pairs print their marks,
/// so all count offsets in the same text).
fn body_with_breaks(a: &crate::content::model::Article) -> Vec<BodyBlock> {
    let mut body = a.body.clone();
    // Spaces as the grid sets them (before the cuts: offsets skip spaces).
    for b in &mut body {
        if let BodyBlock::Paragraph { runs, .. } = b {
            *runs = chain::grid_spaces(runs);
        }
    }
    for (&i, offsets) in &a.breaks {
        if let Some(BodyBlock::Paragraph { runs, .. }) = body.get_mut(i) {
            *runs = chain::with_breaks(runs, offsets);
        }
    }
    for (&i, offsets) in &a.hangs {
        if let Some(BodyBlock::Paragraph { runs, .. }) = body.get_mut(i) {
            *runs = chain::with_hangs(runs, offsets);
        }
    }
    for (&i, offsets) in &a.squeezes {
        if let Some(BodyBlock::Paragraph { runs, .. }) = body.get_mut(i) {
            *runs = chain::with_squeezes(runs, offsets);
        }
    }
    body
}

/// The slice of a body that part `index` holds, given the split offsets
/// known so far: parts past the known splits get nothing yet.
fn part_body(body: &[BodyBlock], splits: &[usize], index: usize) -> (Vec<BodyBlock>, bool) {
    if index > splits.len() {
        return (Vec::new(), false);
    }
    let start = if index == 0 { 0 } else { splits[index - 1] };
    let (_, mut rest, continued) = chain::split(body, start);
    // A part ends on a planned line's end, so the forced break there is the
    // continued paragraph's first run. The part before already ends that
    // line (`runs_on`); the part's text starts after the break, not with it.
    if continued
        && let Some(BodyBlock::Paragraph { runs, .. }) = rest.first_mut()
        && matches!(runs.first(), Some(Run::Break))
    {
        runs.remove(0);
    }
    match splits.get(index) {
        Some(&end) => (chain::split(&rest, end - start).0, continued),
        None => (rest, continued),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        // Monday = 0, as layouts/style.typ's `weekdays` counts.
        assert_eq!(weekday(2018, 2, 16), 4); // 2018 Spring Festival, a Friday
        assert_eq!(weekday(2026, 11, 25), 2);
        assert_eq!(weekday(2000, 1, 1), 5);
    }
}
