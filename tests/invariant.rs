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
fn debug_glyph() {
    let ed = load::edition(&sikai(), &root()).unwrap();
    let issue = &ed.issues[0];
    let l = compile::lay_out(project(), issue, LayoutOptions::default()).unwrap();
    for r in &l.scans[0].runs {
        if r.text.contains('员') && r.y > 650.0 && r.y < 690.0 {
            eprintln!("{:.2} {:.2} {} {} {} {:?}", r.x, r.y, r.size, r.family, r.text, r.glyphs.iter().map(|g| (g.0, g.1)).collect::<Vec<_>>());
        }
    }
    for m in paiban::invariant::ink(&l.doc.pages()[0]) {
        if let paiban::invariant::What::Glyph(t) = &m.what { if t == "员" && m.baseline > 650.0 && m.baseline < 690.0 { eprintln!("{:?}", m.bbox); } }
    }
}
