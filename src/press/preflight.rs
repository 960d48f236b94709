//! Preflight: reads a written PDF as a printing plant's preflight would.
//!
//! Nothing the generator did is trusted: the file is parsed again from its
//! bytes (lopdf), every page's content stream is walked with its graphics
//! state (a small tokenizer of our own, fast enough to run inside every
//! `paiban build`), and each PDF/X or plant rule reports PASS, WARN or FAIL
//! with the page, the position in mm from the trim's top-left corner and,
//! when a page map is given, the article whose block holds the mark.
//!
//! - [`doc`]: the document-level rules (version, encryption, ID, output
//!   intent, PDF/X keys, XMP, page boxes, fonts).
//! - [`syntax`]: the content-stream tokenizer.
//! - [`space`]: colour spaces as resolved from resources.
//! - [`walk`]: the content walker (graphics state, text and form XObjects).
//! - [`marks`]: what each painted mark means for the colour, plate, ink,
//!   overprint, transparency and resolution rules.
//! - [`image`]: image samples, for ink and plate checks of photos.
//!
//! [`check`] never panics on any input: a file lopdf cannot read is one
//! FAIL finding.

mod doc;
mod image;
mod marks;
mod obj;
mod space;
mod syntax;
mod walk;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::press::settings::Press;

/// How bad a finding is. Ordered: `Pass < Warn < Fail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Pass,
    Warn,
    Fail,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Warn => "WARN",
            Self::Fail => "FAIL",
        }
    }
}

/// One named rule of the preflight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    Version,
    Encryption,
    DocumentId,
    OutputIntent,
    PdfxKeys,
    Xmp,
    Boxes,
    Fonts,
    Colour,
    MonoPlates,
    InkLimit,
    Transparency,
    ImageResolution,
    Overprint,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Rule; 14] = [
        Rule::Version,
        Rule::Encryption,
        Rule::DocumentId,
        Rule::OutputIntent,
        Rule::PdfxKeys,
        Rule::Xmp,
        Rule::Boxes,
        Rule::Fonts,
        Rule::Colour,
        Rule::MonoPlates,
        Rule::InkLimit,
        Rule::Transparency,
        Rule::ImageResolution,
        Rule::Overprint,
    ];

    /// The rule's name in reports and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Version => "version",
            Self::Encryption => "encryption",
            Self::DocumentId => "document-id",
            Self::OutputIntent => "output-intent",
            Self::PdfxKeys => "pdfx-keys",
            Self::Xmp => "xmp",
            Self::Boxes => "boxes",
            Self::Fonts => "fonts",
            Self::Colour => "colour",
            Self::MonoPlates => "mono-plates",
            Self::InkLimit => "ink-limit",
            Self::Transparency => "transparency",
            Self::ImageResolution => "image-resolution",
            Self::Overprint => "overprint",
        }
    }

    /// What the rule asks for, in one line.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Version => "the PDF version is at most the standard's (1.4 for X-1a, 1.6 for X-4)",
            Self::Encryption => "the file is not encrypted",
            Self::DocumentId => "the trailer has a document /ID",
            Self::OutputIntent => {
                "exactly one GTS_PDFX output intent naming the plant's condition (X-4: with its profile embedded)"
            }
            Self::PdfxKeys => "Info has GTS_PDFXVersion of the standard and Trapped True or False",
            Self::Xmp => "XMP metadata agrees with Info (PDF/X version, Trapped)",
            Self::Boxes => {
                "every page has a TrimBox inside its BleedBox inside its MediaBox, of the page's size"
            }
            Self::Fonts => "every font is embedded",
            Self::Colour => "only DeviceCMYK, DeviceGray, Separation, DeviceN (X-4: also ICC), never RGB",
            Self::MonoPlates => "a black page prints on the K plate only (grey, or CMYK with C=M=Y=0)",
            Self::InkLimit => "C+M+Y+K of every colour and photo pixel is at most the ink limit",
            Self::Transparency => "no transparency in PDF/X-1a (soft masks, alpha, blend modes, groups)",
            Self::ImageResolution => "every photo has the minimum effective resolution at its placed size",
            Self::Overprint => "100 % K text and fills overprint on colour pages; white never overprints",
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// One thing the preflight found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    /// 1-based page number, when the finding is on a page.
    pub page: Option<usize>,
    /// Position: x, y in mm from the page's trim top-left corner.
    #[serde(serialize_with = "ser_at")]
    pub at_mm: Option<(f64, f64)>,
    /// The article whose block holds the position (from the page map).
    pub article: Option<String>,
    pub message: String,
}

fn ser_at<S: serde::Serializer>(at: &Option<(f64, f64)>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct At {
        x: f64,
        y: f64,
    }
    let round = |v: f64| (v * 10.0).round() / 10.0;
    at.map(|(x, y)| At { x: round(x), y: round(y) }).serialize(s)
}

impl Finding {
    pub fn new(rule: Rule, severity: Severity, message: impl Into<String>) -> Self {
        Self { rule, severity, page: None, at_mm: None, article: None, message: message.into() }
    }

    pub fn on_page(mut self, page: usize) -> Self {
        self.page = Some(page);
        self
    }

