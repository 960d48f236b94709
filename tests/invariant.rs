//! The page invariant (nothing drawn outside its block), overset on proofs,
//! and the plan preflight, on a test edition paiban was not tuned on
//! (`tests/fixtures/sikai`: 四开, 6 columns of 11 characters).

mod common;

use std::path::PathBuf;

use common::*;
use paiban::compile::{self, LayoutOptions};
use paiban::load;

fn sikai() -> PathBuf {
    root().join("tests/fixtures/sikai")
}

#[test]
fn debug_markers() {
    let ed = load::edition(&sikai(), &root()).unwrap();
    let issue = &ed.issues[0];
    for mark in [false, true] {
        let l = compile::lay_out(project(), issue, LayoutOptions { mark_overset: mark, ..Default::default() }).unwrap();
        for r in &l.scans[0].runs {
            if r.x > 380.0 && r.x < 520.0 && r.y > 900.0 {
                eprintln!("{mark} {:.1} {:.1} {:.1} {}", r.x, r.y, r.size, r.text);
            }
        }
    }
}
