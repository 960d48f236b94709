//! `index.html` beside the proofs: every page as an image, the fit report
//! beside it, and each block's id, file and fit on a click. It loads from
//! disk (file://) with no server; the data travels as JSON inside the page
//! and is put into the DOM as text, never as markup.
//!
//! Under `watch --html` a small `live.js` carries the build number; the page
//! loads it again every second (a script tag works from file://, a fetch
//! does not) and reloads itself when a new proof has landed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::typography::Violation;
use crate::error::{Error, Result};
use crate::layout::report::{ArticleFit, Totals};
use crate::output::files;
use crate::output::proof::IssueProof;

#[derive(Serialize)]
struct Index<'a> {
    title: &'a str,
    live: Option<u64>,
    /// A broken save under `watch`: its error, shown over the page until
    /// the next good save.
    error: Option<&'a str>,
    issues: Vec<IssueView<'a>>,
}

#[derive(Serialize)]
struct IssueView<'a> {
    id: &'a str,
    title: &'a str,
    millis: u128,
    page_mm: (f64, f64),
    pages: Vec<PageView<'a>>,
    blocks: Vec<BlockView<'a>>,
    fit: &'a [ArticleFit],
    totals: &'a Totals,
    typography: TypoView<'a>,
    warnings: &'a [String],
    lint: &'a [String],
    placeholders: &'a [String],
    preflight: &'a [String],
}

#[derive(Serialize)]
struct PageView<'a> {
    number: usize,
    src: String,
    file: &'a str,
    width_px: u32,
    height_px: u32,
}

#[derive(Serialize)]
struct BlockView<'a> {
    article: &'a str,
    part: usize,
    parts: usize,
    kind: &'static str,
    file: &'a str,
    page: usize,
    /// x, y, w, h in mm from the page's top-left corner.
    rect_mm: [f64; 4],
    placeholder: bool,
    fit: Option<&'a ArticleFit>,
}

#[derive(Serialize)]
struct TypoView<'a> {
    lines: usize,
    on_grid: f64,
    cell_exact: f64,
    full_lines: usize,
    full_lines_at_measure: usize,
    violations: &'a [Violation],
}

/// The bundled faces the pages use, by CSS family and weight: the
/// subsets, and each design's Rare face for the rare characters.
const FACES: &[(&str, u16, &str)] = &[
    ("Noto Sans CJK SC", 400, "NotoSansCJKsc-Regular.subset.otf"),
    ("Noto Sans CJK SC", 700, "NotoSansCJKsc-Bold.subset.otf"),
    ("Noto Sans CJK SC Rare", 400, "NotoSansCJKsc-Regular.rare.otf"),
    ("Noto Sans CJK SC Rare", 700, "NotoSansCJKsc-Bold.rare.otf"),
    ("Noto Serif CJK SC", 400, "NotoSerifCJKsc-Regular.subset.otf"),
    ("Noto Serif CJK SC", 700, "NotoSerifCJKsc-Bold.subset.otf"),
    ("Noto Serif CJK SC Rare", 400, "NotoSerifCJKsc-Regular.rare.otf"),
    ("Noto Serif CJK SC Rare", 700, "NotoSerifCJKsc-Bold.rare.otf"),
];

/// The font stacks of paiban's pages: the bundled faces first, so Chinese
/// never depends on the machine's fonts.
pub const SANS: &str = r#""Noto Sans CJK SC", "Noto Sans CJK SC Rare", sans-serif"#;

/// `@font-face` rules that load the bundled fonts from where they are (the
/// first of `dirs` holding each file), by a relative URL from `out`, the
/// folder the page is written to: the page opens from disk and shows
/// Chinese on a machine without CJK fonts, and nothing is copied. A face
/// whose file is in none of `dirs` is left out.
pub fn font_faces(dirs: &[PathBuf], out: &Path) -> String {
    let Ok(from) = out.canonicalize() else { return String::new() };
    let mut css = String::new();
    for (family, weight, file) in FACES {
        let Some(path) = dirs.iter().map(|d| d.join(file)).find(|p| p.is_file()) else { continue };
        let Ok(path) = path.canonicalize() else { continue };
        let url = relative_url(&from, &path);
        css.push_str(&format!(
            "@font-face {{ font-family: \"{family}\"; font-weight: {weight}; src: url(\"{url}\") format(\"opentype\"); }}\n"
        ));
    }
    css
}

