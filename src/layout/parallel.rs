//! Issues in parallel, a fixed number at a time.
//!
//! Not rayon's `par_iter`: Typst uses rayon inside a layout, and a rayon
//! worker that waits for that work runs other queued jobs meanwhile, so it
//! would begin the next issue, and the next, before finishing any: all 100
//! issues of an edition in memory at once (about 6 MB each). Plain threads,
//! each taking the next issue when done, hold only as many as there are
//! threads. The thread count is rayon's, so `RAYON_NUM_THREADS` sets it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on `rayon::current_num_threads()` threads;
/// the results in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                }
            });
        }
    });
    // Every index below len was taken by exactly one thread and filled, or
    // the scope would have propagated that thread's panic.
    results.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_covers_every_item() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(super::map(&items, |x| x * 2), items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u32], |x| *x).is_empty());
    }
}
