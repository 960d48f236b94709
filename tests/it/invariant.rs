//! The page invariant (nothing drawn outside its block), overset on proofs,
//! and the plan preflight, on a test edition paiban was not tuned on
//! (`tests/fixtures/sikai`: 四开 270 × 390 mm, 6 columns of 11 characters,
//! an L-shaped interview, narrow one-column blocks; issue 2 a portrait as
//! wide as its one-column block) as well as on the seed edition.

use std::path::{Path, PathBuf};

use crate::common::*;
use paiban::check::invariant;
use paiban::content::model::Issue;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::plan::grid::{Grid, Rect};
use paiban::plan::place;
use paiban::typeset::fonts::FontOptions;
use paiban::typeset::ink::{self, Owner, What};

fn sikai() -> PathBuf {
    root().join("tests/fixtures/sikai")
}


/// A temporary project whose `content/ed` is the sikai test edition.
fn sikai_project() -> TempProject {
    let p = TempProject::new();
    std::fs::remove_dir_all(p.edition()).unwrap();
    copy_dir(&sikai(), &p.edition());
    p
}

fn lay_out(p: &TempProject, issue: usize, mark_overset: bool) -> (Issue, Laid) {
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = place::edition(&p.edition(), &project.root).unwrap();
    let issue = edition.issues[issue].clone();
    let laid =
        rounds::lay_out(&project, &issue, LayoutOptions { mark_overset, ..Default::default() }).unwrap();
    (issue, laid)
}

/// Sets `lines = N` of the `n`th `[[place]]` of `article` in an issue.toml.
fn set_lines(text: &str, article: &str, lines: u32) -> String {
    let key = format!("article = \"{article}\"");
    let at = text.find(&key).unwrap();
    let l = at + text[at..].find("lines = ").unwrap();
    let end = l + text[l..].find('\n').unwrap();
    format!("{}lines = {lines}{}", &text[..l], &text[end..])
}

