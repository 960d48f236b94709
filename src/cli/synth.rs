//! `paiban synth`: a synthetic edition of placeholder pages (see `synth`).

use crate::bench::synth;
use crate::cli::args::SynthArgs;
use crate::cli::progress::Progress;
use crate::error::{Result, exit};
use crate::typeset::project::Project;

pub fn run(args: &SynthArgs) -> Result<i32> {
    let project = Project::open(&args.project.root, &args.project.fonts.options())?;
    let articles = synth::write(&args.out, args.pages, args.seed)?;
    // One issue per page.
    let progress = Progress::new(args.pages as usize, "sizing copy", args.quiet);
    synth::fit(&project, &args.out, &|line| progress.finished(line))?;
    println!(
        "wrote {} synthetic page(s), {articles} articles of placeholder copy sized to fit, to {}",
        args.pages,
        args.out.display()
    );
    Ok(exit::OK)
}
