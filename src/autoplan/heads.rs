//! Grid lines an article's head takes at a span, estimated from the rules
//! the layouts set heads by (`layouts/heads.typ`, `articles.typ`,
//! `photo.typ`), without Typst: sizes and least sizes from the house style
//! (`House::heads`, `layouts/style.typ`), leading from those files, every Chinese character an em wide, breaks only between words
//! (`words::segments`, as the build cuts them), a phrase too wide set
//! smaller down to its least size, then `snap` to whole grid lines.
//!
//! An estimate: the finalists are laid out by Typst, and the heads it
//! measured replace these figures (`verify`).

use crate::plan::grid::Grid;
use crate::content::model::{Article, ArticleKind};
use crate::plan::words;

/// Lines of air above and below a banner's or lead's text (the seed page
/// gives its banner and lead this much).
const TOP_AIR: u32 = 1;
/// The 待稿 stamp's clearance either side of a placeholder's headline (pt),
/// as `story-head` keeps it.
const STAMP_CLEARANCE: f64 = 72.0;
/// Least cells beside an interview's portrait for its person line and head.
pub const MIN_TEXT_CELLS: u32 = 8;

/// Width of a character in ems of its size: Chinese and full-width marks
/// one, Latin letters and digits a little over half, a space a quarter.
fn em(c: char) -> f64 {
    if c == ' ' {
        0.25
    } else if c.is_ascii() {
        0.6
    } else {
        1.0
    }
}

fn width(s: &str, size: f64) -> f64 {
    s.chars().map(em).sum::<f64>() * size
}

/// Lines `words` take at `size` in `avail` pt, broken only between words (a
/// whitespace word is a phrase boundary, dropped at a break); `None` when a
/// word is wider than the line.
fn word_lines(words: &[String], size: f64, avail: f64) -> Option<u32> {
    let mut lines = 0;
    let mut cur = 0.0;
    let mut space = 0.0;
    for w in words {
        if w.trim().is_empty() {
            space = width(w, size);
            continue;
        }
        let ww = width(w, size);
        if ww > avail + 0.01 {
            return None;
        }
        if lines == 0 {
            lines = 1;
            cur = ww;
        } else if cur + space + ww <= avail + 0.01 {
            cur += space + ww;
        } else {
            lines += 1;
            cur = ww;
        }
        space = 0.0;
    }
    Some(lines)
}

/// A head text set as `set-words` sets it: (lines, size), the size taken
/// down from `size` towards `least` when a phrase (or, below that, a word)
/// is too wide. `None` when it cannot be set at all.
fn set(words: &[String], size: f64, least: f64, shrink: bool, avail: f64) -> Option<(u32, f64)> {
    if words.iter().all(|w| w.trim().is_empty()) {
        return Some((0, size));
    }
    let mut size = size;
    if shrink {
        let mut widest: f64 = 0.0;
        let mut phrase = 0.0;
        for w in words {
            if w.trim().is_empty() {
                phrase = 0.0;
            } else {
                phrase += width(w, size);
                widest = widest.max(phrase);
            }
        }
        if widest > avail {
            size = least.max(size * avail / widest);
        }
    }
    let mut s = size;
    while s >= least - 0.001 {
        if let Some(n) = word_lines(words, s, avail) {
            return Some((n, s));
        }
        s = if s > least && s - 1.0 < least { least } else { s - 1.0 };
    }
    None
}

/// Height of a stack of text pieces (lines, size), each line an em box,
/// lines `leading` ems apart, pieces `spacing` pt apart plus what each adds.
fn stack(pieces: &[(u32, f64, f64)], leading: f64, spacing: f64) -> f64 {
    let set: Vec<_> = pieces.iter().filter(|p| p.0 > 0).collect();
    let mut h = 0.0;
    for (i, &&(n, size, before)) in set.iter().enumerate() {
        if i > 0 {
            h += spacing + before;
        }
        h += n as f64 * size + n.saturating_sub(1) as f64 * leading * size;
    }
    h
}

/// Whole grid lines a height takes with the gap under it (`snap`).
fn snap(grid: &Grid, h: f64) -> u32 {
    ((h + grid.gap) / grid.pitch - 0.001).ceil().max(1.0) as u32
}

/// Grid lines a photo takes with its caption (`photo-lines` and `photo`).
pub fn photo_lines(grid: &Grid, a: &Article, index: usize, seeds: &[String]) -> u32 {
    let ph = &a.meta.photos[index];
    let text = words::caption_text(&ph.caption, &ph.credit);
    if text.is_empty() {
        return ph.lines;
    }
    let size = grid.cell * 0.9;
    let caption = word_lines(&words::segments(&text, seeds), size, ph.cells as f64 * grid.cell).unwrap_or(2);
    ph.lines + caption.max(1)
}

