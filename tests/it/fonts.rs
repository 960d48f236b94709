//! The bundled fonts: each under 32,768 glyphs (ttf-parser's cmap lookup
//! fails above that and Typst prints blank boxes), and every character the
//! content uses covered by the font of its role.

use crate::common::*;
use paiban::content::model::{ArticleKind, BodyBlock, Run};

fn font_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join("fonts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("otf" | "ttf" | "ttc")))
        .collect();
    v.sort();
    v
}

#[test]
fn every_shipped_font_has_fewer_than_32768_glyphs() {
    let files = font_files();
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let n = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        for i in 0..n {
            let face = ttf_parser::Face::parse(&data, i).unwrap();
            assert!(face.number_of_glyphs() < 32768, "{}: {} glyphs", f.display(), face.number_of_glyphs());
        }
        let size = data.len();
        assert!(size < 20 * 1024 * 1024, "{}: {size} bytes", f.display());
    }
}

fn face(file: &str) -> Vec<u8> {
    std::fs::read(root().join("fonts").join(file)).unwrap()
}

const SONG: &str = "NotoSerifCJKsc-Regular.subset.otf";
const SONG_BOLD: &str = "NotoSerifCJKsc-Bold.subset.otf";
const HEI: &str = "NotoSansCJKsc-Bold.subset.otf";
const KAI: &str = "PaibanWenKai-Regular.subset.ttf";

fn missing(file: &str, text: &str) -> Vec<char> {
    let data = face(file);
    let face = ttf_parser::Face::parse(&data, 0).unwrap();
    let mut m: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .filter(|c| face.glyph_index(*c).is_none())
        .collect();
    m.sort();
    m.dedup();
    m
}

#[test]
fn every_character_in_content_is_covered_by_its_roles_font() {
    let mut uses: Vec<(&str, String, String)> = Vec::new();
    for issue in &edition().issues {
        let h = &issue.file;
        uses.push((SONG_BOLD, h.paper.clone(), "header".into()));
        uses.push((HEI, h.page_name.clone(), "header".into()));
        for a in &issue.articles {
            let body_font = if a.meta.kind == ArticleKind::EditorsNote { KAI } else { SONG };
            let head_font = if a.meta.kind == ArticleKind::Banner { KAI } else { SONG_BOLD };
            let mut push = |font, text: &str| uses.push((font, text.to_string(), a.id.clone()));
            a.meta.headline.iter().for_each(|t| push(head_font, t));
            a.meta.kicker.iter().for_each(|t| push(HEI, t));
            a.meta.subhead.iter().for_each(|t| push(KAI, t));
            a.meta.person.iter().for_each(|t| push(HEI, t));
            a.meta.byline.iter().for_each(|c| push(KAI, &format!("■{}{}", c.role, c.name)));
            for b in &a.body {
                match b {
                    BodyBlock::Subhead { text, .. } => push(HEI, text),
                    BodyBlock::Paragraph { runs, .. } => {
                        for r in runs {
                            match r {
                                Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } => {
                                    push(body_font, text)
                                }
                                Run::Gap { .. } => push(KAI, "〔原文缺失〕"),
                                Run::Break => {}
                            }
                        }
                    }
                }
            }
        }
    }
    uses.push((HEI, "待稿编者按照片".into(), "layout".into()));
    let mut problems = Vec::new();
    for (font, text, who) in &uses {
        let m = missing(font, text);
        if !m.is_empty() {
            problems.push(format!("{who}: {font} lacks {m:?}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_signs_set_as_characters_are_one_em_in_every_body_face() {
    // The line planner counts ℃ ① Ⅰ × … as a cell each
    // (clreq::is_cell_symbol): every face a body may be set in must draw
    // them, one em wide.
    let signs: Vec<char> = (0x2400..0x2700u32)
        .chain(0xA0..0x3000)
        .filter_map(char::from_u32)
        .filter(|&c| paiban::clreq::is_cell_symbol(c))
        .collect();
    assert!(signs.len() > 80, "{signs:?}");
    for file in [SONG, KAI] {
        let data = face(file);
        let face = ttf_parser::Face::parse(&data, 0).unwrap();
        let em = face.units_per_em();
        for &c in &signs {
            let g = face.glyph_index(c).unwrap_or_else(|| panic!("{file}: no {c}"));
            assert_eq!(face.glyph_hor_advance(g), Some(em), "{file}: {c} is not one em wide");
        }
    }
}
