//! Lays out one issue with Typst, in rounds, and measures the result:
//! overset per block, the page map, Typst's warnings.
//!
//! Typst cannot thread text between boxes, hang a mark into the gutter or
//! balance columns around a 背题, so paiban lays the page out, reads what
//! Typst did, changes the data and lays it out again ([`Round`]): chains
//! threaded, lines fixed, columns balanced, and on a proof the figures
//! drawn. `Laid::rounds` records the rounds that ran.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use typst::World;
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic, Warned};
use typst::foundations::Datetime;
use typst_kit::diagnostics::{DiagnosticFormat, termcolor};
use typst_layout::PagedDocument;

use crate::content::model::{ArticleKind, Issue};
use crate::error::{Error, Kind, Location, Result};
use crate::layout::hang;
use crate::plan::chain::{self, Part};
use crate::plan::grid::{Grid, Rect, mm};
use crate::typeset::cost::{self, Call};
use crate::typeset::data::{Annotations, IssueData};
use crate::typeset::inspect::{self, PageScan};
use crate::typeset::house::House;
use crate::typeset::project::Project;
use crate::typeset::world::PaibanWorld;

/// A block that did not hold its text.
#[derive(Debug, Clone, Serialize)]
pub struct Overset {
    pub article: String,
    /// The chain part that ran over.
    pub key: String,
    /// Grid lines of text below the block.
    pub lines: u32,
    /// Characters set below the block.
    pub chars: usize,
    /// The block's size in grid units.
    pub span: u32,
    pub block_lines: u32,
    /// Body columns, and characters a body line holds.
    pub columns: u32,
    pub measure: u32,
}

impl Overset {
    /// Grid lines the block would need to grow by to hold the text.
    pub fn lines_to_add(&self) -> u32 {
        self.lines.div_ceil(self.columns.max(1))
    }
}

/// How a block's body fills its columns, in grid lines.
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    pub article: String,
    /// The chain part (`id`, `id~2` …).
    pub key: String,
    pub columns: u32,
    /// Body lines per column (below the head).
    pub lines_per_column: u32,
    /// Column-lines the body takes (full columns × lines + the last column's).
    pub used: u32,
    /// Column-lines available.
    pub capacity: u32,
    /// Lines used in the last column the text reaches.
    pub last_column_lines: u32,
    /// Whether the body starts on the page grid.
    pub on_grid: bool,
    /// Grid lines left empty under the balanced columns (a hole in the page).
    pub short_lines: u32,
    /// Paragraph ends stranded alone at the top of a column (widows).
    pub widows: u32,
    /// Lines per column the layout gave a balanced body (the room, for a
    /// part that fills its columns).
    pub per: u32,
}

/// One laid-out issue, with the issue it laid out: every check and report
/// on a `Laid` reads its text and plan from here, so a page is never
/// measured against another version of the issue (a copyfitted plan, say).
pub struct Laid {
    /// The issue as given to `lay_out` (before paiban's line plan).
    pub issue: Issue,
    /// The layouts' house style it was laid out in.
    pub house: Arc<House>,
    pub doc: PagedDocument,
    pub grid: Grid,
    pub scans: Vec<PageScan>,
    pub overset: Vec<Overset>,
    pub fits: Vec<Fit>,
    pub warnings: Vec<String>,
    pub map: PageMap,
    /// The issue data Typst was given in the final round (`--emit-typst`).
    pub data: Vec<u8>,
    /// Lines the line plan had to set short of the measure, and why.
    pub forced: Vec<hang::ShortLine>,
    /// The photos as placed for the press, with their effective resolution.
    pub photos: Vec<crate::press::photos::Prepared>,
    /// The rounds after the first layout, in the order they ran.
    pub rounds: Vec<Round>,
    /// Every mark of ink on each page, walked once on first use and shared
    /// by the checks that read it (`Laid::ink`).
    ink: std::sync::OnceLock<Vec<Vec<crate::typeset::ink::Ink>>>,
}

impl Laid {
    /// Every mark of ink on page `index` (0-based), with its owner.
    pub fn ink(&self, index: usize) -> &[crate::typeset::ink::Ink] {
        let pages = self.ink.get_or_init(|| self.doc.pages().iter().map(crate::typeset::ink::ink).collect());
        pages.get(index).map_or(&[], Vec::as_slice)
    }
}

