//! `paiban build`: print PDFs and page maps for every issue of an edition.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::args::BuildArgs;
use crate::compile::{self, Laid, LayoutOptions, Project};
use crate::diff::structure;
use crate::error::{Error, Kind, Result, exit};
use crate::model::Issue;
use crate::{copyfit, emit, lint, load, output};

/// An issue laid out and exported: its (copyfitted) plan, layout, PDF, time.
type Built = (Issue, Laid, Vec<u8>, Duration);

pub fn run(args: &BuildArgs) -> Result<i32> {
    let start = Instant::now();
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let mut edition = load::edition(&args.edition, &project.root)?;
    if !args.issues.is_empty() {
        for id in &args.issues {
            if !edition.issues.iter().any(|i| &i.file.id == id) {
                let ids: Vec<_> = edition.issues.iter().map(|i| i.file.id.as_str()).collect();
                return Err(Error::input(format!("no issue `{id}` in this edition"))
                    .hint(format!("the issues are: {}", ids.join(", "))));
            }
        }
        edition.issues.retain(|i| args.issues.contains(&i.file.id));
    }

    let warnings = lint::edition(&edition);
    for w in &warnings {
        eprintln!("{w}");
    }

    // Placeholder copy must never reach the press.
    for issue in &edition.issues {
        let held: Vec<_> = issue.articles.iter().filter(|a| a.placeholder).map(|a| a.id.as_str()).collect();
        if held.is_empty() {
            continue;
        }
        if args.final_ {
            return Err(Error::input(format!(
                "issue `{}` holds placeholder copy (待稿) in: {}",
                issue.file.id,
                held.join(", ")
            ))
            .with_kind(Kind::Refused)
            .in_file(issue.dir.join("issue.toml"))
            .hint("a --final print PDF needs real copy in every block; build without --final for a proof"));
        }
        eprintln!(
            "warning: issue `{}` holds placeholder copy (待稿) in {}: not for print",
            issue.file.id,
            held.join(", ")
        );
    }

    output::prepare_dir(&args.out)?;
    // Issues lay out in parallel on one shared font store. Everything is
    // laid out and exported before anything is written, so an error in one
    // issue writes nothing.
    let opts = LayoutOptions { mark_overset: args.allow_overset, ..Default::default() };
    let results: Vec<Result<Built>> = edition
        .issues
        .par_iter()
        .map(|issue| {
            let t = Instant::now();
            let (issue, l) = copyfit::lay_out_fitted(&project, issue, opts, args.copyfit)?;
            if !l.overset.is_empty() && !args.allow_overset {
                return Err(compile::overset_error(&issue, &l.overset));
            }
            let ident = format!("paiban/{}/{}", edition.title, issue.file.id);
            let pdf = output::pdf(&l.doc, &ident, issue.ymd())?;
            Ok((issue, l, pdf, t.elapsed()))
        })
        .collect();
    let mut done = Vec::new();
    for r in results {
        let (issue, l, pdf, took) = r?;
        for w in &l.warnings {
            eprintln!("{w}");
        }
        if !l.overset.is_empty() {
            let err = compile::overset_error(&issue, &l.overset);
            if args.final_ {
                return Err(err.hint("a --final print PDF cannot hold overset text"));
            }
            eprintln!("warning: {} (marked on the page: --allow-overset)", err.message);
            eprintln!("{}", err.detail.unwrap_or_default());
        }
        done.push((issue, l, pdf, took));
    }
    if let Some(dir) = &args.emit_typst {
        let pairs: Vec<_> = done.iter().map(|(i, l, _, _)| (i, l)).collect();
        emit::write(dir, &project.root, &pairs)?;
        eprintln!("Typst project written to {}", dir.display());
    }
    for (issue, l, pdf, took) in &done {
        let t = Instant::now();
        let pdf_path = args.out.join(format!("{}.pdf", issue.file.id));
        let map_path = args.out.join(format!("{}.map.json", issue.file.id));
        let map = serde_json::to_vec_pretty(&l.map).map_err(|e| Error::internal(e.to_string()))?;
        // The structural dump lets `paiban diff` compare two build folders'
        // text and geometry without the edition.
        let dump_path = args.out.join(format!("{}.layout.json", issue.file.id));
        let dump = structure::to_json_pages(&structure::dump(issue, l));
        output::write_atomic(&pdf_path, pdf)?;
        output::write_atomic(&map_path, &map)?;
        output::write_atomic(&dump_path, dump.as_bytes())?;
        println!(
            "{}: {} page(s) → {} ({} KB, {} ms)",
            issue.file.id,
            l.doc.pages().len(),
            pdf_path.display(),
            pdf.len() / 1024,
            (*took + t.elapsed()).as_millis()
        );
    }
    eprintln!("built {} issue(s) in {:.1} s", done.len(), start.elapsed().as_secs_f64());
    Ok(if args.deny_warnings && !warnings.is_empty() { exit::WARNINGS } else { exit::OK })
}
