//! The fit report: per article, how its text fills its block(s), in grid
//! lines. `paiban check` prints it; `--json` gives the same for CI.

use serde::Serialize;

use crate::layout::rounds::Laid;

/// A block more than this many lines short leaves a hole in the page.
pub const UNDERFULL_LINES: u32 = 2;

pub use crate::typeset::data::Status;

/// An article's (or part's) status: overset when any of its text ran over,
/// underfull when more than [`UNDERFULL_LINES`] lines are left empty.
pub fn status(overset: bool, short_lines: u32) -> Status {
    if overset {
        Status::Overset
    } else if short_lines > UNDERFULL_LINES {
        Status::Underfull
    } else {
        Status::Fits
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleFit {
    pub issue: String,
    pub article: String,
    /// Rectangles in the article's chain.
    pub parts: usize,
    /// Column-lines the body may use (all parts).
    pub available: u32,
    /// Column-lines the body uses.
    pub used: u32,
    /// Column-lines that did not fit (0 when it fits).
    pub over: u32,
    /// Grid lines left empty under the last part's balanced columns.
    pub short: u32,
    pub widows: u32,
    pub status: Status,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub articles: usize,
    pub fits: usize,
    pub underfull: usize,
    pub overset: usize,
    pub widows: u32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FitReport {
    pub articles: Vec<ArticleFit>,
    pub totals: Totals,
}

impl FitReport {
    pub fn add(&mut self, laid: &Laid) {
        let issue = &laid.issue;
        let mut ids: Vec<&str> = Vec::new();
        for f in &laid.fits {
            if !ids.contains(&f.article.as_str()) {
                ids.push(&f.article);
            }
        }
        for id in ids {
            let parts: Vec<_> = laid.fits.iter().filter(|f| f.article == id).collect();
            let available = parts.iter().map(|f| f.capacity).sum();
            let used = parts.iter().map(|f| f.used).sum();
            let over: u32 = laid.overset.iter().filter(|o| o.article == id).map(|o| o.lines).sum();
            let short = parts.last().map_or(0, |f| f.short_lines);
            let widows = parts.iter().map(|f| f.widows).sum();
            let status = status(over > 0, short);
            self.articles.push(ArticleFit {
                issue: issue.file.id.clone(),
                article: id.to_string(),
                parts: parts.len(),
                available,
                used,
                over,
                short,
                widows,
                status,
            });
        }
        let t = &mut self.totals;
        t.articles = self.articles.len();
        t.fits = self.articles.iter().filter(|a| a.status == Status::Fits).count();
        t.underfull = self.articles.iter().filter(|a| a.status == Status::Underfull).count();
        t.overset = self.articles.iter().filter(|a| a.status == Status::Overset).count();
        t.widows = self.articles.iter().map(|a| a.widows).sum();
    }

    pub fn print(&self) {
        println!(
            "{:<10} {:<14} {:>5} {:>9} {:>5} {:>5} {:>5} {:>6}  status",
            "issue", "article", "parts", "available", "used", "over", "short", "widows"
        );
        for a in &self.articles {
            println!(
                "{:<10} {:<14} {:>5} {:>9} {:>5} {:>5} {:>5} {:>6}  {:?}",
                a.issue, a.article, a.parts, a.available, a.used, a.over, a.short, a.widows, a.status
            );
        }
        let t = &self.totals;
        println!(
            "{} article(s): {} fit, {} underfull (more than {UNDERFULL_LINES} lines short), {} overset; {} widow(s)",
            t.articles, t.fits, t.underfull, t.overset, t.widows
        );
    }
}
