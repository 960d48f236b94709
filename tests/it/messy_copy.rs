//! Copy nobody tuned (issue 16): straight quotes typed in half-width mode,
//! spaces typed between Chinese characters and marks, a full-width space,
//! numbers with separators, a paragraph ending in ……, in a test edition of
//! its own (`tests/fixtures/messy`), through the real binary and the
//! laid-out page. The check's rules are tested on defects built on purpose
//! (a page scan edited, a rule moved onto the text), not on the line
//! planner happening to make them.

use crate::common::*;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;
use paiban::typeset::inspect::TextRun;
use paiban::content::model::Issue;
use paiban::check::typography::{self, Rule, TypoReport, Violation};

const QUOTES: &str = "content/messy/1/articles/quotes.md";
const SPACES: &str = "content/messy/1/articles/spaces.md";

/// A project holding the messy edition at `content/messy`.
fn messy() -> TempProject {
    let p = TempProject::new();
    copy_dir(&root().join("tests/fixtures/messy"), &p.path().join("content/messy"));
    p
}

fn read(p: &TempProject, rel: &str) -> String {
    std::fs::read_to_string(p.path().join(rel)).unwrap()
}

/// 1-based (line, column) of every `c` in `text` for which `keep` holds
/// (given the characters before and after it).
fn positions(text: &str, c: char, keep: impl Fn(Option<char>, Option<char>) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (l, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        for (i, &x) in chars.iter().enumerate() {
            if x == c && keep(i.checked_sub(1).map(|j| chars[j]), chars.get(i + 1).copied()) {
                out.push((l + 1, i + 1));
            }
        }
    }
    out
}

/// The straight quotes of the quotes fixture (all pair), as typed: in
/// TOML strings `\"`, located at the quote itself; not the apostrophe of
/// Don't.
fn quotes_typed(text: &str) -> Vec<(usize, usize)> {
    let mut q = positions(text, '"', |p, _| p == Some('\\'));
    let body_start = text.match_indices("+++").nth(1).unwrap().0;
    let body_line = text[..body_start].lines().count() + 1;
    q.extend(positions(text, '"', |_, _| true).into_iter().filter(|&(l, _)| l > body_line));
    q.extend(positions(text, '\'', |p, n| {
        !(p.is_some_and(|p| p.is_ascii_alphanumeric()) && n.is_some_and(|n| n.is_ascii_alphabetic()))
    }));
    q.sort();
    q
}

