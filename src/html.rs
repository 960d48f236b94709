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

use crate::commands::proof::IssueProof;
use crate::error::{Error, Result};
use crate::output;
use crate::report::{ArticleFit, Totals};
use crate::typography::Violation;

#[derive(Serialize)]
struct Index<'a> {
    title: &'a str,
    live: Option<u64>,
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

/// Writes `index.html` (and with `live`, `live.js`) into `out`.
pub fn write_index(out: &Path, title: &str, proofs: &[IssueProof], live: Option<u64>) -> Result<PathBuf> {
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
        })
        .collect();
    let index = Index { title, live, issues };
    let json = serde_json::to_string(&index).map_err(|e| Error::internal(e.to_string()))?;
    let page = render(title, &json);
    let path = out.join("index.html");
    output::write_atomic(&path, page.as_bytes())?;
    if let Some(n) = live {
        output::write_atomic(&out.join("live.js"), format!("paibanLive({n});\n").as_bytes())?;
    }
    Ok(path)
}

/// The page: a fixed shell, the data as JSON, and the script that builds
/// the view from it.
fn render(title: &str, json: &str) -> String {
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
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1><p id="status"></p></header>
<main id="issues"></main>
<aside id="info" hidden></aside>
<script type="application/json" id="paiban-data">{json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = r#"
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 0; background: #e8e8e4; color: #222; }
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
  const rules = ty.violations.filter((v) => v.rule !== "off-cell");
  const offCell = ty.violations.filter((v) => v.rule === "off-cell");
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
    const li = el("li", { "data-typo": typoId(issue, v), text: `${v.article} column ${v.column} line ${v.line}: ${v.rule}: ${v.text}${v.forced ? ` (set short: ${v.forced})` : ""}` });
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
  const fig = el("figure", { class: "page", "data-issue": issue.id, "data-page": p.number }, img,
    el("figcaption", { text: `${issue.id} · page ${p.number} · ${p.file}` }));
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
    fig.append(el("div", { class: "typo " + (v.rule === "off-cell" ? "off" : "rule"), id: typoId(issue, v),
      "data-rule": v.rule, title: `${v.article}: ${v.rule}: ${v.text}`,
      style: `left:${100 * x / w}%;top:${100 * y / h}%;width:${100 * lw / w}%;height:${100 * lh / h}%` }));
  }
  return fig;
}

const main = document.getElementById("issues");
for (const issue of data.issues) {
  main.append(el("section", { class: "issue", id: issue.id },
    el("div", { class: "pages" }, ...issue.pages.map((p) => page(issue, p))), report(issue)));
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
