//! The content lint on the real edition and on planted slips.

use crate::common::*;

#[test]
fn the_edition_reports_exactly_the_sources_unbalanced_quotes() {
    let o = paiban(&["lint", "content/xinchun-2018"], &root());
    assert!(o.status.success());
    let e = stderr(&o);
    let warnings: Vec<_> = e.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 2, "{e}");
    assert!(warnings.iter().all(|w| w.contains("yongjia.md:") && w.contains("unbalanced “”")), "{e}");
    assert!(warnings[0].contains("美好生活需求。”"), "{e}");
}

#[test]
fn planted_slips_are_found_with_file_line_and_text() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| {
        t.replacen("冰雪消融，万木皆春。", "冰雪消融,万木皆春。。", 1)
    });
    let o = paiban(&["lint", "content/ed", "--deny-warnings"], p.path());
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("chunan.md:15:5: warning: half-width `,`") && e.contains("冰雪消融,万木皆春"), "{e}");
    assert!(e.contains("chunan.md:15:10: warning: doubled punctuation `。。`"), "{e}");
}

#[test]
fn half_width_marks_between_chinese_characters_get_the_full_width_fix() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| {
        t.replacen("冰雪消融，万木皆春。", "冰雪消融.万木皆春;价格3.5元共4,000人见www.zjgrrb.com/a.b。", 1)
    });
    let o = paiban(&["lint", "content/ed"], p.path());
    let e = stderr(&o);
    assert!(e.contains("chunan.md:15:5: warning: half-width `.` in Chinese text; GB/T 15834 uses `。`"), "{e}");
    assert!(e.contains("chunan.md:15:10: warning: half-width `;` in Chinese text; GB/T 15834 uses `；`"), "{e}");
    let on_line: Vec<_> = e.lines().filter(|l| l.contains("chunan.md:15:") && l.contains("warning:")).collect();
    assert_eq!(on_line.len(), 2, "numbers and URLs pass:\n{e}");
}
