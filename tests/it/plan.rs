//! `paiban plan`: plans made from articles alone, on the seed issue (一)
//! with its plan removed, on every page of three synthetic editions (seeds
//! 1–3, not chosen) and on a 四开 page of another grid; the contact sheet
//! in a browser. Each plan is then loaded and laid out as `build` would,
//! and the page itself is held to the desk's rules: zero overset, nothing
//! outside its block, every article placed, ≥ 97 % of the grid covered,
//! banner and lead on top, the lead story top left, no heads side by side
//! (碰题, read from where the headlines' lines were set), no photos touching
//! (read from the drawn frames), no body column under six lines (豆腐块).

use std::path::{Path, PathBuf};

use crate::common::*;
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::check::invariant;
use paiban::typeset::ink::{self, What};
use paiban::plan::place as load;
use paiban::content::model::{ArticleKind, Issue};

/// A copy of `src` (an edition) in a temporary folder, keeping only the
/// issue folders named, each issue.toml without its `[[place]]` tables.
fn unplanned(src: &Path, folders: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ed = tmp.path().join("ed");
    copy_dir(src, &ed);
    let list: Vec<String> = folders.iter().map(|f| format!("\"{f}\"")).collect();
    let edition = std::fs::read_to_string(ed.join("edition.toml")).unwrap();
    let kept: String = edition.lines().filter(|l| !l.starts_with("issues")).map(|l| format!("{l}\n")).collect();
    std::fs::write(ed.join("edition.toml"), format!("{kept}issues = [{}]\n", list.join(", "))).unwrap();
    for f in folders {
        let path = ed.join(f).join("issue.toml");
        let mut doc: toml_edit::DocumentMut = std::fs::read_to_string(&path).unwrap().parse().unwrap();
        doc.remove("place");
        std::fs::write(&path, doc.to_string()).unwrap();
    }
    (tmp, ed)
}

/// Plans issue `id` (in folder `folder`) into its issue.toml, then lays it
/// out and checks the page. Returns the issue as loaded.
fn plan_and_check(ed: &Path, folder: &str, id: &str) -> Issue {
    let (issue, warned) = plan_and_check_page(ed, folder, id, false);
    assert!(!warned);
    issue
}

