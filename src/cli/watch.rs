//! `paiban watch`: proof once, then re-proof the affected issue on every
//! save in the edition or `layouts/`, one line per rebuild. A broken edit
//! prints its error and keeps the last good proof; the next good save
//! recovers. The font store and Typst's memoised layout live across
//! rebuilds, so a one-paragraph edit re-lays out in milliseconds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use typst_kit::watcher::Watcher;

use crate::cli::args::WatchArgs;
use crate::cli::proof;
use crate::content::model::Edition;
use crate::error::{Error, Result};
use crate::typeset::project::Project;
use crate::output::proof::{IssueProof, Proofer};
use crate::output::raster::Rendered;
use crate::output::{files, html};
use crate::plan::place;

/// How many compilations Typst's cache keeps entries unused for.
const CACHE_AGE: usize = 10;

pub fn run(args: &WatchArgs) -> Result<i32> {
    proof::check_look(&args.look)?;
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    files::prepare_dir(&args.out)?;
    let edition_dir = args.edition.canonicalize().map_err(|e| {
        Error::io(e, &args.edition, "edition folder").hint("pass the folder that holds edition.toml")
    })?;
    let layouts = project.root.join("layouts");
    let mut session = Session {
        project,
        args,
        watched: vec![edition_dir, layouts],
        out: args.out.canonicalize().unwrap_or_else(|_| args.out.clone()),
        proofer: Proofer::live(Some(args.look.build.clone())),
        last: BTreeMap::new(),
        title: String::new(),
        order: Vec::new(),
        pending: BTreeSet::new(),
        builds: 0,
    };
    let mut watcher = Watcher::new(None).map_err(|e| Error::internal(format!("cannot watch files: {e}")))?;
    let mut snapshot: Option<BTreeMap<PathBuf, u128>> = None;
    loop {
        // Watch before reading, so that a save made while we read or
        // rebuild is seen either by this snapshot or by the next wait.
        watcher
            .update(session.files().into_iter().chain(session.dirs()))
            .map_err(|e| Error::internal(format!("cannot watch files: {e}")))?;
        let now = session.snapshot();
        let Some(before) = snapshot.replace(now.clone()) else {
            session.rebuild(&["start".into()], true);
            println!("watching {} and layouts/ (Ctrl-C stops)", args.edition.display());
            continue;
        };
        let changed: Vec<PathBuf> = now
            .iter()
            .filter(|(p, h)| before.get(*p) != Some(h))
            .map(|(p, _)| p.clone())
            .chain(before.keys().filter(|p| !now.contains_key(*p)).cloned())
            .collect();
        if changed.is_empty() {
            watcher.wait().map_err(|e| Error::internal(format!("watching failed: {e}")))?;
            continue;
        }
        session.pending.extend(changed.iter().cloned());
        let names: Vec<String> = changed.iter().map(|p| session.display(p)).collect();
        session.rebuild(&names, false);
        comemo::evict(CACHE_AGE);
    }
}

struct Session<'a> {
    project: Project,
    args: &'a WatchArgs,
    /// Folders whose files are watched (recursively, by listing them).
    watched: Vec<PathBuf>,
    out: PathBuf,
    proofer: Proofer,
    /// The last good proof of each issue, for the index page.
    last: BTreeMap<String, IssueProof>,
    /// The edition's title and issue order as last loaded.
    title: String,
    order: Vec<String>,
    /// Files changed since the last good build of what they affect.
    pending: BTreeSet<PathBuf>,
    builds: u64,
}

