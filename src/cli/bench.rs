//! `paiban bench`: figures, not a timed test. Cold and warm builds of an
//! edition, a proof render, and a re-layout and re-proof after a
//! one-paragraph edit (what a watcher does on save), with peak memory; then
//! whole-process builds against plain typst (`bench_builds`).

use std::time::{Duration, Instant};

use crate::bench::builds::{self, Setup};
use crate::bench::measure;
use crate::cli::args::BenchArgs;
use crate::content::model::{BodyBlock, Run};
use crate::error::{Error, Result, exit};
use crate::layout::rounds::{self, LayoutOptions};
use crate::typeset::project::Project;
use crate::output::files;
use crate::output::proof::{ProofLook, Proofer};
use crate::plan::place;
use crate::press;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(args: &BenchArgs) -> Result<i32> {
    // Whole-process figures first, while this process is small: the peak
    // memory the kernel reports for a child is at least the spawning
    // process's own peak at the time (exec records the old address space's
    // high-water mark), so in-process work must come after.
    let root =
        args.project.root.canonicalize().map_err(|e| Error::io(e, &args.project.root, "project root"))?;
    let work = std::env::temp_dir().join(format!("paiban-bench-{}", std::process::id()));
    let result = builds(args, &root, &work);
    let _ = std::fs::remove_dir_all(&work);
    result?;
    in_process(args)?;
    Ok(exit::OK)
}

/// Cold and warm builds, a proof, and a re-layout and re-proof after an edit,
/// all in this process.
fn in_process(args: &BenchArgs) -> Result<()> {
    let runs = args.runs.max(1);
    let t = Instant::now();
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let edition = place::edition(&args.edition, &project.root)?;
    // Returns the PDF bytes and the time spent in press finishing and the
    // preflight (the photos are converted during the layout, and cached).
    let build_all = || -> Result<(usize, Duration)> {
        let mut bytes = 0;
        let mut finishing = Duration::ZERO;
        for issue in &edition.issues {
            let l = rounds::lay_out(&project, issue, LayoutOptions::default())?;
            let pdf = files::pdf(&l.doc, &issue.file.id, issue.ymd(), issue.press.standard)?;
            let t = Instant::now();
            let meta = press::finish::Meta { title: &issue.file.title, date: issue.ymd(), ident: &issue.file.id };
            let pdf = press::finish::finish(&pdf, &issue.press, &meta)?;
            // As `build` does: the preflight of what it is about to write.
            let map = serde_json::to_vec(&l.map).map_err(|e| Error::internal(e.to_string()))?;
            let map = press::preflight::PageMapFile::parse(&map).ok();
            press::preflight::check(&pdf, &issue.press, map.as_ref());
            finishing += t.elapsed();
            bytes += pdf.len();
        }
        Ok((bytes, finishing))
    };
    let (pdf_bytes, cold_finishing) = build_all()?;
    let cold = t.elapsed();
    let mut finishing = Vec::new();
    let warm = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                build_all().map(|(_, f)| {
                    finishing.push(f);
                    t.elapsed()
                })
            })
            .collect::<Result<_>>()?,
    );
    let finishing = median(finishing);

    let first = edition.issues.first().ok_or_else(|| Error::input("the edition has no issue"))?;
    let laid = rounds::lay_out(&project, first, LayoutOptions::default())?;
    let page = &laid.doc.pages()[0];
    let proof = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                files::png(page, 100.0).map(|_| t.elapsed())
            })
            .collect::<Result<_>>()?,
    );

    // A one-paragraph edit, different each run so no cache can answer it.
    let mut edited = first.clone();
    let target = edited
        .articles
        .iter()
        .position(|a| a.body.iter().any(|b| matches!(b, BodyBlock::Paragraph { .. })))
        .ok_or_else(|| Error::input("no paragraph to edit"))?;
    let mut relayout = Vec::new();
    let mut reproof = Vec::new();
    // Re-proofs go through the watcher's proofer: it keeps the page's
    // raster and renders only the region that changed.
    let scratch = std::env::temp_dir().join(format!("paiban-bench-{}", std::process::id()));
    files::prepare_dir(&scratch)?;
    let look =
        ProofLook { dpi: 100.0, guides: false, fit: false, typography: false, copyfit: false, html: false, build: std::path::PathBuf::new() };
    let mut proofer = Proofer::live(None);
    proofer.issue(&project, &edited, &look, &scratch)?;
    for i in 0..runs {
        if let Some(BodyBlock::Paragraph { runs, .. }) =
            edited.articles[target].body.iter_mut().find(|b| matches!(b, BodyBlock::Paragraph { .. }))
        {
            runs.push(Run::Text { text: if i % 2 == 0 { "甲".into() } else { "乙".into() } });
        }
        let t = Instant::now();
        rounds::lay_out(&project, &edited, LayoutOptions::default())?;
        relayout.push(t.elapsed());
        let t = Instant::now();
        proofer.issue(&project, &edited, &look, &scratch)?;
        reproof.push(t.elapsed());
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let (relayout, reproof) = (median(relayout), median(reproof));
    let pages = edition.issues.len();
    println!("paiban bench: {} ({} issue(s)), {} run(s) each, median", args.edition.display(), pages, runs);
    println!("  cold build, fonts loaded (in process)   {}", ms(cold));
    println!(
        "  press finishing + preflight in it       {} ({:.1} % of the cold build; {} warm)",
        ms(cold_finishing),
        100.0 * cold_finishing.as_secs_f64() / cold.as_secs_f64(),
        ms(finishing)
    );
    println!("  warm build, all issues (lay out + PDF)  {}", ms(warm));
    println!("  proof of one page at 100 dpi            {}", ms(proof));
    println!("  re-layout after a one-paragraph edit    {}", ms(relayout));
    println!(
        "  re-proof after a one-paragraph edit     {}  ({:.2}× the cold build; as `watch` does it)",
        ms(reproof),
        reproof.as_secs_f64() / cold.as_secs_f64()
    );
    println!("  PDF bytes per page                      {} KB", pdf_bytes / pages / 1024);
    if let Some(mb) = peak_mb() {
        println!("  peak memory                             {mb:.0} MB");
    }
    Ok(())
}

