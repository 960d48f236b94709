//! Page snapshots: every page of the edition matches its reference in
//! `tests/snapshots/` (grey PNG and layout dump); a page that differs
//! leaves pending files and a diff report, until `paiban snapshot review`
//! accepts them.
//!
//! After an intended change: `cargo test --release --test snapshots`, look
//! at the `*.pending-diff.png`, then `cargo run --release -- snapshot review`
//! (or `--bless`). `PAIBAN_BLESS=1` writes the references directly.

mod common;

use std::path::Path;

use common::*;
use paiban::cli::diff::edition_pages;
use paiban::diff::snapshot::{self, Outcome};

#[test]
fn every_page_matches_its_snapshot() {
    let dir = root().join("tests/snapshots");
    let pages = edition_pages(project(), &edition_dir(), snapshot::DPI).unwrap();
    assert_eq!(pages.len(), 2, "both issues, one page each");
    let bless = std::env::var_os("PAIBAN_BLESS").is_some();
    let checked = snapshot::check(&dir, pages, bless).unwrap();
    let failed: Vec<_> =
        checked.iter().filter(|c| matches!(c.outcome, Outcome::New | Outcome::Changed)).collect();
    for c in &failed {
        eprintln!("{}", c.report);
    }
    assert!(
        failed.is_empty(),
        "{} page(s) differ from their snapshots; pending files are in tests/snapshots/.\n\
         Review them with `cargo run --release -- snapshot review` (or accept all with --bless).",
        failed.len()
    );
}

fn copy_references(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(root().join("tests/snapshots")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains(".pending") {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

#[test]
fn a_changed_page_stays_pending_until_reviewed() {
    let p = TempProject::new();
    let snaps = p.path().join("snaps");
    copy_references(&snaps);
    let d = snaps.to_str().unwrap();
    // Unchanged: both pages match, nothing pending.
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", d]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // One character of an article: that page fails with a report, and its
    // pending files are written beside the reference, which is kept.
    let path = p.article("1", "chunan");
    let text = std::fs::read_to_string(&path).unwrap();
    let body = text.rfind("+++").unwrap() + 3;
    let c = text[body..].chars().find(|c| is_han(*c)).unwrap();
    let replacement = if c == '春' { '冬' } else { '春' };
    let at = body + text[body..].find(c).unwrap();
    std::fs::write(&path, format!("{}{replacement}{}", &text[..at], &text[at + c.len_utf8()..])).unwrap();
    let reference = std::fs::read(snaps.join("xinchun-1-p1.png")).unwrap();
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", d]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("issue xinchun-1, page 1: changed") && s.contains("article chunan — 1 region"), "{s}");
    assert!(s.contains(&format!("chunan: paragraph 1 changed {c}")), "{s}");
    assert!(s.contains("xinchun-2-p1: matches its snapshot"), "{s}");
    for f in ["xinchun-1-p1.pending.png", "xinchun-1-p1.pending-diff.png", "xinchun-1-p1.pending.layout.json"]
    {
        assert!(snaps.join(f).is_file(), "{f} missing");
    }
    assert!(!snaps.join("xinchun-2-p1.pending.png").exists());
    assert_eq!(std::fs::read(snaps.join("xinchun-1-p1.png")).unwrap(), reference, "the reference is kept");
    let pending = std::fs::read(snaps.join("xinchun-1-p1.pending.png")).unwrap();
    assert_ne!(pending, reference);
    // Review without a terminal or a flag: reported, still pending.
    let o = paiban(&["snapshot", "review", "--dir", d], p.path());
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("article chunan") && stdout(&o).contains("still pending"), "{}", stdout(&o));
    // --bless accepts: the pending image becomes the reference, and the page matches.
    let o = paiban(&["snapshot", "review", "--dir", d, "--bless"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(std::fs::read(snaps.join("xinchun-1-p1.png")).unwrap(), pending);
    assert!(pending_files(&snaps).is_empty());
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", d]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // --reject drops a pending snapshot and keeps the reference.
    std::fs::write(&path, &text).unwrap();
    assert_eq!(p.run(&["snapshot", "check", "content/ed", "--dir", d]).status.code(), Some(1));
    let o = paiban(&["snapshot", "review", "--dir", d, "--reject"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(pending_files(&snaps).is_empty());
    assert_eq!(std::fs::read(snaps.join("xinchun-1-p1.png")).unwrap(), pending);
}

fn pending_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".pending"))
        .collect()
}
