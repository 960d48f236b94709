//! Straight quotes typed in copy (an input method left in half-width mode):
//! ASCII `"` and `'` in printed text become “” ‘’, paired within their
//! paragraph or field, when the loader reads an article (`load`). Each one
//! is recorded with its place in the file, so that `paiban lint` and
//! `build` warn with file:line:col, `lint --fix` can write the curly
//! quotes into the file, and `build --final` refuses the ones no rule can
//! pair. Copy printed with a straight quote pushes its line off the cells
//! and reads as a typing slip; the desk's house decision (content/README.md)
//! is to convert and warn, never to print them silently.
//!
//! How a quote is read, from its neighbours (the printed characters either
//! side; a gap mark counts as its 〔〕):
//!
//! - it may **open** after nothing, a space, an opening bracket or mark, a
//!   closing mark or a Chinese character, when text or an opening mark
//!   follows;
//! - it may **close** after text or a closing mark, before nothing, a space,
//!   a mark or a Chinese character;
//! - where both readings fit (`他说"好"他说`), quotes pair alternately: one
//!   closes the open quote of its kind (and any quote opened inside it),
//!   else it opens. Curly
//!   quotes already typed take part (`“好"` closes with ”), and ‘’ nest
//!   inside “” as the copy shows them.
//!
//! A quote that neither reading fits, a closing one with nothing open, and
//! an opening one still open at the paragraph's end are **ambiguous**: left
//! as typed and reported. An apostrophe inside a Latin word (`don't`,
//! `90's`) is not a quote: left alone, not reported.

use crate::error::Location;
use crate::clreq::{NO_END, NO_START};

/// What becomes of one straight quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Set as this curly quote (“ ” ‘ ’).
    Curly(char),
    /// Left as typed: why no pairing rule can decide it.
    Ambiguous(&'static str),
}

/// A straight quote of one text, by its index among the text's characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub index: usize,
    pub typed: char,
    pub verdict: Verdict,
}

/// A straight quote found in an article file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    pub location: Location,
    /// Bytes of the file (as the loader reads it: LF line ends, no BOM)
    /// that hold the quote: one, or two for `\"` inside a TOML string.
    pub bytes: std::ops::Range<usize>,
    pub typed: char,
    pub verdict: Verdict,
}

impl Quote {
    /// The lint's message for it.
    pub fn message(&self) -> String {
        match self.verdict {
            Verdict::Curly(c) => format!(
                "straight quote `{}` typed in the copy: printed as `{c}` (paiban lint --fix writes it into the file)",
                self.typed
            ),
            Verdict::Ambiguous(why) => format!(
                "straight quote `{}` that cannot be paired ({why}): printed as typed, and build --final refuses it; type “” or ‘’ by hand",
                self.typed
            ),
        }
    }

    pub fn ambiguous(&self) -> bool {
        matches!(self.verdict, Verdict::Ambiguous(_))
    }
}

/// Double or single.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

impl Kind {
    fn of(c: char) -> Option<(Kind, Option<bool>)> {
        // (kind, Some(opening?) for a curly quote, None for a straight one)
        match c {
            '"' => Some((Kind::Double, None)),
            '\'' => Some((Kind::Single, None)),
            '“' => Some((Kind::Double, Some(true))),
            '”' => Some((Kind::Double, Some(false))),
            '‘' => Some((Kind::Single, Some(true))),
            '’' => Some((Kind::Single, Some(false))),
            _ => None,
        }
    }

    fn curly(self, open: bool) -> char {
        match (self, open) {
            (Kind::Double, true) => '“',
            (Kind::Double, false) => '”',
            (Kind::Single, true) => '‘',
            (Kind::Single, false) => '’',
        }
    }
}

/// What stands beside a quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Nothing (the text's start or end) or a space.
    Edge,
    /// An opening bracket or mark: （ 《 “ ( [ …
    Opening,
    /// A closing or no-start mark: 。，） ” . , ) …
    Closing,
    /// A Chinese character (or another full-width sign).
    Cjk,
    /// A Latin letter, a digit or another half-width sign.
    Latin,
}

fn side(c: Option<char>) -> Side {
    match c {
        None => Side::Edge,
        Some(c) if c.is_whitespace() => Side::Edge,
        Some(c) if NO_END.contains(c) || "([{".contains(c) => Side::Opening,
        Some(c) if NO_START.contains(c) || ",.;:?!)]}".contains(c) => Side::Closing,
        Some(c) if c.is_ascii() => Side::Latin,
        Some(_) => Side::Cjk,
    }
}

