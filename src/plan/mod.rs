//! Planning before Typst: the character grid, the character classes of the
//! line rules (clreq), line breaking on the grid (and the oracle it is
//! measured against: the fewest loose lines a paragraph can have), chains
//! of parts, and word boundaries for heads.

pub mod chain;

pub mod grid;
pub mod linebreak;
pub mod loose_floor;
pub mod place;
pub mod words;
