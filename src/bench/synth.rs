//! A synthetic edition for benchmarks and tests: any number of issues, each
//! a varied plan of the real page grid (8 columns × the page's lines) filled
//! with placeholder copy (待稿, see `filler`) sized to fit its block.
//!
//! Deterministic for a page count and seed. Every cell of every page is
//! covered by exactly one block. Each body first gets most of the characters
//! its columns hold below an estimate of its head; `fit` then lays every
//! page out and sizes the copy from the measured fit, so no block is
//! overset and few are underfull.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::content::filler::{Copy, Rng};
use crate::content::model::{ArticleKind, PageSpec, PlaceholderSpec};
use crate::error::{Error, Result};
use crate::layout::parallel;
use crate::layout::report::{FitReport, Status};
use crate::layout::rounds::{self, LayoutOptions};
use crate::typeset::project::Project;
use crate::plan::grid::Grid;
use crate::plan::place;

/// Share of a body's estimated capacity the first guess takes. The rest
/// absorbs paragraph indents and last lines, and line-break rules.
const FILL: f64 = 0.88;
/// Share of the measured column-lines `fit` aims the copy at.
const TARGET: f64 = 0.97;
/// Shortest block: room for a head and a few body lines.
const MIN_BLOCK_LINES: u32 = 16;

/// Column groups across the page (spans summing to 8).
const PATTERNS: &[&[u32]] =
    &[&[8], &[4, 4], &[5, 3], &[3, 5], &[2, 3, 3], &[3, 3, 2], &[2, 4, 2], &[6, 2], &[2, 6], &[3, 2, 3]];

/// One planned block and its article.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub id: String,
    pub kind: ArticleKind,
    pub column: u32,
    pub span: u32,
    pub line: u32,
    pub lines: u32,
    /// Photo placeholder: (cells, lines).
    pub photo: Option<(u32, u32)>,
    /// Placeholder seed (TOML integers are signed: below 2^63).
    pub seed: u64,
    /// Characters of placeholder copy.
    pub chars: u32,
}

/// Grid lines a head is estimated to take (generous: one line of safety).
fn head_lines(grid: &Grid, kind: ArticleKind, span: u32, photo: Option<(u32, u32)>, headline: &str) -> u32 {
    let cell = grid.cell;
    let len = headline.chars().count() as f64;
    let to_lines = |h: f64| ((h + grid.gap) / grid.pitch).ceil() as u32;
    let width = grid.span_chars(span) as f64 * cell;
    match kind {
        ArticleKind::Interview => {
            let text_w = width - photo.map_or(0.0, |(c, _)| (c + 1) as f64 * cell);
            // Person line at 10.5 pt (one generic line), headline at 19 pt.
            let person = (15.0 * 10.5 / text_w).ceil() * 10.5 * 1.35;
            let head = (len * 19.0 / text_w.max(19.0)).ceil() * 19.0 * 1.35;
            let photo_h = photo.map_or(0.0, |(_, l)| l as f64 * grid.pitch);
            to_lines((person + 2.0 + head).max(photo_h))
        }
        _ => {
            // Headline at 26 pt, at least 4 lines; photos in a row below.
            let per_line = (width / 26.0).floor().max(1.0);
            let head = to_lines((len / per_line).ceil() * 26.0 * 1.3).max(5);
            head + photo.map_or(0, |(_, l)| l + 1)
        }
    }
}

/// Splits `total` lines into `n` parts of at least `min`, at random.
fn split(rng: &mut Rng, total: u32, n: u32, min: u32) -> Vec<u32> {
    let n = n.clamp(1, (total / min).max(1));
    if total < min * n {
        return vec![total];
    }
    let mut parts = vec![min; n as usize];
    for _ in 0..total - min * n {
        let i = rng.below(n as usize);
        parts[i] += 1;
    }
    parts
}

