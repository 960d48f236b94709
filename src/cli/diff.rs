//! `paiban diff`: two PDFs, two build folders, or the edition against
//! another git revision, compared page by page.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::args::DiffArgs;
use crate::diff::{self, Options, PageImage, Status, Tolerance, html, raster, report, snapshot, structure};
use crate::error::{Error, Result, exit};
use crate::layout::rounds::{self, LayoutOptions};
use crate::typeset::project::Project;
use crate::plan::place;
use crate::typeset::fonts::FontOptions;

pub fn run(args: &DiffArgs) -> Result<i32> {
    if !(10.0..=600.0).contains(&args.dpi) {
        return Err(Error::input(format!("--dpi {} is out of range", args.dpi))
            .hint("use 10 to 600; 72 to 100 is enough to see a changed character"));
    }
    let opts = Options { dpi: args.dpi, tolerance: tolerance(&args.tolerance)?, masks: masks(&args.masks)? };
    let (old, new) = match (&args.against, &args.new) {
        (Some(_), Some(_)) => {
            return Err(Error::input("--against takes one edition, not OLD and NEW")
                .hint("`paiban diff EDITION --against git:REV`, or `paiban diff OLD NEW`"));
        }
        (Some(against), None) => against_git(args, against)?,
        (None, Some(new)) => {
            let (mut old, mut new_pages) = (side(&args.old, args.dpi)?, side(new, args.dpi)?);
            // Two lone PDFs pair by page; name them after NEW.
            if !args.old.is_dir() && !new.is_dir() {
                let stem = new.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                for p in old.iter_mut().chain(new_pages.iter_mut()) {
                    p.issue = stem.clone();
                }
            }
            (old, new_pages)
        }
        (None, None) => {
            return Err(Error::input("NEW is missing")
                .hint("`paiban diff OLD NEW` (two PDFs or two build folders), or `paiban diff EDITION --against git:REV`"));
        }
    };
    let results = diff::compare(old, new, &opts);
    if !args.json {
        print!("{}", report::all(&results, args.dpi));
    }
    if let Some(dir) = &args.out {
        let fonts: Vec<_> = std::iter::once(args.project.root.join("fonts")).chain(args.project.fonts.font_paths.iter().cloned()).collect();
        let index = html::write(dir, &results, args.dpi, &fonts)?;
        eprintln!("diff images and {} written", index.display());
    }
    let identical = results.iter().all(|r| r.status == Status::Identical);
    if args.json {
        let pages: Vec<_> = results.iter().map(|r| page_json(r, args.dpi)).collect();
        let fields = serde_json::json!({ "identical": identical, "pages": pages });
        // `ok` is the exit code 0; a change found is no error (`error` null).
        println!("{}", crate::error::json_document("diff", identical, fields, Vec::new(), None));
    }
    Ok(if identical { exit::OK } else { exit::WARNINGS })
}

/// One compared page as JSON: status, share of pixels changed, regions (mm,
/// with the article each falls in) and the structural changes.
fn page_json(r: &diff::PageResult, dpi: f64) -> serde_json::Value {
    let status = match r.status {
        Status::Identical => "identical",
        Status::Changed => "changed",
        Status::Added => "added",
        Status::Removed => "removed",
    };
    let (share, regions) = match &r.pixels {
        Some(p) => (
            if p.compared == 0 { 0.0 } else { p.changed as f64 * 100.0 / p.compared as f64 },
            p.regions
                .iter()
                .map(|g| {
                    let [x, y, w, h] = g.to_mm(dpi);
                    serde_json::json!({
                        "article": g.owner.and_then(|o| r.owners.get(o)),
                        "x_mm": x, "y_mm": y, "w_mm": w, "h_mm": h,
                        "pixels": g.pixels,
                    })
                })
                .collect::<Vec<_>>(),
        ),
        None => (0.0, Vec::new()),
    };
    let changes = r.changes.as_ref().map(|c| {
        serde_json::json!({
            "articles": c.articles.iter().map(|a| serde_json::json!({
                "article": a.article, "text": a.text, "layout": a.layout,
            })).collect::<Vec<_>>(),
            "layout": c.layout,
        })
    });
    serde_json::json!({
        "issue": r.issue,
        "page": r.page,
        "status": status,
        "changed_percent": share,
        "regions": regions,
        "changes": changes,
    })
}

