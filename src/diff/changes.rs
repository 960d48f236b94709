//! The structural diff: two dumps of a page compared as text and geometry,
//! not pixels. Per article: changed characters by paragraph, lines that
//! reflowed, head lines and blocks that moved, resized or changed face. A
//! geometric change shared by two or more articles is reported once, as a
//! layout change ("every interview's headline moved 2.0 mm down").

use std::collections::BTreeMap;

use super::structure::{BlockDump, Line, PageDump};

/// Differences below this (mm) are rounding, not change.
const EPS_MM: f64 = 0.05;
/// Characters of context printed on each side of a text change.
const CONTEXT: usize = 2;

/// What changed about one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleChanges {
    pub article: String,
    pub kind: String,
    /// Text changes and reflow, specific to this article.
    pub text: Vec<String>,
    /// Geometry and faces; the same wording across articles is a layout change.
    pub layout: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageChanges {
    pub articles: Vec<ArticleChanges>,
    /// Changes shared by several articles, and page-level ones (header, size).
    pub layout: Vec<String>,
}

impl PageChanges {
    pub fn is_empty(&self) -> bool {
        self.layout.is_empty() && self.articles.iter().all(|a| a.text.is_empty() && a.layout.is_empty())
    }

    /// One line per change, for the report.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        for a in &self.articles {
            if !a.text.is_empty() {
                out.push(format!("{}: {}", a.article, a.text.join("; ")));
            }
            for l in &a.layout {
                out.push(format!("{}: {l}", a.article));
            }
        }
        out.extend(self.layout.iter().map(|l| format!("layout change: {l}")));
        out
    }
}

/// An article's blocks, head lines and body lines, gathered over its chain.
struct View<'a> {
    kind: &'a str,
    blocks: Vec<&'a BlockDump>,
    heads: Vec<&'a Line>,
    body: Vec<&'a Line>,
}

fn views(page: &PageDump) -> BTreeMap<&str, View<'_>> {
    let mut out: BTreeMap<&str, View> = BTreeMap::new();
    for b in &page.blocks {
        let v = out.entry(b.article.as_str()).or_insert_with(|| View {
            kind: &b.kind,
            blocks: vec![],
            heads: vec![],
            body: vec![],
        });
        v.blocks.push(b);
        v.heads.extend(&b.heads);
        v.body.extend(&b.body);
    }
    out
}

/// A paragraph: its text and where its lines end (character offsets).
struct Para {
    text: Vec<char>,
    ends: Vec<usize>,
}

fn paragraphs(body: &[&Line]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for l in body {
        if l.para || out.is_empty() {
            out.push(Para { text: vec![], ends: vec![] });
        }
        let p = out.last_mut().expect("pushed above");
        p.text.extend(l.text.chars().filter(|c| !c.is_whitespace()));
        p.ends.push(p.text.len());
    }
    out
}

/// "冰雪消融→冰雪融化": the changed span with a little context either side.
fn text_change(old: &[char], new: &[char]) -> (String, usize, usize, usize) {
    let pre = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suf = old.len().min(new.len()) - pre;
    let suf = old.iter().rev().zip(new.iter().rev()).take(max_suf).take_while(|(a, b)| a == b).count();
    let from = pre.saturating_sub(CONTEXT);
    let span = |t: &[char]| -> String {
        let end = (t.len() - suf + CONTEXT).min(t.len());
        t[from..end].iter().collect()
    };
    (format!("{}→{}", span(old), span(new)), pre, old.len() - suf, new.len() - suf)
}

