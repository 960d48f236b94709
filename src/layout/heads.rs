//! Heads as laid out: each head element of an article part (headline,
//! kicker, subhead, person lines, byline, captions, 小标题) read back from
//! the page with its printed lines, and the head-fit rule every layout
//! must pass: a head is set inside its block or the issue is an error
//! naming the article. `check::typography` holds the lines to the
//! sub-editor's word rules.

use std::collections::BTreeMap;

use crate::layout::rounds::Laid;
use crate::plan::chain;
use crate::typeset::inspect::Mark;
use crate::typeset::house::House;

/// One head text as laid out: which article part and element, the text it
/// sets, and its printed lines (text, left edge, baseline, size), read from
/// the page: the runs of the element's size from its first line's marker
/// down to its last line's.
#[derive(Debug, Clone)]
pub struct HeadText {
    pub article: String,
    pub key: String,
    /// `headline`, `kicker`, `subhead`, `person.N`, `byline`, `caption.N`, `xbt.N` (小标题).
    pub role: String,
    /// The text as written (spaces included).
    pub source: String,
    pub lines: Vec<HeadLine>,
}

#[derive(Debug, Clone)]
pub struct HeadLine {
    pub text: String,
    pub x: f64,
    pub right: f64,
    pub baseline: f64,
    pub size: f64,
}

/// The text of a head element of an article, by its role.
pub fn head_source(house: &House, a: &crate::content::model::Article, role: &str) -> Option<String> {
    let (name, n) = match role.split_once('.') {
        Some((name, n)) => (name, n.parse::<usize>().ok()),
        None => (role, None),
    };
    let meta = &a.meta;
    match (name, n) {
        ("headline", _) => meta.headline.clone(),
        ("kicker", _) => meta.kicker.clone(),
        ("subhead", _) => meta.subhead.clone(),
        ("person", Some(n)) => meta.person.get(n).cloned(),
        ("byline", _) => Some(house.byline_text(&meta.byline, meta.byline_position)),
        ("caption", Some(n)) => {
            meta.photos.get(n).map(|ph| crate::plan::words::caption_text(&ph.caption, &ph.credit))
        }
        ("xbt", Some(n)) => crate::plan::words::subhead_texts(a).nth(n).map(String::from),
        _ => None,
    }
}

/// Every marked head text on the page, with its lines as printed.
pub fn head_texts(laid: &Laid) -> Vec<HeadText> {
    let issue = &laid.issue;
    let scan = &laid.scans[0];
    let grid = &laid.grid;
    // First-line and last-line markers of each element.
    let mut first: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    let mut last: BTreeMap<(String, String), (usize, f64)> = BTreeMap::new();
    for m in &scan.markers {
        let Mark::HeadLine { key, role, line: i, end } = &m.mark else { continue };
        let (i, id) = (*i, (key.clone(), role.clone()));
        if !end && i == 0 {
            first.entry(id).or_insert((m.x, m.y));
        } else if *end {
            let e = last.entry(id).or_insert((i, m.y));
            if i >= e.0 {
                *e = (i, m.y);
            }
        }
    }
    let parts = chain::parts(issue);
    let mut out = Vec::new();
    for ((key, role), (x0, top)) in first {
        let Some(part) = parts.iter().find(|p| p.key == key) else { continue };
        let Some(a) = issue.article(&part.place.article) else { continue };
        let Some(source) = head_source(&laid.house, a, &role) else { continue };
        let rect = grid.rect(part.place);
        let bottom = last.get(&(key.clone(), role.clone())).map_or(top, |e| e.1).max(top);
        // A 小标题 keeps to its column; other heads to their block, right
        // of the marker (which stands at the left of the element's box:
        // beside a photo, not over it).
        let (left, right) = if role.starts_with("xbt") {
            let columns = part.place.body_columns.unwrap_or(part.place.span).max(1);
            let step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
            let col = ((x0 - rect.x + 0.5) / step).floor().max(0.0);
            (rect.x + col * step, rect.x + col * step + step - grid.cell * grid.gutter_chars as f64)
        } else {
            // (Lines run past the block only as the fit check reports them.)
            (x0.max(rect.x), rect.right() + grid.cell)
        };
        let within = |r: &&crate::typeset::inspect::TextRun| {
            r.y > top && r.y <= bottom + 0.5 && r.x >= left - 0.5 && r.x < right
        };
        // The element's size: its first run's.
        let Some(lead) =
            scan.runs.iter().filter(within).min_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)))
        else {
            continue;
        };
        let mut lines: BTreeMap<i64, Vec<(f64, f64, String)>> = BTreeMap::new();
        // By size, not face: quotes are set in the Song face in every text.
        for r in scan.runs.iter().filter(within).filter(|r| (r.size - lead.size).abs() < 0.01) {
            lines.entry((r.y * 8.0).round() as i64).or_default().extend(r.glyphs.iter().cloned());
        }
        let lines = lines
            .into_iter()
            .map(|(y, mut glyphs)| {
                glyphs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let printing: Vec<_> = glyphs.iter().filter(|g| !g.2.trim().is_empty()).collect();
                HeadLine {
                    text: printing.iter().map(|g| g.2.as_str()).collect(),
                    x: printing.first().map_or(0.0, |g| g.0),
                    right: printing.last().map_or(0.0, |g| g.0 + g.1),
                    baseline: y as f64 / 8.0,
                    size: lead.size,
                }
            })
            .filter(|l| !l.text.is_empty())
            .collect();
        out.push(HeadText { article: a.id.clone(), key, role, source, lines });
    }
    out
}

