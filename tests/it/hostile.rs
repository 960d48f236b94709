//! Hostile input: values that used to wrap, files that are not files,
//! damaged photos and fonts, invisible characters, and an output folder that
//! changes as a whole or not at all. Every case is exit 2 naming a file, or
//! a clean build; never a hang, a panic or a half-written folder.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::*;

/// Runs paiban in the project with a deadline; a hang is a test failure,
/// not a stuck CI.
fn run_within(p: &TempProject, args: &[&str], limit: Duration) -> Output {
    let fonts = root().join("fonts");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", ".", "--font-path", fonts.to_str().unwrap()]);
    crate::common::run_within(&all, p.path(), limit).unwrap_or_else(|| panic!("paiban {args:?} still running after {limit:?}"))
}

fn build(p: &TempProject) -> Output {
    run_within(p, &["build", "content/ed", "--out", "out", "--issue", "xinchun-1"], Duration::from_secs(60))
}

fn fails_naming(o: &Output, file: &str, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "exit 2 expected: {err}");
    assert!(err.contains(file), "names {file}: {err}");
    for w in words {
        assert!(err.contains(w), "says `{w}`: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn placement_values_near_u32_max_are_outside_the_grid_not_wrapped() {
    for field in ["line", "column", "lines", "span"] {
        let p = TempProject::new();
        p.edit("content/ed/1/issue.toml", |t| {
            // The chunan block's value, replaced by 4294967295.
            let at = t.find("article = \"chunan\"").unwrap();
            let key = format!("\n{field} = ");
            let k = at + t[at..].find(&key).unwrap() + key.len();
            let end = k + t[k..].find('\n').unwrap();
            format!("{}4294967295{}", &t[..k], &t[end..])
        });
        let o = build(&p);
        fails_naming(&o, "issue.toml", &["chunan"]);
        let check = run_within(&p, &["check", "content/ed"], Duration::from_secs(60));
        assert_eq!(check.status.code(), Some(2), "{field}: check must not say it fits");
    }
}

#[test]
fn a_photo_wider_than_its_block_is_an_error_naming_article_and_photo() {
    for cells in ["100", "4294967295"] {
        let p = TempProject::new();
        p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("cells = 12", &format!("cells = {cells}"), 1));
        let o = build(&p);
        fails_naming(&o, "issue.toml", &["chunan-portrait", "chunan", "does not fit its block"]);
    }
}

#[test]
fn a_photo_that_is_a_fifo_is_refused_at_once() {
    let p = TempProject::new();
    let fifo = p.article("1", "chunan").with_file_name("pipe.jpg");
    let ok = Command::new("mkfifo").arg(&fifo).status().unwrap().success();
    assert!(ok, "mkfifo");
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("caption = \"\"", "file = \"pipe.jpg\"\ncaption = \"\"", 1));
    let o = run_within(&p, &["build", "content/ed", "--out", "out", "--issue", "xinchun-1"], Duration::from_secs(20));
    fails_naming(&o, "chunan.md", &["pipe.jpg", "not a regular file"]);
}

/// A PNG whose header claims 50,000 × 50,000 pixels (a decompression bomb's
/// shape) in a few hundred bytes.
fn bomb_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend_from_slice(data);
        out.extend_from_slice(&c);
        out.extend_from_slice(&crc32(&c).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    let p = TempProject::new();
    std::fs::write(p.article("1", "chunan").with_file_name("bomb.png"), bomb_png()).unwrap();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("caption = \"\"", "file = \"bomb.png\"\ncaption = \"\"", 1));
    let o = build(&p);
    fails_naming(&o, "chunan", &["chunan-portrait", "bomb.png", "50000 × 50000"]);
}

#[test]
fn a_damaged_bundled_font_is_an_error_naming_it() {
    let p = TempProject::new();
    let name = "NotoSerifCJKsc-Regular.subset.otf";
    let bytes = std::fs::read(root().join("fonts").join(name)).unwrap();
    std::fs::write(p.path().join("fonts").join(name), &bytes[..100_000]).unwrap();
    std::fs::write(p.path().join("fonts/SHA256SUMS"), format!("0000  {name}\n")).unwrap();
    let o = build(&p);
    fails_naming(&o, name, &["damaged"]);
}

#[test]
fn a_font_collection_with_a_lying_header_costs_nothing() {
    let p = TempProject::new();
    let dir = p.path().join("evil-fonts");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("bad.ttc"), b"ttcf\x00\x01\x00\x00\xff\xff\xff\xff").unwrap();
    let t = Instant::now();
    let o = run_within(&p, &["fonts", "--font-path", "evil-fonts"], Duration::from_secs(10));
    fails_naming(&o, "bad.ttc", &["damaged font collection"]);
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn body_text_in_a_banner_is_not_dropped_silently() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/banner.md", |t| format!("{t}\n这段正文不会印出来。\n"));
    let o = build(&p);
    fails_naming(&o, "banner.md", &["banner", "text after its front matter"]);
}

#[test]
fn line_separators_and_invisible_characters_are_named() {
    for (c, name) in [('\u{2028}', "U+2028"), ('\u{2029}', "U+2029"), ('\u{200B}', "U+200B"), ('\u{202E}', "U+202E")] {
        let p = TempProject::new();
        p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("稳步推进", &format!("稳步{c}推进"), 1));
        let o = build(&p);
        fails_naming(&o, "chunan.md:", &[name]);
    }
}