#[test]
fn lint_reports_every_straight_quote_and_stray_space_where_it_was_typed() {
    let p = messy();
    let o = paiban(&["lint", "content/messy"], p.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    let text = read(&p, QUOTES);
    let typed = quotes_typed(&text);
    // Two in the headline, two in the subhead, eight in the first
    // paragraph, two around Don't give up.
    assert_eq!(typed.len(), 14, "{typed:?}");
    for (l, c) in &typed {
        let at = format!("{QUOTES}:{l}:{c}: warning: straight quote");
        assert!(e.contains(&at), "no `{at}` in:\n{e}");
    }
    let reported = e.lines().filter(|l| l.starts_with(QUOTES) && l.contains("straight quote")).count();
    assert_eq!(reported, typed.len(), "exactly one warning a quote, none for Don't:\n{e}");
    // Each says what it prints as, in order: “ ” alternate, ‘ ’ nest inside.
    let printed: String = e
        .lines()
        .filter(|l| l.starts_with(QUOTES))
        .filter_map(|l| l.split("printed as `").nth(1)?.chars().next())
        .collect();
    assert_eq!(printed, "“”‘’“‘’”“”“”“”");
    // With the source line and a caret under the quote.
    assert!(e.contains("10 │ 春节前夕，记者来到某厂车间，职工们纷纷说：\"工会是我们的'娘家人'。\""), "{e}");

    let spaces = read(&p, SPACES);
    // The spaces between two Chinese characters or marks, one warning each.
    let cjk = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
    let stray = positions(&spaces, ' ', |p, n| cjk(p) && cjk(n));
    assert_eq!(stray.len(), 4, "{stray:?}");
    for (l, c) in &stray {
        let at = format!("{SPACES}:{l}:{c}: warning: space between Chinese characters or marks: not printed");
        assert!(e.contains(&at), "no `{at}` in:\n{e}");
    }
    // The full-width space: reported, kept.
    let (l, c) = positions(&spaces, '\u{3000}', |_, _| true)[0];
    assert!(e.contains(&format!("{SPACES}:{l}:{c}: warning: full-width space (U+3000)")), "{e}");
    // The quotes no rule can pair: the kicker's and the body's last one.
    let (l, c) = positions(&spaces, '"', |_, n| n == Some('好'))[1];
    assert!(
        e.contains(&format!("{SPACES}:{l}:{c}: warning: straight quote `\"` that cannot be paired")),
        "{e}"
    );
    let (l, c) = positions(&spaces, '"', |p, _| p == Some('\\'))[0];
    assert!(
        e.contains(&format!("{SPACES}:{l}:{c}: warning: straight quote `\"` that cannot be paired")),
        "{e}"
    );
    // Spaces around Latin runs are not slips (使用 APP, Wi Fi).
    assert_eq!(e.lines().filter(|l| l.starts_with(SPACES) && l.contains("warning:")).count(), 7, "{e}");
}

#[test]
fn lint_fix_writes_the_paired_quotes_and_leaves_the_ambiguous_ones() {
    let p = messy();
    let before = read(&p, QUOTES);
    let spaces_before = read(&p, SPACES);
    let o = paiban(&["lint", "content/messy", "--fix", "--json"], p.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["fixed"], 14, "{v}");
    let after = read(&p, QUOTES);
    // Every quote at its place, everything else byte for byte.
    let expected = before
        .replace("\\\"娘家人\\\"", "“娘家人”")
        .replace("'暖心'", "‘暖心’")
        .replace(
            "说：\"工会是我们的'娘家人'。\"\n一位老师傅笑着说：\"不管遇到啥难事，\"他顿了顿，\"找工会准没错。\"",
            "说：“工会是我们的‘娘家人’。”\n一位老师傅笑着说：“不管遇到啥难事，”他顿了顿，“找工会准没错。”",
        )
        .replace("\"Don't give up\"", "“Don't give up”");
    assert_ne!(expected, before);
    assert_eq!(after, expected);
    // The ambiguous ones are left as typed, and still reported.
    assert_eq!(read(&p, SPACES), spaces_before);
    let ws = v["warnings"].as_array().unwrap();
    let left: Vec<_> =
        ws.iter().filter(|w| w["message"].as_str().unwrap().contains("straight quote")).collect();
    assert_eq!(left.len(), 2, "{v}");
    assert!(left.iter().all(|w| w["message"].as_str().unwrap().contains("cannot be paired")), "{v}");
    // Written by rename: no temporary file left beside it.
    let dir = p.path().join("content/messy/1/articles");
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // A second run has nothing left to write.
    let o = paiban(&["lint", "content/messy", "--fix"], p.path());
    assert!(stderr(&o).contains("lint --fix: 0 straight quote(s)"), "{}", stderr(&o));
    assert_eq!(read(&p, QUOTES), expected);
}

#[test]
fn lint_fix_keeps_crlf_line_ends_and_a_bom() {
    let p = messy();
    let crlf = format!("\u{feff}{}", read(&p, QUOTES).replace('\n', "\r\n"));
    std::fs::write(p.path().join(QUOTES), &crlf).unwrap();
    let o = paiban(&["lint", "content/messy", "--fix"], p.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let after = read(&p, QUOTES);
    assert!(after.starts_with('\u{feff}') && after.matches("\r\n").count() == crlf.matches("\r\n").count());
    assert!(after.contains("说：“工会是我们的‘娘家人’。”\r\n一位"), "{after}");
    // Ten double quotes written as “”, two of them TOML's \" in the headline.
    assert_eq!(after.matches('"').count(), crlf.matches('"').count() - 10);
    assert!(!after.contains("\\\""), "{after}");
}

/// Lines of the layout dump (`build`'s `<issue>.layout.json`) of article `id`.
fn printed(p: &TempProject, id: &str) -> (Vec<String>, Vec<String>) {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("out/messy-1.layout.json")).unwrap())
            .unwrap();
    let block = v["blocks"].as_array().unwrap().iter().find(|b| b["article"] == id).unwrap();
    let texts = |k: &str| {
        block[k].as_array().unwrap().iter().map(|l| l["text"].as_str().unwrap().to_string()).collect()
    };
    (texts("heads"), texts("body"))
}

