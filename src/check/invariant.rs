//! The page invariant, checked on every build and by `check`: every glyph,
//! image and rule lies inside its own block, or in the header band. A
//! no-start mark may hang past a block's right edge into the gutter (行末悬挂,
//! `layouts/GRID.md`), but never as far as the next column, and never across
//! a hairline there.
//!
//! The ink and its owners come from the page scan (`typeset::ink`): the
//! layouts label every block, hairline, header and guide, and extents are
//! ink, not advance, cut to the clips above them.

use serde::Serialize;

use crate::content::model::Issue;
use crate::error::{Error, Kind};
use crate::layout::rounds::Laid;
use crate::plan::chain::{self, Part};
use crate::clreq::NO_START;
use crate::plan::grid::{Grid, Rect, mm};
use crate::typeset::ink::{BBox, Ink, Owner, What};

/// Slack for float noise, in pt (0.18 mm).
const EPS: f64 = 0.5;

/// How far a glyph's outline may overshoot its em box, in ems.
const GLYPH_OVERSHOOT: f64 = 0.1;

/// A rule drawn on a block's edge (the 编者按 box's 1.2 pt top and bottom
/// rules) is the block's, half its stroke either side: shapes get this
/// much more slack.
const HALF_RULE: f64 = 0.6;

/// Something drawn where it may not be.
#[derive(Debug, Clone, Serialize)]
pub struct Stray {
    pub issue: String,
    pub page: usize,
    /// The article that drew it (none: outside every block).
    pub article: Option<String>,
    /// `text “…”`, `photo \`id\``, `rule`, `box`.
    pub element: String,
    /// Its ink box in mm from the page's top left.
    pub at_mm: Rect,
    /// Where it went: past which edge, by how much, or into which block.
    pub why: String,
    /// A hanging mark whose ink stays in the gutter, clear of the next
    /// column, but crosses the hairline there (the second mark of a hung
    /// pair: the line planner does not yet know the rules). A warning; any
    /// other stray is an error.
    pub touches_rule: bool,
}

impl Stray {
    pub fn describe(&self) -> String {
        let who = match &self.article {
            Some(a) => format!("article `{a}`"),
            None => "no block".to_string(),
        };
        format!(
            "issue `{}`, page {}, {who}: {} at x {:.1} y {:.1} mm ({:.1} × {:.1} mm) {}",
            self.issue,
            self.page,
            self.element,
            self.at_mm.x,
            self.at_mm.y,
            self.at_mm.w,
            self.at_mm.h,
            self.why
        )
    }
}

/// How far past a block's right edge a hanging mark's ink may reach at
/// height `y0..y1`: into the gutter, short of the next column and of a
/// hairline in the gutter.
fn hang_room(grid: &Grid, issue: &Issue, part: &Part, y0: f64, y1: f64) -> f64 {
    if grid.gutter_chars == 0 {
        return 0.0;
    }
    let gutter = grid.cell * grid.gutter_chars as f64;
    let a = issue.article(&part.place.article).map(|a| a.meta.kind);
    let ruled = a.is_some_and(|kind| {
        crate::typeset::data::rules(issue, grid, part.place, kind)
            .iter()
            .any(|s| s.x0 == s.x1 && s.y0 < y1 && y0 < s.y1)
    });
    // The hairline sits in the gutter's middle (0.4 pt wide).
    if ruled { gutter / 2.0 - 0.2 } else { gutter }
}

