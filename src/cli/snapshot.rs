//! `paiban snapshot check|review`: page snapshots and their review.

use std::io::{BufRead, IsTerminal, Write};

use crate::cli::args::{SnapshotAction, SnapshotArgs, SnapshotCheckArgs, SnapshotReviewArgs};
use crate::cli::diff::edition_pages;
use crate::diff::snapshot::{self, Outcome};
use crate::error::{Result, exit};
use crate::typeset::project::Project;

pub fn run(args: &SnapshotArgs) -> Result<i32> {
    match &args.action {
        SnapshotAction::Check(a) => check(a),
        SnapshotAction::Review(a) => review(a),
    }
}

fn check(args: &SnapshotCheckArgs) -> Result<i32> {
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let pages = edition_pages(&project, &args.edition, snapshot::DPI)?;
    let checked = snapshot::check(&args.dir, pages, args.bless)?;
    let mut pending = 0;
    if args.json {
        let pages: Vec<_> = checked
            .iter()
            .map(|c| {
                let outcome = match c.outcome {
                    Outcome::Same => "same",
                    Outcome::Blessed => "blessed",
                    Outcome::New => "new",
                    Outcome::Changed => "changed",
                };
                serde_json::json!({ "page": c.name, "outcome": outcome, "report": c.report })
            })
            .collect();
        let pending = checked.iter().filter(|c| matches!(c.outcome, Outcome::New | Outcome::Changed)).count();
        let fields = serde_json::json!({ "dir": args.dir.display().to_string(), "pending": pending, "pages": pages });
        // `ok` is the exit code 0; pending snapshots are no error (`error` null).
        println!("{}", crate::error::json_document("snapshot", pending == 0, fields, Vec::new(), None));
        return Ok(if pending > 0 { exit::WARNINGS } else { exit::OK });
    }
    for c in &checked {
        match c.outcome {
            Outcome::Same => println!("{}: matches its snapshot", c.name),
            Outcome::Blessed => println!("{}: snapshot written", c.name),
            Outcome::New | Outcome::Changed => {
                pending += 1;
                print!("{}", c.report);
            }
        }
    }
    if pending > 0 {
        eprintln!(
            "{pending} pending snapshot(s) in {}; review with `paiban snapshot review --dir {}`",
            args.dir.display(),
            args.dir.display()
        );
        return Ok(exit::WARNINGS);
    }
    Ok(exit::OK)
}

fn review(args: &SnapshotReviewArgs) -> Result<i32> {
    let names = snapshot::pending(&args.dir)?;
    if names.is_empty() {
        println!("no pending snapshots in {}", args.dir.display());
        return Ok(exit::OK);
    }
    let interactive = !args.bless && !args.reject && std::io::stdin().is_terminal();
    let mut left = 0;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    for name in &names {
        print!("{}", snapshot::review_report(&args.dir, name)?);
        let answer = if args.bless {
            "a".to_string()
        } else if args.reject {
            "r".to_string()
        } else if interactive {
            print!("  {name}: (a)ccept, (r)eject, (s)kip? ");
            let _ = std::io::stdout().flush();
            lines.next().and_then(|l| l.ok()).unwrap_or_default()
        } else {
            String::new()
        };
        match answer.trim() {
            "a" | "accept" => {
                snapshot::accept(&args.dir, name)?;
                println!("  {name}: accepted");
            }
            "r" | "reject" => {
                snapshot::reject(&args.dir, name)?;
                println!("  {name}: rejected");
            }
            _ => {
                left += 1;
                println!("  {name}: still pending");
            }
        }
    }
    if left > 0 {
        if !interactive && !args.bless && !args.reject {
            eprintln!("{left} pending; accept all with --bless, or drop them with --reject");
        }
        return Ok(exit::WARNINGS);
    }
    Ok(exit::OK)
}