/// `plan_and_check`; with `may_warn`, a plan may keep heads side by side
/// (碰题) where it says so: its warning then names every pair found on the
/// page, and no other rule. Returns the issue and whether it warned.
fn plan_and_check_page(ed: &Path, folder: &str, id: &str, may_warn: bool) -> (Issue, bool) {
    let toml = ed.join(folder).join("issue.toml");
    let o = paiban(&["plan", ed.to_str().unwrap(), "--issue", id, "--out", toml.to_str().unwrap()], &root());
    assert!(o.status.success(), "plan failed: {}", stderr(&o));
    let err = stderr(&o);
    let warning = err.lines().find(|l| l.contains("warning")).unwrap_or("").to_string();
    let warned = !warning.is_empty();
    assert!(may_warn || !warned, "the plan breaks a desk rule: {err}");
    if warned {
        // What it breaks, each breach `rule: detail`, all 碰题.
        let broken = warning.split("the best breaks: ").nth(1).unwrap_or_else(|| panic!("{warning}"));
        for b in broken.split("; ") {
            assert!(b.starts_with("heads-side-by-side: "), "{id}: only 碰题 may be warned of: {warning}");
        }
    }
    // Every article placed: the edition loads only when each file is.
    let edition = load::edition(ed, &root()).unwrap_or_else(|e| panic!("planned issue does not load: {}", e.render()));
    let issue = edition.issues.into_iter().find(|i| i.file.id == id).unwrap();
    let files = std::fs::read_dir(ed.join(folder).join("articles")).unwrap().count();
    assert_eq!(issue.articles.len(), files, "every article placed");
    let laid = rounds::lay_out(project(), &issue, LayoutOptions::default()).expect("the plan lays out");
    let grid = &laid.grid;

    // Zero overset; nothing drawn outside its block.
    assert!(laid.overset.is_empty(), "{id}: overset {:?}", laid.overset);
    let strays: Vec<String> =
        invariant::check(&laid).into_iter().map(|s| s.describe()).collect();
    assert!(strays.is_empty(), "{id}: {strays:?}");

    // Blocks cover ≥ 97 % of the grid, each cell once.
    let mut cells = vec![0u8; (grid.columns * grid.lines) as usize];
    for p in &issue.file.place {
        for c in p.column..p.column + p.span {
            for l in p.line..p.line + p.lines {
                cells[((l - 1) * grid.columns + c - 1) as usize] += 1;
            }
        }
    }
    assert!(cells.iter().all(|&n| n <= 1), "{id}: blocks overlap");
    let covered = cells.iter().filter(|&&n| n == 1).count() as f64 / cells.len() as f64;
    assert!(covered >= 0.97, "{id}: blocks cover {:.1} % of the grid", covered * 100.0);

    // Banner, then lead, across the top; the lead story at the top left.
    let kind = |a: &str| issue.article(a).unwrap().meta.kind;
    let mut line = 1;
    for k in [ArticleKind::Banner, ArticleKind::Lead] {
        for p in issue.file.place.iter().filter(|p| kind(&p.article) == k) {
            assert_eq!((p.line, p.column, p.span), (line, 1, grid.columns), "{id}: {} not across the top", p.article);
            line += p.lines;
        }
    }
    let len = |a: &str| issue.article(a).unwrap().body.iter().map(paiban::plan::chain::block_len).sum::<usize>();
    let lead_story = issue
        .articles
        .iter()
        .filter(|a| a.meta.kind.has_body())
        .min_by_key(|a| (a.meta.priority.unwrap_or(6), a.meta.kind != ArticleKind::EditorsNote, std::cmp::Reverse(len(&a.id)), a.id.clone()))
        .unwrap();
    let top_left = issue.file.place.iter().find(|p| p.column == 1 && p.line == line).expect("a block at the top left");
    assert_eq!(top_left.article, lead_story.id, "{id}: the lead story stands at the top left");

    // 碰题: headline lines of neighbours side by side, as set on the page,
    // unless the right one opens with its portrait.
    let head_rows = |key: &str| {
        let ys: Vec<f64> = laid.scans[0]
            .markers
            .iter()
            .filter(|m| {
                matches!(&m.mark, paiban::typeset::inspect::Mark::HeadLine { key: k, role, .. } if k == key && role == "headline")
            })
            .map(|m| m.y)
            .collect();
        (!ys.is_empty()).then(|| (ys.iter().cloned().fold(f64::MAX, f64::min) - 20.0, ys.iter().cloned().fold(f64::MIN, f64::max)))
    };
    for a in &issue.file.place {
        for b in issue.file.place.iter().filter(|b| a.column + a.span == b.column) {
            let portrait = kind(&b.article) == ArticleKind::Interview && !issue.article(&b.article).unwrap().meta.photos.is_empty();
            if let (Some(ra), Some(rb), false) = (head_rows(&a.article), head_rows(&b.article), portrait) {
                let apart = ra.1 < rb.0 || rb.1 < ra.0;
                if warned && !apart {
                    let said = [format!("{} and {}", a.article, b.article), format!("{} and {}", b.article, a.article)];
                    assert!(said.iter().any(|s| warning.contains(s.as_str())), "{id}: heads of {} and {} side by side, unsaid: {warning}", a.article, b.article);
                    continue;
                }
                assert!(apart, "{id}: heads of {} and {} side by side ({ra:?}, {rb:?})", a.article, b.article);
            }
        }
    }

    // Photos of two articles never touch: their drawn frames stay a gutter
    // and a line apart.
    let mut frames = Vec::new();
    for ink in ink::ink(&laid.doc.pages()[0]) {
        let ink::Owner::Block(key) = &ink.owner else { continue };
        let Some(a) = issue.article(key) else { continue };
        let (w, h) = match ink.what {
            What::Image(w, h) | What::Box(w, h) => (w, h),
            _ => continue,
        };
        if a.meta.photos.iter().any(|ph| (ph.cells as f64 * grid.cell - w).abs() < 1.0 && (ph.lines as f64 * grid.pitch - grid.gap - h).abs() < 1.0) {
            frames.push((key.clone(), ink.bbox));
        }
    }
    for (i, (ka, a)) in frames.iter().enumerate() {
        for (kb, b) in frames[i + 1..].iter().filter(|(k, _)| k != ka) {
            let apart = b.0 > a.2 + grid.cell * 1.5 || a.0 > b.2 + grid.cell * 1.5 || b.1 > a.3 + grid.gap || a.1 > b.3 + grid.gap;
            assert!(apart, "{id}: photos of {ka} and {kb} touch");
        }
    }

    // No 豆腐块: every body column of a block with more than one holds six lines or more.
    for f in &laid.fits {
        assert!(f.columns == 1 || f.per >= 6, "{id}: {} has columns of {} line(s)", f.article, f.per);
    }
    (issue, warned)
}

