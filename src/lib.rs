// Errors carry file, line, hint and formatted detail; they are rare and on
// the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]

//! paiban (排版): lays out Chinese newspaper pages from structured article
//! data with the Typst engine. The binary's subcommands and the tests use
//! this library.
//!
//! One folder per stage of the pipeline. A stage uses only the stages
//! above it in this list (tests/it/architecture.rs holds the tree to it):
//!
//! ```text
//!  error     one error type: file, line, column, hint; exit codes
//!  clreq     the character classes and run rules of body text (a leaf:
//!            the desk's copy is read with them, Typst matches with them)
//!  content   what the desk writes: model, load (parse + desk-facing errors,
//!            straight quotes curled), lint, placeholder copy, [press] and
//!            [style] settings, defensive reads
//!     │
//!  plan      before Typst: the grid, line plans in the house style,
//!            chains, head words; `place::edition` loads and places an edition
//!     │
//!  press     photos converted for the plates; PDF/X finishing; preflight
//!     │
//!  typeset   Typst's side: fonts, World, the issue as data (Rust → Typst),
//!            the page scans (Typst → Rust: text runs, markers, ink), the
//!            layouts' house style read from layouts/style.typ
//!     │
//!  layout    the rounds (`rounds::lay_out`): lay out, thread chains, hang
//!            marks, balance; heads; fit, overset and the fit report; copyfit
//!     │
//!  check     on the laid-out page: typography, the page invariant, glyphs
//!     │
//!  output    files written atomically, PDF and PNG, rasters, proofs, the
//!            proof index, the `--emit-typst` project
//!     │
//!  autoplan  `paiban plan`: page plans searched from the articles, verified
//!            by laying them out, with a contact sheet of candidates
//!     │
//!  diff      page diffs and snapshots
//!  bench     the synthetic edition, whole-process benchmarks
//!     │
//!  cli       arguments, progress, one file per subcommand (nothing imports it)
//! ```

pub mod autoplan;
pub mod bench;
pub mod check;
pub mod cli;
pub mod clreq;
pub mod content;
pub mod diff;
pub mod error;
pub mod layout;
pub mod output;
pub mod plan;
pub mod press;
pub mod typeset;
