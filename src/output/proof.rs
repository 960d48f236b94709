//! Proofs of an issue for the desk: each page as a PNG (amber and red marks
//! over the lines the typography check reports, on request), with what the
//! desk reads beside it: the fit report, Typst's warnings, the lint, the
//! placeholders and the press preflight of the built PDF. `proof` and
//! `watch` proof through [`Proofer`]; the index page (`output::html`) shows
//! [`IssueProof`]s.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;

use crate::check::typography::{self, TypoReport};
use crate::content::lint;
use crate::content::model::Issue;
use crate::error::Result;
use crate::layout::copyfit;
use crate::layout::report::FitReport;
use crate::layout::rounds::{LayoutOptions, Overset, PageMap};
use crate::typeset::project::Project;
use crate::output::files;
use crate::output::raster::{Raster, Rendered};
use crate::press::preflight;

/// What a proof shows; shared by `proof` and `watch`.
#[derive(Debug, Clone, Args)]
pub struct ProofLook {
    /// Resolution in dots per inch.
    #[arg(long, default_value_t = 100.0)]
    pub dpi: f64,
    /// Overlay what the desk needs and the press must never see: column
    /// grid, baseline grid, block outlines with their ids.
    #[arg(long)]
    pub guides: bool,
    /// Tint blocks by fit: green fits, amber underfull, red overset.
    #[arg(long)]
    pub fit: bool,
    /// Mark the lines `check --typography` reports, as InDesign highlights
    /// H&J violations: amber a line off the cells, red a rule broken.
    #[arg(long)]
    pub typography: bool,
    /// Apply copyfit's changes before proofing (as `build --copyfit`).
    #[arg(long)]
    pub copyfit: bool,
    /// Also write index.html: every page, the fit report beside it, and each
    /// block's id, file and fit on a click.
    #[arg(long)]
    pub html: bool,
    /// The build folder whose <issue>.pdf the index preflights, page by
    /// page ("not built" when it holds none).
    #[arg(long, default_value = "out", value_name = "DIR")]
    pub build: PathBuf,
}

/// One proofed page: its PNG (relative to the output folder) and size.
#[derive(Debug, Clone)]
pub struct PageProof {
    pub number: usize,
    pub file: String,
    pub width_px: u32,
    pub height_px: u32,
    /// How much of the page was rendered (nothing when it looks as before
    /// and its PNG was kept).
    pub rendered: Rendered,
}

/// One proofed issue: its pages and what the desk reads beside them.
pub struct IssueProof {
    pub id: String,
    pub title: String,
    pub pages: Vec<PageProof>,
    pub map: PageMap,
    pub fit: FitReport,
    pub typo: TypoReport,
    pub overset: Vec<Overset>,
    /// Typst's warnings, formatted with file and line.
    pub warnings: Vec<String>,
    /// Lay-out and render time.
    pub millis: u128,
    /// The lint's warnings on the issue's article files.
    pub lint: Vec<String>,
    /// Articles holding placeholder copy (待稿).
    pub placeholders: Vec<String>,
    /// Per page (index 0 is page 1): the press preflight of the built PDF,
    /// or "not built".
    pub preflight: Vec<String>,
}

/// The press preflight of `build/<issue>.pdf`, one status line per page:
/// "PASS", "WARN 1: rule …", "FAIL 2: …", or "not built" when the build
/// folder holds no PDF of the issue.
pub fn preflight_pages(build: Option<&Path>, issue: &Issue, pages: usize) -> Vec<String> {
    let Some(pdf) = build.and_then(|b| std::fs::read(b.join(format!("{}.pdf", issue.file.id))).ok()) else {
        return vec!["not built".to_string(); pages];
    };
    let map = build
        .and_then(|b| std::fs::read(b.join(format!("{}.map.json", issue.file.id))).ok())
        .and_then(|m| preflight::PageMapFile::parse(&m).ok());
    let report = preflight::check(&pdf, &issue.press, map.as_ref());
    (1..=pages)
        .map(|n| {
            let on: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.severity != preflight::Severity::Pass && f.page.is_none_or(|p| p == n))
                .collect();
            let worst = on.iter().map(|f| f.severity).max().unwrap_or(preflight::Severity::Pass);
            let rules: Vec<String> = on.iter().map(|f| format!("{}: {}", f.rule.name(), f.message)).collect();
            if rules.is_empty() {
                worst.label().to_string()
            } else {
                format!("{} {}: {}", worst.label(), rules.len(), rules.join("; "))
            }
        })
        .collect()
}

