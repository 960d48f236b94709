//! `paiban check`: lay out without writing PDFs and report how every article
//! fits its block.

use crate::args::CheckArgs;
use crate::compile::{self, LayoutOptions, Project};
use crate::error::{Error, Result, exit};
use crate::load;
use crate::report::FitReport;

pub fn run(args: &CheckArgs) -> Result<i32> {
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let edition = load::edition(&args.edition, &project.root)?;
    let mut report = FitReport::default();
    for issue in edition.issues.iter().filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id)) {
        let laid = compile::lay_out(&project, issue, LayoutOptions::default())?;
        report.add(issue, &laid);
    }
    if args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| Error::internal(e.to_string()))?;
        println!("{json}");
    } else {
        report.print();
    }
    // Overset is an error for `check` as for `build`.
    Ok(if report.totals.overset > 0 { exit::BAD_INPUT } else { exit::OK })
}
