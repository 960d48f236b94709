//! Malformed content never panics: 10,000 mutated article and issue files
//! through the loader and the lint, and a few hundred through the whole
//! check path (layout included). Deterministic (fixed seed); cases that once
//! broke something are kept in tests/corpus/ and replayed first.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::common::*;
use paiban::content::filler::Rng;

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
    let fonts = paiban::typeset::fonts::FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = paiban::typeset::project::Project::open(p.path(), &fonts).unwrap();
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
            let Ok(ed) = paiban::plan::place::edition(&p.edition(), &project.root) else { return (false, false) };
            let _ = paiban::content::lint::edition(&ed);
            // The whole check path for every 40th case that loads.
            let deep = i % 40 == 0;
            if deep {
                let _ = paiban::layout::rounds::lay_out(&project, &ed.issues[0], Default::default());
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

// ---------------------------------------------------------------------------
// The whole command on mutated editions: the reliability tester's run, kept.
//
// Every case copies the edition, damages it in one to three ways (bytes,
// lines, values, Unicode, files and folders), and runs `paiban build` as a
// process over an output folder that holds a good earlier build. It asserts:
// exit 0 or 2, never a signal or a hang; exit 2 names a file and leaves the
// output folder byte for byte as it was; no temporary file is ever left;
// exit 0 gives pages whose blocks lie on the page and whose every .notdef
// glyph was warned about. PAIBAN_FUZZ_CASES (default 200) and
// PAIBAN_FUZZ_SEED set the run; a long run is e.g. 10000 cases.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const NUMBERS: &[&str] = &["0", "-1", "4294967295", "18446744073709551616", "1e308", "nan", "inf", "-0", "2.5", "\"7\""];
const UNICODE: &[char] = &[
    '\u{0}', '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{a0}', '\u{ad}', '\u{200b}', '\u{200d}', '\u{202e}', '\u{2028}',
    '\u{2029}', '\u{3000}', '\u{fe0f}', '\u{feff}', '\u{fffd}', '\u{ffff}', '\u{e000}', '\u{4dae}', '\u{20094}',
    '\u{30000}', '\u{1f600}', '\u{301}', '\u{5d0}', '\u{627}', 'ﬃ', '＝', '“', '＂', '。',
];

fn lines_op(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let i = rng.below(lines.len());
    match rng.below(3) {
        0 => {
            lines.remove(i);
        }
        1 => lines.insert(i, lines[i]),
        _ => {
            let j = rng.below(lines.len());
            lines.swap(i, j);
        }
    }
    lines.join("\n")
}

fn value_op(rng: &mut Rng, text: &str) -> String {
    // Replace one `key = value` line's value.
    let lines: Vec<&str> = text.split('\n').collect();
    let keyed: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].contains(" = ")).collect();
    if keyed.is_empty() {
        return text.to_string();
    }
    let i = keyed[rng.below(keyed.len())];
    let key = lines[i].split(" = ").next().unwrap_or("");
    let value = match rng.below(4) {
        0 => NUMBERS[rng.below(NUMBERS.len())].to_string(),
        1 => "\"\"".to_string(),
        2 => format!("\"{}\"", "长".repeat(1 + rng.below(300_000))),
        _ => "[1, \"x\", { a = 1 }]".to_string(),
    };
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    out[i] = format!("{key} = {value}");
    out.join("\n")
}

fn bytes_op(rng: &mut Rng, bytes: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    match rng.below(6) {
        0 => b.truncate(rng.below(b.len() + 1)),
        1 => {
            for _ in 0..1 + rng.below(8) {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
        }
        2 => {
            let i = rng.below(b.len() + 1);
            b.splice(i..i, [0xFF, 0xFE, 0x00, 0xC3]);
        }
        3 => b.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop),
        4 => b = String::from_utf8_lossy(&b).replace('\n', "\r\n").into_bytes(),
        _ => b = String::from_utf8_lossy(&b).replace('\n', "\r").into_bytes(),
    }
    b
}

