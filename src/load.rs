//! Reads an edition from disk into the content model, with errors that name
//! the file, line and column, say what was expected and give a hint.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Location, Result};
use crate::filler;
use crate::grid::Grid;
use crate::model::*;
use crate::press_settings::Press;
use crate::press_settings::PressTable;

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
    let base = PressBase { table: &file.press, file: &path, text: &text };
    for name in &file.issues {
        // With a plan, that issue alone (the others may have none yet).
        if let Some((id, _)) = plan
            && issue_file(&dir.join(name))?.0.id != id
        {
            continue;
        }
        let issue = issue_in(&dir.join(name), root, Some(&base), plan)?;
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
pub fn edition_file(dir: &Path) -> Result<(EditionFile, PathBuf, String)> {
    if !dir.is_dir() {
        return Err(Error::input("edition folder does not exist")
            .in_file(dir)
            .hint("give the folder that holds edition.toml, e.g. content/xinchun-2018"));
    }
    let path = dir.join("edition.toml");
    let text = read_text(&path, "edition.toml")?;
    let file: EditionFile = parse_toml(&text, &text, &path, 0)?;
    if file.title.chars().count() > MAX_HEAD {
        return Err(Error::input(format!("the title is {} characters long; at most {MAX_HEAD}", file.title.chars().count()))
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

/// The edition's `[press]` table, which an issue's own fields override.
struct PressBase<'a> {
    table: &'a PressTable,
    file: &'a Path,
    text: &'a str,
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

/// Resolves an issue's press settings: each key from the issue's table if
/// it has it, else the edition's; errors point at the file that set it.
fn press(own: &PressTable, path: &Path, text: &str, base: Option<&PressBase>, root: &Path) -> Result<Press> {
    let empty = PressTable::default();
    let base_table = base.map_or(&empty, |b| b.table);
    let merged = own.over(base_table);
    let own_keys = toml::to_string(own).unwrap_or_default();
    let from_issue = |key: &str| base.is_none() || own_keys.lines().any(|l| l.starts_with(&format!("{key} =")));
    let locate = |key: &str| match base {
        Some(b) if !from_issue(key) => key_location(b.file, b.text, 0, key),
        _ => key_location(path, text, 0, key),
    };
    let profile_dir = match base {
        Some(b) if own.icc_profile.is_none() => b.file.parent().unwrap_or(Path::new(".")),
        _ => path.parent().unwrap_or(Path::new(".")),
    };
    crate::press_settings::resolve(&merged, profile_dir, root, &locate)
}

fn issue_in(
    dir: &Path,
    root: &Path,
    base: Option<&PressBase>,
    plan: Option<(&str, &[Placement])>,
) -> Result<Issue> {
    let path = dir.join("issue.toml");
    let (mut file, text, grid) = issue_file(dir)?;
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
            return Err(Error::input(format!("`{key}` is {n} characters long; a page header sets at most {MAX_HEAD}"))
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
        let a = article(art_path, root, grid.body_measure(p, false))?;
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
    Ok(Issue { dir: dir.to_path_buf(), file, articles, press })
}

fn overlaps(a: &Placement, b: &Placement) -> bool {
    let end = |start: u32, len: u32| start as u64 + len as u64;
    (a.column as u64) < end(b.column, b.span)
        && (b.column as u64) < end(a.column, a.span)
        && (a.line as u64) < end(b.line, b.lines)
        && (b.line as u64) < end(a.line, a.lines)
}

/// Loads one article file.
/// `measure`: cells in a body column of the article's first block, which
/// placeholder copy is written to fit.
pub fn article(path: &Path, root: &Path, measure: Option<usize>) -> Result<Article> {
    let text = read_text(path, "article file")?;
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    check_id(&id, path, "", "")?;
    let (front, front_offset, body_text, body_line) = split_front_matter(&text, path)?;
    let mut meta: ArticleMeta = parse_toml(front, &text, path, front_offset)?;
    let mut body = parse_body(body_text, body_line, path)?;
    let key = |k: &str| key_location(path, &text, front_offset, k);

    let placeholder = meta.placeholder.is_some();
    if let Some(spec) = &meta.placeholder {
        if !body.is_empty() {
            return Err(Error::input("article has both placeholder = … and body text")
                .at(key("placeholder"))
                .hint("remove `placeholder` once the copy has arrived"));
        }
        if !(20..=20_000).contains(&spec.chars) {
            return Err(Error::input("placeholder chars must be between 20 and 20000").at(key("placeholder")));
        }
        let copy = filler::Copy::generate(&id, spec, measure);
        meta.headline.get_or_insert(copy.headline);
        if meta.kind == ArticleKind::Interview && meta.person.is_empty() {
            meta.person = vec![copy.person];
        }
        body = copy.body;
    }
    check_lengths(&meta, &body, path, &text, front_offset)?;
    check_plan_hints(&meta, &key)?;
    if meta.kind.needs_headline() {
        match meta.headline.as_deref().map(str::trim) {
            None => {
                return Err(Error::input(format!(
                    "missing field `headline` (a {} needs one)",
                    meta.kind.name()
                ))
                .in_file(path)
                .hint("add headline = \"…\" to the front matter, or placeholder = { chars = N } while copy is awaited"));
            }
            Some("") => {
                return Err(Error::input("the headline is empty")
                    .at(key("headline"))
                    .hint("write the headline, or remove the field and use placeholder = { chars = N }"));
            }
            Some(_) => {}
        }
    }
    if !meta.kind.has_body() && !body.is_empty() {
        return Err(Error::input(format!(
            "a {} has no running text, but this file has text after its front matter",
            meta.kind.name()
        ))
        .at(Location::at(path, body_line, 1))
        .hint("a banner or lead carries only its heads; move the text into a story or interview, or delete it"));
    }
    if meta.kind.has_body() && body.is_empty() {
        return Err(Error::input(format!("a {} needs body text, and this one has none", meta.kind.name()))
            .at(Location::at(path, body_line, 1))
            .hint("write the paragraphs after the closing +++, or add placeholder = { chars = N }"));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    for photo in &mut meta.photos {
        check_photo(photo, dir, root, path, &text, front_offset)?;
    }
    Ok(Article {
        id,
        path: path.to_path_buf(),
        meta,
        body,
        placeholder,
        breaks: Default::default(),
        hangs: Default::default(),
        pairs: Default::default(),
    })
}

/// The front matter `paiban plan` reads: a priority from 1 to 5, spans
/// from 1 and `min_span` not above `max_span` (against the page's columns
/// where the plan is made).
fn check_plan_hints(meta: &ArticleMeta, key: &dyn Fn(&str) -> Location) -> Result<()> {
    if let Some(p) = meta.priority
        && !(1..=5).contains(&p)
    {
        return Err(Error::input(format!("priority = {p} is out of range"))
            .at(key("priority"))
            .hint("1 is the page's lead story, 5 the least; leave it out to rank by kind and length"));
    }
    for (name, v) in [("min_span", meta.min_span), ("max_span", meta.max_span)] {
        if v == Some(0) {
            return Err(Error::input(format!("{name} = 0: a block spans at least one column"))
                .at(key(name))
                .hint("give a number of basic columns from 1 to the page's columns"));
        }
    }
    if let (Some(lo), Some(hi)) = (meta.min_span, meta.max_span)
        && lo > hi
    {
        return Err(Error::input(format!("min_span = {lo} is more than max_span = {hi}"))
            .at(key("min_span"))
            .hint("the block spans min_span to max_span columns: swap them or widen the range"));
    }
    Ok(())
}

/// Longest heads and lines a page can set, in characters: far past any real
/// head (a broadsheet lead runs to some 40), short enough that a runaway
/// value (a pasted 1 MB string) is an error at once rather than minutes of
/// layout looking for where to break it.
const MAX_HEAD: usize = 200;
const MAX_CAPTION: usize = 1000;

fn check_lengths(meta: &ArticleMeta, body: &[BodyBlock], path: &Path, text: &str, offset: usize) -> Result<()> {
    let too_long = |what: &str, key: &str, s: &str, max: usize| -> Result<()> {
        let n = s.chars().count();
        if n <= max {
            return Ok(());
        }
        Err(Error::input(format!("the {what} is {n} characters long; a page sets at most {max}"))
            .at(key_location(path, text, offset, key))
            .hint("shorten it (a value pasted by mistake?)"))
    };
    for (what, key, v) in [("headline", "headline", &meta.headline), ("kicker", "kicker", &meta.kicker), ("subhead", "subhead", &meta.subhead)] {
        if let Some(s) = v {
            too_long(what, key, s, MAX_HEAD)?;
        }
    }
    for p in &meta.person {
        too_long("person line", "person", p, MAX_HEAD)?;
    }
    for c in &meta.byline {
        too_long("byline", "byline", &format!("{}{}", c.role, c.name), MAX_HEAD)?;
    }
    for ph in &meta.photos {
        too_long("caption", "caption", &ph.caption, MAX_CAPTION)?;
        too_long("photo credit", "credit", &ph.credit, MAX_HEAD)?;
    }
    for b in body {
        if let BodyBlock::Subhead { text: s, line } = b
            && s.chars().count() > MAX_HEAD
        {
            return Err(Error::input(format!("a 小标题 is {} characters long; a page sets at most {MAX_HEAD}", s.chars().count()))
                .at(Location::at(path, *line, 1))
                .hint("a line starting with ## is a subhead; write body text without it"));
        }
    }
    Ok(())
}

/// Checks a photo's size and file; makes `file` absolute and canonical.
fn check_photo(
    photo: &mut Photo,
    dir: &Path,
    root: &Path,
    path: &Path,
    text: &str,
    offset: usize,
) -> Result<()> {
    let loc = || nth_value_location(path, text, "id", &photo.id, &mut offset.clone());
    if photo.cells == 0 || photo.lines == 0 {
        return Err(Error::input(format!("photo `{}` has no size", photo.id))
            .at(loc())
            .hint("give cells (width in body characters) and lines (height in grid lines), both ≥ 1"));
    }
    let Some(file) = &photo.file else { return Ok(()) };
    let escapes = || {
        Error::input(format!("photo `{}` lies outside the project root", photo.id)).at(loc()).hint(format!(
            "keep images inside {}; absolute paths and .. out of it are refused",
            root.display()
        ))
    };
    if file.is_absolute() {
        return Err(escapes());
    }
    let full = dir.join(file);
    // The path as the article writes it and as it resolves, in every error.
    let paths = |full: &Path| {
        let full = std::path::absolute(full).unwrap_or_else(|_| full.to_path_buf());
        format!("`{}`, resolved as {}", file.display(), full.display())
    };
    let canon = full.canonicalize().map_err(|e| {
        let what = format!("photo `{}` ({})", photo.id, paths(&full));
        Error::io(e, &full, &what).at(loc())
    })?;
    let root = root.canonicalize().map_err(|e| Error::io(e, root, "project root"))?;
    if !canon.starts_with(&root) {
        return Err(escapes());
    }
    // A regular file only: a FIFO would hang the build here.
    let bytes = crate::read::regular(&canon, crate::press::photos::MAX_FILE).map_err(|why| {
        Error::input(format!("photo `{}` ({}) cannot be read: {why}", photo.id, paths(&canon)))
            .at(loc())
            .hint("name a JPEG or PNG file inside the project")
    })?;
    if let Some(problem) = image_problem(&bytes) {
        return Err(Error::input(format!("photo `{}` ({}) is not a usable image: {problem}", photo.id, paths(&canon)))
        .at(loc())
        .hint("use a complete JPEG or PNG file"));
    }
    photo.file = Some(canon);
    Ok(())
}

/// Plan preflight warnings, one line each (`file:line:col: warning: …`):
/// a type area that leaves a side margin under the press's printable
/// minimum (`[page] min_side_margin_mm`, 10 mm by default).
pub fn plan_warnings(edition: &Edition) -> Vec<String> {
    let mut out = Vec::new();
    for issue in &edition.issues {
        let spec = &issue.file.page;
        let Ok(grid) = Grid::new(spec) else { continue };
        let margin = crate::grid::mm(grid.left);
        if margin + 1e-6 < spec.min_side_margin_mm {
            let path = issue.dir.join("issue.toml");
            let text = fs::read_to_string(&path).unwrap_or_default();
            let loc = key_location(&path, &text, 0, "[page]");
            out.push(format!(
                "{loc}: warning: issue `{}`: the type area ({:.1} mm of a {:.0} mm page) leaves side margins of {margin:.1} mm, \
                 under the {:.0} mm a press prints safely\n  hint: use fewer columns or characters per column, or a wider page; \
                 set [page] min_side_margin_mm to the plant's figure",
                issue.file.id,
                crate::grid::mm(grid.type_width()),
                spec.width_mm,
                spec.min_side_margin_mm
            ));
        }
    }
    out
}

/// A cheap check that bytes are a complete JPEG or PNG.
fn image_problem(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        // A complete JPEG ends with the EOI marker.
        let tail = &bytes[bytes.len().saturating_sub(16)..];
        return (!tail.windows(2).any(|w| w == [0xFF, 0xD9])).then_some("the JPEG is truncated");
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let tail = &bytes[bytes.len().saturating_sub(12)..];
        return (!tail.starts_with(&[0, 0, 0, 0]) || &tail[4..8] != b"IEND")
            .then_some("the PNG is truncated");
    }
    Some("it is neither JPEG nor PNG")
}

fn check_id(id: &str, path: &Path, text: &str, key: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        return Ok(());
    }
    let loc = if key.is_empty() { Location::file(path) } else { key_location(path, text, 0, key) };
    Err(Error::input(format!("`{id}` is not a valid id"))
        .at(loc)
        .hint("ids (and article file names) use a–z, 0–9, - and _ only, e.g. chunan or slot-1"))
}

/// Largest content file read (bytes): a page's article is a few kB; this
/// leaves room for any real copy and refuses a runaway file at once.
const MAX_TEXT: u64 = 16 << 20;

/// Reads a content file as UTF-8 text: a regular file (never a pipe or a
/// device), at most [`MAX_TEXT`], line ends normalised (CRLF and lone CR
/// become LF), a leading BOM dropped, and no character that would print
/// wrong or not at all (controls, line/paragraph separators, invisible
/// format characters).
fn read_text(path: &Path, what: &str) -> Result<String> {
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return Err(Error::input(format!("{what} is not a regular file (a pipe or a device)"))
            .in_file(path)
            .hint("content files must be ordinary text files"));
    }
    let bytes = crate::read::regular(path, MAX_TEXT).map_err(|why| match fs::metadata(path) {
        Err(e) => Error::io(e, path, what),
        Ok(_) => Error::input(format!("{what} cannot be read: {why}"))
            .in_file(path)
            .hint("content files must be ordinary UTF-8 text files of at most 16 MB"),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let off = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&e.as_bytes()[..off]).into_owned();
        Error::input(format!("{what} is not valid UTF-8"))
            .at(Location::at_offset(path, &text, off))
            .hint("save the file as UTF-8")
    })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    if let Some((off, c)) = text.char_indices().find(|&(_, c)| unprintable(c)) {
        return Err(Error::input(format!("{what} holds an invisible character U+{:04X} ({})", c as u32, char_name(c)))
            .at(Location::at_offset(path, &text, off))
            .hint("delete it (it usually comes from pasting out of a word processor or web page); paragraphs are separated by a blank line"));
    }
    Ok(text)
}

/// Characters a content file may not hold: controls (but tab and line
/// feed), line and paragraph separators, and format characters that would
/// print nothing or reorder text.
fn unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn char_name(c: char) -> &'static str {
    match c {
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' | '\u{200D}' => "a zero-width joiner",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE / BOM",
        '\u{0}' => "NUL",
        c if c.is_control() => "a control character",
        _ => "a text-direction or format character",
    }
}

/// Parses TOML, turning errors into file:line:column with a hint.
/// `offset` is where `text` starts inside the file (for front matter).
fn parse_toml<T: DeserializeOwned>(text: &str, full: &str, path: &Path, offset: usize) -> Result<T> {
    toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start);
        // A full-width mark an IME typed where TOML needs its half-width
        // syntax: named, at its own column, with the fix.
        if let Some(at) = start
            && let Some((off, c, half)) = full_width_syntax(text, at)
        {
            return Error::input(format!(
                "a full-width {c} (U+{:04X}) where TOML needs {half}",
                c as u32
            ))
            .at(Location::at_offset(path, full, offset + off))
            .caret(format!("type {half} here"))
            .hint(format!(
                "switch the input method to half-width (半角) for TOML syntax and type {half}; full-width marks belong inside \"quoted\" text only"
            ));
        }
        let loc = match start {
            Some(at) => Location::at_offset(path, full, offset + at),
            None => Location::file(path),
        };
        let message = e.message().trim().to_string();
        let line = start.map(|at| line_at(text, at)).unwrap_or_default();
        let key = line.split('=').next().unwrap_or_default().trim();
        let value = line.split_once('=').map(|(_, v)| v.trim()).unwrap_or_default();
        let hint = if message.contains("unknown field") || message.contains("unknown variant") {
            match did_you_mean(&message) {
                Some(best) => format!(
                    "did you mean `{best}`? The accepted names are listed above and in content/README.md"
                ),
                None => "check the spelling; the accepted names are listed above and in content/README.md".into(),
            }
        } else if message.contains("missing field") {
            "add the field; content/README.md lists what each file needs".into()
        } else if key == "date" || value.contains(['年', '月', '日']) {
            "a date is written 2018-02-13 (year-month-day in digits, no quotes): date = 2018-02-13".into()
        } else if message.contains("invalid type") {
            "check the value's type: text in \"quotes\", numbers bare, lists in [ ]".into()
        } else if value.chars().next().is_some_and(|c| !c.is_ascii()) {
            format!("this is a TOML syntax error: text is written in \"double quotes\": {key} = \"{value}\"")
        } else {
            "this is a TOML syntax error: check quotes, brackets and `key = value` pairs".into()
        };
        let caret = message.split_once("expected ").map(|(_, x)| format!("expected {x}"));
        let err = Error::input(message).at(loc).hint(hint);
        match caret {
            Some(c) => err.caret(c),
            None => err,
        }
    })
}

