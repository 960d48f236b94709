//! `paiban build`: print PDFs and page maps for every issue of an edition.

use std::time::{Duration, Instant};

use crate::check::glyphs;
use crate::check::typography::{self, TypoReport, Violation};
use crate::cli::args::BuildArgs;
use crate::cli::progress::Progress;
use crate::content::model::Issue;
use crate::content::{lint, load};
use crate::diff::structure;
use crate::error::{self, Error, Kind, Result, exit};
use crate::layout::rounds::{self, LayoutOptions, Overset};
use crate::layout::{copyfit, parallel};
use crate::output::emit;
use crate::output::files;
use crate::plan::place;
use crate::press;
use crate::press::preflight;
use crate::press::settings::REFUSE_PPI;
use crate::typeset::project::Project;

/// What is kept of an issue once its files are handed to the writers. The
/// laid-out page is dropped and Typst's caches trimmed, and the PDF, page
/// map and layout dump go to the writer threads as soon as they are made,
/// so a 100-page build holds one or two pages at a time, not 100 PDFs.
struct Built {
    /// The plan as laid out (copyfit applied).
    issue: Issue,
    /// The PDF's size in bytes.
    bytes: usize,
    /// The data Typst was given and the photos as converted for the press
    /// (`--emit-typst` only).
    emit: Option<(Vec<u8>, Vec<press::photos::Prepared>)>,
    warnings: Vec<String>,
    /// Typography measured on the laid-out page (`check --typography`).
    typography: Vec<Violation>,
    overset: Vec<Overset>,
    pages: usize,
    took: Duration,
}

/// One output file for the writers.
type Output = (std::path::PathBuf, Vec<u8>);

/// Typst's memoisation cache keeps an entry until this many issues have
/// finished without using it: the layouts' modules, which every issue uses,
/// stay warm; a page's own entries go when the next issue finishes. (2 held
/// some 20 MB more at the 100-page build's peak for no CPU measured.)
const CACHE_AGE: usize = 1;

/// Threads that write (and sync) output files.
const WRITERS: usize = 8;

