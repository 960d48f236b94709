//! Progress on long work (`build`, `proof`, `synth` of many issues).
//!
//! One line per issue as it finishes, on stderr, so a 50-page build is
//! never silent for half a minute. On a terminal, and for more than
//! [`BAR_FROM`] issues, an `indicatif` bar stands under those lines;
//! otherwise (a log, CI, a pipe) the lines are plain, `[3/50] …`.
//! `--quiet` prints neither. What a command prints on stdout at the end
//! (the files written) is unchanged.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressStyle};

/// More issues than this get a bar on a terminal.
pub const BAR_FROM: usize = 3;

pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    /// Progress over `total` items; `verb` names the work ("building").
    pub fn new(total: usize, verb: &str, quiet: bool) -> Self {
        let bar = (!quiet && total > BAR_FROM && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total as u64);
            let style = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} issues, {elapsed} (about {eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(verb.to_string());
            bar
        });
        Self { bar, quiet, total, done: AtomicUsize::new(0) }
    }

    /// One item finished: its line, printed now.
    pub fn finished(&self, line: &str) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.quiet {
            return;
        }
        let line = format!("[{n}/{}] {line}", self.total);
        match &self.bar {
            Some(bar) => {
                bar.println(line);
                bar.inc(1);
            }
            None => eprintln!("{line}"),
        }
    }

    /// How many items have finished.
    pub fn count(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