/// `<issue>.map.json`: where each block is, for proofs, diffs and fit reports.
#[derive(Debug, Clone, Serialize)]
pub struct PageMap {
    pub issue: String,
    pub title: String,
    pub page: PageMm,
    pub grid: GridMm,
    pub blocks: Vec<BlockMap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageMm {
    pub width_mm: f64,
    pub height_mm: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GridMm {
    pub columns: u32,
    pub column_chars: u32,
    pub gutter_chars: u32,
    pub cell_mm: f64,
    pub pitch_mm: f64,
    pub lines: u32,
    pub left_mm: f64,
    pub top_mm: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockMap {
    pub article: String,
    /// Which rectangle of the article's chain (1-based) and how many it has.
    pub part: usize,
    pub parts: usize,
    pub kind: ArticleKind,
    pub file: String,
    pub page: usize,
    pub rect_mm: Rect,
    pub column: u32,
    pub span: u32,
    pub line: u32,
    pub lines: u32,
    pub placeholder: bool,
}

/// Options that change what is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct LayoutOptions {
    /// Guides for the desk: column grid, baselines, block outlines and ids.
    pub guides: bool,
    /// Tint blocks by fit: green fits, amber underfull, red overset.
    pub fit_colours: bool,
    /// Draw the overset sign (a red ⊞ and the lines over) on blocks that did
    /// not fit, as `build --allow-overset` and proofs do.
    pub mark_overset: bool,
}

/// Rounds of hanging-mark fixes: each fixes one line per paragraph, and a
/// paragraph rarely needs more than a few.
const MAX_HANG_ROUNDS: usize = 12;

/// Rounds that lengthen balanced columns by a line (see `lay_out`).
const MAX_BALANCE_ROUNDS: usize = 3;

/// One round of the layout: what changes before Typst lays the page out
/// again. `lay_out` runs them in this order, each while it finds work:
/// threading chains, fixing lines (hangs, then 孤字), balancing columns,
/// and last, on a proof, drawing what the round before measured.
#[derive(Debug, Clone)]
pub enum Round {
    /// A chain part's end measured on the page: the article's text from
    /// printed character `at` on moves to its next part.
    Thread { article: String, at: usize },
    /// Marks hung at line ends (行末悬挂), a line per paragraph.
    Hang(Vec<hang::Hang>),
    /// 孤字 that first-fit breaking left, mended by a forced break each.
    Mend(Vec<hang::Hang>),
    /// Balanced columns given a line more each (a 背题 pushed text on):
    /// part key, lines per column.
    Balance(Vec<(String, u32)>),
    /// The fit and overset measured by the round before, drawn on the page
    /// (overset signs, fit tints); nothing else changes.
    Mark,
}

/// What a Typst layout of the issue gave.
struct Page {
    doc: PagedDocument,
    scans: Vec<PageScan>,
    warnings: Vec<SourceDiagnostic>,
    /// The data Typst was given.
    data: Vec<u8>,
}

/// The state the rounds change: the issue with paiban's line breaks in it,
/// the chain splits, the balanced columns and, on a proof, what to draw.
struct Rounds<'a> {
    project: &'a Project,
    issue: &'a Issue,
    opts: LayoutOptions,
    grid: Grid,
    parts: Vec<Part<'a>>,
    /// The issue with paiban's line breaks in it: planned from the text
    /// before anything is laid out (src/plan/linebreak.rs), then, for text
    /// the planner cannot count, hangs and 孤字 mends found on the page.
    hung: Issue,
    forced: Vec<hang::ShortLine>,
    photos: Vec<crate::press::photos::Prepared>,
    world: Option<PaibanWorld>,
    today: Datetime,
    /// Article → printed-character offsets where each of its parts ends.
    splits: HashMap<String, Vec<usize>>,
    /// Lines per column for balanced bodies whose columns came out uneven.
    balance: HashMap<String, u32>,
    hang_rounds: usize,
    balance_rounds: usize,
    /// On a proof, what the mark round draws, and the fit and overset
    /// measured before it (the marks set an overset part's last column a
    /// line short, so the figures are the round's before).
    marks: Option<(Annotations, Vec<Fit>, Vec<Overset>)>,
    done: Vec<Round>,
}

/// Lays out `issue`: a first layout of the planned text, then rounds (see
/// [`Round`]) until nothing is left to change, then the page measured.
pub fn lay_out(project: &Project, issue: &Issue, opts: LayoutOptions) -> Result<Laid> {
    let mut r = Rounds::new(project, issue, opts)?;
    loop {
        let page = r.compile()?;
        if r.marks.is_some() {
            // The round that drew the marks: the figures are from before it.
            let (_, fits, overset) = r.marks.take().expect("checked");
            return Ok(r.laid(page, fits, overset));
        }
        let round = match r.thread(&page).or_else(|| r.fix_lines(&page)) {
            Some(round) => round,
            None => {
                let fits = measure_fits(&r.parts, &r.grid, &page.scans[0]);
                match r.balance(&fits) {
                    Some(round) => round,
                    None => {
                        let overset = measure_overset(&r.parts, &r.grid, &page.doc, &page.scans[0], &fits);
                        match r.mark(&page, fits, overset) {
                            Ok(round) => round,
                            Err((fits, overset)) => {
                                let laid = r.laid(page, fits, overset);
                                // A head that cannot be set in its block is an error naming it.
                                crate::layout::heads::head_fit(&laid)?;
                                return Ok(laid);
                            }
                        }
                    }
                }
            }
        };
        r.apply(round);
    }
}

impl<'a> Rounds<'a> {
    /// The plan before the first layout: the grid, the photos as the press
    /// gets them, and paiban's line breaks.
    fn new(project: &'a Project, issue: &'a Issue, opts: LayoutOptions) -> Result<Self> {
        let grid = Grid::new(&issue.file.page)?;
        let (y, m, d) = issue.ymd();
        let today = Datetime::from_ymd(y, m, d).ok_or_else(|| Error::input("invalid issue date"))?;
        let mut hung = issue.clone();
        // Photos as the press gets them (grey or CMYK, cropped to their frame),
        // served from memory at their own paths.
        let photos = crate::press::photos::prepare(issue, &grid)?;
        for p in &photos {
            if let Some(ph) = hung
                .articles
                .iter_mut()
                .find(|a| a.id == p.article)
                .and_then(|a| a.meta.photos.iter_mut().find(|ph| ph.id == p.photo))
            {
                ph.press_path = Some(p.vpath.clone());
            }
        }
        let forced = hang::plan_issue(&mut hung, &grid, &project.widths);
        Ok(Self {
            project,
            issue,
            opts,
            parts: chain::parts(issue),
            grid,
            hung,
            forced,
            photos,
            world: None,
            today,
            splits: HashMap::new(),
            balance: HashMap::new(),
            hang_rounds: 0,
            balance_rounds: 0,
            marks: None,
            done: Vec::new(),
        })
    }

