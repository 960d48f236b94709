//! `paiban check`: lay out without writing PDFs and report how every article
//! fits its block.

use crate::args::CheckArgs;
use crate::compile::{self, LayoutOptions, Project};
use crate::copyfit;
use crate::error::{Error, Result, exit};
use crate::load;
use crate::report::FitReport;
use crate::typography::{self, TypoReport};

pub fn run(args: &CheckArgs) -> Result<i32> {
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let edition = load::edition(&args.edition, &project.root)?;
    let mut report = FitReport::default();
    let mut proposals = Vec::new();
    let mut typo = TypoReport::default();
    for issue in edition.issues.iter().filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id))
    {
        let laid = compile::lay_out(&project, issue, LayoutOptions::default())?;
        report.add(issue, &laid);
        if args.typography {
            typography::check(issue, &laid, &mut typo);
        }
        if args.fit {
            proposals.extend(copyfit::propose(&project, issue, &laid)?);
        }
    }
    if args.json {
        let out =
            serde_json::json!({ "articles": report.articles, "totals": report.totals, "copyfit": proposals });
        let json = serde_json::to_string_pretty(&out).map_err(|e| Error::internal(e.to_string()))?;
        println!("{json}");
    } else {
        report.print();
        if args.typography {
            typo.print();
        }
        for p in &proposals {
            match &p.change {
                Some(c) => println!("copyfit: {}: {c}  (fits; {} layout(s) tried)", p.issue, p.tried),
                None => println!(
                    "copyfit: {}: {}: {:?}, no change found ({} tried)",
                    p.issue, p.article, p.status, p.tried
                ),
            }
        }
    }
    // Overset is an error for `check` as for `build`.
    Ok(if report.totals.overset > 0 { exit::BAD_INPUT } else { exit::OK })
}