#[test]
fn seed_and_test_edition_hold_the_invariant() {
    for laid in laid() {
        let strays = invariant::check(laid);
        assert!(strays.is_empty(), "{:#?}", strays);
    }
    let edition = place::edition(&sikai(), &root()).unwrap();
    let laid = rounds::lay_out(project(), &edition.issues[0], LayoutOptions::default()).unwrap();
    let strays = invariant::check(&laid);
    assert!(strays.is_empty(), "{:#?}", strays);
    // The check saw the page: ink in every block, owned by it.
    let ink = ink::ink(&laid.doc.pages()[0]);
    for p in &edition.issues[0].file.place {
        assert!(
            ink.iter().any(|m| matches!(&m.owner, Owner::Block(k) if k == &p.article || k.starts_with(&format!("{}~", p.article)))),
            "no ink owned by {}",
            p.article
        );
    }
    // And the CLI builds it.
    let o = paiban(
        &[
            "build",
            sikai().to_str().unwrap(),
            "--issue",
            "sikai-1",
            "--out",
            tempfile::tempdir().unwrap().path().to_str().unwrap(),
        ],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_portrait_as_wide_as_its_block_fails_naming_the_article() {
    let out = tempfile::tempdir().unwrap();
    for cmd in [vec!["build", "--out", out.path().to_str().unwrap()], vec!["check"]] {
        let mut args = vec![cmd[0], sikai().to_str().unwrap().to_owned().leak(), "--issue", "sikai-2"];
        args.extend(&cmd[1..]);
        let o = paiban(&args, &root());
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        // Caught before it prints: the head cannot be set in the block
        // (src/check/typography.rs head_fit), naming the article and the head; or,
        // should a head still escape, by the invariant with where it went.
        let head_fit = err.contains("portrait: the ") && err.contains("cannot be set in their blocks");
        let invariant = err.contains("article `portrait`")
            && err.contains("drawn outside their block")
            && err.contains("text “")
            && err.contains(" mm ");
        assert!(head_fit || invariant, "{err}");
    }
    assert!(!out.path().join("sikai-2.pdf").exists(), "no PDF for a page with text outside its block");
}

#[test]
fn a_photo_moved_out_of_its_block_is_caught() {
    let p = TempProject::new();
    p.edit("layouts/photo.typ", |t| {
        t.replacen("  let caption =", "  let pic = move(dx: 400pt, pic)\n  let caption =", 1)
    });
    let o = p.build(&["--issue", "xinchun-1"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("photo `chunan-portrait` (FPO box)"), "{err}");
    assert!(err.contains("article `chunan`") && err.contains("past its zone's right edge"), "{err}");
    // Into the next block, named.
    let (_, laid) = lay_out(&p, 0, false);
    let strays = invariant::check(&laid);
    assert!(
        strays
            .iter()
            .any(|s| s.element == "photo `chunan-portrait` (FPO box)"
                && s.why.contains("into block `yongjia`")),
        "{strays:#?}"
    );
}

/// The sikai page with yinzhou's block cut to 16 lines: overset, with news
/// blocks moved under it (the old count took their characters as its own).
fn overset_project() -> TempProject {
    let p = sikai_project();
    p.edit("content/ed/1/issue.toml", |t| {
        let t = set_lines(&t, "yinzhou", 16);
        // news-3 and news-4 go under yinzhou (lines 59–70), beside wuxing's foot.
        t.replace(
            "article = \"news-3\"\ncolumn = 5\nspan = 1\nline = 57\nlines = 14",
            "article = \"news-3\"\ncolumn = 1\nspan = 2\nline = 59\nlines = 12",
        )
        .replace(
            "article = \"news-4\"\ncolumn = 6\nspan = 1\nline = 57\nlines = 14",
            "article = \"news-4\"\ncolumn = 3\nspan = 2\nline = 59\nlines = 12",
        )
    });
    p
}

#[test]
fn overset_counts_the_articles_own_text_and_says_what_to_do() {
    let p = overset_project();
    let (issue, laid) = lay_out(&p, 0, false);
    let o = laid.overset.iter().find(|o| o.article == "yinzhou").expect("yinzhou overset");
    assert_eq!(laid.overset.len(), 1, "{:?}", laid.overset);
    // Its own text only: at most a measure (and a hanging mark) a line…
    assert!(o.chars > 0 && o.chars <= o.lines as usize * (o.measure as usize + 2), "{o:?}");
    // …and what the proof does not show: the article's characters less
    // those the proof prints inside its block (whose last line the overset
    // sign takes: up to a measure and two marks more are hidden there).
    let a = issue.article("yinzhou").unwrap();
    let total: usize = a.body.iter().map(paiban::plan::chain::block_len).sum();
    let (_, proof) = lay_out(&p, 0, true);
    let rect = proof.grid.rect(issue.file.place.iter().find(|p| p.article == "yinzhou").unwrap());
    let start = proof.scans[0].start("yinzhou").unwrap().y;
    let ink = ink::ink(&proof.doc.pages()[0]);
    let sign = ink.iter().find(|m| matches!(&m.what, What::Glyph(t) if t == "溢")).unwrap().run;
    let shown: usize = ink
        .iter()
        .filter(|m| {
            m.owner == Owner::Block("yinzhou".into())
                && !m.hidden
                && m.run != sign
                && m.baseline > start
                && m.baseline <= rect.bottom()
        })
        .filter_map(|m| if let What::Glyph(t) = &m.what { Some(paiban::plan::chain::printed_len(t)) } else { None })
        .sum();
    let unseen = total - shown;
    assert!(
        unseen >= o.chars && unseen - o.chars <= o.measure as usize + 2,
        "{o:?}: the proof hides {unseen}"
    );
    // The message: lines, characters, what to cut or add, and the commands.
    let out = p.build(&["--issue", "sikai-1"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("yinzhou: {} line(s) of its text did not fit its block", o.lines)),
        "{err}"
    );
    assert!(
        err.contains(&format!("{} character(s) not set: cut {} character(s)", o.chars, o.chars)),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "give it {} more line(s) (lines = {})",
            o.lines.div_ceil(4),
            16 + o.lines.div_ceil(4)
        )),
        "{err}"
    );
    assert!(err.contains("paiban check --fit") && err.contains("paiban build --copyfit"), "{err}");
}

/// Proof pixels darker than near-white inside `r` (pt), at `dpi`.
fn ink_pixels(png: &Path, r: Rect, dpi: f64) -> usize {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let px = |v: f64| (v / 72.0 * dpi).round() as usize;
    let (x0, x1) = (px(r.x), px(r.right()).min(info.width as usize));
    let (y0, y1) = (px(r.y), px(r.bottom()).min(info.height as usize));
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * info.width as usize + x) * ch;
            if buf[i..i + ch.min(3)].iter().any(|&v| v < 200) {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn allow_overset_draws_nothing_outside_the_block() {
    let p = overset_project();
    let (issue, laid) = lay_out(&p, 0, true);
    // The frames: the invariant holds, and none of yinzhou's ink that
    // prints lies below its block.
    assert!(invariant::check(&laid).is_empty(), "{:#?}", invariant::check(&laid));
    let place = issue.file.place.iter().find(|p| p.article == "yinzhou").unwrap();
    let rect = laid.grid.rect(place);
    let ink = ink::ink(&laid.doc.pages()[0]);
    let own = |m: &&ink::Ink| m.owner == Owner::Block("yinzhou".into());
    assert!(
        ink.iter().filter(own).any(|m| m.hidden && m.bbox.1 > rect.bottom()),
        "the run-on text is in the frames, clipped"
    );
    assert!(
        !ink.iter().filter(own).any(|m| !m.hidden && m.bbox.3 > rect.bottom() + 0.5),
        "ink below the block"
    );
    // The sign: on the last column's last line, covering no text.
    let first: Vec<_> =
        ink.iter().filter(own).filter(|m| matches!(&m.what, What::Glyph(t) if t == "溢")).collect();
    assert_eq!(first.len(), 1, "the overset sign is drawn once");
    let sign: Vec<_> = ink.iter().filter(|m| m.run == first[0].run).collect();
    let text: String = sign
        .iter()
        .filter_map(|m| if let What::Glyph(t) = &m.what { Some(t.as_str()) } else { None })
        .collect();
    assert!(text.starts_with("溢出") && text.ends_with("行"), "{text}");
    let (sx0, sy0, sx1, sy1) = sign.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, m| {
        (a.0.min(m.bbox.0), a.1.min(m.bbox.1), a.2.max(m.bbox.2), a.3.max(m.bbox.3))
    });
    assert!(sy1 <= rect.bottom() && sy0 > rect.bottom() - laid.grid.pitch, "sign on the block's last line");
    let last_col = rect.x + 3.0 * (rect.w + laid.grid.cell) / 4.0;
    assert!(sx0 >= last_col - 0.5, "sign in the last column");
    let covered = ink.iter().filter(own).filter(|m| {
        !m.hidden
            && m.run != first[0].run
            && matches!(&m.what, What::Glyph(t) if t != "+")
            && m.bbox.0 < sx1
            && sx0 < m.bbox.2
            && m.bbox.1 < sy1
            && sy0 < m.bbox.3
    });
    assert_eq!(covered.count(), 0, "the sign covers text");
    // The proof's pixels: the run-on columns, unclipped, would reach
    // past the page's last grid line (lines 43–58, 25 more a column); the
    // foot of the page under yinzhou's columns is white.
    let out = tempfile::tempdir().unwrap();
    let o = p.run(&[
        "proof",
        "content/ed",
        "--issue",
        "sikai-1",
        "--out",
        out.path().to_str().unwrap(),
        "--dpi",
        "72",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let png = out.path().join("sikai-1-p1.png");
    let foot = Rect {
        x: rect.x,
        y: laid.grid.line_y(70) + laid.grid.pitch,
        w: rect.w,
        h: laid.grid.height - laid.grid.line_y(70) - laid.grid.pitch,
    };
    assert_eq!(ink_pixels(&png, foot, 72.0), 0, "ink in the page's foot");
}

#[test]
fn copyfit_says_by_how_much_the_closest_candidate_misses() {
    let p = overset_project();
    let o = p.run(&["check", "content/ed", "--issue", "sikai-1", "--fit"]);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains("yinzhou") && l.contains("no change found"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("the closest,") && line.contains("still leaves") && line.contains("line(s) over"),
        "{line}"
    );
}

#[test]
fn an_l_shaped_article_is_ruled_as_one() {
    let edition = place::edition(&sikai(), &root()).unwrap();
    let issue = &edition.issues[0];
    let grid = Grid::new(&issue.file.page).unwrap();
    let arm = &issue.file.place[1];
    let leg = &issue.file.place[2];
    assert_eq!((arm.article.as_str(), leg.article.as_str()), ("chunan", "chunan"));
    let rules = paiban::typeset::data::rules(issue, &grid, arm, paiban::content::model::ArticleKind::Interview);
    let leg_right = grid.rect(leg).right();
    let y = grid.rect(arm).bottom() - grid.gap / 2.0;
    let under: Vec<_> = rules.iter().filter(|s| s.y0 == s.y1 && (s.y0 - y).abs() < 0.01).collect();
    assert_eq!(under.len(), 1, "{rules:?}");
    // Under the news blocks only, from the gutter beside the leg.
    assert!(under[0].x0 >= leg_right && under[0].x0 < leg_right + grid.cell, "{:?}", under[0]);
    assert!((under[0].x1 - grid.rect(arm).right()).abs() < 0.01, "{:?}", under[0]);
    // The page as drawn: no hairline crosses the leg's columns at the arm's foot.
    let laid = rounds::lay_out(project(), issue, LayoutOptions::default()).unwrap();
    let lines: Vec<_> = ink::ink(&laid.doc.pages()[0])
        .into_iter()
        .filter(|m| m.what == What::Line && (m.bbox.1 - y).abs() < 1.0 && (m.bbox.3 - y).abs() < 1.0)
        .collect();
    assert!(!lines.is_empty());
    for l in &lines {
        assert!(l.bbox.0 >= leg_right - 0.5, "a hairline under the arm crosses the leg: {:?}", l.bbox);
    }
    // The leg is ruled from the news blocks at its right.
    let leg_rules = paiban::typeset::data::rules(issue, &grid, leg, paiban::content::model::ArticleKind::Interview);
    assert!(leg_rules.iter().any(|s| s.x0 == s.x1 && s.x0 > leg_right && s.x0 < leg_right + grid.cell));
}

#[test]
fn narrow_side_margins_warn() {
    let p = TempProject::new();
    // 352.4 mm of type on a 360 mm page: 3.8 mm a side.
    p.edit("content/ed/1/issue.toml", |t| t.replacen("[[place]]", "[page]\nwidth_mm = 360\n\n[[place]]", 1));
    let o = p.run(&["check", "content/ed", "--issue", "xinchun-1"]);
    let err = stderr(&o);
    assert!(err.contains("content/ed/1/issue.toml:"), "{err}");
    assert!(
        err.contains("warning: issue `xinchun-1`") && err.contains("side margins of 3.8 mm, under the 10 mm"),
        "{err}"
    );
    assert!(err.contains("min_side_margin_mm"), "{err}");
    assert!(!err.contains("xinchun-2`: the type area"), "{err}");
    // The plant's own figure silences it.
    p.edit("content/ed/1/issue.toml", |t| {
        t.replacen("width_mm = 360", "width_mm = 360\nmin_side_margin_mm = 3", 1)
    });
    let o = p.run(&["check", "content/ed", "--issue", "xinchun-1"]);
    assert!(!stderr(&o).contains("side margins"), "{}", stderr(&o));
}

#[test]
fn a_missing_photo_gives_the_path_as_written_and_as_resolved() {
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| {
        t.replacen("id = \"chunan-portrait\"", "id = \"chunan-portrait\"\nfile = \"photos/wang.jpg\"", 1)
    });
    let o = p.build(&[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("`photos/wang.jpg`, resolved as /"), "{err}");
    assert!(err.contains("content/ed/1/articles/photos/wang.jpg) not found"), "{err}");
    assert!(err.contains("chunan.md:"), "{err}");
}

#[test]
fn no_mark_hangs_across_a_hairline_and_one_that_would_is_an_error() {
    // Synthetic page 3 of seed 11 (tests/synth.rs) once hung 。 as the
    // second mark of a pair at a ruled block edge, across the hairline.
    // The default house style never hangs: the page builds clean.
    let tmp = tempfile::tempdir().unwrap();
    let ed = tmp.path().join("ed");
    let o = paiban(&["synth", ed.to_str().unwrap(), "--pages", "3", "--seed", "11"], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    let build = || {
        paiban(
            &["build", ed.to_str().unwrap(), "--issue", "synth-003", "--out", tmp.path().join("out").to_str().unwrap()],
            &root(),
        )
    };
    let o = build();
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    assert!(!e.contains("hairline") && !e.contains("outside"), "{e}");
    // A house that hangs everywhere: where a hung mark would cross a rule,
    // the build fails and names it.
    let toml = ed.join("edition.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}\n[style]\nhanging = \"always\"\n")).unwrap();
    let o = build();
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    let l = e.lines().find(|l| l.contains("across the hairline")).unwrap_or_else(|| panic!("{e}"));
    assert!(l.contains("issue `synth-003`, page 1, article `s"), "{l}");
}
