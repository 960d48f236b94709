//! Every character prints from a real glyph.
//!
//! Before layout, every character of every printed field (headline, kicker,
//! subhead, person line, byline, photo captions and credits, body text and
//! 小标题, and the page header's fields in `issue.toml`) is looked up in the
//! cmap of its role's font list, as Typst will choose it: the role's design
//! at the field's weight, then its rare-character face, then the other
//! designs' rare faces (`house.fonts` in `layouts/style.typ`). A character no face has
//! would print as a .notdef box (tofu): it is reported with file, line,
//! column and code point. After layout, no glyph in the laid-out frames may
//! be glyph 0 (.notdef): each one is reported with issue, page and the
//! article whose block it lies in.
//!
//! `paiban fonts --coverage` measures each role against GB 2312, GBK
//! (decoded from their code ranges with `encoding_rs`) and the
//! 通用规范汉字表 (`fonts/tongyong-guifan.txt`, from Unihan's kTGH).

use std::fmt;
use std::path::Path;

use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::text::{FontBook, FontStretch, FontStyle, FontVariant, FontWeight};

use crate::content::model::{Article, ArticleKind, BodyBlock, Edition, Issue, Run};
use crate::error::Location;
use crate::layout::rounds::Laid;
use crate::plan::grid::mm;
use crate::typeset::house::FontRoles;

/// A font role as the layouts use it: a design (whose family list
/// `layouts/style.typ` gives) and a weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// The desk's name for it: 书宋, 标宋, 黑体, 粗黑, 楷体.
    pub name: &'static str,
    pub design: Design,
    pub weight: u16,
}

/// The three designs of `house.fonts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    Song,
    Hei,
    Kai,
}

impl Role {
    /// The role's family list, from the house style.
    pub fn families(self, fonts: &FontRoles) -> &[String] {
        match self.design {
            Design::Song => &fonts.song,
            Design::Hei => &fonts.hei,
            Design::Kai => &fonts.kai,
        }
    }
}

pub const SONG: Role = Role { name: "书宋", design: Design::Song, weight: 400 };
pub const SONG_BOLD: Role = Role { name: "标宋", design: Design::Song, weight: 700 };
pub const HEI: Role = Role { name: "黑体", design: Design::Hei, weight: 400 };
pub const HEI_BOLD: Role = Role { name: "粗黑", design: Design::Hei, weight: 700 };
pub const KAI: Role = Role { name: "楷体", design: Design::Kai, weight: 400 };

/// Every role the layouts use, in the order `fonts --coverage` prints them.
pub const ROLES: [Role; 5] = [SONG, SONG_BOLD, HEI, HEI_BOLD, KAI];

/// A role resolved against the font book: the face Typst picks from each
/// family of the list, in order.
pub struct Chain<'a> {
    pub role: Role,
    /// The role's family list, as the style gives it.
    pub families: &'a [String],
    book: &'a FontBook,
    /// (family as listed, book index) for each family the book has.
    faces: Vec<(&'a str, usize)>,
}

impl<'a> Chain<'a> {
    pub fn new(book: &'a FontBook, fonts: &'a FontRoles, role: Role) -> Self {
        let variant =
            FontVariant::new(FontStyle::Normal, FontWeight::from_number(role.weight), FontStretch::NORMAL);
        let families = role.families(fonts);
        let faces = families
            .iter()
            .filter_map(|f| book.select(&f.to_lowercase(), variant).map(|i| (f.as_str(), i)))
            .collect();
        Self { role, families, book, faces }
    }

    /// The family whose face prints `c`, first in the list; `None`: tofu.
    pub fn family_for(&self, c: char) -> Option<&'a str> {
        self.faces
            .iter()
            .find(|(_, i)| self.book.info(*i).is_some_and(|info| info.coverage.contains(c as u32)))
            .map(|(f, _)| *f)
    }

    /// Whether the role's own design (the list's first family) prints `c`.
    pub fn own(&self, c: char) -> bool {
        self.family_for(c).is_some_and(|f| self.families.first().is_some_and(|g| g == f))
    }

    pub fn covers(&self, c: char) -> bool {
        self.family_for(c).is_some()
    }
}

