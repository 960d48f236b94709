//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const EXIT_CODES: &str = "Exit codes: 0 ok; 1 warnings treated as errors; 2 bad input, overset text or a refused --final build; 3 internal error.";

#[derive(Debug, Parser)]
#[command(name = "paiban", version, about = "排版 — lays out Chinese newspaper pages from article data", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build print PDFs (and page maps) of every issue of an edition.
    Build(BuildArgs),
    /// Lay out without writing PDFs and report how each article fits its block.
    Check(CheckArgs),
    /// Check content for half-width punctuation, straight quotes, unbalanced
    /// quotes, doubled marks and spaces between Chinese characters.
    Lint(LintArgs),
    /// Render PNG proofs of each issue's page.
    Proof(ProofArgs),
    /// Proof once, then re-proof the affected issue on every save in the
    /// edition or layouts/.
    Watch(WatchArgs),
    /// Print timing and memory figures for an edition (a benchmark, not a test).
    Bench(BenchArgs),
    /// List the font families paiban can use and the file each comes from.
    Fonts(FontsArgs),
    /// Compare two builds page by page: pixels changed, by article, and
    /// what changed in the text and geometry.
    Diff(DiffArgs),
    /// Check pages against reference snapshots, and review pending ones.
    Snapshot(SnapshotArgs),
    /// Write a synthetic edition of placeholder pages (for benchmarks and tests).
    Synth(SynthArgs),
    /// Check written PDFs as the printing plant's preflight would: PDF/X
    /// structure, colour, plates, ink limit, overprint, photo resolution.
    Preflight(PreflightArgs),
    /// Plan an issue's page from its articles: every article placed on the
    /// grid by the desk's rules, written as a complete issue.toml.
    Plan(crate::cli::plan::PlanArgs),
}

/// Where the project is and which fonts it may use.
#[derive(Debug, Clone, Args)]
pub struct ProjectArgs {
    /// Project root: holds layouts/ and fonts/; templates and content may read
    /// only inside it.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    #[command(flatten)]
    pub fonts: FontArgs,
}

