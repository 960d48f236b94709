//! What the desk writes: the content model, reading it from disk with
//! desk-facing errors, the copy lint, placeholder copy and the press settings.

pub mod filler;
pub mod lint;
pub mod load;
pub mod model;
pub mod press_settings;
pub mod quotes;
pub mod read;
pub mod style;
