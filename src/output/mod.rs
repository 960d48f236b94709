//! Writing what a build gives: files written atomically, PDFs and PNGs,
//! page rasters, proofs and their index page, and the `--emit-typst`
//! project.

pub mod emit;
pub mod files;
pub mod html;
pub mod proof;
pub mod raster;
