//! The README's build command on the real edition: two one-page PDFs of the
//! right size, every font embedded and subset, page maps and layout dumps beside them,
//! byte-identical on a second build, and `--final` refusing placeholder copy.

use std::path::Path;

use crate::common::*;
use lopdf::{Document, Object};

fn build_into(out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "content/xinchun-2018", "--out", out.to_str().unwrap()];
    args.extend(extra);
    paiban(&args, &root())
}

fn name(o: &Object) -> String {
    o.as_name().map(|n| String::from_utf8_lossy(n).into_owned()).unwrap_or_default()
}

fn num(o: &Object) -> f64 {
    o.as_float().map(|f| f as f64).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap()
}

fn check_pdf(path: &Path) {
    let doc = Document::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1, "{}: one page", path.display());
    let page = doc.get_dictionary(*pages.values().next().unwrap()).unwrap();
    let mb = page.get(b"MediaBox").unwrap().as_array().unwrap();
    let w = (num(&mb[2]) - num(&mb[0])) * 25.4 / 72.0;
    let h = (num(&mb[3]) - num(&mb[1])) * 25.4 / 72.0;
    assert!((w - 390.0).abs() < 0.1 && (h - 540.0).abs() < 0.1, "page is {w:.1} × {h:.1} mm");

    let mut fonts = 0;
    let mut descriptors = 0;
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        let ty = d.get(b"Type").map(name).unwrap_or_default();
        if ty == "FontDescriptor" {
            descriptors += 1;
            assert!(
                d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"),
                "font {} is not embedded",
                d.get(b"FontName").map(name).unwrap_or_default()
            );
        }
        if ty == "Font" && name(d.get(b"Subtype").unwrap()) != "Type3" {
            fonts += 1;
            let base = d.get(b"BaseFont").map(name).unwrap_or_default();
            let (tag, _) = base.split_once('+').unwrap_or(("", ""));
            assert!(
                tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
                "font {base} is not subset"
            );
        }
    }
    assert!(fonts >= 4 && descriptors >= 4, "expected the bundled faces, found {fonts} fonts");
}

#[test]
fn readme_build_writes_two_print_pdfs() {
    let out = tempfile::tempdir().unwrap();
    let o = build_into(out.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let so = stdout(&o);
    assert!(so.contains("xinchun-1: 1 page(s)") && so.contains("xinchun-2: 1 page(s)"), "{so}");
    assert!(stderr(&o).contains("待稿"), "issue (二) must be flagged as placeholder copy");
    for id in ["xinchun-1", "xinchun-2"] {
        check_pdf(&out.path().join(format!("{id}.pdf")));
        let map: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join(format!("{id}.map.json"))).unwrap())
                .unwrap();
        assert_eq!(map["issue"], id);
        assert!((map["page"]["width_mm"].as_f64().unwrap() - 390.0).abs() < 1e-6);
        assert_eq!(map["grid"]["columns"], 8);
        // The layout dump beside it reads back, with a block per map block.
        let dump = paiban::diff::structure::read(&out.path().join(format!("{id}.layout.json"))).unwrap();
        assert_eq!(dump[0].issue, id);
        assert_eq!(dump[0].blocks.len(), map["blocks"].as_array().unwrap().len());
        let blocks = map["blocks"].as_array().unwrap();
        assert!(blocks.len() >= 8);
        for b in blocks {
            let r = &b["rect_mm"];
            assert!(
                r["x"].as_f64().unwrap() > 0.0 && r["x"].as_f64().unwrap() + r["w"].as_f64().unwrap() < 390.0
            );
            assert!(r["y"].as_f64().unwrap() + r["h"].as_f64().unwrap() < 540.0);
        }
    }
    // No temporary files left behind.
    let names: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 6, "{names:?}");
}

#[test]
fn builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(build_into(a.path(), &[]).status.success());
    assert!(build_into(b.path(), &[]).status.success());
    for f in ["xinchun-1.pdf", "xinchun-2.pdf", "xinchun-1.map.json"] {
        let x = std::fs::read(a.path().join(f)).unwrap();
        let y = std::fs::read(b.path().join(f)).unwrap();
        assert!(x == y, "{f} differs between two builds");
    }
    // The timestamp is the issue's date, not the build's.
    let pdf = std::fs::read(a.path().join("xinchun-1.pdf")).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("20180213"), "creation date should be the issue date");
}

#[test]
fn final_refuses_placeholder_copy_and_writes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let o = build_into(out.path(), &["--final"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("placeholder copy (待稿)") && e.contains("slot-1") && e.contains("issue.toml"), "{e}");
    assert!(e.contains("hint:"), "{e}");
    // Every refusal is named at once: issue (一)'s portraits are FPO boxes.
    assert!(e.contains("FPO") && e.contains("chunan/chunan-portrait"), "{e}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing may be written");
    // Issue (一) alone is real copy, but its portraits have no photo yet
    // (tests/press.rs builds it --final with photos supplied).
    let o = build_into(out.path(), &["--final", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("FPO") && !stderr(&o).contains("待稿"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "nothing may be written");
}

#[test]
fn fonts_lists_bundled_families_with_files() {
    let o = paiban(&["fonts"], &root());
    assert!(o.status.success());
    let s = stdout(&o);
    for fam in ["Noto Serif CJK SC", "Noto Sans CJK SC", "Paiban WenKai"] {
        assert!(s.contains(fam), "{s}");
    }
    assert!(s.contains("fonts/NotoSerifCJKsc-Regular.subset.otf"), "{s}");
}

#[test]
fn help_documents_options_and_exit_codes() {
    let o = paiban(&["build", "--help"], &root());
    let s = stdout(&o);
    for opt in ["--out", "--final", "--font-path", "--system-fonts", "--root", "--issue", "Exit codes"] {
        assert!(s.contains(opt), "build --help lacks {opt}");
    }
}

#[test]
fn bench_prints_its_figures() {
    // The 100-page synthetic edition belongs to the benchmark, not the tests.
    let o = paiban(
        &["bench", "content/xinchun-2018", "--runs", "1", "--builds", "1", "--synth-pages", "0"],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    for what in [
        "cold build",
        "warm build",
        "proof of one page",
        "re-layout after",
        "re-proof after",
        "PDF bytes per page",
        "| edition | pages | paiban build | paiban CPU | peak | PDF per page |",
        "(goal ≤ 160 MB)",
    ] {
        assert!(s.contains(what), "{s}");
    }
    // The edition's row: two pages, a time, a peak and a size that are real.
    let row = s.lines().find(|l| l.starts_with("| xinchun-2018 | 2 |")).unwrap_or_else(|| panic!("{s}"));
    let cells: Vec<&str> = row.split('|').map(str::trim).collect();
    let num = |c: &str| c.split_whitespace().next().unwrap().parse::<f64>().unwrap();
    assert!(num(cells[3]) > 0.0 && num(cells[4]) > 0.0, "time and CPU: {row}");
    assert!(num(cells[5]) > 10.0 && num(cells[6]) > 10.0, "MB and KB per page: {row}");
    // Typst's own share of paiban's CPU, read back from the timed build:
    // more than nothing, less than the whole.
    let share = s.lines().find(|l| l.starts_with("xinchun-2018: of paiban's")).unwrap_or_else(|| panic!("{s}"));
    let secs: Vec<f64> = share.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(secs.len() >= 2 && secs[1] > 0.05 && secs[1] < secs[0], "{share}");
    // Plain typst is compared when there is one, and its absence is said.
    assert!(s.contains("plain typst:") || s.contains("typst columns left out"), "{s}");
}