/// A head that could not be set in its block: a word wider than the block
/// at the head's least size (the layouts' `headfit` marker), or head lines
/// printed outside the block. An error naming the article, the block's
/// width and what the head needed.
pub fn head_fit(laid: &Laid) -> crate::error::Result<()> {
    let issue = &laid.issue;
    let scan = &laid.scans[0];
    let grid = &laid.grid;
    let parts = chain::parts(issue);
    let mut problems = Vec::new();
    let mut first_article = None;
    for m in &scan.markers {
        let Mark::HeadFit { key, role, needed, width, size } = &m.mark else { continue };
        let Some(part) = parts.iter().find(|p| &p.key == key) else { continue };
        let p = part.place;
        let a = issue.article(&p.article);
        let text = a.and_then(|a| head_source(&laid.house, a, role)).unwrap_or_default();
        problems.push(format!(
            "  {}: the {} “{}” needs {} pt for its widest word at {} pt, its least size; the block ({} column(s), {} characters) gives it {} pt",
            p.article,
            role_name(role),
            text,
            needed,
            size,
            p.span,
            grid.span_chars(p.span),
            width
        ));
        first_article = first_article.or(a.map(|a| (a, text.clone())));
    }
    // Head lines outside their block (a mark may hang one cell past it).
    for h in head_texts(laid) {
        let Some(part) = parts.iter().find(|p| p.key == h.key) else { continue };
        let rect = grid.rect(part.place);
        if let Some(l) = h.lines.iter().find(|l| {
            // (An opening or closing mark's empty half may stand past the edge.)
            let half = 0.5 * l.size.max(grid.cell) + 0.5;
            l.x < rect.x - half || l.right > rect.right() + half || l.baseline > rect.bottom() + 0.5
        }) {
            problems.push(format!(
                "  {}: the {} line “{}” prints outside its block ({} column(s) × {} lines)",
                h.article,
                role_name(&h.role),
                l.text,
                part.place.span,
                part.place.lines
            ));
            first_article = first_article.or(issue.article(&h.article).map(|a| (a, h.source.clone())));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    problems.dedup();
    let mut err = crate::error::Error::input(format!(
        "issue `{}`: {} head(s) cannot be set in their blocks",
        issue.file.id,
        problems.len()
    ))
    .detail(problems.join("\n"))
    .hint("widen the block (span in issue.toml), make the photo beside the head narrower, or shorten the head; a head is never set in the margin");
    if let Some((a, text)) = first_article {
        // At the head's text in the article file, where it can be found.
        let file = std::fs::read_to_string(&a.path).unwrap_or_default();
        err = match file.find(text.trim_start_matches('■')).filter(|_| !text.is_empty()) {
            Some(at) => err.at(crate::error::Location::at_offset(&a.path, &file, at)),
            None => err.in_file(&a.path),
        };
    }
    Err(err)
}

/// How the desk calls a head element.
fn role_name(role: &str) -> String {
    let (name, n) = role.split_once('.').unwrap_or((role, ""));
    let n1 = n.parse::<usize>().map(|n| format!(" {}", n + 1)).unwrap_or_default();
    match name {
        "headline" => "headline (主题)".into(),
        "kicker" => "kicker (引题)".into(),
        "subhead" => "subhead (副题)".into(),
        "person" => format!("person line{n1}"),
        "byline" => "byline".into(),
        "caption" => format!("caption{n1}"),
        "xbt" => format!("小标题{n1}"),
        other => other.into(),
    }
}
