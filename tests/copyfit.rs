//! Copyfit proposes the smallest accepted change and `build --copyfit`
//! applies it: the page then builds, with not a word of text changed.

mod common;

use common::*;

const PARA: &str = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯";

/// Two stacked articles in columns 1–4: `story` (no photo) over `other`.
fn stacked(story_paras: usize, story_lines: u32) -> TempProject {
    let body = |n: usize| vec![PARA; n].join("\n\n");
    let story = format!("+++\nkind = \"news\"\nheadline = \"标题\"\n+++\n\n{}\n", body(story_paras));
    let other = format!("+++\nkind = \"news\"\nheadline = \"另一篇\"\n+++\n\n{}\n", body(8));
    let places = format!(
        "[[place]]\narticle = \"story\"\ncolumn = 1\nspan = 4\nline = 1\nlines = {story_lines}\n\n\
         [[place]]\narticle = \"other\"\ncolumn = 1\nspan = 4\nline = {}\nlines = 20\n",
        story_lines + 1
    );
    TempProject::single_issue(&[("story", story), ("other", other)], &places)
}

#[test]
fn an_overset_story_gets_a_boundary_move_and_builds() {
    // Head of a news story is 4 lines here; 10 body lines hold 40 column-lines
    // = 20 paragraphs; 22 paragraphs need 11 lines.
    let p = stacked(22, 14);
    let o = p.run(&["check", "content/ed", "--fit"]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("copyfit: xinchun-1: story: move the edge with other by 1 line(s), story grows"),
        "{out}"
    );
    let o = p.build(&["--copyfit"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("copyfit: xinchun-1: story: move the edge"), "{}", stderr(&o));
    // Without --copyfit the same page is refused.
    assert_eq!(p.build(&[]).status.code(), Some(2));
}

#[test]
fn an_overset_interview_gets_a_shorter_photo() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/yinzhou.md", |t| t + "\n一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑\n");
    let o = p.run(&["check", "content/ed", "--fit", "--json", "--issue", "xinchun-1"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["copyfit"][0];
    assert_eq!(c["article"], "yinzhou");
    assert_eq!(c["change"]["change"], "photo-lines", "{c}");
    let o = p.build(&["--copyfit", "--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn nothing_helps_a_story_thirty_lines_over() {
    let p = stacked(80, 14);
    let o = p.run(&["check", "content/ed", "--fit"]);
    assert!(stdout(&o).contains("story: Overset, no change found"), "{}", stdout(&o));
    assert_eq!(p.build(&["--copyfit"]).status.code(), Some(2));
}

#[test]
fn a_paragraph_pulled_back_one_line_by_squeezing_its_commas() {
    // Paragraphs of 28 characters, every other one a comma: Typst sets them
    // in three lines (11 + 13 + 4) rather than squeeze eight commas; with
    // the commas at half a cell they fit in two.
    let para = format!("{}乙丙", "甲，".repeat(13));
    let body = |n: usize| {
        let mut v = vec![para.clone(); n];
        v.push("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯".into());
        v.join("\n\n")
    };
    let (_p, laid, _) = page(&body(1), 30, false, "");
    let head = laid.map.blocks[0].lines - laid.fits[0].lines_per_column;
    // 13 × 3 + 2 = 41 column-lines in 4 × 10: one over.
    let (p, laid, report) = page(&body(13), head + 10, false, "");
    assert_eq!(laid.fits[0].used, 41, "{:?}", laid.fits);
    assert_eq!(report.articles[0].over, 1);
    let o = p.run(&["check", "content/ed", "--fit"]);
    let out = stdout(&o);
    assert!(out.contains("story: paragraph") && out.contains("缩行"), "{out}");
    let o = p.build(&["--copyfit"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("缩行"), "{}", stderr(&o));
}

#[test]
fn a_paragraph_pushed_out_one_line_by_letting_its_commas_out() {
    // 27 characters, every third a comma: Typst squeezes them into two lines.
    // Fourteen such paragraphs fill 4 columns × 7 of a 10-line body: three
    // lines short. One paragraph in three lines closes the hole to two.
    let para = "甲乙，".repeat(9);
    let (_p, laid, _) = page(&para, 30, false, "");
    assert_eq!(laid.fits[0].used, 2, "the fixture paragraph sets in two lines");
    let head = laid.map.blocks[0].lines - laid.fits[0].lines_per_column;
    let (p, _laid, report) = page(&vec![para.as_str(); 14].join("\n\n"), head + 10, false, "");
    assert_eq!((report.articles[0].status, report.articles[0].short), (paiban::report::Status::Underfull, 3));
    let o = p.run(&["check", "content/ed", "--fit"]);
    let out = stdout(&o);
    assert!(out.contains("story: paragraph") && out.contains("拉行"), "{out}");
}
