//! Checks of a laid-out page: typography, the page invariant, glyph
//! coverage and the fit report.

pub mod glyphs;
pub mod invariant;
pub mod near_rule;
pub mod report;
pub mod typography;