#[test]
fn the_seed_issue_is_planned_from_its_articles() {
    let (_tmp, ed) = unplanned(&edition_dir(), &["1"]);
    let issue = plan_and_check(&ed, "1", "xinchun-1");
    // The desk's figures are kept, and the plan says how it scored.
    let text = std::fs::read_to_string(ed.join("1/issue.toml")).unwrap();
    assert!(text.contains("[[assumptions]]") && text.contains("paper = \"浙江工人日报\""));
    assert!(text.contains("# Page plan by `paiban plan`, candidate 1 of 1: score"), "{text}");
    assert_eq!(issue.file.place.iter().filter(|p| p.article == "editors-note").count(), 1);
}

/// Every page of `paiban synth --seed SEED --pages 6` (no set chosen:
/// 3 to 12 articles of random lengths, photos and portraits), planned and
/// held to the desk's rules; 碰题 only where the plan warns of it, naming
/// the heads. Returns how many pages planned with no rule broken.
fn synth_pages(seed: u32) -> (usize, usize) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("synth");
    let o = paiban(&["synth", src.to_str().unwrap(), "--pages", "6", "--seed", &seed.to_string(), "-q"], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let folders: Vec<String> = (1..=6).map(|i| format!("{i:03}")).collect();
    let names: Vec<&str> = folders.iter().map(String::as_str).collect();
    let (_t, ed) = unplanned(&src, &names);
    // All planned first: the edition loads only when every issue has a plan.
    let mut said = Vec::new();
    for f in &folders {
        let toml = ed.join(f).join("issue.toml");
        let id = format!("synth-{f}");
        let o = paiban(&["plan", ed.to_str().unwrap(), "--issue", &id, "--out", toml.to_str().unwrap(), "-q"], &root());
        assert!(o.status.success(), "{id}: {}", stderr(&o));
        said.push(stderr(&o));
    }
    let mut clean = 0;
    let mut unproved = 0;
    for (f, err) in folders.iter().zip(&said) {
        let id = format!("synth-{f}");
        let (_, warned) = plan_and_check_page(&ed, f, &id, true);
        clean += usize::from(!warned);
        // A warned page says why no arrangement keeps heads apart, when the
        // capacity proves it (`autoplan::bound`).
        if warned {
            match err.lines().find(|l| l.contains("no arrangement of this page keeps heads apart")) {
                Some(why) => assert!(why.contains("the lead story") && why.contains("lines, the page"), "{id}: {why}"),
                None => unproved += 1,
            }
        }
    }
    eprintln!("synth seed {seed}: {clean} of 6 pages planned keeping every desk rule, {unproved} warned without a proof");
    (clean, unproved)
}

