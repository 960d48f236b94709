//! `--json`: one schema (1) for build, check, lint, diff, snapshot and
//! preflight, parsed here for success and for failure. Errors under
//! `--json` are a JSON document on stdout too, with the same exit code.

use std::process::Output;

use crate::common::*;
use serde_json::Value;

/// Parses stdout as the one JSON document and checks the envelope every
/// command shares: schema 1, the command's name, `ok` true exactly when the
/// exit code is 0, `warnings` a list, `error` null or an error object.
fn doc(o: &Output, command: &str) -> Value {
    let out = stdout(o);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{out}\nstderr:\n{}", stderr(o)));
    assert_eq!(v["schema"], 1, "{out}");
    assert_eq!(v["command"], command, "{out}");
    assert_eq!(v["ok"].as_bool(), Some(o.status.code() == Some(0)), "ok is the exit code 0: {out}");
    assert!(v["warnings"].is_array(), "{out}");
    let e = &v["error"];
    assert!(e.is_null() || (e["kind"].is_string() && e["message"].is_string()), "{out}");
    v
}

/// An error document: exit code `code`, ok false, the error's fields.
fn error_doc(o: &Output, command: &str, code: i32) -> Value {
    assert_eq!(o.status.code(), Some(code), "stderr:\n{}", stderr(o));
    let v = doc(o, command);
    assert_eq!(v["ok"], false);
    let e = v["error"].clone();
    for k in ["kind", "file", "line", "column", "message", "hint"] {
        assert!(e.get(k).is_some(), "error lacks `{k}`: {e}");
    }
    e
}

fn break_date(p: &TempProject) {
    p.edit("content/ed/1/issue.toml", |t| {
        let line = t.lines().find(|l| l.starts_with("date = ")).expect("date line").to_string();
        t.replacen(&line, "date = 2018年2月13日", 1)
    });
}

