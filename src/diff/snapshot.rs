//! Page snapshots: a grey reference PNG (72 dpi, 16 levels, 4 bits) and the structural dump of every
//! page, kept in a folder (the project's own are in `tests/snapshots/`).
//! A page that differs leaves pending files beside its reference —
//! `<page>.pending.png`, `<page>.pending.layout.json` and
//! `<page>.pending-diff.png` — until `paiban snapshot review` accepts or
//! rejects them, in the spirit of cargo-insta.

use std::fs;
use std::path::{Path, PathBuf};

use super::raster::{self, Raster};
use super::structure::{self, PageDump};
use super::{Options, PageImage, Status, Tolerance, pixels, report};
use crate::error::{Error, Result};
use crate::output::files;

/// Snapshots are rendered at 72 dpi: enough to see a changed character
/// (9 pt ≈ 9 px), small enough to keep in git.
pub const DPI: f64 = 72.0;

/// One grey level of the snapshot's 16 (17 of 255) is no change, so a
/// renderer's rounding on another CPU that tips a pixel into the next level
/// does not fail the tests; a changed glyph differs by far more.
pub const TOLERANCE: Tolerance = Tolerance { channel: 17, share: 0.0 };

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Matches its reference.
    Same,
    /// No reference yet: pending files written.
    New,
    /// Differs from its reference: pending files written.
    Changed,
    /// Written as the reference (`bless`).
    Blessed,
}

#[derive(Debug, Clone)]
pub struct Checked {
    pub name: String,
    pub outcome: Outcome,
    /// The diff report (empty when the page matches).
    pub report: String,
}

struct Paths {
    png: PathBuf,
    json: PathBuf,
    pending_png: PathBuf,
    pending_json: PathBuf,
    pending_diff: PathBuf,
}

fn paths(dir: &Path, name: &str) -> Paths {
    Paths {
        png: dir.join(format!("{name}.png")),
        json: dir.join(format!("{name}.layout.json")),
        pending_png: dir.join(format!("{name}.pending.png")),
        pending_json: dir.join(format!("{name}.pending.layout.json")),
        pending_diff: dir.join(format!("{name}.pending-diff.png")),
    }
}

fn remove(p: &Path) -> Result<()> {
    match fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(e, p, "snapshot file")),
        _ => Ok(()),
    }
}

fn opts() -> Options {
    Options { dpi: DPI, tolerance: TOLERANCE, masks: vec![] }
}

/// The blocks of a page as its dump records them.
pub fn dump_blocks(d: &PageDump) -> Vec<(String, pixels::RectMm)> {
    d.blocks.iter().map(|b| (b.article.clone(), b.rect_mm)).collect()
}

fn read_reference(p: &Paths) -> Result<Option<(Raster, String)>> {
    if !p.png.is_file() || !p.json.is_file() {
        return Ok(None);
    }
    let png = fs::read(&p.png).map_err(|e| Error::io(e, &p.png, "snapshot"))?;
    let json = fs::read_to_string(&p.json).map_err(|e| Error::io(e, &p.json, "snapshot dump"))?;
    Ok(Some((raster::read_png(&png, &p.png)?, json)))
}

fn parse_dump(json: &str, path: &Path) -> Result<PageDump> {
    serde_json::from_str(json).map_err(|e| {
        Error::input(format!("not a layout dump: {e}"))
            .in_file(path)
            .hint("delete it and run the snapshot check again to write a fresh one")
    })
}