pub fn run(args: &BuildArgs) -> Result<i32> {
    let start = Instant::now();
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let mut edition = place::edition(&args.edition, &project.root)?;
    load::select_issues(&mut edition, &args.issues)?;
    // Every warning, for --json; `denied`: those --deny-warnings fails on.
    let mut all_warnings: Vec<serde_json::Value> = Vec::new();
    let mut denied: Vec<String> = Vec::new();

    let warnings = lint::edition(&edition);
    for w in &warnings {
        eprintln!("{w}");
        all_warnings.push(w.to_json());
        denied.push(w.to_string());
    }
    // A straight quote no rule can pair prints as typed: not for the press.
    if args.final_
        && let Some(err) = crate::content::quotes::refuse_ambiguous(&edition)
    {
        return Err(err);
    }
    // Every character prints from a real glyph: a character no font of its
    // role has would print as an empty box (tofu).
    let missing = glyphs::check_edition(project.fonts.store.book(), &project.house.fonts, &edition);
    if args.final_ && !missing.is_empty() {
        return Err(glyphs::refuse(&missing));
    }
    for m in &missing {
        eprintln!("{m}");
        all_warnings.push(error::json_warning(&m.to_string(), None));
        denied.push(m.to_string());
    }
    // Plan preflight: side margins under what the press prints.
    for w in place::plan_warnings(&edition) {
        eprintln!("{w}");
        all_warnings.push(error::json_warning(&w.to_string(), None));
        denied.push(w.to_string());
    }

    // Placeholder copy and photo slots without a photo (FPO boxes) must
    // never reach the press: --final refuses, naming every one of them.
    let mut refusals: Vec<(String, std::path::PathBuf)> = Vec::new();
    for issue in &edition.issues {
        let held: Vec<_> = issue.articles.iter().filter(|a| a.placeholder).map(|a| a.id.as_str()).collect();
        let fpo: Vec<_> = issue
            .articles
            .iter()
            .flat_map(|a| {
                a.meta.photos.iter().filter(|p| p.file.is_none()).map(move |p| format!("{}/{}", a.id, p.id))
            })
            .collect();
        let file = issue.dir.join("issue.toml");
        if !held.is_empty() {
            refusals.push((
                format!("issue `{}` holds placeholder copy (待稿) in: {}", issue.file.id, held.join(", ")),
                file.clone(),
            ));
        }
        if !fpo.is_empty() {
            refusals.push((
                format!(
                    "issue `{}` has photo slots without a photo (FPO boxes): {}",
                    issue.file.id,
                    fpo.join(", ")
                ),
                file,
            ));
        }
    }
    if args.final_ && !refusals.is_empty() {
        let (first, file) = &refusals[0];
        let mut err = Error::input(first.clone())
            .with_kind(Kind::Refused)
            .in_file(file)
            .hint("a --final print PDF needs real copy in every block and a photo in every slot (file = \"….jpg\"); build without --final for a proof");
        if refusals.len() > 1 {
            err = err.detail(
                refusals[1..]
                    .iter()
                    .map(|(m, f)| format!("{}: also: {m}", f.display()))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        return Err(err);
    }
    for (m, _) in &refusals {
        let w = format!("warning: {m}: not for print");
        eprintln!("{w}");
        all_warnings.push(error::json_warning(&w, None));
    }

    files::prepare_dir(&args.out)?;
    files::remove_stale(&args.out);
    // Heads cut into words before any page is laid out, and the word
    // dictionary dropped: the pages are laid out without it in memory.
    crate::plan::words::prepare(edition.issues.iter().flat_map(|i| &i.articles), |a| {
        project.house.byline_text(&a.meta.byline, a.meta.byline_position)
    });
    // Issues lay out in parallel on one shared font store. Each issue's
    // files are staged under temporary names as soon as it is made, and
    // renamed into place only when every issue has been built and staged:
    // an error in one issue writes nothing.
    let opts = LayoutOptions { mark_overset: args.allow_overset, ..Default::default() };
    let build_issue = |issue: &Issue, out: &std::sync::mpsc::SyncSender<Output>| -> Result<Built> {
        let t = Instant::now();
        let l = copyfit::lay_out_fitted(&project, issue, opts, args.copyfit)?;
        // From here the issue as laid out (with --copyfit, the changed plan).
        let issue = &l.issue;
        if !l.overset.is_empty() && !args.allow_overset {
            return Err(rounds::overset_error(issue, &l.overset));
        }
        // Nothing drawn outside its block (src/check/invariant.rs).
        let (stray, touching) = crate::check::invariant::verdict(issue, &crate::check::invariant::check(&l));
        if let Some(err) = stray {
            return Err(err);
        }
        let mut warnings = l.warnings.clone();
        // After layout: no glyph of the page may be .notdef.
        let tofu = glyphs::tofu(&l);
        if args.final_ && !tofu.is_empty() {
            let list: Vec<String> = tofu.iter().map(|t| t.describe()).collect();
            return Err(Error::input(format!("issue `{}` prints {} character(s) as empty boxes (tofu)", issue.file.id, tofu.len()))
                .with_kind(Kind::Refused)
                .in_file(issue.dir.join("issue.toml"))
                .detail(list.join("\n"))
                .hint("a --final print PDF needs a real glyph for every character: `paiban fonts --coverage` lists what the fonts hold"));
        }
        for t in &tofu {
            warnings.push(format!("warning: tofu: {}", t.describe()));
        }
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
                let w = format!("warning: issue `{}`: {note}", issue.file.id);
                if !warnings.contains(&w) {
                    warnings.push(w);
                }
            }
        }
        let ident = format!("paiban/{}/{}", edition.title, issue.file.id);
        let typst_pdf = files::pdf(&l.doc, &ident, issue.ymd(), issue.press.standard)?;
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
        let dump = structure::to_json_pages(&structure::dump(&l));
        let mut typo = TypoReport::default();
        typography::check(&l, &mut typo);
        let id = &issue.file.id;
        let bytes = pdf.len();
        for (name, file) in [("pdf", pdf), ("map.json", map), ("layout.json", dump.into_bytes())] {
            // (A closed channel means a writer failed: its error is reported.)
            let _ = out.send((args.out.join(format!("{id}.{name}")), file));
        }
        let built = Built {
            typography: typo.violations,
            issue: l.issue.clone(),
            bytes,
            emit: args.emit_typst.is_some().then_some((l.data, l.photos)),
            warnings,
            overset: l.overset,
            pages,
            took: t.elapsed(),
        };
        comemo::evict(CACHE_AGE);
        Ok(built)
    };
    let progress = Progress::new(edition.issues.len(), "building", args.quiet);
    // The writers: each stages what it is sent, synced to disk (syncing is
    // waiting on the disk, not work, so a few threads write at once). The
    // channel is bounded, so finished pages wait for the disk, not in memory.
    let (send, receive) = std::sync::mpsc::sync_channel::<Output>(2 * WRITERS);
    let receive = std::sync::Mutex::new(receive);
    let (results, staged) = std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                s.spawn(|| -> Result<files::Batch> {
                    let mut batch = files::Batch::default();
                    let mut failed = None;
                    loop {
                        let next = receive.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok((path, bytes)) = next else { break };
                        // After a failure keep taking files, so no builder
                        // waits on a full channel; the batch is dropped.
                        if failed.is_none()
                            && let Err(e) = batch.stage(&path, &bytes)
                        {
                            failed = Some(e);
                        }
                    }
                    failed.map_or(Ok(batch), Err)
                })
            })
            .collect();
        let results: Vec<Result<Built>> = parallel::map(&edition.issues, |issue| {
            let r = build_issue(issue, &send);
            match &r {
                Ok(b) => progress.finished(&format!(
                    "{}: laid out, {} page(s), {} overset, {} typography, {} ms",
                    b.issue.file.id,
                    b.pages,
                    b.overset.len(),
                    b.typography.len(),
                    b.took.as_millis()
                )),
                Err(_) => progress.finished(&format!("{}: failed (the error follows)", issue.file.id)),
            }
            r
        });
        drop(send);
        let staged: Vec<Result<files::Batch>> = writers
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(Error::internal("a writer thread panicked"))))
            .collect();
        (results, staged)
    });
    drop(progress);
    let mut done = Vec::new();
    // Typography rule breaks (line-start, 孤字, split numbers…) count as
    // warnings for --deny-warnings; lines off the cells (and letter-spaced
    // ones) are reported only: they are the last resort for a line no
    // allowed move could fill.
    for r in results {
        let b = r?;
        for w in &b.warnings {
            eprintln!("{w}");
            all_warnings.push(error::json_warning(w, None));
        }
        for v in &b.typography {
            let w = format!("warning: typography: {}", v.describe());
            eprintln!("{w}");
            all_warnings.push(error::json_warning(&w, None));
            if v.rule != typography::Rule::Loose {
                denied.push(w);
            }
        }
        if !b.overset.is_empty() {
            let err = rounds::overset_error(&b.issue, &b.overset);
            if args.final_ {
                return Err(err.hint("a --final print PDF cannot hold overset text"));
            }
            let w = format!("warning: {} (marked on the page: --allow-overset)", err.message);
            eprintln!("{w}");
            eprintln!("{}", err.detail.clone().unwrap_or_default());
            all_warnings.push(error::json_warning(&w, None));
        }
        done.push(b);
    }
    if let Some(dir) = &args.emit_typst {
        let pairs: Vec<_> = done
            .iter()
            .filter_map(|b| {
                b.emit.as_ref().map(|(data, photos)| (&b.issue, data.as_slice(), photos.as_slice()))
            })
            .collect();
        emit::write(dir, &project.root, &pairs)?;
        eprintln!("Typst project written to {}", dir.display());
    }
    // The folder changes as a whole: every file is written (and synced)
    // under a temporary name first, and renamed into place only when all
    // are written. Syncing is waiting on the disk, not work, so the files
    // are staged from a few threads at once.
    let mut all = files::Batch::default();
    for r in staged {
        // Dropping a batch removes every file it staged: nothing changed.
        all.absorb(r?);
    }
    all.commit()?;
    let mut issues = Vec::new();
    for b in &done {
        let pdf = args.out.join(format!("{}.pdf", b.issue.file.id));
        issues.push(serde_json::json!({
            "id": b.issue.file.id,
            "pages": b.pages,
            "pdf": pdf.display().to_string(),
            "map": args.out.join(format!("{}.map.json", b.issue.file.id)).display().to_string(),
            "layout": args.out.join(format!("{}.layout.json", b.issue.file.id)).display().to_string(),
            "bytes": b.bytes,
            "overset": b.overset.iter().map(|o| o.article.clone()).collect::<Vec<_>>(),
        }));
        if args.json {
            continue;
        }
        println!(
            "{}: {} page(s) → {} ({} KB, {} ms)",
            b.issue.file.id,
            b.pages,
            args.out.join(format!("{}.pdf", b.issue.file.id)).display(),
            b.bytes / 1024,
            b.took.as_millis()
        );
    }
    eprintln!("built {} issue(s) in {:.1} s", done.len(), start.elapsed().as_secs_f64());
    crate::typeset::cost::write_if_asked();
    let fail = args.deny_warnings && !denied.is_empty();
    if fail {
        eprint!("{}", denied_list(&denied));
    }
    if args.json {
        let error = fail.then(|| denied_error(&denied));
        let fields = serde_json::json!({ "out": args.out.display().to_string(), "issues": issues });
        println!("{}", error::json_document("build", !fail, fields, all_warnings, error.as_ref()));
    }
    Ok(if fail { exit::WARNINGS } else { exit::OK })
}

/// The closing lines of a run that `--deny-warnings` failed: how many
/// warnings were denied, then each.
pub fn denied_list(denied: &[String]) -> String {
    let mut s = format!("error: {} warning(s) denied by --deny-warnings:\n", denied.len());
    for w in denied {
        s.push_str(&format!("  {w}\n"));
    }
    s
}

/// The JSON `error` of a run that `--deny-warnings` failed.
pub fn denied_error(denied: &[String]) -> Error {
    Error::input(format!("{} warning(s) denied by --deny-warnings", denied.len()))
        .detail(denied.join("\n"))
        .hint("fix each warning listed, or build without --deny-warnings")
}