#[derive(Debug, Clone, Args)]
pub struct FontArgs {
    /// Also use fonts from this directory (repeatable). fonts/ is always used.
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
    /// Also use the system's fonts (off by default so output never depends on the machine).
    #[arg(long)]
    pub system_fonts: bool,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct BuildArgs {
    /// The edition folder (holds edition.toml), e.g. content/xinchun-2018.
    pub edition: PathBuf,
    /// Output folder for <issue>.pdf and <issue>.map.json.
    #[arg(long, short, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// Build only this issue (its id from issue.toml); repeatable.
    #[arg(long = "issue", value_name = "ID")]
    pub issues: Vec<String>,
    /// A print PDF for the press: refuse if any block holds placeholder copy.
    #[arg(long = "final")]
    pub final_: bool,
    /// Build even if text is overset, marking each overset block with a red
    /// sign at its foot (for a proof; never for the press).
    #[arg(long)]
    pub allow_overset: bool,
    /// Also write a self-contained Typst project (layouts, data and one main
    /// file per issue) that plain `typst compile` turns into the same pages.
    #[arg(long, value_name = "DIR")]
    pub emit_typst: Option<PathBuf>,
    /// Fit overset and underfull articles by the smallest accepted change
    /// (head or photo lines, a block edge moved by whole lines; never the
    /// text, the leading or the grid) and report each change.
    #[arg(long)]
    pub copyfit: bool,
    /// Treat lint warnings and typography rule breaks (line-start, line-end,
    /// 孤字, split numbers or dashes) as errors (exit code 1). Lines off the
    /// character cells or letter-spaced are reported, not denied.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// No progress lines or bar (warnings and errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

const LINT_HELP: &str = "Straight quotes (\" and ') typed in printed text are paired within their paragraph or field and printed as “” ‘’: the build converts them and warns for each (file:line:col); --fix writes them into the files. One no rule can pair (unpaired, or nothing beside it to tell opening from closing) is printed as typed, reported, and refused by build --final. An apostrophe inside a Latin word (don't, 90's) is not a quote and is left alone. A space typed between two Chinese characters or marks is not printed; a full-width space (U+3000) is kept as typed.\n\nExit codes: 0 ok; 1 warnings treated as errors; 2 bad input; 3 internal error.";

#[derive(Debug, Args)]
#[command(after_help = LINT_HELP)]
pub struct LintArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// Rewrite the article files in place (atomically) with the straight
    /// quotes paired as “” ‘’; the ones no rule can pair are left and reported.
    #[arg(long)]
    pub fix: bool,
    /// Exit with code 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

const PREFLIGHT_EXIT_CODES: &str =
    "Exit codes: 0 every rule passed or warned; 2 a rule failed, or bad input; 3 internal error.";

#[derive(Debug, Args)]
#[command(after_help = PREFLIGHT_EXIT_CODES)]
pub struct PreflightArgs {
    /// An edition folder (holds edition.toml: each issue's <id>.pdf in --out
    /// is checked with the issue's [press] settings), or PDF files (checked
    /// with the settings given here).
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<PathBuf>,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    /// Check only this issue (its id) of an edition; repeatable.
    #[arg(long = "issue", value_name = "ID")]
    pub issues: Vec<String>,
    /// The build folder holding <issue>.pdf and <issue>.map.json (for an edition).
    #[arg(long, short, default_value = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// For PDF files: the PDF/X standard (pdf/x-1a or pdf/x-4).
    #[arg(long, value_parser = ["pdf/x-1a", "pdf/x-4"], value_name = "STANDARD")]
    pub standard: Option<String>,
    /// For PDF files: the plates (mono or cmyk).
    #[arg(long, value_parser = ["mono", "cmyk"], value_name = "MODE")]
    pub colour: Option<String>,
    /// For PDF files: the total ink limit in per cent (C+M+Y+K).
    #[arg(long, value_name = "N")]
    pub ink_limit: Option<f64>,
    /// For PDF files: photos below this effective resolution warn.
    #[arg(long, value_name = "N")]
    pub min_ppi: Option<f64>,
    /// For PDF files: the plant's output condition (OutputConditionIdentifier).
    #[arg(long, value_name = "NAME")]
    pub output_condition: Option<String>,
    /// Project root (for an edition): its [press] profile paths resolve inside it.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct SynthArgs {
    /// A new or empty folder for the edition (edition.toml and one folder per issue).
    pub out: PathBuf,
    /// Number of issues (one page each).
    #[arg(long, default_value_t = 100)]
    pub pages: u32,
    /// Varies the page plans and the copy; the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// No progress lines or bar (warnings and errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct FontsArgs {
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Each role's coverage of GB 2312, GBK and the 通用规范汉字表: counts,
    /// percentages and the first characters missing.
    #[arg(long)]
    pub coverage: bool,
}

impl Command {
    /// The command's name, and whether it was given `--json`: then its
    /// errors are printed as JSON on stdout too.
    pub fn json(&self) -> Option<&'static str> {
        match self {
            Command::Build(a) => a.json.then_some("build"),
            Command::Check(a) => a.json.then_some("check"),
            Command::Lint(a) => a.json.then_some("lint"),
            Command::Diff(a) => a.json.then_some("diff"),
            Command::Preflight(a) => a.json.then_some("preflight"),
            Command::Plan(a) => a.json.then_some("plan"),
            Command::Snapshot(a) => match &a.action {
                SnapshotAction::Check(c) => c.json.then_some("snapshot"),
                SnapshotAction::Review(_) => None,
            },
            _ => None,
        }
    }
}

impl FontArgs {
    pub fn options(&self) -> crate::typeset::fonts::FontOptions {
        crate::typeset::fonts::FontOptions { paths: self.font_paths.clone(), system: self.system_fonts }
    }
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct ProofArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// Output folder for <issue>-p<N>.png (and index.html).
    #[arg(long, short, default_value = "proofs", value_name = "DIR")]
    pub out: PathBuf,
    /// Proof only this issue (its id); repeatable.
    #[arg(long = "issue", value_name = "ID")]
    pub issues: Vec<String>,
    #[command(flatten)]
    pub look: crate::output::proof::ProofLook,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// No progress lines or bar (warnings and errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct WatchArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// Output folder for the proofs (kept at the last good build when an
    /// edit breaks).
    #[arg(long, short, default_value = "proofs", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub look: crate::output::proof::ProofLook,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct CheckArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// Print the fit report as one JSON document (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    /// Also measure typography: baselines on the grid, glyphs on the
    /// character cells, line-start/line-end rules, 孤字.
    #[arg(long)]
    pub typography: bool,
    /// Propose, for each overset or underfull article, the smallest change
    /// that makes it fit.
    #[arg(long)]
    pub fit: bool,
    /// Check only this issue (its id); repeatable.
    #[arg(long = "issue", value_name = "ID")]
    pub issues: Vec<String>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES)]
