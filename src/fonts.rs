//! The font store: bundled fonts from `fonts/`, extra directories the user
//! names, and the system's fonts only when asked for. Built once and shared
//! by every issue; each font file is read lazily, once.

use std::path::{Path, PathBuf};

use typst::text::FontInfo;
use typst_kit::fonts::{FontPath, FontStore};

use crate::error::{Error, Result};

/// Where fonts come from.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Extra font directories (`--font-path`).
    pub paths: Vec<PathBuf>,
    /// Also use the system's fonts (`--system-fonts`).
    pub system: bool,
}

/// A font the store knows, for `paiban fonts`.
#[derive(Debug, Clone)]
pub struct FontEntry {
    pub family: String,
    pub style: String,
    pub weight: u16,
    pub path: PathBuf,
    pub index: u32,
}

pub struct Fonts {
    pub store: FontStore,
    pub entries: Vec<FontEntry>,
}

impl Fonts {
    /// Scans `<root>/fonts`, then `opts.paths`, then (opt-in) the system.
    pub fn load(root: &Path, opts: &FontOptions) -> Result<Self> {
        let bundled = root.join("fonts");
        if !bundled.is_dir() {
            return Err(Error::input("the bundled fonts folder is missing")
                .in_file(&bundled)
                .hint("run paiban from the project root, or pass --root"));
        }
        let mut found: Vec<(FontPath, FontInfo)> = typst_kit::fonts::scan(&bundled).collect();
        for p in &opts.paths {
            if !p.is_dir() {
                return Err(Error::input("font directory does not exist")
                    .in_file(p)
                    .hint("--font-path takes a directory of .otf/.ttf/.ttc files"));
            }
            found.extend(typst_kit::fonts::scan(p));
        }
        if opts.system {
            found.extend(typst_kit::fonts::system());
        }
        // Scan order depends on the file system; sort so font indices, and so
        // the output, never do.
        found.sort_by(|a, b| (&a.0.path, a.0.index).cmp(&(&b.0.path, b.0.index)));
        let entries = found
            .iter()
            .map(|(p, info)| FontEntry {
                family: info.family.clone(),
                style: format!("{:?}", info.variant.style).to_lowercase(),
                weight: info.variant.weight.to_number(),
                path: p.path.clone(),
                index: p.index,
            })
            .collect();
        let mut store = FontStore::new();
        store.extend(found);
        Ok(Self { store, entries })
    }
}

impl Fonts {
    /// The family names, sorted, each once.
    pub fn families(&self) -> Vec<&str> {
        let mut f: Vec<&str> = self.entries.iter().map(|e| e.family.as_str()).collect();
        f.sort_unstable();
        f.dedup();
        f
    }
}
