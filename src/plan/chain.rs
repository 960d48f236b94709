//! Chains: an article placed as several rectangles (an L-shaped block, or a
//! story continued elsewhere on the page). The head sits in the first part;
//! the body fills each part's columns in turn and the last part is balanced.
//!
//! Typst cannot thread text between boxes, so paiban does it: lay out, count
//! the characters the first part actually holds, split the body there, and
//! lay out again (one round per extra part; comemo keeps rounds cheap).

use crate::clreq::is_run_char;
use crate::content::model::{BodyBlock, Issue, Placement, Run};

pub use crate::content::model::GAP_MARK;

/// The bold lead-in of an editor's note with the ideographic space that
/// parts it from the text, a cell each (handed to the layouts likewise:
/// `b.lead_in`; the line plan counts its cells).
pub const NOTE_LABEL: &str = "编者按　";

/// The lead-in printed before an article's first paragraph, if any.
pub fn lead_in(kind: crate::content::model::ArticleKind) -> Option<&'static str> {
    (kind == crate::content::model::ArticleKind::EditorsNote).then_some(NOTE_LABEL)
}

/// Cells before the first character of paragraph `index` of an article of
/// `kind`: the indent, and in the paragraph a lead-in label opens, the
/// label (编者按　, its space a cell).
pub fn paragraph_indent(kind: crate::content::model::ArticleKind, index: usize) -> usize {
    let label = match lead_in(kind) {
        Some(label) if index == 0 => label.chars().count(),
        _ => 0,
    };
    crate::plan::grid::INDENT_CHARS as usize + label
}

/// One rectangle of an article's chain.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub place: &'a Placement,
    /// Unique marker key: the article id, then `id~2`, `id~3` …
    pub key: String,
    pub index: usize,
    pub count: usize,
}

pub fn parts(issue: &Issue) -> Vec<Part<'_>> {
    let plan = &issue.file.place;
    plan.iter()
        .enumerate()
        .map(|(i, p)| {
            let index = plan[..i].iter().filter(|q| q.article == p.article).count();
            let count = plan.iter().filter(|q| q.article == p.article).count();
            let key = if index == 0 { p.article.clone() } else { format!("{}~{}", p.article, index + 1) };
            Part { place: p, key, index, count }
        })
        .collect()
}

/// Characters as they are counted on the page: whitespace does not count.
pub fn printed_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

pub fn block_len(b: &BodyBlock) -> usize {
    match b {
        BodyBlock::Subhead { text, .. } => printed_len(text),
        BodyBlock::Paragraph { runs, .. } => runs
            .iter()
            .map(|r| match r {
                Run::Text { text } => printed_len(text),
                Run::Gap { .. } => GAP_MARK.chars().count(),
                Run::Break => 0,
                Run::Hang { text } | Run::Squeeze { text } => printed_len(text),
            })
            .sum(),
    }
}

/// The spaces of a paragraph as the grid sets them. A space between two
/// words of Latin (`Wi Fi`) stays, one space, inside the run's cells. A
/// space between Chinese and a Latin or digit run (`使用 APP`, `2018 年`),
/// between two Chinese characters or marks (`中 国`, `（一） （二）`: a
/// typing slip, reported by the lint), or at either end, is dropped: the
/// grid gives each character and run whole cells, and a space would put
/// what follows off them (Typst would set the whole paragraph
/// letter-spaced). A full-width space (U+3000) is kept: it is a cell. Any
/// other space (around other signs: `A & B`) is kept as typed, and Typst
/// sets that paragraph. Printed offsets do not count spaces, so breaks,
/// hangs and pairs are unaffected.
pub fn grid_spaces(runs: &[Run]) -> Vec<Run> {
    // The printed neighbours of each space, across runs (a gap mark counts
    // as Chinese text).
    let printed: Vec<Option<char>> = runs
        .iter()
        .flat_map(|r| match r {
            Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } => {
                text.chars().map(Some).collect()
            }
            Run::Gap { .. } => vec![Some('〔')],
            Run::Break => vec![None],
        })
        .collect();
    let solid = |c: &Option<char>| c.filter(|c| !c.is_whitespace());
    let mut at = 0;
    runs.iter()
        .map(|r| {
            let Run::Text { text } = r else {
                at += match r {
                    Run::Hang { text } | Run::Squeeze { text } => text.chars().count(),
                    _ => 1,
                };
                return r.clone();
            };
            let mut out = String::new();
            for c in text.chars() {
                let i = at;
                at += 1;
                if !c.is_whitespace() || c == '\u{3000}' {
                    out.push(c);
                    continue;
                }
                // Only the first of several spaces is looked at.
                if i > 0 && printed[i - 1].is_some_and(|p| p.is_whitespace() && p != '\u{3000}') {
                    continue;
                }
                let before = printed[..i].iter().rev().find_map(solid);
                let after = printed[i + 1..].iter().find_map(solid);
                match (before, after) {
                    (Some(b), Some(a)) if is_run_char(b) && a.is_ascii_alphanumeric() => out.push(' '),
                    (Some(b), Some(a))
                        if (!b.is_ascii() && is_run_char(a)) || (is_run_char(b) && !a.is_ascii()) => {}
                    (Some(b), Some(a))
                        if crate::content::lint::is_cjk(b) && crate::content::lint::is_cjk(a) => {}
                    (Some(_), Some(_)) => out.push(c),
                    _ => {}
                }
            }
            Run::Text { text: out }
        })
        .collect()
}