// Seeds 1–3, every page: 18 pages. The floors are what the planner reaches
// today (README "Automatic page plans"); a change that plans fewer pages
// cleanly fails here.
/// Pages of each seed (1, 2, 3) that plan keeping every rule.
const SYNTH_FLOOR: [usize; 3] = [4, 2, 4];
/// Warned pages of each seed whose warning proves nothing: every other
/// warned page is shown to admit no arrangement that keeps heads apart.
const SYNTH_UNPROVED: [usize; 3] = [0, 0, 1];

fn synth_seed(seed: u32) {
    let (clean, unproved) = synth_pages(seed);
    let k = seed as usize - 1;
    assert!(clean >= SYNTH_FLOOR[k], "seed {seed}: {clean} clean pages, the floor is {}", SYNTH_FLOOR[k]);
    assert!(unproved <= SYNTH_UNPROVED[k], "seed {seed}: {unproved} warned pages without a proof");
}

#[test]
fn synthetic_pages_seed_1_all_plan() {
    synth_seed(1);
}

#[test]
fn synthetic_pages_seed_2_all_plan() {
    synth_seed(2);
}

#[test]
fn synthetic_pages_seed_3_all_plan() {
    synth_seed(3);
}

/// The whole 四开 issue 1, nothing removed: three interviews (a portrait
/// each), four short news and the lead on 6 columns of 64 lines under the
/// lead. The copy fills the page so tightly that only L-shapes hold it,
/// the news in a column beside each leg (`autoplan::construct`): the plan
/// keeps every desk rule, with at least one article set as an L.
#[test]
fn the_whole_sikai_issue_is_planned_with_l_shapes() {
    let (_tmp, ed) = unplanned(&root().join("tests/fixtures/sikai"), &["1"]);
    let issue = plan_and_check(&ed, "1", "sikai-1");
    assert_eq!(issue.articles.len(), 8, "all eight articles");
    let ls: Vec<&str> = issue
        .articles
        .iter()
        .filter(|a| issue.file.place.iter().filter(|p| p.article == a.id).count() == 2)
        .map(|a| a.id.as_str())
        .collect();
    assert!(!ls.is_empty(), "an L holds the copy: {:?}", issue.file.place);
    // Each L's leg stands under its arm, narrower, from its left column,
    // with a news column beside it.
    for id in ls {
        let parts: Vec<_> = issue.file.place.iter().filter(|p| p.article == id).collect();
        let (arm, leg) = (parts[0], parts[1]);
        assert_eq!((leg.column, leg.line), (arm.column, arm.line + arm.lines), "{id}: leg under the arm");
        assert!(leg.span < arm.span, "{id}: leg narrower than the arm");
        let beside = issue.file.place.iter().find(|p| p.column == leg.column + leg.span && p.line == leg.line).expect("a block beside the leg");
        assert_eq!(issue.article(&beside.article).unwrap().meta.kind, ArticleKind::News, "{id}: news beside the leg");
    }
}

/// The 四开 page (270 × 390 mm, 6 columns of 11): two of its interviews,
/// its one-column news and the seed's 编者按.
fn sikai() -> (tempfile::TempDir, PathBuf) {
    let (tmp, ed) = unplanned(&root().join("tests/fixtures/sikai"), &["1"]);
    std::fs::remove_file(ed.join("1/articles/wuxing.md")).unwrap();
    std::fs::copy(edition_dir().join("1/articles/editors-note.md"), ed.join("1/articles/editors-note.md")).unwrap();
    (tmp, ed)
}

#[test]
fn another_page_size_and_grid_is_planned_and_plans_are_deterministic() {
    let (_tmp, ed) = sikai();
    let once = paiban(&["plan", ed.to_str().unwrap(), "--issue", "sikai-1"], &root());
    let twice = paiban(&["plan", ed.to_str().unwrap(), "--issue", "sikai-1"], &root());
    assert!(once.status.success(), "{}", stderr(&once));
    assert_eq!(stdout(&once), stdout(&twice), "the same articles give the same plan");
    let issue = plan_and_check(&ed, "1", "sikai-1");
    assert_eq!(issue.file.page.columns, 6);
}

