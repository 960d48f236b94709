//! Every character prints from a real glyph: rare name characters (CJK Ext
//! A, Ext B) print from the fallback faces of the same design, a character
//! no bundled font has is a warning with file, line, column and code point
//! (and refused by `build --final`), and every role covers the whole
//! 通用规范汉字表.

use crate::common::*;
use paiban::check::glyphs;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;
use typst::layout::{Frame, FrameItem};

/// 䶮 U+4DAE (Ext A; no. 6814 of the 通用规范汉字表, a name character).
const EXT_A: char = '䶮';
/// 𠇔 U+201D4 (Ext B), which Noto CJK and WenKai have.
const EXT_B: char = '𠇔';
/// 㐆 U+3406 (Ext A), which Noto CJK has and LXGW WenKai does not: a 楷体
/// byline prints it from the nearest design that has it (Noto Serif).
const NOT_IN_KAI: char = '㐆';
/// 𰀀 U+30000 (Ext G), which no bundled font has.
const NOWHERE: char = '\u{30000}';

fn rare_article() -> String {
    format!(
        "+++\nkind = \"interview\"\nperson = [\"某县总工会主席刘{EXT_A}：\"]\nheadline = \"刘{EXT_A}谈{EXT_B}字\"\n\
         byline = [{{ role = \"记者\", name = \"王{EXT_A}\" }}, {{ role = \"通讯员\", name = \"李{NOT_IN_KAI}\" }}]\n+++\n\n\
         刘{EXT_A}说，名字里的{EXT_B}字和{NOWHERE}字，报纸都要印得出来。\n"
    )
}

const PLACE: &str = "[[place]]\narticle = \"rare\"\ncolumn = 1\nspan = 4\nline = 1\nlines = 20\n";

fn rare_project() -> TempProject {
    TempProject::single_issue(&[("rare", rare_article())], PLACE)
}

fn lay_out(p: &TempProject) -> (paiban::content::model::Edition, Laid, Project) {
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap();
    (edition, laid, project)
}

/// Every printed glyph: (character, glyph id, family, weight).
fn glyphs_of(frame: &Frame, out: &mut Vec<(String, u16, String, u16)>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => glyphs_of(&g.frame, out),
            FrameItem::Text(t) => {
                let info = t.font.info();
                for g in &t.glyphs {
                    out.push((
                        t.text[g.range()].to_string(),
                        g.id,
                        info.family.clone(),
                        info.variant.weight.to_number(),
                    ));
                }
            }
            _ => {}
        }
    }
}

fn faces_for(laid: &Laid, c: char) -> Vec<(u16, String, u16)> {
    let mut all = Vec::new();
    for p in laid.doc.pages() {
        glyphs_of(&p.frame, &mut all);
    }
    all.into_iter().filter(|g| g.0 == c.to_string()).map(|g| (g.1, g.2, g.3)).collect()
}

#[test]
fn rare_name_characters_print_real_glyphs_from_the_fallback_faces() {
    let p = rare_project();
    let (_, laid, _) = lay_out(&p);
    // 䶮 is in the person line (黑体 bold), the headline (标宋), a byline
    // (楷体) and the body (书宋): each from its own design's rare face.
    let mut a = faces_for(&laid, EXT_A);
    a.sort();
    a.dedup();
    let want = |f: &str, w: u16| a.iter().any(|(id, fam, wt)| *id != 0 && fam == f && *wt == w);
    assert!(a.iter().all(|(id, ..)| *id != 0), "{EXT_A} as .notdef: {a:?}");
    assert!(want("Noto Sans CJK SC Rare", 700), "person line: {a:?}");
    assert!(want("Noto Serif CJK SC Rare", 700), "headline: {a:?}");
    assert!(want("Paiban WenKai Rare", 400), "byline: {a:?}");
    assert!(want("Noto Serif CJK SC Rare", 400), "body: {a:?}");
    assert_eq!(a.len(), 4, "four faces, one per role: {a:?}");
    // 𠇔 (Ext B) in the headline and the body.
    let b = faces_for(&laid, EXT_B);
    assert_eq!(b.len(), 2, "{b:?}");
    assert!(b.iter().all(|(id, fam, _)| *id != 0 && fam == "Noto Serif CJK SC Rare"), "{b:?}");
    // 㐆 in a 楷体 byline: WenKai lacks it; the nearest design prints it.
    let k = faces_for(&laid, NOT_IN_KAI);
    assert!(
        !k.is_empty() && k.iter().all(|(id, fam, _)| *id != 0 && fam == "Noto Serif CJK SC Rare"),
        "{k:?}"
    );
    // The character no font has is the only .notdef on the page, and the
    // frame check finds it in the article's block.
    let tofu = glyphs::tofu(&laid);
    assert_eq!(tofu.len(), 1, "{tofu:?}");
    assert_eq!(tofu[0].text, NOWHERE.to_string());
    assert_eq!(tofu[0].article.as_deref(), Some("rare"));
    assert_eq!(tofu[0].page, 1);
    assert!(tofu[0].describe().contains("U+30000"), "{}", tofu[0].describe());
}

