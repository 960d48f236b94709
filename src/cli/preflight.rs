//! `paiban preflight`: checks written PDFs as the printing plant would.
//!
//! A target is an edition folder (each issue's `<id>.pdf` in the build
//! folder, with the issue's `[press]` settings and its page map) or PDF
//! files (with the settings given as flags, and `<stem>.map.json` beside
//! each when there is one). Any FAIL exits 2: the file must not go out.

use std::path::{Path, PathBuf};

use crate::cli::args::PreflightArgs;
use crate::content::load;
use crate::error::{Error, Result, exit};
use crate::plan::place;
use crate::press::preflight::{self, PageMapFile, Report};
use crate::press::settings::{Colour, Press, Standard};

/// One file to check and what to check it against.
struct Job {
    pdf: PathBuf,
    map: Option<PathBuf>,
    press: Press,
}

pub fn run(args: &PreflightArgs) -> Result<i32> {
    let mut jobs = Vec::new();
    for target in &args.targets {
        if target.join("edition.toml").is_file() {
            jobs.extend(edition_jobs(target, args)?);
        } else if target.is_dir() {
            return Err(Error::input("not an edition folder (no edition.toml) and not a PDF")
                .in_file(target)
                .hint("give the edition folder, e.g. content/xinchun-2018, or the PDF files to check"));
        } else {
            jobs.push(Job { pdf: target.clone(), map: beside_map(target), press: flag_press(args)? });
        }
    }
    let mut files = Vec::new();
    let mut failed = false;
    for job in &jobs {
        let bytes = std::fs::read(&job.pdf).map_err(|e| {
            let err = Error::io(e, &job.pdf, "PDF");
            if args.targets.iter().any(|t| t.join("edition.toml").is_file()) {
                err.hint("run paiban build first (or give --out, the folder it wrote to)")
            } else {
                err
            }
        })?;
        let map = match &job.map {
            Some(path) => Some(read_map(path)?),
            None => None,
        };
        let report = preflight::check(&bytes, &job.press, map.as_ref());
        failed |= report.failed();
        files.push((job.pdf.display().to_string(), report));
    }
    if args.json {
        let files: Vec<_> = files.iter().map(|(f, r): &(String, Report)| r.to_json(f)).collect();
        let error = failed.then(|| {
            Error::input("a preflight rule failed").hint("each FAIL in `files` names the rule, page and position")
        });
        let fields = serde_json::json!({ "files": files });
        println!("{}", crate::error::json_document("preflight", !failed, fields, Vec::new(), error.as_ref()));
    } else {
        for (file, report) in &files {
            print!("{}", preflight::render_text(file, report));
        }
    }
    Ok(if failed { exit::BAD_INPUT } else { exit::OK })
}

/// The issues of an edition (or those asked for), their PDFs and maps.
fn edition_jobs(dir: &Path, args: &PreflightArgs) -> Result<Vec<Job>> {
    let root = args.root.canonicalize().map_err(|e| Error::io(e, &args.root, "project root"))?;
    let edition = place::edition(dir, &root)?;
    load::check_issue_ids(&edition, &args.issues)?;
    Ok(edition
        .issues
        .iter()
        .filter(|i| args.issues.is_empty() || args.issues.contains(&i.file.id))
        .map(|i| {
            let map = args.out.join(format!("{}.map.json", i.file.id));
            Job {
                pdf: args.out.join(format!("{}.pdf", i.file.id)),
                map: map.is_file().then_some(map),
                press: i.press.clone(),
            }
        })
        .collect())
}

/// `<stem>.map.json` beside a PDF, if there is one.
fn beside_map(pdf: &Path) -> Option<PathBuf> {
    let map = pdf.with_extension("map.json");
    map.is_file().then_some(map)
}

fn read_map(path: &Path) -> Result<PageMapFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(e, path, "page map"))?;
    PageMapFile::parse(&bytes).map_err(|why| {
        Error::input(format!("the page map cannot be read: {why}"))
            .in_file(path)
            .hint("it is written by paiban build beside the PDF; build again, or remove it")
    })
}

/// Settings for PDF files: the defaults, with the flags over them.
fn flag_press(args: &PreflightArgs) -> Result<Press> {
    let mut press = Press::default();
    match args.standard.as_deref() {
        Some("pdf/x-4") => press.standard = Standard::X4,
        Some(_) => press.standard = Standard::X1a,
        None => {}
    }
    match args.colour.as_deref() {
        Some("cmyk") => press.colour = Colour::Cmyk,
        Some(_) => press.colour = Colour::Mono,
        None => {}
    }
    let range = |flag: &str, v: Option<f64>, lo: f64, hi: f64, default: f64| -> Result<f64> {
        match v {
            None => Ok(default),
            Some(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(v),
            Some(v) => {
                Err(Error::input(format!("--{flag} {v} is out of range")).hint(format!("give {lo}–{hi}")))
            }
        }
    };
    press.ink_limit = range("ink-limit", args.ink_limit, 100.0, 400.0, press.ink_limit)?;
    press.min_ppi = range("min-ppi", args.min_ppi, 72.0, 2400.0, press.min_ppi)?;
    if let Some(c) = &args.output_condition {
        press.output_condition = c.clone();
    }
    Ok(press)
}
