//! `paiban check`: lay out without writing PDFs and report how every article
//! fits its block.

use crate::check::glyphs;
use crate::check::typography::{self, TypoReport};
use crate::cli::args::CheckArgs;
use crate::content::load;
use crate::error::{self, Error, Result, exit};
use crate::layout::copyfit;
use crate::layout::report::FitReport;
use crate::layout::rounds::{self, LayoutOptions};
use crate::typeset::project::Project;
use crate::plan::place;

pub fn run(args: &CheckArgs) -> Result<i32> {
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let mut edition = place::edition(&args.edition, &project.root)?;
    load::select_issues(&mut edition, &args.issues)?;
    let mut warnings = Vec::new();
    for m in glyphs::check_edition(project.fonts.store.book(), &project.house.fonts, &edition) {
        eprintln!("{m}");
        warnings.push(error::json_warning(&m.to_string(), None));
    }
    for w in place::plan_warnings(&edition) {
        eprintln!("{w}");
        warnings.push(error::json_warning(&w.to_string(), None));
    }
    let mut report = FitReport::default();
    let mut proposals = Vec::new();
    // Typography per issue, and over all of them.
    let mut typo: Vec<(String, TypoReport)> = Vec::new();
    for issue in edition.issues.iter().filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id))
    {
        let laid = rounds::lay_out(&project, issue, LayoutOptions::default())?;
        let (stray, touching) = crate::check::invariant::verdict(issue, &crate::check::invariant::check(&laid));
        if let Some(err) = stray {
            return Err(err);
        }
        for w in touching {
            eprintln!("{w}");
        }
        report.add(&laid);
        for t in glyphs::tofu(&laid) {
            let w = format!("warning: tofu: {}", t.describe());
            eprintln!("{w}");
            warnings.push(error::json_warning(&w, None));
        }
        if args.typography {
            let mut r = TypoReport::default();
            typography::check(&laid, &mut r);
            typo.push((issue.file.id.clone(), r));
        }
        if args.fit {
            proposals.extend(copyfit::propose(&project, &laid)?);
        }
        // One issue at a time in memory, as `build` does: the laid-out page
        // is dropped here, and Typst's cache forgets what only it used.
        drop(laid);
        comemo::evict(2);
    }
    let mut total = TypoReport::default();
    for (_, r) in &typo {
        total.merge(r);
    }
    if args.json {
        let mut out =
            serde_json::json!({ "articles": report.articles, "totals": report.totals, "copyfit": proposals });
        if args.typography {
            let issues: serde_json::Map<_, _> =
                typo.iter().map(|(id, r)| (id.clone(), r.to_json())).collect();
            out["typography"] = serde_json::json!({ "issues": issues, "totals": total.to_json() });
        }
        // Overset is an error for `check`, as for `build`.
        let error = (report.totals.overset > 0).then(|| {
            Error::input(format!("{} article(s) overset", report.totals.overset))
                .with_kind(crate::error::Kind::Overset)
                .hint("`paiban check --fit` proposes a change for each")
        });
        println!("{}", error::json_document("check", error.is_none(), out, warnings, error.as_ref()));
    } else {
        report.print();
        if args.typography {
            total.print_violations();
            if typo.len() > 1 {
                for (id, r) in &typo {
                    println!("typography {id}: {}", r.summary());
                }
            }
            println!("typography: {}", total.summary());
        }
        for p in &proposals {
            match &p.change {
                Some(c) => println!("copyfit: {}: {c}  (fits; {} layout(s) tried)", p.issue, p.tried),
                None => println!("copyfit: {}: {}", p.issue, p.no_change()),
            }
        }
    }
    // Overset is an error for `check` as for `build`.
    Ok(if report.totals.overset > 0 { exit::BAD_INPUT } else { exit::OK })
}