/// `to` relative to the folder `from` (both absolute), as a URL path:
/// `../fonts/x.otf`, each segment percent-encoded.
pub fn relative_url(from: &Path, to: &Path) -> String {
    let a: Vec<_> = from.components().collect();
    let b: Vec<_> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - common];
    for c in &b[common..] {
        let seg = c.as_os_str().to_string_lossy();
        let mut enc = String::new();
        for byte in seg.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                enc.push(byte as char);
            } else {
                enc.push_str(&format!("%{byte:02X}"));
            }
        }
        parts.push(enc);
    }
    parts.join("/")
}

/// A script for any paiban page: once the fonts are in, it draws two
/// different Chinese characters in the page's font and compares them. The
/// same pixels for both (empty boxes, tofu) or no ink means Chinese does
/// not show; the page says so in `data-cjk` on `<html>` ("ok" or "tofu")
/// and in a visible warning.
pub const FONT_PROBE: &str = r##"
(function () {
  // Every font stack the page sets text in must show Chinese.
  const families = () => [...new Set([...document.querySelectorAll("body, body *")]
    .filter((e) => !["SCRIPT", "STYLE", "IMG", "CANVAS"].includes(e.tagName))
    .map((e) => getComputedStyle(e).fontFamily))];
  const shows = (family) => {
    const c = document.createElement("canvas");
    c.width = 64; c.height = 64;
    const g = c.getContext("2d", { willReadFrequently: true });
    const draw = (ch) => {
      g.clearRect(0, 0, 64, 64);
      g.font = "48px " + family;
      g.fillStyle = "#000";
      g.fillText(ch, 4, 52);
      return g.getImageData(0, 0, 64, 64).data;
    };
    const a = draw("排"), b = draw("版");
    let ink = 0, differ = 0;
    for (let i = 3; i < a.length; i += 4) { if (a[i] > 0) ink++; if (a[i] !== b[i]) differ++; }
    return ink > 50 && differ > 50;
  };
  const probe = () => {
    const bad = families().filter((f) => !shows(f));
    const ok = bad.length === 0;
    const loaded = [...document.fonts].filter((f) => f.status === "loaded").length;
    document.documentElement.dataset.cjk = ok ? "ok" : "tofu: " + bad.join(" | ");
    document.documentElement.dataset.fontsLoaded = String(loaded);
    if (!ok) {
      const w = document.createElement("p");
      w.className = "font-warning";
      w.textContent = "The bundled fonts did not load: Chinese may show as empty boxes. Keep this page beside the project's fonts/ folder.";
      document.body.prepend(w);
    }
  };
  Promise.all(["400", "700"].map((w) => document.fonts.load(w + " 16px " + getComputedStyle(document.body).fontFamily, "排版")))
    .catch(() => {}).then(() => document.fonts.ready).then(probe);
})();
"##;

/// Writes `index.html` (and with `live`, `live.js`) into `out`. The page
/// loads the bundled fonts found in `font_dirs`; `error` (a broken save
/// under `watch`) is shown over the page.
pub fn write_index(
    out: &Path,
    title: &str,
    proofs: &[IssueProof],
    live: Option<u64>,
    font_dirs: &[PathBuf],
    error: Option<&str>,
) -> Result<PathBuf> {
    let issues = proofs
        .iter()
        .map(|p| IssueView {
            id: &p.id,
            title: &p.title,
            millis: p.millis,
            page_mm: (p.map.page.width_mm, p.map.page.height_mm),
            pages: p
                .pages
                .iter()
                .map(|pg| PageView {
                    number: pg.number,
                    // The build number busts the browser's image cache on reload.
                    src: match live {
                        Some(n) => format!("{}?v={n}", pg.file),
                        None => pg.file.clone(),
                    },
                    file: &pg.file,
                    width_px: pg.width_px,
                    height_px: pg.height_px,
                })
                .collect(),
            blocks: p
                .map
                .blocks
                .iter()
                .map(|b| BlockView {
                    article: &b.article,
                    part: b.part,
                    parts: b.parts,
                    kind: b.kind.name(),
                    file: &b.file,
                    page: b.page,
                    rect_mm: [b.rect_mm.x, b.rect_mm.y, b.rect_mm.w, b.rect_mm.h],
                    placeholder: b.placeholder,
                    fit: p.fit.articles.iter().find(|f| f.article == b.article),
                })
                .collect(),
            fit: &p.fit.articles,
            totals: &p.fit.totals,
            typography: TypoView {
                lines: p.typo.lines,
                on_grid: p.typo.on_grid_ratio(),
                cell_exact: p.typo.cell_ratio(),
                full_lines: p.typo.full_lines,
                full_lines_at_measure: p.typo.full_lines_at_measure,
                violations: &p.typo.violations,
            },
            warnings: &p.warnings,
            lint: &p.lint,
            placeholders: &p.placeholders,
            preflight: &p.preflight,
        })
        .collect();
    let index = Index { title, live, error, issues };
    let json = serde_json::to_string(&index).map_err(|e| Error::internal(e.to_string()))?;
    let page = render(title, &json, &font_faces(font_dirs, out));
    let path = out.join("index.html");
    files::write_atomic(&path, page.as_bytes())?;
    if let Some(n) = live {
        files::write_atomic(&out.join("live.js"), format!("paibanLive({n});\n").as_bytes())?;
    }
    Ok(path)
}