/// Plans one page: optional lead headline, then one to three bands of
/// column groups, some groups stacked in two blocks.
pub fn plan(grid: &Grid, rng: &mut Rng) -> Vec<Slot> {
    let mut blocks: Vec<(ArticleKind, u32, u32, u32, u32)> = Vec::new();
    let mut line = 1;
    if rng.below(2) == 0 {
        let lines = 6 + rng.below(3) as u32;
        blocks.push((ArticleKind::Lead, 1, grid.columns, line, lines));
        line += lines;
    }
    let left = grid.lines + 1 - line;
    let n_bands = 1 + rng.below(3) as u32;
    let bands = split(rng, left, n_bands, 2 * MIN_BLOCK_LINES);
    for band in bands {
        let pattern = PATTERNS[rng.below(PATTERNS.len())];
        let mut column = 1;
        for &span in pattern {
            let stack = if band >= 2 * MIN_BLOCK_LINES && rng.below(2) == 0 { 2 } else { 1 };
            let mut l = line;
            for lines in split(rng, band, stack, MIN_BLOCK_LINES) {
                let kind = match (span, rng.below(10)) {
                    (2, 0..6) => ArticleKind::News,
                    (2, _) => ArticleKind::Interview,
                    (_, 0..4) => ArticleKind::Interview,
                    (_, 4..7) => ArticleKind::Feature,
                    _ => ArticleKind::News,
                };
                blocks.push((kind, column, span, l, lines));
                l += lines;
            }
            column += span;
        }
        line += band;
    }
    blocks
        .into_iter()
        .enumerate()
        .map(|(i, (kind, column, span, line, lines))| {
            let seed = rng.next_u64() >> 1;
            let id = format!("s{:02}", i + 1);
            let photo = match kind {
                ArticleKind::Interview if span >= 3 && lines >= 24 && rng.below(5) != 0 => {
                    Some((9 + rng.below(4) as u32, 8 + rng.below(3) as u32))
                }
                ArticleKind::Feature | ArticleKind::News if span >= 3 && lines >= 34 && rng.below(2) == 0 => {
                    Some((grid.span_chars(span.div_ceil(2)), 10 + rng.below(5) as u32))
                }
                _ => None,
            };
            let mut slot = Slot { id, kind, column, span, line, lines, photo, seed, chars: 0 };
            if kind.has_body() {
                let headline = Copy::generate(&slot.id, &spec(&slot), None).headline;
                let head = head_lines(grid, kind, span, photo, &headline);
                let body = lines.saturating_sub(head) as f64;
                let capacity = body * (span * grid.column_chars) as f64;
                slot.chars = ((capacity * FILL) as u32).max(20);
            }
            slot
        })
        .collect()
}

fn spec(slot: &Slot) -> PlaceholderSpec {
    PlaceholderSpec { chars: slot.chars.max(20), seed: Some(slot.seed) }
}

/// A date `n` days after 2026-01-01 (for issue dates; no month is skipped).
fn date(n: u32) -> String {
    const DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut y, mut m, mut d) = (2026, 0usize, n);
    loop {
        let len = DAYS[m] + u32::from(m == 1 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
        if d < len {
            return format!("{y}-{:02}-{:02}", m + 1, d + 1);
        }
        d -= len;
        m += 1;
        if m == 12 {
            (y, m) = (y + 1, 0);
        }
    }
}

fn article_file(slot: &Slot) -> String {
    let mut s = format!("+++\nkind = \"{}\"\n", slot.kind.name());
    if slot.kind.has_body() {
        let _ = writeln!(s, "placeholder = {{ chars = {}, seed = {} }}", slot.chars, slot.seed);
    } else {
        // A lead has no body; its headline is generated copy all the same.
        let _ = writeln!(s, "headline = \"{}\"", Copy::generate(&slot.id, &spec(slot), None).headline);
    }
    if let Some((cells, lines)) = slot.photo {
        let _ = writeln!(
            s,
            "photos = [{{ id = \"{}-photo\", cells = {cells}, lines = {lines}, caption = \"\", credit = \"\" }}]",
            slot.id
        );
    }
    s + "+++\n"
}

fn issue_file(n: u32, slots: &[Slot]) -> String {
    let mut s = format!(
        "# Synthetic page {n}, generated by `paiban synth`: placeholder copy only.\n\
         id = \"synth-{n:03}\"\ntitle = \"合成版面（{n}）\"\ndate = {}\npaper = \"排版合成样报\"\n\
         page_number = {}\npage_name = \"综合\"\n\
         editors = [{{ role = \"责任编辑\", name = \"\" }}]\n",
        date(n - 1),
        (n - 1) % 8 + 1
    );
    for p in slots {
        let _ = write!(
            s,
            "\n[[place]]\narticle = \"{}\"\ncolumn = {}\nspan = {}\nline = {}\nlines = {}\n",
            p.id, p.column, p.span, p.line, p.lines
        );
    }
    s
}

/// Writes a synthetic edition of `pages` issues into `dir`, which must not
/// exist or be empty. Returns the number of articles written.
pub fn write(dir: &Path, pages: u32, seed: u64) -> Result<usize> {
    if !(1..=999).contains(&pages) {
        return Err(Error::input(format!("--pages {pages} is out of range")).hint("give 1 to 999 pages"));
    }
    let io = |e: std::io::Error, p: &Path| Error::io(e, p, "synthetic edition");
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(Error::input("the folder for the synthetic edition is not empty")
            .in_file(dir)
            .hint("give a new or empty folder; paiban synth never overwrites content"));
    }
    let grid = Grid::new(&PageSpec::default())?;
    let mut rng = Rng(seed);
    let mut folders = Vec::new();
    let mut articles = 0;
    for n in 1..=pages {
        let folder = format!("{n:03}");
        let slots = plan(&grid, &mut rng);
        let arts = dir.join(&folder).join("articles");
        fs::create_dir_all(&arts).map_err(|e| io(e, &arts))?;
        let issue = dir.join(&folder).join("issue.toml");
        fs::write(&issue, issue_file(n, &slots)).map_err(|e| io(e, &issue))?;
        for slot in &slots {
            let path = arts.join(format!("{}.md", slot.id));
            fs::write(&path, article_file(slot)).map_err(|e| io(e, &path))?;
        }
        articles += slots.len();
        folders.push(format!("\"{folder}\""));
    }
    let edition = dir.join("edition.toml");
    let text = format!(
        "# Generated by `paiban synth --pages {pages} --seed {seed}`.\ntitle = \"合成样报\"\nissues = [{}]\n",
        folders.join(", ")
    );
    fs::write(&edition, text).map_err(|e| io(e, &edition))?;
    Ok(articles)
}