#[test]
fn candidates_are_ranked_with_their_scores_on_a_contact_sheet() {
    let (tmp, ed) = sikai();
    let sheet = tmp.path().join("sheet");
    let o = paiban(
        &["plan", ed.to_str().unwrap(), "--issue", "sikai-1", "--candidates", "3", "--sheet", sheet.to_str().unwrap(), "--json"],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let cands = doc["candidates"].as_array().unwrap();
    assert!(cands.len() >= 2, "{doc}");
    let totals: Vec<f64> = cands.iter().map(|c| c["score"]["total"].as_f64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "ranked best first: {totals:?}");
    for (i, c) in cands.iter().enumerate() {
        // The breakdown names every rule, and adds up.
        let rules = c["score"]["rules"].as_array().unwrap();
        let names: Vec<&str> = rules.iter().map(|r| r["rule"].as_str().unwrap()).collect();
        assert!(names.contains(&"heads-side-by-side") && names.contains(&"short-columns") && names.contains(&"grid-filled"));
        let sum: f64 = rules.iter().map(|r| r["points"].as_f64().unwrap()).sum();
        assert!((sum - totals[i]).abs() < 1e-6);
        let toml = std::fs::read_to_string(sheet.join(format!("sikai-1.plan-{}.toml", i + 1))).unwrap();
        assert!(toml.contains(&format!("candidate {} of {}", i + 1, cands.len())));
        let png = std::fs::read(sheet.join(format!("sikai-1.plan-{}.png", i + 1))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
    }
    // Distinct plans.
    assert_ne!(cands[0]["place"], cands[1]["place"]);
    let html = std::fs::read_to_string(sheet.join("index.html")).unwrap();
    assert!(html.contains("sikai-1.plan-2.png") && html.contains("\"rule\":\"heads-side-by-side\""));
}

#[test]
fn planning_hints_out_of_range_are_errors_with_their_place() {
    let (_tmp, ed) = sikai();
    let f = ed.join("1/articles/news-1.md");
    let text = std::fs::read_to_string(&f).unwrap().replacen("+++\n", "+++\npriority = 9\n", 1);
    std::fs::write(&f, text).unwrap();
    let o = paiban(&["plan", ed.to_str().unwrap(), "--issue", "sikai-1"], &root());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("news-1.md:2:1") && err.contains("priority = 9 is out of range"), "{err}");
    let text = std::fs::read_to_string(&f).unwrap().replace("priority = 9", "max_span = 7");
    std::fs::write(&f, text).unwrap();
    let o = paiban(&["plan", ed.to_str().unwrap(), "--issue", "sikai-1"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("max_span = 7, but the page has 6 columns"), "{}", stderr(&o));
    let o = paiban(&["plan", ed.to_str().unwrap(), "--issue", "nope"], &root());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("the issues are: sikai-1"), "{}", stderr(&o));
}

/// The contact sheet in a real headless browser (as `proof_html` drives
/// it): a probe page beside index.html loads it in a frame, measures where
/// the cards stand, reads each card's score table, then unticks "block
/// outlines" and reads whether the outlines went; the probe writes what it
/// found into its own DOM, which the browser dumps.
#[test]
fn the_contact_sheet_shows_the_candidates_side_by_side_in_a_browser() {
    let Some(chromium) = crate::proof_html::browser() else {
        assert!(std::env::var_os("PAIBAN_REQUIRE_BROWSER").is_none(), "PAIBAN_REQUIRE_BROWSER is set but no chromium was found");
        eprintln!("SKIPPED plan contact sheet: no chromium on PATH (apt-get install chromium, or set PAIBAN_CHROMIUM)");
        return;
    };
    let (tmp, ed) = sikai();
    let sheet = tmp.path().join("sheet");
    let o = paiban(
        &["plan", ed.to_str().unwrap(), "--issue", "sikai-1", "--candidates", "2", "--sheet", sheet.to_str().unwrap(), "--dpi", "20", "--json"],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let n = doc["candidates"].as_array().unwrap().len();
    assert!(n >= 2, "{doc}");
    let probe = r#"<!doctype html><html><body><pre id="result">waiting</pre>
<iframe id="f" src="index.html" style="width:1400px;height:900px"></iframe>
<script>
const f = document.getElementById("f");
f.onload = () => setTimeout(() => {
  const d = f.contentDocument;
  const cards = [...d.querySelectorAll("section.card")];
  const out = cards.map(c => {
    const r = c.getBoundingClientRect();
    const img = c.querySelector("img");
    const rows = [...c.querySelectorAll("tr")].slice(1).map(tr => [...tr.children].map(td => td.textContent));
    const blocks = [...c.querySelectorAll(".block span")].map(s => s.textContent);
    return { left: r.left, top: r.top, right: r.right, rank: c.dataset.rank, title: c.querySelector("h2").textContent,
             loaded: img.complete && img.naturalWidth > 0, rows, blocks,
             shown: getComputedStyle(c.querySelector(".block")).display };
  });
  d.getElementById("outlines").click();
  const hidden = cards.map(c => getComputedStyle(c.querySelector(".block")).display);
  document.getElementById("result").textContent = JSON.stringify({ title: d.getElementById("title").textContent, cards: out, hidden, plain: d.body.classList.contains("plain") });
}, 500);
</script></body></html>"#;
    std::fs::write(sheet.join("probe.html"), probe).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", sheet.join("probe.html").display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {}", stderr(&out));
    let dom = stdout(&out);
    let at = dom.find("id=\"result\">").expect("the probe's result") + "id=\"result\">".len();
    let text = &dom[at..at + dom[at..].find('<').unwrap()];
    let text = text.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    let got: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let cards = got["cards"].as_array().unwrap();
    assert_eq!(cards.len(), n, "a card a candidate: {got}");
    assert!(got["title"].as_str().unwrap().contains(&format!("sikai-1: {n} candidate plan(s)")), "{got}");
    for (i, c) in cards.iter().enumerate() {
        let cand = &doc["candidates"][i];
        assert_eq!(c["rank"], (i + 1).to_string());
        assert!(c["loaded"].as_bool().unwrap(), "the proof of candidate {} loads", i + 1);
        // Side by side: the same top, each right of the one before.
        if i > 0 {
            assert_eq!(c["top"], cards[0]["top"], "{got}");
            assert!(c["left"].as_f64().unwrap() >= cards[i - 1]["right"].as_f64().unwrap(), "{got}");
        }
        // Its score, broken down rule by rule as the plan scored it.
        let total = cand["score"]["total"].as_f64().unwrap();
        assert!(c["title"].as_str().unwrap().starts_with(&format!("#{}: score {total}", i + 1)), "{}", c["title"]);
        let rows = c["rows"].as_array().unwrap();
        let rules = cand["score"]["rules"].as_array().unwrap();
        assert_eq!(rows.len(), rules.len());
        for (row, rule) in rows.iter().zip(rules) {
            assert_eq!(row[0], rule["rule"]);
            assert_eq!(row[1].as_str().unwrap().parse::<f64>().unwrap(), rule["points"].as_f64().unwrap());
        }
        // Every block outlined and named, shown until the box is unticked.
        let mut named: Vec<String> = c["blocks"].as_array().unwrap().iter().map(|b| b.as_str().unwrap().to_string()).collect();
        let mut placed: Vec<String> = cand["place"].as_array().unwrap().iter().map(|p| p["article"].as_str().unwrap().to_string()).collect();
        named.sort();
        placed.sort();
        assert_eq!(named, placed);
        assert_eq!(c["shown"], "block");
        assert_eq!(got["hidden"][i], "none", "unticking the box hides the outlines");
    }
    assert_eq!(got["plain"], true);
}