/// Lines of the new paragraph whose breaks moved: a line is kept when the
/// old paragraph had a line with the same ends, offsets after the edit
/// shifted by what the edit added.
fn reflowed(old: &Para, new: &Para, edit: Option<(usize, usize, usize)>) -> usize {
    let map = |o: usize| match edit {
        Some((at, old_end, new_end)) if o >= old_end && o > at => o - old_end + new_end,
        _ => o,
    };
    let old_lines: Vec<(usize, usize)> = old
        .ends
        .iter()
        .scan(0, |s, &e| {
            let l = (map(*s), map(e));
            *s = e;
            Some(l)
        })
        .collect();
    new.ends
        .iter()
        .scan(0, |s, &e| {
            let l = (*s, e);
            *s = e;
            Some(l)
        })
        .filter(|l| !old_lines.contains(l))
        .count()
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

/// "2.0 mm down", "1.5 mm left and 2.0 mm up".
fn movement(dx: f64, dy: f64) -> String {
    let mut parts = Vec::new();
    if dx.abs() >= EPS_MM {
        parts.push(format!("{:.1} mm {}", dx.abs(), if dx > 0.0 { "right" } else { "left" }));
    }
    if dy.abs() >= EPS_MM {
        parts.push(format!("{:.1} mm {}", dy.abs(), if dy > 0.0 { "down" } else { "up" }));
    }
    parts.join(" and ")
}

fn text_changes(old: &View, new: &View) -> Vec<String> {
    let (po, pn) = (paragraphs(&old.body), paragraphs(&new.body));
    let mut out = Vec::new();
    let mut reflow = 0;
    // Equal paragraphs at both ends; the middle pairs up by position.
    let pre = po.iter().zip(&pn).take_while(|(a, b)| a.text == b.text).count();
    let suf =
        po[pre..].iter().rev().zip(pn[pre..].iter().rev()).take_while(|(a, b)| a.text == b.text).count();
    for i in 0..pre {
        reflow += reflowed(&po[i], &pn[i], None);
    }
    for k in 0..suf {
        reflow += reflowed(&po[po.len() - 1 - k], &pn[pn.len() - 1 - k], None);
    }
    let (mo, mn) = (&po[pre..po.len() - suf], &pn[pre..pn.len() - suf]);
    for i in 0..mo.len().max(mn.len()) {
        match (mo.get(i), mn.get(i)) {
            (Some(a), Some(b)) => {
                let (desc, at, old_end, new_end) = text_change(&a.text, &b.text);
                if !no_op(&desc) {
                    out.push(format!("paragraph {} changed {desc}", pre + i + 1));
                }
                reflow += reflowed(a, b, Some((at, old_end, new_end)));
            }
            (Some(a), None) => {
                out.push(format!("paragraph {} removed: {}", pre + i + 1, excerpt(&a.text)));
            }
            (None, Some(b)) => {
                out.push(format!("paragraph {} added: {}", pre + i + 1, excerpt(&b.text)));
                reflow += b.ends.len();
            }
            (None, None) => {}
        }
    }
    if !out.is_empty() || reflow > 0 {
        out.push(format!("{} reflowed", plural(reflow, "line")));
    }
    if old.body.len() != new.body.len() {
        out.push(format!("body {} → {} lines", old.body.len(), new.body.len()));
    }
    for (i, (a, b)) in old.heads.iter().zip(&new.heads).enumerate() {
        if a.text != b.text {
            let (desc, ..) = text_change(&visible(&a.text), &visible(&b.text));
            if !no_op(&desc) {
                out.push(format!("head line {} changed {desc}", i + 1));
            }
        }
    }
    if old.heads.len() != new.heads.len() {
        out.push(format!("{} → {} head lines", old.heads.len(), new.heads.len()));
    }
    out
}

/// A line's characters as a reader compares them: spacing is layout, not text.
fn visible(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A change that reads the same on both sides (`动。→动。`) is no change to
/// report: the texts differed only where neither side shows it.
fn no_op(desc: &str) -> bool {
    desc.split_once('→').is_some_and(|(a, b)| a == b)
}

fn excerpt(t: &[char]) -> String {
    let s: String = t.iter().take(12).collect();
    if t.len() > 12 { format!("{s}…") } else { s }
}

/// A head line's role, in words that read the same in every article: the
/// largest size is the headline, the rest are named by face and size.
fn head_role(l: &Line, heads: &[&Line]) -> String {
    let max = heads.iter().map(|h| h.size).fold(0.0, f64::max);
    if l.size >= max && heads.len() > 1 { "headline".to_string() } else { format!("{} line", l.style()) }
}

fn layout_changes(old: &View, new: &View) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (a, b)) in old.blocks.iter().zip(&new.blocks).enumerate() {
        let (ra, rb) = (a.rect_mm, b.rect_mm);
        let which = if old.blocks.len() > 1 { format!("block part {}", i + 1) } else { "block".to_string() };
        let moved = movement(rb[0] - ra[0], rb[1] - ra[1]);
        if !moved.is_empty() {
            out.push(format!("{which} moved {moved}"));
        }
        if (rb[2] - ra[2]).abs() >= EPS_MM || (rb[3] - ra[3]).abs() >= EPS_MM {
            out.push(format!("{which} resized {:.1} × {:.1} → {:.1} × {:.1} mm", ra[2], ra[3], rb[2], rb[3]));
        }
    }
    if old.blocks.len() != new.blocks.len() {
        out.push(format!("{} → {} blocks", old.blocks.len(), new.blocks.len()));
    }
    // Lines move with their block: what is reported is how they moved
    // within it (the head sits in the first part; the body counts only when
    // every part moved alike).
    let shifts: Vec<(f64, f64)> = old
        .blocks
        .iter()
        .zip(&new.blocks)
        .map(|(a, b)| (b.rect_mm[0] - a.rect_mm[0], b.rect_mm[1] - a.rect_mm[1]))
        .collect();
    let head_shift = shifts.first().copied().unwrap_or((0.0, 0.0));
    let body_shift = if old.blocks.len() == new.blocks.len()
        && shifts.iter().all(|s| (s.0 - head_shift.0).abs() < EPS_MM && (s.1 - head_shift.1).abs() < EPS_MM)
    {
        head_shift
    } else {
        (0.0, 0.0)
    };
    // Head lines pair up by position in the head.
    if old.heads.len() == new.heads.len() {
        for (a, b) in old.heads.iter().zip(&new.heads) {
            let role = head_role(a, &old.heads);
            if a.font != b.font || (a.size - b.size).abs() > 0.01 {
                out.push(format!("{role} face {} → {}", a.style(), b.style()));
            }
            let moved = movement(b.x - a.x - head_shift.0, b.y - a.y - head_shift.1);
            if !moved.is_empty() {
                out.push(format!("{role} moved {moved}"));
            }
        }
    }
    // The body: its face, and how its lines moved when the text did not change.
    if let (Some(a), Some(b)) = (old.body.first(), new.body.first())
        && (a.font != b.font || (a.size - b.size).abs() > 0.01)
    {
        out.push(format!("body face {} → {}", a.style(), b.style()));
    }
    let same_lines =
        old.body.len() == new.body.len() && old.body.iter().zip(&new.body).all(|(a, b)| a.text == b.text);
    if same_lines && !old.body.is_empty() {
        let moves: Vec<(f64, f64)> = old
            .body
            .iter()
            .zip(&new.body)
            .map(|(a, b)| (b.x - a.x - body_shift.0, b.y - a.y - body_shift.1))
            .collect();
        let moved = moves.iter().filter(|m| m.0.abs() >= EPS_MM || m.1.abs() >= EPS_MM).count();
        let first = moves[0];
        if moved == moves.len()
            && moves.iter().all(|m| (m.0 - first.0).abs() < EPS_MM && (m.1 - first.1).abs() < EPS_MM)
        {
            out.push(format!("body moved {} in its block", movement(first.0, first.1)));
        } else if moved > 0 {
            out.push(format!("{} of the body moved in the block", plural(moved, "line")));
        }
    }
    // One wording once per article (a two-line headline moves as one).
    let mut seen = Vec::new();
    out.retain(|l| {
        let new = !seen.contains(l);
        seen.push(l.clone());
        new
    });
    out
}

