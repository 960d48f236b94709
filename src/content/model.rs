//! The content model: what a desk writes in `content/`.
//!
//! An edition folder holds `edition.toml` and one folder per issue. Each issue
//! folder holds `issue.toml` (date, paper, page, editors, assumptions and the
//! page plan) and `articles/<id>.md`: TOML front matter between `+++` lines,
//! then the body. See `content/README.md` for the format as a desk sees it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The mark printed for lost text. Defined here and handed to the layouts
/// (`Block::gap_mark`), because paiban counts printed characters.
pub const GAP_MARK: &str = "〔原文缺失〕";
/// `edition.toml`: a series of issues laid out with the same design.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionFile {
    /// The edition's title, e.g. 新春微访谈.
    pub title: String,
    /// Issue folder names, in publication order.
    pub issues: Vec<String>,
    /// What the printing plant asks for (PDF/X flavour, plates, profile…).
    #[serde(default)]
    pub press: crate::content::press_settings::PressTable,
    /// The house's punctuation and spacing rules (src/content/style.rs).
    #[serde(default)]
    pub style: crate::content::style::Style,
}

/// `issue.toml`: one printed page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueFile {
    /// Stable id; output files are named after it (`<id>.pdf`).
    pub id: String,
    /// A title for the PDF's metadata, e.g. 新春微访谈（一）.
    pub title: String,
    /// Publication date; also the PDF timestamp and Typst's `today()`.
    pub date: toml::value::Datetime,
    /// The paper's name as printed in the page header (报眉).
    pub paper: String,
    /// 版次: the page number.
    pub page_number: u32,
    /// 版名: the page's name, e.g. 工会.
    pub page_name: String,
    /// 责任编辑, 美编, 校对 … An empty name prints the role with no name.
    #[serde(default)]
    pub editors: Vec<Credit>,
    /// Facts the source does not give, recorded as explicit assumptions.
    #[serde(default)]
    pub assumptions: Vec<Assumption>,
    /// Page format and grid; defaults to a 对开 broadsheet with 8 columns.
    #[serde(default)]
    pub page: PageSpec,
    /// The page plan: where each article sits on the grid.
    #[serde(default)]
    pub place: Vec<Placement>,
    /// Overrides of the edition's `[press]`, field by field.
    #[serde(default)]
    pub press: crate::content::press_settings::PressTable,
}

/// A role and a name: 记者 洪茵婷, 责任编辑 (unknown).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub name: String,
}

/// A fact not in the source, chosen by the desk and marked as such.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    /// Which field of `issue.toml` the assumption is about.
    pub field: String,
    /// Why this value was chosen.
    pub why: String,
}

/// Page format and character grid.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PageSpec {
    /// Trim width in mm (对开 ≈ 390).
    pub width_mm: f64,
    /// Trim height in mm (对开 ≈ 540).
    pub height_mm: f64,
    /// Basic columns (栏) across the type area.
    pub columns: u32,
    /// Full-width characters per basic column.
    pub column_chars: u32,
    /// Gutter (栏空) between columns, in characters.
    pub gutter_chars: u32,
    /// Body type size in pt (小五号 = 9).
    pub body_pt: f64,
    /// Gap between body lines, in ems of the body size.
    pub line_gap_em: f64,
    /// Space above the header, in mm.
    pub margin_top_mm: f64,
    /// Minimum space below the last grid line, in mm.
    pub margin_bottom_mm: f64,
    /// Grid lines taken by the page header (报眉) and its rule.
    pub header_lines: u32,
    /// The least side margin a press prints, in mm: a type area leaving
    /// less at either side warns (`plan::place::plan_warnings`).
    pub min_side_margin_mm: f64,
}

impl Default for PageSpec {
    fn default() -> Self {
        Self {
            width_mm: 390.0,
            height_mm: 540.0,
            columns: 8,
            column_chars: 13,
            gutter_chars: 1,
            body_pt: 9.0,
            line_gap_em: 0.5,
            margin_top_mm: 18.0,
            margin_bottom_mm: 18.0,
            header_lines: 4,
            min_side_margin_mm: 10.0,
        }
    }
}

/// One rectangle of the page plan, in grid units (1-based).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    /// The article's id (its file stem).
    pub article: String,
    /// First basic column, counted from 1 at the left.
    pub column: u32,
    /// How many basic columns the block spans.
    pub span: u32,
    /// First grid line, counted from 1 below the page header.
    pub line: u32,
    /// How many grid lines the block is high.
    pub lines: u32,
    /// Body columns inside the block; defaults to `span` (one per basic column).
    #[serde(default)]
    pub body_columns: Option<u32>,
    /// Grid lines for the head (headline, photo, byline); at least what it needs.
    #[serde(default)]
    pub head_lines: Option<u32>,
}

/// What an article is on the page; each kind has its own layout component.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ArticleKind {
    /// 通栏题: the series banner across the page top.
    Banner,
    /// The page's lead headline.
    Lead,
    /// 编者按: boxed, in 楷体.
    EditorsNote,
    /// A Q&A or micro-interview with a person line and portrait.
    Interview,
    /// A feature or report with its own banner headline.
    Feature,
    /// An ordinary news story.
    News,
}

impl ArticleKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Banner => "banner",
            Self::Lead => "lead",
            Self::EditorsNote => "editors-note",
            Self::Interview => "interview",
            Self::Feature => "feature",
            Self::News => "news",
        }
    }

    /// Kinds that must carry a headline (主题).
    pub fn needs_headline(self) -> bool {
        !matches!(self, Self::EditorsNote)
    }

    /// Kinds that carry running text.
    pub fn has_body(self) -> bool {
        !matches!(self, Self::Banner | Self::Lead)
    }
}

