//! Heads break like a sub-editor breaks them: person lines, bylines, 小标题,
//! headlines and captions set in narrow blocks of a test edition (one and
//! two columns) break only between words (书记 and names stay whole), no
//! line holds one character, and a head that cannot fit is an error naming
//! its article. Everything is asserted on the lines as laid out (read from
//! the page scan), against the words paiban's segmenter finds.

use crate::common::*;
use paiban::check::typography::{self, TypoReport};
use paiban::content::model::Issue;
use paiban::layout::heads::{self, HeadText};
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::typeset::fonts::FontOptions;

/// A one-issue edition of `articles`, each placed by its `[[place]]`.
fn edition_of(articles: &[(&str, String)], places: &str) -> (TempProject, Project, Issue) {
    let p = TempProject::single_issue(articles, places);
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let mut edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    (p, project, edition.issues.remove(0))
}

fn place(article: &str, column: u32, span: u32, line: u32, lines: u32) -> String {
    format!(
        "[[place]]\narticle = \"{article}\"\ncolumn = {column}\nspan = {span}\nline = {line}\nlines = {lines}\n"
    )
}

const BODY: &str = "职工是企业发展的主力军，工会要把服务职工作为一切工作的出发点和落脚点。";

/// The test edition: the issue's examples in one- and two-column blocks.
fn test_edition() -> (TempProject, Project, Issue) {
    // A person line whose title would break 书/记 in one column; a byline
    // whose three-character name would part after its second character.
    let interview = format!(
        "+++\nkind = \"interview\"\nperson = [\"湖州市吴兴区总工会副书记、主席慎小红：\"]\nheadline = \"推进“三大体系” 服务职工“零距离”\"\nbyline = [{{ role = \"本报记者\", name = \"洪茵婷\" }}, {{ role = \"通讯员\", name = \"秦师余\" }}]\n+++\n\n{BODY}\n\n## 助推城市发展做好服务工作\n\n{BODY}\n"
    );
    // The lead headline of the issue, in two columns: no 心/愿.
    let lead = "+++\nkind = \"lead\"\nheadline = \"新春，来自“娘家人”的“心语心愿”（一）\"\n+++\n".to_string();
    // A story: a 小标题 that would leave one character in one column, a
    // caption under a photo as wide as the column.
    let story = format!(
        "+++\nkind = \"news\"\nkicker = \"坚持以职工为中心的工作导向\"\nheadline = \"稳步推进工会改革 做优做强工作品牌\"\nsubhead = \"——国网五星级供电所萧山瓜沥供电所服务侧记\"\nbyline = [{{ role = \"记者\", name = \"吴晓静\" }}, {{ role = \"通讯员\", name = \"陈鸣旭\" }}]\n[[photos]]\nid = \"p\"\ncells = 13\nlines = 6\ncaption = \"瓜沥供电所员工在萧山区为居民检修线路\"\n+++\n\n{BODY}\n\n## “五星服务”赢得满分口碑\n\n{BODY}\n"
    );
    // The same interview two columns wide.
    let wide = interview.replace("湖州市吴兴区", "绍兴市越城区");
    let places = [
        place("lead", 1, 2, 1, 12),
        place("interview", 1, 1, 13, 60),
        place("story", 2, 1, 13, 60),
        place("wide", 3, 2, 1, 40),
    ]
    .concat();
    edition_of(&[("interview", interview), ("lead", lead), ("story", story), ("wide", wide)], &places)
}

fn laid_test_edition() -> &'static (Issue, Laid) {
    static L: std::sync::OnceLock<(Issue, Laid)> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        let (_p, project, issue) = test_edition();
        let laid =
            rounds::lay_out(&project, &issue, LayoutOptions::default()).expect("the test edition lays out");
        (issue, laid)
    })
}

fn heads() -> Vec<HeadText> {
    let (_, laid) = laid_test_edition();
    heads::head_texts(laid)
}

fn head<'a>(heads: &'a [HeadText], article: &str, role: &str) -> &'a HeadText {
    heads.iter().find(|h| h.article == article && h.role == role).unwrap_or_else(|| {
        panic!(
            "no {role} of {article} on the page: {:?}",
            heads.iter().map(|h| (&h.article, &h.role)).collect::<Vec<_>>()
        )
    })
}

fn texts(h: &HeadText) -> Vec<&str> {
    h.lines.iter().map(|l| l.text.as_str()).collect()
}

fn solid(s: &str) -> usize {
    s.chars().filter(|c| is_han(*c) || c.is_alphanumeric()).count()
}

