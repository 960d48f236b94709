//! `paiban synth`: a small synthetic edition is deterministic, builds one
//! page per issue with no overset, and never overwrites a folder. (The
//! 100-page edition is built by `paiban bench`, not here.)

use std::path::Path;

use crate::common::*;

fn synth(dir: &Path, pages: &str, seed: &str) -> std::process::Output {
    paiban(&["synth", dir.to_str().unwrap(), "--pages", pages, "--seed", seed], &root())
}

/// Every file under `dir`, relative path → bytes, sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_three_page_synthetic_edition_builds_without_overset() {
    let tmp = tempfile::tempdir().unwrap();
    let ed = tmp.path().join("ed");
    let o = synth(&ed, "3", "11");
    assert!(o.status.success(), "{}", stderr(&o));
    let written = files(&ed);
    assert_eq!(written.iter().filter(|(p, _)| p.ends_with("issue.toml")).count(), 3);
    let articles = written.iter().filter(|(p, _)| p.ends_with(".md")).count();
    assert!(articles >= 3 * 3, "several articles a page: {articles}");

    // Same seed, same files; another seed, other plans.
    let again = tmp.path().join("again");
    assert!(synth(&again, "3", "11").status.success());
    assert!(files(&again) == written, "synth is deterministic");
    let other = tmp.path().join("other");
    assert!(synth(&other, "3", "12").status.success());
    assert!(files(&other) != written, "the seed changes the edition");

    let out = tmp.path().join("out");
    let o = paiban(&["build", ed.to_str().unwrap(), "--out", out.to_str().unwrap()], &root());
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    // No overset message (the progress lines, `[n/3] …`, count it: 0).
    assert!(!e.lines().filter(|l| !l.starts_with('[')).any(|l| l.contains("overset")), "{e}");
    for n in 1..=3 {
        let pdf = lopdf::Document::load(out.join(format!("synth-{n:03}.pdf"))).unwrap();
        assert_eq!(pdf.get_pages().len(), 1, "issue {n} is one page");
    }

    // The measured fit: nothing over, and the copy fills its blocks.
    let o = paiban(&["check", ed.to_str().unwrap(), "--json"], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["totals"]["overset"], 0, "{}", report["totals"]);
    let (used, available) =
        report["articles"].as_array().unwrap().iter().fold((0, 0), |(u, a), x| {
            (u + x["used"].as_u64().unwrap(), a + x["available"].as_u64().unwrap())
        });
    assert!(used * 10 >= available * 9, "copy fills at least 90 % of the column-lines: {used}/{available}");
}

#[test]
fn synth_refuses_a_folder_that_holds_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), b"mine").unwrap();
    let o = synth(tmp.path(), "1", "1");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("not empty") && e.contains("hint:"), "{e}");
    assert_eq!(std::fs::read(tmp.path().join("keep.txt")).unwrap(), b"mine");
    assert!(!tmp.path().join("edition.toml").exists());
}
