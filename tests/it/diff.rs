//! `paiban diff`: one changed character is found in its article on its page
//! (pixels and text), a layout change is named as one, identical builds are
//! identical, and two lone PDFs compare without the edition.

use std::path::Path;
use std::process::Output;
use std::sync::OnceLock;

use crate::common::*;
use paiban::diff::raster;

/// A project built twice: `a` as it is, `b` after one character of the
/// first paragraph of chunan changed. Returns (project, old text, new text)
/// where the texts are the changed span with two characters either side.
fn edited() -> &'static (TempProject, String, String) {
    static E: OnceLock<(TempProject, String, String)> = OnceLock::new();
    E.get_or_init(|| {
        let p = TempProject::new();
        assert!(p.run(&["build", "content/ed", "--out", "a"]).status.success());
        let path = p.article("1", "chunan");
        let text = std::fs::read_to_string(&path).unwrap();
        let body_at = text.rfind("+++").unwrap() + 3;
        let first: Vec<char> = text[body_at..].trim_start().lines().next().unwrap().chars().collect();
        // The third character of the first paragraph becomes another Han character.
        let k = 2;
        assert!(is_han(first[k]));
        let replacement = if first[k] == '溶' { '化' } else { '溶' };
        let mut changed = first.clone();
        changed[k] = replacement;
        let (old_par, new_par): (String, String) = (first.iter().collect(), changed.iter().collect());
        std::fs::write(&path, text.replacen(&old_par, &new_par, 1)).unwrap();
        assert!(p.run(&["build", "content/ed", "--out", "b"]).status.success());
        let span = |v: &[char]| v[k - 2..k + 3].iter().collect::<String>();
        (p, span(&first), span(&changed))
    })
}

/// Regions as "at x X y Y mm, W × H mm" under a heading line.
fn regions_under(report: &str, heading: &str) -> Vec<[f64; 4]> {
    let mut out = Vec::new();
    let mut inside = false;
    for l in report.lines() {
        if l.trim_start().starts_with("at x ") {
            if inside {
                let nums: Vec<f64> = l
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .filter_map(|n| n.parse().ok())
                    .collect();
                out.push([nums[0], nums[1], nums[2], nums[3]]);
            }
        } else {
            inside = l.trim_start().starts_with(heading);
        }
    }
    out
}

fn rect_of(map: &Path, article: &str) -> [f64; 4] {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(map).unwrap()).unwrap();
    let b = v["blocks"].as_array().unwrap().iter().find(|b| b["article"] == article).unwrap();
    let r = &b["rect_mm"];
    ["x", "y", "w", "h"].map(|k| r[k].as_f64().unwrap())
}

fn within(inner: [f64; 4], outer: [f64; 4]) -> bool {
    // Region bounds are rounded to 0.1 mm.
    inner[0] >= outer[0] - 0.1
        && inner[1] >= outer[1] - 0.1
        && inner[0] + inner[2] <= outer[0] + outer[2] + 0.1
        && inner[1] + inner[3] <= outer[1] + outer[3] + 0.1
}

fn page_lines(report: &str, issue: &str) -> Vec<String> {
    let head = format!("issue {issue}, page 1:");
    let mut out = Vec::new();
    let mut inside = false;
    for l in report.lines() {
        if l.starts_with("issue ") {
            inside = l.starts_with(&head);
        }
        if inside {
            out.push(l.to_string());
        }
    }
    out
}

