//! L-shaped blocks: an article placed as two rectangles; its text fills the
//! first, continues in the second, and nothing is lost or repeated.

use crate::common::*;
use paiban::content::model::{BodyBlock, Run};
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

/// chunan as an L: four columns under its head, then two columns below.
fn l_shaped(second_lines: u32) -> (TempProject, paiban::layout::rounds::Laid, paiban::content::model::Issue) {
    let p = TempProject::new();
    std::fs::remove_file(p.article("1", "wuxing")).unwrap();
    p.edit("content/ed/1/issue.toml", |t| {
        let t = t.replacen(
            "article = \"chunan\"\ncolumn = 1\nspan = 4\nline = 24\nlines = 27",
            &format!("article = \"chunan\"\ncolumn = 1\nspan = 4\nline = 24\nlines = 20\n\n[[place]]\narticle = \"chunan\"\ncolumn = 1\nspan = 2\nline = 44\nlines = {second_lines}"),
            1,
        );
        t.replacen("[[place]]\narticle = \"wuxing\"\ncolumn = 1\nspan = 4\nline = 51\nlines = 26\n", "", 1)
    });
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let issue = edition.issues[0].clone();
    let laid = rounds::lay_out(&project, &issue, LayoutOptions::default()).unwrap();
    (p, laid, issue)
}

fn body_text(issue: &paiban::content::model::Issue, id: &str) -> String {
    let a = issue.article(id).unwrap();
    squash(
        &a.body
            .iter()
            .map(|b| match b {
                BodyBlock::Paragraph { runs, .. } => runs
                    .iter()
                    .map(|r| match r {
                        Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } => text.clone(),
                        Run::Gap { .. } => "〔原文缺失〕".into(),
                        Run::Break => String::new(),
                    })
                    .collect(),
                BodyBlock::Subhead { text, .. } => text.clone(),
            })
            .collect::<String>(),
    )
}

#[test]
fn text_flows_from_the_first_rectangle_into_the_second() {
    let (_p, laid, issue) = l_shaped(19);
    assert!(laid.overset.is_empty(), "{:?}", laid.overset);
    let fits: Vec<_> = laid.fits.iter().filter(|f| f.article == "chunan").collect();
    assert_eq!(fits.len(), 2);
    // The first part is filled column by column, to its last line.
    assert_eq!(fits[0].used, fits[0].capacity, "{fits:?}");
    assert!(fits[1].used > 0 && fits[1].used <= fits[1].capacity, "{fits:?}");
    // Reading order: part one's columns, then part two's.
    let scan = &laid.scans[0];
    let mut got = String::new();
    for (key, place) in [("chunan", &issue.file.place[3]), ("chunan~2", &issue.file.place[4])] {
        let r = laid.grid.rect(place);
        let start = scan.start(key).unwrap().y;
        let n = place.span as f64;
        let step = (r.w + laid.grid.cell) / n;
        let mut runs: Vec<_> = scan
            .runs
            .iter()
            // A mark hanging after the last column's last cell starts at
            // the block's right edge.
            .filter(|t| t.x >= r.x - 0.5 && t.x < r.right() + 0.5 && t.y > start && t.y <= r.bottom())
            .collect();
        runs.sort_by(|a, b| {
            (((a.x - r.x + 0.5) / step).floor() as i64, (a.y * 4.0).round() as i64)
                .cmp(&(((b.x - r.x + 0.5) / step).floor() as i64, (b.y * 4.0).round() as i64))
                .then(a.x.partial_cmp(&b.x).unwrap())
        });
        got.push_str(&runs.iter().map(|t| t.text.as_str()).collect::<String>());
    }
    assert_eq!(squash(&got), body_text(&issue, "chunan"));
    // The page map shows both parts.
    let parts: Vec<_> =
        laid.map.blocks.iter().filter(|b| b.article == "chunan").map(|b| (b.part, b.parts)).collect();
    assert_eq!(parts, vec![(1, 2), (2, 2)]);
}

#[test]
fn a_second_rectangle_too_small_is_overset() {
    let (_p, laid, _) = l_shaped(7);
    assert_eq!(laid.overset.len(), 1, "{:?}", laid.overset);
    assert_eq!(laid.overset[0].article, "chunan");
    assert!(laid.overset[0].lines >= 5, "{:?}", laid.overset);
}

#[test]
fn an_l_shaped_article_is_set_on_the_cells_like_a_single_block() {
    // The chain is planned as one text (both parts are 13 cells wide): the
    // split falls at a planned line's end and no line leaves the cells.
    let (_p, laid, issue) = l_shaped(19);
    assert!(laid.overset.is_empty(), "{:?}", laid.overset);
    let mut r = paiban::check::typography::TypoReport::default();
    paiban::check::typography::check(&laid, &mut r);
    let chunan: Vec<_> =
        r.violations.iter().filter(|v| v.article == "chunan").map(|v| v.describe()).collect();
    assert!(chunan.is_empty(), "{chunan:#?}");
    // Both parts have body lines, and the second starts with no empty line:
    // its first line is on the part's first body line.
    let scan = &laid.scans[0];
    let second = laid.grid.rect(&issue.file.place[4]);
    let start = scan.start("chunan~2").unwrap().y;
    let first_y = scan
        .runs
        .iter()
        .filter(|t| t.x >= second.x - 0.5 && t.x < second.right() && t.y > start && t.y <= second.bottom())
        .map(|t| t.y)
        .fold(f64::INFINITY, f64::min);
    assert!(first_y - start < laid.grid.pitch, "first line {first_y} vs start {start}");
}

#[test]
fn the_chain_is_threaded_first_and_the_rounds_say_so() {
    use paiban::layout::rounds::Round;
    let (_p, laid, _) = l_shaped(19);
    // The first part's end is measured once, before any line is fixed,
    // and the text after it is what the second part sets.
    let threads: Vec<_> = laid
        .rounds
        .iter()
        .take_while(|r| matches!(r, Round::Thread { .. }))
        .map(|r| match r {
            Round::Thread { article, at } => (article.as_str(), *at),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(threads.len(), 1, "{:?}", laid.rounds);
    assert_eq!(threads[0].0, "chunan");
    assert!(laid.rounds[1..].iter().all(|r| !matches!(r, Round::Thread { .. } | Round::Mark)), "{:?}", laid.rounds);
    // The split is within the article's text.
    let printed: usize = laid.issue.article("chunan").unwrap().body.iter().map(paiban::plan::chain::block_len).sum();
    assert!(0 < threads[0].1 && threads[0].1 < printed, "{threads:?} of {printed}");
}