#[test]
fn build_prints_the_quotes_paired_and_the_stray_spaces_dropped_and_warns_for_each() {
    let p = messy();
    let o = p.run(&["build", "content/messy", "--out", "out"]);
    let e = stderr(&o);
    assert!(o.status.success(), "{e}");
    // A warning with file:line:col for each quote it converted.
    for (l, c) in quotes_typed(&read(&p, QUOTES)) {
        assert!(e.contains(&format!("{QUOTES}:{l}:{c}: warning: straight quote")), "{l}:{c} in:\n{e}");
    }
    let (heads, body) = printed(&p, "quotes");
    assert!(heads.contains(&"职工说工会是“娘家人”".to_string()), "{heads:?}");
    assert!(heads.contains(&"一线车间里的‘暖心’服务".to_string()), "{heads:?}");
    let text: String = body.concat();
    assert!(
        text.contains(
            "纷纷说：“工会是我们的‘娘家人’。”一位老师傅笑着说：“不管遇到啥难事，”他顿了顿，“找工会准没错。”"
        ),
        "{body:?}"
    );
    assert!(text.contains("“Don't give up”的牌"), "the apostrophe stays: {body:?}");
    assert!(!text.contains('"'), "{body:?}");
    // Stray spaces are not printed; Latin keeps its word space; the
    // full-width space prints.
    let (_, body) = printed(&p, "spaces");
    let text: String = body.concat();
    assert!(text.contains("摸清底数（二）制定方案（三）落实整改，中国工会"), "{body:?}");
    assert!(text.contains("APP办理") && text.contains("Wi Fi"), "{body:?}");
    assert!(text.contains("编者按　这里"), "{body:?}");
    // The quote no rule can pair prints as typed.
    assert!(text.contains("老师傅说\"好。"), "{body:?}");
}

#[test]
fn a_stray_space_between_marks_leaves_the_paragraph_on_the_cells() {
    // `（一） （二）`: the space was set, and Typst spread the whole
    // paragraph; now it is dropped and each mark takes its own cell.
    let body = "工作分三步：（一）摸清底数 （二）制定方案 （三）落实整改，中 国工会要求各地一一照办。";
    let (_p, laid, _) = page(body, 30, false, "");
    let start = laid.scans[0].start("story").unwrap().y;
    let glyphs: Vec<_> = laid.scans[0]
        .runs
        .iter()
        .filter(|r| (r.size - laid.grid.cell).abs() < 0.01 && r.y > start)
        .flat_map(|r| r.glyphs.iter().map(move |g| (r.y, g.0, g.2.clone())))
        .collect();
    let at = |s: &str, nth: usize| glyphs.iter().filter(|g| g.2 == s).nth(nth).unwrap().clone();
    // 数 and （ of （二）, 中 and 国: side by side, a cell apart.
    let (shu, open) = (at("数", 0), at("（", 1));
    let (zhong, guo) = (at("中", 0), at("国", 0));
    for (a, b) in [(shu, open), (zhong, guo)] {
        if (a.0 - b.0).abs() < 0.1 {
            let cells = (b.1 - a.1) / laid.grid.cell;
            assert!((cells - 1.0).abs() < 0.01, "{} to {}: {cells} cells", a.2, b.2);
        }
    }
    assert!(!glyphs.iter().any(|g| g.2 == " "), "no space glyph is set");
}