/// Every line of `h` ends where the article's words allow a break, and none
/// holds a single character.
fn assert_broken_between_words(issue: &Issue, h: &HeadText) {
    let a = issue.article(&h.article).unwrap();
    let breaks = paiban::plan::words::breaks(&h.source, &paiban::plan::words::seeds(a));
    assert_eq!(
        squash(&texts(h).concat()),
        squash(&h.source),
        "{} {}: the lines are the text",
        h.article,
        h.role
    );
    let mut at = 0;
    for (i, l) in h.lines.iter().enumerate() {
        at += l.text.chars().filter(|c| !c.is_whitespace()).count();
        assert!(
            breaks.contains(&at),
            "{} {} line {} ends inside a word: {:?}",
            h.article,
            h.role,
            i + 1,
            texts(h)
        );
        assert!(
            solid(&l.text) >= 2,
            "{} {} line {} holds one character: {:?}",
            h.article,
            h.role,
            i + 1,
            texts(h)
        );
    }
}

#[test]
fn every_head_line_of_the_test_edition_ends_between_words() {
    let (issue, _) = laid_test_edition();
    let heads = heads();
    // Every element of the test edition is on the page and marked.
    for (article, role) in [
        ("lead", "headline"),
        ("interview", "person.0"),
        ("interview", "headline"),
        ("interview", "byline"),
        ("interview", "xbt.0"),
        ("story", "kicker"),
        ("story", "headline"),
        ("story", "subhead"),
        ("story", "byline"),
        ("story", "caption.0"),
        ("story", "xbt.0"),
        ("wide", "person.0"),
        ("wide", "headline"),
    ] {
        assert_broken_between_words(issue, head(&heads, article, role));
    }
    // The narrow blocks do break their heads: this is not one-line text.
    let broken = heads.iter().filter(|h| h.lines.len() > 1).count();
    assert!(broken >= 8, "{broken} heads on more than one line");
}

#[test]
fn a_person_line_keeps_its_title_and_name_whole() {
    let heads = heads();
    // One column: 11 characters of 10.5 pt a line; 湖州市吴兴区总工会副书 would
    // fill the first and leave 记 to the next.
    let h = head(&heads, "interview", "person.0");
    assert_eq!(texts(h), ["湖州市吴兴区总工会", "副书记、主席慎小红："]);
}

#[test]
fn a_byline_never_parts_a_name() {
    let heads = heads();
    // ■本报记者洪茵婷 通讯员秦师余 is more than one column's 13 cells: the
    // name goes down whole, with its role.
    let h = head(&heads, "interview", "byline");
    assert_eq!(texts(h), ["■本报记者洪茵婷", "通讯员秦师余"]);
    let h = head(&heads, "story", "byline");
    assert!(texts(h).iter().all(|l| !l.ends_with("陈鸣") && !l.starts_with("旭")), "{:?}", texts(h));
}

#[test]
fn a_subhead_leaves_no_character_alone() {
    let heads = heads();
    // 12 characters of 9.9 pt in a 13-cell column: 11 fit a line, and
    // the 12th would stand alone.
    let h = head(&heads, "interview", "xbt.0");
    assert_eq!(h.source, "助推城市发展做好服务工作");
    assert_eq!(h.lines.len(), 2, "{:?}", texts(h));
    assert!(h.lines.iter().all(|l| solid(&l.text) >= 2), "{:?}", texts(h));
    // It takes two grid lines: the body after it stays on the grid.
    let (_, laid) = laid_test_edition();
    let mut r = TypoReport::default();
    typography::check(laid, &mut r);
    assert_eq!(r.lines_on_baseline_grid, r.lines, "{}", r.summary());
}

#[test]
fn a_lead_headline_keeps_its_four_character_phrase() {
    let heads = heads();
    let h = head(&heads, "lead", "headline");
    assert!(h.lines.len() >= 2, "{:?}", texts(h));
    assert_broken_between_words(&laid_test_edition().0, h);
    assert!(texts(h).iter().any(|l| l.contains("心语心愿")), "{:?}", texts(h));
    // At its least size, 28 pt, no smaller.
    assert!(h.lines.iter().all(|l| (l.size - 28.0).abs() < 0.01), "{:?}", h.lines);
}

#[test]
fn the_typography_check_finds_no_head_breaks_in_the_test_edition() {
    let (_, laid) = laid_test_edition();
    let mut r = TypoReport::default();
    typography::check(laid, &mut r);
    assert_eq!(r.count(typography::Rule::HeadWordSplit), 0, "{:#?}", r.violations);
    assert_eq!(r.count(typography::Rule::HeadRunt), 0, "{:#?}", r.violations);
}

