//! Headlines: a head too long for its block breaks where its phrases part,
//! and a phrase too wide for the block is set smaller, not broken.

use crate::common::*;
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

/// The headline's lines (bold runs above 12 pt), top to bottom, and their size.
fn head_lines(headline: &str, span: u32) -> (Vec<String>, f64) {
    let story = format!("+++\nkind = \"news\"\nheadline = \"{headline}\"\n+++\n\n一二三四五六七八九十。\n");
    let places = format!("[[place]]\narticle = \"story\"\ncolumn = 1\nspan = {span}\nline = 1\nlines = 30\n");
    let p = TempProject::single_issue(&[("story", story)], &places);
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap();
    // Below the page header: the block's own runs.
    let top = laid.grid.top;
    let mut runs: Vec<_> =
        laid.scans[0].runs.iter().filter(|r| r.y > top && r.weight >= 700 && r.size > 12.0).collect();
    runs.sort_by(|a, b| a.y.partial_cmp(&b.y).unwrap().then(a.x.partial_cmp(&b.x).unwrap()));
    let mut lines: Vec<(f64, String)> = Vec::new();
    for r in &runs {
        match lines.last_mut() {
            Some((y, t)) if (r.y - *y).abs() < 1.0 => t.push_str(&r.text),
            _ => lines.push((r.y, r.text.clone())),
        }
    }
    let size = runs.first().map_or(0.0, |r| r.size);
    (lines.into_iter().map(|(_, t)| t.replace(' ', "")).collect(), size)
}

#[test]
fn a_long_headline_breaks_between_its_phrases() {
    // Two columns (27 cells, 243 pt) hold neither the whole head at 26 pt
    // nor 开展职工权益保障 (8 × 26 pt = 208 pt fits; the whole does not).
    let (lines, size) = head_lines("完善工匠队伍 开展职工权益保障", 2);
    assert_eq!(lines, ["完善工匠队伍", "开展职工权益保障"], "size {size}");
    assert!((size - 26.0).abs() < 0.01, "{size}");
    // Where it fits, it stays one line.
    let (lines, _) = head_lines("完善工匠队伍 开展职工权益保障", 4);
    assert_eq!(lines, ["完善工匠队伍开展职工权益保障"]);
}

#[test]
fn a_phrase_too_wide_for_its_block_is_set_smaller_not_broken() {
    // One column (13 cells, 117 pt): 推进帮扶工作 at 26 pt is 156 pt; at
    // 117/156 × 26 = 19.5 pt it fits (the least is 18 pt).
    let (lines, size) = head_lines("推进帮扶工作 机制建设", 1);
    assert_eq!(lines, ["推进帮扶工作", "机制建设"], "size {size}");
    assert!((size - 19.5).abs() < 0.1, "{size}");
}
