//! One error type for everything a user can get wrong, and the exit codes.
//!
//! Bad input is reported with the file, the line and column where there is
//! one, what was expected and a hint, so a desk under deadline can fix it
//! without reading code.

use std::fmt;
use std::path::{Path, PathBuf};

/// Exit codes, documented in README and `--help`.
pub mod exit {
    /// Everything fine.
    pub const OK: i32 = 0;
    /// Warnings treated as errors, or differences found (diff).
    pub const WARNINGS: i32 = 1;
    /// Bad input (content, layout, options) or overset text.
    pub const BAD_INPUT: i32 = 2;
    /// A bug or an environment problem inside paiban.
    pub const INTERNAL: i32 = 3;
}

/// Where in a file something went wrong (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self { file: file.into(), line: None, column: None }
    }

    pub fn at(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Self { file: file.into(), line: Some(line), column: Some(column) }
    }

    /// Location of a byte offset in `text`.
    pub fn at_offset(file: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        Self::at(file, line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The user's input is wrong: content, layouts, options.
    Input,
    /// Text did not fit its block.
    Overset,
    /// Placeholder copy or another condition that forbids a final print PDF.
    Refused,
    /// Something inside paiban or the machine failed.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: Kind,
    pub location: Option<Location>,
    pub message: String,
    /// What to do, in the order they were added (`.hint()` adds one).
    pub hints: Vec<String>,
    /// Already formatted detail (e.g. Typst diagnostics with source excerpts).
    pub detail: Option<String>,
    /// What was expected at the spot, printed beside the caret.
    pub caret: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `.hint()` on a `Result`: adds a hint to its error, after any it has.
pub trait Hint {
    fn hint(self, hint: impl Into<String>) -> Self;
}

impl<T> Hint for Result<T> {
    fn hint(self, hint: impl Into<String>) -> Self {
        self.map_err(|e| e.hint(hint))
    }
}

impl Error {
    pub fn input(message: impl Into<String>) -> Self {
        Self { kind: Kind::Input, location: None, message: message.into(), hints: Vec::new(), detail: None, caret: None }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self { kind: Kind::Internal, ..Self::input(message) }
    }

    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = kind;
        self
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        self.at(Location::file(file))
    }

    /// Adds a hint after any the error has: an error passed up keeps what
    /// was said about it where it arose.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// An I/O failure on `path`: missing input is the user's problem,
    /// anything else is reported as internal.
    pub fn io(err: std::io::Error, path: &Path, what: &str) -> Self {
        let base = match err.kind() {
            std::io::ErrorKind::NotFound => Self::input(format!("{what} not found"))
                .hint("check the path; paths in content files are relative to the file that names them"),
            std::io::ErrorKind::PermissionDenied => Self::input(format!("{what}: permission denied"))
                .hint("check that you may read (or write) this path"),
            std::io::ErrorKind::AlreadyExists
            | std::io::ErrorKind::NotADirectory
            | std::io::ErrorKind::IsADirectory
            | std::io::ErrorKind::ReadOnlyFilesystem
            | std::io::ErrorKind::InvalidFilename => Self::input(format!("{what}: {err}"))
                .hint("check that the path names a folder or file of the right kind"),
            // A symlink loop, a name too long, a device that is not there:
            // the path the user gave is wrong, not paiban.
            _ if matches!(err.raw_os_error(), Some(6 | 19 | 20 | 21 | 36 | 40)) => {
                Self::input(format!("{what}: {err}"))
                    .hint("check the path: it must name a readable file or folder (no symlink loops)")
            }
            _ => Self::internal(format!("{what}: {err}")),
        };
        base.in_file(path)
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Input | Kind::Overset | Kind::Refused => exit::BAD_INPUT,
            Kind::Internal => exit::INTERNAL,
        }
    }
}

impl Error {
    /// The error as the desk reads it on a terminal: the first line
    /// `path:line:col: error: message` (as `Display` gives it), then, when
    /// the error points into a text file, the source line with a caret
    /// under the spot (codespan-reporting), then the detail and the hint.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let label = self.label();
        // A message quoting a runaway value (a 1 MB string) is cut short.
        let message = if self.message.chars().count() > 300 {
            format!("{}…", self.message.chars().take(300).collect::<String>())
        } else {
            self.message.clone()
        };
        match &self.location {
            Some(loc) => out.push_str(&format!("{loc}: {label}: {message}")),
            None => out.push_str(&format!("{label}: {message}")),
        }
        if let Some(snippet) = self.snippet() {
            out.push('\n');
            out.push_str(&snippet);
        }
        if let Some(detail) = &self.detail {
            out.push('\n');
            out.push_str(detail.trim_end());
        }
        for hint in &self.hints {
            out.push_str(&format!("\n  hint: {hint}"));
        }
        out
    }

    fn label(&self) -> &'static str {
        match self.kind {
            Kind::Input => "error",
            Kind::Overset => "error: overset",
            Kind::Refused => "error: refused",
            Kind::Internal => "internal error",
        }
    }

    /// The source line and a caret under the error's column (see
    /// [`snippet`]).
    fn snippet(&self) -> Option<String> {
        snippet(self.location.as_ref()?, &self.message, self.caret.as_deref().unwrap_or_default())
    }

    /// What was expected at the caret (shown beside it).
    pub fn caret(mut self, what: impl Into<String>) -> Self {
        self.caret = Some(what.into());
        self
    }

    /// The error as JSON (`kind`, `file`, `line`, `column`, `message`,
    /// `hint`: the hints one a line, or null), for `--json`.
    pub fn to_json(&self) -> serde_json::Value {
        let kind = match self.kind {
            Kind::Input => "input",
            Kind::Overset => "overset",
            Kind::Refused => "refused",
            Kind::Internal => "internal",
        };
        let mut message = self.message.clone();
        if let Some(d) = &self.detail {
            message.push('\n');
            message.push_str(d.trim_end());
        }
        serde_json::json!({
            "kind": kind,
            "file": self.location.as_ref().map(|l| l.file.display().to_string()),
            "line": self.location.as_ref().and_then(|l| l.line),
            "column": self.location.as_ref().and_then(|l| l.column),
            "message": message,
            "hint": (!self.hints.is_empty()).then(|| self.hints.join("\n")),
        })
    }
}

