//! Character classes of the line rules (clreq, GB/T 15834, GB/T 15835):
//! which marks may not start or end a line, which marks ink only half a
//! cell, what counts as Han, as a unit kept with its number, as a sign set
//! in a cell of its own, and as a character of a Latin or digit run.
//!
//! One home for them: the quote curling of the desk's copy
//! (`content::quotes`), the planner (`plan::linebreak`), the head words, the
//! on-page rounds (`layout::hang`) and the checks all read these, and the
//! layouts get them as data ([`CLREQ`], `g.clreq` in layouts/grid.typ), so
//! Typst matches marks and runs with the same classes the planner counts.
//! A leaf: it uses no other module.

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
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF01..=0xFF60)
        || "“”‘’".contains(c)
        || IN_CELL_BOXES.contains(c)
        || is_cell_symbol(c)
}

/// Full-width marks the layouts centre in whole cells of their own (the
/// Song face draws them narrower than a cell), so their glyphs do not start
/// at a cell's edge.
const IN_CELL_BOXES: &str = "—…·";

/// A laid-out glyph the typography check holds to the character cells: one
/// whose first character the planner sets as a cell, but for the marks
/// centred in cells of their own.
pub fn is_full_width_glyph(s: &str) -> bool {
    s.chars().next().is_some_and(|c| is_full_width(c) && !IN_CELL_BOXES.contains(c))
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
    UNITS.contains(c) || is_han(c)
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

/// A mark, not text: it neither saves a line from being a 孤字 nor may a
/// paragraph's last line hold only marks.
pub fn is_mark(c: char) -> bool {
    NO_START.contains(c) || NO_END.contains(c) || matches!(c, '—' | '…')
}

/// Set half-width inside a run: digits and the signs that go with numbers.
/// (The layouts set the same characters with `hwid`: `clreq.half_width`.)
pub fn is_half_width_sign(c: char) -> bool {
    c.is_ascii_digit() || HALF_WIDTH_SIGNS.contains(c)
}

/// The signs of a number, set half-width like its digits.
pub const HALF_WIDTH_SIGNS: &str = ".,%+-/";

/// A Latin word or a number with its signs, as one unbreakable run (Latin
/// words one space apart go together: `Wi Fi`). The layouts match runs
/// with this same pattern (passed to Typst as `clreq.run`).
pub const RUN: &str = r"[0-9A-Za-z+/-](?:[0-9A-Za-z.%+/-]|,[0-9])*(?: [0-9A-Za-z](?:[0-9A-Za-z.%+/-]|,[0-9])*)*";

/// Runs longer than this (a web address) stay breakable text, set by
/// Typst (the layouts read it as `clreq.longest_run`).
pub const LONGEST_RUN: usize = 24;

/// What may follow a number as its unit and stays on its line (GB/T
/// 15835), besides any Han character (the layouts: `clreq.units`).
pub const UNITS: &str = "%％万亿℃‰";

/// The character classes and run rules the layouts match body text with
/// (`grid-text` in layouts/grid.typ builds its patterns from these): the
/// one definition both sides use.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Clreq {
    pub no_start: &'static str,
    pub no_end: &'static str,
    pub closing_half: &'static str,
    pub opening_half: &'static str,
    pub run: &'static str,
    pub units: &'static str,
    pub longest_run: usize,
    pub half_width_signs: &'static str,
}

pub const CLREQ: Clreq = Clreq {
    no_start: NO_START,
    no_end: NO_END,
    closing_half: CLOSING_HALF,
    opening_half: OPENING_HALF,
    run: RUN,
    units: UNITS,
    longest_run: LONGEST_RUN,
    half_width_signs: HALF_WIDTH_SIGNS,
};
