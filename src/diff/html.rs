//! `diff --out DIR`: per changed page the old, new and diff images, and
//! `index.html` with the report, side-by-side and overlay views. The page is
//! static (one small inline script for the overlay slider).

use std::path::Path;

use super::raster::{self, Raster};
use super::{PageResult, Status, pixels, report};
use crate::error::Result;
use crate::output::files;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes the images of every changed page and the index; returns the
/// index's path.
/// The page loads the bundled fonts found in `font_dirs` (see
/// `crate::output::html::font_faces`), so the report's Chinese shows on a machine
/// without CJK fonts.
pub fn write(dir: &Path, results: &[PageResult], dpi: f64, font_dirs: &[std::path::PathBuf]) -> Result<std::path::PathBuf> {
    files::prepare_dir(dir)?;
    let mut body = String::new();
    for r in results.iter().filter(|r| r.status != Status::Identical) {
        let stem = format!("{}-p{}", r.issue, r.page);
        let blank = || Raster::blank(1, 1);
        let old = r
            .old
            .clone()
            .unwrap_or_else(|| r.new.as_ref().map_or_else(blank, |n| Raster::blank(n.width, n.height)));
        let new = r.new.clone().unwrap_or_else(|| Raster::blank(old.width, old.height));
        files::write_atomic(&dir.join(format!("{stem}.old.png")), &raster::rgb_png(&old)?)?;
        files::write_atomic(&dir.join(format!("{stem}.new.png")), &raster::rgb_png(&new)?)?;
        let diff = match &r.pixels {
            Some(d) => pixels::diff_image(&old, &new, d),
            None => pixels::diff_image(&old, &new, &pixels::compare(&old, &new, dpi, 0, &[], &[])),
        };
        files::write_atomic(&dir.join(format!("{stem}.diff.png")), &raster::rgb_png(&diff)?)?;
        body.push_str(&format!(
            r#"<section id="{stem}">
<h2>{name}</h2>
<pre>{report}</pre>
<div class="side"><figure><img src="{stem}.old.png" alt="old"><figcaption>old</figcaption></figure><figure><img src="{stem}.new.png" alt="new"><figcaption>new</figcaption></figure><figure><img src="{stem}.diff.png" alt="diff"><figcaption>diff: removed red, added green, regions boxed</figcaption></figure></div>
<h3>overlay</h3>
<label>old <input type="range" min="0" max="100" value="50" oninput="this.closest('section').querySelector('.top').style.opacity = this.value / 100"> new</label>
<div class="overlay"><img src="{stem}.old.png" alt="old"><img class="top" src="{stem}.new.png" alt="new"></div>
</section>
"#,
            name = esc(&report::page_name(r)),
            report = esc(&report::page(r, dpi)),
        ));
    }
    if body.is_empty() {
        body.push_str("<p>Every page is identical.</p>\n");
    }
    let html = format!(
        r#"<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>paiban diff</title>
<style>
{fonts}body {{ font-family: {sans}; margin: 1em 2em; }}
pre, input, button, label {{ font-family: {sans}; }}
.font-warning {{ background: #d00000; color: #fff; padding: 6px 16px; }}
pre {{ background: #f4f4f4; padding: .5em; white-space: pre-wrap; }}
.side {{ display: flex; gap: 1em; }}
.side figure {{ flex: 1; margin: 0; }}
.side img {{ width: 100%; border: 1px solid #ccc; }}
.overlay {{ position: relative; display: inline-block; border: 1px solid #ccc; }}
.overlay img {{ display: block; max-width: 100%; }}
.overlay .top {{ position: absolute; left: 0; top: 0; opacity: .5; }}
</style></head>
<body>
<h1>paiban diff</h1>
<pre>{summary}</pre>
{body}<script>{probe}</script>
</body></html>
"#,
        summary = esc(&report::all(results, dpi)),
        fonts = crate::output::html::font_faces(font_dirs, dir),
        sans = crate::output::html::SANS,
        probe = crate::output::html::FONT_PROBE,
    );
    let index = dir.join("index.html");
    files::write_atomic(&index, html.as_bytes())?;
    Ok(index)
}