fn tolerance(s: &str) -> Result<Tolerance> {
    let bad = || {
        Error::input(format!("--tolerance `{s}` is not DELTA[,SHARE]")).hint(
            "e.g. --tolerance 16 (channel delta 0–255) or --tolerance 16,0.01 (and up to 0.01 % of pixels)",
        )
    };
    let (delta, share) = s.split_once(',').unwrap_or((s, "0"));
    let channel = delta.trim().parse::<u8>().map_err(|_| bad())?;
    let share = share.trim().parse::<f64>().map_err(|_| bad())?;
    if !(0.0..=100.0).contains(&share) {
        return Err(bad());
    }
    Ok(Tolerance { channel, share })
}

fn masks(list: &[String]) -> Result<Vec<diff::pixels::RectMm>> {
    list.iter()
        .map(|m| {
            let v: Vec<f64> = m.split(',').filter_map(|n| n.trim().parse().ok()).collect();
            match v[..] {
                [x, y, w, h] if w > 0.0 && h > 0.0 && x.is_finite() && y.is_finite() => Ok([x, y, w, h]),
                _ => Err(Error::input(format!("--mask `{m}` is not X,Y,W,H"))
                    .hint("four numbers in mm from the page's top left, width and height positive, e.g. --mask 300,8,80,10")),
            }
        })
        .collect()
}

/// The pages of a PDF or of every PDF in a build folder, with the page map
/// and layout dump written beside each when they are there.
fn side(path: &Path, dpi: f64) -> Result<Vec<PageImage>> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::io(e, path, "diff input").hint("give two PDFs, or two folders written by `paiban build --out`")
    })?;
    let pdfs: Vec<PathBuf> = if meta.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(e, path, "build folder"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        v.sort();
        if v.is_empty() {
            return Err(Error::input("no PDFs in this folder")
                .in_file(path)
                .hint("give a folder written by `paiban build --out`, or two PDFs"));
        }
        v
    } else {
        vec![path.to_path_buf()]
    };
    let mut out = Vec::new();
    for pdf in pdfs {
        let stem = pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(&pdf).map_err(|e| Error::io(e, &pdf, "PDF"))?;
        let rasters = raster::from_pdf(bytes, dpi, &pdf)?;
        let map = pdf.with_file_name(format!("{stem}.map.json"));
        let dump = pdf.with_file_name(format!("{stem}.layout.json"));
        let dumps = if dump.is_file() { Some(structure::read(&dump)?) } else { None };
        for (i, raster) in rasters.into_iter().enumerate() {
            let page_dump = dumps.as_ref().and_then(|d| d.iter().find(|p| p.page == i + 1).cloned());
            let blocks = if map.is_file() {
                diff::read_map(&map, i + 1)?
            } else {
                page_dump.as_ref().map(snapshot::dump_blocks).unwrap_or_default()
            };
            out.push(PageImage { issue: stem.clone(), page: i + 1, raster, blocks, dump: page_dump });
        }
    }
    Ok(out)
}

/// Lays out every issue of an edition and renders its pages (overset text
/// is marked, not refused: a diff is a proof).
pub fn edition_pages(project: &Project, edition: &Path, dpi: f64) -> Result<Vec<PageImage>> {
    let edition = place::edition(edition, &project.root)?;
    let opts = LayoutOptions { mark_overset: true, ..Default::default() };
    let mut out = Vec::new();
    for issue in &edition.issues {
        let laid = rounds::lay_out(project, issue, opts)?;
        out.extend(PageImage::from_laid(issue, &laid, dpi));
    }
    Ok(out)
}

