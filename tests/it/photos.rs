//! A photo file named by an article is placed on the page (JPEG and PNG).

use crate::common::*;
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

#[test]
fn supplied_jpeg_and_png_are_placed_instead_of_the_placeholder() {
    let p = TempProject::new();
    for (id, file) in [("chunan", "portrait.png"), ("wuxing", "portrait.jpg")] {
        std::fs::copy(root().join("tests/fixtures").join(file), p.article("1", id).with_file_name(file))
            .unwrap();
        p.edit(&format!("content/ed/1/articles/{id}.md"), |t| {
            t.replacen("caption = \"\"", &format!("file = \"{file}\"\ncaption = \"\""), 1)
        });
    }
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap();
    assert_eq!(laid.scans[0].images, 2);
    let text: String = laid.scans[0].runs.iter().map(|r| r.text.as_str()).collect();
    assert!(
        !text.contains("chunan-portrait") && text.contains("yinzhou-portrait"),
        "placeholder labels only where no file"
    );
    // And the CLI puts them in the PDF.
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap();
    let images = pdf.windows(b"/Subtype /Image".len()).filter(|w| *w == b"/Subtype /Image").count()
        + pdf.windows(b"/Subtype/Image".len()).filter(|w| *w == b"/Subtype/Image").count();
    assert!(images >= 2, "{images} image XObjects");
}