/// Checks the invariant on every page of a laid-out issue.
pub fn check(laid: &Laid) -> Vec<Stray> {
    let issue = &laid.issue;
    let grid = &laid.grid;
    let parts = chain::parts(issue);
    let mut out = Vec::new();
    for i in 0..laid.doc.pages().len() {
        let marks = laid.ink(i);
        let mut k = 0;
        while k < marks.len() {
            let m = &marks[k];
            k += 1;
            if m.hidden || m.owner == Owner::Guide {
                continue;
            }
            let Some((article, why)) = misplaced(grid, issue, &parts, m) else { continue };
            let mut bbox = m.bbox;
            let mut element = match &m.what {
                What::Glyph(t) => t.to_string(),
                _ => String::new(),
            };
            // Stray glyphs that follow one another (a run, or a head set a
            // character a line) make one element.
            if let What::Glyph(_) = m.what {
                while k < marks.len() && !marks[k].hidden && matches!(marks[k].what, What::Glyph(_)) {
                    let n = &marks[k];
                    if n.run != m.run && element.chars().count() >= 40 {
                        break;
                    }
                    if misplaced(grid, issue, &parts, n).is_none_or(|(a, _)| a != article) {
                        break;
                    }
                    if let What::Glyph(t) = &n.what {
                        element.push_str(t);
                    }
                    bbox = (
                        bbox.0.min(n.bbox.0),
                        bbox.1.min(n.bbox.1),
                        bbox.2.max(n.bbox.2),
                        bbox.3.max(n.bbox.3),
                    );
                    k += 1;
                }
            }
            let element = name(issue, grid, article.as_deref(), &m.what, &element);
            out.push(Stray {
                issue: issue.file.id.clone(),
                page: i + 1,
                article,
                element,
                at_mm: Rect { x: bbox.0, y: bbox.1, w: bbox.2 - bbox.0, h: bbox.3 - bbox.1 }.to_mm(),
                touches_rule: why.contains("across the hairline"),
                why,
            });
        }
    }
    out
}

/// What to call a stray element in the message.
fn name(issue: &Issue, grid: &Grid, article: Option<&str>, what: &What, text: &str) -> String {
    let photo = |w: f64, h: f64| {
        let a = issue.article(article?)?;
        a.meta
            .photos
            .iter()
            .find(|p| {
                (p.cells as f64 * grid.cell - w).abs() < 1.0
                    && (p.lines as f64 * grid.pitch - grid.gap - h).abs() < 1.0
            })
            .map(|p| p.id.clone())
    };
    match what {
        What::Glyph(_) => {
            let t: String =
                text.chars().filter(|c| !matches!(c, '\u{2060}' | '\u{200B}' | '\u{FEFF}')).collect();
            format!("text “{t}”")
        }
        What::Image(w, h) => match photo(*w, *h) {
            Some(id) => format!("photo `{id}`"),
            None => "image".into(),
        },
        What::Box(w, h) => match photo(*w, *h) {
            Some(id) => format!("photo `{id}` (FPO box)"),
            None => "box".into(),
        },
        What::Line => "rule".into(),
        What::Shape => "shape".into(),
    }
}