/// Inserts forced line breaks after the given printed-character offsets of
/// a paragraph's runs.
pub fn with_breaks(runs: &[Run], offsets: &[usize]) -> Vec<Run> {
    let cuts: Vec<_> = offsets.iter().map(|&o| (o, 0)).collect();
    cut_at(runs, &cuts, |_| vec![Run::Break])
}

/// Sets the marks at the given (printed-character offset, count) hanging at
/// their line's end, each hang followed by a forced justified break.
pub fn with_hangs(runs: &[Run], hangs: &[(usize, usize)]) -> Vec<Run> {
    cut_at(runs, hangs, |marks| vec![Run::Hang { text: printed(&marks) }, Run::Break])
}

/// Sets the mark at each offset half a cell wide (挤进).
pub fn with_squeezes(runs: &[Run], offsets: &[usize]) -> Vec<Run> {
    let cuts: Vec<_> = offsets.iter().map(|&o| (o, 1)).collect();
    cut_at(runs, &cuts, |mark| vec![Run::Squeeze { text: printed(&mark) }])
}

fn printed(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Cuts a paragraph's runs at each (offset, take): takes the next `take`
/// printed characters out, and puts what `make` makes of them in their place.
fn cut_at(runs: &[Run], cuts: &[(usize, usize)], make: impl Fn(String) -> Vec<Run>) -> Vec<Run> {
    let flat = |blocks: Vec<BodyBlock>| -> Vec<Run> {
        blocks
            .into_iter()
            .flat_map(|b| match b {
                BodyBlock::Paragraph { runs, .. } => runs,
                BodyBlock::Subhead { .. } => Vec::new(),
            })
            .collect()
    };
    let mut out = Vec::new();
    let mut rest = vec![BodyBlock::Paragraph { runs: runs.to_vec(), line: 0 }];
    let mut done = 0;
    for &(off, take) in cuts {
        let (head, tail, _) = split(&rest, off.saturating_sub(done));
        let (taken, tail, _) = split(&tail, take);
        let taken = flat(taken);
        let text: String = taken
            .iter()
            .map(|r| match r {
                Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } => text.as_str(),
                _ => "",
            })
            .collect();
        out.extend(flat(head));
        // A forced break before the taken characters (a squeezed opening
        // mark that starts a line) stays before what replaces them.
        out.extend(taken.into_iter().take_while(|r| matches!(r, Run::Break)));
        out.extend(make(text));
        done = off + take;
        rest = tail;
    }
    out.extend(flat(rest));
    out
}