/// Compares two dumps of the same page.
pub fn compare(old: &PageDump, new: &PageDump) -> PageChanges {
    let mut page = PageChanges::default();
    if (old.width_mm, old.height_mm) != (new.width_mm, new.height_mm) {
        page.layout.push(format!(
            "page size {} × {} → {} × {} mm",
            old.width_mm, old.height_mm, new.width_mm, new.height_mm
        ));
    }
    let texts = |p: &PageDump| p.page_lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>();
    if texts(old) != texts(new) {
        for (a, b) in texts(old).iter().zip(texts(new).iter()).filter(|(a, b)| a != b) {
            let (desc, ..) = text_change(&visible(a), &visible(b));
            if !no_op(&desc) {
                page.layout.push(format!("page header changed {desc}"));
            }
        }
        if old.page_lines.len() != new.page_lines.len() {
            page.layout.push(format!(
                "page header {} → {} lines",
                old.page_lines.len(),
                new.page_lines.len()
            ));
        }
    } else if old.page_lines != new.page_lines {
        page.layout.push("page header moved or changed face".to_string());
    }
    let (vo, vn) = (views(old), views(new));
    for (id, o) in &vo {
        match vn.get(id) {
            Some(n) => {
                let a = ArticleChanges {
                    article: id.to_string(),
                    kind: n.kind.to_string(),
                    text: text_changes(o, n),
                    layout: layout_changes(o, n),
                };
                if !a.text.is_empty() || !a.layout.is_empty() {
                    page.articles.push(a);
                }
            }
            None => page.layout.push(format!("article {id} removed")),
        }
    }
    for id in vn.keys().filter(|id| !vo.contains_key(*id)) {
        page.layout.push(format!("article {id} added"));
    }
    // A geometric change that reads the same in two or more articles is
    // the layout's, not the articles'.
    let mut shared: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in page.articles.iter().enumerate() {
        for l in &a.layout {
            shared.entry(l.clone()).or_default().push(i);
        }
    }
    for (change, who) in shared.into_iter().filter(|(_, w)| w.len() > 1) {
        let kinds: Vec<&str> = who.iter().map(|&i| page.articles[i].kind.as_str()).collect();
        let kind = kinds[0];
        let all_of_kind = vn.values().filter(|v| v.kind == kind).count();
        let line = if kinds.iter().all(|k| *k == kind) && who.len() == all_of_kind {
            format!("every {kind}'s {change}")
        } else {
            let ids: Vec<&str> = who.iter().map(|&i| page.articles[i].article.as_str()).collect();
            format!("{change} in {}", ids.join(", "))
        };
        page.layout.push(line);
        for &i in &who {
            page.articles[i].layout.retain(|l| *l != change);
        }
    }
    page.articles.retain(|a| !a.text.is_empty() || !a.layout.is_empty());
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(lines: &[&str]) -> Para {
        let mut p = Para { text: vec![], ends: vec![] };
        for l in lines {
            p.text.extend(l.chars());
            p.ends.push(p.text.len());
        }
        p
    }

    fn change(old: &Para, new: &Para) -> (String, usize) {
        let (desc, at, oe, ne) = text_change(&old.text, &new.text);
        (desc, reflowed(old, new, Some((at, oe, ne))))
    }

    #[test]
    fn a_substitution_names_its_characters_and_reflows_nothing() {
        let old = para(&["冰雪消融，", "万木皆春。"]);
        let new = para(&["冰雪融化，", "万木皆春。"]);
        assert_eq!(change(&old, &new), ("冰雪消融，万→冰雪融化，万".to_string(), 0));
    }

    #[test]
    fn an_insertion_reflows_the_lines_from_it_on() {
        // One character into the second of four full lines: it and every
        // later line break elsewhere; the first does not.
        let old = para(&["一二三四", "五六七八", "九十甲乙", "丙丁"]);
        let new = para(&["一二三四", "五新六七", "八九十甲", "乙丙丁"]);
        let (desc, n) = change(&old, &new);
        assert_eq!(desc, "四五六七→四五新六七");
        assert_eq!(n, 3);
    }

    #[test]
    fn a_change_that_reads_the_same_is_no_change() {
        assert!(no_op("动。→动。"));
        assert!(!no_op("冰雪消融，→冰雪融化，"));
        let line = |t: &str| Line { text: t.into(), x: 0.0, y: 0.0, w: 0.0, font: "f".into(), size: 9.0, col: 0, para: false };
        let old = PageDump { issue: "i".into(), page: 1, width_mm: 1.0, height_mm: 1.0, page_lines: vec![line("运动 。")], blocks: vec![] };
        let new = PageDump { page_lines: vec![line("运动。")], ..old.clone() };
        let c = compare(&old, &new);
        assert!(!c.layout.iter().any(|l| l.contains("changed")), "{:?}", c.layout);
    }

    #[test]
    fn an_insertion_at_a_line_start_keeps_the_line_before() {
        let old = para(&["一二三四", "五六七八", "九"]);
        let new = para(&["一二三四", "新五六七", "八九"]);
        assert_eq!(change(&old, &new).1, 2);
    }
}