impl Session<'_> {
    /// Every watched file and a hash of its content: what decides whether a
    /// save changed anything, and what changed.
    fn snapshot(&self) -> BTreeMap<PathBuf, u128> {
        let mut files = BTreeMap::new();
        for path in self.files() {
            if let Ok(bytes) = std::fs::read(&path) {
                files.insert(path, typst::utils::hash128(&bytes));
            }
        }
        files
    }

    /// Every watched file.
    fn files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for dir in &self.watched {
            walk(dir, &self.out, &mut |path| files.push(path.to_path_buf()));
        }
        files
    }

    /// The watched folders themselves, so that new files are seen.
    fn dirs(&self) -> Vec<PathBuf> {
        let mut dirs = Vec::new();
        for dir in &self.watched {
            collect_dirs(dir, &self.out, &mut dirs);
        }
        dirs
    }

    fn display(&self, path: &Path) -> String {
        let cwd = std::env::current_dir().ok().and_then(|d| d.canonicalize().ok());
        let rel = cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
        rel.display().to_string()
    }

    /// Loads the edition and re-proofs the issues the pending changes touch
    /// (all of them on start or when a layout or the edition file changed).
    fn rebuild(&mut self, changed: &[String], all: bool) {
        let t = Instant::now();
        let what = summarise(changed);
        // A layout change may be to the house style, which the Rust side
        // reads too (faces for the glyph check, byline wording).
        let style = if all { self.project.reload_house() } else { Ok(()) };
        let edition = match style.and_then(|()| place::edition(&self.args.edition, &self.project.root)) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("{}", e.render());
                self.builds += 1;
                self.write_index(Some(&e.to_string()));
                println!("[{}] {what} → error (above); last good proof kept", clock());
                return;
            }
        };
        self.title = edition.title.clone();
        self.order = edition.issues.iter().map(|i| i.file.id.clone()).collect();
        let mut errors = Vec::new();
        let affected = self.affected(&edition, all);
        let mut parts = Vec::new();
        let mut failed = false;
        for issue in edition.issues.iter().filter(|i| affected.contains(&i.file.id)) {
            match self.proofer.issue(&self.project, issue, &self.args.look, &self.args.out) {
                Ok(p) => {
                    let pages: Vec<String> = p
                        .pages
                        .iter()
                        .filter_map(|pg| match pg.rendered {
                            Rendered::Nothing => None,
                            Rendered::Full => Some(format!("p{}", pg.number)),
                            Rendered::Region(share) => {
                                Some(format!("p{} ({:.1} % rendered)", pg.number, 100.0 * share))
                            }
                        })
                        .collect();
                    parts.push(format!(
                        "{} {} · {} overset · {} typography · {:.1} % cell-exact · {} Typst warning(s)",
                        p.id,
                        if pages.is_empty() {
                            "unchanged".to_string()
                        } else {
                            format!("re-proofed {}", pages.join(","))
                        },
                        p.overset.len(),
                        p.typo.violations.iter().filter(|v| v.rule != crate::check::typography::Rule::Loose).count(),
                        100.0 * p.typo.cell_ratio(),
                        p.warnings.len()
                    ));
                    for o in &p.overset {
                        eprintln!("warning: {}: {} overset by {} line(s)", p.id, o.article, o.lines);
                    }
                    self.last.insert(p.id.clone(), p);
                }
                Err(e) => {
                    eprintln!("{e}");
                    errors.push(e.to_string());
                    parts.push(format!("{} error (above); last good proof kept", issue.file.id));
                    failed = true;
                }
            }
        }
        if !failed {
            self.pending.clear();
        }
        self.builds += 1;
        let error = errors.join("\n\n");
        self.write_index((!errors.is_empty()).then_some(error.as_str()));
        if parts.is_empty() {
            parts.push("no issue affected".into());
        }
        println!("[{}] {what} → {} in {} ms", clock(), parts.join("; "), t.elapsed().as_millis());
    }

    /// With `--html`, the index of every issue at its last good proof, in
    /// edition order, and the broken save's error over it until the next
    /// good save.
    fn write_index(&mut self, error: Option<&str>) {
        if !self.args.look.html {
            return;
        }
        let proofs: Vec<IssueProof> = self.order.iter().filter_map(|id| self.last.remove(id)).collect();
        let dirs: Vec<PathBuf> = std::iter::once(self.project.root.join("fonts"))
            .chain(self.args.project.fonts.font_paths.iter().cloned())
            .collect();
        if let Err(e) = html::write_index(&self.args.out, &self.title, &proofs, Some(self.builds), &dirs, error) {
            eprintln!("{e}");
        }
        self.last.extend(proofs.into_iter().map(|p| (p.id.clone(), p)));
    }

    fn affected(&self, edition: &Edition, all: bool) -> BTreeSet<String> {
        let dirs: Vec<(String, PathBuf)> = edition
            .issues
            .iter()
            .map(|i| (i.file.id.clone(), i.dir.canonicalize().unwrap_or_else(|_| i.dir.clone())))
            .collect();
        // A change outside every issue folder (a layout, edition.toml, a
        // shared photo) can move any page.
        let everything = all
            || self.pending.iter().any(|p| !dirs.iter().any(|(_, d)| p.starts_with(d)))
            || dirs.iter().any(|(id, _)| !self.last.contains_key(id));
        dirs.into_iter()
            .filter(|(_, d)| everything || self.pending.iter().any(|p| p.starts_with(d)))
            .map(|(id, _)| id)
            .collect()
    }
}

fn summarise(changed: &[String]) -> String {
    match changed {
        [one] if one == "start" => "start".into(),
        [one] => format!("changed {one}"),
        [a, b] => format!("changed {a}, {b}"),
        [a, rest @ ..] => format!("changed {a} and {} more", rest.len()),
        [] => "no change".into(),
    }
}

/// Editors' swap and backup files and our own temp files are not content.
fn ignored(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".tmp")
}

fn walk(dir: &Path, out: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if ignored(&path) || path.starts_with(out) {
            continue;
        }
        if path.is_dir() {
            walk(&path, out, f);
        } else {
            f(&path);
        }
    }
}

fn collect_dirs(dir: &Path, out: &Path, dirs: &mut Vec<PathBuf>) {
    if !dir.is_dir() || ignored(dir) || dir.starts_with(out) {
        return;
    }
    dirs.push(dir.to_path_buf());
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            collect_dirs(&e.path(), out, dirs);
        }
    }
}

/// Wall-clock time of day in the machine's local time zone (a Beijing desk
/// reads 21:03, not 13:03 UTC), for the rebuild lines.
fn clock() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    clock_at(secs as i64)
}

/// The local time of day of `secs` since the epoch, `HH:MM:SS`.
pub fn clock_at(secs: i64) -> String {
    let t = secs as libc::time_t;
    // SAFETY: `localtime_r` writes only into `tm`, which lives on this
    // stack frame; `t` is a valid time_t read through a shared reference.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    if !ok {
        // No time zone data: the time in UTC, said so.
        let s = secs.rem_euclid(86_400);
        return format!("{:02}:{:02}:{:02} UTC", s / 3600, s / 60 % 60, s % 60);
    }
    format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
}
