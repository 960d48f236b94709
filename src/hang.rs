//! 行末悬挂: where a full line had to end one character early because the
//! character after it is followed by a no-start mark (。，、 …), the line
//! takes that character and the mark hangs after its last cell. Typst has
//! no hanging punctuation for Chinese, so this is decided here, on the
//! laid-out page, and laid out again: each round fixes the first such line
//! of each paragraph (the lines after it reflow).

use crate::chain;
use crate::grid::{Grid, Rect};
use crate::inspect::PageScan;
use crate::model::{ArticleKind, BodyBlock, Issue};
use crate::typography::{NO_END, NO_START};

/// Whether paiban may set hangs and breaks in body block `j`: a paragraph
/// copyfit has not broken, and not the one a lead-in label (编者按) opens,
/// whose first line is not a plain indented line.
fn settable(a: &crate::model::Article, j: usize) -> bool {
    matches!(a.body.get(j), Some(BodyBlock::Paragraph { .. }))
        && !a.breaks.contains_key(&j)
        && !(j == 0 && chain::lead_in(a.meta.kind).is_some())
}

/// A mark to hang: article, paragraph index, printed-character offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hang {
    pub article: String,
    pub paragraph: usize,
    pub offset: usize,
}

/// Cells a line's characters take: one each, a run of ASCII letters and
/// digits ⌈n/2⌉ (the layouts' digit rule).
fn cells(text: &[char]) -> usize {
    let mut n: usize = 0;
    let mut ascii: usize = 0;
    for &c in text {
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '/') || (ascii > 0 && matches!(c, '.' | '%'))
        {
            ascii += 1;
        } else {
            n += ascii.div_ceil(2) + 1;
            ascii = 0;
        }
    }
    n + ascii.div_ceil(2)
}

/// The next hang for each paragraph whose lines show the pattern.
pub fn find(issue: &Issue, grid: &Grid, scan: &PageScan) -> Vec<Hang> {
    let mut out = Vec::new();
    let parts = chain::parts(issue);
    for a in &issue.articles {
        // A chain's parts are split by character counts measured before any
        // hang; leave them as Typst set them.
        if parts.iter().filter(|p| p.place.article == a.id).count() != 1 {
            continue;
        }
        // The boxed 编者按 sets its text inside the box's inset, off the
        // page's column measure.
        if a.meta.kind == ArticleKind::EditorsNote {
            continue;
        }
        let Some((paras, col_chars)) = body_lines_in(issue, grid, scan, &a.id) else { continue };
        for (j, lines) in paras {
            if !settable(a, j) {
                continue;
            }
            // Only where the lines are measured as the grid says (a line
            // wider than the measure means the cells are counted wrong).
            // A mark already hanging sits past the measure.
            let width = |i: usize, l: &[char]| {
                let hanging = l.last().is_some_and(|c| NO_START.contains(*c));
                (cells(l) + if i == 0 { 2 } else { 0 }).saturating_sub(usize::from(hanging))
            };
            if lines.iter().enumerate().any(|(i, l)| width(i, &l.text) > col_chars) {
                continue;
            }
            let mut before = 0;
            'lines: for (i, pair) in lines.windows(2).enumerate() {
                let (line, next) = (&pair[0].text, &pair[1].text);
                let indent = if i == 0 { 2 } else { 0 };
                // The line takes the next `m` characters (one to three
                // cells: 乙 before 。, or 理” before 。) and the mark after
                // them hangs.
                for m in 1..=3usize.min(next.len().saturating_sub(1)) {
                    let taken = &next[..m];
                    let rest: usize =
                        lines[i + 2..].iter().map(|l| l.text.len()).sum::<usize>() + next.len() - m - 1;
                    let solid_rest = lines[i + 1..]
                        .iter()
                        .flat_map(|l| l.text.iter())
                        .skip(m + 1)
                        .filter(|c| !NO_START.contains(**c))
                        .count();
                    if indent + cells(line) + m == col_chars
                        && !NO_START.contains(taken[0])
                        && taken.iter().all(|c| !c.is_ascii_alphanumeric())
                        && NO_START.contains(next[m])
                        && next.get(m + 1).is_none_or(|c| !NO_START.contains(*c))
                        // The paragraph must not end on a lone character.
                        && (rest == 0 || solid_rest >= 2)
                    {
                        out.push(Hang {
                            article: a.id.clone(),
                            paragraph: j,
                            offset: before + line.len() + m,
                        });
                        break 'lines;
                    }
                }
                before += line.len();
            }
        }
    }
    out
}

