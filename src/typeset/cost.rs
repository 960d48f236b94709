//! What Typst's own work costs inside paiban: the CPU time of the threads
//! that ran `typst::compile` and `typst_pdf::pdf`, summed over a process.
//!
//! `paiban bench` compares a `paiban build` with plain `typst compile` of
//! the same emitted pages. Everything paiban does beyond those two calls
//! (planning, the rounds, the checks, press finishing, the preflight, the
//! page map and dump) is what the comparison can cut; the two calls
//! themselves are the floor no change to paiban's own code goes below. A
//! build asked to by the benchmark (`PAIBAN_COST_FILE`, below) writes the
//! two totals to that file when it ends.
//!
//! The time is the calling thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`).
//! Typst 0.15 does nearly all of a one-page document's work on the thread
//! that called it (issue xinchun-1: 0.34 s of thread CPU in a 0.37 s call,
//! equal with `RAYON_NUM_THREADS=1`). What it hands to rayon's workers is
//! not counted, so the share, and the floor the benchmark draws from it,
//! are if anything low: a goal under the floor is out of reach all the
//! more.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The environment variable naming the file a build writes its totals to.
pub const COST_FILE: &str = "PAIBAN_COST_FILE";

static LAYOUT_NS: AtomicU64 = AtomicU64::new(0);
static PDF_NS: AtomicU64 = AtomicU64::new(0);

/// Which of Typst's calls.
#[derive(Debug, Clone, Copy)]
pub enum Call {
    /// `typst::compile`: evaluation and layout.
    Layout,
    /// `typst_pdf::pdf`: PDF export.
    Pdf,
}

/// Runs `f`, adding the CPU time it took on this thread to `call`'s total.
pub fn timed<R>(call: Call, f: impl FnOnce() -> R) -> R {
    let start = thread_cpu();
    let r = f();
    let ns = thread_cpu().saturating_sub(start).as_nanos() as u64;
    match call {
        Call::Layout => LAYOUT_NS.fetch_add(ns, Ordering::Relaxed),
        Call::Pdf => PDF_NS.fetch_add(ns, Ordering::Relaxed),
    };
    r
}

/// The totals so far: (Typst layout, PDF export).
pub fn totals() -> (Duration, Duration) {
    (Duration::from_nanos(LAYOUT_NS.load(Ordering::Relaxed)), Duration::from_nanos(PDF_NS.load(Ordering::Relaxed)))
}

/// Writes the totals as `layout_s pdf_s` to the file `PAIBAN_COST_FILE`
/// names, if it is set (the benchmark's builds only).
pub fn write_if_asked() {
    if let Some(path) = std::env::var_os(COST_FILE) {
        let (layout, pdf) = totals();
        let _ = std::fs::write(path, format!("{:.6} {:.6}\n", layout.as_secs_f64(), pdf.as_secs_f64()));
    }
}

/// Reads what [`write_if_asked`] wrote: Typst layout plus PDF export.
pub fn read(path: &std::path::Path) -> Option<Duration> {
    let text = std::fs::read_to_string(path).ok()?;
    let secs: Option<Vec<f64>> = text.split_whitespace().map(|s| s.parse().ok()).collect();
    Some(Duration::from_secs_f64(secs?.iter().sum()))
}

#[cfg(unix)]
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes only into the timespec it is given.
    if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu() -> Duration {
    Duration::ZERO
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_cpu_a_call_spends_on_its_thread() {
        let (before, _) = totals();
        let spun = timed(Call::Layout, || {
            let t = std::time::Instant::now();
            let mut x = 0u64;
            while t.elapsed() < Duration::from_millis(30) {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            }
            x
        });
        std::hint::black_box(spun);
        let (after, _) = totals();
        // Busy for 30 ms of wall time: most of it on the CPU, even on a
        // loaded machine; sleeping would not count.
        assert!(after - before >= Duration::from_millis(5), "{:?}", after - before);
        // The clock is the thread's CPU, not the wall: a sleep adds nothing.
        let t = thread_cpu();
        std::thread::sleep(Duration::from_millis(30));
        assert!(thread_cpu() - t < Duration::from_millis(10), "a sleep is not CPU time");
    }
}
