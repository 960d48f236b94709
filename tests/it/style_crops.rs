//! The 300 dpi crops in `layouts/crops/` that layouts/GRID.md shows: for
//! each house-style option, the same copy (the seed feature 瓜沥, real copy)
//! set both ways. Ignored: it writes into the source tree. Regenerate with
//!
//! ```text
//! cargo test --release --test it style_crops:: -- --ignored
//! ```
//!
//! Each pair is one column of body text (its first lines), and, where the
//! option is about the column's right edge, the gutter, the hairline and
//! the first cell of the neighbouring article. Grey, 8 bits.

use crate::common::*;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

const DPI: f64 = 300.0;
/// Body lines a crop shows.
const LINES: f64 = 16.0;

/// The seed feature's body (its front matter dropped).
fn copy() -> String {
    let text = std::fs::read_to_string(edition_dir().join("1/articles/guali.md")).unwrap();
    let body = &text[text.rfind("+++").unwrap() + 3..];
    body.trim().to_string()
}

/// `story` (one column, the copy) beside `next` (one column, ruled apart
/// by a hairline), in a house style; laid out as `build` lays it out.
fn lay_out(style: &str) -> (TempProject, Laid) {
    let story = format!("+++\nkind = \"news\"\nheadline = \"瓜沥\"\n+++\n\n{}\n", copy());
    let next = format!("+++\nkind = \"news\"\nheadline = \"邻栏\"\n+++\n\n{}\n", copy());
    let places = "[[place]]\narticle = \"story\"\ncolumn = 1\nspan = 1\nline = 1\nlines = 90\n\n[[place]]\narticle = \"next\"\ncolumn = 2\nspan = 1\nline = 1\nlines = 90\n";
    let p = TempProject::single_issue(&[("story", story), ("next", next)], places);
    p.edit("content/ed/edition.toml", |t| format!("{t}\n[style]\n{style}\n"));
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default())
        .unwrap_or_else(|e| panic!("[style] {style}: {e:?}"));
    (p, laid)
}

/// The story's body lines, top to bottom: baseline and text.
fn lines(laid: &Laid) -> Vec<(f64, String)> {
    let grid = &laid.grid;
    let part = paiban::plan::chain::parts(&laid.issue).into_iter().find(|p| p.place.article == "story").unwrap();
    let rect = grid.rect(part.place);
    let top = laid.scans[0].start(&part.key).expect("body start").y;
    let mut by_y: std::collections::BTreeMap<i64, String> = std::collections::BTreeMap::new();
    for r in &laid.scans[0].runs {
        if (r.size - grid.cell).abs() < 0.01 && r.y > top && r.x >= rect.x - 1.0 && r.x < rect.right() {
            by_y.entry((r.y * 100.0).round() as i64).or_default().push_str(&r.text);
        }
    }
    by_y.into_iter().map(|(y, t)| (y as f64 / 100.0, t)).collect()
}

/// Where two settings of the copy first part: a baseline a few lines above
/// the first line that differs, or `None` if every line is the same.
fn first_difference(a: &Laid, b: &Laid) -> Option<f64> {
    let (la, lb) = (lines(a), lines(b));
    let i = la.iter().zip(&lb).position(|(x, y)| x.1 != y.1)?;
    Some(la[i.saturating_sub(3)].0)
}

/// Writes the story's body lines from the one on `baseline` (and the
/// gutter, the rule and a cell of the neighbour) as a grey PNG.
fn crop(laid: &Laid, baseline: f64, file: &str) {
    let grid = &laid.grid;
    let page = &laid.doc.pages()[0];
    let pixmap = paiban::output::raster::render(page, DPI);
    let pw = pixmap.width() as usize;
    let grey: Vec<u8> = pixmap.data().chunks_exact(4).map(|p| p[1]).collect();
    let px = DPI / 72.0;
    let key = paiban::plan::chain::parts(&laid.issue).into_iter().find(|p| p.place.article == "story").unwrap().key;
    let rect = grid.rect(paiban::plan::chain::parts(&laid.issue).into_iter().find(|p| p.key == key).unwrap().place);
    // The top of the line box on `baseline`.
    let top = baseline - grid.ascent_em * grid.cell;
    // Half a cell of air at the left, the gutter and one cell at the right.
    let x0 = ((rect.x - grid.cell / 2.0) * px).round() as usize;
    let w = ((rect.w + grid.cell * (grid.gutter_chars as f64 + 1.5)) * px).round() as usize;
    let y0 = ((top - grid.gap / 2.0) * px).round() as usize;
    let h = (LINES * grid.pitch * px).round() as usize;
    let rows: Vec<u8> = (y0..y0 + h).flat_map(|y| grey[y * pw + x0..y * pw + x0 + w].to_vec()).collect();
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w as u32, h as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        enc.write_header().unwrap().write_image_data(&rows).unwrap();
    }
    let out = root().join("layouts/crops");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join(file), png).unwrap();
}

#[test]
#[ignore = "writes layouts/crops/ (the docs' pictures); run with --ignored to regenerate"]
fn house_style_crops_before_and_after() {
    let pairs = [
        ("kinsoku", "kinsoku = \"push-first\"", "kinsoku = \"squeeze-first\""),
        ("hanging", "hanging = \"always\"", "hanging = \"never\""),
        ("punctuation", "punctuation = \"half-at-line-end\"", "punctuation = \"full\""),
        ("runs", "runs = \"cells\"", "runs = \"proportional\""),
    ];
    for (name, other, default) in pairs {
        let (_p, before) = lay_out(other);
        let (_q, after) = lay_out(default);
        let at = first_difference(&before, &after).unwrap_or_else(|| panic!("{name}: both settings are the same"));
        if name == "hanging" {
            // What the crops show: marks hung over the hairline, reported.
            let near = |laid: &Laid| {
                let mut r = paiban::check::typography::TypoReport::default();
                paiban::check::typography::check(laid, &mut r);
                r.count(paiban::check::typography::Rule::NearRule)
            };
            assert!(near(&before) > 0);
            assert_eq!(near(&after), 0);
        }
        crop(&before, at, &format!("{name}-{}.png", other.split('"').nth(1).unwrap()));
        crop(&after, at, &format!("{name}-{}.png", default.split('"').nth(1).unwrap()));
    }
}