/// Whether a mark lies outside where its owner may draw: the owning
/// article and why, if so.
fn misplaced(grid: &Grid, issue: &Issue, parts: &[Part], m: &Ink) -> Option<(Option<String>, String)> {
    let (x0, y0, x1, y1) = m.bbox;
    let header =
        Rect { x: grid.left, y: grid.header_top, w: grid.type_width(), h: grid.top - grid.header_top };
    let key = match &m.owner {
        Owner::Guide => return None,
        Owner::Header | Owner::None => {
            if inside(m.bbox, header, HALF_RULE) {
                return None;
            }
            let what = if m.owner == Owner::Header { "the header" } else { "no block" };
            return Some((None, format!("belongs to {what} and lies {}", past(m.bbox, header))));
        }
        Owner::Block(k) | Owner::Rule(k) => k,
    };
    let Some(part) = parts.iter().find(|p| &p.key == key) else {
        return Some((None, format!("belongs to an unknown block `{key}`")));
    };
    let article = Some(part.place.article.clone());
    let rect = grid.rect(part.place);
    let gutter = grid.cell * grid.gutter_chars as f64;
    if let Owner::Rule(_) = m.owner {
        // Hairlines run in the line gap under the block and in the gutter
        // at its right.
        let zone = Rect { w: rect.w + gutter, ..rect };
        return (!inside(m.bbox, zone, HALF_RULE)).then(|| (article, format!("lies {}", past(m.bbox, zone))));
    }
    // A glyph's outline may overshoot its em box by design (the last dot
    // of 员 in the Song face reaches 0.06 em past its cell): a tenth of an
    // em is the face's, not a misplacement.
    let slack = match m.what {
        What::Glyph(_) => GLYPH_OVERSHOOT * m.size,
        What::Image(..) => 0.0,
        _ => HALF_RULE,
    };
    if inside(m.bbox, rect, slack) {
        return None;
    }
    // 行末悬挂: a no-start mark past the right edge, in the gutter.
    let hangs = matches!(&m.what, What::Glyph(t) if !t.is_empty() && t.chars().all(|c| NO_START.contains(c)));
    if hangs && inside((x0, y0, rect.right().min(x1), y1), rect, 0.0) {
        let room = hang_room(grid, issue, part, y0, y1);
        if x1 <= rect.right() + room + EPS {
            return None;
        }
        return Some((
            article,
            format!(
                "hangs {:.1} mm past its block's right edge, {} {:.1} mm",
                mm(x1 - rect.right()),
                if room < gutter { "across the hairline at" } else { "into the next column at" },
                mm(room)
            ),
        ));
    }
    // Into another article's block?
    let into = parts
        .iter()
        .filter(|p| p.key != *key)
        .find(|p| overlaps(m.bbox, grid.rect(p.place)))
        .map(|p| format!(", into block `{}`", p.place.article))
        .unwrap_or_default();
    Some((article, format!("lies {}{into}", past(m.bbox, rect))))
}

fn inside(b: BBox, r: Rect, extra: f64) -> bool {
    b.0 >= r.x - EPS - extra
        && b.1 >= r.y - EPS - extra
        && b.2 <= r.right() + EPS + extra
        && b.3 <= r.bottom() + EPS + extra
}

fn overlaps(b: BBox, r: Rect) -> bool {
    b.0 < r.right() - EPS && r.x + EPS < b.2 && b.1 < r.bottom() - EPS && r.y + EPS < b.3
}

/// "12.3 mm past its block's left edge" (the farthest edge crossed).
fn past(b: BBox, r: Rect) -> String {
    let over =
        [(r.x - b.0, "left"), (b.2 - r.right(), "right"), (r.y - b.1, "top"), (b.3 - r.bottom(), "bottom")];
    let (d, edge) = over.into_iter().max_by(|a, b| a.0.total_cmp(&b.0)).unwrap_or((0.0, "left"));
    format!("{:.1} mm past its zone's {edge} edge", mm(d))
}

/// A page's strays as the build's verdict: any stray is an error, a mark
/// hanging across a hairline as much as text outside its block (the house
/// style never hangs by default, and where it hangs, never across a rule).
/// The second value (warnings) is kept for callers and is always empty.
pub fn verdict(issue: &Issue, strays: &[Stray]) -> (Option<Error>, Vec<String>) {
    ((!strays.is_empty()).then(|| error(issue, strays)), Vec::new())
}

/// The error a build or check gives for stray elements.
pub fn error(issue: &Issue, strays: &[Stray]) -> Error {
    let articles: Vec<String> = {
        let mut v: Vec<String> = strays.iter().filter_map(|s| s.article.clone()).collect();
        v.dedup();
        v
    };
    let list = strays.iter().map(|s| format!("  {}", s.describe())).collect::<Vec<_>>().join("\n");
    let named = if articles.is_empty() { String::new() } else { format!(" ({})", articles.join(", ")) };
    Error::input(format!(
        "issue `{}`: {} element(s) drawn outside their block{named}",
        issue.file.id,
        strays.len()
    ))
    .with_kind(Kind::Input)
    .in_file(issue.dir.join("issue.toml"))
    .detail(list)
    .hint(
        "a head or photo wider than its block, or a layout that moves an element out: widen the block (span), \
         make the photo narrower or the head shorter; `paiban proof --guides` shows the block outlines",
    )
}
