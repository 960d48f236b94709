//! `paiban proof`: PNG proofs of each issue's page for the desk, and with
//! `--html` an index page that shows them beside the fit report.

use crate::cli::args::ProofArgs;
use crate::content::load;
use crate::error::{Error, Result, exit};
use crate::typeset::project::Project;
use crate::output::proof::{ProofLook, Proofer};
use crate::output::{files, html};
use crate::plan::place;

pub fn run(args: &ProofArgs) -> Result<i32> {
    check_look(&args.look)?;
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let mut edition = place::edition(&args.edition, &project.root)?;
    load::select_issues(&mut edition, &args.issues)?;
    files::prepare_dir(&args.out)?;
    let mut proofer = Proofer::once(Some(args.look.build.clone()));
    let mut proofs = Vec::new();
    let progress = crate::cli::progress::Progress::new(edition.issues.len(), "proofing", args.quiet);
    for issue in edition.issues.iter().filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id))
    {
        let p = proofer.issue(&project, issue, &args.look, &args.out)?;
        progress.finished(&format!(
            "{}: proofed {} page(s), {} overset, {} ms",
            p.id,
            p.pages.len(),
            p.overset.len(),
            p.millis
        ));
        for o in &p.overset {
            eprintln!("warning: {}: {} overset by {} line(s)", p.id, o.article, o.lines);
        }
        for f in p.fit.articles.iter().filter(|_| !args.quiet) {
            eprintln!(
                "  {:<14} used {:>3}/{:>3} column-lines, {} short, {} widow(s): {:?}",
                f.article, f.used, f.available, f.short, f.widows, f.status
            );
        }
        for page in &p.pages {
            println!(
                "{}: page {} → {} ({} ms)",
                p.id,
                page.number,
                args.out.join(&page.file).display(),
                p.millis
            );
        }
        proofs.push(p);
        // One issue at a time in memory, as `build` does.
        comemo::evict(2);
    }
    if args.look.html {
        let path = html::write_index(&args.out, &edition.title, &proofs, None, &font_dirs(&project, args), None)?;
        println!("index → {}", path.display());
    }
    Ok(exit::OK)
}

/// Where the index looks for the bundled fonts: the project's `fonts/`,
/// then every `--font-path`.
pub fn font_dirs(project: &Project, args: &ProofArgs) -> Vec<std::path::PathBuf> {
    std::iter::once(project.root.join("fonts")).chain(args.project.fonts.font_paths.iter().cloned()).collect()
}

pub fn check_look(look: &ProofLook) -> Result<()> {
    if !(10.0..=1200.0).contains(&look.dpi) {
        return Err(Error::input(format!("--dpi {} is out of range", look.dpi))
            .hint("use 10 to 1200; 100 suits a screen"));
    }
    Ok(())
}
