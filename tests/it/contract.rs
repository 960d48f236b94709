//! One contract between Rust and `layouts/`: each value is defined once.
//! The house style (faces, byline and header wording, 小标题 size) lives in
//! `layouts/style.typ` and the Rust side reads it; the grid's values (line
//! box ascent, indent, 编者按 lead-in) come from Rust in the data. So a
//! designer restyles in `layouts/` alone and the checks keep working.

use crate::common::*;
use paiban::check::typography::{self, Rule, TypoReport};
use paiban::content::model::{BylinePosition, Credit};
use paiban::layout::heads;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

fn lay_out_issue_1(p: &TempProject) -> Laid {
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap()
}

fn checked(laid: &Laid) -> TypoReport {
    let mut r = TypoReport::default();
    typography::check(laid, &mut r);
    r
}

/// Body-size runs of `size` (in cells) on the page.
fn runs_of_size(laid: &Laid, cells: f64) -> usize {
    laid.scans[0].runs.iter().filter(|r| (r.size - cells * laid.grid.cell).abs() < 0.01).count()
}

#[test]
fn the_house_style_is_read_from_layouts() {
    let style = &project().house;
    assert_eq!(style.fonts.song[0], "Noto Serif CJK SC");
    assert_eq!(style.fonts.kai[0], "Paiban WenKai");
    let c = vec![
        Credit { role: "记者".into(), name: "洪茵婷".into() },
        Credit { role: "通讯员".into(), name: "李虹".into() },
    ];
    assert_eq!(style.byline_text(&c, BylinePosition::Head), "■记者洪茵婷 通讯员李虹");
    assert_eq!(style.byline_text(&c, BylinePosition::End), "记者洪茵婷　通讯员李虹");
    assert_eq!(style.byline_text(&[], BylinePosition::Head), "");
}

#[test]
fn a_designer_restyles_in_layouts_alone_and_the_checks_still_work() {
    let stock = TempProject::new();
    let p = TempProject::new();
    // A larger 小标题, a larger story headline, another byline mark: edits to
    // layouts/ only.
    p.edit("layouts/style.typ", |t| {
        assert!(t.contains("story: 26,"), "the story head's size moved");
        t.replace("subhead-size: 1.1,", "subhead-size: 1.3,")
            .replace("head-mark: \"■\"", "head-mark: \"●\"")
            .replace("story: 26,", "story: 30,")
    });
    let (before, after) = (lay_out_issue_1(&stock), lay_out_issue_1(&p));
    // The edits took: the 小标题 are set at 1.3 cells, no longer at 1.1.
    assert!(runs_of_size(&before, 1.1) >= 2 && runs_of_size(&before, 1.3) == 0);
    assert!(runs_of_size(&after, 1.3) >= 2 && runs_of_size(&after, 1.1) == 0);
    for laid in [&before, &after] {
        let r = checked(laid);
        // 背题: both 小标题 of guali are found and checked, whatever their size.
        assert_eq!(r.subheads, 2, "{}", r.summary());
        assert_eq!(r.count(Rule::SubheadAtFoot), 0, "{:?}", r.violations);
        // The baseline check still measures every body line, all on the grid,
        // and every body still starts on a grid line under the taller head.
        assert!(r.lines > 400, "{}", r.summary());
        assert_eq!(r.lines_on_baseline_grid, r.lines, "{}", r.summary());
        assert!(laid.fits.iter().all(|f| f.on_grid), "{:?}", laid.fits);
    }
    // The byline prints in the new wording, and the head check reads it as
    // printed (its source is the same wording): no false word split.
    let byline =
        heads::head_texts(&after).into_iter().find(|h| h.article == "chunan" && h.role == "byline").unwrap();
    assert_eq!(byline.source, "●记者洪茵婷 通讯员李虹");
    assert_eq!(
        squash(&byline.lines.iter().map(|l| l.text.as_str()).collect::<String>()),
        squash(&byline.source)
    );
    assert_eq!(checked(&after).count(Rule::HeadWordSplit), checked(&before).count(Rule::HeadWordSplit));
}

#[test]
fn the_grid_values_come_from_rust_in_the_data() {
    // The line box's ascent and the indent are Rust's (the grid), passed to
    // the layouts, which repeat neither.
    let layouts = root().join("layouts");
    for e in std::fs::read_dir(&layouts).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "typ") {
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in ["0.88", "-0.12em", "amount: 2em", "\"编者按"] {
                assert!(!text.contains(literal), "{} repeats `{literal}`", path.display());
            }
        }
    }
    let laid = &laid()[0];
    let data: serde_json::Value = serde_json::from_slice(&laid.data).unwrap();
    assert_eq!(data["grid"]["ascent_em"], paiban::plan::grid::ASCENT_EM);
    assert_eq!(data["grid"]["indent_chars"], paiban::plan::grid::INDENT_CHARS);
    assert!(data.get("fonts").is_none(), "font roles live in layouts/style.typ");
}
