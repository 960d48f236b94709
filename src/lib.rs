// Errors carry file, line, hint and formatted detail; they are rare and on
// the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

//! paiban (排版): lays out Chinese newspaper pages from structured article
//! data with the Typst engine. The binary's subcommands and the tests use
//! this library.

pub mod args;
pub mod autoplan;
pub mod bench_builds;
pub mod chain;
pub mod commands;
pub mod compile;
pub mod copyfit;
pub mod data;
pub mod diff;
pub mod emit;
pub mod error;
pub mod filler;
pub mod fonts;
pub mod glyphs;
pub mod grid;
pub mod hang;
pub mod html;
pub mod inspect;
pub mod invariant;
pub mod linebreak;
pub mod lint;
pub mod load;
pub mod measure;
pub mod model;
pub mod output;
pub mod parallel;
pub mod press;
pub mod press_settings;
pub mod progress;
pub mod raster;
pub mod read;
pub mod report;
pub mod synth;
pub mod typography;
pub mod words;
pub mod world;