/// The line of `text` holding byte `at`.
fn line_at(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Full-width forms of TOML's syntax characters, as a Chinese IME types them.
const FULL_WIDTH_SYNTAX: &[(char, &str)] = &[
    ('＝', "="),
    ('“', "\""),
    ('”', "\""),
    ('，', ","),
    ('：', ":"),
    ('［', "["),
    ('］', "]"),
    ('｛', "{"),
    ('｝', "}"),
    ('＃', "#"),
];

/// The first full-width syntax character outside a quoted string on the
/// line of the error at byte `at`: (its byte offset in `text`, it, the fix).
fn full_width_syntax(text: &str, at: usize) -> Option<(usize, char, &'static str)> {
    let line = line_at(text, at);
    let line_start = line.as_ptr() as usize - text.as_ptr() as usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '#' {
                    return None;
                }
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if let Some(&(_, half)) = FULL_WIDTH_SYNTAX.iter().find(|(f, _)| *f == c) {
                    return Some((line_start + i, c, half));
                }
            }
        }
    }
    None
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown
/// variant"): the accepted name closest to `x`, when one is close.
fn did_you_mean(message: &str) -> Option<String> {
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let (given, accepted) = names.split_first()?;
    accepted
        .iter()
        .map(|a| (strsim::jaro_winkler(given, a), *a))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a.to_string())
}

