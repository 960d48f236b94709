//! `paiban proof`: PNG proofs of each issue's page for the desk.

use std::time::Instant;

use crate::args::ProofArgs;
use crate::compile::{LayoutOptions, Project};
use crate::copyfit;
use crate::error::{Error, Result, exit};
use crate::{load, output};

pub fn run(args: &ProofArgs) -> Result<i32> {
    if !(10.0..=1200.0).contains(&args.dpi) {
        return Err(Error::input(format!("--dpi {} is out of range", args.dpi))
            .hint("use 10 to 1200; 100 suits a screen"));
    }
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let edition = load::edition(&args.edition, &project.root)?;
    output::prepare_dir(&args.out)?;
    for issue in edition.issues.iter().filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id))
    {
        let t = Instant::now();
        let opts = LayoutOptions { mark_overset: true, guides: args.guides, fit_colours: args.fit };
        let (_, laid) = copyfit::lay_out_fitted(&project, issue, opts, args.copyfit)?;
        for o in &laid.overset {
            eprintln!("warning: {}: {} overset by {} line(s)", issue.file.id, o.article, o.lines);
        }
        for f in &laid.fits {
            eprintln!(
                "  {:<14} {} col × {:>2} lines: used {:>3}/{:>3} (last column {:>2}){}",
                f.article,
                f.columns,
                f.lines_per_column,
                f.used,
                f.capacity,
                f.last_column_lines,
                if f.on_grid { "" } else { "  OFF GRID" }
            );
        }
        for (i, page) in laid.doc.pages().iter().enumerate() {
            let png = output::png(page, args.dpi)?;
            let path = args.out.join(format!("{}-p{}.png", issue.file.id, i + 1));
            output::write_atomic(&path, &png)?;
            println!(
                "{}: page {} → {} ({} ms)",
                issue.file.id,
                i + 1,
                path.display(),
                t.elapsed().as_millis()
            );
        }
    }
    Ok(exit::OK)
}