#[test]
fn one_changed_character_is_reported_in_its_article_with_the_characters() {
    let (p, old, new) = edited();
    let o = p.run(&["diff", "a", "b", "--out", "html"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    let one = page_lines(&s, "xinchun-1");
    assert!(one[0].contains(": changed"), "{s}");
    let articles: Vec<_> = one.iter().filter(|l| l.trim_start().starts_with("article ")).collect();
    assert_eq!(articles.len(), 1, "only chunan's block changed:\n{s}");
    assert!(articles[0].contains("article chunan — 1 region"), "{s}");
    assert!(!s.contains("outside every block"), "{s}");
    // The region lies inside chunan's block, on the page the map gives.
    let rect = rect_of(&p.path().join("b/xinchun-1.map.json"), "chunan");
    let regions = regions_under(&s, "article chunan");
    assert_eq!(regions.len(), 1, "{s}");
    assert!(within(regions[0], rect), "{:?} outside chunan {rect:?}\n{s}", regions[0]);
    // A changed character is about one 9 pt cell, not a line or a paragraph.
    assert!(regions[0][2] < 8.0 && regions[0][3] < 8.0, "{s}");
    // The structural diff names the characters; nothing reflowed.
    let expected = format!("chunan: paragraph 1 changed {old}→{new}; 0 lines reflowed");
    assert!(s.contains(&expected), "expected `{expected}` in\n{s}");
    let two = page_lines(&s, "xinchun-2");
    assert!(two[0].contains(": identical"), "{s}");
    // --out: old, new and diff images of the changed page only, and the index.
    for f in ["xinchun-1-p1.old.png", "xinchun-1-p1.new.png", "xinchun-1-p1.diff.png", "index.html"] {
        assert!(p.path().join("html").join(f).is_file(), "{f} missing");
    }
    assert!(!p.path().join("html/xinchun-2-p1.diff.png").exists());
    let html = std::fs::read_to_string(p.path().join("html/index.html")).unwrap();
    assert!(
        html.contains("xinchun-1-p1.diff.png") && html.contains("overlay") && html.contains(new.as_str()),
        "{html}"
    );
    // The diff image marks the region: its pixels inside the box are red or
    // green, and there are none outside chunan's block.
    let diff = raster::read_png(
        &std::fs::read(p.path().join("html/xinchun-1-p1.diff.png")).unwrap(),
        Path::new("diff.png"),
    )
    .unwrap();
    let s72 = 72.0 / 25.4;
    let mut marked = 0;
    for y in 0..diff.height {
        for x in 0..diff.width {
            let c = diff.px(x, y);
            if c == [220, 30, 30] || c == [20, 150, 40] {
                marked += 1;
                let (xm, ym) = (x as f64 / s72, y as f64 / s72);
                assert!(within([xm, ym, 0.0, 0.0], rect), "marked pixel at {xm:.1}, {ym:.1} mm");
            }
        }
    }
    assert!(marked > 10, "{marked} marked pixels");
}

#[test]
fn two_lone_pdfs_compare_without_the_edition() {
    let (p, _, _) = edited();
    let lone = tempfile::tempdir().unwrap();
    let (old, new) = (lone.path().join("old.pdf"), lone.path().join("new.pdf"));
    std::fs::copy(p.path().join("a/xinchun-1.pdf"), &old).unwrap();
    std::fs::copy(p.path().join("b/xinchun-1.pdf"), &new).unwrap();
    let o = paiban(&["diff", "old.pdf", "new.pdf"], lone.path());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    // No page map: the region is not assigned, but it lies in chunan's block.
    assert!(s.contains("no page map"), "{s}");
    let regions = regions_under(&s, "page (no page map");
    assert_eq!(regions.len(), 1, "{s}");
    assert!(within(regions[0], rect_of(&p.path().join("a/xinchun-1.map.json"), "chunan")), "{s}");
    assert!(!s.contains("structure:"), "no dumps beside lone PDFs: {s}");
    // hayro rasterises deterministically; a PDF against itself is identical.
    let bytes = std::fs::read(&old).unwrap();
    assert_eq!(
        raster::from_pdf(bytes.clone(), 72.0, &old).unwrap(),
        raster::from_pdf(bytes, 72.0, &old).unwrap()
    );
    let o = paiban(&["diff", "old.pdf", "old.pdf"], lone.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // Bad input: a file that is not a PDF is an error with a hint, exit 2.
    std::fs::write(lone.path().join("x.pdf"), "not a pdf").unwrap();
    let o = paiban(&["diff", "old.pdf", "x.pdf"], lone.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("x.pdf") && stderr(&o).contains("hint:"), "{}", stderr(&o));
    // A mask over the changed region makes the pages identical.
    let r = regions[0];
    let mask = format!("{},{},{},{}", r[0] - 1.0, r[1] - 1.0, r[2] + 2.0, r[3] + 2.0);
    let o = paiban(&["diff", "old.pdf", "new.pdf", "--mask", &mask], lone.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

fn build_into(out: &Path) -> Output {
    paiban(&["build", "content/xinchun-2018", "--out", out.to_str().unwrap()], &root())
}

#[test]
fn identical_builds_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(build_into(&a).status.success() && build_into(&b).status.success());
    let o = paiban(
        &["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--tolerance", "0,0", "--dpi", "100"],
        &root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    assert_eq!(s.matches(": identical — 0.00 % of pixels, 0 regions").count(), 2, "{s}");
    assert_eq!(s.matches("structure: unchanged").count(), 2, "{s}");
    // Bad options are errors with a hint.
    let o = paiban(&["diff", a.to_str().unwrap(), b.to_str().unwrap(), "--mask", "1,2,3"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--mask") && stderr(&o).contains("hint:"), "{}", stderr(&o));
}

fn git(p: &TempProject, args: &[&str]) {
    let o = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(p.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_layout_change_is_reported_as_one_against_git() {
    let p = TempProject::new();
    git(&p, &["init", "-q", "."]);
    git(&p, &["add", "-A"]);
    git(&p, &["commit", "-qm", "start"]);
    let o = p.run(&["diff", "content/ed", "--against", "git:HEAD"]);
    assert_eq!(o.status.code(), Some(0), "unchanged tree: {}{}", stdout(&o), stderr(&o));
    // The interview headline, one size larger.
    let style = std::fs::read_to_string(p.path().join("layouts/style.typ")).unwrap();
    let from = "    interview: 19,";
    assert_eq!(style.matches(from).count(), 1, "the interview headline's size moved in layouts/style.typ");
    p.edit("layouts/style.typ", |t| t.replace(from, "    interview: 22,"));
    let o = p.run(&["diff", "content/ed", "--against", "git:HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    for issue in ["xinchun-1", "xinchun-2"] {
        let lines = page_lines(&s, issue).join("\n");
        assert!(lines.contains(": changed"), "{s}");
        assert!(
            lines.contains("layout change: every interview's headline face")
                && lines.contains("19 pt →")
                && lines.contains("22 pt"),
            "{lines}"
        );
        assert!(lines.contains("layout change: every interview's headline moved"), "{lines}");
        // No text changed, and no article is singled out.
        assert!(!lines.contains("paragraph"), "{lines}");
        assert!(
            !lines.lines().any(|l| l.starts_with("    ")
                && !l.contains("layout change")
                && !l.trim_start().starts_with("at x")),
            "{lines}"
        );
    }
    // Only interviews' blocks changed: the lead's and the banner's did not.
    assert!(!s.contains("article lead") && !s.contains("article banner"), "{s}");
    // A revision that does not exist is an error with a hint.
    let o = p.run(&["diff", "content/ed", "--against", "git:no-such-rev"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hint:"), "{}", stderr(&o));
}

#[test]
fn reflowed_lines_and_moved_blocks_are_named() {
    let p = TempProject::new();
    git(&p, &["init", "-q", "."]);
    git(&p, &["add", "-A"]);
    git(&p, &["commit", "-qm", "start"]);
    // Five characters into chunan's first paragraph: the lines after them reflow.
    let path = p.article("1", "chunan");
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text.rfind("+++").unwrap() + 3;
    let para = text[body..].trim_start().lines().next().unwrap();
    let at = text.find(para).unwrap() + para.char_indices().nth(5).unwrap().0;
    std::fs::write(&path, format!("{}大地回暖，{}", &text[..at], &text[at..])).unwrap();
    // Two interview blocks of issue 2 swap columns.
    p.edit("content/ed/2/issue.toml", |t| {
        let swapped = t
            .replace("article = \"slot-3\"\ncolumn = 1", "article = \"slot-3\"\ncolumn = X")
            .replace("article = \"slot-6\"\ncolumn = 5", "article = \"slot-6\"\ncolumn = 1")
            .replace("article = \"slot-3\"\ncolumn = X", "article = \"slot-3\"\ncolumn = 5");
        assert_ne!(swapped, t, "issue 2's plan changed shape");
        swapped
    });
    let o = p.run(&["diff", "content/ed", "--against", "git:HEAD"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    let line = s.lines().find(|l| l.contains("chunan: paragraph 1 changed")).unwrap_or_else(|| panic!("{s}"));
    assert!(line.contains("大地回暖，"), "{line}");
    let reflowed: usize = line
        .rsplit("; ")
        .find_map(|part| part.strip_suffix(" lines reflowed").or(part.strip_suffix(" line reflowed")))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    assert!(reflowed > 0, "{line}");
    // The swapped blocks moved by the same distance, one each way; their
    // contents moved with them, so nothing inside is reported.
    let mv = |id: &str, dir: &str| -> f64 {
        let prefix = format!("{id}: block moved ");
        let l =
            s.lines().find_map(|l| l.trim().strip_prefix(&prefix)).unwrap_or_else(|| panic!("{id} in {s}"));
        assert!(l.ends_with(&format!("mm {dir}")), "{l}");
        l.split(' ').next().unwrap().parse().unwrap()
    };
    let (right, left) = (mv("slot-3", "right"), mv("slot-6", "left"));
    assert!(right > 100.0 && (right - left).abs() < 0.05, "{s}");
    assert!(!s.contains("slot-3: headline") && !s.contains("body moved"), "{s}");
}
