//! Copyfit proposes the smallest accepted change and `build --copyfit`
//! applies it: the page then builds, with not a word of text changed.

mod common;

use common::*;

const PARA: &str = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯";

/// Two stacked articles in columns 1–4: `story` (no photo) over `other`.
fn stacked(story_paras: usize, story_lines: u32) -> TempProject {
    let p = TempProject::new();
    let ed = p.edition();
    std::fs::remove_dir_all(ed.join("2")).unwrap();
    std::fs::write(ed.join("edition.toml"), "title = \"t\"\nissues = [\"1\"]\n").unwrap();
    let dir = ed.join("1/articles");
    for e in std::fs::read_dir(&dir).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    let body = |n: usize| vec![PARA; n].join("\n\n");
    std::fs::write(
        dir.join("story.md"),
        format!("+++\nkind = \"news\"\nheadline = \"标题\"\n+++\n\n{}\n", body(story_paras)),
    )
    .unwrap();
    std::fs::write(
        dir.join("other.md"),
        format!("+++\nkind = \"news\"\nheadline = \"另一篇\"\n+++\n\n{}\n", body(8)),
    )
    .unwrap();
    p.edit("content/ed/1/issue.toml", |t| {
        let head = &t[..t.find("[[place]]").unwrap()];
        format!(
            "{head}[[place]]\narticle = \"story\"\ncolumn = 1\nspan = 4\nline = 1\nlines = {story_lines}\n\n\
             [[place]]\narticle = \"other\"\ncolumn = 1\nspan = 4\nline = {}\nlines = 20\n",
            story_lines + 1
        )
    });
    p
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
