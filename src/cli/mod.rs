//! The command line: arguments, progress lines, and one file per subcommand.

pub mod args;
pub mod bench;
pub mod build;
pub mod check;
pub mod diff;
pub mod fonts;
pub mod lint;
pub mod plan;
pub mod preflight;
pub mod progress;
pub mod proof;
pub mod snapshot;
pub mod synth;
pub mod watch;