/// Keeps the issues asked for with `--issue` (all when none is): an id the
/// edition does not have is bad input that lists the ids it has. Every
/// command that takes `--issue` uses this.
pub fn select_issues(edition: &mut Edition, ids: &[String]) -> Result<()> {
    check_issue_ids(edition, ids)?;
    if !ids.is_empty() {
        edition.issues.retain(|i| ids.contains(&i.file.id));
    }
    Ok(())
}

/// The check of [`select_issues`], for a command that keeps the edition whole.
pub fn check_issue_ids(edition: &Edition, ids: &[String]) -> Result<()> {
    for id in ids {
        if !edition.issues.iter().any(|i| &i.file.id == id) {
            let have: Vec<_> = edition.issues.iter().map(|i| i.file.id.as_str()).collect();
            return Err(Error::input(format!("no issue `{id}` in this edition"))
                .in_file(edition.dir.join("edition.toml"))
                .hint(format!("the issues are: {}", have.join(", "))));
        }
    }
    Ok(())
}

/// Splits `+++` front matter from the body.
/// Returns (front, its byte offset, body, the body's first line number).
fn split_front_matter<'a>(text: &'a str, path: &Path) -> Result<(&'a str, usize, &'a str, usize)> {
    let missing = || {
        Error::input("article file must start with TOML front matter between +++ lines")
            .at(Location::at(path, 1, 1))
            .hint("first line +++, then kind = \"…\", headline = \"…\" …, then a line +++, then the body")
    };
    let first_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_end].trim_end() != "+++" {
        return Err(missing());
    }
    let start = first_end + 1;
    let mut pos = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &text[start..pos];
            let body = &text[pos + line.len()..];
            let body_line = text[..pos + line.len()].matches('\n').count() + 1;
            return Ok((front, start, body, body_line));
        }
        pos += line.len();
    }
    Err(Error::input("front matter is not closed")
        .at(Location::at(path, 1, 1))
        .hint("add a line with +++ after the front matter"))
}