pub struct BenchArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// Repetitions of each in-process measurement (the median is printed).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Whole-process builds per figure in the table (the median is printed).
    #[arg(long, default_value_t = 3)]
    pub builds: usize,
    /// Also benchmark a synthetic edition of this many pages (`paiban
    /// synth`); 0 leaves it out.
    #[arg(long, default_value_t = 100)]
    pub synth_pages: u32,
    /// Seed of the synthetic edition.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The typst binary to compare with (default: `typst` on PATH; the
    /// column is left out with a note when there is none).
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,
    #[command(flatten)]
    pub project: ProjectArgs,
}

const DIFF_EXIT_CODES: &str =
    "Exit codes: 0 identical within tolerance; 1 changed; 2 bad input; 3 internal error.";

#[derive(Debug, Args)]
#[command(after_help = DIFF_EXIT_CODES)]
pub struct DiffArgs {
    /// OLD: a PDF, a folder written by `paiban build --out`, or (with
    /// --against) the edition folder to build at both revisions.
    pub old: PathBuf,
    /// NEW: a PDF or a build folder, of the same kind as OLD.
    pub new: Option<PathBuf>,
    /// Compare the edition as it is with the edition at another revision of
    /// content/ and layouts/: `git:REV` (e.g. git:HEAD, git:main~1).
    #[arg(long, value_name = "git:REV")]
    pub against: Option<String>,
    /// Resolution of the page images compared.
    #[arg(long, default_value_t = 72.0)]
    pub dpi: f64,
    /// DELTA[,SHARE]: a pixel changed when a colour channel differs by more
    /// than DELTA (0–255); a page is identical when at most SHARE per cent of
    /// its pixels changed. Exact by default.
    #[arg(long, default_value = "0,0", value_name = "DELTA[,SHARE]")]
    pub tolerance: String,
    /// A rectangle to ignore, X,Y,W,H in mm from the page's top left (e.g. a
    /// date); repeatable.
    #[arg(long = "mask", value_name = "X,Y,W,H")]
    pub masks: Vec<String>,
    /// Write per changed page old, new and diff images and index.html here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub action: SnapshotAction,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotAction {
    /// Render every page of an edition and compare it with its snapshot;
    /// a page that differs leaves pending files beside its reference.
    Check(SnapshotCheckArgs),
    /// Show pending snapshots and accept or reject each.
    Review(SnapshotReviewArgs),
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 every page matches; 1 pending snapshots written; 2 bad input; 3 internal error."
)]
pub struct SnapshotCheckArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// The snapshot folder.
    #[arg(long, default_value = "tests/snapshots", value_name = "DIR")]
    pub dir: PathBuf,
    /// Write the pages as the references (no pending files).
    #[arg(long)]
    pub bless: bool,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 nothing left pending; 1 pending snapshots remain; 2 bad input; 3 internal error."
)]
pub struct SnapshotReviewArgs {
    /// The snapshot folder.
    #[arg(long, default_value = "tests/snapshots", value_name = "DIR")]
    pub dir: PathBuf,
    /// Accept every pending snapshot without asking.
    #[arg(long, conflicts_with = "reject")]
    pub bless: bool,
    /// Reject (delete) every pending snapshot without asking.
    #[arg(long)]
    pub reject: bool,
}