/// Grid lines the head of `a` takes in a block `span` columns wide: for a
/// banner or lead the whole block (its text with air above and below), for
/// an editor's note the box's top inset, otherwise the head `snap` gives.
/// `None` when the head cannot be set at that width (a word wider than the
/// block at its least size, photos wider than the block, or no room beside
/// a portrait).
pub fn head_lines(grid: &Grid, house: &crate::typeset::house::House, a: &Article, span: u32) -> Option<u32> {
    let sizes = &house.heads;
    let cells = grid.span_chars(span);
    let w = cells as f64 * grid.cell;
    let seeds = words::seeds(a);
    let cut = |s: &Option<String>| s.as_deref().map(|t| words::segments(t, &seeds)).unwrap_or_default();
    let byline = house.byline_text(&a.meta.byline, a.meta.byline_position);
    let byline_words =
        if a.meta.byline_position == crate::content::model::BylinePosition::Head { words::segments(&byline, &seeds) } else { vec![] };
    match a.meta.kind {
        ArticleKind::Banner => {
            // 楷体 tracked 0.3 em, between two rules 4 pt away.
            let size = sizes.banner;
            let text = width(a.meta.headline.as_deref().unwrap_or(""), size) * 1.3;
            (text <= w).then(|| snap(grid, size + 8.0 + 1.2) + 2 * TOP_AIR)
        }
        ArticleKind::Lead => {
            let (n, size) = set(&cut(&a.meta.headline), sizes.lead, sizes.lead_least, true, w)?;
            Some(snap(grid, stack(&[(n, size, 0.0)], grid.gap / size, 0.0)) + 2 * TOP_AIR)
        }
        // The box's top inset; its foot is counted as the body's.
        ArticleKind::EditorsNote => Some(1),
        ArticleKind::Interview => {
            let photo = a.meta.photos.first();
            let text_w = match photo {
                Some(ph) => {
                    if ph.cells + 1 + MIN_TEXT_CELLS > cells {
                        return None;
                    }
                    w - (ph.cells + 1) as f64 * grid.cell
                }
                None => w,
            };
            let (kn, ks) = set(&cut(&a.meta.kicker), sizes.interview_kicker, sizes.interview_kicker, false, text_w)?;
            let mut pieces = vec![(kn, ks, 0.0)];
            for p in &a.meta.person {
                let (n, s) = set(&words::segments(p, &seeds), sizes.interview_person, sizes.interview_person, false, text_w)?;
                pieces.push((n, s, 0.0));
            }
            let (hn, hs) = set(&cut(&a.meta.headline), sizes.interview, sizes.interview_least, true, text_w)?;
            pieces.push((hn, hs, 2.0));
            let (sn, ss) = set(&cut(&a.meta.subhead), sizes.interview_subhead, sizes.interview_subhead, false, text_w)?;
            pieces.push((sn, ss, 0.0));
            let (bn, bs) = set(&byline_words, grid.cell, grid.cell, false, text_w)?;
            pieces.push((bn, bs, 4.0));
            let text = stack(&pieces, 0.35, 0.35 * sizes.interview_person);
            let photo_h = photo.map_or(0.0, |_| photo_lines(grid, a, 0, &seeds) as f64 * grid.pitch - grid.gap);
            Some(snap(grid, text.max(photo_h)))
        }
        ArticleKind::Feature | ArticleKind::News => {
            let head_w = if a.placeholder { w - 2.0 * STAMP_CLEARANCE } else { w };
            let (kn, ks) = set(&cut(&a.meta.kicker), sizes.story_kicker, sizes.story_kicker, false, w)?;
            let (hn, hs) = set(&cut(&a.meta.headline), sizes.story, sizes.story_least, true, head_w.max(grid.cell))?;
            let (sn, ss) = set(&cut(&a.meta.subhead), sizes.story_subhead, sizes.story_subhead, false, w)?;
            let (bn, bs) = set(&byline_words, grid.cell, grid.cell, false, w)?;
            let text = stack(&[(kn, ks, 0.0), (hn, hs, 3.0), (sn, ss, 5.0), (bn, bs, 4.0)], 0.3, grid.gap);
            let head = snap(grid, text).max(4);
            if a.meta.photos.is_empty() {
                return Some(head);
            }
            // Photos in a row under the head, a cell apart.
            let row: u32 = a.meta.photos.iter().map(|p| p.cells).sum::<u32>() + a.meta.photos.len() as u32 - 1;
            if row > cells {
                return None;
            }
            let tallest = (0..a.meta.photos.len()).map(|i| photo_lines(grid, a, i, &seeds)).max().unwrap_or(0);
            Some(head + tallest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_break_between_words_and_shrink_to_the_least_size() {
        let w = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // Four characters at 10 pt in 25 pt: two lines of two.
        assert_eq!(word_lines(&w(&["新春", "快乐"]), 10.0, 25.0), Some(2));
        assert_eq!(word_lines(&w(&["新春快乐"]), 10.0, 25.0), None);
        // A phrase of 8 at 19 pt in 120 pt shrinks to 15 pt, one line.
        let (n, s) = set(&w(&["稳步", "推进", "工会", "改革"]), 19.0, 14.0, true, 120.0).unwrap();
        assert_eq!(n, 1);
        assert!((s - 15.0).abs() < 0.01, "{s}");
    }
}