    /// One Typst layout of the issue as the rounds have left it.
    fn compile(&mut self) -> Result<Page> {
        let (project, issue) = (self.project, self.issue);
        let plain = Annotations { guides: self.opts.guides, per: self.balance.clone(), ..Default::default() };
        let notes = self.marks.as_ref().map_or(&plain, |m| &m.0);
        let data = IssueData::new(&self.hung, &self.grid, &project.root, &self.splits, notes, &project.house);
        let json = serde_json::to_vec_pretty(&data).map_err(|e| Error::internal(e.to_string()))?;
        let data = json.clone();
        let w = match self.world.as_mut() {
            Some(w) => {
                w.set_data(json);
                w
            }
            None => {
                let mut w = PaibanWorld::new(project.root.clone(), project.fonts.clone(), json, self.today);
                for p in &self.photos {
                    w.add_file(&p.vpath, typst::foundations::Bytes::new(p.bytes.as_ref().clone()));
                }
                self.world.insert(w)
            }
        };
        let Warned { output, warnings } = cost::timed(Call::Layout, || typst::compile::<PagedDocument>(&*w));
        let doc = output.map_err(|errors| {
            let denied = errors.iter().any(|e| e.message.contains("access denied"));
            Error::input(format!("the layout of issue `{}` failed to compile", issue.file.id))
                .detail(diagnostics(w, &errors))
                .hint(if denied {
                    "layouts may read only inside the project root: no `..` out of it, no absolute paths elsewhere, no symlinks pointing out"
                } else {
                    "the message names the layout file and line; fix the layout or the content it points at"
                })
        })?;
        if doc.pages().len() != 1 {
            return Err(Error::input(format!(
                "issue `{}` laid out as {} pages; a newspaper page must be one",
                issue.file.id,
                doc.pages().len()
            ))
            .in_file(issue.dir.join("issue.toml"))
            .hint("something in layouts/ (a page break, a page-sized element) or a block's content pushed past the page; undo the last layout change, or check [page] and the plan"));
        }
        if let Some(err) = unknown_font(project, w, &warnings) {
            return Err(err);
        }
        let scans = inspect::scan_document(&doc);
        Ok(Page { doc, scans, warnings: warnings.to_vec(), data })
    }

