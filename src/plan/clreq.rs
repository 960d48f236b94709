//! Character classes of the line rules (clreq, GB/T 15834, GB/T 15835):
//! which marks may not start or end a line, which marks ink only half a
//! cell, what counts as Han, as a unit kept with its number, as a sign set
//! in a cell of its own, and as a character of a Latin or digit run.
//!
//! One home for them on the Rust side: the planner (`linebreak`), the head
//! words (`words`), the on-page rounds (`layout::hang`) and the checks
//! (`check::typography`, `check::invariant`) all read these.

/// Marks that may not start a line.
pub const NO_START: &str = "。，、；：？！）》」』”’·】〕〉";
/// Marks that may not end a line.
pub const NO_END: &str = "（《「『“‘【〔〈";

/// Marks whose ink fills only one half of the em box, so two of them can
/// share a cell: closing marks ink the left half, opening marks the right.
/// ？！ are centred and never share; · and the dashes are not halves.
pub const CLOSING_HALF: &str = "。，、；：”’）》」』】〕〉";
pub const OPENING_HALF: &str = "“‘（《「『【〔〈";

/// A character the planner sets as one whole cell.
pub fn is_full_width(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF5E)
        || "“”‘’—…·".contains(c)
        || is_cell_symbol(c)
}

/// A laid-out glyph the typography check holds to the character cells
/// (its first character; a narrower class than `is_full_width`).
pub fn is_full_width_glyph(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        matches!(c as u32, 0x3000..=0x303F | 0x4E00..=0x9FFF | 0xFF01..=0xFF60)
            || "“”‘’".contains(c)
            || is_cell_symbol(c)
    })
}

/// Signs a Chinese daily sets as characters, which every shipped face draws
/// one em wide (tests/it/fonts.rs holds them to it): ℃ ‰, ① ⑴ ⒈, Ⅰ ⅰ,
/// ★ ■ ● ◆ ▲, arrows, ≤ ≥. Set like Han, a cell each. (× ÷ ± are not:
/// 楷体 draws them 0.6 em.)
pub fn is_cell_symbol(c: char) -> bool {
    matches!(c as u32, 0x2460..=0x249B | 0x2160..=0x216B | 0x2170..=0x2179) || CELL_SYMBOLS.contains(c)
}

const CELL_SYMBOLS: &str = "℃‰※★☆■□▲△◆◇○●◎→←↑↓≤≥≠≈∶";

/// What may follow a number as its unit, kept on its line (GB/T 15835).
pub fn is_unit(c: char) -> bool {
    matches!(c, '%' | '％' | '万' | '亿' | '℃' | '‰') || is_han(c)
}

/// A CJK unified ideograph (the basic block and extension A).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// A laid-out glyph whose first character is Han.
pub fn is_han_glyph(s: &str) -> bool {
    s.chars().next().is_some_and(is_han)
}

/// A mark that may share a cell with a neighbouring one (挤进).
pub fn is_half_mark(s: &str) -> bool {
    s.chars().next().is_some_and(|c| CLOSING_HALF.contains(c) || OPENING_HALF.contains(c))
}

/// A character of a Latin or digit run (the layouts' run rule, grid.typ).
pub fn is_run_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '%' | '+' | '-' | '/')
}
