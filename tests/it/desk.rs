//! What the layout desk sees while it works: `diff` after an ordinary copy
//! edit names only that edit (hung marks stay with their block, no no-op
//! changes), progress is printed issue by issue, and `watch` tells local
//! time.

use crate::common::*;

/// A copy edit that reflows a paragraph moves hung marks (行末悬挂); the
/// structural diff must file them under their block, never under the page
/// header, and must list no change that reads the same on both sides.
#[test]
fn a_copy_edit_reports_no_page_header_change_and_no_no_op() {
    let p = TempProject::new();
    let o = p.run(&["build", "content/ed", "--out", "a"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Every hung mark of the old page is inside a block's dump: the page
    // lines are the header's alone (above every block).
    let dump: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.path().join("a/xinchun-1.layout.json")).unwrap()).unwrap();
    let top = dump["blocks"].as_array().unwrap().iter().map(|b| b["rect_mm"][1].as_f64().unwrap()).fold(f64::MAX, f64::min);
    let page_lines = dump["page_lines"].as_array().unwrap();
    assert!(!page_lines.is_empty(), "the header is there");
    for l in page_lines {
        assert!(l["y"].as_f64().unwrap() < top, "a line below the header filed under the page: {l}");
    }

    // Four characters into the second paragraph of chunan: 13 lines reflow.
    p.edit("content/ed/1/articles/chunan.md", |s| {
        let at = s.rfind("+++").unwrap();
        let (head, body) = s.split_at(at);
        let mut paras: Vec<String> = body.split("\n\n").map(String::from).collect();
        let chars: Vec<char> = paras[2].chars().collect();
        paras[2] = chars[..10].iter().chain("新增两字".chars().collect::<Vec<_>>().iter()).chain(chars[10..].iter()).collect();
        format!("{head}{}", paras.join("\n\n"))
    });
    let o = p.run(&["build", "content/ed", "--out", "b"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = p.run(&["diff", "a", "b"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("chunan: paragraph 2 changed"), "{report}");
    assert!(report.contains("lines reflowed"), "{report}");
    assert!(!report.contains("page header"), "a copy edit reported as a header change:\n{report}");
    assert!(!report.contains("outside every block"), "hung marks' pixels filed under the page:\n{report}");
    for change in report.split([';', '\n']).filter_map(|s| s.split(" changed ").nth(1)) {
        let (a, b) = change.split_once('→').unwrap_or((change, ""));
        assert_ne!(a.trim(), b.trim(), "a no-op change listed:\n{report}");
    }
}

/// The hour `paiban watch` prints on its first rebuild line with `TZ` set.
fn watch_hour(p: &TempProject, tz: &str) -> u32 {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let fonts = root().join("fonts");
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(["watch", "content/ed", "--out", &format!("proofs-{}", tz.len()), "--dpi", "20", "--root", "."])
        .args(["--font-path", fonts.to_str().unwrap()])
        .env("TZ", tz)
        .current_dir(p.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("paiban watch starts");
    let out = child.stdout.take().unwrap();
    let line = BufReader::new(out).lines().map_while(Result::ok).find(|l| l.starts_with('['));
    let _ = child.kill();
    let _ = child.wait();
    let line = line.expect("a rebuild line");
    line[1..3].parse().unwrap_or_else(|_| panic!("no hour in {line}"))
}

/// Watch's times are the machine's local time: a Beijing desk (UTC+8,
/// POSIX `CST-8`, no daylight saving) reads eight hours past UTC.
#[test]
fn watch_prints_local_time() {
    let p = TempProject::new();
    let utc = watch_hour(&p, "UTC0");
    let beijing = watch_hour(&p, "CST-8");
    // Taken a moment apart: the hour may roll over between the two runs.
    let d = (beijing + 24 - utc) % 24;
    assert!(d == 8 || d == 9, "UTC {utc}:xx, Beijing {beijing}:xx");
}

/// A synthetic edition of `pages` placeholder pages in `p`.
fn synth_edition(p: &TempProject, pages: &str) -> std::process::Output {
    p.run(&["synth", "content/synth", "--pages", pages, "--seed", "3"])
}

#[test]
fn long_builds_print_a_line_per_issue_as_it_finishes_and_quiet_prints_none() {
    let p = TempProject::new();
    let o = synth_edition(&p, "4");
    assert!(o.status.success(), "{}", stderr(&o));
    // Not a terminal: plain lines, one per issue, numbered.
    let s = stderr(&o);
    for i in 1..=4 {
        assert!(s.contains(&format!("[{i}/4] ")), "synth line {i}: {s}");
    }
    // stdout and stderr in one stream: the per-issue lines come before the
    // files are named, i.e. as issues finish, not all at the end.
    let fonts = root().join("fonts");
    let merged = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' build content/synth --out out --root . --font-path '{}' 2>&1",
            env!("CARGO_BIN_EXE_paiban"),
            fonts.display()
        ))
        .current_dir(p.path())
        .output()
        .unwrap();
    let all = String::from_utf8_lossy(&merged.stdout).into_owned();
    assert!(merged.status.success(), "{all}");
    let last_progress = (1..=4).filter_map(|i| all.find(&format!("[{i}/4] "))).max().expect("progress lines");
    let first_file = all.find(".pdf (").expect("files named");
    assert!(last_progress < first_file, "{all}");
    // --quiet: no progress at all.
    let q = p.run(&["build", "content/synth", "--out", "out", "--quiet"]);
    assert!(q.status.success());
    assert!(!stderr(&q).contains("/4] "), "{}", stderr(&q));
}

#[test]
fn on_a_terminal_a_long_build_shows_a_bar() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: no `script` to give paiban a terminal; bar not checked");
        return;
    }
    let p = TempProject::new();
    assert!(synth_edition(&p, "4").status.success());
    let fonts = root().join("fonts");
    let cmd = format!(
        "'{}' build content/synth --out out --root . --font-path '{}'",
        env!("CARGO_BIN_EXE_paiban"),
        fonts.display()
    );
    let o = std::process::Command::new("script").args(["-qec", &cmd, "/dev/null"]).current_dir(p.path()).output().unwrap();
    let all = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{all}");
    assert!(all.contains("issues,") && all.contains("building"), "a bar on a terminal: {all}");
}
