//! `[style]`: the house's punctuation and spacing rules, as data.
//!
//! The table sits in `edition.toml` (one house style per edition). Every
//! value is checked when the edition loads: an unknown method is an error
//! naming the file, line and the values allowed. What each option does, and
//! what it costs on the page, is written down in `layouts/GRID.md`.
//!
//! ```toml
//! [style]
//! kinsoku = "squeeze-first"   # or "push-first"
//! hanging = "never"           # or "unruled-gutters", "always"
//! punctuation = "full"        # or "half-at-line-end"
//! runs = "proportional"       # or "cells"
//! ```

use serde::{Deserialize, Serialize};

/// How a line that a no-start or no-end mark would break wrongly is mended
/// (避头尾).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kinsoku {
    /// 优先推入: marks in the line are compressed (挤进) to take the mark
    /// or the character in; a character is pushed out (推出) only where no
    /// squeeze does; letter-spacing only where neither does.
    #[default]
    SqueezeFirst,
    /// 优先推出: a character is pushed to the next line first, the line
    /// justified; marks are squeezed only where a push would letter-space.
    PushFirst,
}

/// Whether a no-start mark may hang past the measure (标点悬挂).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hanging {
    /// Never: every line ends inside its measure (newspapers with ruled
    /// gutters).
    #[default]
    Never,
    /// Only in a body column whose right side has no rule and no text
    /// within a cell: a one-column body at the page's right margin.
    UnruledGutters,
    /// Wherever a no-start mark would begin a line.
    Always,
}

/// How wide a mark is set (全身 or 半身 at the line's end).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Punctuation {
    /// 全身: every mark a full cell, except where squeezed.
    #[default]
    Full,
    /// A closing mark that ends a line takes half a cell (its empty half
    /// dropped), so its ink ends at the measure.
    HalfAtLineEnd,
}

/// How Latin words and digit runs sit among the Chinese.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runs {
    /// Digits and number signs half-width (半角, half a cell each), Latin
    /// letters in the face's own proportional forms with ordinary word
    /// spaces; the run stands next to the Chinese with no gap, and the line
    /// is justified around it.
    #[default]
    Proportional,
    /// Every run in whole cells (⌈n/2⌉ of them, the run centred): the line
    /// stays on the character grid, the run looks typed on a typewriter.
    Cells,
}

/// The house style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Style {
    pub kinsoku: Kinsoku,
    pub hanging: Hanging,
    pub punctuation: Punctuation,
    pub runs: Runs,
}
