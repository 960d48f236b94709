//! Reads an edition from disk into the content model, with errors that name
//! the file, line and column, say what was expected and give a hint.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::content::filler;
use crate::content::model::*;
use crate::content::press_settings::Press;
use crate::content::press_settings::PressTable;
use crate::error::{Error, Location, Result};
use crate::content::quotes::Found;

/// The edition's `[press]` table, which an issue's own fields override.
pub struct PressBase<'a> {
    pub table: &'a PressTable,
    /// The edition's house style (`[style]`), which every issue takes.
    pub style: crate::content::style::Style,
    pub file: &'a Path,
    pub text: &'a str,
}

/// Resolves an issue's press settings: each key from the issue's table if
/// it has it, else the edition's; errors point at the file that set it.
pub fn press(own: &PressTable, path: &Path, text: &str, base: Option<&PressBase>, root: &Path) -> Result<Press> {
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
    crate::content::press_settings::resolve(&merged, profile_dir, root, &locate)
}

/// Loads one article file.
/// `fits`: whether a paragraph sets cleanly in a body column of the
/// article's first block, which placeholder copy is written to fit
/// (`plan::place` asks the line planner).
pub fn article(path: &Path, root: &Path, fits: Option<filler::Fits>) -> Result<Article> {
    let text = read_text(path, "article file")?;
    let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    check_id(&id, path, "", "")?;
    let (front, front_offset, body_text, body_line) = split_front_matter(&text, path)?;
    let mut meta: ArticleMeta = parse_toml(front, &text, path, front_offset)?;
    let body_offset = text.len() - body_text.len();
    let (mut body, body_quotes) = parse_body(body_text, body_line, path)?;
    // Straight quotes typed in printed text: curled where they pair, each
    // kept with its place in the file (src/quotes.rs).
    let mut found = crate::content::quotes::curl_fields(&mut meta, front, front_offset);
    found.extend(body_quotes.into_iter().map(|(at, f)| (body_offset + at..body_offset + at + 1, f)));
    found.sort_by_key(|(r, _)| r.start);
    let quotes = found
        .into_iter()
        .map(|(bytes, f)| crate::content::quotes::Quote {
            // At the quote itself (after the backslash of a TOML `\"`).
            location: Location::at_offset(path, &text, bytes.end.saturating_sub(1).max(bytes.start)),
            bytes,
            typed: f.typed,
            verdict: f.verdict,
        })
        .collect();
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
        let copy = filler::Copy::generate(&id, spec, fits);
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
        squeezes: Default::default(),
        quotes,
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
pub const MAX_HEAD: usize = 200;
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
    let bytes = crate::content::read::regular(&canon, crate::content::read::MAX_PHOTO).map_err(|why| {
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

pub fn check_id(id: &str, path: &Path, text: &str, key: &str) -> Result<()> {
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
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
        && !meta.is_dir()
    {
        return Err(Error::input(format!("{what} is not a regular file (a pipe or a device)"))
            .in_file(path)
            .hint("content files must be ordinary text files"));
    }
    let bytes = crate::content::read::regular(path, MAX_TEXT).map_err(|why| match fs::metadata(path) {
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
pub fn parse_toml<T: DeserializeOwned>(text: &str, full: &str, path: &Path, offset: usize) -> Result<T> {
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

/// A straight quote of the body: its byte offset in the body, and what
/// became of it.
type BodyQuote = (usize, Found);

/// Parses the body: paragraphs separated by blank lines; `## ` starts an
/// in-text subhead; `[[gap: note]]` records lost text; a leading `\` before
/// `##` or `[[` prints them literally. Everything else is literal text.
/// Straight quotes are curled (`quotes`); each is returned with its byte
/// offset in `body`.
fn parse_body(body: &str, first_line: usize, path: &Path) -> Result<(Vec<BodyBlock>, Vec<BodyQuote>)> {
    let mut blocks = Vec::new();
    let mut quotes = Vec::new();
    let mut para = String::new();
    // The byte offset in `body` of each character of `para`.
    let mut para_at: Vec<usize> = Vec::new();
    let mut para_line = 0;
    let flush = |para: &mut String,
                 at: &mut Vec<usize>,
                 line: usize,
                 blocks: &mut Vec<BodyBlock>,
                 quotes: &mut Vec<BodyQuote>|
     -> Result<()> {
        if para.is_empty() {
            return Ok(());
        }
        let text = std::mem::take(para);
        let at = std::mem::take(at);
        if let Some(sub) = text.strip_prefix("## ") {
            let lead = 3 + sub.chars().count() - sub.trim_start().chars().count();
            let sub = sub.trim();
            if sub.is_empty() {
                return Err(Error::input("empty subhead").at(Location::at(path, line, 1)));
            }
            let (sub, found) = crate::content::quotes::curl(sub);
            quotes.extend(found.into_iter().map(|f| (at[lead + f.index], f)));
            blocks.push(BodyBlock::Subhead { text: sub, line });
        } else {
            let (text, found) = crate::content::quotes::curl_paragraph(&text);
            quotes.extend(found.into_iter().map(|f| (at[f.index], f)));
            let text = text.strip_prefix('\\').filter(|t| t.starts_with("##")).unwrap_or(&text);
            blocks.push(BodyBlock::Paragraph { runs: parse_runs(text, path, line)?, line });
        }
        Ok(())
    };
    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut para_at, para_line, &mut blocks, &mut quotes)?;
        } else {
            if para.is_empty() {
                para_line = line_no;
            }
            // Lines of one paragraph join without a space (Chinese text).
            para.push_str(t);
            let start = t.as_ptr() as usize - body.as_ptr() as usize;
            para_at.extend(t.char_indices().map(|(k, _)| start + k));
        }
    }
    flush(&mut para, &mut para_at, para_line, &mut blocks, &mut quotes)?;
    Ok((blocks, quotes))
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
pub fn key_location(path: &Path, text: &str, offset: usize, key: &str) -> Location {
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
pub fn nth_value_location(path: &Path, text: &str, key: &str, value: &str, from: &mut usize) -> Location {
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
                .unwrap()
                .0;
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
