//! Article text crosses into Typst as data: markup characters print
//! literally, nothing is evaluated.

use crate::common::*;
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

#[test]
fn markup_characters_print_literally() {
    let p = TempProject::new();
    let nasty = r##"价格#1 $x$ *重点* _强调_ <标签> @引用 \转义 #set text(red) [方括号] = 标题 // 注释 /* 块 */ `code`"##;
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("冰雪消融，", &format!("冰雪消融，{nasty}"), 1));
    p.edit("content/ed/1/articles/chunan.md", |t| {
        t.replacen("headline = \"稳步推进", "headline = \"#let x = 1 $稳步推进", 1)
    });
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), project.root.as_path()).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap();
    let text: String = laid.scans[0].runs.iter().map(|r| r.text.as_str()).collect();
    let flat = squash(&text);
    for piece in nasty.split(' ') {
        assert!(flat.contains(piece), "`{piece}` is not printed literally");
    }
    assert!(flat.contains("#letx=1$稳步推进"), "headline not literal");
}
