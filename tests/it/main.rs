//! paiban's integration tests, as one test binary (ripgrep's layout): one
//! module per area, sharing `common` (the seed edition and its layout are
//! built once for all of them). Each links the whole Typst engine; one
//! binary links it once.
//!
//! Run one area with a filter: `cargo test --release --test it snapshots::`.

mod common;

mod architecture;
mod bad_input;
mod chain;
mod cli_build;
mod clreq_corpus;
mod clreq_typst;
mod contract;
mod copyfit;
mod desk;
mod diff;
mod emit_typst;
mod fit;
mod fonts;
mod fuzz;
mod glyphs;
mod grid_crops;
mod head_words;
mod heads;
mod hostile;
mod invariant;
mod json;
mod lint;
mod literal_text;
mod messy_copy;
mod photos;
mod plan;
mod preflight;
mod press;
mod proof;
mod proof_html;
mod snapshots;
mod style_crops;
mod synth;
mod text_layer;
mod typography;
mod watch;