/// Checks pages (rendered at `DPI`) against the references in `dir`.
/// With `bless`, writes them as the references instead.
pub fn check(dir: &Path, pages: Vec<PageImage>, bless: bool) -> Result<Vec<Checked>> {
    files::prepare_dir(dir)?;
    let mut out = Vec::new();
    for page in pages {
        let name = format!("{}-p{}", page.issue, page.page);
        let p = paths(dir, &name);
        let grey = page.raster.grey16();
        let png = raster::grey16_png(&page.raster)?;
        let dump = page.dump.clone().ok_or_else(|| Error::internal("a snapshot page has no layout dump"))?;
        let json = structure::to_json(&dump);
        if bless {
            files::write_atomic(&p.png, &png)?;
            files::write_atomic(&p.json, json.as_bytes())?;
            for f in [&p.pending_png, &p.pending_json, &p.pending_diff] {
                remove(f)?;
            }
            out.push(Checked { name, outcome: Outcome::Blessed, report: String::new() });
            continue;
        }
        let Some((reference, ref_json)) = read_reference(&p)? else {
            files::write_atomic(&p.pending_png, &png)?;
            files::write_atomic(&p.pending_json, json.as_bytes())?;
            let report = format!("{name}: new snapshot (no reference yet)\n");
            out.push(Checked { name, outcome: Outcome::New, report });
            continue;
        };
        let old = PageImage {
            issue: page.issue.clone(),
            page: page.page,
            raster: reference,
            blocks: page.blocks.clone(),
            dump: Some(parse_dump(&ref_json, &p.json)?),
        };
        let new = PageImage { raster: grey, ..page };
        let result = super::compare(vec![old], vec![new], &opts()).remove(0);
        if result.status == Status::Identical && ref_json == json {
            for f in [&p.pending_png, &p.pending_json, &p.pending_diff] {
                remove(f)?;
            }
            out.push(Checked { name, outcome: Outcome::Same, report: String::new() });
            continue;
        }
        files::write_atomic(&p.pending_png, &png)?;
        files::write_atomic(&p.pending_json, json.as_bytes())?;
        if let (Some(d), Some(o), Some(n)) = (&result.pixels, &result.old, &result.new) {
            files::write_atomic(&p.pending_diff, &raster::rgb_png(&pixels::diff_image(o, n, d))?)?;
        }
        let mut report = report::page(&result, DPI);
        if result.status == Status::Identical {
            report.push_str("  the layout dump changed\n");
        }
        out.push(Checked { name, outcome: Outcome::Changed, report });
    }
    Ok(out)
}

/// Names of the pages with pending snapshots in `dir`, sorted.
pub fn pending(dir: &Path) -> Result<Vec<String>> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Error::io(e, dir, "snapshot folder").hint("pass the folder that holds the snapshots with --dir")
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.strip_suffix(".pending.png")
                .or_else(|| n.strip_suffix(".pending.layout.json"))
                .map(String::from)
        })
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The report of a pending snapshot against its reference.
pub fn review_report(dir: &Path, name: &str) -> Result<String> {
    let p = paths(dir, name);
    if !p.pending_png.is_file() || !p.pending_json.is_file() {
        return Ok(format!(
            "{name}: incomplete pending snapshot (a file is missing); run the snapshot check again\n"
        ));
    }
    let png = fs::read(&p.pending_png).map_err(|e| Error::io(e, &p.pending_png, "pending snapshot"))?;
    let json =
        fs::read_to_string(&p.pending_json).map_err(|e| Error::io(e, &p.pending_json, "pending dump"))?;
    let new_dump = parse_dump(&json, &p.pending_json)?;
    let new = PageImage {
        issue: new_dump.issue.clone(),
        page: new_dump.page,
        raster: raster::read_png(&png, &p.pending_png)?,
        blocks: dump_blocks(&new_dump),
        dump: Some(new_dump),
    };
    let Some((reference, ref_json)) = read_reference(&p)? else {
        return Ok(format!("{name}: new snapshot (no reference yet)\n"));
    };
    let old = PageImage { raster: reference, dump: Some(parse_dump(&ref_json, &p.json)?), ..new.clone() };
    let result = super::compare(vec![old], vec![new], &opts()).remove(0);
    Ok(report::page(&result, DPI))
}

/// Makes the pending snapshot the reference.
pub fn accept(dir: &Path, name: &str) -> Result<()> {
    let p = paths(dir, name);
    for (from, to) in [(&p.pending_png, &p.png), (&p.pending_json, &p.json)] {
        if from.is_file() {
            fs::rename(from, to).map_err(|e| Error::io(e, to, "snapshot"))?;
        }
    }
    remove(&p.pending_diff)
}

/// Drops the pending snapshot, keeping the reference.
pub fn reject(dir: &Path, name: &str) -> Result<()> {
    let p = paths(dir, name);
    for f in [&p.pending_png, &p.pending_json, &p.pending_diff] {
        remove(f)?;
    }
    Ok(())
}
