//! The issue as data for Typst: the grid in pt, the header, and every block
//! with its article. Text crosses into Typst as JSON strings, never as markup,
//! so `#`, `$`, `*`, `_`, `<`, `@` and `\` print literally.

use std::path::Path;

use serde::Serialize;

use crate::grid::{Grid, Rect};
use crate::model::{ArticleKind, BodyBlock, BylinePosition, Credit, Issue};

#[derive(Debug, Serialize)]
pub struct IssueData<'a> {
    pub header: Header,
    pub grid: Grid,
    pub blocks: Vec<Block<'a>>,
    pub fonts: FontRoles,
    pub proof: bool,
}

/// Font family for each role (see layouts/README.md).
#[derive(Debug, Serialize)]
pub struct FontRoles {
    pub song: &'static str,
    pub hei: &'static str,
    pub kai: &'static str,
}

pub const FONTS: FontRoles =
    FontRoles { song: "Noto Serif CJK SC", hei: "Noto Sans CJK SC", kai: "Paiban WenKai" };

#[derive(Debug, Serialize)]
pub struct Header {
    pub paper: String,
    pub date: String,
    pub weekday: String,
    pub page_number: String,
    pub number: u32,
    pub page_name: String,
    pub editors: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub struct Block<'a> {
    pub id: &'a str,
    pub kind: ArticleKind,
    pub rect: Rect,
    pub span: u32,
    pub cells: u32,
    pub body_columns: u32,
    pub head_lines: u32,
    pub kicker: Option<&'a str>,
    pub headline: Option<&'a str>,
    pub subhead: Option<&'a str>,
    pub person: &'a [String],
    pub byline: String,
    pub byline_position: BylinePosition,
    pub photos: Vec<PhotoData<'a>>,
    pub body: &'a [BodyBlock],
    pub placeholder: bool,
}

#[derive(Debug, Serialize)]
pub struct PhotoData<'a> {
    pub id: &'a str,
    pub w: f64,
    pub h: f64,
    pub caption: &'a str,
    pub credit: &'a str,
    /// Project path of the image (`/content/…`), when there is one.
    pub file: Option<String>,
}

const WEEKDAYS: [&str; 7] = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"];

/// Day of the week, Monday = 0 (Sakamoto's method).
pub fn weekday(y: i32, m: u8, d: u8) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    let sunday0 = (y + y / 4 - y / 100 + y / 400 + T[m as usize - 1] + d as i32).rem_euclid(7);
    ((sunday0 + 6) % 7) as usize
}

/// "■记者洪茵婷 通讯员李虹" (head) or "李俊 徐国锋" (end), as the house prints them.
pub fn byline_text(credits: &[Credit], position: BylinePosition) -> String {
    let names: Vec<String> = credits.iter().map(|c| format!("{}{}", c.role, c.name)).collect();
    match (position, names.is_empty()) {
        (_, true) => String::new(),
        (BylinePosition::Head, false) => format!("■{}", names.join(" ")),
        (BylinePosition::End, false) => names.join(" "),
    }
}

impl<'a> IssueData<'a> {
    pub fn new(issue: &'a Issue, grid: &Grid, root: &Path, proof: bool) -> Self {
        let f = &issue.file;
        let (y, m, d) = issue.ymd();
        let editors = f
            .editors
            .iter()
            .filter(|e| !e.name.trim().is_empty())
            .map(|e| format!("{}：{}", e.role, e.name))
            .collect::<Vec<_>>()
            .join("　");
        let header = Header {
            paper: f.paper.clone(),
            date: format!("{y}年{m}月{d}日"),
            weekday: WEEKDAYS[weekday(y, m, d)].to_string(),
            page_number: format!("第{}版", f.page_number),
            number: f.page_number,
            page_name: f.page_name.clone(),
            editors,
            title: f.title.clone(),
        };
        let blocks = f
            .place
            .iter()
            .map(|p| {
                let a = issue.article(&p.article).expect("validated at load");
                let photos = a
                    .meta
                    .photos
                    .iter()
                    .map(|ph| PhotoData {
                        id: &ph.id,
                        w: ph.cells as f64 * grid.cell,
                        h: ph.lines as f64 * grid.pitch - grid.gap,
                        caption: &ph.caption,
                        credit: &ph.credit,
                        file: ph.file.as_ref().and_then(|file| {
                            let rel = file.strip_prefix(root).ok()?;
                            Some(format!("/{}", rel.to_string_lossy().replace('\\', "/")))
                        }),
                    })
                    .collect();
                Block {
                    id: &a.id,
                    kind: a.meta.kind,
                    rect: grid.rect(p),
                    span: p.span,
                    cells: grid.span_chars(p.span),
                    body_columns: p.body_columns.unwrap_or(p.span),
                    head_lines: p.head_lines.unwrap_or(1),
                    kicker: a.meta.kicker.as_deref(),
                    headline: a.meta.headline.as_deref(),
                    subhead: a.meta.subhead.as_deref(),
                    person: &a.meta.person,
                    byline: byline_text(&a.meta.byline, a.meta.byline_position),
                    byline_position: a.meta.byline_position,
                    photos,
                    body: &a.body,
                    placeholder: a.placeholder,
                }
            })
            .collect();
        Self { header, grid: grid.clone(), blocks, fonts: FONTS, proof }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays() {
        assert_eq!(WEEKDAYS[weekday(2018, 2, 16)], "星期五"); // 2018 Spring Festival
        assert_eq!(WEEKDAYS[weekday(2026, 11, 25)], "星期三");
        assert_eq!(WEEKDAYS[weekday(2000, 1, 1)], "星期六");
    }

    #[test]
    fn bylines() {
        let c = vec![
            Credit { role: "记者".into(), name: "洪茵婷".into() },
            Credit { role: "通讯员".into(), name: "李虹".into() },
        ];
        assert_eq!(byline_text(&c, BylinePosition::Head), "■记者洪茵婷 通讯员李虹");
        assert_eq!(byline_text(&c[..1], BylinePosition::End), "记者洪茵婷");
    }
}
