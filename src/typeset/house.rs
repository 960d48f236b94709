//! The layouts' house style, `house` in `layouts/style.typ`: the font families of
//! each role, the wording of bylines and the sizes of heads. The layouts own these (a designer
//! restyles in `layouts/` alone); the Rust side needs them too (the glyph
//! check holds characters to their role's faces, bylines are cut into
//! words and checked as printed), so it reads them from the one source,
//! with Typst, and repeats none of them.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use typst::diag::Warned;
use typst::foundations::{Datetime, Value};
use typst::introspection::{MetadataElem, Tag};
use typst::layout::{Frame, FrameItem};
use typst_layout::PagedDocument;

use crate::content::model::{BylinePosition, Credit};
use crate::error::{Error, Location, Result};
use crate::typeset::fonts::Fonts;
use crate::typeset::world::PaibanWorld;

/// Where the style lives in a project.
pub const STYLE_PATH: &str = "/layouts/style.typ";

/// `house` in `layouts/style.typ` (not the punctuation rules of `[style]`
/// in edition.toml, `content::style`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct House {
    pub fonts: FontRoles,
    pub byline: BylineWording,
    /// A 小标题's size in body cells (the layouts set it; the checks find
    /// 小标题 by their markers, not by this size).
    pub subhead_size: f64,
    /// Head sizes (pt): `paiban plan` estimates a head's lines from the
    /// sizes the layouts set it at.
    pub heads: HeadSizes,
}

/// `house.heads`: the size each head text is set at, and for a headline
/// the least a head too wide for its block is set down to (pt).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct HeadSizes {
    /// The series banner (楷体).
    pub banner: f64,
    /// The page's lead headline.
    pub lead: f64,
    pub lead_least: f64,
    /// A story's headline, kicker and subhead.
    pub story: f64,
    pub story_least: f64,
    pub story_kicker: f64,
    pub story_subhead: f64,
    /// An interview's headline, kicker, person lines and subhead.
    pub interview: f64,
    pub interview_least: f64,
    pub interview_kicker: f64,
    pub interview_person: f64,
    pub interview_subhead: f64,
}

/// Font families for each role (see `layouts/style.typ`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct FontRoles {
    pub song: Vec<String>,
    pub hei: Vec<String>,
    pub kai: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct BylineWording {
    /// Before the credits of a byline under the head (■).
    pub head_mark: String,
    /// Between two credits under the head, and at a story's end.
    pub head_join: String,
    pub end_join: String,
}

impl House {
    /// Reads `layouts/style.typ` under `root` (canonical) with Typst.
    pub fn read(root: &Path, fonts: Arc<Fonts>) -> Result<Self> {
        let source = format!("#import \"{STYLE_PATH}\": house\n#metadata(house)\n");
        let today = Datetime::from_ymd(2000, 1, 1).expect("a valid date");
        let world = PaibanWorld::with_main_source(root.to_path_buf(), fonts, source, today);
        let file = root.join(STYLE_PATH.trim_start_matches('/'));
        let failed = |why: String| {
            Error::input(format!("the house style cannot be read: {why}")).at(Location::file(&file)).hint(
                "layouts/style.typ must define `house` as paiban's own does (fonts, byline, subhead-size, heads)",
            )
        };
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        let doc = output.map_err(|errors| {
            failed(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
        })?;
        let value =
            doc.pages().iter().find_map(|p| metadata(&p.frame)).ok_or_else(|| failed("no value".into()))?;
        let json = serde_json::to_value(&value).map_err(|e| failed(e.to_string()))?;
        serde_json::from_value(json).map_err(|e| failed(e.to_string()))
    }

    /// "■记者洪茵婷 通讯员李虹" (head) or "李俊　徐国锋" (end), in the house's
    /// wording.
    pub fn byline_text(&self, credits: &[Credit], position: BylinePosition) -> String {
        let names: Vec<String> = credits.iter().map(|c| format!("{}{}", c.role, c.name)).collect();
        let w = &self.byline;
        match (position, names.is_empty()) {
            (_, true) => String::new(),
            (BylinePosition::Head, false) => format!("{}{}", w.head_mark, names.join(&w.head_join)),
            (BylinePosition::End, false) => names.join(&w.end_join),
        }
    }
}

/// The first `metadata` value in a frame.
fn metadata(frame: &Frame) -> Option<Value> {
    frame.items().find_map(|(_, item)| match item {
        FrameItem::Group(g) => metadata(&g.frame),
        FrameItem::Tag(Tag::Start(content, _)) => {
            content.to_packed::<MetadataElem>().map(|m| m.value.clone())
        }
        _ => None,
    })
}