/// A paragraph whose last line holds one character (孤字) in first-fit
/// breaking: the offset where a forced break sends one more character down.
/// The line above then ends a cell short: the one off-cell line clreq
/// accepts for this.
pub fn find_runts(issue: &Issue, grid: &Grid, scan: &PageScan) -> Vec<Hang> {
    let mut out = Vec::new();
    for a in &issue.articles {
        let Some((paras, _)) = body_lines_in(issue, grid, scan, &a.id) else { continue };
        for (j, lines) in paras {
            if !settable(a, j) {
                continue;
            }
            let Some(last) = lines.last().filter(|_| lines.len() >= 2) else { continue };
            if last.text.iter().filter(|c| !NO_START.contains(**c)).count() != 1 {
                continue;
            }
            let text: Vec<char> = lines.iter().flat_map(|l| l.text.iter().copied()).collect();
            let start = text.len() - last.text.len();
            // One character more on the last line, or as few more as keep
            // the line rules and a number whole.
            let ok = |at: usize| {
                at > 0
                    && !NO_START.contains(text[at])
                    && !NO_END.contains(text[at - 1])
                    // Nor part a number from its digits or unit.
                    && !(text[at - 1].is_ascii_digit() && (text[at].is_ascii_alphanumeric() || !text[at].is_ascii()))
            };
            if let Some(at) = (1..=5).map(|k| start.saturating_sub(k)).find(|&at| ok(at)) {
                out.push(Hang { article: a.id.clone(), paragraph: j, offset: at });
            }
        }
    }
    out
}

/// A body line as set on the page.
#[derive(Debug, Clone)]
struct SetLine {
    /// Printed characters, in order.
    text: Vec<char>,
}

/// The article's body lines in reading order, from the page (lines that
/// ran past the block included), with the body block each belongs to.
/// Each body block's lines, by block index.
type ParagraphLines = Vec<(usize, Vec<SetLine>)>;

fn body_lines_in(
    issue: &Issue,
    grid: &crate::grid::Grid,
    scan: &crate::inspect::PageScan,
    article: &str,
) -> Option<(ParagraphLines, usize)> {
    let mut lines: Vec<SetLine> = Vec::new();
    let mut col_chars = 0;
    for part in chain::parts(issue).into_iter().filter(|p| p.place.article == article) {
        let p = part.place;
        let rect: Rect = grid.rect(p);
        let start = scan.marker("start", &part.key)?.y;
        // Balanced columns taller than the block run past its bottom: read
        // as many lines as the layout gave each column.
        let prefix = format!("per:{}:", part.key);
        let per = scan.markers.iter().find_map(|m| m.value.strip_prefix(&prefix)?.parse::<f64>().ok());
        let end = per.map_or(rect.bottom(), |per| (start + per * grid.pitch).max(rect.bottom()));
        let n = p.body_columns.unwrap_or(p.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / n as f64;
        col_chars = (grid.span_chars(p.span) - (n - 1) * grid.gutter_chars) / n;
        for line in scan.body_lines(&rect, start, end, step, None).into_values() {
            let mut l = SetLine { text: Vec::new() };
            for (_, _, t) in &line.glyphs {
                l.text.extend(t.chars().filter(|c| !c.is_whitespace()));
            }
            if !l.text.is_empty() {
                lines.push(l);
            }
        }
    }
    let a = issue.article(article)?;
    let mut out = Vec::new();
    let mut it = lines.into_iter();
    let mut skip = chain::lead_in(a.meta.kind).map_or(0, chain::printed_len);
    for (j, b) in a.body.iter().enumerate() {
        let want = chain::block_len(b) + std::mem::take(&mut skip);
        let mut got = 0;
        let mut mine = Vec::new();
        while got < want {
            let l = it.next()?;
            got += l.text.len();
            mine.push(l);
        }
        if got != want {
            return None;
        }
        out.push((j, mine));
    }
    Some((out, col_chars as usize))
}

/// One unit of first-fit breaking on the strict grid.
struct Token {
    /// Offset of its first printed character in the paragraph.
    at: usize,
    cells: usize,
    first: char,
    last: char,
    /// A number glued to the unit after it (word joiner).
    glued: bool,
}

fn is_full_width(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF5E)
        || "“”‘’—…·".contains(c)
}