fn unicode_op(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() + 1);
        chars.insert(at, UNICODE[rng.below(UNICODE.len())]);
    }
    chars.into_iter().collect()
}

/// Damages the project's files and folders; returns what it did.
fn damage(rng: &mut Rng, ed: &Path) -> String {
    let mut files = vec![ed.join("edition.toml"), ed.join("1/issue.toml")];
    if let Ok(d) = std::fs::read_dir(ed.join("1/articles")) {
        let mut v: Vec<_> = d.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        v.sort();
        if !v.is_empty() {
            files.push(v[rng.below(v.len())].clone());
        }
    }
    let target = files[rng.below(files.len())].clone();
    let name = target.file_name().unwrap().to_string_lossy().into_owned();
    // Only a regular file is read back: an earlier damage may have made it
    // a symlink to /dev/zero, which would read forever.
    let regular = std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
    let text = || if regular { std::fs::read_to_string(&target).unwrap_or_default() } else { String::new() };
    let write = |bytes: &[u8]| {
        let _ = std::fs::write(&target, bytes);
    };
    match rng.below(9) {
        0 => {
            write(super_mutate(rng, &text()).as_bytes());
            format!("pieces in {name}")
        }
        1 => {
            write(lines_op(rng, &text()).as_bytes());
            format!("lines of {name}")
        }
        2 => {
            write(value_op(rng, &text()).as_bytes());
            format!("a value in {name}")
        }
        3 => {
            let b = if regular { std::fs::read(&target).unwrap_or_default() } else { Vec::new() };
            write(&bytes_op(rng, &b));
            format!("bytes of {name}")
        }
        4 => {
            write(unicode_op(rng, &text()).as_bytes());
            format!("unicode in {name}")
        }
        5 => {
            let _ = std::fs::remove_file(&target);
            format!("removed {name}")
        }
        6 => {
            let _ = std::fs::rename(&target, target.with_extension("bak"));
            format!("renamed {name}")
        }
        7 => {
            let _ = std::fs::remove_file(&target);
            let link_to = ["/etc/passwd", "/dev/zero", "..", "loop"][rng.below(4)];
            let to = if link_to == "loop" { target.clone() } else { PathBuf::from(link_to) };
            let _ = std::os::unix::fs::symlink(to, &target);
            format!("{name} → symlink {link_to}")
        }
        _ => {
            let dir = ed.join("1/articles");
            let _ = std::fs::remove_dir_all(&dir);
            if rng.below(2) == 0 {
                let _ = std::fs::write(&dir, b"not a folder");
            }
            "articles folder damaged".into()
        }
    }
}

fn super_mutate(rng: &mut Rng, text: &str) -> String {
    mutate(rng, text)
}