#[test]
fn the_check_before_layout_names_file_line_column_and_code_point() {
    let p = rare_project();
    let (edition, _, project) = lay_out(&p);
    let m = glyphs::check_edition(project.fonts.store.book(), &project.house.fonts, &edition);
    // Only the character no font has; the rare ones are covered.
    assert_eq!(m.len(), 1, "{m:?}");
    let text = rare_article();
    let (n, line) = text.lines().enumerate().find(|(_, l)| l.contains(NOWHERE)).unwrap();
    let col = line.chars().position(|c| c == NOWHERE).unwrap() + 1;
    assert_eq!((m[0].location.line, m[0].location.column), (Some(n + 1), Some(col)));
    assert!(m[0].location.file.ends_with("articles/rare.md"));
    assert_eq!((m[0].ch, m[0].field.as_str(), m[0].code_point().as_str()), (NOWHERE, "body", "U+30000"));
}

#[test]
fn a_missing_character_is_a_warning_and_the_pdf_is_written() {
    let p = rare_project();
    let o = p.build(&[]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    let text = rare_article();
    let (n, line) = text.lines().enumerate().find(|(_, l)| l.contains(NOWHERE)).unwrap();
    let col = line.chars().position(|c| c == NOWHERE).unwrap() + 1;
    let at = format!("articles/rare.md:{}:{col}: warning: `{NOWHERE}` U+30000 in the body of `rare`", n + 1);
    assert!(e.contains(&at), "no `{at}` in:\n{e}");
    assert!(e.contains("hint: no bundled font has"), "{e}");
    // The frame check says it too, with page and article.
    assert!(e.contains("warning: tofu: issue `xinchun-1`, page 1, article `rare`"), "{e}");
    // Covered rare characters are not reported.
    assert!(!e.contains("U+4DAE") && !e.contains("U+201D4") && !e.contains("U+3406"), "{e}");
    assert!(p.path().join("out/xinchun-1.pdf").exists());
    // --deny-warnings fails on it.
    let o = p.build(&["--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn final_refuses_a_character_no_font_has_and_writes_nothing() {
    let p = rare_project();
    let o = p.build(&["--final"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("U+30000") && e.contains("articles/rare.md:") && e.contains("hint:"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    let out = p.path().join("out");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().count() == 0, "nothing may be written");
    // Without it the same page prints (the rare characters alone pass --final).
    p.edit("content/ed/1/articles/rare.md", |t| t.replace(NOWHERE, "名"));
    let o = p.build(&["--final"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(!e.contains("tofu") && !e.contains("no glyph"), "{e}");
}

#[test]
fn a_missing_character_in_a_front_matter_field_is_located_there() {
    let article = rare_article().replace("主席刘", &format!("主席{NOWHERE}"));
    let p = TempProject::single_issue(&[("rare", article.clone())], PLACE);
    let o = p.build(&[]);
    let e = stderr(&o);
    let (n, line) = article.lines().enumerate().find(|(_, l)| l.starts_with("person")).unwrap();
    let col = line.chars().position(|c| c == NOWHERE).unwrap() + 1;
    let at = format!(
        "articles/rare.md:{}:{col}: warning: `{NOWHERE}` U+30000 in the person of `rare` has no glyph in 粗黑",
        n + 1
    );
    assert!(e.contains(&at), "no `{at}` in:\n{e}");
}

#[test]
fn coverage_is_complete_for_the_tongyong_guifan_table_in_every_role() {
    let o = paiban(&["fonts", "--coverage"], &root());
    let s = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(s.contains("GB 2312: 6,763 hanzi"), "{s}");
    assert!(s.contains("通用规范汉字表: 8,105 characters"), "{s}");
    assert!(s.contains("GBK: 21,003 hanzi positions"), "{s}");
    let roles: Vec<&str> = s.lines().filter(|l| l.contains(" (weight ")).collect();
    assert_eq!(roles.len(), 5, "{s}");
    let full = s
        .lines()
        .filter(|l| l.trim_start().starts_with("通用规范汉字表") && l.contains("8,105 of  8,105  100.00 %"));
    assert_eq!(full.count(), 5, "every role prints the whole table:\n{s}");
    let gb = s
        .lines()
        .filter(|l| l.trim_start().starts_with("GB 2312") && l.contains("6,763 of  6,763  100.00 %"));
    assert_eq!(gb.count(), 5, "{s}");
    // 楷体 takes the table from WenKai itself; the Song and Hei roles show
    // how many of it came from their rare faces.
    assert!(s.contains("Noto Serif CJK SC Rare"), "{s}");
}

#[test]
fn the_seed_edition_has_no_missing_character_and_no_tofu() {
    let m = glyphs::check_edition(project().fonts.store.book(), &project().house.fonts, edition());
    assert!(m.is_empty(), "{m:?}");
    for l in laid() {
        let t = glyphs::tofu(l);
        assert!(t.is_empty(), "{t:?}");
    }
}
