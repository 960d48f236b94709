//! Checks of a laid-out issue: typography (baselines, cells, line rules,
//! heads), the page invariant (every mark inside its block), and glyph
//! coverage (every character prints from a real glyph).

pub mod glyphs;
pub mod invariant;
pub mod near_rule;
pub mod typography;
