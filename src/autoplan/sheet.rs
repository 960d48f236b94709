//! The contact sheet of `paiban plan --candidates N`: the candidates side
//! by side, each a proof of its laid-out page with its blocks outlined and
//! named, its score broken down by rule, and the file to copy over
//! issue.toml. It opens from disk; the data travels as JSON inside the page
//! and goes into the DOM as text, never as markup (as `html.rs` does).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::output;

use super::score::RuleScore;

/// One candidate on the sheet.
#[derive(Serialize)]
pub struct Card<'a> {
    pub rank: usize,
    /// The plan file and the proof, relative to the sheet.
    pub toml: String,
    pub png: String,
    pub total: f64,
    pub clean: bool,
    pub coverage: f64,
    pub rules: &'a [RuleScore],
    pub copyfit: &'a [String],
    /// Blocks: article id, kind and rectangle in mm (x, y, w, h).
    pub blocks: Vec<(String, &'static str, [f64; 4])>,
    pub layouts: usize,
    pub millis: u128,
}

#[derive(Serialize)]
struct Sheet<'a> {
    issue: &'a str,
    page_mm: (f64, f64),
    cards: &'a [Card<'a>],
}

/// Writes `index.html` into `out`; returns its path.
pub fn write(out: &Path, issue: &str, page_mm: (f64, f64), cards: &[Card], font_dirs: &[PathBuf]) -> Result<PathBuf> {
    let json = serde_json::to_string(&Sheet { issue, page_mm, cards }).map_err(|e| Error::internal(e.to_string()))?;
    // `</` would close the data's script element early.
    let json = json.replace("</", "<\\/");
    let fonts = crate::output::html::font_faces(font_dirs, out);
    let sans = crate::output::html::SANS;
    let page = format!(
        r#"<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>paiban plan — candidates</title>
<style>{fonts}body, button {{ font-family: {sans}; }}{STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><label><input type="checkbox" id="outlines" checked> block outlines</label></header>
<main id="cards"></main>
<script type="application/json" id="paiban-plan">{json}</script>
<script>{SCRIPT}</script>
</body>
</html>
"#
    );
    let path = out.join("index.html");
    output::files::write_atomic(&path, page.as_bytes())?;
    Ok(path)
}

const STYLE: &str = r#"
body { margin: 0; background: #e8e8e4; color: #222; }
header { padding: 8px 16px; background: #333; color: #fff; display: flex; gap: 24px; align-items: baseline; }
h1 { font-size: 18px; margin: 0; }
#cards { display: flex; gap: 16px; padding: 16px; align-items: flex-start; overflow-x: auto; }
.card { background: #fff; padding: 10px; box-shadow: 0 1px 3px #0003; flex: 0 0 auto; width: 420px; }
.card h2 { font-size: 15px; margin: 0 0 6px; }
.card.broken h2::after { content: " — breaks a rule"; color: #d00000; }
.page { position: relative; width: 100%; }
.page img { width: 100%; display: block; border: 1px solid #bbb; }
.block { position: absolute; border: 1px solid #0060d0; background: #0060d010; box-sizing: border-box; }
.block span { position: absolute; left: 1px; top: 1px; font: 10px monospace; background: #0060d0; color: #fff; padding: 0 2px; }
body.plain .block { display: none; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 12px; }
td, th { border-bottom: 1px solid #ddd; padding: 2px 4px; text-align: left; vertical-align: top; }
td.n { text-align: right; }
tr.costs td { color: #a00000; }
.file { font-family: monospace; }
"#;

const SCRIPT: &str = r#"
const data = JSON.parse(document.getElementById("paiban-plan").textContent);
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
document.getElementById("title").textContent = `${data.issue}: ${data.cards.length} candidate plan(s), best first`;
document.getElementById("outlines").addEventListener("change", (e) => document.body.classList.toggle("plain", !e.target.checked));
const [pw, ph] = data.page_mm;
for (const c of data.cards) {
  const card = el("section", c.clean ? "card" : "card broken");
  card.dataset.rank = c.rank;
  card.appendChild(el("h2", null, `#${c.rank}: score ${c.total}, ${(c.coverage * 100).toFixed(1)} % covered`));
  const file = el("p", null, "plan: ");
  const a = el("a", "file", c.toml); a.href = c.toml; file.appendChild(a);
  file.appendChild(document.createTextNode(` (copy over issue.toml) · ${c.layouts} layout(s), ${c.millis} ms`));
  card.appendChild(file);
  const page = el("div", "page");
  const img = el("img"); img.src = c.png; img.alt = `proof of candidate ${c.rank}`;
  page.appendChild(img);
  for (const [id, kind, r] of c.blocks) {
    const b = el("div", "block");
    b.style.left = `${100 * r[0] / pw}%`; b.style.top = `${100 * r[1] / ph}%`;
    b.style.width = `${100 * r[2] / pw}%`; b.style.height = `${100 * r[3] / ph}%`;
    b.title = `${id} (${kind})`;
    b.appendChild(el("span", null, id));
    page.appendChild(b);
  }
  card.appendChild(page);
  const table = el("table");
  const head = el("tr"); for (const h of ["rule", "points", "count", "where"]) head.appendChild(el("th", null, h));
  table.appendChild(head);
  for (const r of c.rules) {
    const tr = el("tr", r.points > 0 ? "costs" : "");
    tr.appendChild(el("td", null, r.rule));
    tr.appendChild(el("td", "n", String(r.points)));
    tr.appendChild(el("td", "n", String(r.count)));
    tr.appendChild(el("td", null, r.detail.join("; ")));
    table.appendChild(tr);
  }
  card.appendChild(table);
  if (c.copyfit.length) card.appendChild(el("p", null, "copyfit: " + c.copyfit.join("; ")));
  document.getElementById("cards").appendChild(card);
}
"#;
