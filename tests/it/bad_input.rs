//! Bad input, one case per class: exit code 2, the file (and line and column
//! where there is one), what was expected, a hint, and nothing written.

use crate::common::*;

/// Runs a build that must fail; returns stderr after the common checks.
fn fails(p: &TempProject, needles: &[&str]) -> String {
    let o = p.build(&[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr:\n{e}");
    for n in needles {
        assert!(e.contains(n), "stderr lacks `{n}`:\n{e}");
    }
    assert!(e.contains("hint:"), "no hint:\n{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert!(!p.path().join("out/xinchun-1.pdf").exists(), "nothing may be written");
    e
}

fn set_front(p: &TempProject, article: &str, from: &str, to: &str) {
    p.edit(&format!("content/ed/1/articles/{article}.md"), |t| {
        assert!(t.contains(from), "fixture lacks {from}");
        t.replacen(from, to, 1)
    });
}

#[test]
fn the_unchanged_copy_builds() {
    let p = TempProject::new();
    let o = p.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(p.path().join("out/xinchun-1.pdf").exists());
}

#[test]
fn toml_syntax_error_names_line_and_column() {
    let p = TempProject::new();
    set_front(&p, "chunan", "headline = \"稳步", "headline = 稳步");
    fails(&p, &["1/articles/chunan.md:4:", "TOML syntax"]);
}

#[test]
fn unknown_field_is_rejected_with_the_accepted_names() {
    let p = TempProject::new();
    set_front(&p, "chunan", "headline =", "headlne =");
    fails(&p, &["chunan.md:4:1", "unknown field `headlne`", "headline"]);
}

#[test]
fn missing_required_field_names_file_and_field() {
    let p = TempProject::new();
    set_front(&p, "chunan", "kind = \"interview\"\n", "");
    fails(&p, &["chunan.md", "missing field `kind`"]);
    let p = TempProject::new();
    p.edit("content/ed/1/issue.toml", |t| t.replacen("page_name = \"工会\"\n", "", 1));
    fails(&p, &["1/issue.toml", "missing field `page_name`"]);
    let p = TempProject::new();
    set_front(&p, "yinzhou", "headline = \"改革创新不停顿 服务职工不停步\"\n", "");
    fails(&p, &["yinzhou.md", "missing field `headline`"]);
}

#[test]
fn wrong_type_is_explained() {
    let p = TempProject::new();
    p.edit("content/ed/1/issue.toml", |t| t.replacen("page_number = 3", "page_number = \"三\"", 1));
    fails(&p, &["1/issue.toml:", "invalid type", "type"]);
}

#[test]
fn empty_headline() {
    let p = TempProject::new();
    set_front(&p, "chunan", "headline = \"稳步推进工会改革 做优做强工作品牌\"", "headline = \"  \"");
    fails(&p, &["chunan.md:4:1", "headline is empty"]);
}

#[test]
fn placed_article_nobody_wrote() {
    let p = TempProject::new();
    std::fs::remove_file(p.article("1", "wuxing")).unwrap();
    fails(&p, &["1/issue.toml:", "places article `wuxing`, but nobody wrote it"]);
}

#[test]
fn written_article_never_placed() {
    let p = TempProject::new();
    std::fs::write(p.article("1", "extra"), "+++\nkind = \"news\"\nheadline = \"多余\"\n+++\n正文。\n")
        .unwrap();
    fails(&p, &["extra.md", "never placed"]);
}

#[test]
fn two_articles_in_one_grid_cell() {
    let p = TempProject::new();
    p.edit("content/ed/1/issue.toml", |t| t.replacen("line = 24\n", "line = 20\n", 1));
    fails(&p, &["1/issue.toml:", "share grid cells", "editors-note"]);
}

#[test]
fn block_outside_the_page() {
    let p = TempProject::new();
    p.edit("content/ed/1/issue.toml", |t| {
        t.replacen("column = 5\nspan = 4\nline = 66", "column = 6\nspan = 4\nline = 66", 1)
    });
    fails(&p, &["1/issue.toml:", "outside the page grid", "8 columns"]);
}

fn with_photo(p: &TempProject, file: &str) {
    set_front(p, "chunan", "caption = \"\"", &format!("file = \"{file}\"\ncaption = \"\""));
}

#[test]
fn photo_file_missing() {
    let p = TempProject::new();
    with_photo(&p, "wang.jpg");
    fails(&p, &["chunan.md:", "photo `chunan-portrait`", "not found"]);
}

#[test]
fn photo_not_an_image_or_truncated() {
    let p = TempProject::new();
    std::fs::write(p.article("1", "chunan").with_file_name("wang.jpg"), b"not a jpeg at all").unwrap();
    with_photo(&p, "wang.jpg");
    fails(&p, &["chunan.md:", "neither JPEG nor PNG"]);
    let p = TempProject::new();
    std::fs::write(
        p.article("1", "chunan").with_file_name("wang.jpg"),
        [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F'],
    )
    .unwrap();
    with_photo(&p, "wang.jpg");
    fails(&p, &["chunan.md:", "truncated"]);
}

#[test]
fn photo_path_escaping_the_root() {
    for path in ["../../../../../../etc/passwd", "/etc/passwd"] {
        let p = TempProject::new();
        with_photo(&p, path);
        fails(&p, &["chunan.md:", "outside the project root"]);
    }
    let p = TempProject::new();
    std::os::unix::fs::symlink("/etc/hostname", p.article("1", "chunan").with_file_name("link.jpg")).unwrap();
    with_photo(&p, "link.jpg");
    fails(&p, &["chunan.md:", "outside the project root"]);
}

#[test]
fn typst_error_in_a_layout_names_the_layout_line() {
    let p = TempProject::new();
    p.edit("layouts/heads.typ", |t| t.replacen("#let kai-line(", "#let kai-line = (\n#let broken(", 1));
    let e = fails(&p, &["layouts/heads.typ", "failed to compile"]);
    assert!(e.contains("┌─ layouts/heads.typ:"), "{e}");
}

#[test]
fn unknown_font_family_in_a_layout_is_an_error_naming_the_line() {
    let p = TempProject::new();
    p.edit("layouts/heads.typ", |t| {
        t.replacen("fonts.kai, size: head-size(\"banner\")", "(\"No Such Kai\",), size: head-size(\"banner\")", 1)
    });
    // The line and column of the font list's opening parenthesis.
    let typ = std::fs::read_to_string(root().join("layouts/heads.typ")).unwrap();
    let (n, line) = typ.lines().enumerate().find(|(_, l)| l.contains("fonts.kai, size: head-size(\"banner\")")).unwrap();
    let at = format!("layouts/heads.typ:{}:{}", n + 1, line.find("fonts.kai, size").unwrap() + 1);
    let e = fails(&p, &[&at, "unknown font family `no such kai`", "Noto Serif CJK SC"]);
    assert!(e.contains("Paiban WenKai") && e.contains("paiban fonts"), "the hint lists the families: {e}");
}

#[test]
fn a_layout_reading_through_a_symlink_out_of_the_root() {
    let p = TempProject::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.typ"), "#let x = 1\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.typ"), p.path().join("layouts/x.typ")).unwrap();
    p.edit("layouts/page.typ", |t| format!("#import \"x.typ\": x\n{t}"));
    let e = fails(&p, &["layouts/page.typ:1:", "access denied"]);
    assert!(e.contains("inside the project root"), "{e}");
}

#[test]
fn edition_that_does_not_exist() {
    let p = TempProject::new();
    let o = p.run(&["build", "content/nope", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("content/nope") && e.contains("does not exist") && e.contains("hint:"), "{e}");
}

#[test]
fn output_folder_that_cannot_be_written() {
    let p = TempProject::new();
    std::fs::write(p.path().join("out"), b"a file, not a folder").unwrap();
    let e = fails(&p, &["out", "output folder"]);
    assert_eq!(std::fs::read(p.path().join("out")).unwrap(), b"a file, not a folder", "left as it was");
    assert!(!e.contains("internal error"), "{e}");
}

#[test]
fn unclosed_gap_marker_and_missing_front_matter() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("冰雪消融", "[[gap: 缺 冰雪消融", 1));
    fails(&p, &["chunan.md:15:1", "gap marker is not closed"]);
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("+++\n", "", 1));
    fails(&p, &["chunan.md:1:1", "front matter"]);
}

#[test]
fn a_failed_build_leaves_the_previous_pdf_intact() {
    let p = TempProject::new();
    assert!(p.build(&[]).status.success());
    let before = std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap();
    // Break issue (二) only: issue (一) must not be rewritten either.
    p.edit("content/ed/2/issue.toml", |t| t.replacen("page_number = 3", "page_number = x", 1));
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap(), before);
    let stray: Vec<_> = std::fs::read_dir(p.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.starts_with(".paiban"))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

#[test]
fn appending_a_paragraph_to_any_interview_makes_the_build_fail_and_name_it() {
    for id in ["chunan", "yinzhou", "yongjia", "wuxing", "yuecheng"] {
        let p = TempProject::new();
        p.edit(&format!("content/ed/1/articles/{id}.md"), |t| {
            let extra = "这是为检验溢出而追加的一段文字，它让本文超出版面上为它留出的位置，构建必须失败并指出文章。再加一句，使它至少多出一行以上的篇幅。";
            format!("{t}\n{extra}{extra}\n")
        });
        let e = fails(&p, &["overset", id]);
        assert!(e.contains(&format!("  {id}: ")) && e.contains("did not fit"), "{e}");
    }
}

#[test]
fn a_build_failing_half_way_leaves_the_previous_pdf_byte_for_byte() {
    let p = TempProject::new();
    assert!(p.build(&[]).status.success());
    let before = std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap();
    let map_before = std::fs::read(p.path().join("out/xinchun-1.map.json")).unwrap();
    // Issue (一) changes and lays out fine; issue (二) loads, then runs over
    // when laid out: the failure comes after (一) was laid out and exported.
    p.edit("content/ed/1/issue.toml", |t| t.replacen("page_number = 3", "page_number = 4", 1));
    let plan = std::fs::read_to_string(p.path().join("content/ed/2/articles/slot-1.md")).unwrap();
    let chars = plan
        .split("chars = ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .expect("placeholder size")
        .to_string();
    p.edit("content/ed/2/articles/slot-1.md", |t| t.replacen(&format!("chars = {chars}"), "chars = 5000", 1));
    let o = p.build(&[]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    assert!(e.contains("overset") && e.contains("slot-1"), "{e}");
    assert!(std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap() == before, "PDF rewritten");
    assert!(std::fs::read(p.path().join("out/xinchun-1.map.json")).unwrap() == map_before);
    // The change alone would have rewritten it: the test can fail.
    p.edit("content/ed/2/articles/slot-1.md", |t| t.replacen("chars = 5000", &format!("chars = {chars}"), 1));
    assert!(p.build(&[]).status.success());
    assert!(std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap() != before);
}

#[test]
fn a_toml_error_shows_the_source_line_with_a_caret_and_a_plain_words_hint() {
    let p = TempProject::new();
    p.edit("content/ed/1/issue.toml", |t| {
        let line = t.lines().find(|l| l.starts_with("date = ")).unwrap().to_string();
        t.replacen(&line, "date = 2018年2月13日", 1)
    });
    let e = fails(&p, &["1/issue.toml:", "a date is written 2018-02-13"]);
    // First line as before: path:line:col: error: message.
    let first = e.lines().next().unwrap();
    assert!(first.contains("1/issue.toml:") && first.contains(": error: "), "{e}");
    // Then the source line and a caret under the column the first line names.
    let col: usize = first.split(':').nth(2).unwrap().parse().unwrap();
    let lines: Vec<&str> = e.lines().collect();
    let src = lines.iter().position(|l| l.contains("│ date = 2018年2月13日")).expect("source line shown");
    let caret = lines[src + 1];
    let bar = caret.find('│').unwrap();
    let src_bar = lines[src].find('│').unwrap();
    assert_eq!(bar, src_bar, "{e}");
    // Display columns after the bar: the caret sits under the column's character.
    let before: String = lines[src][src_bar + '│'.len_utf8() + 1..].chars().take(col - 1).collect();
    let width: usize = before.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    let caret_at = caret[bar + '│'.len_utf8() + 1..].find('^').expect("a caret");
    assert_eq!(caret_at, width, "{e}");
}

#[test]
fn full_width_toml_syntax_is_named_with_the_half_width_fix() {
    for (from, to, needle) in [
        ("page_number = 3", "page_number ＝ 3", "a full-width ＝ (U+FF1D) where TOML needs ="),
        ("page_name = \"工会\"", "page_name = “工会”", "a full-width “ (U+201C) where TOML needs \""),
        ("[[place]]", "［[place]]", "a full-width ［ (U+FF3B) where TOML needs ["),
    ] {
        let p = TempProject::new();
        p.edit("content/ed/1/issue.toml", |t| {
            assert!(t.contains(from), "fixture lacks {from}");
            t.replacen(from, to, 1)
        });
        let e = fails(&p, &[needle, "half-width"]);
        // The column points at the full-width mark itself.
        let line_no: usize = e.lines().next().unwrap().split(':').nth(1).unwrap().parse().unwrap();
        let col: usize = e.lines().next().unwrap().split(':').nth(2).unwrap().parse().unwrap();
        let text = std::fs::read_to_string(p.path().join("content/ed/1/issue.toml")).unwrap();
        let at = text.lines().nth(line_no - 1).unwrap().chars().nth(col - 1).unwrap();
        assert_eq!(at, to.chars().find(|c| !c.is_ascii() && "＝“［".contains(*c)).unwrap(), "{e}");
    }
    // Full-width marks inside quoted text are text, not syntax.
    let p = TempProject::new();
    set_front(&p, "chunan", "headline = \"稳步", "headline = \"“稳步”，");
    assert!(p.build(&[]).status.success());
}

#[test]
fn unknown_field_and_kind_say_did_you_mean() {
    let p = TempProject::new();
    set_front(&p, "chunan", "headline =", "headlne =");
    fails(&p, &["chunan.md:4:1", "did you mean `headline`?", "│ headlne ="]);
    let p = TempProject::new();
    set_front(&p, "chunan", "kind = \"interview\"", "kind = \"interveiw\"");
    fails(&p, &["unknown variant `interveiw`", "did you mean `interview`?"]);
    // Nothing close: no guess.
    let p = TempProject::new();
    set_front(&p, "chunan", "headline =", "zzzz =");
    let e = fails(&p, &["unknown field `zzzz`"]);
    assert!(!e.contains("did you mean"), "{e}");
}

#[test]
fn an_unknown_issue_is_bad_input_listing_the_ids_in_every_command() {
    let p = TempProject::new();
    for args in [
        vec!["build", "content/ed", "--issue", "nosuch"],
        vec!["check", "content/ed", "--issue", "nosuch"],
        vec!["proof", "content/ed", "--issue", "nosuch", "--out", "proofs"],
        vec!["preflight", "content/ed", "--issue", "nosuch"],
    ] {
        let o = if args[0] == "preflight" { paiban(&args, p.path()) } else { p.run(&args) };
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {e}");
        assert!(e.contains("no issue `nosuch` in this edition"), "{args:?}: {e}");
        assert!(e.contains("hint: the issues are: xinchun-1, xinchun-2"), "{args:?}: {e}");
        assert!(!p.path().join("proofs/xinchun-1-p1.png").exists());
    }
}

#[test]
fn deny_warnings_lists_the_warnings_that_failed_the_build() {
    let p = TempProject::new();
    let o = p.build(&["--deny-warnings", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let tail: Vec<&str> = e.lines().skip_while(|l| !l.starts_with("error: ")).collect();
    assert!(tail.first().is_some_and(|l| l.starts_with("error: 2 warning(s) denied by --deny-warnings:")), "{e}");
    assert_eq!(tail.len(), 3, "{e}");
    assert!(tail[1..].iter().all(|l| l.contains("yongjia.md:") && l.contains("unbalanced")), "{e}");
}