/// Splits printed text into grid units: a character a cell, a run of ASCII
/// letters and digits ⌈n/2⌉ cells. `None` for text with anything else
/// (half-width signs, spaces), whose widths are not whole cells.
fn tokens(text: &[char]) -> Option<Vec<Token>> {
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        // The layouts' rule: a run starts with a letter, digit, + - or /.
        if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '/') {
            let mut j = i + 1;
            while j < text.len()
                && (text[j].is_ascii_alphanumeric() || matches!(text[j], '.' | '%' | '+' | '-' | '/'))
            {
                j += 1;
            }
            let n = j - i;
            let unit = text.get(j).is_some_and(|&u| matches!(u, '%' | '％' | '万' | '亿') || is_han(u));
            out.push(Token {
                at: i,
                cells: n.div_ceil(2),
                first: c,
                last: text[j - 1],
                glued: unit && n <= 24,
            });
            i = j;
        } else if is_full_width(c) {
            out.push(Token { at: i, cells: 1, first: c, last: c, glued: false });
            i += 1;
        } else {
            return None;
        }
    }
    Some(out)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Where first-fit breaking will need hangs in a paragraph of `text`, in a
/// column of `cap` cells (first line indented two): the same rule as
/// `find`, for every line at once, so one layout usually settles a page.
/// `None` when the text has units whose widths are not whole cells.
pub fn predict(text: &[char], cap: usize) -> Option<Vec<usize>> {
    predict_breaks(text, cap).map(|(hangs, _)| hangs)
}

/// The hangs, and where a forced break must mend a 孤字 that first fit
/// would leave on the last line (as `find_runts` does on the page).
pub fn predict_breaks(text: &[char], cap: usize) -> Option<(Vec<usize>, Option<usize>)> {
    let tokens = tokens(text)?;
    let n = tokens.len();
    let breakable = |t: usize| {
        let (a, b) = (&tokens[t - 1], &tokens[t]);
        // Not before a no-start mark, after a no-end mark, between a number
        // and its unit, or inside —— and ……
        let dash = a.last == b.first && matches!(b.first, '—' | '…');
        !(NO_START.contains(b.first) || NO_END.contains(a.last) || a.glued || dash)
    };
    let solid = |from: usize| tokens[from..].iter().filter(|t| !NO_START.contains(t.first)).count();
    let mut hangs = Vec::new();
    let mut runt = None;
    let (mut t, mut room) = (0, cap.checked_sub(2)?);
    let mut line_start = 0;
    while t < n {
        let (mut end, mut width, mut last_break) = (t, 0, None);
        while end < n && width + tokens[end].cells <= room {
            width += tokens[end].cells;
            end += 1;
            if end == n || breakable(end) {
                last_break = Some((end, width));
            }
        }
        if end == n {
            // The last line: one character (with its marks) is a 孤字.
            if t > 0 && solid(t) == 1 {
                runt = (1..=5)
                    .filter_map(|k| t.checked_sub(k))
                    .find(|&b| b > line_start && breakable(b))
                    .map(|b| tokens[b].at);
                runt?;
            }
            break;
        }
        let (e, w) = last_break?;
        line_start = t;
        let m = room - w;
        let hang = (1..=3).contains(&m)
            && e + m < n
            && tokens[e..e + m].iter().all(|t| t.cells == 1 && !t.first.is_ascii_alphanumeric())
            && !NO_START.contains(tokens[e].first)
            && tokens[e + m].cells == 1
            && NO_START.contains(tokens[e + m].first)
            && tokens.get(e + m + 1).is_none_or(|t| !NO_START.contains(t.first))
            && (e + m + 1 == n || solid(e + m + 1) >= 2);
        if hang {
            hangs.push(tokens[e + m].at);
            t = e + m + 1;
        } else {
            t = e;
        }
        room = cap;
    }
    Some((hangs, runt))
}

