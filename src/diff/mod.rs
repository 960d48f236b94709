//! Regression diffs of page output: pixels (what a reader sees) and
//! structure (what the layout did). `paiban diff`, `paiban snapshot` and the
//! snapshot tests all go through `compare`.

pub mod changes;
pub mod html;
pub mod pixels;
pub mod raster;
pub mod report;
pub mod snapshot;
pub mod structure;

use std::path::Path;

use crate::content::model::Issue;
use crate::error::{Error, Result};
use crate::layout::rounds::{Laid, PageMap};
use changes::PageChanges;
use pixels::{PixelDiff, RectMm};
use raster::Raster;
use structure::PageDump;

/// One page to compare: its image, the blocks on it (from the page map) and
/// its structural dump, when known.
#[derive(Debug, Clone)]
pub struct PageImage {
    pub issue: String,
    /// 1-based.
    pub page: usize,
    pub raster: Raster,
    /// (article, rectangle) of each block on this page.
    pub blocks: Vec<(String, RectMm)>,
    pub dump: Option<PageDump>,
}

impl PageImage {
    /// The pages of a laid-out issue, rendered at `dpi` with the proof renderer.
    pub fn from_laid(issue: &Issue, laid: &Laid, dpi: f64) -> Vec<PageImage> {
        let dumps = structure::dump(laid);
        laid.doc
            .pages()
            .iter()
            .zip(dumps)
            .enumerate()
            .map(|(i, (page, dump))| PageImage {
                issue: issue.file.id.clone(),
                page: i + 1,
                raster: raster::from_page(page, dpi),
                blocks: map_blocks(&laid.map, i + 1),
                dump: Some(dump),
            })
            .collect()
    }
}

fn map_blocks(map: &PageMap, page: usize) -> Vec<(String, RectMm)> {
    map.blocks
        .iter()
        .filter(|b| b.page == page)
        .map(|b| (b.article.clone(), [b.rect_mm.x, b.rect_mm.y, b.rect_mm.w, b.rect_mm.h]))
        .collect()
}

/// Blocks of `page` from a `<issue>.map.json` file (read leniently: only
/// the fields the diff needs).
pub fn read_map(path: &Path, page: usize) -> Result<Vec<(String, RectMm)>> {
    let bad = |what: String| {
        Error::input(format!("not a paiban page map: {what}"))
            .in_file(path)
            .hint("page maps are written by `paiban build` beside each PDF; rebuild, or remove the file to diff without articles")
    };
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(e, path, "page map"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let blocks = v["blocks"].as_array().ok_or_else(|| bad("no `blocks` list".into()))?;
    let mut out = Vec::new();
    for b in blocks {
        if b["page"].as_u64().unwrap_or(1) as usize != page {
            continue;
        }
        let r = &b["rect_mm"];
        let n = |k: &str| r[k].as_f64().ok_or_else(|| bad(format!("a block without rect_mm.{k}")));
        let article = b["article"].as_str().ok_or_else(|| bad("a block without `article`".into()))?;
        out.push((article.to_string(), [n("x")?, n("y")?, n("w")?, n("h")?]));
    }
    Ok(out)
}

/// How much difference is no difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// A pixel changed when a channel differs by more than this (0–255).
    pub channel: u8,
    /// A page is identical when at most this share of its pixels (per cent) changed.
    pub share: f64,
}

impl Default for Tolerance {
    /// Exact: on one machine, the same input renders the same pixels.
    fn default() -> Self {
        Self { channel: 0, share: 0.0 }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub dpi: f64,
    pub tolerance: Tolerance,
    pub masks: Vec<RectMm>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Identical,
    Changed,
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
}

/// The comparison of one page.
pub struct PageResult {
    pub issue: String,
    pub page: usize,
    pub status: Status,
    pub pixels: Option<PixelDiff>,
    /// Article of each block (index = `Region::owner`).
    pub owners: Vec<String>,
    pub changes: Option<PageChanges>,
    /// Kept for the diff images.
    pub old: Option<Raster>,
    pub new: Option<Raster>,
}

/// Pairs pages by issue and number and compares each pair.
pub fn compare(old: Vec<PageImage>, new: Vec<PageImage>, opts: &Options) -> Vec<PageResult> {
    let mut keys: Vec<(String, usize)> = old.iter().chain(&new).map(|p| (p.issue.clone(), p.page)).collect();
    keys.sort();
    keys.dedup();
    let mut old: Vec<Option<PageImage>> = old.into_iter().map(Some).collect();
    let mut new: Vec<Option<PageImage>> = new.into_iter().map(Some).collect();
    let take = |v: &mut Vec<Option<PageImage>>, k: &(String, usize)| {
        v.iter_mut()
            .find(|p| p.as_ref().is_some_and(|p| p.issue == k.0 && p.page == k.1))
            .and_then(Option::take)
    };
    keys.iter()
        .map(|k| {
            let (o, n) = (take(&mut old, k), take(&mut new, k));
            compare_page(k.0.clone(), k.1, o, n, opts)
        })
        .collect()
}

fn compare_page(
    issue: String,
    page: usize,
    o: Option<PageImage>,
    n: Option<PageImage>,
    opts: &Options,
) -> PageResult {
    let (o, n) = match (o, n) {
        (Some(o), Some(n)) => (o, n),
        (o, n) => {
            let status = if n.is_some() { Status::Added } else { Status::Removed };
            return PageResult {
                issue,
                page,
                status,
                pixels: None,
                owners: vec![],
                changes: None,
                old: o.map(|p| p.raster),
                new: n.map(|p| p.raster),
            };
        }
    };
    // Regions belong to the new page's blocks (the old page's when the new
    // one has no map).
    let blocks = if n.blocks.is_empty() { &o.blocks } else { &n.blocks };
    let rects: Vec<RectMm> = blocks.iter().map(|b| b.1).collect();
    let d = pixels::compare(&o.raster, &n.raster, opts.dpi, opts.tolerance.channel, &opts.masks, &rects);
    let changes = match (&o.dump, &n.dump) {
        (Some(a), Some(b)) => Some(changes::compare(a, b)),
        _ => None,
    };
    let changed = d.size_changed.is_some() || (d.changed > 0 && d.share() > opts.tolerance.share);
    PageResult {
        issue,
        page,
        status: if changed { Status::Changed } else { Status::Identical },
        pixels: Some(d),
        owners: blocks.iter().map(|b| b.0.clone()).collect(),
        changes,
        old: Some(o.raster),
        new: Some(n.raster),
    }
}
