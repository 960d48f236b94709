//! Malformed content never panics: 10,000 mutated article and issue files
//! through the loader and the lint, and a few hundred through the whole
//! check path (layout included). Deterministic (fixed seed); cases that once
//! broke something are kept in tests/corpus/ and replayed first.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use common::*;
use paiban::filler::Rng;

const PIECES: &[&str] = &[
    "+++",
    "\n",
    "\n\n",
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
    "[[gap:",
    "]]",
    "## ",
    "\\",
    "kind = \"interview\"",
    "kind = \"banner\"",
    "headline = \"\"",
    "placeholder = { chars = 0 }",
    "placeholder = { chars = 99999999999 }",
    "[[photos]]",
    "cells = 0",
    "lines = -1",
    "file = \"../../etc/passwd\"",
    "file = \"/dev/zero\"",
    "column = 0",
    "span = 99",
    "line = 4294967295",
    "lines = 0",
    "body_columns = 0",
    "head_lines = 200",
    "[[place]]",
    "article = \"chunan\"",
    "date = 2018-13-45",
    "date = 2018-02-13T10:00:00",
    "\u{feff}",
    "\u{0}",
    "。",
    "“",
    "”",
    "，，",
    "甲",
    "#set",
    "$",
    "@x",
    "<l>",
    "width_mm = 1e308",
    "body_pt = nan",
    "line_gap_em = -1",
    "columns = 0",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if !chars.is_empty() => {
                let end = (at + 1 + rng.below(20)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                chars.splice(at..at, piece.chars());
            }
            2 if !chars.is_empty() => {
                let i = rng.below(chars.len());
                chars[i] = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
            }
            _ => {
                let a = rng.below(chars.len() + 1);
                let b = (a + rng.below(40)).min(chars.len());
                let dup: Vec<char> = chars[a..b].to_vec();
                chars.splice(at..at, dup);
            }
        }
    }
    chars.into_iter().collect()
}

fn corpus() -> Vec<(String, String)> {
    let dir = root().join("tests/corpus");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_else(|_| Vec::new());
    v.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    v.sort();
    v.into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let target = if name.starts_with("issue") { "1/issue.toml" } else { "1/articles/chunan.md" };
            Some((target.to_string(), std::fs::read_to_string(&p).ok()?))
        })
        .collect()
}

#[test]
fn ten_thousand_malformed_files_never_panic() {
    let p = TempProject::new();
    let article = p.article("1", "chunan");
    let issue = p.edition().join("1/issue.toml");
    let originals = [
        ("1/articles/chunan.md", std::fs::read_to_string(&article).unwrap()),
        ("1/issue.toml", std::fs::read_to_string(&issue).unwrap()),
    ];
    let fonts = paiban::fonts::FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = paiban::compile::Project::open(p.path(), &fonts).unwrap();
    let mut rng = Rng(0x5eed_2018);
    let mut cases: Vec<(String, String)> = corpus();
    for _ in 0..10_000 {
        let (target, text) = &originals[rng.below(2)];
        cases.push((target.to_string(), mutate(&mut rng, text)));
    }
    let (mut loaded, mut laid_out) = (0, 0);
    for (i, (target, text)) in cases.iter().enumerate() {
        let path = p.edition().join(target);
        std::fs::write(&path, text).unwrap();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let Ok(ed) = paiban::load::edition(&p.edition(), &project.root) else { return (false, false) };
            let _ = paiban::lint::edition(&ed);
            // The whole check path for every 40th case that loads.
            let deep = i % 40 == 0;
            if deep {
                let _ = paiban::compile::lay_out(&project, &ed.issues[0], Default::default());
            }
            (true, deep)
        }));
        match r {
            Ok((l, d)) => {
                loaded += l as usize;
                laid_out += d as usize;
            }
            Err(_) => {
                let keep = root()
                    .join("tests/corpus")
                    .join(format!("{}-{i}.txt", if target.contains("issue") { "issue" } else { "article" }));
                let _ = std::fs::create_dir_all(keep.parent().unwrap());
                let _ = std::fs::write(&keep, text);
                panic!("case {i} ({target}) panicked; kept as {}", keep.display());
            }
        }
        std::fs::write(&path, &originals.iter().find(|(t, _)| t == target).unwrap().1).unwrap();
    }
    eprintln!("{} cases, {loaded} loaded, {laid_out} laid out", cases.len());
    assert!(cases.len() >= 10_000);
    assert!(loaded > 100, "mutations too destructive to reach the layout: {loaded}");
}
