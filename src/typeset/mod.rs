//! The Typst side: the font store, the sandboxed World, the issue as data for
//! Typst, reading back what Typst laid out, and the `--emit-typst` project.

pub mod data;
pub mod emit;
pub mod fonts;
pub mod inspect;
pub mod world;
