//! The whole-process half of `paiban bench`: an edition built by a fresh
//! `paiban build` process and by plain `typst compile` (one process per
//! issue, on the `--emit-typst` project), with wall time, peak memory and
//! PDF bytes per page, and the 2-thread speed-up; printed against the goals
//! of issue 7.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bench::measure::{self, Measured};
use crate::error::{Error, Result};
use crate::typeset::fonts::FontOptions;

/// Goals (issue 17): paiban ≤ 0.7× plain typst run as many processes at a
/// time as there are cores on a 2-page edition and ≤ 0.8× on the 100-page
/// one, paiban's CPU per page below typst's, ≤ 160 MB peak, ≤ 300 KB per
/// page, 2-thread speed-up ≥ 1.7×.
const GOAL_RATIO_FEW: f64 = 0.7;
const GOAL_RATIO_MANY: f64 = 0.8;
/// Editions up to this many pages are held to `GOAL_RATIO_FEW`.
const FEW_PAGES: usize = 2;
const GOAL_PEAK_MB: f64 = 160.0;
const GOAL_KB_PER_PAGE: f64 = 300.0;
const GOAL_SPEEDUP: f64 = 1.7;

/// One edition's figures.
pub struct Row {
    pub name: String,
    pub pages: usize,
    pub paiban: Measured,
    pub kb_per_page: f64,
    /// Plain typst, one issue after another, and `jobs` at a time.
    pub typst: Option<(Measured, Measured)>,
}

/// What the benchmark runs with.
pub struct Setup<'a> {
    /// The fonts the builds use beside the project's own (`--font-path`,
    /// `--system-fonts`).
    pub fonts: FontOptions,
    /// Whole-process builds per figure (the median is printed).
    pub builds: usize,
    pub root: &'a Path,
    pub work: PathBuf,
    pub typst: Option<PathBuf>,
    /// Processes at a time for the parallel typst figure (the cores).
    pub jobs: usize,
}