fn out_listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Returns the exit code of a case that behaved.
fn run_case(base: &TempProject, seed: u64, fonts: &Path) -> Result<i32, String> {
    let mut rng = Rng(seed);
    if std::env::var_os("PAIBAN_FUZZ_TRACE").is_some() {
        eprintln!("case {seed:#x}");
    }
    let p = TempProject::new();
    // A good earlier build in the output folder.
    copy_tree(&base.path().join("out"), &p.path().join("out"));
    let mut did = Vec::new();
    for _ in 0..1 + rng.below(3) {
        did.push(damage(&mut rng, &p.edition()));
    }
    if let Ok(keep) = std::env::var("PAIBAN_FUZZ_KEEP") {
        let dest = Path::new(&keep).join(format!("case-{seed:x}"));
        let _ = Command::new("cp").arg("-a").arg(p.path()).arg(&dest).status();
    }
    let before = out_listing(&p.path().join("out"));
    let fonts = fonts.to_str().unwrap();
    let args = ["build", "content/ed", "--out", "out", "--root", ".", "--font-path", fonts];
    let Some(o) = crate::common::run_within(&args, p.path(), Duration::from_secs(90)) else {
        return Err(format!("seed {seed:#x} ({}): hangs", did.join("; ")));
    };
    let status = o.status;
    let err = stderr(&o);
    let what = format!("seed {seed:#x} ({})", did.join("; "));
    let after = out_listing(&p.path().join("out"));
    if let Some((n, _)) = after.iter().find(|(n, _)| n.starts_with('.') && (n.ends_with(".tmp") || n.ends_with(".old"))) {
        return Err(format!("{what}: left {n}"));
    }
    match status.code() {
        None => Err(format!("{what}: killed by a signal\n{err}")),
        Some(2) => {
            let names_file = [".toml", ".md", "content/", "fonts/", "layouts/", "articles"].iter().any(|s| err.contains(s));
            if !names_file {
                return Err(format!("{what}: exit 2 names no file:\n{err}"));
            }
            if before != after {
                return Err(format!("{what}: a failed build changed the output folder"));
            }
            Ok(2)
        }
        Some(0) => {
            let r = exit_zero_page_is_right(&p, &err).map(|_| 0).map_err(|e| format!("{what}: {e}"));
            // Each case has its own project and fonts: let Typst's cache
            // forget them, or a long run holds every case's pages.
            comemo::evict(0);
            r
        }
        Some(c) => Err(format!("{what}: exit {c}\n{err}")),
    }
}

/// An exit-0 build: every block on the page, nothing outside its block,
/// every .notdef glyph warned.
fn exit_zero_page_is_right(p: &TempProject, err: &str) -> Result<(), String> {
    let fonts = paiban::typeset::fonts::FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = paiban::typeset::project::Project::open(p.path(), &fonts).map_err(|e| e.to_string())?;
    let ed = paiban::plan::place::edition(&p.edition(), &project.root).map_err(|e| format!("exit 0 but loads with {e}"))?;
    for issue in &ed.issues {
        let laid = paiban::layout::rounds::lay_out(&project, issue, Default::default()).map_err(|e| e.to_string())?;
        let (w, h) = (laid.map.page.width_mm, laid.map.page.height_mm);
        for b in &laid.map.blocks {
            let r = &b.rect_mm;
            if r.x < 0.0 || r.y < 0.0 || r.x + r.w > w + 0.01 || r.y + r.h > h + 0.01 {
                return Err(format!("block of {} off the page", b.article));
            }
        }
        // The page invariant: nothing drawn outside its block.
        let (stray, _) = paiban::check::invariant::verdict(issue, &paiban::check::invariant::check(&laid));
        if let Some(e) = stray {
            return Err(format!("exit 0 with an element outside its block: {}", e.message));
        }
        for t in paiban::check::glyphs::tofu(&laid) {
            let code = t.text.chars().next().map(|c| format!("U+{:04X}", c as u32)).unwrap_or_default();
            if !err.contains(&code) {
                return Err(format!("tofu {code} printed without a warning"));
            }
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn mutated_editions_through_the_whole_build_never_print_wrong_or_hang() {
    let cases: u64 = std::env::var("PAIBAN_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let seed: u64 = std::env::var("PAIBAN_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x2018_0213);
    let base = TempProject::new();
    let o = base.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fonts = root().join("fonts");
    let next = std::sync::atomic::AtomicU64::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let built = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= cases {
                    break;
                }
                match run_case(&base, seed.wrapping_add(i.wrapping_mul(0x9E37_79B9)), &fonts) {
                    Ok(0) => {
                        built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    Ok(_) => {}
                    Err(e) => failures.lock().unwrap().push(e),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    let built = built.into_inner();
    eprintln!("{cases} mutated editions: {built} built (exit 0, checked), {} refused (exit 2)", cases - built - failures.len() as u64);
    assert!(built * 20 >= cases, "too few mutations reach a built page ({built} of {cases})");
    assert!(failures.is_empty(), "{} of {cases} cases failed:\n{}", failures.len(), failures.join("\n---\n"));
}
