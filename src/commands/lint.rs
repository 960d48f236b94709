//! `paiban lint`: content warnings without laying anything out.

use crate::args::LintArgs;
use crate::error::{Result, exit};
use crate::{lint, load};

pub fn run(args: &LintArgs) -> Result<i32> {
    let edition = load::edition(&args.edition, &args.root)?;
    let warnings = lint::edition(&edition);
    for w in &warnings {
        eprintln!("{w}");
    }
    eprintln!("lint: {} warning(s) in {} issue(s)", warnings.len(), edition.issues.len());
    Ok(if args.deny_warnings && !warnings.is_empty() { exit::WARNINGS } else { exit::OK })
}