/// Where the byline is printed.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum BylinePosition {
    /// Under the headline, led by ■ (house style).
    #[default]
    Head,
    /// After the last paragraph, right-aligned, no ■.
    End,
}

/// The front matter of an article file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    pub kind: ArticleKind,
    /// 引题.
    pub kicker: Option<String>,
    /// 主题.
    pub headline: Option<String>,
    /// 副题.
    pub subhead: Option<String>,
    /// The interview's person line(s): unit, post and name.
    #[serde(default)]
    pub person: Vec<String>,
    #[serde(default)]
    pub byline: Vec<Credit>,
    #[serde(default)]
    pub byline_position: BylinePosition,
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// Editorial notes about the source (not printed).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Copy has not arrived: generate placeholder copy of this size.
    pub placeholder: Option<PlaceholderSpec>,
    /// For `paiban plan`: 1 is the page's lead story … 5 the least.
    pub priority: Option<u8>,
    /// For `paiban plan`: the fewest basic columns the block may span.
    pub min_span: Option<u32>,
    /// For `paiban plan`: the most basic columns the block may span.
    pub max_span: Option<u32>,
    /// For `paiban plan`: whether the block may be L-shaped (default: a
    /// story or interview may, when the plan needs it).
    pub l_shape: Option<bool>,
}

/// A photo or its placeholder, sized on the grid.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    pub id: String,
    /// Width in body characters (cells).
    pub cells: u32,
    /// Height in grid lines.
    pub lines: u32,
    #[serde(default)]
    pub caption: String,
    #[serde(default)]
    pub credit: String,
    /// An image file (JPEG/PNG), relative to the article file.
    pub file: Option<PathBuf>,
    /// Where Typst reads the photo as converted for the press (set when
    /// the issue is laid out; see `press::photos`).
    #[serde(skip)]
    pub press_path: Option<String>,
}

/// How much placeholder copy to generate.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PlaceholderSpec {
    /// Body length in characters.
    pub chars: u32,
    /// Varies the copy; defaults to a hash of the article id.
    pub seed: Option<u64>,
}

/// A piece of running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum BodyBlock {
    /// A paragraph: text runs, possibly with recorded gaps.
    Paragraph { runs: Vec<Run>, line: usize },
    /// An in-text subhead (小标题).
    Subhead { text: String, line: usize },
}

/// Text, or a gap where the source lost text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Run {
    Text {
        text: String,
    },
    Gap {
        note: String,
    },
    /// A forced, justified line break chosen by copyfit (缩行/拉行); not in
    /// content files.
    Break,
    /// A mark set after the line's last cell (行末悬挂), so that a full line
    /// need not end a character early before a no-start mark; always
    /// followed by a `Break`. Chosen from the laid-out page, not in content
    /// files.
    Hang {
        text: String,
    },
    /// A mark set half a cell wide (挤进), on the half of its cell its ink
    /// sits in, so that its line takes in one more character or mark
    /// (`linebreak::plan`). Not in content files.
    Squeeze {
        text: String,
    },
}

impl BodyBlock {
    pub fn line(&self) -> usize {
        match self {
            Self::Paragraph { line, .. } | Self::Subhead { line, .. } => *line,
        }
    }

    /// The printed text (gaps left out).
    pub fn text(&self) -> String {
        match self {
            Self::Subhead { text, .. } => text.clone(),
            Self::Paragraph { runs, .. } => runs
                .iter()
                .filter_map(|r| match r {
                    Run::Text { text } | Run::Hang { text } | Run::Squeeze { text } => Some(text.as_str()),
                    Run::Gap { .. } | Run::Break => None,
                })
                .collect(),
        }
    }
}

/// A loaded article.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub path: PathBuf,
    pub meta: ArticleMeta,
    pub body: Vec<BodyBlock>,
    /// True when headline, person line or body are generated placeholder copy.
    pub placeholder: bool,
    /// Line breaks paiban chose (`linebreak::plan`, or a 孤字 mended on
    /// the page): body block index → printed-character offsets in that
    /// paragraph where a line must end (justified). A paragraph listed here
    /// is broken by paiban, not by Typst.
    pub breaks: std::collections::BTreeMap<usize, Vec<usize>>,
    /// Paragraph index → printed-character offsets of marks that hang at a
    /// line end (see `Run::Hang`).
    /// Each is (offset, marks): one mark, or two closing marks together.
    pub hangs: std::collections::BTreeMap<usize, Vec<(usize, usize)>>,
    /// Paragraph index → offsets of the marks set half a cell wide (see
    /// `Run::Squeeze`).
    pub squeezes: std::collections::BTreeMap<usize, Vec<usize>>,
    /// Straight quotes typed in the article's printed text, as the loader
    /// curled them or left them (`content::quotes`), with where each is in the file.
    pub quotes: Vec<crate::content::quotes::Quote>,
}

/// A loaded issue, its articles in the order of the page plan.
#[derive(Debug, Clone)]
pub struct Issue {
    pub dir: PathBuf,
    pub file: IssueFile,
    pub articles: Vec<Article>,
    /// The press settings this issue is printed with (edition's, then its own).
    pub press: crate::content::press_settings::Press,
    /// The edition's house style.
    pub style: crate::content::style::Style,
}

impl Issue {
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// (year, month, day) of the issue date.
    pub fn ymd(&self) -> (i32, u8, u8) {
        let d = self.file.date.date.expect("validated at load");
        (d.year as i32, d.month, d.day)
    }
}

/// A loaded edition.
#[derive(Debug, Clone)]
pub struct Edition {
    pub dir: PathBuf,
    pub title: String,
    pub issues: Vec<Issue>,
}
