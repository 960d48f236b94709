// Errors carry file, line, hint and formatted detail; they are rare and on
// the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

//! paiban (排版): lays out Chinese newspaper pages from structured article
//! data with the Typst engine. The binary's subcommands and the tests use
//! this library.

pub mod bench;
pub mod check;
pub mod clreq;
pub mod cli;
pub mod content;
pub mod diff;
pub mod error;
pub mod layout;
pub mod output;
pub mod plan;
pub mod press;
pub mod typeset;
