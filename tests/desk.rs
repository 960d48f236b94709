//! What the layout desk sees while it works: `diff` after an ordinary copy
//! edit names only that edit (hung marks stay with their block, no no-op
//! changes), progress is printed issue by issue, and `watch` tells local
//! time.

mod common;

use common::*;

/// A copy edit that reflows a paragraph moves hung marks (行末悬挂); the
/// structural diff must file them under their block, never under the page
/// header, and must list no change that reads the same on both sides.
#[test]
fn a_copy_edit_reports_no_page_header_change_and_no_no_op() {
    let p = TempProject::new();
    let o = p.run(&["build", "content/ed", "--out", "a"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Every hung mark of the old page is inside a block's dump: the page
    // lines are the header's alone (above every block).
    let dump: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path().join("a/xinchun-1.layout.json")).unwrap()).unwrap();
    let top = dump["blocks"].as_array().unwrap().iter().map(|b| b["rect_mm"][1].as_f64().unwrap()).fold(f64::MAX, f64::min);
    let page_lines = dump["page_lines"].as_array().unwrap();
    assert!(!page_lines.is_empty(), "the header is there");
    for l in page_lines {
        assert!(l["y"].as_f64().unwrap() < top, "a line below the header filed under the page: {l}");
    }

    // Four characters into the second paragraph of chunan: 13 lines reflow.
    p.edit("content/ed/1/articles/chunan.md", |s| {
        let at = s.rfind("+++").unwrap();
        let (head, body) = s.split_at(at);
        let mut paras: Vec<String> = body.split("\n\n").map(String::from).collect();
        let chars: Vec<char> = paras[2].chars().collect();
        paras[2] = chars[..10].iter().chain("新增两字".chars().collect::<Vec<_>>().iter()).chain(chars[10..].iter()).collect();
        format!("{head}{}", paras.join("\n\n"))
    });
    let o = p.run(&["build", "content/ed", "--out", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = p.run(&["diff", "a", "b"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("chunan: paragraph 2 changed"), "{report}");
    assert!(report.contains("lines reflowed"), "{report}");
    assert!(!report.contains("page header"), "a copy edit reported as a header change:\n{report}");
    assert!(!report.contains("outside every block"), "hung marks' pixels filed under the page:\n{report}");
    for change in report.split(|c| c == ';' || c == '\n').filter_map(|s| s.split(" changed ").nth(1)) {
        let (a, b) = change.split_once('→').unwrap_or((change, ""));
        assert_ne!(a.trim(), b.trim(), "a no-op change listed:\n{report}");
    }
}