/// Proofs issues. A live proofer (`watch`) keeps each page's raster, so a
/// page that did not change is not rendered again and one that did is
/// rendered only where it changed.
#[derive(Default)]
pub struct Proofer {
    live: bool,
    /// The build folder whose PDFs the index preflights.
    pub build: Option<PathBuf>,
    rasters: HashMap<String, Raster>,
}

impl Proofer {
    /// A proofer that renders every page once and keeps nothing.
    pub fn once(build: Option<PathBuf>) -> Self {
        Self { build, ..Self::default() }
    }

    pub fn live(build: Option<PathBuf>) -> Self {
        Self { live: true, build, ..Self::default() }
    }

    pub fn issue(
        &mut self,
        project: &Project,
        issue: &Issue,
        look: &ProofLook,
        out: &Path,
    ) -> Result<IssueProof> {
        let t = Instant::now();
        let opts = LayoutOptions { mark_overset: true, guides: look.guides, fit_colours: look.fit };
        let laid = copyfit::lay_out_fitted(project, issue, opts, look.copyfit)?;
        // From here the issue as laid out (with --copyfit, the changed plan).
        let issue = &laid.issue;
        let mut typo = TypoReport::default();
        typography::check(&laid, &mut typo);
        let mut pages = Vec::new();
        for (i, page) in laid.doc.pages().iter().enumerate() {
            let file = format!("{}-p{}.png", issue.file.id, i + 1);
            let path = out.join(&file);
            let rendered = match self.rasters.get_mut(&file) {
                Some(r) if path.is_file() => r.update(page, look.dpi),
                _ => {
                    let r = Raster::new(page, look.dpi);
                    self.rasters.insert(file.clone(), r);
                    Rendered::Full
                }
            };
            if rendered != Rendered::Nothing {
                let pixmap = &self.rasters[&file].pixmap;
                let png = if look.typography {
                    // On a copy: the kept raster must stay the page alone.
                    files::encode_png(&marked(pixmap, &typo, i + 1, look.dpi))?
                } else {
                    files::encode_png(pixmap)?
                };
                files::write_preview(&path, &png)?;
            }
            if !self.live {
                self.rasters.remove(&file);
            }
            // As typst-render sizes its pixmap.
            let px = |pt: f64| ((pt * look.dpi / 72.0) as f32).round().max(1.0) as u32;
            pages.push(PageProof {
                number: i + 1,
                file,
                width_px: px(page.frame.width().to_pt()),
                height_px: px(page.frame.height().to_pt()),
                rendered,
            });
        }
        let mut fit = FitReport::default();
        fit.add(&laid);
        Ok(IssueProof {
            id: issue.file.id.clone(),
            title: issue.file.title.clone(),
            pages,
            map: laid.map.clone(),
            fit,
            typo,
            overset: laid.overset.clone(),
            warnings: laid.warnings.clone(),
            millis: t.elapsed().as_millis(),
            lint: issue.articles.iter().flat_map(lint::article).map(|w| w.to_string()).collect(),
            placeholders: issue.articles.iter().filter(|a| a.placeholder).map(|a| a.id.clone()).collect(),
            preflight: preflight_pages(self.build.as_deref(), issue, laid.doc.pages().len()),
        })
    }
}

/// A page's raster with the reported lines of page `number` marked over
/// their boxes: amber a line off the cells, red a rule broken.
fn marked(pixmap: &tiny_skia::Pixmap, typo: &TypoReport, number: usize, dpi: f64) -> tiny_skia::Pixmap {
    let mut out = pixmap.clone();
    let px = |mm: f64| (mm / 25.4 * dpi) as f32;
    for v in typo.violations.iter().filter(|v| v.page == number) {
        let [x, y, w, h] = v.line_mm;
        let Some(rect) = tiny_skia::Rect::from_xywh(px(x), px(y), px(w), px(h)) else { continue };
        let mut paint = tiny_skia::Paint::default();
        if v.rule == typography::Rule::Loose {
            paint.set_color_rgba8(255, 176, 0, 96);
        } else {
            paint.set_color_rgba8(224, 0, 0, 96);
        }
        out.fill_rect(rect, &paint, tiny_skia::Transform::identity(), None);
    }
    out
}