#[test]
fn build_final_refuses_a_quote_no_rule_can_pair_and_writes_nothing() {
    let p = messy();
    let o = p.run(&["build", "content/messy", "--out", "out", "--final"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{e}");
    let spaces = read(&p, SPACES);
    let (l, c) = positions(&spaces, '"', |p, _| p == Some('\\'))[0];
    assert!(
        e.contains(&format!(
            "{SPACES}:{l}:{c}: error: refused: 2 straight quote(s) in the copy cannot be paired"
        )),
        "{e}"
    );
    let (l, c) = positions(&spaces, '"', |_, n| n == Some('好'))[1];
    assert!(e.contains(&format!("{SPACES}:{l}:{c}: also: straight quote")), "{e}");
    assert!(e.contains("hint: type “” or ‘’ by hand"), "{e}");
    assert!(!p.path().join("out/messy-1.pdf").exists());
    // Paired by hand, the page goes to press.
    p.edit(SPACES, |t| t.replace("\"他说\\\"好\"", "\"他说好\"").replace("说\"好。", "说“好。”"));
    let o = p.run(&["build", "content/messy", "--out", "out", "--final"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn check_names_every_rule_and_finds_the_straight_quotes_printed() {
    let p = messy();
    let o = p.run(&["check", "content/messy", "--typography", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let totals = &v["typography"]["totals"];
    for rule in typography::Rule::ALL {
        assert!(totals["counts"][rule.name()].is_u64(), "{rule} missing from {}", totals["counts"]);
    }
    let quotes: Vec<_> =
        totals["violations"].as_array().unwrap().iter().filter(|v| v["rule"] == "straight-quote").collect();
    let texts: Vec<_> =
        quotes.iter().map(|v| (v["article"].as_str().unwrap(), v["text"].as_str().unwrap())).collect();
    assert_eq!(
        texts,
        [("spaces", "老师傅说\"好。"), ("spaces", "kicker: 他说\"好")],
        "the two left as typed, in the body and the kicker, and no other"
    );
    // Each line's box lies in the spaces block (columns 3–4 of the page).
    let map: serde_json::Value = {
        let o = p.run(&["build", "content/messy", "--out", "out"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&std::fs::read_to_string(p.path().join("out/messy-1.map.json")).unwrap())
            .unwrap()
    };
    let block = map["blocks"].as_array().unwrap().iter().find(|b| b["article"] == "spaces").unwrap();
    let r = |k: &str| block["rect_mm"][k].as_f64().unwrap();
    for q in &quotes {
        let (x, y) = (q["line_mm"][0].as_f64().unwrap(), q["line_mm"][1].as_f64().unwrap());
        assert!(x >= r("x") - 0.1 && x < r("x") + r("w") && y >= r("y") - 0.1 && y < r("y") + r("h"), "{q}");
    }
    assert_eq!(totals["counts"]["straight-quote"], 2);
    let o = p.run(&["check", "content/messy", "--typography"]);
    let out = stdout(&o);
    let summary = out.lines().find(|l| l.starts_with("typography: ")).unwrap();
    for name in ["near-rule", "straight-quote", "mark-only-last-line", "number-split", "loose"] {
        assert!(summary.contains(name), "{summary}");
    }
    assert!(summary.contains("2 straight-quote"), "{summary}");
}

// ---- the check's rules on defects built on purpose -------------------------

/// The messy issue laid out in `p`.
fn lay_out(p: &TempProject) -> (Issue, Laid) {
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let issue = paiban::plan::place::edition(&p.path().join("content/messy"), p.path()).unwrap().issues.remove(0);
    let laid = rounds::lay_out(&project, &issue, LayoutOptions::default()).unwrap();
    (issue, laid)
}

/// Replaces the body text of article `id` on the scanned page with `lines`
/// set from its first column's first body baseline down, column after
/// column, a glyph a cell (ASCII half a cell), each glyph `extra` ems
/// further from the one before; a line starting `　　` starts a paragraph.
/// The page as the check reads it, with a defect of our making. Returns
/// the lines a column holds.
fn set_body(issue: &Issue, laid: &mut Laid, id: &str, lines: &[(&str, f64)]) -> usize {
    let grid = laid.grid.clone();
    let place = issue.file.place.iter().find(|p| p.article == id).unwrap();
    let rect = grid.rect(place);
    let step = (rect.w + grid.cell * grid.gutter_chars as f64) / place.span as f64;
    let scan = &mut laid.scans[0];
    let start = scan.start(id).unwrap().y;
    let body = |r: &TextRun| {
        // (Marks hung past the block's edge too.)
        (r.size - grid.cell).abs() < 0.01
            && r.x >= rect.x - 0.5
            && r.x < rect.right() + grid.cell
            && r.y > start
    };
    let first = scan.runs.iter().filter(|r| body(r)).map(|r| r.y).fold(f64::INFINITY, f64::min);
    let model = scan.runs.iter().find(|r| body(r)).unwrap().clone();
    scan.runs.retain(|r| !body(r));
    let per = ((rect.bottom() - first) / grid.pitch).floor() as usize + 1;
    for (i, (line, extra)) in lines.iter().enumerate() {
        let x0 = rect.x + (i / per) as f64 * step;
        let mut x = x0;
        let glyphs = line
            .chars()
            .map(|c| {
                let adv = if c.is_ascii() { grid.cell / 2.0 } else { grid.cell };
                let g = (x, adv, c.to_string());
                x += adv + extra * grid.cell;
                g
            })
            .collect();
        let y = first + (i % per) as f64 * grid.pitch;
        scan.runs.push(TextRun { x: x0, y, text: line.to_string(), glyphs, ..model.clone() });
    }
    per
}

/// The violations of `rule` in the quotes story (the one whose scan the
/// tests edit).
fn violations(r: &TypoReport, rule: Rule) -> Vec<&Violation> {
    r.violations.iter().filter(|v| v.rule == rule && v.article == "quotes").collect()
}

fn check(_issue: &Issue, laid: &Laid) -> TypoReport {
    let mut r = TypoReport::default();
    typography::check(laid, &mut r);
    r
}

#[test]
fn a_number_split_at_its_thousands_separator_or_decimal_point_is_found() {
    let p = messy();
    let (issue, mut laid) = lay_out(&p);
    set_body(
        &issue,
        &mut laid,
        "quotes",
        &[
            ("　　今年全厂节约用水约4,", 0.0),
            ("000吨，节电3.", 0.0),
            ("5万千瓦时，人均增收约1", 0.0),
            (",200元，比去年多4,000元。", 0.0),
        ],
    );
    let r = check(&issue, &laid);
    let splits: Vec<_> = violations(&r, Rule::NumberSplit).iter().map(|v| (v.line, v.text.clone())).collect();
    assert_eq!(
        splits,
        [
            (1, "今年全厂节约用水约4,".to_string()),
            (2, "000吨，节电3.".to_string()),
            (3, "5万千瓦时，人均增收约1".to_string())
        ],
        "{:#?}",
        r.violations
    );
    // Whole numbers at a line's end are no split.
    set_body(&issue, &mut laid, "quotes", &[("　　今年全厂节约用水约4,000", 0.0), ("吨", 0.0)]);
    assert_eq!(
        violations(&check(&issue, &laid), Rule::NumberSplit).len(),
        1,
        "000 / 吨: a number parted from its unit"
    );
    set_body(
        &issue,
        &mut laid,
        "quotes",
        &[("　　今年全厂节约用水4,000吨，", 0.0), ("节电3.5万千瓦时。", 0.0)],
    );
    assert!(violations(&check(&issue, &laid), Rule::NumberSplit).is_empty());
}

#[test]
fn a_last_line_of_marks_only_is_found() {
    let p = messy();
    let (issue, mut laid) = lay_out(&p);
    for (last, found) in [("……", true), ("——", true), ("”。", true), ("笑……", false), ("好。”", false)]
    {
        set_body(
            &issue,
            &mut laid,
            "quotes",
            &[
                ("　　车间里挂着一块牌子，工", 0.0),
                ("人们只是笑，记者问起它的来", 0.0),
                (last, 0.0),
                ("　　下一段开头。", 0.0),
            ],
        );
        let r = check(&issue, &laid);
        let got: Vec<_> =
            violations(&r, Rule::MarkOnlyLastLine).iter().map(|v| (v.line, v.text.clone())).collect();
        let want = if found { vec![(3, last.to_string())] } else { vec![] };
        assert_eq!(got, want, "{last}: {:#?}", r.violations);
    }
    // Marks at a column's foot whose paragraph goes on at the next
    // column's top are not its last line; at the paragraph's end they are.
    let per = set_body(&issue, &mut laid, "quotes", &[("　　甲", 0.0)]);
    let mut lines = vec![("　　车间里挂着一块牌子，工", 0.0)];
    lines.extend(std::iter::repeat_n(("人们只是笑，记者问起它的来", 0.0), per - 2));
    lines.extend([("……", 0.0), ("历。", 0.0), ("……", 0.0)]);
    set_body(&issue, &mut laid, "quotes", &lines);
    let r = check(&issue, &laid);
    let got: Vec<_> = violations(&r, Rule::MarkOnlyLastLine).iter().map(|v| (v.column, v.line)).collect();
    assert_eq!(got, [(2, 2)], "{:#?}", r.violations);
}

#[test]
fn two_full_width_glyphs_more_than_a_seventh_of_an_em_apart_read_as_loose() {
    let p = messy();
    let (issue, mut laid) = lay_out(&p);
    let line = "　　车间里，挂着“牌子”。";
    for (extra, loose) in [(0.0, false), (0.09, false), (0.14, false), (0.16, true), (0.2, true)] {
        set_body(&issue, &mut laid, "quotes", &[(line, extra), ("　　下一段。", 0.0)]);
        let r = check(&issue, &laid);
        let got: Vec<_> = violations(&r, Rule::Loose).iter().map(|v| v.text.clone()).collect();
        assert_eq!(got.len(), usize::from(loose), "{extra} em: {got:?}");
    }
    // Marks count: one gap of 0.2 em after a comma is loose, though no two
    // Han characters are spread.
    set_body(&issue, &mut laid, "quotes", &[("　　车间里，挂着牌子。", 0.0), ("　　下一段。", 0.0)]);
    let run = laid.scans[0].runs.iter_mut().find(|r| r.text.starts_with("　　车间里")).unwrap();
    let comma = run.glyphs.iter().position(|g| g.2 == "，").unwrap();
    for g in &mut run.glyphs[comma + 1..] {
        g.0 += 0.2 * laid.grid.cell;
    }
    let r = check(&issue, &laid);
    assert_eq!(violations(&r, Rule::Loose).len(), 1, "{:#?}", r.violations);
}

#[test]
fn straight_quotes_printed_in_body_or_heads_are_found_but_not_apostrophes() {
    let p = messy();
    let (issue, mut laid) = lay_out(&p);
    set_body(&issue, &mut laid, "quotes", &[("　　他说\"好\"，又说'行'。", 0.0), ("Don't give up.", 0.0)]);
    let r = check(&issue, &laid);
    let got: Vec<_> = r
        .violations
        .iter()
        .filter(|v| v.rule == Rule::StraightQuote)
        .map(|v| (v.article.as_str(), v.line))
        .collect();
    // Line 1 of quotes; the kicker and body line of spaces (printed as typed).
    assert!(got.contains(&("quotes", 1)), "{got:?}");
    assert!(!got.contains(&("quotes", 2)), "Don't has an apostrophe, not a quote: {got:?}");
    assert_eq!(got.iter().filter(|g| g.0 == "spaces").count(), 2, "{got:?}");
}

#[test]
fn a_glyph_whose_ink_touches_a_rule_is_found() {
    // Without the defect: nothing on the messy page comes near its rule.
    let p = messy();
    let (issue, laid) = lay_out(&p);
    let r = check(&issue, &laid);
    assert!(violations(&r, Rule::NearRule).is_empty(), "{:#?}", violations(&r, Rule::NearRule));
    // The hairline between the two stories moved from the gutter's middle
    // onto the quotes block's right edge: the ink of each full line's last
    // glyph there now comes within 0.3 pt of it.
    let shifted = "place(dx: pt(s.x0) - 4.6pt, dy: pt(s.y0), line(angle: 90deg,";
    p.edit("layouts/page.typ", |t| {
        assert!(
            t.contains("place(dx: pt(s.x0), dy: pt(s.y0), line(angle: 90deg,"),
            "the upright rule in page.typ"
        );
        t.replace("place(dx: pt(s.x0), dy: pt(s.y0), line(angle: 90deg,", shifted)
    });
    let (issue, laid) = lay_out(&p);
    let r = check(&issue, &laid);
    let near = violations(&r, Rule::NearRule);
    assert!(!near.is_empty(), "{:#?}", r.violations);
    // Only lines of the quotes block's last column, and its subhead, set
    // flush right; each names the glyph and how close its ink comes.
    let rule_x = laid.grid.rect(&issue.file.place[0]).right() + laid.grid.cell / 2.0 - 4.6;
    let inks = paiban::check::near_rule::glyphs(laid.ink(0));
    assert!(!inks.is_empty());
    for g in &inks {
        assert!(g.distance <= paiban::check::near_rule::NEAR_RULE_PT, "{g:?}");
        assert!(
            g.bbox.2 > rule_x - 0.2 - 0.3 - 0.01 && g.bbox.0 < rule_x + 0.2 + 0.3,
            "{g:?} near x {rule_x}"
        );
    }
    assert!(near.iter().any(|v| v.text == "subhead: 一线车间里的‘暖心’服务"), "{near:#?}");
    assert!(near.iter().filter(|v| v.column == 2).count() >= 2, "{near:#?}");
    for v in &near {
        let head = v.text.starts_with("subhead: ");
        assert_eq!((v.article.as_str(), v.column), ("quotes", if head { 1 } else { 2 }), "{v:?}");
        // The glyph named is one of the line's last two (a mark hung past
        // the rule may follow it).
        let detail = v.detail.as_deref().unwrap();
        let tail: Vec<char> = v.text.chars().rev().take(2).collect();
        let named = detail.chars().next().unwrap();
        assert!(tail.contains(&named) && detail.ends_with("pt from a rule"), "{v:?}");
    }
    // Every glyph the page scan finds touching the rule is reported.
    assert_eq!(
        near.iter().map(|v| v.detail.as_deref().unwrap().matches("from a rule").count()).sum::<usize>(),
        inks.len()
    );
    // And `build` warns for each, and --deny-warnings denies them.
    let o = p.run(&["build", "content/messy", "--out", "out", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    let denied: Vec<&str> = e.lines().skip_while(|l| !l.starts_with("error: ")).collect();
    let named = denied
        .iter()
        .filter(|l| l.contains("typography: messy-1 page 1 quotes column ") && l.contains(": near-rule: "));
    assert_eq!(named.count(), near.len(), "{e}");
}