/// Characters that print no glyph of their own: spaces, controls, joiners,
/// variation selectors (the shaper hides them when a font lacks them).
pub fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0x00AD | 0x180B..=0x180F | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F
            | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE0FFF))
}

/// A character of a printed field that no face of its role's list has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub location: Location,
    /// The article's id, or `header` for the page header's fields.
    pub article: String,
    /// The field, as written in the file: `headline`, `person`, `body` …
    pub field: String,
    pub ch: char,
    pub role: Role,
    /// The role's family list, as `layouts/style.typ` gives it.
    pub families: Vec<String>,
}

impl Missing {
    pub fn code_point(&self) -> String {
        format!("U+{:04X}", self.ch as u32)
    }

    pub fn hint(&self) -> String {
        format!(
            "no bundled font has {} {}: it would print as an empty box (tofu). Check the character \
             (a variant form may be meant), or add a font that has it with --font-path and name its family \
             in layouts/style.typ (house.fonts); `paiban fonts --coverage` lists what the fonts hold",
            self.ch,
            self.code_point()
        )
    }
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{}: warning: `{}` {} in the {} of `{}` has no glyph in {} ({})\n  hint: {}",
            self.location,
            self.ch,
            self.code_point(),
            self.field,
            self.article,
            self.role.name,
            self.families.join(", "),
            self.hint()
        )
    }
}

/// The error `build --final` refuses characters without a glyph with: at
/// the first, every one listed.
pub fn refuse(missing: &[Missing]) -> crate::error::Error {
    let list: Vec<String> = missing
        .iter()
        .map(|m| {
            format!(
                "{}: `{}` {} in the {} of `{}` ({})",
                m.location,
                m.ch,
                m.code_point(),
                m.field,
                m.article,
                m.role.name
            )
        })
        .collect();
    let first = &missing[0];
    crate::error::Error::input(format!(
        "{} character(s) have no glyph in any bundled font and would print as empty boxes (tofu): `{}` {} in the {} of `{}`{}",
        missing.len(),
        first.ch,
        first.code_point(),
        first.field,
        first.article,
        if missing.len() > 1 { " …" } else { "" }
    ))
    .with_kind(crate::error::Kind::Refused)
    .at(first.location.clone())
    .detail(list.join("\n"))
    .hint(format!("{}; build without --final for a proof", first.hint()))
}

/// The printed fields of an article: (field as named in the file, role, text).
fn article_fields(a: &Article) -> Vec<(&'static str, Role, String)> {
    let m = &a.meta;
    let head = if m.kind == ArticleKind::Banner { KAI } else { SONG_BOLD };
    let body = if m.kind == ArticleKind::EditorsNote { KAI } else { SONG };
    let mut out = Vec::new();
    m.headline.iter().for_each(|t| out.push(("headline", head, t.clone())));
    m.kicker.iter().for_each(|t| out.push(("kicker", HEI, t.clone())));
    m.subhead.iter().for_each(|t| out.push(("subhead", KAI, t.clone())));
    m.person.iter().for_each(|t| out.push(("person", HEI_BOLD, t.clone())));
    for c in &m.byline {
        out.push(("byline", KAI, format!("{}{}", c.role, c.name)));
    }
    for p in &m.photos {
        out.push(("caption", KAI, p.caption.clone()));
        out.push(("credit", KAI, p.credit.clone()));
    }
    for b in &a.body {
        match b {
            BodyBlock::Subhead { text, .. } => out.push(("body", HEI_BOLD, text.clone())),
            BodyBlock::Paragraph { runs, .. } => {
                for r in runs {
                    if let Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } = r {
                        out.push(("body", body, text.clone()));
                    }
                }
            }
        }
    }
    out
}

