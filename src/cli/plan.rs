//! `paiban plan`: the page plan of an issue made from its articles
//! (`autoplan`), written as a complete issue.toml; with `--candidates N`,
//! N ranked plans and a contact sheet of their proofs.

use std::path::PathBuf;

use clap::Args;

use crate::cli::args::ProjectArgs;
use crate::autoplan::{self, sheet, write};
use crate::typeset::project::Project;
use crate::error::{self, Error, Kind, Result, exit};
use crate::output;

#[derive(Debug, Args)]
#[command(after_help = "Exit codes: 0 ok; 2 bad input, or no plan holds the copy (overset) or keeps every element in its block; 3 internal error.")]
pub struct PlanArgs {
    /// The edition folder (holds edition.toml).
    pub edition: PathBuf,
    /// The issue to plan (its id from issue.toml). Its [[place]] tables are ignored.
    #[arg(long = "issue", value_name = "ID")]
    pub issue: String,
    /// Write the best plan's issue.toml here (default: print it).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Lay out and rank this many plans, and write each with its proof and
    /// a contact sheet (index.html) into --sheet.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub candidates: usize,
    /// Folder for the candidates' plans, proofs and contact sheet.
    #[arg(long, default_value = "plans", value_name = "DIR")]
    pub sheet: PathBuf,
    /// Resolution of the candidates' proofs.
    #[arg(long, default_value_t = 50.0)]
    pub dpi: f64,
    /// Print one JSON document on stdout (README "JSON output"); errors too.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub project: ProjectArgs,
    /// No report on stderr (warnings and errors are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: &PlanArgs) -> Result<i32> {
    if !(1..=12).contains(&args.candidates) {
        return Err(Error::input(format!("--candidates {} is out of range", args.candidates))
            .hint("ask for 1 to 12 plans; each is laid out, about half a second a page"));
    }
    if !(10.0..=300.0).contains(&args.dpi) {
        return Err(Error::input(format!("--dpi {} is out of range", args.dpi)).hint("use 10 to 300; 50 suits a contact sheet"));
    }
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let outcome = autoplan::plan(&project, &args.edition, &args.issue, args.candidates)?;
    let n = outcome.candidates.len();
    let best = &outcome.candidates[0];
    // A plan that cannot hold the copy, or draws outside a block, is no plan.
    if !best.laid.overset.is_empty() {
        return Err(crate::layout::rounds::overset_error(&best.issue, &best.laid.overset)
            .hint("no arrangement of the page holds all the copy: cut it (the message says how much), or give the issue another page"));
    }
    if !best.strays.is_empty() {
        return Err(Error::input(format!("issue `{}`: the best plan draws {} element(s) outside their block", outcome.id, best.strays.len()))
            .with_kind(Kind::Input)
            .in_file(outcome.dir.join("issue.toml"))
            .detail(best.strays.join("\n"))
            .hint("a head or photo too wide for every span the article may take: set min_span in its front matter"));
    }
    let texts: Vec<String> = outcome
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| write::issue_toml(&outcome.text, &c.placements, &format!("candidate {} of {n}", i + 1), &c.score))
        .collect::<Result<_>>()?;
    let mut warnings = Vec::new();
    if !best.clean() {
        let broken: Vec<String> = best
            .score
            .rules
            .iter()
            .filter(|r| autoplan::score::HARD.contains(&r.rule) && r.count > 0)
            .flat_map(|r| r.detail.iter().map(move |d| format!("{}: {d}", r.rule)))
            .collect();
        let mut w = format!(
            "warning: issue `{}`: no plan found keeps every desk rule; the best breaks: {}",
            outcome.id,
            broken.join("; ")
        );
        if best.score.rule("heads-side-by-side").count > 0
            && let Some(why) = &outcome.heads_apart_impossible
        {
            w.push_str(&format!("\n  no arrangement of this page keeps heads apart: {why}"));
        }
        warnings.push(w);
    }
    if !args.quiet {
        eprintln!(
            "plan {}: {} article(s), {} finalist(s) laid out, {} search(es) in {} ms, {} ms in all",
            outcome.id,
            outcome.pieces.len(),
            outcome.tried,
            outcome.searches,
            outcome.search_millis,
            outcome.millis
        );
        for (i, c) in outcome.candidates.iter().enumerate() {
            eprintln!(
                "  #{}: score {} — {}; {:.1} % covered; {} layout(s), {} ms{}",
                i + 1,
                c.score.total,
                c.score.summary(),
                c.score.coverage * 100.0,
                c.layouts,
                c.millis,
                if c.copyfit.is_empty() { String::new() } else { format!("; copyfit: {}", c.copyfit.join("; ")) }
            );
        }
    }
    for w in &warnings {
        eprintln!("{w}");
    }
    let mut files = Vec::new();
    match &args.out {
        Some(path) => {
            output::files::write_atomic(path, texts[0].as_bytes())?;
            files.push(path.display().to_string());
        }
        None if !args.json => print!("{}", texts[0]),
        None => {}
    }
    if args.candidates > 1 {
        std::fs::create_dir_all(&args.sheet).map_err(|e| Error::io(e, &args.sheet, "contact sheet folder"))?;
        let mut cards = Vec::new();
        for (i, (c, text)) in outcome.candidates.iter().zip(&texts).enumerate() {
            let toml = format!("{}.plan-{}.toml", outcome.id, i + 1);
            let png = format!("{}.plan-{}.png", outcome.id, i + 1);
            output::files::write_atomic(&args.sheet.join(&toml), text.as_bytes())?;
            let page = c.laid.doc.pages().first().ok_or_else(|| Error::internal("a laid-out plan has no page"))?;
            output::files::write_atomic(&args.sheet.join(&png), &output::files::png(page, args.dpi)?)?;
            let blocks = c
                .issue
                .file
                .place
                .iter()
                .map(|p| {
                    let r = c.laid.grid.rect(p).to_mm();
                    let kind = c.issue.article(&p.article).map_or("", |a| a.meta.kind.name());
                    (p.article.clone(), kind, [r.x, r.y, r.w, r.h])
                })
                .collect();
            cards.push(sheet::Card {
                rank: i + 1,
                toml,
                png,
                total: c.score.total,
                clean: c.clean(),
                coverage: c.score.coverage,
                rules: &c.score.rules,
                copyfit: &c.copyfit,
                blocks,
                layouts: c.layouts,
                millis: c.millis,
            });
        }
        let g = &best.laid.grid;
        let dirs: Vec<PathBuf> =
            std::iter::once(project.root.join("fonts")).chain(args.project.fonts.font_paths.iter().cloned()).collect();
        let index = sheet::write(&args.sheet, &outcome.id, (crate::plan::grid::mm(g.width), crate::plan::grid::mm(g.height)), &cards, &dirs)?;
        files.push(index.display().to_string());
        if !args.json {
            println!("{} candidate(s) and contact sheet → {}", n, index.display());
        }
    }
    if args.json {
        let fields = serde_json::json!({
            "issue": outcome.id,
            "files": files,
            "candidates": outcome.candidates.iter().map(|c| serde_json::json!({
                "clean": c.clean(),
                "score": c.score,
                "place": c.placements,
                "copyfit": c.copyfit,
                "layouts": c.layouts,
                "millis": c.millis,
            })).collect::<Vec<_>>(),
            "plan": if args.out.is_none() { Some(&texts[0]) } else { None },
        });
        let warnings = warnings.iter().map(|w| error::json_warning(w, None)).collect();
        println!("{}", error::json_document("plan", true, fields, warnings, None));
    }
    Ok(exit::OK)
}
