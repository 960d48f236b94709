//! The typography corpus laid out by Typst and measured by the real
//! `check --typography`, not by the planner. A sample of the corpus
//! (tests/fixtures/clreq-corpus.txt: every fourth paragraph, each at three
//! break positions) is set in one test edition built in a temporary
//! folder: an issue per measure (7, 8, 9, 10, 11, 13, 17, 27 cells), its
//! page a row of one-column articles ruled apart by hairlines. Each page is
//! laid out as `build` lays it out and checked rule by rule; the planner's
//! own count of loose lines for the same paragraphs is set beside what
//! Typst printed, so the estimate the planner breaks lines by is held to
//! the page, and what Typst printed is held to the fewest loose lines any
//! setting of the same paragraphs reaches (`loose_floor`, with Typst's
//! spacing), by the corpus test's margins (`clreq_corpus`, which holds
//! the planner's count over the whole corpus). README's "printed" figures
//! come from here.

use std::fmt::Write as _;

use crate::clreq_corpus::{PARETO_MARGIN, corpus, floor_margin};
use crate::common::*;
use paiban::check::typography::{self, Rule, TypoReport};
use paiban::layout::rounds::{self, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::plan::linebreak::{Measure, Printed, plan};
use paiban::plan::loose_floor::{Rules, Short, Spacing, floor, printing};
use paiban::typeset::fonts::FontOptions;

const MEASURES: [usize; 8] = [7, 8, 9, 10, 11, 13, 17, 27];

/// Lines a block keeps for its head above the body.
const HEAD_LINES: usize = 10;

/// One sampled paragraph setting.
struct Setting {
    text: String,
    /// Planned lines and loose lines.
    lines: usize,
    loose: usize,
    /// The fewest loose lines any setting of the paragraph has under
    /// Typst's spacing, and with no line spread wider than the planner's.
    floor: usize,
    pareto: usize,
}

/// The sampled paragraph settings at measure `cap`.
fn settings(cap: usize) -> Vec<Setting> {
    let widths = &project().widths;
    let m = Measure { widths, ..Measure::plain(cap, 2) };
    corpus()
        .iter()
        .step_by(4)
        .flat_map(|para| [0, cap / 3, 2 * cap / 3].map(|shift| (para, shift)))
        .map(|(para, shift)| {
            let mut text: Vec<char> = std::iter::repeat_n('国', shift).collect();
            text.extend(para);
            let pr = Printed::plain(&text);
            let p = plan(&pr, &m).expect("every corpus paragraph is planned");
            let widest = printing(&pr, &m, &p, Spacing::Typst).unwrap().widest;
            let least = |rules| floor(&pr, &m, rules).unwrap().loose;
            Setting {
                text: text.into_iter().collect(),
                lines: p.breaks.len() + p.hangs.len() + 1,
                loose: p.loose.len(),
                floor: least(Rules::planner(Spacing::Typst)),
                pareto: least(Rules { short: Short::Spread(widest), ..Rules::planner(Spacing::Typst) }),
            }
        })
        .collect()
}

/// What the planner set at a measure, and the floors for the same
/// paragraphs.
struct Planned {
    lines: usize,
    loose: usize,
    floor: usize,
    pareto: usize,
}

/// Writes the test edition into `dir`; returns, per measure, what the
/// planner set and the floors.
fn write_edition(dir: &std::path::Path) -> Vec<Planned> {
    let ed = dir.join("content/ed");
    let ids: Vec<String> = MEASURES.iter().map(|m| format!("\"m{m}\"")).collect();
    std::fs::create_dir_all(&ed).unwrap();
    std::fs::write(ed.join("edition.toml"), format!("title = \"语料\"\nissues = [{}]\n", ids.join(", ")))
        .unwrap();
    let mut planned = Vec::new();
    for cap in MEASURES {
        let sets = settings(cap);
        let sum = |f: fn(&Setting) -> usize| sets.iter().map(f).sum();
        planned.push(Planned {
            lines: sum(|s| s.lines),
            loose: sum(|s| s.loose),
            floor: sum(|s| s.floor),
            pareto: sum(|s| s.pareto),
        });
        // As many one-column articles as a 390 mm page holds, the settings
        // dealt to the shortest column.
        let columns = 121 / (cap + 1);
        let mut cols: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); columns];
        for set in &sets {
            let c = cols.iter_mut().min_by_key(|c| c.0).unwrap();
            c.0 += set.lines;
            c.1.push(&set.text);
        }
        let lines = cols.iter().map(|c| c.0).max().unwrap() + HEAD_LINES;
        let pt_mm = 25.4 / 72.0;
        let width_mm = ((columns * cap + columns - 1) as f64 * 9.0 * pt_mm + 30.0).ceil();
        let height_mm = ((lines + 4) as f64 * 13.5 * pt_mm + 36.0 + 2.0).ceil();
        let issue = ed.join(format!("m{cap}"));
        std::fs::create_dir_all(issue.join("articles")).unwrap();
        let mut toml = format!(
            "id = \"m{cap}\"\ntitle = \"语料 {cap}\"\ndate = 2018-03-01\npaper = \"测试日报\"\npage_number = 1\npage_name = \"测试\"\neditors = [{{ role = \"责任编辑\", name = \"\" }}]\n\n[page]\nwidth_mm = {width_mm}\nheight_mm = {height_mm}\ncolumns = {columns}\ncolumn_chars = {cap}\n"
        );
        for (i, (_, texts)) in cols.iter().enumerate() {
            let id = format!("c{}", i + 1);
            let body = texts.join("\n\n");
            let article = format!("+++\nkind = \"news\"\nheadline = \"语料\"\n+++\n\n{body}\n");
            std::fs::write(issue.join("articles").join(format!("{id}.md")), article).unwrap();
            write!(
                toml,
                "\n[[place]]\narticle = \"{id}\"\ncolumn = {}\nspan = 1\nline = 1\nlines = {lines}\n",
                i + 1
            )
            .unwrap();
        }
        std::fs::write(issue.join("issue.toml"), toml).unwrap();
    }
    planned
}