/// An apostrophe inside a Latin word (don't, 90's): not a quote.
pub fn is_apostrophe(prev: Option<char>, c: char, next: Option<char>) -> bool {
    c == '\''
        && prev.is_some_and(|p| p.is_ascii_alphanumeric())
        && next.is_some_and(|n| n.is_ascii_alphabetic())
}

/// Decides every straight quote of one text (a paragraph, a head, a
/// caption), pairing as the module docs say. `text` holds the printed
/// characters in order.
pub fn pair(text: &[char]) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // Open quotes, innermost last: their kind and, for a straight one, its
    // entry in `found`.
    let mut open: Vec<(Kind, Option<usize>)> = Vec::new();
    for (i, &c) in text.iter().enumerate() {
        let Some((kind, curly)) = Kind::of(c) else { continue };
        let prev = i.checked_sub(1).map(|j| text[j]);
        let next = text.get(i + 1).copied();
        match curly {
            Some(true) => open.push((kind, None)),
            Some(false) => {
                if let Some(k) = open.iter().rposition(|o| o.0 == kind) {
                    unpaired(&mut found, open.drain(k..).skip(1));
                }
            }
            None if is_apostrophe(prev, c, next) => {}
            None => {
                let (p, n) = (side(prev), side(next));
                let can_open = p != Side::Latin && matches!(n, Side::Cjk | Side::Latin | Side::Opening);
                let can_close = matches!(p, Side::Cjk | Side::Latin | Side::Closing)
                    && matches!(n, Side::Edge | Side::Closing | Side::Opening | Side::Cjk);
                let outer = open.iter().rposition(|o| o.0 == kind);
                let close = match (can_open, can_close) {
                    // “ never nests in “: a quote of an open kind closes it.
                    (true, true) => outer.is_some(),
                    (true, false) => false,
                    (false, true) => true,
                    (false, false) => {
                        found.push(Found {
                            index: i,
                            typed: c,
                            verdict: Verdict::Ambiguous("nothing either side tells opening from closing"),
                        });
                        continue;
                    }
                };
                if !close {
                    open.push((kind, Some(found.len())));
                    found.push(Found { index: i, typed: c, verdict: Verdict::Curly(kind.curly(true)) });
                } else if let Some(k) = outer {
                    unpaired(&mut found, open.drain(k..).skip(1));
                    found.push(Found { index: i, typed: c, verdict: Verdict::Curly(kind.curly(false)) });
                } else {
                    found.push(Found {
                        index: i,
                        typed: c,
                        verdict: Verdict::Ambiguous("a closing quote with no opening one before it"),
                    });
                }
            }
        }
    }
    unpaired(&mut found, open.drain(..));
    found
}

/// Marks the straight quotes among `open` (closed over, or still open at
/// the end) as unpaired.
fn unpaired(found: &mut [Found], open: impl Iterator<Item = (Kind, Option<usize>)>) {
    for (_, at) in open {
        if let Some(f) = at.and_then(|k| found.get_mut(k)) {
            f.verdict = Verdict::Ambiguous("an opening quote with no closing one in its paragraph or field");
        }
    }
}

/// `text` with each pairable straight quote curled, and what was found.
pub fn curl(text: &str) -> (String, Vec<Found>) {
    let mut chars: Vec<char> = text.chars().collect();
    let found = pair(&chars);
    for f in &found {
        if let Verdict::Curly(c) = f.verdict {
            chars[f.index] = c;
        }
    }
    (chars.into_iter().collect(), found)
}

/// A body paragraph as it prints: `[[gap: …]]` markers become the gap mark
/// (their notes are not printed), `\[[` and a leading `\##` lose their
/// backslash. Returns the printed characters and, for each, its index in
/// `text`'s characters (none for the gap mark's).
pub fn printed_view(text: &str) -> (Vec<char>, Vec<Option<usize>>) {
    let chars: Vec<char> = text.chars().collect();
    let at = |i: usize, s: &str| s.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let (mut view, mut index) = (Vec::new(), Vec::new());
    let mut i = 0;
    if at(0, "\\##") {
        i = 1;
    }
    while i < chars.len() {
        if at(i, "\\[[") {
            i += 1;
        } else if at(i, "[[gap:") {
            let end = (i..chars.len()).find(|&j| at(j, "]]"));
            if let Some(end) = end {
                for c in crate::content::model::GAP_MARK.chars() {
                    view.push(c);
                    index.push(None);
                }
                i = end + 2;
                continue;
            }
        }
        view.push(chars[i]);
        index.push(Some(i));
        i += 1;
    }
    (view, index)
}