    /// A chain round: the next part whose end is not known yet, measured.
    fn thread(&self, page: &Page) -> Option<Round> {
        let part = self.parts.iter().find(|p| {
            p.index + 1 < p.count && self.splits.get(&p.place.article).map_or(0, Vec::len) == p.index
        })?;
        let held = chars_held(&self.grid, &page.scans[0], part);
        let lead_in = match self.issue.article(&part.place.article).and_then(|a| chain::lead_in(a.meta.kind)) {
            Some(label) if part.index == 0 => chain::printed_len(label),
            _ => 0,
        };
        let before = self.splits.get(&part.place.article).and_then(|v| v.last()).copied().unwrap_or(0);
        Some(Round::Thread { article: part.place.article.clone(), at: before + held.saturating_sub(lead_in) })
    }

    /// A line round: hanging marks, a round per line fixed in each
    /// paragraph; then, once, the 孤字 first-fit breaking left.
    fn fix_lines(&self, page: &Page) -> Option<Round> {
        if self.marks.is_some() || self.hang_rounds >= MAX_HANG_ROUNDS {
            return None;
        }
        // (Only a house that hangs everywhere hangs marks here: the rounds
        // do not know which columns have a rule beside them.)
        let found = if self.hung.style.hanging == crate::content::style::Hanging::Always {
            hang::find(&self.hung, &self.grid, &page.scans[0])
        } else {
            Vec::new()
        };
        if !found.is_empty() {
            return Some(Round::Hang(found));
        }
        let runts = hang::find_runts(&self.hung, &self.grid, &page.scans[0]);
        (!runts.is_empty()).then_some(Round::Mend(runts))
    }

    /// A balance round. Balanced columns get the lines the body takes in
    /// one column, shared out. A 小标题 that may not end a column (背题)
    /// goes to the next one's top and pushes the text on a line, so the last
    /// column can come out longer than the rest: give each column a line
    /// more, while the block has room (past it, the text is overset).
    fn balance(&self, fits: &[Fit]) -> Option<Round> {
        if self.marks.is_some() || self.balance_rounds >= MAX_BALANCE_ROUNDS {
            return None;
        }
        let longer: Vec<(String, u32)> = fits
            .iter()
            .filter(|f| {
                let last = self.parts.iter().any(|p| p.key == f.key && p.index + 1 == p.count);
                last && f.last_column_lines > f.per && f.per < f.lines_per_column
            })
            .map(|f| (f.key.clone(), f.per + 1))
            .collect();
        (!longer.is_empty()).then_some(Round::Balance(longer))
    }

    /// The mark round, when the options ask for marks and there is
    /// something to draw: one more layout to draw what this one measured
    /// (overset signs, fit tints); it changes nothing else. Otherwise the
    /// figures back, final.
    fn mark(
        &mut self,
        page: &Page,
        fits: Vec<Fit>,
        overset: Vec<Overset>,
    ) -> std::result::Result<Round, (Vec<Fit>, Vec<Overset>)> {
        let opts = self.opts;
        if !((opts.mark_overset && !overset.is_empty()) || opts.fit_colours) {
            return Err((fits, overset));
        }
        let mut n = Annotations { guides: opts.guides, per: self.balance.clone(), ..Default::default() };
        if opts.mark_overset {
            n.overset = overset.iter().map(|o| (o.key.clone(), o.lines)).collect();
            for o in &overset {
                if let Some(part) = self.parts.iter().find(|p| p.key == o.key) {
                    n.overset_split.insert(
                        o.key.clone(),
                        last_column_start(self.issue, &self.grid, &page.doc, &page.scans[0], part),
                    );
                }
            }
        }
        if opts.fit_colours {
            n.fit = fits
                .iter()
                .map(|f| {
                    let over = overset.iter().any(|o| o.key == f.key);
                    (f.key.clone(), crate::layout::report::status(over, f.short_lines))
                })
                .collect();
        }
        self.marks = Some((n, fits, overset));
        Ok(Round::Mark)
    }