#[test]
fn the_corpus_set_by_typst_keeps_every_rule_and_the_planners_count_of_loose_lines() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("layouts"), &dir.path().join("layouts"));
    std::fs::create_dir_all(dir.path().join("fonts")).unwrap();
    let planned = write_edition(dir.path());
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(dir.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&dir.path().join("content/ed"), &project.root).unwrap();
    let mut ok = true;
    let mut table = String::from(
        "measure  lines  loose printed (of them ragged)  loose planned  floor  floor, no line wider\n",
    );
    for ((cap, issue), planned) in MEASURES.iter().zip(&edition.issues).zip(planned) {
        let Planned { lines: planned_lines, loose: planned_loose, floor, pareto } = planned;
        let laid = rounds::lay_out(&project, issue, LayoutOptions::default()).unwrap();
        assert!(laid.overset.is_empty(), "{cap} cells: overset {:?}", laid.overset);
        let mut r = TypoReport::default();
        typography::check(&laid, &mut r);
        // Every planned line printed as a body line of the page.
        assert_eq!(r.lines, planned_lines, "{cap} cells: lines printed and planned");
        // A line the plan set short with no Han gap for Typst to spread it
        // over (a Latin run and one character) prints ragged: it is one of
        // the planner's loose lines, and names the rule that forced it.
        let ragged: Vec<_> = r.violations.iter().filter(|v| v.rule == Rule::Ragged).collect();
        assert!(ragged.iter().all(|v| v.forced.is_some()), "{cap} cells: {ragged:#?}");
        for rule in Rule::ALL.into_iter().filter(|r| !matches!(r, Rule::Loose | Rule::Ragged | Rule::OffCell))
        {
            let hits: Vec<_> = r.violations.iter().filter(|v| v.rule == rule).map(|v| v.describe()).collect();
            assert!(hits.is_empty(), "{cap} cells: {rule}: {hits:#?}");
        }
        assert_eq!(r.hung_lines, 0, "{cap} cells");
        assert_eq!(
            r.full_lines_at_measure + ragged.len(),
            r.full_lines,
            "{cap} cells: every justified line flush"
        );
        let loose = r.count(Rule::Loose) + ragged.len();
        let pct = |n: usize| 100.0 * n as f64 / r.lines as f64;
        writeln!(
            table,
            "{cap:>7} {:>6} {:>6} {:>5.2} % ({}) {:>6} {:>5.2} % {:>5.2} % {:>5.2} %",
            r.lines,
            loose,
            pct(loose),
            ragged.len(),
            planned_loose,
            pct(planned_loose),
            pct(floor),
            pct(pareto)
        )
        .unwrap();
        // The planner's estimate is what Typst prints, or a little more: a
        // line it counts loose may print with no two full-width glyphs
        // side by side (its gaps beside Latin runs).
        ok &= loose <= planned_loose && planned_loose - loose <= planned_loose / 20 + 2;
        // What printed is held to the floors for the same paragraphs, by
        // the corpus's margins and two lines more (a sample of 700–2,300
        // lines).
        let lines = r.lines as f64;
        ok &= floor <= loose && loose as f64 <= floor as f64 + floor_margin(*cap) * lines + 2.0;
        ok &= loose as f64 <= pareto as f64 + PARETO_MARGIN * lines + 2.0;
    }
    eprintln!("{table}");
    assert!(ok, "loose lines printed against planned\n{table}");
}