/// Printed text of a paragraph, as `body_lines` reads it off the page.
fn printed(runs: &[crate::model::Run]) -> Vec<char> {
    use crate::model::Run;
    runs.iter()
        .flat_map(|r| match r {
            Run::Text { text } | Run::Hang { text } => {
                text.chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>()
            }
            Run::Gap { .. } => chain::GAP_MARK.chars().collect(),
            Run::Break => Vec::new(),
        })
        .collect()
}

/// Sets the predicted hangs on every paragraph that can take them, before
/// the first layout.
pub fn predict_issue(issue: &mut Issue, grid: &Grid) {
    let parts = chain::parts(issue);
    let mut plans = Vec::new();
    for a in &issue.articles {
        let places: Vec<_> = parts.iter().filter(|p| p.place.article == a.id).collect();
        if places.len() != 1 || a.meta.kind == ArticleKind::EditorsNote {
            continue;
        }
        let p = places[0].place;
        let n = p.body_columns.unwrap_or(p.span);
        let cap = ((grid.span_chars(p.span) - (n - 1) * grid.gutter_chars) / n) as usize;
        for (j, b) in a.body.iter().enumerate() {
            let BodyBlock::Paragraph { runs, .. } = b else { continue };
            if !settable(a, j) {
                continue;
            }
            if let Some((h, runt)) = predict_breaks(&printed(runs), cap) {
                plans.push((a.id.clone(), j, h, runt));
            }
        }
    }
    for (id, j, h, runt) in plans {
        if let Some(a) = issue.articles.iter_mut().find(|a| a.id == id) {
            if !h.is_empty() {
                a.hangs.insert(j, h);
            }
            if let Some(b) = runt {
                a.breaks.insert(j, vec![b]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn predicts_the_hang_first_fit_needs() {
        // Indent 2 + 10 + 乙 = 13; 。 may not start the next line.
        assert_eq!(predict(&chars("一二三四五六七八九十乙。甲乙丙丁戊己庚辛壬癸子丑寅"), 13), Some(vec![11]));
        // 理” before 。: two cells taken, the 。 hangs.
        assert_eq!(predict(&chars("一二三四五六七八九理”。甲乙丙丁戊己庚辛壬癸子丑寅"), 13), Some(vec![11]));
        // A full line with nothing to hang.
        assert_eq!(predict(&chars("一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯"), 13), Some(vec![]));
    }

    #[test]
    fn numbers_take_whole_cells_and_odd_signs_are_not_predicted() {
        // 2018 is two cells: 2 + 7 + 2 + 年 + 辛 = 13, nothing to hang.
        assert_eq!(predict(&chars("甲乙丙丁戊己庚2018年辛壬癸"), 13), Some(vec![]));
        // + takes a cell like a digit; a * has no whole-cell width: leave
        // it to the layout.
        assert_eq!(predict(&chars("互联网+职工"), 13), Some(vec![]));
        assert_eq!(predict(&chars("互联网*职工"), 13), None);
    }
}

#[cfg(test)]
mod runt_tests {
    use super::*;

    #[test]
    fn a_lone_last_character_is_predicted_and_mended() {
        // Indent 2 + 11 = 13, then 13, then 辰 alone: break one earlier.
        let text: Vec<char> = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰".chars().collect();
        assert_eq!(predict_breaks(&text, 13), Some((vec![], Some(23))));
    }
}