/// Curls the straight quotes of a body paragraph as typed (gap markers and
/// escapes in place). Returns the new text and what was found, indexed by
/// `text`'s characters.
pub fn curl_paragraph(text: &str) -> (String, Vec<Found>) {
    let (view, index) = printed_view(text);
    let mut chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for f in pair(&view) {
        let Some(i) = index[f.index] else { continue };
        if let Verdict::Curly(c) = f.verdict {
            chars[i] = c;
        }
        out.push(Found { index: i, ..f });
    }
    (chars.into_iter().collect(), out)
}

/// The raw bytes in a TOML string value's source (`raw`, delimiters
/// included, at file offset `base`) that hold its straight quotes, in
/// order: `"` or `'` as typed, or `\"` in a basic string. None when they
/// cannot be matched one to one with the decoded value's (a `\u0022`
/// escape).
pub fn raw_quotes(raw: &str, base: usize, decoded: &str) -> Option<Vec<std::ops::Range<usize>>> {
    let delim = if raw.starts_with("\"\"\"") || raw.starts_with("'''") { 3 } else { 1 };
    let inner = raw.get(delim..raw.len().checked_sub(delim)?)?;
    let basic = raw.starts_with('"');
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in inner.char_indices() {
        let at = base + delim + i;
        if escaped {
            escaped = false;
            if c == '"' || c == '\'' {
                out.push(at - 1..at + 1);
            }
            continue;
        }
        if basic && c == '\\' {
            escaped = true;
        } else if c == '"' || c == '\'' {
            out.push(at..at + 1);
        }
    }
    let want = decoded.chars().filter(|&c| c == '"' || c == '\'').count();
    (out.len() == want).then_some(out)
}

