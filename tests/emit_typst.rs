//! `build --emit-typst`: the exported Typst project compiles, on its own,
//! into the very PDF paiban built.

mod common;

use std::sync::Arc;

use common::*;
use paiban::typeset::world::PaibanWorld;
use typst::foundations::Datetime;

#[test]
fn the_exported_project_compiles_to_the_same_pdf() {
    let out = tempfile::tempdir().unwrap();
    let emit = out.path().join("typst");
    let o = paiban(
        &[
            "build",
            "content/xinchun-2018",
            "--out",
            out.path().to_str().unwrap(),
            "--emit-typst",
            emit.to_str().unwrap(),
        ],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["layouts/page.typ", "xinchun-1.typ", "xinchun-1.json", "xinchun-2.typ", "README.md"] {
        assert!(emit.join(f).is_file(), "{f} missing");
    }
    let fonts = Arc::clone(&project().fonts);
    let world = PaibanWorld::project_file(
        emit.canonicalize().unwrap(),
        fonts,
        "/xinchun-1.typ",
        Datetime::from_ymd(2018, 2, 13).unwrap(),
    );
    let doc =
        typst::compile::<typst_layout::PagedDocument>(&world).output.expect("the emitted project compiles");
    // The built PDF is typst-pdf's, finished for the press.
    let issue = &edition().issues[0];
    let pdf = paiban::output::files::pdf(&doc, "paiban/新春微访谈/xinchun-1", (2018, 2, 13), issue.press.standard).unwrap();
    let meta = paiban::press::finish::Meta {
        title: &issue.file.title,
        date: issue.ymd(),
        ident: "paiban/新春微访谈/xinchun-1",
    };
    let pdf = paiban::press::finish::finish(&pdf, &issue.press, &meta).unwrap();
    assert!(pdf == std::fs::read(out.path().join("xinchun-1.pdf")).unwrap(), "same bytes as the built PDF");
}
