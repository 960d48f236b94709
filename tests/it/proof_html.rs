//! `proof --html` in a real headless browser: index.html loads from disk,
//! shows every page, logs nothing to the console, and a click on a block
//! shows its id, file and fit.
//!
//! The browser is Debian's chromium (`.ci/run` installs it). Without one the
//! test says so on the terminal and passes only if `PAIBAN_REQUIRE_BROWSER`
//! is unset; CI sets it, so there it can never be skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

pub fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PAIBAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

/// Loads `url` headless and returns the DOM after scripts ran and images
/// loaded, and the browser's log.
fn dump_dom(chromium: &Path, url: &str, profile: &Path) -> (String, String) {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=10000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", stderr(&out));
    (stdout(&out), stderr(&out))
}

fn attr<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let html = &dom[dom.find("<html")?..];
    let html = &html[..html.find('>')?];
    let at = html.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&html[at..at + html[at..].find('"')?])
}

fn text_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let at = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let s = &dom[at..];
    let s = &s[s.find('>').unwrap() + 1..];
    &s[..s.find('<').unwrap()]
}

#[test]
fn index_html_loads_in_a_browser_and_a_block_click_shows_id_file_and_fit() {
    let Some(chromium) = browser() else {
        assert!(
            std::env::var_os("PAIBAN_REQUIRE_BROWSER").is_none(),
            "PAIBAN_REQUIRE_BROWSER is set but no chromium was found"
        );
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED proof_html: no chromium on PATH (apt-get install chromium, or set PAIBAN_CHROMIUM)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("proofs");
    let o = paiban(
        &["proof", "content/xinchun-2018", "--html", "--dpi", "30", "--out", out.to_str().unwrap()],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let index = out.join("index.html");
    let url = format!("file://{}#select=chunan", index.display());
    let (dom, log) = dump_dom(&chromium, &url, &dir.path().join("profile"));

    let blocks: usize = laid().iter().map(|l| l.map.blocks.len()).sum();
    assert_eq!(attr(&dom, "data-errors"), None, "script or image errors in the page");
    assert!(!log.contains(":CONSOLE"), "the page logged to the console:\n{log}");
    assert_eq!(attr(&dom, "data-pages"), Some("2"), "both issues' pages are shown");
    assert_eq!(attr(&dom, "data-loaded"), Some("2"), "both page images loaded from disk");
    assert_eq!(attr(&dom, "data-ready"), Some("yes"));
    assert_eq!(dom.matches("<figure class=\"page\"").count(), 2);
    assert_eq!(dom.matches("class=\"block").count(), blocks, "one clickable box per block");

    // The click (dispatched by the page for #select=) filled the info box.
    assert_eq!(text_of(&dom, "info-article"), "chunan");
    assert!(text_of(&dom, "info-file").ends_with("1/articles/chunan.md"));
    let fit = text_of(&dom, "info-fit");
    assert!(fit.starts_with("fits: ") && fit.contains("column-lines"), "{fit}");
    assert!(dom.contains("class=\"block selected\" data-article=\"chunan\""), "the block is marked");

    // Every line the typography check reports is marked on its page; the
    // seed edition sets with none (the default house style), so there is no
    // mark.
    let mut typo = paiban::check::typography::TypoReport::default();
    for l in laid() {
        paiban::check::typography::check(l, &mut typo);
    }
    assert!(typo.violations.is_empty(), "{:?}", typo.violations);
    assert_eq!(dom.matches("class=\"typo ").count(), 0);

    // The fit report beside the page lists every article with body text.
    for l in laid() {
        for f in &l.fits {
            assert!(
                dom.contains(&format!("<td>{}</td>", f.article)),
                "{} missing from the report",
                f.article
            );
        }
    }
}

/// A fontconfig that sees no CJK font: only DejaVu (Latin), if the machine
/// has it. Chromium run with it has no system font for Chinese at all.
fn no_cjk_fontconfig(dir: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    let cache = dir.join("fc-cache");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{}</cachedir></fontconfig>\n",
            cache.display()
        ),
    )
    .unwrap();
    conf
}