/// The page header's printed fields, from `issue.toml`.
fn header_fields(issue: &Issue) -> Vec<(&'static str, Role, String)> {
    let f = &issue.file;
    let mut out = vec![("paper", SONG_BOLD, f.paper.clone()), ("page_name", HEI_BOLD, f.page_name.clone())];
    for c in &f.editors {
        out.push(("editors", SONG, format!("{}{}", c.role, c.name)));
    }
    out
}

/// Checks every printed field of every issue of the edition before layout.
pub fn check_edition(book: &FontBook, fonts: &FontRoles, edition: &Edition) -> Vec<Missing> {
    let mut out = Vec::new();
    for issue in &edition.issues {
        out.extend(check_fields(book, fonts, &issue.dir.join("issue.toml"), "header", &header_fields(issue)));
        for a in &issue.articles {
            out.extend(check_article(book, fonts, a));
        }
    }
    out
}

pub fn check_article(book: &FontBook, fonts: &FontRoles, a: &Article) -> Vec<Missing> {
    check_fields(book, fonts, &a.path, &a.id, &article_fields(a))
}

fn check_fields(
    book: &FontBook,
    fonts: &FontRoles,
    path: &Path,
    owner: &str,
    fields: &[(&'static str, Role, String)],
) -> Vec<Missing> {
    // (field, role, char) missing, each once, in the order first met.
    let mut missing: Vec<(&'static str, Role, char)> = Vec::new();
    let mut chains: Vec<Chain> = Vec::new();
    for (field, role, text) in fields {
        if !chains.iter().any(|c| c.role == *role) {
            chains.push(Chain::new(book, fonts, *role));
        }
        let chain = chains.iter().find(|c| c.role == *role).expect("just added");
        for c in text.chars().filter(|&c| needs_glyph(c)) {
            if !chain.covers(c) && !missing.iter().any(|m| m.0 == *field && m.2 == c) {
                missing.push((field, *role, c));
            }
        }
    }
    if missing.is_empty() {
        return Vec::new();
    }
    let source = std::fs::read_to_string(path).unwrap_or_default();
    let lines = field_lines(&source);
    let mut out = Vec::new();
    for (field, role, c) in missing {
        let mut found = false;
        for (n, (f, line)) in lines.iter().enumerate() {
            if *f != field {
                continue;
            }
            for (col, _) in line.chars().enumerate().filter(|(_, x)| *x == c) {
                found = true;
                out.push(Missing {
                    location: Location::at(path, n + 1, col + 1),
                    article: owner.to_string(),
                    field: field.to_string(),
                    ch: c,
                    role,
                    families: role.families(fonts).to_vec(),
                });
            }
        }
        if !found {
            // Written as an escape (\u4DAE), or generated copy: the field's
            // first line, or the file.
            let location = lines
                .iter()
                .position(|(f, _)| *f == field)
                .map_or_else(|| Location::file(path), |n| Location::at(path, n + 1, 1));
            out.push(Missing {
                location,
                article: owner.to_string(),
                field: field.to_string(),
                ch: c,
                role,
                families: role.families(fonts).to_vec(),
            });
        }
    }
    out
}

/// Each line of an article or issue file with the field it belongs to:
/// the TOML key it continues (`person = [` …), `caption`/`credit` inside
/// `[[photos]]`, `body` after the front matter; "" for anything else.
fn field_lines(source: &str) -> Vec<(&str, &str)> {
    let fenced = source.lines().next().is_some_and(|l| l.trim() == "+++");
    let mut fences = 0;
    let mut key = "";
    let mut out = Vec::new();
    for line in source.lines() {
        let t = line.trim();
        if fenced && t == "+++" && fences < 2 {
            fences += 1;
            key = "";
            out.push(("", line));
            continue;
        }
        if fenced && fences >= 2 {
            out.push(("body", line));
            continue;
        }
        if t.starts_with('[') && !t.starts_with("[{") {
            key = "";
        } else if let Some((k, _)) = t.split_once('=')
            && let k = k.trim()
            && !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            key = FIELDS.iter().find(|f| **f == k).copied().unwrap_or("");
        }
        out.push((key, line));
    }
    out
}

/// The printed fields' keys in article front matter and `issue.toml`.
const FIELDS: [&str; 10] = [
    "headline",
    "kicker",
    "subhead",
    "person",
    "byline",
    "caption",
    "credit",
    "paper",
    "page_name",
    "editors",
];

/// A .notdef glyph (id 0) in the laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Tofu {
    pub issue: String,
    /// 1-based.
    pub page: usize,
    /// The article whose block the glyph lies in, if any.
    pub article: Option<String>,
    pub text: String,
    pub family: String,
    pub x_mm: f64,
    pub y_mm: f64,
}

impl Tofu {
    pub fn describe(&self) -> String {
        let cps: Vec<String> = self.text.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
        format!(
            "issue `{}`, page {}, {}: `{}` {} prints as an empty box (.notdef of {}) at x {:.1} y {:.1} mm",
            self.issue,
            self.page,
            self.article
                .as_ref()
                .map_or_else(|| "outside any article block".to_string(), |a| format!("article `{a}`")),
            self.text,
            cps.join(" "),
            self.family,
            self.x_mm,
            self.y_mm
        )
    }
}

/// Every glyph id 0 in the laid-out frames of `laid`.
pub fn tofu(laid: &Laid) -> Vec<Tofu> {
    let issue = &laid.issue;
    let mut out = Vec::new();
    for (i, page) in laid.doc.pages().iter().enumerate() {
        let mut found = Vec::new();
        walk(&page.frame, Transform::identity(), &mut found);
        for (x, y, text, family) in found {
            let (x_mm, y_mm) = (mm(x), mm(y));
            let article = laid
                .map
                .blocks
                .iter()
                .find(|b| {
                    let r = &b.rect_mm;
                    b.page == i + 1 && x_mm >= r.x && x_mm <= r.right() && y_mm >= r.y && y_mm <= r.bottom()
                })
                .map(|b| b.article.clone());
            out.push(Tofu { issue: issue.file.id.clone(), page: i + 1, article, text, family, x_mm, y_mm });
        }
    }
    out
}

fn walk(frame: &Frame, ts: Transform, out: &mut Vec<(f64, f64, String, String)>) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), out),
            FrameItem::Text(t) => {
                let mut x = Abs::zero();
                for g in &t.glyphs {
                    if g.id == 0 {
                        let text = &t.text[g.range()];
                        if text.chars().any(needs_glyph) {
                            let p = Point::new(x + g.x_offset.at(t.size), Abs::zero()).transform(here);
                            out.push((
                                p.x.to_pt(),
                                p.y.to_pt(),
                                text.to_string(),
                                t.font.info().family.clone(),
                            ));
                        }
                    }
                    x += g.x_advance.at(t.size);
                }
            }
            _ => {}
        }
    }
}

