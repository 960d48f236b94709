//! Loads an edition and places it on the page grid: what the loader
//! (`content::load`) reads, checked where it needs the grid. The page
//! settings must give a grid, every block must sit on it and share no cell
//! with another, no article may hold more text than the whole page, a photo
//! must fit its block, and placeholder copy is written to the measure of its
//! block with the line planner. Errors name the file, line and column as the
//! loader's do.
//!
//! This is the edition's entry point (`place::edition`): content is read
//! first and planned on the grid here, so `content` never reaches into
//! `plan`.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::filler;
use crate::content::load::{
    MAX_HEAD, PressBase, article, check_id, key_location, nth_value_location, parse_toml, press, read_text,
};
use crate::content::model::*;
use crate::error::{Error, Location, Result};
use crate::plan::grid::{Grid, INDENT_CHARS};
use crate::content::style::Style;
use crate::plan::linebreak::{self, Printed};

/// Loads the edition in `dir`. Paths that content files name (photos) must
/// lie inside `root`.
pub fn edition(dir: &Path, root: &Path) -> Result<Edition> {
    edition_planned(dir, root, None)
}

/// Loads the edition with one issue laid out to another page plan: `plan`
/// is (issue id, placements) used instead of that issue's `[[place]]`
/// tables, checked as they would be; with a plan, only that issue is
/// loaded (`paiban plan` verifies its candidates this way, without writing
/// them).
pub fn edition_planned(dir: &Path, root: &Path, plan: Option<(&str, &[Placement])>) -> Result<Edition> {
    let (file, path, text) = edition_file(dir)?;
    let mut issues = Vec::new();
    let mut ids = HashSet::new();
    let base = PressBase { table: &file.press, file: &path, text: &text, style: file.style };
    // Issues load in parallel (placeholder copy is written to its measure,
    // which takes the line planner a while); the first error in the
    // edition's order is the one reported, as when loading one by one.
    let loaded: Vec<Result<Option<Issue>>> = file
        .issues
        .par_iter()
        .map(|name| {
            // With a plan, that issue alone (the others may have none yet).
            if let Some((id, _)) = plan
                && issue_file(&dir.join(name))?.0.id != id
            {
                return Ok(None);
            }
            issue_in(&dir.join(name), root, Some(&base), plan).map(Some)
        })
        .collect();
    for issue in loaded {
        let Some(issue) = issue? else { continue };
        if !ids.insert(issue.file.id.clone()) {
            return Err(Error::input(format!("two issues share the id `{}`", issue.file.id))
                .in_file(issue.dir.join("issue.toml"))
                .hint("each issue needs its own id: output files are named after it"));
        }
        issues.push(issue);
    }
    Ok(Edition { dir: dir.to_path_buf(), title: file.title, issues })
}

/// `edition.toml`, parsed and checked: the file, its path and its text.
pub fn edition_file(dir: &Path) -> Result<(EditionFile, std::path::PathBuf, String)> {
    if !dir.is_dir() {
        return Err(Error::input("edition folder does not exist")
            .in_file(dir)
            .hint("give the folder that holds edition.toml, e.g. content/xinchun-2018"));
    }
    let path = dir.join("edition.toml");
    let text = read_text(&path, "edition.toml")?;
    let file: EditionFile = parse_toml(&text, &text, &path, 0)?;
    if file.title.chars().count() > MAX_HEAD {
        return Err(Error::input(format!(
            "the title is {} characters long; at most {MAX_HEAD}",
            file.title.chars().count()
        ))
        .at(key_location(&path, &text, 0, "title"))
        .hint("shorten it (a value pasted by mistake?)"));
    }
    if file.issues.is_empty() {
        return Err(Error::input("edition.toml lists no issues")
            .at(key_location(&path, &text, 0, "issues"))
            .hint("list the issue folders in order: issues = [\"1\", \"2\"]"));
    }
    Ok((file, path, text))
}

/// Loads one issue folder: `issue.toml` and `articles/*.md`, with the
/// default press settings and its own `[press]`.
pub fn issue(dir: &Path, root: &Path) -> Result<Issue> {
    issue_in(dir, root, None, None)
}

/// An issue's `issue.toml` as written, parsed and checked (id, date, page
/// grid) but without its articles or plan: what `paiban plan` starts from.
/// Returns the file, its text and the page grid.
pub fn issue_file(dir: &Path) -> Result<(IssueFile, String, Grid)> {
    let path = dir.join("issue.toml");
    if !dir.is_dir() {
        return Err(Error::input("issue folder does not exist")
            .in_file(dir)
            .hint("edition.toml's `issues` names folders beside it"));
    }
    let text = read_text(&path, "issue.toml")?;
    let file: IssueFile = parse_toml(&text, &text, &path, 0)?;
    check_id(&file.id, &path, &text, "id")?;
    if file.date.date.is_none() || file.date.time.is_some() {
        return Err(Error::input("`date` must be a plain date")
            .at(key_location(&path, &text, 0, "date"))
            .hint("write it as date = 2018-02-13 (no quotes, no time)"));
    }
    let grid = Grid::new(&file.page).map_err(|e| e.at(key_location(&path, &text, 0, "[page]")))?;
    Ok((file, text, grid))
}