/// Layouts that let Typst break heads wherever it likes, as before words.
fn break_anywhere(p: &TempProject) {
    p.edit("layouts/heads.typ", |t| {
        let old = "lines.enumerate().map(((i, l)) => mark(\"hl\", i) + style(l, s) + mark(\"hle\", i)).join(linebreak())";
        assert!(t.contains(old), "heads.typ sets its lines as the test expects");
        t.replace(old, "mark(\"hl\", 0) + style(line-text(a, 0, a.len()), s) + mark(\"hle\", 0)")
    });
}

#[test]
fn check_typography_reports_heads_broken_inside_words_and_lone_characters() {
    let (p, _, _) = test_edition();
    break_anywhere(&p);
    let out = p.run(&["check", "content/ed", "--typography"]);
    let text = stdout(&out);
    let split: Vec<&str> = text.lines().filter(|l| l.contains(": head-word-split: ")).collect();
    let runt: Vec<&str> = text.lines().filter(|l| l.contains(": head-runt: ")).collect();
    // Named with issue, page, article, line and the line's text.
    assert!(
        split.iter().any(|l| l.starts_with(
            "xinchun-1 page 1 interview column 1 line 1: head-word-split: person.0: 湖州市吴兴区总工会副书/记"
        )),
        "{text}"
    );
    assert!(
        split
            .iter()
            .any(|l| l.contains("interview column 1 line 1: head-word-split: byline: ■本报记者洪茵婷通讯员")),
        "{text}"
    );
    assert!(runt.iter().any(|l| l.contains("interview") && l.contains("xbt.0: 作")), "{text}");
    assert!(text.contains("heads: ") && !text.contains("heads: 0 broken inside a word, 0 孤字"), "{text}");
    // The JSON report carries the rules too.
    let out = p.run(&["check", "content/ed", "--typography", "--json"]);
    assert!(stdout(&out).contains("\"head-word-split\""), "{}", stdout(&out));
}

#[test]
fn a_head_too_long_for_a_one_column_block_is_an_error_naming_the_article() {
    // A portrait as wide as its one-column block leaves the head no room.
    let interview = format!(
        "+++\nkind = \"interview\"\nperson = [\"淳安县总工会党组书记、常务副主席王昌迪：\"]\nheadline = \"稳步推进工会改革\"\n[[photos]]\nid = \"p\"\ncells = 12\nlines = 8\n+++\n\n{BODY}\n"
    );
    // A story whose headline is one word wider than a column at 18 pt.
    let story = format!("+++\nkind = \"news\"\nheadline = \"中华全国总工会\"\n+++\n\n{BODY}\n");
    for (id, text) in [("narrow", interview), ("acftu", story)] {
        let (p, project, issue) = edition_of(&[(id, text.clone())], &place(id, 1, 1, 1, 40));
        let err = match rounds::lay_out(&project, &issue, LayoutOptions::default()) {
            Err(e) => e,
            Ok(_) => panic!("{id}: a head that cannot fit laid out"),
        };
        let msg = format!("{err}");
        assert!(msg.contains("cannot be set in their blocks"), "{msg}");
        assert!(msg.contains(&format!("  {id}: the ")), "names the article: {msg}");
        assert!(msg.contains("1 column(s), 13 characters") && msg.contains(" pt"), "block and need: {msg}");
        assert!(msg.contains(&format!("{id}.md")), "names the file: {msg}");
        // The CLI: exit 2, no PDF written.
        let out = p.build(&[]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(id), "{}", stderr(&out));
        assert!(!p.path().join("out/xinchun-1.pdf").exists());
        let _ = text;
    }
}

#[test]
fn a_head_beside_its_photo_makes_the_row_taller_rather_than_run_into_the_body() {
    // A long person line and headline beside a portrait in two columns: the
    // head is taller than the photo.
    let interview = format!(
        "+++\nkind = \"interview\"\nperson = [\"宁波鄞州区总工会党组书记、常务副主席阮善良：\", \"湖州市吴兴区总工会党组书记、常务副主席慎小红\"]\nheadline = \"拓展困难职工帮扶机制 巩固民主管理制度 完善基层组织建设\"\nbyline = [{{ role = \"记者\", name = \"洪茵婷\" }}]\n[[photos]]\nid = \"p\"\ncells = 14\nlines = 5\n+++\n\n{BODY}\n"
    );
    let (_p, project, issue) = edition_of(&[("tall", interview)], &place("tall", 1, 2, 1, 40));
    let laid = rounds::lay_out(&project, &issue, LayoutOptions::default()).unwrap();
    let heads = heads::head_texts(&laid);
    let last = heads.iter().flat_map(|h| &h.lines).map(|l| l.baseline).fold(0.0, f64::max);
    let start = laid.scans[0].start("tall").unwrap();
    assert!(last < start.y, "the head's last line ({last}) is above the body ({})", start.y);
    for h in &heads {
        assert_broken_between_words(&issue, h);
    }
}
