//! The issue as the planner sees it: each article with its rank, the spans
//! it may take, and at each span the lines its head and body need
//! (`heads`, `capacity`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::grid::Grid;
use crate::content::model::{Article, ArticleKind, Placement};

use super::{capacity, heads};

/// A body column shorter than this many lines is a 豆腐块: the planner
/// never sets an article in more columns than keep it this tall.
pub const MIN_COLUMN_LINES: u32 = 6;

/// What an article needs at one span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    /// The head as `snap` sets it: for a story the text above its photos,
    /// for an interview the whole head (portrait and text).
    pub head_text: u32,
    /// Lines of photos under a story's head text (0 for other kinds).
    pub photo_row: u32,
    /// Body columns, and the body's lines in one column and balanced.
    pub columns: u32,
    pub body: u32,
    pub per: u32,
    pub last: u32,
    /// Lines under the body that belong to the block (a note's box foot).
    pub foot: u32,
}

impl Need {
    pub fn head(&self) -> u32 {
        self.head_text + self.photo_row
    }
    /// The block's lines with nothing to spare.
    pub fn lines(&self) -> u32 {
        self.head() + self.per + self.foot
    }
    /// Column-lines the article takes at `span`: its head and foot across,
    /// its body once (the capacity bound of `bound` and `construct`).
    pub fn area(&self, span: u32) -> u32 {
        (self.head() + self.foot) * span + self.body
    }
}

/// One article to place.
#[derive(Debug, Clone)]
pub struct Piece {
    pub id: String,
    pub kind: ArticleKind,
    pub path: PathBuf,
    /// Set across the page's top (banner, lead).
    pub top: bool,
    /// 0 is the page's first: banner, lead, then the lead story …
    pub rank: usize,
    /// Characters of body text.
    pub chars: usize,
    pub min_span: u32,
    pub max_span: u32,
    /// Front matter `l_shape`: `Some(false)` never an L, `Some(true)` an L
    /// whenever it helps, unset an L only where the page needs one.
    pub l_shape: Option<bool>,
    /// Photos as (cells, lines with caption); an interview's first stands
    /// beside its head, a story's stand in a row under its head.
    pub photos: Vec<(u32, u32)>,
    /// Index `span - 1`: what it needs at that span, `None` where it may
    /// not stand (outside its spans, a head or photo that does not fit, or
    /// body columns under `MIN_COLUMN_LINES`).
    pub needs: Vec<Option<Need>>,
}

impl Piece {
    pub fn need(&self, span: u32) -> Option<&Need> {
        self.needs.get(span.checked_sub(1)? as usize)?.as_ref()
    }

    /// Whether it may be set as an L: running text in columns (not a 编者按
    /// box, not the page's top), and not `l_shape = false`.
    pub fn may_l(&self) -> bool {
        !self.top && self.kind.has_body() && self.kind != ArticleKind::EditorsNote && self.l_shape != Some(false)
    }

    /// Whether a head stands at the block's top (a note's box has none).
    pub fn headed(&self) -> bool {
        !matches!(self.kind, ArticleKind::EditorsNote)
    }

    /// An interview whose portrait stands at its block's left edge, between
    /// its head and a head to its left.
    pub fn portrait_left(&self) -> bool {
        self.kind == ArticleKind::Interview && !self.photos.is_empty()
    }
}

/// Body columns an article takes at `span`: a boxed 编者按 half as many
/// (its text is set wider, in 楷体), everything else one a basic column.
pub fn body_columns(kind: ArticleKind, span: u32) -> u32 {
    if kind == ArticleKind::EditorsNote { span.div_ceil(2) } else { span }
}

/// The article files of an issue folder, by id.
pub fn article_paths(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let art_dir = dir.join("articles");
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(&art_dir).map_err(|e| Error::io(e, &art_dir, "articles folder"))?;
    for entry in entries {
        let p = entry.map_err(|e| Error::io(e, &art_dir, "articles folder"))?.path();
        if p.extension().and_then(|e| e.to_str()) == Some("md")
            && let Some(stem) = p.file_stem().and_then(|s| s.to_str())
        {
            out.insert(stem.to_string(), p.clone());
        }
    }
    if out.is_empty() {
        return Err(Error::input("the issue has no articles to plan")
            .in_file(&art_dir)
            .hint("write one file per article, articles/<id>.md"));
    }
    Ok(out)
}