#[test]
fn build_json_lists_what_it_wrote_and_fails_as_json() {
    let p = TempProject::new();
    let o = p.build(&["--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = doc(&o, "build");
    assert!(v["error"].is_null());
    let issues = v["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2, "{v}");
    for i in issues {
        let pdf = p.path().join(i["pdf"].as_str().unwrap());
        assert_eq!(std::fs::metadata(&pdf).unwrap().len(), i["bytes"].as_u64().unwrap(), "{i}");
        assert_eq!(i["pages"], 1);
    }
    // The source's two unbalanced quotes are among the warnings, located.
    let ws = v["warnings"].as_array().unwrap();
    let lint: Vec<_> = ws.iter().filter(|w| w["message"].as_str().unwrap().contains("unbalanced")).collect();
    assert_eq!(lint.len(), 2, "{v}");
    assert!(lint[0]["file"].as_str().unwrap().ends_with("yongjia.md") && lint[0]["line"] == 20, "{v}");

    // --deny-warnings: exit 1, and the error says how many were denied.
    let o = p.build(&["--json", "--deny-warnings"]);
    let e = error_doc(&o, "build", 1);
    assert!(e["message"].as_str().unwrap().contains("warning(s) denied by --deny-warnings"), "{e}");

    // Bad input: exit 2, the error with file, line, column and hint.
    break_date(&p);
    let o = p.build(&["--json"]);
    let e = error_doc(&o, "build", 2);
    assert_eq!(e["kind"], "input");
    assert!(e["file"].as_str().unwrap().ends_with("1/issue.toml"), "{e}");
    assert_eq!((e["line"].as_u64().is_some(), e["column"].as_u64().is_some()), (true, true), "{e}");
    assert!(e["hint"].as_str().unwrap().contains("2018-02-13"), "{e}");
}

#[test]
fn an_unknown_issue_under_json_lists_the_ids() {
    let p = TempProject::new();
    let o = p.build(&["--json", "--issue", "nosuch"]);
    let e = error_doc(&o, "build", 2);
    assert!(e["message"].as_str().unwrap().contains("nosuch"), "{e}");
    assert!(e["hint"].as_str().unwrap().contains("xinchun-1, xinchun-2"), "{e}");
}

#[test]
fn check_json_has_the_schema_and_fails_as_json() {
    let p = TempProject::new();
    let o = p.run(&["check", "content/ed", "--json", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = doc(&o, "check");
    assert!(v["articles"].as_array().is_some_and(|a| !a.is_empty()), "{v}");
    assert_eq!(v["totals"]["overset"], 0, "{v}");
    let o = p.run(&["check", "content/ed", "--json", "--issue", "nosuch"]);
    error_doc(&o, "check", 2);
    break_date(&p);
    let o = p.run(&["check", "content/ed", "--json"]);
    let e = error_doc(&o, "check", 2);
    assert!(e["file"].as_str().unwrap().ends_with("issue.toml"), "{e}");
}

#[test]
fn lint_json_gives_each_warning_located() {
    let o = paiban(&["lint", "content/xinchun-2018", "--json"], &root());
    assert_eq!(o.status.code(), Some(0));
    let v = doc(&o, "lint");
    let ws = v["warnings"].as_array().unwrap();
    assert_eq!(ws.len(), 2, "{v}");
    assert_eq!((ws[0]["line"].as_u64(), ws[0]["column"].as_u64()), (Some(20), Some(47)), "{v}");
    assert!(ws[0]["excerpt"].as_str().unwrap().contains("美好生活需求。”"), "{v}");
    let o = paiban(&["lint", "content/xinchun-2018", "--json", "--deny-warnings"], &root());
    let e = error_doc(&o, "lint", 1);
    assert!(e["message"].as_str().unwrap().starts_with("2 warning(s) denied"), "{e}");
    let o = paiban(&["lint", "content/nosuch", "--json"], &root());
    let e = error_doc(&o, "lint", 2);
    assert!(e["file"].as_str().unwrap().contains("nosuch"), "{e}");
}

#[test]
fn diff_snapshot_and_preflight_json() {
    let p = TempProject::new();
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // diff: a build folder against itself is identical; a missing one is bad input.
    let o = paiban(&["diff", "out", "out", "--json"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = doc(&o, "diff");
    assert_eq!(v["identical"], true);
    let pages = v["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 1, "{v}");
    assert_eq!((pages[0]["issue"].as_str(), pages[0]["status"].as_str()), (Some("xinchun-1"), Some("identical")));
    let o = paiban(&["diff", "out", "nosuch", "--json"], p.path());
    let e = error_doc(&o, "diff", 2);
    assert!(e["file"].as_str().unwrap().contains("nosuch"), "{e}");

    // preflight of what build wrote passes; an unknown issue is an error.
    let o = paiban(&["preflight", "content/ed", "--issue", "xinchun-1", "--json"], p.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v = doc(&o, "preflight");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1), "{v}");
    let o = paiban(&["preflight", "content/ed", "--issue", "nosuch", "--json"], p.path());
    let e = error_doc(&o, "preflight", 2);
    assert!(e["hint"].as_str().unwrap().contains("xinchun-1, xinchun-2"), "{e}");

    // snapshot check: written with --bless, then every page matches.
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", "snaps", "--bless", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = doc(&o, "snapshot");
    assert!(v["pages"].as_array().unwrap().iter().all(|pg| pg["outcome"] == "blessed"), "{v}");
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", "snaps", "--json"]);
    let v = doc(&o, "snapshot");
    assert_eq!(v["pending"], 0, "{v}");
    assert!(v["pages"].as_array().unwrap().iter().all(|pg| pg["outcome"] == "same"), "{v}");
    break_date(&p);
    let o = p.run(&["snapshot", "check", "content/ed", "--dir", "snaps", "--json"]);
    error_doc(&o, "snapshot", 2);
}
