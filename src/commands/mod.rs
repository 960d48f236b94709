//! One file per subcommand.

pub mod bench;
pub mod build;
pub mod check;
pub mod fonts;
pub mod lint;
pub mod proof;
pub mod synth;
