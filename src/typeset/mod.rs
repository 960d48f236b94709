//! The Typst side: the project (root, fonts, house style), the font store, the sandboxed World, the issue as data
//! for Typst (Rust → Typst), and reading back what Typst laid out (Typst →
//! Rust).

pub mod cost;
pub mod data;
pub mod fonts;
pub mod ink;
pub mod inspect;
pub mod house;
pub mod project;
pub mod world;