/// Parses the body: paragraphs separated by blank lines; `## ` starts an
/// in-text subhead; `[[gap: note]]` records lost text; a leading `\` before
/// `##` or `[[` prints them literally. Everything else is literal text.
fn parse_body(body: &str, first_line: usize, path: &Path) -> Result<Vec<BodyBlock>> {
    let mut blocks = Vec::new();
    let mut para = String::new();
    let mut para_line = 0;
    let flush = |para: &mut String, line: usize, blocks: &mut Vec<BodyBlock>| -> Result<()> {
        if para.is_empty() {
            return Ok(());
        }
        let text = std::mem::take(para);
        if let Some(sub) = text.strip_prefix("## ") {
            let sub = sub.trim();
            if sub.is_empty() {
                return Err(Error::input("empty subhead").at(Location::at(path, line, 1)));
            }
            blocks.push(BodyBlock::Subhead { text: sub.to_string(), line });
        } else {
            let text = text.strip_prefix('\\').filter(|t| t.starts_with("##")).unwrap_or(&text);
            blocks.push(BodyBlock::Paragraph { runs: parse_runs(text, path, line)?, line });
        }
        Ok(())
    };
    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, para_line, &mut blocks)?;
        } else {
            if para.is_empty() {
                para_line = line_no;
            }
            // Lines of one paragraph join without a space (Chinese text).
            para.push_str(t);
        }
    }
    flush(&mut para, para_line, &mut blocks)?;
    Ok(blocks)
}

