//! `paiban lint`: content warnings without laying anything out; `--fix`
//! writes the straight quotes the build would curl into the files.

use crate::cli::args::LintArgs;
use crate::cli::build::{denied_error, denied_list};
use crate::content::lint;
use crate::error::{self, Result, exit};
use crate::plan::place;

pub fn run(args: &LintArgs) -> Result<i32> {
    let mut edition = place::edition(&args.edition, &args.root)?;
    let mut fixed = 0;
    if args.fix {
        let mut files = 0;
        for a in edition.issues.iter().flat_map(|i| i.articles.iter()) {
            if let Some((text, n)) = lint::fix_quotes(a)? {
                // A temporary file beside it, then a rename.
                crate::output::files::write_atomic(&a.path, text.as_bytes())?;
                eprintln!("{}: wrote {n} curly quote(s)", a.path.display());
                files += 1;
                fixed += n;
            }
        }
        eprintln!("lint --fix: {fixed} straight quote(s) written as “” ‘’ in {files} file(s)");
        // What is left to report is what the files now hold.
        edition = place::edition(&args.edition, &args.root)?;
    }
    let warnings = lint::edition(&edition);
    for w in &warnings {
        eprintln!("{}", w.render());
    }
    eprintln!("lint: {} warning(s) in {} issue(s)", warnings.len(), edition.issues.len());
    let fail = args.deny_warnings && !warnings.is_empty();
    let denied: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    if fail {
        eprint!("{}", denied_list(&denied));
    }
    if args.json {
        let error = fail.then(|| denied_error(&denied));
        let mut fields = serde_json::json!({ "issues": edition.issues.len() });
        if args.fix {
            fields["fixed"] = serde_json::json!(fixed);
        }
        let list = warnings.iter().map(lint::Warning::to_json).collect();
        println!("{}", error::json_document("lint", !fail, fields, list, error.as_ref()));
    }
    Ok(if fail { exit::WARNINGS } else { exit::OK })
}
