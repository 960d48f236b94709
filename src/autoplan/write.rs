//! The planned `issue.toml`: the file as the desk wrote it (header fields,
//! assumptions, `[page]`, `[press]`, comments) with its `[[place]]` tables
//! replaced by the plan's, under a comment that gives the plan's score.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::content::model::Placement;

use super::score::Score;

/// `text` (an issue.toml) with its page plan replaced by `placements`.
/// `title` heads the plan's comment ("candidate 2 of 3").
pub fn issue_toml(text: &str, placements: &[Placement], title: &str, score: &Score) -> Result<String> {
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e: toml_edit::TomlError| Error::internal(format!("issue.toml did not parse again: {e}")))?;
    doc.remove("place");
    let mut out = doc.to_string().trim_end().to_string();
    let _ = write!(
        out,
        "\n\n# Page plan by `paiban plan`, {title}: score {} ({}); blocks cover {:.1} % of the grid.\n",
        score.total,
        score.summary(),
        score.coverage * 100.0
    );
    for p in placements {
        let _ = write!(
            out,
            "\n[[place]]\narticle = \"{}\"\ncolumn = {}\nspan = {}\nline = {}\nlines = {}\n",
            p.article, p.column, p.span, p.line, p.lines
        );
        if let Some(b) = p.body_columns {
            let _ = writeln!(out, "body_columns = {b}");
        }
        if let Some(h) = p.head_lines {
            let _ = writeln!(out, "head_lines = {h}");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_is_replaced_and_the_rest_kept() {
        let text = "# top\nid = \"x\"\n\n[page]\ncolumns = 6\n\n# an old block\n[[place]]\narticle = \"a\"\ncolumn = 1\nspan = 6\nline = 1\nlines = 9\n\n[press]\nink_limit = 220\n";
        let p = Placement {
            article: "b".into(),
            column: 2,
            span: 3,
            line: 4,
            lines: 20,
            body_columns: None,
            head_lines: Some(7),
        };
        let score = Score { total: 0.0, rules: Vec::new(), coverage: 1.0 };
        let out = issue_toml(text, &[p], "candidate 1 of 1", &score).unwrap();
        assert!(out.starts_with("# top\nid = \"x\""), "{out}");
        assert!(out.contains("[page]\ncolumns = 6") && out.contains("[press]\nink_limit = 220"), "{out}");
        assert!(!out.contains("an old block") && !out.contains("article = \"a\""), "{out}");
        assert!(out.contains("[[place]]\narticle = \"b\"\ncolumn = 2\nspan = 3\nline = 4\nlines = 20\nhead_lines = 7\n"));
        let table: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(table["place"].as_array().map(Vec::len), Some(1));
    }
}