/// `build --final`'s refusal of straight quotes no rule can pair: printed
/// as typed, they are a typing slip on the page. None when there is none.
pub fn refuse_ambiguous(edition: &crate::content::model::Edition) -> Option<crate::error::Error> {
    let left: Vec<&Quote> = edition
        .issues
        .iter()
        .flat_map(|i| i.articles.iter())
        .flat_map(|a| a.quotes.iter())
        .filter(|q| q.ambiguous())
        .collect();
    let first = left.first()?;
    let mut err = crate::error::Error::input(format!(
        "{} straight quote(s) in the copy cannot be paired; a print PDF would show them as typed",
        left.len()
    ))
    .with_kind(crate::error::Kind::Refused)
    .at(first.location.clone())
    .caret(match first.verdict {
        Verdict::Ambiguous(why) => why,
        Verdict::Curly(_) => "",
    })
    .hint("type “” or ‘’ by hand at each place (paiban lint lists them); build without --final for a proof");
    if left.len() > 1 {
        err = err.detail(
            left[1..]
                .iter()
                .map(|q| format!("{}: also: {}", q.location, q.message()))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
    Some(err)
}

/// The printed text fields of an article's front matter, with where each
/// value is written (`toml::Spanned`: the value's bytes, quotes included).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PrintedFields {
    kicker: Option<Spanned<String>>,
    headline: Option<Spanned<String>>,
    subhead: Option<Spanned<String>>,
    person: Vec<Spanned<String>>,
    byline: Vec<PrintedCredit>,
    photos: Vec<PrintedPhoto>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PrintedCredit {
    role: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PrintedPhoto {
    caption: Option<Spanned<String>>,
    credit: Option<Spanned<String>>,
}

use toml::Spanned;

/// Curls the straight quotes of every printed field of `meta` (kicker,
/// headline, subhead, person lines, byline, captions and credits), each
/// field paired on its own. `front` is the front matter as parsed, found at
/// byte `offset` of the file. Returns each quote with the file bytes that
/// hold it (empty at the value's start when they cannot be told apart).
pub fn curl_fields(
    meta: &mut crate::content::model::ArticleMeta,
    front: &str,
    offset: usize,
) -> Vec<(std::ops::Range<usize>, Found)> {
    let fields: PrintedFields = toml::from_str(front).unwrap_or_default();
    let mut out = Vec::new();
    let mut fix = |value: &mut String, s: &Spanned<String>| {
        if !s.get_ref().contains(['"', '\'']) || value != s.get_ref() {
            return;
        }
        let (curled, found) = curl(s.get_ref());
        let span = s.span();
        let raw = front.get(span.clone()).and_then(|raw| raw_quotes(raw, offset + span.start, s.get_ref()));
        let chars: Vec<char> = s.get_ref().chars().collect();
        for f in found {
            let nth = chars[..f.index].iter().filter(|&&c| c == '"' || c == '\'').count();
            let bytes = raw
                .as_ref()
                .and_then(|r| r.get(nth).cloned())
                .unwrap_or(offset + span.start..offset + span.start);
            out.push((bytes, f));
        }
        *value = curled;
    };
    let optional = |v: &mut Option<String>,
                    s: &Option<Spanned<String>>,
                    fix: &mut dyn FnMut(&mut String, &Spanned<String>)| {
        if let (Some(v), Some(s)) = (v.as_mut(), s) {
            fix(v, s);
        }
    };
    optional(&mut meta.kicker, &fields.kicker, &mut fix);
    optional(&mut meta.headline, &fields.headline, &mut fix);
    optional(&mut meta.subhead, &fields.subhead, &mut fix);
    for (v, s) in meta.person.iter_mut().zip(&fields.person) {
        fix(v, s);
    }
    for (c, s) in meta.byline.iter_mut().zip(&fields.byline) {
        if let Some(s) = &s.role {
            fix(&mut c.role, s);
        }
        if let Some(s) = &s.name {
            fix(&mut c.name, s);
        }
    }
    for (p, s) in meta.photos.iter_mut().zip(&fields.photos) {
        if let Some(s) = &s.caption {
            fix(&mut p.caption, s);
        }
        if let Some(s) = &s.credit {
            fix(&mut p.credit, s);
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curled(s: &str) -> String {
        curl(s).0
    }

    fn ambiguous(s: &str) -> Vec<usize> {
        curl(s).1.iter().filter(|f| matches!(f.verdict, Verdict::Ambiguous(_))).map(|f| f.index).collect()
    }

    #[test]
    fn pairs_double_quotes_beside_chinese_text_and_marks() {
        assert_eq!(curled("他说\"好\"。"), "他说“好”。");
        assert_eq!(curled("\"星辉计划\" 建强\"五大平台\""), "“星辉计划” 建强“五大平台”");
        // Between two Chinese characters both readings fit: alternate.
        assert_eq!(curled("实施\"星辉计划\"建强\"五大平台\"，"), "实施“星辉计划”建强“五大平台”，");
        assert_eq!(curled("（\"好\"）"), "（“好”）");
        assert_eq!(curled("他说：\"好，\"我说\"行\"。"), "他说：“好，”我说“行”。");
        assert!(ambiguous("他说\"好\"。").is_empty());
    }

    #[test]
    fn single_quotes_nest_inside_double_and_curly_quotes_take_part() {
        assert_eq!(curled("他说\"我听到'加油'了\"。"), "他说“我听到‘加油’了”。");
        assert_eq!(curled("“好\"。"), "“好”。");
        assert_eq!(curled("\"好”。"), "“好”。");
        assert_eq!(curled("'单引号'"), "‘单引号’");
    }

    #[test]
    fn apostrophes_in_latin_words_are_left_alone() {
        let (s, f) = curl("don't 与 90's 一样");
        assert_eq!(s, "don't 与 90's 一样");
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(curled("\"don't\"说"), "“don't”说");
    }

    #[test]
    fn what_no_rule_can_pair_is_ambiguous_and_left_as_typed() {
        // An opening quote never closed.
        assert_eq!(curl("他说\"好。").0, "他说\"好。");
        assert_eq!(ambiguous("他说\"好。"), [2]);
        // A closing quote with nothing open.
        assert_eq!(ambiguous("好。\"他说"), [2]);
        // Spaces both sides.
        assert_eq!(ambiguous("甲 \" 乙"), [2]);
        // Three quotes: the last opens and is never closed.
        assert_eq!(ambiguous("\"甲\"乙\"丙"), [4]);
        // A single quote left open inside a closed double: only it.
        assert_eq!(curled("\"甲'乙\"丙"), "“甲'乙”丙");
        assert_eq!(ambiguous("\"甲'乙\"丙"), [2]);
    }

    #[test]
    fn a_paragraph_is_paired_as_printed_around_gap_markers_and_escapes() {
        let (s, f) = curl_paragraph("他说\"[[gap: 原件\"缺\"]]\"。\\[[\"x\"");
        assert_eq!(s, "他说“[[gap: 原件\"缺\"]]”。\\[[“x”");
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].index, 2);
    }

    #[test]
    fn raw_quotes_in_toml_strings() {
        let raw = r#""他说\"好\"'x'""#;
        let r = raw_quotes(raw, 10, "他说\"好\"'x'").unwrap();
        let bytes: Vec<&str> = r.iter().map(|r| &raw[r.start - 10..r.end - 10]).collect();
        assert_eq!(bytes, ["\\\"", "\\\"", "'", "'"]);
        assert_eq!(raw_quotes("'他说\"好\"'", 0, "他说\"好\"").unwrap().len(), 2);
        assert!(raw_quotes(r#""\u0022好""#, 0, "\"好").is_none());
    }
}
