//! Copyfit proposes the smallest accepted change and `build --copyfit`
//! applies it: the page then builds, with not a word of text changed.

use crate::common::*;

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
fn marks_keep_their_cells_so_copyfit_never_squeezes_them() {
    // 28 characters, every other one a comma: with 全身 marks the paragraph
    // takes 2 + 28 = 30 cells, three lines, each on the cells; copyfit
    // offers no 缩行 (it would squeeze the commas) for a page one line over.
    let para = format!("{}乙丙", "甲，".repeat(13));
    let body = |n: usize| vec![para.clone(); n].join("\n\n");
    let (_p, laid, _) = page(&body(1), 30, false, "");
    assert_eq!(laid.fits[0].used, 3);
    let head = laid.map.blocks[0].lines - laid.fits[0].lines_per_column;
    let (p, laid, report) = page(&body(14), head + 10, false, "");
    assert_eq!(laid.fits[0].used, 42, "{:?}", laid.fits);
    assert_eq!(report.articles[0].over, 2);
    let mut r = paiban::check::typography::TypoReport::default();
    paiban::check::typography::check(&laid, &mut r);
    assert_eq!(r.count(paiban::check::typography::Rule::OffCell), 0, "{:?}", r.violations);
    let out = stdout(&p.run(&["check", "content/ed", "--fit"]));
    assert!(!out.contains("缩行") && !out.contains("拉行"), "{out}");
}

#[test]
fn a_copyfitted_proof_checks_typography_on_the_copyfitted_page() {
    // `proof --copyfit --typography` (and `watch --copyfit`): the story is a
    // line over; copyfit moves its edge with `other` a line down.
    let p = stacked(22, 14);
    let fonts = paiban::typeset::fonts::FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = paiban::typeset::project::Project::open(p.path(), &fonts).unwrap();
    let issue = paiban::plan::place::edition(&p.edition(), &project.root).unwrap().issues.remove(0);
    let look = paiban::output::proof::ProofLook {
        dpi: 20.0,
        guides: false,
        fit: false,
        typography: true,
        copyfit: true,
        html: false,
        build: p.path().join("out"),
    };
    let out = p.path().join("proofs");
    std::fs::create_dir_all(&out).unwrap();
    let proof = paiban::output::proof::Proofer::once(None).issue(&project, &issue, &look, &out).unwrap();
    assert!(proof.overset.is_empty(), "{:?}", proof.overset);
    let story = proof.map.blocks.iter().find(|b| b.article == "story").unwrap();
    assert_eq!(story.lines, 15, "the page map is the copyfitted plan");
    // Every body line on the page was checked, in the blocks as laid out:
    // as many as the bodies take. Against the plan before copyfit, the
    // story's bottom line in each column fell outside its old block.
    let used: u32 = proof.fit.articles.iter().map(|a| a.used).sum();
    assert_eq!(proof.typo.lines, used as usize, "{:?}", proof.fit.articles);
    assert_eq!(proof.typo.lines_on_baseline_grid, proof.typo.lines);
}
