//! Runs child processes for `paiban bench` and measures them: wall time
//! and each child's peak resident memory, from the rusage `wait4` returns
//! (the figure `/usr/bin/time` reports as maximum resident set size).

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// What a batch of processes took.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// The largest peak resident memory of any one process, in MB.
    pub peak_mb: f64,
    /// CPU time (user + system) of all the processes: unlike the wall time,
    /// it does not depend on what else the machine is running.
    pub cpu: Duration,
    /// For a `paiban build`: the CPU its threads spent inside Typst's own
    /// calls (layout and PDF export, `typeset::cost`), the part plain typst
    /// does too.
    pub typst_own: Option<Duration>,
}

/// Runs `commands`, at most `jobs` at a time, each with stdout discarded and
/// stderr kept in `logs/<n>.txt` (shown if it fails).
pub fn run(commands: Vec<Command>, jobs: usize, logs: &Path) -> Result<Measured> {
    std::fs::create_dir_all(logs).map_err(|e| Error::io(e, logs, "benchmark folder"))?;
    let start = Instant::now();
    let mut waiting = commands.into_iter().enumerate();
    let mut running: HashMap<i32, (usize, String)> = HashMap::new();
    let mut peak_kb: i64 = 0;
    let mut cpu = Duration::ZERO;
    loop {
        while running.len() < jobs.max(1) {
            let Some((n, mut cmd)) = waiting.next() else { break };
            let log = logs.join(format!("{n}.txt"));
            let file = File::create(&log).map_err(|e| Error::io(e, &log, "benchmark log"))?;
            let what = format!("{cmd:?}");
            let child = cmd
                .stdout(Stdio::null())
                .stderr(file)
                .spawn()
                .map_err(|e| Error::internal(format!("could not start {what}: {e}")))?;
            running.insert(child.id() as i32, (n, what));
        }
        if running.is_empty() {
            break;
        }
        let mut status = 0;
        // SAFETY: wait4 writes only into the two out-parameters it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = unsafe { libc::wait4(-1, &mut status, 0, &mut usage) };
        if pid < 0 {
            return Err(Error::internal(format!("wait4: {}", std::io::Error::last_os_error())));
        }
        let Some((n, what)) = running.remove(&pid) else { continue };
        peak_kb = peak_kb.max(usage.ru_maxrss);
        let tv =
            |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
        cpu += tv(usage.ru_utime) + tv(usage.ru_stime);
        if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
            let log = std::fs::read_to_string(logs.join(format!("{n}.txt"))).unwrap_or_default();
            return Err(Error::internal(format!("{what} failed (status {status}):\n{log}")));
        }
    }
    Ok(Measured { wall: start.elapsed(), peak_mb: peak_kb as f64 / 1024.0, cpu, typst_own: None })
}

/// The median wall and CPU time of `runs` batches and the largest peak of any.
pub fn median_of(runs: usize, mut batch: impl FnMut() -> Result<Measured>) -> Result<Measured> {
    let all = (0..runs.max(1)).map(|_| batch()).collect::<Result<Vec<_>>>()?;
    Ok(median(&all))
}

/// The median wall and CPU time of measurements and the largest peak.
pub fn median(all: &[Measured]) -> Measured {
    let mid = |mut v: Vec<Duration>| {
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    };
    Measured {
        wall: mid(all.iter().map(|m| m.wall).collect()),
        cpu: mid(all.iter().map(|m| m.cpu).collect()),
        peak_mb: all.iter().map(|m| m.peak_mb).fold(0.0, f64::max),
        typst_own: {
            let own: Vec<Duration> = all.iter().filter_map(|m| m.typst_own).collect();
            (!own.is_empty()).then(|| mid(own))
        },
    }
}

/// An executable named `name` on PATH, if any.
pub fn on_path(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(name)).find(|p| p.is_file())
}