fn issue_in(
    dir: &Path,
    root: &Path,
    base: Option<&PressBase>,
    plan: Option<(&str, &[Placement])>,
) -> Result<Issue> {
    let path = dir.join("issue.toml");
    let (mut file, text, grid) = issue_file(dir)?;
    let style = base.map(|b| b.style).unwrap_or_default();
    if let Some((id, place)) = plan
        && file.id == id
    {
        file.place = place.to_vec();
    }
    // The header's texts, bounded as heads are.
    let editors: Vec<String> = file.editors.iter().map(|c| format!("{}{}", c.role, c.name)).collect();
    for (key, v) in [("title", &file.title), ("paper", &file.paper), ("page_name", &file.page_name)]
        .into_iter()
        .chain(editors.iter().map(|e| ("editors", e)))
    {
        let n = v.chars().count();
        if n > MAX_HEAD {
            return Err(Error::input(format!(
                "`{key}` is {n} characters long; a page header sets at most {MAX_HEAD}"
            ))
            .at(key_location(&path, &text, 0, key))
            .hint("shorten it (a value pasted by mistake?)"));
        }
    }

    // Articles on disk.
    let art_dir = dir.join("articles");
    let mut on_disk: HashMap<String, PathBuf> = HashMap::new();
    let entries = fs::read_dir(&art_dir).map_err(|e| Error::io(e, &art_dir, "articles folder"))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(e, &art_dir, "articles folder"))?;
        let p = entry.path();
        if p.extension().and_then(|e| e.to_str()) == Some("md") {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            on_disk.insert(stem, p);
        }
    }

    // The plan: every placed article must exist, sit on the grid, and no two
    // blocks may share a grid cell.
    let mut placed: Vec<(&Placement, Location)> = Vec::new();
    let mut articles = Vec::new();
    let mut search_from = 0;
    for p in &file.place {
        let loc = nth_value_location(&path, &text, "article", &p.article, &mut search_from);
        let Some(art_path) = on_disk.get(&p.article) else {
            return Err(Error::input(format!(
                "the page plan places article `{}`, but nobody wrote it",
                p.article
            ))
            .at(loc)
            .hint(format!("create {}/{}.md or fix the id", art_dir.display(), p.article)));
        };
        if let Some(why) = grid.check(p) {
            return Err(Error::input(format!("block of `{}` is outside the page grid: {why}", p.article))
                .at(loc)
                .hint(format!("this page has {} columns and {} grid lines", grid.columns, grid.lines)));
        }
        if let Some((other, _)) = placed.iter().find(|(q, _)| overlaps(q, p)) {
            return Err(Error::input(format!(
                "blocks of `{}` and `{}` share grid cells",
                p.article, other.article
            ))
            .at(loc)
            .hint("move or shrink one of them: blocks may touch but not overlap"));
        }
        placed.push((p, loc.clone()));
        // A second [[place]] for the same article continues its chain (an
        // L-shaped block); only articles with running text can flow on.
        if let Some(a) = articles.iter().find(|a: &&Article| a.id == p.article) {
            if !a.meta.kind.has_body() {
                return Err(Error::input(format!(
                    "`{}` is a {} and has no text to continue into a second block",
                    p.article,
                    a.meta.kind.name()
                ))
                .at(loc)
                .hint("place it once; only articles with running text can be chained (L-shaped blocks)"));
            }
            continue;
        }
        let fits = grid.body_measure(p, false).map(|cap| sets_cleanly(cap, style));
        let a = article(art_path, root, fits.as_ref().map(|f| f as filler::Fits))?;
        // Copy longer than every cell of the page can never fit; said at
        // once, instead of after minutes of laying out (Typst's paragraph
        // layout grows faster than the paragraph).
        let page_cells = grid.span_chars(grid.columns) as usize * grid.lines as usize;
        let chars: usize = a
            .body
            .iter()
            .map(|b| match b {
                BodyBlock::Paragraph { runs, .. } => runs
                    .iter()
                    .map(|r| if let Run::Text { text } = r { text.chars().count() } else { 1 })
                    .sum(),
                BodyBlock::Subhead { text, .. } => text.chars().count(),
            })
            .sum();
        if chars > page_cells {
            return Err(Error::input(format!(
                "`{}` has {chars} characters of text; the whole page holds at most {page_cells} (every cell of every grid line), so it can never fit",
                a.id
            ))
            .in_file(art_path)
            .hint("cut the copy, or run it over more than one page; `paiban check --fit` says how much its block holds"));
        }
        // Photos sit in the article's first block: never wider than it, and
        // never so tall that nothing else fits.
        for ph in &a.meta.photos {
            let cells = grid.span_chars(p.span);
            if ph.cells > cells || ph.lines >= p.lines {
                return Err(Error::input(format!(
                    "photo `{}` of `{}` ({} cells × {} lines) does not fit its block ({} cells × {} lines)",
                    ph.id, a.id, ph.cells, ph.lines, cells, p.lines
                ))
                .at(loc.clone())
                .hint(format!(
                    "make the photo at most {cells} cells wide and under {} lines high, or the block larger",
                    p.lines
                )));
            }
        }
        articles.push(a);
    }
    let mut unplaced: Vec<_> =
        on_disk.iter().filter(|(id, _)| !file.place.iter().any(|p| &p.article == *id)).collect();
    unplaced.sort();
    if let Some((id, p)) = unplaced.first() {
        return Err(Error::input(format!("article `{id}` is written but never placed on the page"))
            .in_file(p)
            .hint(format!("add [[place]] article = \"{id}\" to {} or remove the file", path.display())));
    }
    if articles.is_empty() {
        return Err(Error::input("the page plan places no article")
            .in_file(&path)
            .hint("add [[place]] tables to issue.toml"));
    }
    let press = press(&file.press, &path, &text, base, root)?;
    Ok(Issue { dir: dir.to_path_buf(), file, articles, press, style })
}