/// `data-cjk` of a page loaded in chromium without CJK system fonts: "ok"
/// when two different Chinese characters draw differently in every font
/// stack the page uses, "tofu: …" otherwise.
fn cjk_in_browser(chromium: &Path, page: &Path, dir: &Path, name: &str) -> (String, String) {
    let conf = no_cjk_fontconfig(dir);
    let out = Command::new(chromium)
        .env("FONTCONFIG_FILE", &conf)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.join(format!("profile-{name}")).display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", stderr(&out));
    let dom = stdout(&out);
    (attr(&dom, "data-cjk").unwrap_or("(no probe)").to_string(), dom)
}

/// The proof index and the diff report show Chinese in the bundled fonts
/// (loaded by relative `@font-face` URLs into the project's fonts/) on a
/// browser that has no CJK font: the same page without the `@font-face`
/// rules shows tofu there, so the check is not blind. The index also shows
/// each issue's lint warnings, its 待稿 status and each page's preflight.
#[test]
fn html_shows_chinese_without_system_fonts_and_lint_placeholders_preflight() {
    let Some(chromium) = browser() else {
        assert!(std::env::var_os("PAIBAN_REQUIRE_BROWSER").is_none(), "PAIBAN_REQUIRE_BROWSER is set but no chromium was found");
        let _ = writeln!(std::io::stderr(), "SKIPPED proof_html fonts: no chromium on PATH");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built");
    let o = paiban(&["build", "content/xinchun-2018", "--issue", "xinchun-1", "--out", built.to_str().unwrap()], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("deep/proofs");
    let o = paiban(
        &["proof", "content/xinchun-2018", "--html", "--dpi", "20", "--out", out.to_str().unwrap(), "--build", built.to_str().unwrap()],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let index = out.join("index.html");
    let html = std::fs::read_to_string(&index).unwrap();
    assert!(html.contains("@font-face"), "the index loads the bundled fonts");
    assert!(!std::fs::read_dir(&out).unwrap().any(|e| {
        let n = e.unwrap().file_name();
        let n = n.to_string_lossy();
        n.ends_with(".otf") || n.ends_with(".ttf")
    }), "no font is copied beside the index");

    // The control: without the @font-face rules, this browser shows tofu.
    let stripped: String = html.split("@font-face").enumerate().map(|(i, part)| {
        if i == 0 { part.to_string() } else { part[part.find('}').unwrap() + 1..].to_string() }
    }).collect();
    let control = out.join("control.html");
    std::fs::write(&control, stripped).unwrap();
    let (cjk, _) = cjk_in_browser(&chromium, &control, dir.path(), "control");
    assert!(cjk.starts_with("tofu"), "the browser has a CJK font after all ({cjk}): the test would be blind");

    let (cjk, dom) = cjk_in_browser(&chromium, &index, dir.path(), "index");
    assert_eq!(cjk, "ok", "Chinese shows as tofu in the proof index");
    let loaded: usize = attr(&dom, "data-fonts-loaded").unwrap().parse().unwrap();
    assert!(loaded >= 2, "the bundled faces loaded ({loaded})");

    // Lint warnings, 待稿 status and preflight, per issue and page.
    let lint = paiban::content::lint::edition(edition());
    let in_issue = |n: &str| lint.iter().filter(|w| w.location.to_string().contains(&format!("/{n}/articles/"))).count();
    assert!(in_issue("1") > 0, "issue (一) has lint warnings to show");
    assert_eq!(text_of(&dom, "lint-xinchun-1").len(), 0, "the heading comes first");
    assert!(dom.contains(&format!("Lint: {} warning(s)", in_issue("1"))), "issue (一)'s lint count");
    assert!(dom.contains(&format!("Lint: {} warning(s)", in_issue("2"))), "issue (二)'s lint count");
    let held: Vec<&str> = edition().issues[1].articles.iter().filter(|a| a.placeholder).map(|a| a.id.as_str()).collect();
    assert!(!held.is_empty());
    let placeholder = text_of(&dom, "placeholder-xinchun-2");
    assert!(placeholder.contains("待稿") && held.iter().all(|id| placeholder.contains(id)), "{placeholder}");
    assert!(text_of(&dom, "placeholder-xinchun-1").contains("No placeholder"));
    let pf1 = text_of(&dom, "preflight-xinchun-1-p1");
    assert!(pf1.starts_with("preflight of page 1: PASS") || pf1.starts_with("preflight of page 1: WARN"), "{pf1}");
    assert_eq!(text_of(&dom, "preflight-xinchun-2-p1"), "preflight of page 1: not built");

    // The diff report too.
    let p = TempProject::new();
    assert!(p.run(&["build", "content/ed", "--out", "a"]).status.success());
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("冰雪消融", "春回大地", 1));
    assert!(p.run(&["build", "content/ed", "--out", "b"]).status.success());
    let o = p.run(&["diff", "a", "b", "--dpi", "20", "--out", "d"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let (cjk, dom) = cjk_in_browser(&chromium, &p.path().join("d/index.html"), dir.path(), "diff");
    assert_eq!(cjk, "ok", "Chinese shows as tofu in the diff report");
    assert!(dom.contains("春回大地"));
}

/// A planted defect is marked in the index where it is on the page: the
/// planted loose line of `proof::a_planted_loose_line_is_marked_over_its_own_line`,
/// proofed with `--html` and loaded in the browser. Its one mark, as the
/// page's script placed it (percentages of the page), covers the line's own
/// glyphs as Typst set them, and not the next line's.
#[test]
fn a_planted_loose_line_is_marked_in_the_index_over_its_line() {
    let Some(chromium) = browser() else {
        assert!(std::env::var_os("PAIBAN_REQUIRE_BROWSER").is_none(), "PAIBAN_REQUIRE_BROWSER is set but no chromium was found");
        return;
    };
    let body = "一二三四五六七八九1234年甲乙丙丁戊己庚辛\n\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
    let (p, laid, _) = page(body, 30, false, "");
    let o = p.run(&["proof", "content/ed", "--html", "--dpi", "30", "--out", "proofs"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let url = format!("file://{}", p.path().join("proofs/index.html").display());
    let (dom, _) = dump_dom(&chromium, &url, &p.path().join("profile"));
    assert_eq!(attr(&dom, "data-ready"), Some("yes"));
    let marks: Vec<&str> = dom.match_indices("class=\"typo ").map(|(i, _)| &dom[i..i + dom[i..].find('>').unwrap()]).collect();
    assert_eq!(marks.len(), 1, "one mark for the one reported line: {marks:?}");
    let mark = marks[0];
    assert!(mark.contains("data-rule=\"loose\"") && mark.contains("一二三四五六七八九"), "{mark}");
    // The mark's box, back in pt from its percentages of the page.
    let style = &mark[mark.find("style=\"").unwrap() + 7..];
    let pct = |key: &str| -> f64 {
        let at = style.find(&format!("{key}:")).unwrap_or_else(|| panic!("no {key} in {style}")) + key.len() + 1;
        style[at..at + style[at..].find('%').unwrap()].trim().parse().unwrap()
    };
    let (pw, ph) = (laid.grid.width, laid.grid.height);
    let (x, y) = (pct("left") * pw / 100.0, pct("top") * ph / 100.0);
    let (w, h) = (pct("width") * pw / 100.0, pct("height") * ph / 100.0);
    let inside = |gx: f64, gy: f64| gx >= x - 0.1 && gx < x + w && gy > y && gy <= y + h + 0.1;
    let body_glyphs: Vec<(f64, f64, String)> = laid.scans[0]
        .runs
        .iter()
        .filter(|r| (r.size - laid.grid.cell).abs() < 0.01 && r.text.chars().any(|c| "一九1234甲".contains(c)))
        .flat_map(|r| r.glyphs.iter().map(move |g| (g.0, r.y, g.2.clone())))
        .collect();
    let at = |s: &str| body_glyphs.iter().find(|g| g.2 == s).unwrap_or_else(|| panic!("no {s}"));
    for s in ["一", "五", "九"] {
        let (gx, gy, _) = at(s);
        assert!(inside(*gx, *gy), "{s} at ({gx:.1}, {gy:.1}) outside the mark {:?}", [x, y, w, h]);
    }
    let (gx, gy, _) = at("1");
    assert!(!inside(*gx, *gy), "the next line's 1234 is inside the mark");
}
