//! `paiban lint`: content warnings without laying anything out.

use crate::cli::args::LintArgs;
use crate::cli::build::{denied_error, denied_list};
use crate::content::lint;
use crate::error::{self, Result, exit};
use crate::plan::place;

pub fn run(args: &LintArgs) -> Result<i32> {
    let edition = place::edition(&args.edition, &args.root)?;
    let warnings = lint::edition(&edition);
    for w in &warnings {
        eprintln!("{w}");
    }
    eprintln!("lint: {} warning(s) in {} issue(s)", warnings.len(), edition.issues.len());
    let fail = args.deny_warnings && !warnings.is_empty();
    let denied: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    if fail {
        eprint!("{}", denied_list(&denied));
    }
    if args.json {
        let error = fail.then(|| denied_error(&denied));
        let fields = serde_json::json!({ "issues": edition.issues.len() });
        let list = warnings.iter().map(lint::Warning::to_json).collect();
        println!("{}", error::json_document("lint", !fail, fields, list, error.as_ref()));
    }
    Ok(if fail { exit::WARNINGS } else { exit::OK })
}
