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
    pub hint: Option<String>,
    /// Already formatted detail (e.g. Typst diagnostics with source excerpts).
    pub detail: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn input(message: impl Into<String>) -> Self {
        Self { kind: Kind::Input, location: None, message: message.into(), hint: None, detail: None }
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

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let label = match self.kind {
            Kind::Input => "error",
            Kind::Overset => "error: overset",
            Kind::Refused => "error: refused",
            Kind::Internal => "internal error",
        };
        match &self.location {
            Some(loc) => write!(f, "{loc}: {label}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        if let Some(detail) = &self.detail {
            write!(f, "\n{}", detail.trim_end())?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