/// Removes the temporary project however the diff ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let o = Command::new("git").arg("-C").arg(root).args(args).output().map_err(|e| {
        Error::input(format!("could not run git: {e}")).hint("--against git:REV needs git on the PATH")
    })?;
    if !o.status.success() {
        return Err(Error::input(format!("git {} failed", args.join(" ")))
            .in_file(root)
            .detail(String::from_utf8_lossy(&o.stderr).into_owned())
            .hint("the project root must be in a git repository and REV a commit, branch or tag"));
    }
    Ok(o.stdout)
}

/// OLD: the edition built from content/ and layouts/ at REV (extracted
/// with `git archive` into a temporary project that uses this project's
/// fonts); NEW: the edition as it is.
fn against_git(args: &DiffArgs, against: &str) -> Result<(Vec<PageImage>, Vec<PageImage>)> {
    let rev = against.strip_prefix("git:").filter(|r| !r.is_empty()).ok_or_else(|| {
        Error::input(format!("--against `{against}` is not git:REV"))
            .hint("e.g. --against git:HEAD or --against git:main~1")
    })?;
    let fonts = args.project.fonts.options();
    let project = Project::open(&args.project.root, &fonts)?;
    let edition = args.old.canonicalize().map_err(|e| Error::io(e, &args.old, "edition folder"))?;
    let rel = edition.strip_prefix(&project.root).map_err(|_| {
        Error::input("the edition is not inside the project root")
            .in_file(&args.old)
            .hint("pass --root, the folder that holds layouts/ and content/")
    })?;
    let prefix =
        String::from_utf8_lossy(&git(&project.root, &["rev-parse", "--show-prefix"])?).trim().to_string();
    let tree = format!("{rev}:{prefix}");
    git(&project.root, &["rev-parse", "--verify", &format!("{rev}^{{commit}}")])?;
    let tmp = TempDir(std::env::temp_dir().join(format!("paiban-diff-{}", std::process::id())));
    let _ = std::fs::remove_dir_all(&tmp.0);
    std::fs::create_dir_all(tmp.0.join("fonts")).map_err(|e| Error::io(e, &tmp.0, "temporary folder"))?;
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&project.root)
        .args(["archive", "--format=tar", &tree, "content", "layouts"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::input(format!("could not run git: {e}")).hint("--against git:REV needs git on the PATH")
        })?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(&tmp.0)
        .stdin(archive.stdout.take().ok_or_else(|| Error::internal("git archive has no output"))?)
        .output()
        .map_err(|e| Error::internal(format!("could not run tar: {e}")))?;
    let git_out = archive.wait_with_output().map_err(|e| Error::internal(format!("git archive: {e}")))?;
    if !git_out.status.success() || !tar.status.success() {
        return Err(Error::input(format!("could not extract content/ and layouts/ at {rev}"))
            .in_file(&project.root)
            .detail(format!(
                "{}{}",
                String::from_utf8_lossy(&git_out.stderr),
                String::from_utf8_lossy(&tar.stderr)
            ))
            .hint("REV must be a commit in this repository that has content/ and layouts/"));
    }
    // The old project reads this project's fonts (fonts are not versioned content).
    let mut old_fonts = FontOptions { paths: fonts.paths.clone(), system: fonts.system };
    old_fonts.paths.push(project.root.join("fonts"));
    let old_project = Project::open(&tmp.0, &old_fonts)?;
    let old_edition = tmp.0.join(rel);
    if !old_edition.join("edition.toml").is_file() {
        return Err(Error::input(format!("the edition {} does not exist at {rev}", rel.display()))
            .in_file(&args.old)
            .hint("pick a revision that has this edition"));
    }
    let old = edition_pages(&old_project, &old_edition, args.dpi)?;
    let new = edition_pages(&project, &edition, args.dpi)?;
    Ok((old, new))
}