/// Loads every article of the issue in `dir` and works out what each needs
/// at every span of `grid`, and the pieces' ranks.
pub fn load(
    dir: &Path,
    project: &crate::typeset::project::Project,
    grid: &Grid,
    style: crate::content::style::Style,
) -> Result<Vec<Piece>> {
    let (root, house) = (project.root.as_path(), &project.house);
    let setting = capacity::Setting { style, widths: &project.widths };
    let mut pieces = Vec::new();
    for (id, path) in article_paths(dir)? {
        // Placeholder copy is written to its measure: load the article at
        // each measure it is measured at.
        let mut at: BTreeMap<usize, Article> = BTreeMap::new();
        let fits = crate::plan::place::sets_cleanly(grid.column_chars as usize, style);
        let first = crate::content::load::article(&path, root, Some(&fits))?;
        let kind = first.meta.kind;
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let locate = |key: &str| crate::content::load::key_location(&path, &text, 0, key);
        let (lo, hi) = (first.meta.min_span.unwrap_or(1), first.meta.max_span.unwrap_or(grid.columns));
        for (key, v) in [("min_span", lo), ("max_span", hi)] {
            if v > grid.columns {
                return Err(Error::input(format!(
                    "{key} = {v}, but the page has {} columns",
                    grid.columns
                ))
                .at(locate(key))
                .hint(format!("give 1 to {} columns", grid.columns)));
            }
        }
        let top = matches!(kind, ArticleKind::Banner | ArticleKind::Lead);
        let chars: usize = first.body.iter().map(crate::plan::chain::block_len).sum();
        let mut needs = Vec::new();
        let mut why = None;
        for span in 1..=grid.columns {
            if top && span != grid.columns || span < lo || span > hi {
                needs.push(None);
                continue;
            }
            let columns = body_columns(kind, span);
            let boxed = kind == ArticleKind::EditorsNote;
            let place = Placement {
                article: id.clone(),
                column: 1,
                span,
                line: 1,
                lines: 1,
                body_columns: Some(columns),
                head_lines: None,
            };
            let Some(measure) = grid.body_measure(&place, boxed).filter(|&m| m >= 4) else {
                needs.push(None);
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(e) = at.entry(measure) {
                let a = if measure == grid.column_chars as usize {
                    first.clone()
                } else {
                    let fits = crate::plan::place::sets_cleanly(measure, style);
                    crate::content::load::article(&path, root, Some(&fits))?
                };
                e.insert(a);
            }
            let a = &at[&measure];
            let Some(head) = heads::head_lines(grid, house, a, span) else {
                why.get_or_insert(format!("its head or photos do not fit {span} column(s)"));
                needs.push(None);
                continue;
            };
            let body = if kind.has_body() {
                capacity::body_lines(a, measure, columns, setting)
            } else {
                capacity::BodyLines { total: 0, per_column: 0, last_column: 0 }
            };
            // 豆腐块: spread thinner than MIN_COLUMN_LINES a column only in
            // a single column.
            if kind.has_body() && columns > 1 && body.per_column < MIN_COLUMN_LINES {
                needs.push(None);
                continue;
            }
            let photo_row = if matches!(kind, ArticleKind::Feature | ArticleKind::News) && !a.meta.photos.is_empty() {
                let seeds = crate::plan::words::seeds(a);
                (0..a.meta.photos.len()).map(|i| heads::photo_lines(grid, a, i, &seeds)).max().unwrap_or(0)
            } else {
                0
            };
            needs.push(Some(Need {
                head_text: head - photo_row,
                photo_row,
                columns,
                body: body.total,
                per: body.per_column,
                last: body.last_column,
                foot: u32::from(kind == ArticleKind::EditorsNote),
            }));
        }
        if needs.iter().all(Option::is_none) {
            return Err(Error::input(format!("article `{id}` cannot be placed on this page at any span"))
                .in_file(&path)
                .hint(match why {
                    Some(w) => format!("{w}; widen min_span/max_span, or make the photo or head smaller"),
                    None => "check min_span and max_span against the page's columns".into(),
                }));
        }
        let seeds = crate::plan::words::seeds(&first);
        let photos = (0..first.meta.photos.len())
            .map(|i| (first.meta.photos[i].cells, heads::photo_lines(grid, &first, i, &seeds)))
            .collect();
        pieces.push((
            first.meta.priority,
            Piece {
                id,
                kind,
                path,
                top,
                rank: 0,
                chars,
                min_span: lo,
                max_span: hi,
                l_shape: first.meta.l_shape,
                photos,
                needs,
            },
        ));
    }
    // Rank: banner, lead; then by priority (unset after 5), the 编者按
    // before stories, longer stories first; ids break ties.
    let class = |p: &Piece| match p.kind {
        ArticleKind::Banner => 0,
        ArticleKind::Lead => 1,
        _ => 2,
    };
    pieces.sort_by(|(pa, a), (pb, b)| {
        (class(a), pa.unwrap_or(6), a.kind != ArticleKind::EditorsNote, std::cmp::Reverse(a.chars), &a.id).cmp(&(
            class(b),
            pb.unwrap_or(6),
            b.kind != ArticleKind::EditorsNote,
            std::cmp::Reverse(b.chars),
            &b.id,
        ))
    });
    Ok(pieces
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut p))| {
            p.rank = i;
            p
        })
        .collect())
}

/// Pieces for the planner's unit tests.
#[cfg(test)]
pub mod fixture {
    use super::*;

    /// A news piece: a head of `head` lines and `body` lines of body,
    /// balanced over as many columns as its span, at `spans` of 4.
    pub fn piece(id: &str, rank: usize, head: u32, body: u32, spans: std::ops::RangeInclusive<u32>) -> Piece {
        let needs = (1..=4)
            .map(|span| {
                spans.contains(&span).then(|| {
                    let per = body.div_ceil(span);
                    Need { head_text: head, photo_row: 0, columns: span, body, per, last: body - per * (span - 1), foot: 0 }
                })
            })
            .collect();
        Piece {
            id: id.into(),
            kind: ArticleKind::News,
            path: Default::default(),
            top: false,
            rank,
            chars: 0,
            min_span: 1,
            max_span: 4,
            l_shape: None,
            photos: vec![],
            needs,
        }
    }
}
