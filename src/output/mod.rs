//! Writing what a build gives: files written atomically, PDFs and PNGs,
//! page rasters, and the proof index.

pub mod files;
pub mod html;
pub mod raster;