fn overlaps(a: &Placement, b: &Placement) -> bool {
    let end = |start: u32, len: u32| start as u64 + len as u64;
    (a.column as u64) < end(b.column, b.span)
        && (b.column as u64) < end(a.column, a.span)
        && (a.line as u64) < end(b.line, b.lines)
        && (b.line as u64) < end(a.line, a.lines)
}

/// Plan preflight warnings, one line each (`file:line:col: warning: …`):
/// a type area that leaves a side margin under the press's printable
/// minimum (`[page] min_side_margin_mm`, 10 mm by default).
pub fn plan_warnings(edition: &Edition) -> Vec<String> {
    let mut out = Vec::new();
    for issue in &edition.issues {
        let spec = &issue.file.page;
        let Ok(grid) = Grid::new(spec) else { continue };
        let margin = crate::plan::grid::mm(grid.left);
        if margin + 1e-6 < spec.min_side_margin_mm {
            let path = issue.dir.join("issue.toml");
            let text = fs::read_to_string(&path).unwrap_or_default();
            let loc = key_location(&path, &text, 0, "[page]");
            out.push(format!(
                "{loc}: warning: issue `{}`: the type area ({:.1} mm of a {:.0} mm page) leaves side margins of {margin:.1} mm, \
                 under the {:.0} mm a press prints safely\n  hint: use fewer columns or characters per column, or a wider page; \
                 set [page] min_side_margin_mm to the plant's figure",
                issue.file.id,
                crate::plan::grid::mm(grid.type_width()),
                spec.width_mm,
                spec.min_side_margin_mm
            ));
        }
    }
    out
}

/// Whether a paragraph sets with every line full on a column of `cap`
/// cells in the edition's `style` (`Measure::house`), and, the last
/// (`last`), without a one-character last line: what placeholder copy is
/// written to (`content::filler`). It is written to set with no mark hung,
/// so the same copy stands in every column and whatever `[style]
/// hanging` says (a hung mark depends on the column's right side). Its
/// copy has no Latin, only digits, which are half an em in every face, so
/// the default widths measure it as the project's would; the loader,
/// which has no fonts, and `paiban plan` write the same copy.
pub fn sets_cleanly(cap: usize, style: Style) -> impl Fn(&[char], bool) -> bool {
    let style = Style { hanging: crate::content::style::Hanging::Never, ..style };
    let measure = linebreak::Measure::house(cap, INDENT_CHARS as usize, style, false, linebreak::Widths::halves());
    move |text, last| {
        linebreak::plan(&Printed::plain(text), &measure)
            .is_some_and(|p| p.loose.is_empty() && p.pushed == 0 && !(last && p.runt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::filler::Copy;

    #[test]
    fn copy_written_to_a_measure_sets_cleanly_and_has_no_stray_paragraph() {
        let spec = PlaceholderSpec { chars: 1000, seed: None };
        for id in ["slot-1", "slot-2", "slot-3", "slot-4"] {
            let c = Copy::generate(id, &spec, Some(&sets_cleanly(13, Style::default())));
            let n: usize = c.body.iter().map(|b| b.text().chars().count()).sum();
            assert!((990..=1000).contains(&n), "{n}");
            let last = c.body.len() - 1;
            for (i, b) in c.body.iter().enumerate() {
                let t: Vec<char> = b.text().chars().collect();
                assert!(t.len() >= 24, "{id}: a stray paragraph {:?}", b.text());
                let plan = linebreak::plan(&Printed::plain(&t), &linebreak::Measure::plain(13, INDENT_CHARS as usize)).unwrap();
                assert!(plan.loose.is_empty() && plan.pushed == 0, "{id}: {}", b.text());
                assert!(!plan.runt || i != last, "{id}");
            }
        }
    }
}
