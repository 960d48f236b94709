//! The source tree shows the pipeline: each top-level module of `src/`
//! (a stage) uses only the stages before it, in the order `src/lib.rs`
//! draws. So there is no import cycle between stages, and no library
//! module reaches into `cli/`. Read from the source: every `crate::stage`
//! path and every `use crate::{…}` group, in code and tests alike.

use std::collections::BTreeMap;
use std::path::Path;

/// The stages in pipeline order (`src/lib.rs`).
const ORDER: &[&str] =
    &["error", "clreq", "content", "plan", "press", "typeset", "layout", "check", "output", "autoplan", "diff", "bench", "cli"];

/// The stages a file's code names, by `crate::stage` paths and `use crate::{…}` groups.
fn stages_named(source: &str) -> Vec<String> {
    let code: String =
        source.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let before = rest[..at].chars().next_back();
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if let Some(group) = after.strip_prefix('{') {
            // Top-level names of the group: `{a::b, c::{d, e}, f}`.
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 && c == ',' {
                    out.push(std::mem::take(&mut item));
                } else {
                    item.push(c);
                }
            }
            out.push(item);
        } else {
            out.push(after.to_string());
        }
    }
    out.into_iter()
        .map(|s| s.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>())
        .filter(|s| !s.is_empty() && s != "self")
        .collect()
}

/// Each stage's uses of other stages: stage → used stage → files.
fn graph(files: &[(String, String)]) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut g: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (path, source) in files {
        let stage = path.split('/').next().unwrap().trim_end_matches(".rs").to_string();
        for used in stages_named(source) {
            if used != stage {
                g.entry(stage.clone()).or_default().entry(used).or_default().push(path.clone());
            }
        }
    }
    g
}

/// Uses that go against the order (a later stage, or one not in it).
fn against_the_order(files: &[(String, String)]) -> Vec<String> {
    let rank = |s: &str| ORDER.iter().position(|o| *o == s);
    let mut bad = Vec::new();
    for (stage, uses) in graph(files) {
        for (used, paths) in uses {
            let ok = matches!((rank(&stage), rank(&used)), (Some(a), Some(b)) if b < a);
            if !ok {
                let mut paths = paths;
                paths.dedup();
                bad.push(format!("{stage} uses {used} ({})", paths.join(", ")));
            }
        }
    }
    bad
}

fn sources(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, base, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

#[test]
fn every_stage_uses_only_the_stages_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    // main.rs is the binary, outside the library's stages.
    files.retain(|(p, _)| p != "main.rs" && p != "lib.rs");
    assert!(files.len() > 40, "read {} files", files.len());
    // Every top-level module is a stage in the order.
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: Vec<&str> =
        lib.lines().filter_map(|l| l.strip_prefix("pub mod ")).map(|l| l.trim_end_matches(';')).collect();
    let mut sorted: Vec<&str> = ORDER.to_vec();
    sorted.sort();
    assert_eq!(declared, sorted, "src/lib.rs's modules and the stage order here must name the same stages");
    let bad = against_the_order(&files);
    assert!(bad.is_empty(), "imports against the pipeline order {ORDER:?}:\n{}", bad.join("\n"));
}

#[test]
fn the_check_finds_a_use_against_the_order() {
    let file = |p: &str, s: &str| (p.to_string(), s.to_string());
    let files = vec![
        file("plan/grid.rs", "use crate::content::model::PageSpec;\n"),
        // A group import and an inline path, a comment not counted.
        file("content/load.rs", "use crate::{error::Result, plan::grid};\n// crate::cli::args\n"),
        file("output/html.rs", "fn f() -> crate::cli::proof::IssueProof { todo!() }\n"),
        file("layout/x.rs", "use crate::{self as c, nothere::Y};"),
    ];
    let bad = against_the_order(&files);
    assert_eq!(
        bad,
        [
            "content uses plan (content/load.rs)",
            "layout uses nothere (layout/x.rs)",
            "output uses cli (output/html.rs)"
        ]
    );
}