    /// "page 1 at x 31.4 y 194.0 mm (article chunan): " or the parts known.
    pub fn place(&self) -> String {
        let mut s = String::new();
        if let Some(p) = self.page {
            let _ = write!(s, "page {p}");
        }
        if let Some((x, y)) = self.at_mm {
            let _ = write!(s, "{}at x {x:.1} y {y:.1} mm", if s.is_empty() { "" } else { " " });
        }
        if let Some(a) = &self.article {
            let _ = write!(s, "{}(article {a})", if s.is_empty() { "" } else { " " });
        }
        s
    }
}

/// What the preflight found in one PDF.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

/// A rule's status and its findings.
#[derive(Debug, Clone, Serialize)]
pub struct RuleStatus<'a> {
    pub rule: Rule,
    pub status: Severity,
    pub findings: Vec<&'a Finding>,
}

impl Report {
    /// Whether any rule failed: the file must not go to the plant.
    pub fn failed(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fail)
    }

    /// Whether any rule warned.
    pub fn warned(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Warn)
    }

    /// The worst severity of `rule` (Pass when it found nothing).
    pub fn status(&self, rule: Rule) -> Severity {
        self.findings.iter().filter(|f| f.rule == rule).map(|f| f.severity).max().unwrap_or(Severity::Pass)
    }

    /// Every rule in report order with its status and findings.
    pub fn rules(&self) -> Vec<RuleStatus<'_>> {
        Rule::ALL
            .iter()
            .map(|&rule| RuleStatus {
                rule,
                status: self.status(rule),
                findings: self.findings.iter().filter(|f| f.rule == rule).collect(),
            })
            .collect()
    }

    /// The rules that warned or failed.
    pub fn broken(&self) -> Vec<Rule> {
        Rule::ALL.iter().copied().filter(|&r| self.status(r) != Severity::Pass).collect()
    }

    /// `{"file", "ok", "rules": [{"rule", "status", "findings"}]}`.
    pub fn to_json(&self, file: &str) -> serde_json::Value {
        serde_json::json!({ "file": file, "ok": !self.failed(), "rules": self.rules() })
    }
}

/// The parts of `<issue>.map.json` the preflight reads: the page size and
/// where each article's blocks are.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageMapFile {
    #[serde(default)]
    pub issue: String,
    pub page: MapPage,
    #[serde(default)]
    pub blocks: Vec<MapBlock>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct MapPage {
    pub width_mm: f64,
    pub height_mm: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MapBlock {
    pub article: String,
    #[serde(default = "first_page")]
    pub page: usize,
    pub rect_mm: MapRect,
}

fn first_page() -> usize {
    1
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct MapRect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl PageMapFile {
    /// Reads a map, or says why not.
    pub fn parse(json: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(json).map_err(|e| e.to_string())
    }

    /// The article whose block on `page` holds (x, y) mm from the trim's top left.
    pub fn article_at(&self, page: usize, x: f64, y: f64) -> Option<&str> {
        self.blocks
            .iter()
            .find(|b| {
                let r = b.rect_mm;
                b.page == page && x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h
            })
            .map(|b| b.article.as_str())
    }
}

/// Preflights one PDF against the plant's settings. `map` (the build's page
/// map) gives articles for positions and the page size the trim must have.
/// Never panics: an unreadable file is one FAIL finding.
pub fn check(pdf: &[u8], press: &Press, map: Option<&PageMapFile>) -> Report {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_inner(pdf, press, map)));
    match run {
        Ok(report) => report,
        Err(_) => Report {
            findings: vec![Finding::new(
                Rule::Version,
                Severity::Fail,
                "the PDF could not be read (the reader stopped on malformed data)",
            )],
        },
    }
}

fn check_inner(pdf: &[u8], press: &Press, map: Option<&PageMapFile>) -> Report {
    let mut findings = Vec::new();
    let document = match lopdf::Document::load_mem(pdf) {
        Ok(d) => d,
        Err(e) => {
            findings.push(Finding::new(Rule::Version, Severity::Fail, format!("not a readable PDF: {e}")));
            return Report { findings };
        }
    };
    doc::check(&document, press, map, &mut findings);
    let mut marks = marks::Marks::new(&document, pdf, press, map);
    for (index, page_id) in document.page_iter().enumerate() {
        marks.page(index + 1, page_id, &mut findings);
    }
    // Stable order: by rule, then page, as found within a page.
    findings.sort_by_key(|f| (f.rule, f.page.unwrap_or(0)));
    Report { findings }
}

/// The text report of one file: a header, one line per rule (every finding
/// of a rule that did not pass), and a summary line.
pub fn render_text(file: &str, report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "preflight {file}");
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for rs in report.rules() {
        *counts.entry(rs.status).or_default() += 1;
        if rs.findings.is_empty() {
            let _ = writeln!(out, "  PASS {}", rs.rule.name());
            continue;
        }
        for f in rs.findings {
            let place = f.place();
            let sep = if place.is_empty() { "" } else { ": " };
            let _ = writeln!(out, "  {} {}: {place}{sep}{}", f.severity.label(), rs.rule.name(), f.message);
        }
    }
    let verdict = if report.failed() {
        "FAILED: not for the plant"
    } else if report.warned() {
        "passed with warnings"
    } else {
        "passed"
    };
    let _ = writeln!(
        out,
        "  {verdict} ({} pass, {} warn, {} fail of {} rules)",
        counts.get(&Severity::Pass).unwrap_or(&0),
        counts.get(&Severity::Warn).unwrap_or(&0),
        counts.get(&Severity::Fail).unwrap_or(&0),
        Rule::ALL.len()
    );
    out
}
