//! `paiban build`: print PDFs and page maps for every issue of an edition.

use std::time::{Duration, Instant};

use crate::args::BuildArgs;
use crate::compile::{self, LayoutOptions, Overset, Project};
use crate::diff::structure;
use crate::error::{Error, Kind, Result, exit};
use crate::model::Issue;
use crate::typography::{self, TypoReport, Violation};
use crate::press::preflight;
use crate::press::settings::REFUSE_PPI;
use crate::{copyfit, emit, lint, load, output, parallel, press};

/// What is kept of an issue once its PDF is made. The laid-out page itself
/// is dropped, and Typst's caches trimmed, so a 100-page build holds PDFs
/// and page maps in memory, not 100 laid-out pages.
struct Built {
    /// The plan as laid out (copyfit applied).
    issue: Issue,
    pdf: Vec<u8>,
    map: Vec<u8>,
    /// The layout dump `paiban diff` compares two build folders' text and
    /// geometry with, without the edition.
    dump: String,
    /// The data Typst was given (`--emit-typst`).
    data: Vec<u8>,
    /// The photos as converted for the press.
    photos: Vec<press::photos::Prepared>,
    warnings: Vec<String>,
    /// Typography measured on the laid-out page (`check --typography`).
    typography: Vec<Violation>,
    overset: Vec<Overset>,
    pages: usize,
    took: Duration,
}

/// Typst's memoisation cache keeps an entry until this many issues have
/// finished without using it: the layouts' modules stay warm, old pages go.
const CACHE_AGE: usize = 2;