/// The page: a fixed shell, the data as JSON, and the script that builds
/// the view from it.
fn render(title: &str, json: &str, fonts: &str) -> String {
    // `</` would close the data's script element early.
    let json = json.replace("</", "<\\/");
    let title = escape(title);
    format!(
        r#"<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>{title} — paiban proofs</title>
<script>
// First, so that errors in anything after it are counted where a test can see them.
window.paibanErrors = [];
window.addEventListener("error", (e) => {{
  paibanErrors.push(String(e.message || e.type));
  document.documentElement.dataset.errors = paibanErrors.join(" | ");
}}, true);
</script>
<style>{fonts}body, pre, button, input {{ font-family: {SANS}; }}{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1><p id="status"></p></header>
<main id="issues"></main>
<aside id="info" hidden></aside>
<script type="application/json" id="paiban-data">{json}</script>
<script>{SCRIPT}</script>
<script>{FONT_PROBE}</script>
</body>
</html>
"#
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = r#"
body { margin: 0; background: #e8e8e4; color: #222; }
.font-warning { background: #d00000; color: #fff; margin: 0; padding: 6px 16px; }
#error { position: fixed; left: 5vw; right: 5vw; top: 64px; z-index: 10; background: #fff0f0; border: 3px solid #d00000; padding: 8px 16px; box-shadow: 0 4px 16px #0006; }
#error h2 { color: #d00000; font-size: 16px; margin: 0 0 4px; }
#error pre { white-space: pre-wrap; margin: 0; font-size: 13px; }
.preflight { font-size: 12px; margin: 20px 0 4px; }
.preflight.fail { color: #d00000; font-weight: bold; } .preflight.warn { color: #a06000; }
.placeholder { background: #ffe9c0; padding: 2px 6px; }
.lint pre { white-space: pre-wrap; background: #fff8e0; padding: 6px; margin: 2px 0; }
header { padding: 8px 16px; background: #333; color: #fff; }
header h1 { font-size: 18px; margin: 0; display: inline; }
header p { display: inline; margin-left: 16px; font-size: 13px; }
section.issue { display: flex; gap: 16px; padding: 16px; align-items: flex-start; }
.pages { flex: 0 0 auto; width: min(62vw, 900px); }
figure.page { position: relative; margin: 0 0 16px; box-shadow: 0 1px 6px #0005; background: #fff; }
figure.page img { display: block; width: 100%; height: auto; }
figure.page figcaption { position: absolute; bottom: -18px; font-size: 12px; }
.block { position: absolute; border: 0; padding: 0; background: transparent; cursor: pointer; }
.block:hover { outline: 2px solid #0078d7aa; }
.block.selected { outline: 3px solid #0078d7; background: #0078d722; }
.report { flex: 1 1 auto; font-size: 13px; }
.report h2 { font-size: 16px; margin-top: 0; }
.report table { border-collapse: collapse; width: 100%; background: #fff; }
.report td, .report th { border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: right; }
.report td:first-child, .report th:first-child { text-align: left; }
tr.overset td { background: #fdd; } tr.underfull td { background: #ffe9c0; }
tr.selected td { outline: 2px solid #0078d7; }
.warnings pre { white-space: pre-wrap; background: #fff8e0; padding: 6px; }
.typo { position: absolute; pointer-events: none; box-sizing: border-box; }
.typo.rule { background: #e0000038; outline: 1px solid #d00000; }
.typo.off { background: #ffb00040; outline: 1px solid #c08000; }
.typo.flash { outline-width: 3px; }
section.hide-typo .typo { display: none; }
.report li[data-typo] { cursor: pointer; }
.report label { margin-left: 8px; }
#info { position: fixed; right: 16px; bottom: 16px; background: #fff; border: 2px solid #0078d7; padding: 8px 12px; font-size: 13px; box-shadow: 0 2px 8px #0004; }
#info dt { font-weight: bold; float: left; clear: left; width: 5em; }
#info dd { margin-left: 5.5em; }
"#;

const SCRIPT: &str = r#"
"use strict";
const data = JSON.parse(document.getElementById("paiban-data").textContent);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};
const pct = (n) => (100 * n).toFixed(1) + " %";
let images = 0, loaded = 0;

function fitText(f) {
  if (!f) return "no body text";
  return `${f.status}: ${f.used}/${f.available} column-lines` +
    (f.over ? `, ${f.over} over` : "") + (f.short ? `, ${f.short} short` : "") +
    (f.widows ? `, ${f.widows} widow(s)` : "");
}

function select(issue, block, button) {
  document.querySelectorAll(".selected").forEach((e) => e.classList.remove("selected"));
  button.classList.add("selected");
  document.querySelectorAll(`tr[data-key="${CSS.escape(issue.id + "/" + block.article)}"]`)
    .forEach((e) => e.classList.add("selected"));
  const info = document.getElementById("info");
  const part = block.parts > 1 ? ` (part ${block.part} of ${block.parts})` : "";
  info.replaceChildren(el("dl", {},
    el("dt", { text: "article" }), el("dd", { id: "info-article", text: block.article + part }),
    el("dt", { text: "kind" }), el("dd", { text: block.kind + (block.placeholder ? " · 待稿 placeholder" : "") }),
    el("dt", { text: "file" }), el("dd", { id: "info-file", text: block.file }),
    el("dt", { text: "fit" }), el("dd", { id: "info-fit", text: fitText(block.fit) }),
    el("dt", { text: "issue" }), el("dd", { text: issue.id }),
  ));
  info.hidden = false;
}

function report(issue) {
  const t = issue.totals, ty = issue.typography;
  const rules = ty.violations.filter((v) => v.rule !== "loose");
  const offCell = ty.violations.filter((v) => v.rule === "loose");
  const rows = issue.fit.map((f) => el("tr", { class: f.status, "data-key": issue.id + "/" + f.article },
    el("td", { text: f.article }), el("td", { text: f.status }), el("td", { text: `${f.used}/${f.available}` }),
    el("td", { text: String(f.short) }), el("td", { text: String(f.widows) })));
  const box = el("div", { class: "report" },
    el("h2", { text: `${issue.title} (${issue.id})` }),
    el("p", { text: `${t.articles} articles: ${t.fits} fit, ${t.underfull} underfull, ${t.overset} overset, ${t.widows} widow(s). Laid out and proofed in ${issue.millis} ms.` }),
    el("table", {}, el("thead", {}, el("tr", {}, ...["article", "fit", "used/available", "short", "widows"].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...rows)),
    el("p", { class: "typography", text: `Typography: ${ty.lines} body lines, ${pct(ty.on_grid)} on the baseline grid, ${pct(ty.cell_exact)} cell-exact, ${ty.full_lines_at_measure} of ${ty.full_lines} justified lines exactly the measure, ${rules.length} rule violation(s).` }));
  // Each reported line is marked on the page (as InDesign highlights H&J
  // violations): red for a rule broken, amber for a line off the cells. A
  // click on the report's line shows where it is.
  const item = (v) => {
    const li = el("li", { "data-typo": typoId(issue, v), text: `${v.article} column ${v.column} line ${v.line}: ${v.rule}: ${v.text}${v.forced ? ` (set short: ${v.forced})` : ""}${v.detail ? ` (${v.detail})` : ""}` });
    li.addEventListener("click", () => {
      const mark = document.getElementById(typoId(issue, v));
      if (!mark) return;
      document.querySelectorAll(".typo.flash").forEach((e) => e.classList.remove("flash"));
      mark.classList.add("flash");
      mark.scrollIntoView({ block: "center" });
    });
    return li;
  };
  const show = el("input", { type: "checkbox", id: `typo-${issue.id}` });
  show.checked = true;
  show.addEventListener("change", () => document.getElementById(issue.id).classList.toggle("hide-typo", !show.checked));
  box.append(el("p", {}, el("label", {}, show, ` mark the ${ty.violations.length} reported line(s) on the page`)));
  if (rules.length) box.append(el("ul", {}, ...rules.map(item)));
  if (offCell.length) {
    box.append(el("details", {}, el("summary", { text: `${offCell.length} line(s) off the character cells` }), el("ul", {}, ...offCell.map(item))));
  }
  box.append(el("p", { class: "placeholder", id: `placeholder-${issue.id}`, text: issue.placeholders.length
    ? `待稿 placeholder copy in ${issue.placeholders.length} article(s): ${issue.placeholders.join(", ")} — not for print`
    : "No placeholder copy (待稿)." }));
  box.append(el("div", { class: "lint", id: `lint-${issue.id}` },
    el("h3", { text: `Lint: ${issue.lint.length} warning(s)` }), ...issue.lint.map((w) => el("pre", { text: w }))));
  if (issue.warnings.length) {
    box.append(el("div", { class: "warnings" }, el("h3", { text: "Typst warnings" }), ...issue.warnings.map((w) => el("pre", { text: w }))));
  }
  return box;
}

const typoId = (issue, v) => `typo-${issue.id}-${issue.typography.violations.indexOf(v)}`;

function page(issue, p) {
  const img = el("img", { src: p.src, alt: `${issue.id} page ${p.number}`, width: p.width_px, height: p.height_px });
  images++;
  img.addEventListener("load", () => { loaded++; document.documentElement.dataset.loaded = loaded; if (loaded === images) document.documentElement.dataset.ready = "yes"; });
  img.addEventListener("error", () => { paibanErrors.push("image failed: " + p.file); document.documentElement.dataset.errors = paibanErrors.join(" | "); });
  const pf = issue.preflight[p.number - 1] || "not built";
  const fig = el("figure", { class: "page", "data-issue": issue.id, "data-page": p.number }, img,
    el("figcaption", { text: `${issue.id} · page ${p.number} · ${p.file}` }));
  const pfClass = pf.startsWith("FAIL") ? " fail" : pf.startsWith("WARN") ? " warn" : "";
  const pfLine = el("p", { class: "preflight" + pfClass, id: `preflight-${issue.id}-p${p.number}`, text: `preflight of page ${p.number}: ${pf}` });
  const [w, h] = issue.page_mm;
  for (const b of issue.blocks.filter((b) => b.page === p.number)) {
    const [x, y, bw, bh] = b.rect_mm;
    const button = el("button", { class: "block", "data-article": b.article, title: `${b.article} — ${fitText(b.fit)}`,
      style: `left:${100 * x / w}%;top:${100 * y / h}%;width:${100 * bw / w}%;height:${100 * bh / h}%` });
    button.addEventListener("click", () => select(issue, b, button));
    fig.append(button);
  }
  for (const v of issue.typography.violations.filter((v) => v.page === p.number)) {
    const [x, y, lw, lh] = v.line_mm;
    fig.append(el("div", { class: "typo " + (v.rule === "loose" ? "off" : "rule"), id: typoId(issue, v),
      "data-rule": v.rule, title: `${v.article}: ${v.rule}: ${v.text}`,
      style: `left:${100 * x / w}%;top:${100 * y / h}%;width:${100 * lw / w}%;height:${100 * lh / h}%` }));
  }
  return [pfLine, fig];
}

const main = document.getElementById("issues");
for (const issue of data.issues) {
  main.append(el("section", { class: "issue", id: issue.id },
    el("div", { class: "pages" }, ...issue.pages.flatMap((p) => page(issue, p))), report(issue)));
}
// A broken save (watch): its error over the page until the next good save.
if (data.error !== null) {
  document.body.append(el("div", { id: "error", role: "alert" },
    el("h2", { text: "The last save is broken: the proofs below are the last good ones" }),
    el("pre", { id: "error-text", text: data.error })));
  document.documentElement.dataset.error = "yes";
}
document.getElementById("status").textContent =
  `${data.issues.length} issue(s), ${images} page(s)` + (data.live !== null ? ` · live, build ${data.live}` : "");
document.documentElement.dataset.pages = String(images);

// `#select=<article>` selects a block as a click would (links from reports).
const wanted = decodeURIComponent((location.hash.match(/select=([^&]+)/) || [])[1] || "");
if (wanted) {
  const b = document.querySelector(`.block[data-article="${CSS.escape(wanted)}"]`);
  if (b) b.dispatchEvent(new MouseEvent("click", { bubbles: true }));
}

if (data.live !== null) {
  window.paibanLive = (n) => { if (n !== data.live) location.reload(); };
  setInterval(() => {
    document.querySelectorAll("script.live").forEach((s) => s.remove());
    document.body.append(el("script", { class: "live", src: "live.js?t=" + Date.now() }));
  }, 1000);
}
"#;