/// A character set the coverage report measures.
pub struct Repertoire {
    pub name: &'static str,
    /// What the set is, in the report's words.
    pub about: String,
    pub chars: Vec<char>,
}

/// GB 2312's 6,763 hanzi: rows 16–87 (lead bytes B0–F7, trail A1–FE),
/// decoded with `encoding_rs` (positions that decode to the Private Use
/// Area are the five unassigned ones at the end of row 55).
pub fn gb2312() -> Repertoire {
    let chars = decode_zones(&[(0xB0, 0xF7, 0xA1, 0xFE)]);
    Repertoire { name: "GB 2312", about: format!("{} hanzi (rows 16–87)", group(chars.len())), chars }
}

/// GBK's hanzi: zones GBK/2 (= GB 2312's hanzi), GBK/3 (81–A0 × 40–FE) and
/// GBK/4 (AA–FE × 40–A0), 21,003 positions, decoded with `encoding_rs`.
/// Positions that decode to the Private Use Area (components with no
/// Unicode character) are left out, and counted in `about`.
pub fn gbk() -> Repertoire {
    let zones = [(0xB0, 0xF7, 0xA1, 0xFE), (0x81, 0xA0, 0x40, 0xFE), (0xAA, 0xFE, 0x40, 0xA0)];
    let mut pua = 0;
    let mut chars = Vec::new();
    for (c, is_pua) in decode_all(&zones) {
        if is_pua {
            pua += 1;
        } else {
            chars.push(c);
        }
    }
    // GBK/2's five unassigned positions (D7FA–D7FE) are not hanzi.
    let positions = chars.len() + pua - 5;
    chars.sort_unstable();
    chars.dedup();
    Repertoire {
        name: "GBK",
        about: format!(
            "{} hanzi positions (GBK/2–4); {} decode to characters, {} to the Private Use Area (left out)",
            group(positions),
            group(chars.len()),
            pua - 5
        ),
        chars,
    }
}