fn parse_runs(text: &str, path: &Path, line: usize) -> Result<Vec<Run>> {
    let mut runs = Vec::new();
    let mut cur = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("\\[[") {
            cur.push_str("[[");
            rest = r;
        } else if let Some(r) = rest.strip_prefix("[[gap:") {
            let Some(end) = r.find("]]") else {
                let col = text[..text.len() - rest.len()].chars().count() + 1;
                return Err(Error::input("gap marker is not closed")
                    .at(Location::at(path, line, col))
                    .hint("write [[gap: what is missing]]; a literal [[ is written \\[["));
            };
            if !cur.is_empty() {
                runs.push(Run::Text { text: std::mem::take(&mut cur) });
            }
            runs.push(Run::Gap { note: r[..end].trim().to_string() });
            rest = &r[end + 2..];
        } else {
            let c = rest.chars().next().unwrap();
            cur.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if !cur.is_empty() {
        runs.push(Run::Text { text: cur });
    }
    Ok(runs)
}

/// The location of `key = …` (or a `[table]` header) inside front matter.
pub(crate) fn key_location(path: &Path, text: &str, offset: usize, key: &str) -> Location {
    let mut pos = offset;
    for line in text[offset.min(text.len())..].split_inclusive('\n') {
        let t = line.trim_start();
        let hit = if key.starts_with('[') {
            t.starts_with(key)
        } else {
            t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('='))
        };
        if hit {
            return Location::at_offset(path, text, pos + (line.len() - t.len()));
        }
        pos += line.len();
        if line.trim_end() == "+++" && offset > 0 {
            break;
        }
    }
    Location::file(path)
}