/// The whole-process table: this edition and (unless `--synth-pages 0`) a
/// synthetic one, by paiban and by plain typst, and the thread scaling.
fn builds(args: &BenchArgs, root: &std::path::Path, work: &std::path::Path) -> Result<()> {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (typst, note) = match &args.typst {
        Some(p) if p.is_file() => (Some(p.clone()), None),
        Some(p) => {
            return Err(Error::input("no typst binary at this path").in_file(p).hint(
                "install it with `cargo install typst-cli --version 0.15.1 --locked`, or leave out --typst",
            ));
        }
        None => match measure::on_path("typst") {
            Some(p) => (Some(p), None),
            None => (
                None,
                Some("no `typst` on PATH; `cargo install typst-cli --version 0.15.1 --locked` adds it"),
            ),
        },
    };
    if let Some(exe) = &typst {
        let version = std::process::Command::new(exe).arg("--version").output();
        let version =
            version.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
        println!("\nplain typst: {} ({version})", exe.display());
    }
    let setup =
        Setup { fonts: args.project.fonts.options(), builds: args.builds, root, work: work.to_path_buf(), typst, jobs };
    let name = args.edition.file_name().map_or("edition".into(), |n| n.to_string_lossy().into_owned());
    let mut rows = vec![setup.row(&name, "edition", &args.edition)?];
    let mut scaling = None;
    if args.synth_pages > 0 {
        let dir = work.join("synth-edition");
        eprintln!(
            "generating a {}-page synthetic edition, seed {} (not timed) …",
            args.synth_pages, args.seed
        );
        let mut synth = setup.paiban_command("synth")?;
        synth.arg(&dir).args(["--pages", &args.synth_pages.to_string(), "--seed", &args.seed.to_string()]);
        measure::run(vec![synth], 1, &work.join("synth-logs"))?;
        rows.push(setup.row(&format!("synthetic, seed {}", args.seed), "synth", &dir)?);
        scaling = Some(setup.scaling(&dir)?);
    }
    if let Some(mb) = peak_mb() {
        println!(
            "(this process's own peak while it measured: {mb:.0} MB; no child's figure can be below it)"
        );
    }
    builds::print(&rows, jobs, scaling, note);
    Ok(())
}