/// Threads that write (and sync) output files.
const WRITERS: usize = 8;

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
    // Plan preflight: side margins under what the press prints.
    let plan = load::plan_warnings(&edition);
    for w in &plan {
        eprintln!("{w}");
    }

    // Placeholder copy and photo slots without a photo (FPO boxes) must
    // never reach the press.
    for issue in &edition.issues {
        let fpo: Vec<_> = issue
            .articles
            .iter()
            .flat_map(|a| a.meta.photos.iter().filter(|p| p.file.is_none()).map(move |p| format!("{}/{}", a.id, p.id)))
            .collect();
        if fpo.is_empty() {
            continue;
        }
        if args.final_ {
            return Err(Error::input(format!(
                "issue `{}` has photo slots without a photo (FPO boxes): {}",
                issue.file.id,
                fpo.join(", ")
            ))
            .with_kind(Kind::Refused)
            .in_file(issue.dir.join("issue.toml"))
            .hint("give each photo a file = \"….jpg\" in its article, or remove the slot; build without --final for a proof"));
        }
        eprintln!(
            "warning: issue `{}` has photo slots without a photo (FPO boxes, not for print): {}",
            issue.file.id,
            fpo.join(", ")
        );
    }
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
    let results: Vec<Result<Built>> = parallel::map(&edition.issues, |issue| {
        let t = Instant::now();
        let (issue, l) = copyfit::lay_out_fitted(&project, issue, opts, args.copyfit)?;
        if !l.overset.is_empty() && !args.allow_overset {
            return Err(compile::overset_error(&issue, &l.overset));
        }
        // Nothing drawn outside its block (src/invariant.rs).
        let (stray, touching) = crate::invariant::verdict(&issue, &crate::invariant::check(&issue, &l));
        if let Some(err) = stray {
            return Err(err);
        }
        let mut warnings = l.warnings.clone();
        warnings.extend(touching);
        for p in &l.photos {
            let what = format!(
                "issue `{}`, article `{}`, photo `{}` ({}): {:.0} ppi at its placed size ({} × {} px in {:.1} × {:.1} mm)",
                issue.file.id,
                p.article,
                p.photo,
                p.file.display(),
                p.ppi,
                p.source_px.0,
                p.source_px.1,
                p.frame_mm.0,
                p.frame_mm.1
            );
            if p.ppi < REFUSE_PPI && args.final_ {
                return Err(Error::input(format!("{what}, under the {REFUSE_PPI:.0} ppi a plant accepts"))
                    .with_kind(Kind::Refused)
                    .in_file(issue.dir.join("articles").join(format!("{}.md", p.article)))
                    .hint("supply a larger original, or make the photo smaller on the page"));
            }
            if p.ppi < issue.press.min_ppi {
                warnings.push(format!("warning: {what}, under min_ppi {:.0}", issue.press.min_ppi));
            }
            if let Some(note) = &p.note {
                warnings.push(format!("warning: issue `{}`: {note}", issue.file.id));
            }
        }
        let ident = format!("paiban/{}/{}", edition.title, issue.file.id);
        let typst_pdf = output::pdf(&l.doc, &ident, issue.ymd(), issue.press.standard)?;
        let pdf = press::finish::finish(
            &typst_pdf,
            &issue.press,
            &press::finish::Meta { title: &issue.file.title, date: issue.ymd(), ident: &ident },
        )?;
        drop(typst_pdf);
        let map = serde_json::to_vec_pretty(&l.map).map_err(|e| Error::internal(e.to_string()))?;
        // The plant's preflight, run on the bytes about to be written.
        let page_map = preflight::PageMapFile::parse(&map).ok();
        let report = preflight::check(&pdf, &issue.press, page_map.as_ref());
        let findings: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity != preflight::Severity::Pass)
            .map(|f| {
                let place = f.place();
                let sep = if place.is_empty() { "" } else { ": " };
                format!("{} {}: {place}{sep}{}", f.severity.label(), f.rule.name(), f.message)
            })
            .collect();
        if report.failed() && args.final_ {
            return Err(Error::input(format!("issue `{}` fails the press preflight", issue.file.id))
                .with_kind(Kind::Refused)
                .in_file(issue.dir.join("issue.toml"))
                .detail(findings.join("\n"))
                .hint("each FAIL names the rule, page, position and article; `paiban preflight` explains the rules"));
        }
        for f in &findings {
            warnings.push(format!("warning: preflight: {}: {f}", issue.file.id));
        }
        let pages = l.doc.pages().len();
        let dump = structure::to_json_pages(&structure::dump(&issue, &l));
        let mut typo = TypoReport::default();
        typography::check(&issue, &l, &mut typo);
        let built = Built {
            typography: typo.violations,
            issue,
            pdf,
            map,
            dump,
            data: l.data,
            photos: l.photos,
            warnings,
            overset: l.overset,
            pages,
            took: t.elapsed(),
        };
        comemo::evict(CACHE_AGE);
        Ok(built)
    });
    let mut done = Vec::new();
    // Typography rule breaks (line-start, 孤字, split numbers…) count as
    // warnings for --deny-warnings; lines off the cells (and letter-spaced
    // ones) are reported only: they are the last resort for a line no
    // allowed move could fill.
    let mut rule_breaks = 0;
    for r in results {
        let b = r?;
        for w in &b.warnings {
            eprintln!("{w}");
        }
        for v in &b.typography {
            eprintln!("warning: typography: {}", v.describe());
            rule_breaks += usize::from(!matches!(v.rule, "off-cell" | "loose"));
        }
        if !b.overset.is_empty() {
            let err = compile::overset_error(&b.issue, &b.overset);
            if args.final_ {
                return Err(err.hint("a --final print PDF cannot hold overset text"));
            }
            eprintln!("warning: {} (marked on the page: --allow-overset)", err.message);
            eprintln!("{}", err.detail.unwrap_or_default());
        }
        done.push(b);
    }
    if let Some(dir) = &args.emit_typst {
        let pairs: Vec<_> = done.iter().map(|b| (&b.issue, b.data.as_slice(), b.photos.as_slice())).collect();
        emit::write(dir, &project.root, &pairs)?;
        eprintln!("Typst project written to {}", dir.display());
    }
    // Each file is synced before its rename; syncing is waiting on the disk,
    // not work, so the files are written from a few threads at once.
    let written: Vec<Result<Duration>> = std::thread::scope(|s| {
        let per = done.len().div_ceil(WRITERS).max(1);
        let handles: Vec<_> = done
            .chunks(per)
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|b| -> Result<Duration> {
                            let t = Instant::now();
                            output::write_atomic(&args.out.join(format!("{}.pdf", b.issue.file.id)), &b.pdf)?;
                            output::write_atomic(
                                &args.out.join(format!("{}.map.json", b.issue.file.id)),
                                &b.map,
                            )?;
                            output::write_atomic(
                                &args.out.join(format!("{}.layout.json", b.issue.file.id)),
                                b.dump.as_bytes(),
                            )?;
                            Ok(t.elapsed())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|_| vec![Err(Error::internal("a writer thread panicked"))]))
            .collect()
    });
    for (b, w) in done.iter().zip(written) {
        let w = w?;
        println!(
            "{}: {} page(s) → {} ({} KB, {} ms)",
            b.issue.file.id,
            b.pages,
            args.out.join(format!("{}.pdf", b.issue.file.id)).display(),
            b.pdf.len() / 1024,
            (b.took + w).as_millis()
        );
    }
    eprintln!("built {} issue(s) in {:.1} s", done.len(), start.elapsed().as_secs_f64());
    let denied = !warnings.is_empty() || !plan.is_empty() || rule_breaks > 0;
    Ok(if args.deny_warnings && denied { exit::WARNINGS } else { exit::OK })
}