/// The source line at `loc` with a caret under its column and `caret`
/// beside it, read from the file (as the loader read it: CR line ends as
/// LF). None when the location has no line and column, or the file is not
/// text.
pub fn snippet(loc: &Location, message: &str, caret: &str) -> Option<String> {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFile;
    use codespan_reporting::term;
    let (line, col) = (loc.line?, loc.column?);
    let meta = std::fs::metadata(&loc.file).ok()?;
    if !meta.is_file() || meta.len() > 16 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(&loc.file).ok()?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    let start = offset_of(&text, line, col)?;
    // No snippet of a line too long to read on a terminal.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if text[line_start..line_end].chars().count() > 400 {
        return None;
    }
    let end =
        text[start..].chars().next().map_or(start, |c| if c == '\n' { start } else { start + c.len_utf8() });
    let file = SimpleFile::new(loc.file.display().to_string(), text);
    let diag = Diagnostic::error()
        .with_message(message.to_string())
        .with_labels(vec![Label::primary((), start..end).with_message(caret.to_string())]);
    let config = term::Config::default();
    let s = term::emit_into_string(&config, &file, &diag).ok()?;
    // codespan's first line repeats the message, which our first line says.
    let lines: Vec<&str> = s.lines().skip(1).filter(|l| !l.trim().is_empty()).collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Byte offset of a 1-based line and column (in characters).
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let mut off = start;
    for (i, (b, _)) in rest[..line_end].char_indices().enumerate() {
        off = start + b;
        if i + 1 == col {
            return Some(off);
        }
    }
    // The column just past the line's end (an error at the end of a line).
    let _ = off;
    Some(start + line_end)
}

/// The JSON document every `--json` command prints on stdout (schema 1,
/// README "JSON output"): `schema`, `command`, `ok`, the command's own
/// fields, `warnings` and `error`.
pub fn json_document(
    command: &str,
    ok: bool,
    fields: serde_json::Value,
    warnings: Vec<serde_json::Value>,
    error: Option<&Error>,
) -> String {
    let mut doc = serde_json::Map::new();
    doc.insert("schema".into(), serde_json::json!(JSON_SCHEMA));
    doc.insert("command".into(), serde_json::json!(command));
    doc.insert("ok".into(), serde_json::json!(ok));
    if let serde_json::Value::Object(map) = fields {
        for (k, v) in map {
            doc.entry(k).or_insert(v);
        }
    }
    doc.insert("warnings".into(), serde_json::Value::Array(warnings));
    doc.insert("error".into(), error.map_or(serde_json::Value::Null, Error::to_json));
    serde_json::to_string_pretty(&serde_json::Value::Object(doc)).unwrap_or_else(|_| "{}".into())
}

/// Version of the `--json` documents' schema.
pub const JSON_SCHEMA: u32 = 1;

/// A warning as JSON: `message`, and `file`, `line`, `column` where known.
pub fn json_warning(message: &str, location: Option<&Location>) -> serde_json::Value {
    serde_json::json!({
        "message": message,
        "file": location.map(|l| l.file.display().to_string()),
        "line": location.and_then(|l| l.line),
        "column": location.and_then(|l| l.column),
    })
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let label = self.label();
        match &self.location {
            Some(loc) => write!(f, "{loc}: {label}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(detail) = &self.detail {
            write!(f, "\n{}", detail.trim_end())?;
        }
        for hint in &self.hints {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_adds_to_the_hints_an_error_has() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let first = Error::io(missing, Path::new("out/1.pdf"), "PDF");
        assert_eq!(first.hints.len(), 1, "Error::io gives a hint of its own");
        let e = first.clone().hint("run paiban build first");
        assert_eq!(e.hints, [first.hints[0].clone(), "run paiban build first".to_string()]);
        // Both reach the desk, in order, on the terminal and in JSON.
        let shown = e.render();
        let at = |h: &str| shown.find(&format!("hint: {h}")).unwrap_or_else(|| panic!("{h} not in {shown}"));
        assert!(at(&first.hints[0]) < at("run paiban build first"), "{shown}");
        assert_eq!(e.to_string().matches("\n  hint: ").count(), 2);
        assert_eq!(e.to_json()["hint"], format!("{}\nrun paiban build first", first.hints[0]));
        assert_eq!(Error::input("no hint").to_json()["hint"], serde_json::Value::Null);
    }

    #[test]
    fn hint_on_a_result_adds_to_its_error() {
        let r: Result<()> = Err(Error::input("overset").hint("cut the text"));
        let e = r.hint("a --final print PDF cannot hold overset text").unwrap_err();
        assert_eq!(e.hints, ["cut the text", "a --final print PDF cannot hold overset text"]);
        let ok: Result<u8> = Ok(1);
        assert_eq!(ok.hint("unused").unwrap(), 1);
    }
}