/// Splits a body after `n` printed characters. Returns the head, the tail,
/// and whether the tail starts inside a paragraph. A subhead or a gap mark is
/// never split: it goes whole to the tail.
pub fn split(body: &[BodyBlock], mut n: usize) -> (Vec<BodyBlock>, Vec<BodyBlock>, bool) {
    let mut head = Vec::new();
    let mut iter = body.iter();
    for b in iter.by_ref() {
        let len = block_len(b);
        if n >= len {
            head.push(b.clone());
            n -= len;
            continue;
        }
        let BodyBlock::Paragraph { runs, line } = b else {
            let mut tail = vec![b.clone()];
            tail.extend(iter.cloned());
            return (head, tail, false);
        };
        if n == 0 {
            let mut tail = vec![b.clone()];
            tail.extend(iter.cloned());
            return (head, tail, false);
        }
        let (mut a, mut z) = (Vec::new(), Vec::new());
        for r in runs {
            match r {
                _ if n == 0 => z.push(r.clone()),
                Run::Break => a.push(r.clone()),
                // A hanging mark or a pair of marks is never split.
                Run::Hang { text } | Run::Squeeze { text } => {
                    n = n.saturating_sub(printed_len(text));
                    a.push(r.clone());
                }
                Run::Gap { .. } => {
                    let l = GAP_MARK.chars().count();
                    if n >= l {
                        n -= l;
                        a.push(r.clone());
                    } else {
                        n = 0;
                        z.push(r.clone());
                    }
                }
                Run::Text { text } => {
                    let l = printed_len(text);
                    if n >= l {
                        n -= l;
                        a.push(r.clone());
                    } else {
                        let mut cut = text.len();
                        let mut seen = 0;
                        for (i, c) in text.char_indices() {
                            if seen == n {
                                cut = i;
                                break;
                            }
                            if !c.is_whitespace() {
                                seen += 1;
                            }
                        }
                        n = 0;
                        a.push(Run::Text { text: text[..cut].to_string() });
                        z.push(Run::Text { text: text[cut..].to_string() });
                    }
                }
            }
        }
        let continued = !a.is_empty();
        if continued {
            head.push(BodyBlock::Paragraph { runs: a, line: *line });
        }
        let mut tail = vec![BodyBlock::Paragraph { runs: z, line: *line }];
        tail.extend(iter.cloned());
        return (head, tail, continued);
    }
    (head, Vec::new(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_are_kept_only_inside_latin_and_around_other_signs() {
        let t = |s: &str| match &grid_spaces(&[Run::Text { text: s.into() }])[..] {
            [Run::Text { text }] => text.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(t("使用 APP 办理，连接 Wi  Fi 网络"), "使用APP办理，连接Wi Fi网络");
        assert_eq!(t("2018 年 1 月"), "2018年1月");
        // Between two Chinese characters or marks: a slip, not set.
        assert_eq!(t(" 春眠不觉晓 处处闻啼鸟 "), "春眠不觉晓处处闻啼鸟");
        assert_eq!(t("（一）  （二）、“甲” “乙”"), "（一）（二）、“甲”“乙”");
        // A full-width space is a cell, typed on purpose: kept.
        assert_eq!(t("编者按　新"), "编者按　新");
        assert_eq!(t("A & B"), "A & B");
        assert_eq!(t("中 & 国"), "中 & 国");
        // Across runs: the space before a gap mark is Chinese on both sides.
        let runs = grid_spaces(&[Run::Text { text: "共 5 ".into() }, Run::Gap { note: "x".into() }]);
        assert!(matches!(&runs[0], Run::Text { text } if text == "共5"), "{runs:?}");
    }

    fn p(runs: Vec<Run>) -> BodyBlock {
        BodyBlock::Paragraph { runs, line: 1 }
    }
    fn t(s: &str) -> Run {
        Run::Text { text: s.into() }
    }

    #[test]
    fn splits_inside_a_paragraph_and_keeps_everything() {
        let body = vec![p(vec![t("一二三")]), p(vec![t("四五"), Run::Gap { note: "x".into() }, t("六七")])];
        let (a, b, cont) = split(&body, 5);
        assert!(cont);
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].text(), "四五");
        assert_eq!(b[0].text(), "六七");
        // Gap marks are never split.
        let (a, b, _) = split(&body, 7);
        assert_eq!(a[1].text(), "四五");
        assert!(matches!(&b[0], BodyBlock::Paragraph { runs, .. } if matches!(runs[0], Run::Gap { .. })));
        // At a paragraph boundary the tail is not a continuation.
        let (a, b, cont) = split(&body, 3);
        assert!(!cont && a.len() == 1 && b.len() == 1);
        let (a, b, _) = split(&body, 100);
        assert_eq!((a.len(), b.len()), (2, 0));
    }

    #[test]
    fn a_squeezed_mark_that_starts_a_line_keeps_the_break_before_it() {
        // 竞 ends a line; “‘ open the next, both squeezed.
        let runs = with_breaks(&[t("技能竞“‘双创’")], &[3]);
        let runs = with_squeezes(&runs, &[3, 4]);
        let kinds: Vec<String> = runs
            .iter()
            .map(|r| match r {
                Run::Text { text } => text.clone(),
                Run::Squeeze { text } => format!("<{text}>"),
                Run::Break => "|".into(),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(kinds.concat(), "技能竞|<“><‘>双创’");
    }
}