/// The location of the next `key = "value"` at or after `*from`.
fn nth_value_location(path: &Path, text: &str, key: &str, value: &str, from: &mut usize) -> Location {
    let mut pos = *from;
    for line in text[(*from).min(text.len())..].split_inclusive('\n') {
        let t = line.trim_start();
        if let Some(r) = t.strip_prefix(key)
            && let Some(r) = r.trim_start().strip_prefix('=')
            && r.trim().trim_matches('"') == value
        {
            *from = pos + line.len();
            return Location::at_offset(path, text, pos + (line.len() - t.len()));
        }
        // Also find inline tables: { id = "x", … }
        if let Some(i) = line.find(&format!("{key} = \"{value}\"")) {
            *from = pos + line.len();
            return Location::at_offset(path, text, pos + i);
        }
        pos += line.len();
    }
    Location::file(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_syntax() {
        let p = Path::new("x.md");
        let b =
            parse_body("第一段\n接着\n\n## 小标题\n\n前[[gap: 缺]]后\n\n\\## 不是标题 \\[[gap: x]]\n", 5, p)
                .unwrap();
        assert_eq!(b.len(), 4);
        assert_eq!(b[0].text(), "第一段接着");
        assert_eq!(b[0].line(), 5);
        assert!(matches!(&b[1], BodyBlock::Subhead { text, line: 8 } if text == "小标题"));
        let BodyBlock::Paragraph { runs, .. } = &b[2] else { panic!() };
        assert_eq!(runs.len(), 3);
        assert_eq!(runs[1], Run::Gap { note: "缺".into() });
        assert_eq!(b[3].text(), "## 不是标题 [[gap: x]]");
    }

    #[test]
    fn unclosed_gap_names_line_and_column() {
        let e = parse_body("\n甲乙[[gap: 缺", 10, Path::new("a.md")).unwrap_err();
        assert_eq!(e.location, Some(Location::at("a.md", 11, 3)));
    }

    #[test]
    fn image_checks() {
        assert!(image_problem(b"not an image").is_some());
        assert!(image_problem(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2]).is_some());
        assert!(image_problem(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 0xFF, 0xD9]).is_none());
    }
}
