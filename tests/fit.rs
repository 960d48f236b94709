//! Fit classification from the laid-out page: exactly full, one line over,
//! thirty lines over, an L-shaped block over, a block with a photo, an
//! underfull block — each with the right line count. And `check`/`build
//! --allow-overset` on the CLI.

mod common;

use common::*;
use paiban::layout::report::Status;
use paiban::layout::rounds::Laid;

/// N paragraphs of exactly 24 characters: two full 13-cell lines with the
/// 2-character indent (2 + 24 = 26), so every paragraph is exactly 2 lines.
fn paragraphs(n: usize) -> String {
    (0..n).map(|_| "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯").collect::<Vec<_>>().join("\n\n")
}

fn head_lines(laid: &Laid) -> u32 {
    let f = &laid.fits[0];
    let r = &laid.map.blocks[0];
    r.lines - f.lines_per_column
}

#[test]
fn exactly_full_one_over_thirty_over() {
    // Find the head height, then size the body to fill 4 columns × 10 lines.
    let (_p, laid, _) = page(&paragraphs(2), 30, false, "");
    let head = head_lines(&laid);
    let lines = head + 10;
    let (_p, laid, r) = page(&paragraphs(20), lines, false, "");
    assert_eq!((laid.fits[0].used, laid.fits[0].capacity), (40, 40));
    assert_eq!(r.articles[0].status, Status::Fits);
    assert_eq!((r.articles[0].over, r.articles[0].short), (0, 0));

    // One more paragraph of one 13-character line's worth: 41 column-lines.
    let body = paragraphs(20) + "\n\n一二三四五六七八九十甲";
    let (_p, laid, r) = page(&body, lines, false, "");
    assert_eq!(laid.fits[0].used, 41);
    assert_eq!(r.articles[0].status, Status::Overset);
    assert_eq!(r.articles[0].over, 1);

    // Thirty column-lines over.
    let (_p, _laid, r) = page(&paragraphs(35), lines, false, "");
    assert_eq!(r.articles[0].status, Status::Overset);
    assert_eq!(r.articles[0].over, 30);
}

#[test]
fn underfull_block_counts_the_hole() {
    let (_p, laid, _) = page(&paragraphs(2), 30, false, "");
    let head = head_lines(&laid);
    // 8 paragraphs = 16 column-lines = 4 per column, in a block with 10.
    let (_p, _laid, r) = page(&paragraphs(8), head + 10, false, "");
    assert_eq!(r.articles[0].status, Status::Underfull);
    assert_eq!(r.articles[0].short, 6);
}

#[test]
fn a_block_with_a_photo_counts_lines_below_the_photo() {
    let (_p, laid, _) = page(&paragraphs(2), 40, true, "");
    let head = head_lines(&laid);
    assert!(head >= 10, "the head holds the 10-line photo: {head}");
    let (_p, laid, r) = page(&paragraphs(20), head + 10, true, "");
    assert_eq!((laid.fits[0].used, laid.fits[0].capacity), (40, 40));
    assert_eq!(r.articles[0].status, Status::Fits);
    let (_p, _laid, r) = page(&paragraphs(22), head + 10, true, "");
    assert_eq!((r.articles[0].status, r.articles[0].over), (Status::Overset, 4));
}

#[test]
fn an_l_shaped_block_over() {
    let (_p, laid, _) = page(&paragraphs(2), 30, false, "");
    let head = head_lines(&laid);
    // First leg: 4 columns × 5 lines = 20; second leg: 2 columns × 5 = 10.
    let leg = "\n[[place]]\narticle = \"story\"\ncolumn = 1\nspan = 2\nline = 40\nlines = 5\n";
    let (_p, laid, r) = page(&paragraphs(15), head + 5, false, leg);
    assert_eq!(r.articles[0].parts, 2);
    assert_eq!(r.articles[0].available, 30);
    assert_eq!(r.articles[0].status, Status::Fits, "{:?}", laid.fits);
    let (_p, _laid, r) = page(&paragraphs(18), head + 5, false, leg);
    assert_eq!((r.articles[0].status, r.articles[0].over), (Status::Overset, 6));
}

#[test]
fn check_reports_and_allow_overset_builds_a_marked_proof() {
    let o = paiban(&["check", "content/xinchun-2018", "--json"], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["totals"]["overset"], 0);
    assert_eq!(v["totals"]["articles"], 13);
    assert!(
        v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["available"].as_u64().unwrap() >= a["used"].as_u64().unwrap())
    );

    let p = TempProject::new();
    p.edit("content/ed/1/articles/yinzhou.md", |t| t + "\n" + &paragraphs(3) + "\n");
    let o = p.run(&["check", "content/ed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("yinzhou") && stdout(&o).contains("Overset"), "{}", stdout(&o));
    let o = p.build(&["--allow-overset"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("yinzhou") && stderr(&o).contains("--allow-overset"), "{}", stderr(&o));
    assert!(p.path().join("out/xinchun-1.pdf").exists());
    let o = p.build(&["--allow-overset", "--final", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn overset_is_found_in_clipped_blocks_too() {
    // A layout that clips its blocks hides the run-on text from the eye,
    // not from the frames paiban measures.
    let p = TempProject::new();
    p.edit("layouts/page.typ", |t| {
        t.replacen(
            "block(width: pt(b.rect.w), height: pt(b.rect.h),",
            "block(clip: true, width: pt(b.rect.w), height: pt(b.rect.h),",
            1,
        )
    });
    p.edit("content/ed/1/articles/yongjia.md", |t| t + "\n" + &paragraphs(2) + "\n");
    let o = p.run(&["check", "content/ed", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(stdout(&o).lines().any(|l| l.contains("yongjia") && l.contains("Overset")), "{}", stdout(&o));
}
