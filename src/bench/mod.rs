//! Benchmarks: the synthetic edition, whole-process builds against plain
//! typst, and the measurement of child processes.

pub mod builds;
pub mod measure;
pub mod synth;