    /// Changes what the next layout is given.
    fn apply(&mut self, round: Round) {
        match &round {
            Round::Thread { article, at } => self.splits.entry(article.clone()).or_default().push(*at),
            Round::Hang(found) => {
                self.hang_rounds += 1;
                for h in found {
                    if let Some(a) = self.hung.articles.iter_mut().find(|a| a.id == h.article) {
                        let v = a.hangs.entry(h.paragraph).or_default();
                        v.push((h.offset, 1));
                        v.sort_unstable();
                    }
                }
            }
            Round::Mend(runts) => {
                self.hang_rounds = MAX_HANG_ROUNDS;
                for r in runts {
                    if let Some(a) = self.hung.articles.iter_mut().find(|a| a.id == r.article) {
                        a.breaks.insert(r.paragraph, vec![r.offset]);
                    }
                }
            }
            Round::Balance(longer) => {
                self.balance_rounds += 1;
                self.balance.extend(longer.iter().cloned());
            }
            // `mark` set what the next layout draws.
            Round::Mark => {}
        }
        self.done.push(round);
    }

    /// The laid-out issue, with `fits` and `overset` as measured.
    fn laid(self, page: Page, fits: Vec<Fit>, overset: Vec<Overset>) -> Laid {
        let world = self.world.as_ref().expect("compiled at least once");
        let warnings =
            if page.warnings.is_empty() { Vec::new() } else { vec![diagnostics(world, &page.warnings)] };
        Laid {
            issue: self.issue.clone(),
            house: self.project.house.clone(),
            map: page_map(self.issue, &self.grid, &self.parts, &self.project.root),
            doc: page.doc,
            grid: self.grid,
            scans: page.scans,
            overset,
            fits,
            warnings,
            data: page.data,
            forced: self.forced,
            photos: self.photos,
            rounds: self.done,
            ink: std::sync::OnceLock::new(),
        }
    }
}

/// Printed characters a chain part's body holds within its rectangle.
fn chars_held(grid: &Grid, scan: &PageScan, part: &Part) -> usize {
    let rect = grid.rect(part.place);
    let Some(start) = scan.start(&part.key) else { return 0 };
    scan.runs
        .iter()
        .filter(|r| r.x >= rect.x - 0.5 && r.x < rect.right() + 0.5 && r.y > start.y && r.y <= rect.bottom())
        .map(|r| chain::printed_len(&r.text))
        .sum()
}

/// Printed characters of a part's body that columns before its last hold
/// when each holds the block's room: where an overset proof splits the
/// text, to stop the last column a line early for the overset sign. Read
/// from the part's own glyphs (its columns run on over the block below).
fn last_column_start(issue: &Issue, grid: &Grid, doc: &PagedDocument, scan: &PageScan, part: &Part) -> usize {
    let p = part.place;
    let n = p.body_columns.unwrap_or(p.span).max(1);
    let Some((held, _)) = held_in_columns(grid, doc, scan, part, n as usize - 1) else { return 0 };
    let lead_in = match issue.article(&p.article).and_then(|a| chain::lead_in(a.meta.kind)) {
        Some(label) if part.index == 0 && n > 1 => chain::printed_len(label),
        _ => 0,
    };
    held.saturating_sub(lead_in)
}

/// The part's own printed characters in its first `columns` columns if each
/// held the block's room (the columns a balanced overset body sets taller
/// run on below the block), and in all of its body.
fn held_in_columns(
    grid: &Grid,
    doc: &PagedDocument,
    scan: &PageScan,
    part: &Part,
    columns: usize,
) -> Option<(usize, usize)> {
    let p = part.place;
    let rect = grid.rect(p);
    let n = p.body_columns.unwrap_or(p.span).max(1);
    let start = scan.start(&part.key)?;
    let (per, page) = (scan.per(&part.key)? as usize, doc.pages().first()?);
    let room = lines_below(grid, &rect, start.y) as usize;
    let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
    let count = |limit| {
        crate::typeset::ink::chars_in_rows(page, &part.key, (rect.x, start.y), (step, grid.pitch), per, limit)
    };
    Some((count(columns * room), count(usize::MAX)))
}

/// Grid lines a column of the block holds below `top` (where its body
/// starts): what the layouts call the body's room.
fn lines_below(grid: &Grid, rect: &Rect, top: f64) -> u32 {
    ((rect.bottom() - top) / grid.pitch + 1e-6).floor() as u32
}

/// Typst only warns about a font family it does not know and falls back to
/// another face; on a newspaper page that is a wrong page, so it is an error
/// naming the layout file and line, with the families there are.
fn unknown_font(project: &Project, w: &PaibanWorld, warnings: &[SourceDiagnostic]) -> Option<Error> {
    let unknown: Vec<_> = warnings
        .iter()
        .filter(|d| d.message.starts_with("unknown font family"))
        .map(|d| SourceDiagnostic { severity: Severity::Error, ..d.clone() })
        .collect();
    let first = unknown.first()?;
    let family = first.message.trim_start_matches("unknown font family:").trim();
    let mut err = Error::input(format!("unknown font family `{family}` in a layout"))
        .detail(diagnostics(w, &unknown))
        .hint(format!(
            "the families paiban can use are: {} (`paiban fonts` lists their files); put the font's file in fonts/ or pass --font-path",
            project.fonts.families().join(", ")
        ));
    if let (Some(id), Some(range)) = (first.span.id(), w.range(first.span))
        && let Ok(source) = w.source(id)
    {
        err = err.at(Location::at_offset(w.disk_path(id), source.text(), range.start));
    }
    Some(err)
}

/// Formats Typst diagnostics with file, line and source excerpt.
fn diagnostics(world: &PaibanWorld, diags: &[SourceDiagnostic]) -> String {
    let mut buf = termcolor::Buffer::no_color();
    if typst_kit::diagnostics::emit(&mut buf, world, diags, DiagnosticFormat::Human).is_err() {
        return diags.iter().map(|d| d.message.to_string()).collect::<Vec<_>>().join("\n");
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

/// Overset: a body that needs more column-lines than its block has, or
/// whose end marker landed below the block. The lines are column-lines
/// over the block; the characters are this part's own text that its
/// columns, filled to the block's foot, would not hold (read from its own
/// glyphs: the layouts clip the rest, which is in the frames, not on the
/// page).
fn measure_overset(
    parts: &[Part],
    grid: &Grid,
    doc: &PagedDocument,
    scan: &PageScan,
    fits: &[Fit],
) -> Vec<Overset> {
    let mut out = Vec::new();
    // Earlier parts of a chain pass their text on, but a re-layout could
    // still push a line past them: every part is checked.
    for part in parts {
        let p = part.place;
        let rect = grid.rect(p);
        let fit = fits.iter().find(|f| f.key == part.key);
        let end_below = scan.end(&part.key).is_some_and(|m| m.y > rect.bottom() + 0.5);
        let short = fit.map_or(0, |f| f.used.saturating_sub(f.capacity));
        if short == 0 && !end_below {
            continue;
        }
        // The part's own text beyond what its columns hold when full.
        let columns = p.body_columns.unwrap_or(p.span).max(1);
        let chars =
            held_in_columns(grid, doc, scan, part, columns as usize).map_or(0, |(held, all)| all - held);
        out.push(Overset {
            article: p.article.clone(),
            key: part.key.clone(),
            lines: short.max(1),
            chars,
            span: p.span,
            block_lines: p.lines,
            columns,
            measure: grid.body_measure(p, false).unwrap_or(grid.column_chars as usize) as u32,
        });
    }
    out
}

/// Measures each body: where it starts, which column it ends in, how far down.
fn measure_fits(parts: &[Part], grid: &Grid, scan: &PageScan) -> Vec<Fit> {
    let mut out = Vec::new();
    for part in parts {
        let p = part.place;
        let (Some(start), Some(end)) = (scan.start(&part.key), scan.end(&part.key))
        else {
            continue;
        };
        let rect = grid.rect(p);
        let columns = p.body_columns.unwrap_or(p.span);
        let col_step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
        let lines_per_column = lines_below(grid, &rect, start.y);
        let col = (((end.x - rect.x) / col_step) + 0.01).floor().clamp(0.0, columns as f64 - 1.0) as u32;
        let last = ((end.y - start.y + grid.gap) / grid.pitch).round().max(0.0) as u32;
        // Lines per balanced column, as the layout chose them.
        let per = scan.per(&part.key).unwrap_or(lines_per_column);
        let phase = (start.y - grid.top) / grid.pitch;
        let widows = count_widows(grid, scan, &rect, start.y, columns, col_step);
        out.push(Fit {
            short_lines: if part.index + 1 == part.count { lines_per_column.saturating_sub(per) } else { 0 },
            widows,
            article: p.article.clone(),
            key: part.key.clone(),
            columns,
            lines_per_column,
            used: col * per + last,
            // A column taller than the block is overset, whatever the end marker says.
            capacity: columns * lines_per_column,
            last_column_lines: last,
            on_grid: (phase - phase.round()).abs() < 0.01,
            per,
        });
    }
    out
}

/// Counts columns (after the first) whose first line ends a paragraph that
/// began in the column before: a widow, which a desk pulls back or pushes on.
fn count_widows(grid: &Grid, scan: &PageScan, rect: &Rect, start: f64, columns: u32, col_step: f64) -> u32 {
    let lines = scan.body_lines(rect, start, rect.bottom(), col_step, None, grid.overhang());
    let starts_paragraph = |l: &crate::typeset::inspect::BodyLine| grid.indented(l.start() - l.x0);
    (1..columns)
        .filter(|&c| {
            let mut col_lines = lines.range((c, i64::MIN)..(c + 1, i64::MIN)).map(|(_, l)| l);
            let Some(first) = col_lines.next() else { return false };
            !starts_paragraph(first) && col_lines.next().is_none_or(starts_paragraph)
        })
        .count() as u32
}

fn page_map(issue: &Issue, grid: &Grid, parts: &[Part], root: &Path) -> PageMap {
    PageMap {
        issue: issue.file.id.clone(),
        title: issue.file.title.clone(),
        page: PageMm { width_mm: mm(grid.width), height_mm: mm(grid.height) },
        grid: GridMm {
            columns: grid.columns,
            column_chars: grid.column_chars,
            gutter_chars: grid.gutter_chars,
            cell_mm: mm(grid.cell),
            pitch_mm: mm(grid.pitch),
            lines: grid.lines,
            left_mm: mm(grid.left),
            top_mm: mm(grid.top),
        },
        blocks: parts
            .iter()
            .map(|part| {
                let p = part.place;
                let a = issue.article(&p.article).expect("validated at load");
                BlockMap {
                    article: p.article.clone(),
                    part: part.index + 1,
                    parts: part.count,
                    kind: a.meta.kind,
                    // Relative to the project root, whatever the working
                    // folder: the map is the same wherever paiban runs.
                    file: a
                        .path
                        .canonicalize()
                        .ok()
                        .and_then(|p| p.strip_prefix(root).ok().map(|r| r.to_string_lossy().replace('\\', "/")))
                        .unwrap_or_else(|| a.path.to_string_lossy().into_owned()),
                    page: 1,
                    rect_mm: grid.rect(p).to_mm(),
                    column: p.column,
                    span: p.span,
                    line: p.line,
                    lines: p.lines,
                    placeholder: a.placeholder,
                }
            })
            .collect(),
    }
}

/// The overset error: names every article that did not fit, with its own
/// text that did not, and what to do.
pub fn overset_error(issue: &Issue, overset: &[Overset]) -> Error {
    let list = overset
        .iter()
        .map(|o| {
            let add = o.lines_to_add();
            format!(
                "  {}: {} line(s) of its text did not fit its block of {} column(s) × {} lines, {} character(s) \
                 not set: cut {} character(s), or give it {} more line(s) (lines = {})",
                o.key,
                o.lines,
                o.span,
                o.block_lines,
                o.chars,
                o.chars,
                add,
                o.block_lines + add
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    Error::input(format!("issue `{}`: {} article(s) overset", issue.file.id, overset.len()))
        .with_kind(Kind::Overset)
        .in_file(issue.dir.join("issue.toml"))
        .detail(list)
        .hint(
            "cut the text or give the block more lines in issue.toml; `paiban check --fit` proposes the smallest \
             change that fits, `paiban build --copyfit` applies it; a proof with --allow-overset marks where the text runs on",
        )
}
