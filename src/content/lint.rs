//! Content lint: the slips a copy desk catches by eye, caught by machine.
//!
//! Half-width ,:;()?! next to Chinese text (GB/T 15834 wants full-width
//! forms), unbalanced quotes and brackets inside a paragraph, and doubled
//! punctuation. Lint never changes text: it warns with file, line and the text
//! around the problem.

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

/// Lints one article's file as written (generated placeholder copy is not linted).
pub fn article(article: &Article) -> Vec<Warning> {
    match fs::read_to_string(&article.path) {
        Ok(text) => text_warnings(&article.path, &text),
        Err(_) => Vec::new(),
    }
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
            // body text may not: the space has no cell, and the paragraph
            // leaves the character grid (chain::grid_spaces).
            if body && c == ' ' && prev.is_some_and(|p| !p.is_ascii()) && next.is_some_and(|n| !n.is_ascii())
            {
                out.push(Warning {
                    location: at(col),
                    message: "space between Chinese characters: it has no cell on the grid, so this paragraph is set off the cells; drop it, or use a mark".into(),
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
}