/// The 通用规范汉字表 (2013), 8,105 characters, from `fonts/tongyong-guifan.txt`.
pub fn tongyong_guifan() -> Repertoire {
    let chars: Vec<char> = include_str!("../../fonts/tongyong-guifan.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.chars().next())
        .collect();
    Repertoire {
        name: "通用规范汉字表",
        about: format!("{} characters (2013, from Unihan kTGH)", group(chars.len())),
        chars,
    }
}

fn decode_zones(zones: &[(u8, u8, u8, u8)]) -> Vec<char> {
    let mut v: Vec<char> = decode_all(zones).into_iter().filter(|(_, pua)| !pua).map(|(c, _)| c).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Each two-byte position of the zones (lead range × trail range, 0x7F
/// skipped) decoded as GBK: (character, whether it is in the PUA).
fn decode_all(zones: &[(u8, u8, u8, u8)]) -> Vec<(char, bool)> {
    let mut out = Vec::new();
    for &(l0, l1, t0, t1) in zones {
        for lead in l0..=l1 {
            for trail in t0..=t1 {
                if trail == 0x7F {
                    continue;
                }
                let bytes = [lead, trail];
                let (s, _, bad) = encoding_rs::GBK.decode(&bytes);
                let mut it = s.chars();
                if let (Some(c), None, false) = (it.next(), it.next(), bad) {
                    out.push((c, (0xE000..=0xF8FF).contains(&(c as u32))));
                }
            }
        }
    }
    out
}

/// 21003 → "21,003".
pub fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repertoires_have_their_published_sizes() {
        assert_eq!(gb2312().chars.len(), 6763);
        assert_eq!(tongyong_guifan().chars.len(), 8105);
        let g = gbk();
        assert!(g.about.starts_with("21,003 hanzi positions"), "{}", g.about);
        assert!(gb2312().chars.iter().all(|c| g.chars.contains(c)));
        assert!(g.chars.contains(&'亍'));
        // Ext A lies outside GBK but for the GB 18030 mappings of a few
        // former private-use positions (encoding_rs follows WHATWG's index).
        assert!(!g.chars.contains(&'㐀'));
    }

    #[test]
    fn fields_of_a_front_matter_are_found_by_key() {
        let src = "+++\nkind = \"news\"\nheadline = \"甲\"\nperson = [\n  \"乙\",\n]\n[[photos]]\nid = \"x\"\ncaption = \"丙\"\n+++\n\n丁\n";
        let f: Vec<&str> = field_lines(src).iter().map(|x| x.0).collect();
        assert_eq!(
            f,
            ["", "", "headline", "person", "person", "person", "", "", "caption", "", "body", "body"]
        );
    }
}