/// Sizes the placeholder copy of every issue in `dir` (as `write` made it)
/// from the laid-out page: grows each fitting body towards `TARGET` of its
/// column-lines once, then takes back any change that ran over (to the size
/// that was measured to fit) until a whole layout shows no overset.
/// `done` hears one line per issue as it finishes.
pub fn fit(project: &Project, dir: &Path, done: &(dyn Fn(&str) + Sync)) -> Result<()> {
    let edition = place::edition(dir, &project.root)?;
    parallel::map(&edition.issues, |issue| {
        let r = fit_issue(project, &issue.dir);
        done(&format!("{}: {}", issue.file.id, if r.is_ok() { "copy sized to fit" } else { "failed" }));
        r
    })
    .into_iter()
    .collect()
}

fn fit_issue(project: &Project, dir: &Path) -> Result<()> {
    let result = fit_rounds(project, dir);
    // Each issue's layouts are of no use to the next: trim Typst's cache.
    comemo::evict(2);
    result
}

fn fit_rounds(project: &Project, dir: &Path) -> Result<()> {
    // Article id → the largest size measured to fit.
    let mut good: std::collections::HashMap<String, u32> = Default::default();
    for round in 0..8 {
        let issue = place::issue(dir, &project.root)?;
        let laid = rounds::lay_out(project, &issue, LayoutOptions::default())?;
        let mut report = FitReport::default();
        report.add(&laid);
        let mut changed = false;
        for a in &report.articles {
            let Some(art) = issue.article(&a.article) else { continue };
            let Some(chars) = art.meta.placeholder.as_ref().map(|p| p.chars) else { continue };
            let new = if a.status == Status::Overset {
                // Back to the size that fitted, or a fifth shorter.
                good.get(&a.article).copied().unwrap_or(chars * 4 / 5)
            } else {
                good.insert(a.article.clone(), chars);
                let target = a.available as f64 * TARGET;
                if round == 0 && (a.used as f64) < target && a.used > 0 {
                    (chars as f64 * target / a.used as f64) as u32
                } else {
                    chars
                }
            };
            let new = new.clamp(20, 20_000);
            if new != chars {
                let text = fs::read_to_string(&art.path).map_err(|e| Error::io(e, &art.path, "article"))?;
                let text = text.replacen(&format!("chars = {chars},"), &format!("chars = {new},"), 1);
                fs::write(&art.path, text).map_err(|e| Error::io(e, &art.path, "article"))?;
                changed = true;
            }
        }
        if !changed {
            return Ok(());
        }
    }
    Err(Error::internal(format!("placeholder copy in {} did not settle to fit its blocks", dir.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_cover_the_grid_once_and_vary() {
        let grid = Grid::new(&PageSpec::default()).unwrap();
        let mut rng = Rng(7);
        let mut shapes = std::collections::HashSet::new();
        for _ in 0..200 {
            let slots = plan(&grid, &mut rng);
            let mut cells = vec![0u8; (grid.columns * grid.lines) as usize];
            for s in &slots {
                assert!(s.column + s.span - 1 <= grid.columns && s.line + s.lines - 1 <= grid.lines, "{s:?}");
                assert!(s.kind == ArticleKind::Lead || s.lines >= MIN_BLOCK_LINES, "{s:?}");
                assert!(!s.kind.has_body() || (20..=20_000).contains(&s.chars), "{s:?}");
                for c in s.column..s.column + s.span {
                    for l in s.line..s.line + s.lines {
                        cells[((l - 1) * grid.columns + c - 1) as usize] += 1;
                    }
                }
            }
            assert!(cells.iter().all(|&n| n == 1), "every cell in exactly one block");
            shapes.insert(slots.iter().map(|s| (s.column, s.span, s.line, s.lines)).collect::<Vec<_>>());
        }
        assert!(shapes.len() > 150, "plans vary: {} distinct of 200", shapes.len());
    }

    #[test]
    fn dates_roll_over_months_and_years() {
        assert_eq!(date(0), "2026-01-01");
        assert_eq!(date(31), "2026-02-01");
        assert_eq!(date(365), "2027-01-01");
        assert_eq!(date(365 + 365 + 59), "2028-02-29");
    }
}
