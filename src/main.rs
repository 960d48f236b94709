#![allow(clippy::result_large_err)]

use std::process::ExitCode;

use clap::Parser;
use paiban::cli;
use paiban::cli::args::{Cli, Command};
use paiban::error::{self, Error, exit};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Under --json, errors are a JSON document on stdout as well, with the
    // same exit code (README "JSON output").
    let json = cli.command.json();
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Bench(a) => cli::bench::run(a),
        Command::Build(a) => cli::build::run(a),
        Command::Check(a) => cli::check::run(a),
        Command::Lint(a) => cli::lint::run(a),
        Command::Proof(a) => cli::proof::run(a),
        Command::Watch(a) => cli::watch::run(a),
        Command::Fonts(a) => cli::fonts::run(a),
        Command::Diff(a) => cli::diff::run(a),
        Command::Snapshot(a) => cli::snapshot::run(a),
        Command::Synth(a) => cli::synth::run(a),
        Command::Preflight(a) => cli::preflight::run(a),
        Command::Plan(a) => cli::plan::run(a),
    });
    let code = match result {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("{}", e.render());
            if let Some(command) = json {
                println!("{}", error::json_document(command, false, serde_json::json!({}), Vec::new(), Some(&e)));
            }
            e.exit_code()
        }
        // A panic is a bug in paiban (or typst): say so, with the exit code for it.
        Err(_) => {
            let e = Error::internal("paiban panicked; please report this with the input that caused it");
            eprintln!("{e}");
            if let Some(command) = json {
                println!("{}", error::json_document(command, false, serde_json::json!({}), Vec::new(), Some(&e)));
            }
            exit::INTERNAL
        }
    };
    ExitCode::from(code as u8)
}
