//! Content lint: the slips a copy desk catches by eye, caught by machine.
//!
//! Half-width ,:;()?! next to Chinese text (GB/T 15834 wants full-width
//! forms), straight quotes typed in printed text (`quotes`: the loader
//! pairs them into “” ‘’), unbalanced quotes and brackets inside a
//! paragraph, doubled punctuation, spaces typed between Chinese characters
//! or marks (not printed: `chain::grid_spaces`) and full-width spaces
//! (printed as typed). Lint warns with file, line and the text around the
//! problem; only `lint --fix` changes a file, and only to write the curly
//! quotes the build prints anyway ([`fix_quotes`]).

use std::fmt;
use std::fs;

use crate::content::model::{Article, Edition};
use crate::error::Location;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
    /// A few characters either side of the problem.
    pub excerpt: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: warning: {} … {} …", self.location, self.message, self.excerpt)
    }
}

impl Warning {
    /// The warning as `paiban lint` prints it: its line, then the source
    /// line with a caret under the spot.
    pub fn render(&self) -> String {
        match crate::error::snippet(&self.location, &self.message, "") {
            Some(s) => format!("{self}\n{s}"),
            None => self.to_string(),
        }
    }

    /// The warning as JSON (`message`, `file`, `line`, `column`, `excerpt`).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = crate::error::json_warning(&self.message, Some(&self.location));
        v["excerpt"] = serde_json::json!(self.excerpt);
        v
    }
}

pub fn edition(edition: &Edition) -> Vec<Warning> {
    edition.issues.iter().flat_map(|i| i.articles.iter()).flat_map(article).collect()
}

/// Lints one article's file as written (generated placeholder copy is not
/// linted), and reports each straight quote the loader found in it.
pub fn article(article: &Article) -> Vec<Warning> {
    let Ok(text) = fs::read_to_string(&article.path) else { return Vec::new() };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = text_warnings(&article.path, &text);
    out.extend(article.quotes.iter().map(|q| {
        let col = text[..q.bytes.start].rfind('\n').map_or(0, |i| i + 1);
        let before: Vec<char> = text[col..q.bytes.start].chars().collect();
        let after: String = text[q.bytes.start..].lines().next().unwrap_or("").chars().take(9).collect();
        let excerpt =
            format!("{}{after}", before[before.len().saturating_sub(8)..].iter().collect::<String>());
        Warning { location: q.location.clone(), message: q.message(), excerpt }
    }));
    out.sort_by_key(|w| (w.location.line, w.location.column));
    out
}

/// `article`'s file with the straight quotes the loader paired written as
/// the curly quotes it prints (ambiguous ones stay as typed), and how many
/// were; `None` when there are none. The file is otherwise kept byte for
/// byte (BOM, CRLF line ends); the caller writes it atomically.
pub fn fix_quotes(article: &Article) -> crate::error::Result<Option<(String, usize)>> {
    use crate::error::Error;
    use crate::content::quotes::Verdict;
    let curly: Vec<_> = article
        .quotes
        .iter()
        .filter_map(|q| match q.verdict {
            Verdict::Curly(c) if !q.bytes.is_empty() => Some((q, c)),
            _ => None,
        })
        .collect();
    if curly.is_empty() {
        return Ok(None);
    }
    let path = &article.path;
    let raw = fs::read_to_string(path).map_err(|e| Error::io(e, path, "article file"))?;
    // Byte `i` of the text as loaded (no BOM, LF line ends) is byte
    // `map[i]` of the file.
    let bytes = raw.as_bytes();
    let mut map = Vec::with_capacity(bytes.len() + 1);
    let mut i = if raw.starts_with('\u{feff}') { 3 } else { 0 };
    while i < bytes.len() {
        map.push(i);
        i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
    }
    map.push(bytes.len());
    let mut out = raw.clone();
    for (q, c) in curly.iter().rev() {
        let (Some(&a), Some(&b)) = (map.get(q.bytes.start), map.get(q.bytes.end)) else {
            return Err(Error::input("the file changed while it was linted")
                .in_file(path)
                .hint("run paiban lint --fix again"));
        };
        let was = raw.get(a..b).unwrap_or_default();
        if !was.ends_with(q.typed) || was.len() > 2 {
            return Err(Error::input("the file changed while it was linted")
                .at(q.location.clone())
                .hint("run paiban lint --fix again"));
        }
        out.replace_range(a..b, &c.to_string());
    }
    Ok(Some((out, curly.len())))
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF01..=0xFF60)
        || "“”‘’……——·".contains(c)
}