impl Setup<'_> {
    /// This paiban binary running `command`, with the project's root and fonts.
    pub fn paiban_command(&self, command: &str) -> Result<Command> {
        let exe = std::env::current_exe().map_err(|e| Error::internal(format!("current_exe: {e}")))?;
        let mut c = Command::new(exe);
        c.arg(command).arg("--root").arg(self.root);
        for p in &self.fonts.paths {
            c.arg("--font-path").arg(p);
        }
        if self.fonts.system {
            c.arg("--system-fonts");
        }
        Ok(c)
    }

    fn paiban_build(&self, edition: &Path, out: &Path, threads: Option<usize>) -> Result<Command> {
        let mut c = self.paiban_command("build")?;
        c.arg(edition).arg("--out").arg(out);
        if let Some(n) = threads {
            c.env("RAYON_NUM_THREADS", n.to_string());
        }
        Ok(c)
    }

    fn typst_compile(&self, exe: &Path, project: &Path, id: &str, out: &Path) -> Command {
        let mut c = Command::new(exe);
        c.arg("compile").arg("--root").arg(project).arg("--font-path").arg(self.root.join("fonts"));
        for p in &self.fonts.paths {
            c.arg("--font-path").arg(p);
        }
        if !self.fonts.system {
            c.arg("--ignore-system-fonts");
        }
        c.arg(project.join(format!("{id}.typ"))).arg(out.join(format!("{id}.pdf")));
        c
    }

    /// Median whole-process `paiban build` of `edition` with `threads`.
    pub fn paiban(&self, tag: &str, edition: &Path, threads: Option<usize>) -> Result<Measured> {
        measure::median_of(self.builds, || self.paiban_once(tag, edition, threads))
    }

    fn paiban_once(&self, tag: &str, edition: &Path, threads: Option<usize>) -> Result<Measured> {
        let out = self.work.join(tag).join("timed");
        let cost = self.work.join(tag).join("typst-cost.txt");
        let _ = std::fs::remove_file(&cost);
        let mut build = self.paiban_build(edition, &out, threads)?;
        build.env(crate::typeset::cost::COST_FILE, &cost);
        let m = measure::run(vec![build], 1, &self.work.join(tag).join("logs"))?;
        Ok(Measured { typst_own: crate::typeset::cost::read(&cost), ..m })
    }

    /// `edition` with RAYON_NUM_THREADS=1 and =2, alternating run by run so
    /// that a change in the machine's other load falls on both alike.
    pub fn scaling(&self, edition: &Path) -> Result<(Measured, Measured)> {
        let (mut one, mut two) = (Vec::new(), Vec::new());
        for _ in 0..self.builds.max(1) {
            one.push(self.paiban_once("threads-1", edition, Some(1))?);
            two.push(self.paiban_once("threads-2", edition, Some(2))?);
        }
        Ok((measure::median(&one), measure::median(&two)))
    }

    /// Builds `edition` once (untimed, with `--emit-typst`), then times
    /// paiban and, when there is a typst binary, plain typst on it.
    pub fn row(&self, name: &str, tag: &str, edition: &Path) -> Result<Row> {
        let dir = self.work.join(tag);
        let (out, project) = (dir.join("out"), dir.join("typst"));
        let mut first = self.paiban_build(edition, &out, None)?;
        first.arg("--emit-typst").arg(&project);
        measure::run(vec![first], 1, &dir.join("logs"))?;
        let pdfs = files_with(&out, "pdf")?;
        let pages = pdfs.len().max(1);
        let bytes: u64 = pdfs.iter().filter_map(|p| p.metadata().ok()).map(|m| m.len()).sum();
        let paiban = self.paiban(tag, edition, None)?;
        let typst = match &self.typst {
            None => None,
            Some(exe) => {
                let ids: Vec<String> = files_with(&project, "typ")?
                    .iter()
                    .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
                    .collect();
                let typst_out = dir.join("typst-out");
                std::fs::create_dir_all(&typst_out)
                    .map_err(|e| Error::io(e, &typst_out, "benchmark folder"))?;
                let batch = |jobs: usize| {
                    measure::median_of(self.builds, || {
                        let cmds =
                            ids.iter().map(|id| self.typst_compile(exe, &project, id, &typst_out)).collect();
                        measure::run(cmds, jobs, &dir.join("typst-logs"))
                    })
                };
                Some((batch(1)?, batch(self.jobs)?))
            }
        };
        Ok(Row { name: name.into(), pages, paiban, kb_per_page: bytes as f64 / pages as f64 / 1024.0, typst })
    }
}