#[test]
fn cr_only_line_ends_read_as_line_ends() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replace('\n', "\r"));
    let o = build(&p);
    assert!(o.status.success(), "{}", stderr(&o));
    let q = TempProject::new();
    let o2 = build(&q);
    assert!(o2.status.success());
    let a = std::fs::read(p.path().join("out/xinchun-1.layout.json")).unwrap();
    let b = std::fs::read(q.path().join("out/xinchun-1.layout.json")).unwrap();
    assert!(a == b, "CR-only copy lays out as LF copy does");
}

#[test]
fn a_symlink_loop_in_articles_is_bad_input() {
    let p = TempProject::new();
    let dir = p.edition().join("1/articles");
    std::os::unix::fs::symlink(dir.join("loop.md"), dir.join("loop.md")).unwrap();
    let o = build(&p);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("loop.md"), "{}", stderr(&o));
}

#[test]
fn copy_longer_than_the_page_is_refused_at_once() {
    let p = TempProject::new();
    let para: String = "工会工作新春访谈".repeat(12_500); // 100,000 characters
    p.edit("content/ed/1/articles/chunan.md", |t| format!("{t}\n{para}\n"));
    let t = Instant::now();
    let o = run_within(&p, &["build", "content/ed", "--out", "out"], Duration::from_secs(30));
    fails_naming(&o, "chunan.md", &["can never fit", "characters"]);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = if e.path().is_file() { std::fs::read(e.path()).unwrap() } else { b"<dir>".to_vec() };
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn a_failed_write_leaves_the_output_folder_as_it_was() {
    let p = TempProject::new();
    let o = p.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = p.path().join("out");
    // A later build whose second issue's PDF cannot be written: its name is
    // taken by a folder.
    std::fs::remove_file(out.join("xinchun-2.pdf")).unwrap();
    std::fs::create_dir(out.join("xinchun-2.pdf")).unwrap();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("稳步推进", "稳步地推进", 1));
    let before = listing(&out);
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("xinchun-2.pdf"), "{}", stderr(&o));
    assert!(before == listing(&out), "the folder changed: issue 一's files were replaced or temp files left");
}

#[test]
fn an_issue_that_fails_writes_nothing_of_the_issues_already_made() {
    // Issues are staged as each is made (src/cli/build.rs): issue 一 is
    // made and staged, issue 二 is overset, and the folder keeps the last
    // good build, with no temporary file left.
    let p = TempProject::new();
    let o = p.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = p.path().join("out");
    let before = listing(&out);
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("稳步推进", "稳步地推进", 1));
    p.edit("content/ed/2/articles/slot-1.md", |t| t.replace("chars = 1035", "chars = 4000"));
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("overset"), "{}", stderr(&o));
    assert!(before == listing(&out), "the folder changed: issue 一's files were replaced or temp files left");
}

#[test]
fn stale_temp_files_of_a_killed_build_are_removed() {
    let p = TempProject::new();
    let out = p.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Left by processes that no longer exist (pid 4194303 is past pid_max's default).
    for name in [".xinchun-1.pdf.paiban-4194303.tmp", ".xinchun-1.map.json.4194303.tmp", ".keep.txt"] {
        std::fs::write(out.join(name), b"stale").unwrap();
    }
    let o = p.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let names: Vec<String> = listing(&out).into_iter().map(|(n, _)| n).collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp") || n.ends_with(".old")), "{names:?}");
    assert!(names.contains(&".keep.txt".to_string()), "the desk's own files stay");
}

#[test]
fn the_page_map_is_the_same_from_any_working_folder() {
    let p = TempProject::new();
    assert!(p.build(&[]).status.success());
    let fonts = root().join("fonts");
    let sub = p.path().join("content");
    let o = paiban(
        &["build", "ed", "--out", "../out2", "--root", "..", "--font-path", fonts.to_str().unwrap()],
        &sub,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let a = std::fs::read(p.path().join("out/xinchun-1.map.json")).unwrap();
    let b = std::fs::read(p.path().join("out2/xinchun-1.map.json")).unwrap();
    assert!(a == b, "map.json depends on the working folder");
    assert!(String::from_utf8_lossy(&a).contains("\"file\": \"content/ed/1/articles/chunan.md\""));
}

#[test]
fn a_runaway_head_value_is_refused_at_once() {
    for (file, key) in [("content/ed/1/articles/chunan.md", "headline"), ("content/ed/1/issue.toml", "paper")] {
        let p = TempProject::new();
        let huge = "长".repeat(300_000);
        p.edit(file, |t| {
            let at = t.find(&format!("{key} = \"")).unwrap() + key.len() + 4;
            let end = at + t[at..].find('"').unwrap();
            format!("{}{huge}{}", &t[..at], &t[end..])
        });
        let t = Instant::now();
        let o = run_within(&p, &["build", "content/ed", "--out", "out"], Duration::from_secs(30));
        fails_naming(&o, file.rsplit('/').next().unwrap(), &["300000 characters"]);
        assert!(t.elapsed() < Duration::from_secs(10), "{key}: {:?}", t.elapsed());
        assert!(stderr(&o).len() < 4000, "{key}: the message quotes the whole value");
    }
}