const HALF: &[(char, char)] = &[
    (',', '，'),
    (':', '：'),
    (';', '；'),
    ('(', '（'),
    (')', '）'),
    ('?', '？'),
    ('!', '！'),
    ('.', '。'),
];

/// Character columns of `chars` inside a URL (`http://…`, `https://…`,
/// `www.…`, up to the first character that is not printable ASCII): their
/// marks are the URL's, not punctuation.
fn url_columns(chars: &[char]) -> Vec<bool> {
    let mut inside = vec![false; chars.len()];
    let starts_at = |i: usize, p: &str| p.chars().enumerate().all(|(k, c)| chars.get(i + k) == Some(&c));
    let mut i = 0;
    while i < chars.len() {
        if starts_at(i, "http://") || starts_at(i, "https://") || starts_at(i, "www.") {
            let mut j = i;
            while j < chars.len() && chars[j].is_ascii_graphic() {
                inside[j] = true;
                j += 1;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    inside
}
const PAIRS: &[(char, char)] =
    &[('“', '”'), ('‘', '’'), ('（', '）'), ('《', '》'), ('「', '」'), ('【', '】')];
const STOPS: &str = "，。、；：";

pub fn text_warnings(path: &std::path::Path, text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    // `+++` lines seen: front matter lies between the first two.
    let mut fences = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim() == "+++" {
            fences += 1;
            continue;
        }
        // Editorial notes quote the problems they record; not printed, not linted.
        if line.trim_start().starts_with("notes") || line.trim_start().starts_with("\"") {
            continue;
        }
        let body = fences != 1;
        let chars: Vec<char> = line.chars().collect();
        let in_url = url_columns(&chars);
        let at = |col: usize| Location::at(path, i + 1, col + 1);
        let excerpt = |col: usize| {
            let a = col.saturating_sub(8);
            let b = (col + 9).min(chars.len());
            chars[a..b].iter().collect::<String>()
        };
        for (col, &c) in chars.iter().enumerate() {
            let prev = col.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(col + 1).copied();
            // A half-width mark beside Chinese text; a full stop only after
            // a Chinese character and before another or the line's end (so
            // 3.5, U.S. and file.md pass), and nothing inside a URL.
            let beside = match c {
                '.' => prev.is_some_and(is_cjk) && next.is_none_or(is_cjk),
                _ => prev.is_some_and(is_cjk) || next.is_some_and(is_cjk),
            };
            if let Some(&(_, full)) = HALF.iter().find(|(h, _)| *h == c)
                && beside
                && !in_url[col]
            {
                out.push(Warning {
                    location: at(col),
                    message: format!("half-width `{c}` in Chinese text; GB/T 15834 uses `{full}`"),
                    excerpt: excerpt(col),
                });
            }
            // Heads may part phrases with a space (照亮一座城 温暖千万家);
            // body text may not: a space between two Chinese characters or
            // marks has no cell on the grid and is not printed
            // (chain::grid_spaces). One warning for a run of spaces.
            let space = |c: char| c.is_whitespace() && c != '\u{3000}';
            if body && space(c) && prev.is_none_or(|p| !space(p)) {
                let before = chars[..col].iter().rev().find(|c| !c.is_whitespace());
                let after = chars[col..].iter().find(|c| !c.is_whitespace());
                if before.is_some_and(|&b| is_cjk(b)) && after.is_some_and(|&a| is_cjk(a)) {
                    out.push(Warning {
                        location: at(col),
                        message: "space between Chinese characters or marks: not printed (a space has no cell on the grid); delete it".into(),
                        excerpt: excerpt(col),
                    });
                }
            }
            if body && c == '\u{3000}' {
                out.push(Warning {
                    location: at(col),
                    message: "full-width space (U+3000) in the text: printed as typed, an empty cell; delete it unless the empty cell is meant".into(),
                    excerpt: excerpt(col),
                });
            }
            if STOPS.contains(c) && next.is_some_and(|n| STOPS.contains(n)) {
                out.push(Warning {
                    location: at(col),
                    message: format!("doubled punctuation `{c}{}`", next.unwrap()),
                    excerpt: excerpt(col),
                });
            }
        }
        for &(open, close) in PAIRS {
            let opens = chars.iter().filter(|&&c| c == open).count();
            let closes = chars.iter().filter(|&&c| c == close).count();
            if opens != closes {
                // Point at the first mark that has no partner.
                let mut depth = 0i32;
                let mut col = chars.iter().position(|&c| c == open || c == close).unwrap_or(0);
                for (j, &c) in chars.iter().enumerate() {
                    if c == open {
                        depth += 1;
                    } else if c == close {
                        depth -= 1;
                        if depth < 0 {
                            col = j;
                            break;
                        }
                    }
                }
                out.push(Warning {
                    location: at(col),
                    message: format!(
                        "unbalanced {open}{close}: {opens} opening, {closes} closing in this paragraph"
                    ),
                    excerpt: excerpt(col),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn finds_each_class() {
        let w =
            text_warnings(Path::new("a.md"), "kind = \"x\"\n新春,来自(一)\n好，，的\n他说:“好。\n比分2:1");
        let msgs: Vec<_> = w.iter().map(|w| (w.location.line.unwrap(), w.message.clone())).collect();
        assert_eq!(msgs.iter().filter(|(l, _)| *l == 2).count(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 3 && m.contains("doubled")));
        assert!(msgs.iter().any(|(l, m)| *l == 4 && m.contains("unbalanced")));
        assert!(msgs.iter().any(|(l, m)| *l == 4 && m.contains("half-width")));
        assert!(!msgs.iter().any(|(l, _)| *l == 5 || *l == 1));
    }

    #[test]
    fn half_width_marks_between_chinese_characters_but_not_in_numbers_latin_or_urls() {
        let text = "新春.来自各方,问候;祝福:平安?好!\n价格3.5元，共4,000人，比分2:1\nU.S. and e.g. file.md here\n详见https://example.com/a.b,c?d=1!。也见www.zjgrrb.com。\n好.";
        let w = text_warnings(Path::new("a.md"), text);
        let found: Vec<_> = w
            .iter()
            .filter(|w| w.message.starts_with("half-width"))
            .map(|w| (w.location.line.unwrap(), w.location.column.unwrap(), w.message.clone()))
            .collect();
        let on = |l: usize| found.iter().filter(|f| f.0 == l).count();
        assert_eq!(on(1), 6, "{found:?}");
        assert!(found.iter().any(|f| f.0 == 1 && f.1 == 3 && f.2.contains("`。`")), "{found:?}");
        assert!(found.iter().any(|f| f.0 == 1 && f.1 == 8 && f.2.contains("`，`")), "{found:?}");
        assert_eq!((on(2), on(3), on(4)), (0, 0, 0), "{found:?}");
        assert_eq!(on(5), 1, "{found:?}");
    }

    #[test]
    fn a_space_between_chinese_characters_is_flagged_in_the_body_only() {
        let w = text_warnings(
            Path::new("a.md"),
            "+++\nheadline = \"照亮一座城 温暖千万家\"\n+++\n\n使用 APP 办理，春眠不觉晓 处处闻啼鸟",
        );
        let msgs: Vec<_> = w.iter().map(|w| (w.location.line.unwrap(), w.message.clone())).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(msgs[0].0 == 5 && msgs[0].1.contains("space between Chinese characters"), "{msgs:?}");
    }

    #[test]
    fn spaces_between_marks_once_per_run_and_full_width_spaces_are_flagged() {
        let w = text_warnings(Path::new("a.md"), "（一）  （二）中 国，Wi Fi 与 A & B\n编者按　新");
        let at: Vec<_> = w.iter().map(|w| (w.location.line.unwrap(), w.location.column.unwrap())).collect();
        assert_eq!(at, [(1, 4), (1, 10), (2, 4)], "{w:?}");
        assert!(w[2].message.contains("U+3000") && w[2].message.contains("printed as typed"));
    }
}