/// Files in `dir` ending in `.ext`, sorted.
fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(e, dir, "benchmark output"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    Ok(v)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// Prints the table, the thread scaling and the goals.
pub fn print(rows: &[Row], jobs: usize, scaling: Option<(Measured, Measured)>, typst_note: Option<&str>) {
    let secs = |m: &Measured| format!("{:.2} s", m.wall.as_secs_f64());
    println!();
    println!("Whole-process builds (median of the runs; peak = largest resident set of one process):");
    println!(
        "| edition | pages | paiban build | paiban CPU | peak | PDF per page | typst, 1 process at a time | typst, {jobs} at a time | paiban ÷ typst (1 / {jobs}) | typst CPU | typst peak |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for r in rows {
        let (t1, tn, ratio, tcpu, tpeak) = match &r.typst {
            Some((a, b)) => (
                secs(a),
                secs(b),
                format!(
                    "{:.2}× / {:.2}×",
                    r.paiban.wall.as_secs_f64() / a.wall.as_secs_f64(),
                    r.paiban.wall.as_secs_f64() / b.wall.as_secs_f64()
                ),
                format!("{:.2} s", a.cpu.as_secs_f64()),
                format!("{:.0} MB", a.peak_mb.max(b.peak_mb)),
            ),
            None => ("–".into(), "–".into(), "–".into(), "–".into(), "–".into()),
        };
        println!(
            "| {} | {} | {} | {:.2} s | {:.0} MB | {:.0} KB | {t1} | {tn} | {ratio} | {tcpu} | {tpeak} |",
            r.name,
            r.pages,
            secs(&r.paiban),
            r.paiban.cpu.as_secs_f64(),
            r.paiban.peak_mb,
            r.kb_per_page
        );
    }
    if let Some(note) = typst_note {
        println!("(typst columns left out: {note})");
    }
    if let Some((one, two)) = &scaling {
        println!(
            "Synthetic edition, RAYON_NUM_THREADS=1: {} ({:.2} s CPU), =2: {} ({:.2} s CPU); speed-up {:.2}×",
            secs(one),
            one.cpu.as_secs_f64(),
            secs(two),
            two.cpu.as_secs_f64(),
            one.wall.as_secs_f64() / two.wall.as_secs_f64()
        );
        if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
            let load: Vec<&str> = load.split_whitespace().take(3).collect();
            println!(
                "(load average now {}: other processes take cores from the 2-thread run)",
                load.join(" ")
            );
        }
    }
    for r in rows {
        if let Some(own) = r.paiban.typst_own {
            println!(
                "{}: of paiban's {:.2} s CPU, Typst's own layout and PDF export took {:.2} s ({:.0} %); the rest is paiban's planning, rounds, checks, press finishing and files",
                r.name,
                r.paiban.cpu.as_secs_f64(),
                own.as_secs_f64(),
                100.0 * own.as_secs_f64() / r.paiban.cpu.as_secs_f64().max(1e-9)
            );
        }
    }
    println!("Goals:");
    for r in rows {
        if let Some((a, b)) = &r.typst {
            let goal = if r.pages <= FEW_PAGES { GOAL_RATIO_FEW } else { GOAL_RATIO_MANY };
            let ratio = r.paiban.wall.as_secs_f64() / b.wall.as_secs_f64();
            println!(
                "  {}: paiban ÷ plain typst {jobs} at a time {ratio:.2}× (goal ≤ {goal}×): {}",
                r.name,
                verdict(ratio <= goal)
            );
            // The floor: Typst's own layout and PDF export inside paiban,
            // spread over every core with nothing else done. No cut in
            // paiban's own code takes the ratio below it.
            if let Some(own) = r.paiban.typst_own {
                let floor = own.as_secs_f64() / jobs as f64 / b.wall.as_secs_f64();
                println!(
                    "  {}: floor of that ratio, Typst's own layout and PDF export inside paiban ({:.2} s CPU; plain typst's processes: {:.2} s) spread over {jobs} cores with nothing else done: {floor:.2}×{}",
                    r.name,
                    own.as_secs_f64(),
                    a.cpu.as_secs_f64(),
                    if floor > goal { " — above the goal: no cut in paiban's own code can meet it" } else { "" }
                );
            }
            let per_page = |m: &Measured| m.cpu.as_secs_f64() / r.pages.max(1) as f64;
            println!(
                "  {}: CPU per page {:.3} s, plain typst's {:.3} s (goal: below typst's): {}",
                r.name,
                per_page(&r.paiban),
                per_page(a),
                verdict(per_page(&r.paiban) < per_page(a))
            );
        }
        println!(
            "  {}: peak {:.0} MB (goal ≤ {GOAL_PEAK_MB:.0} MB): {}",
            r.name,
            r.paiban.peak_mb,
            verdict(r.paiban.peak_mb <= GOAL_PEAK_MB)
        );
        println!(
            "  {}: {:.0} KB per page (goal ≤ {GOAL_KB_PER_PAGE:.0} KB): {}",
            r.name,
            r.kb_per_page,
            verdict(r.kb_per_page <= GOAL_KB_PER_PAGE)
        );
    }
    if let Some((one, two)) = &scaling {
        let s = one.wall.as_secs_f64() / two.wall.as_secs_f64();
        println!("  2-thread speed-up {s:.2}× (goal ≥ {GOAL_SPEEDUP}×): {}", verdict(s >= GOAL_SPEEDUP));
    }
}
