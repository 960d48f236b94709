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
        check_collections(&bundled)?;
        let mut found: Vec<(FontPath, FontInfo)> = typst_kit::fonts::scan(&bundled).collect();
        check_bundled(&bundled, &found)?;
        for p in &opts.paths {
            if !p.is_dir() {
                return Err(Error::input("font directory does not exist")
                    .in_file(p)
                    .hint("--font-path takes a directory of .otf/.ttf/.ttc files"));
            }
            check_collections(p)?;
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
    /// The body face's advances for printable ASCII (Latin letters, word
    /// spaces), in thousandths of an em, rounded up so the planner never
    /// counts a line narrower than Typst sets it. Half an em for any the
    /// face lacks. `family`: the body role's design (`house.fonts.song`).
    pub fn body_widths(&self, family: &str) -> crate::plan::linebreak::Widths {
        use typst::text::{FontStretch, FontStyle, FontVariant, FontWeight};
        let variant = FontVariant::new(FontStyle::Normal, FontWeight::REGULAR, FontStretch::NORMAL);
        let family = family.to_lowercase();
        let Some(font) = self.store.book().select(&family, variant).and_then(|i| self.store.font(i)) else {
            return crate::plan::linebreak::Widths::default();
        };
        let Ok(ttf) = ttf_parser::Face::parse(font.data(), font.index()) else {
            return crate::plan::linebreak::Widths::default();
        };
        let upm = u32::from(ttf.units_per_em()).max(1);
        crate::plan::linebreak::Widths::from_advances(|c| {
            let advance = u32::from(ttf.glyph_hor_advance(ttf.glyph_index(c)?)?);
            u16::try_from((advance * 1000).div_ceil(upm)).ok()
        })
    }
}

/// Every font file `fonts/SHA256SUMS` lists must be there and parse: the
/// scan skips a file it cannot read without a word, and a damaged body
/// face would silently print the body in another one.
fn check_bundled(dir: &Path, found: &[(FontPath, FontInfo)]) -> Result<()> {
    let Ok(sums) = std::fs::read_to_string(dir.join("SHA256SUMS")) else { return Ok(()) };
    for line in sums.lines() {
        let Some(name) = line.split_whitespace().nth(1) else { continue };
        let is_font = [".otf", ".ttf", ".ttc", ".otc"].iter().any(|e| name.to_ascii_lowercase().ends_with(e));
        if !is_font {
            continue;
        }
        let path = dir.join(name);
        if !found.iter().any(|(p, _)| p.path.file_name() == path.file_name()) {
            let why = if path.is_file() { "is damaged: no font in it could be read" } else { "is missing" };
            return Err(Error::input(format!("the bundled font {name} {why}"))
                .in_file(&path)
                .hint("restore it (git checkout fonts/, or fonts/build-fonts.sh); fonts/SHA256SUMS lists the files and their sums"));
        }
    }
    Ok(())
}

/// Font collections (.ttc/.otc) whose header claims more fonts than the
/// file can hold are refused before the scan, which would otherwise try
/// every one of (up to 4 billion) indices.
fn check_collections(dir: &Path) -> Result<()> {
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            seen += 1;
            if seen > 100_000 {
                return Ok(());
            }
            let path = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                stack.push(path);
                continue;
            }
            let ext = path.extension().and_then(|x| x.to_str()).map(str::to_ascii_lowercase);
            if !matches!(ext.as_deref(), Some("ttc" | "otc")) {
                continue;
            }
            let mut head = [0u8; 12];
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            let ok = std::fs::File::open(&path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok();
            let fonts = u32::from_be_bytes([head[8], head[9], head[10], head[11]]) as u64;
            if !ok || &head[..4] != b"ttcf" || fonts == 0 || 12 + 4 * fonts > len || fonts > 10_000 {
                return Err(Error::input("a damaged font collection: its header does not match its size")
                    .in_file(&path)
                    .hint("remove or replace the file; paiban reads .ttc/.otc collections only when their header is sound"));
            }
        }
    }
    Ok(())
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
