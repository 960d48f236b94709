//! Shared helpers: the real project, its edition laid out once per test
//! binary, temporary projects for bad-input cases, and the CLI.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use paiban::content::model::Edition;
use paiban::layout::report::FitReport;
use paiban::layout::rounds::{self, Laid, LayoutOptions};
use paiban::typeset::project::Project;
use paiban::plan::place;
use paiban::typeset::fonts::FontOptions;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn edition_dir() -> PathBuf {
    root().join("content/xinchun-2018")
}

pub fn project() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| Project::open(&root(), &FontOptions::default()).expect("project opens"))
}

pub fn edition() -> &'static Edition {
    static E: OnceLock<Edition> = OnceLock::new();
    E.get_or_init(|| place::edition(&edition_dir(), &root()).expect("edition loads"))
}

/// Both issues laid out once.
pub fn laid() -> &'static Vec<Laid> {
    static L: OnceLock<Vec<Laid>> = OnceLock::new();
    L.get_or_init(|| {
        edition()
            .issues
            .iter()
            .map(|i| rounds::lay_out(project(), i, LayoutOptions::default()).expect("issue lays out"))
            .collect()
    })
}

pub fn paiban(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban")).args(args).current_dir(cwd).output().expect("paiban runs")
}

/// Runs paiban with a deadline; None (the process killed) when it runs
/// past it. Output goes to files, not pipes: a run that prints a lot must
/// not block on a full pipe and pass for a hang.
pub fn run_within(args: &[&str], cwd: &Path, limit: std::time::Duration) -> Option<Output> {
    use std::process::Stdio;
    let log = tempfile::tempdir().unwrap();
    let (out_f, err_f) = (log.path().join("stdout"), log.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::from(std::fs::File::create(&out_f).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_f).unwrap()))
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let read = |f: &Path| std::fs::read(f).unwrap_or_default();
            return Some(Output { status, stdout: read(&out_f), stderr: read(&err_f) });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A throwaway project: copies of layouts/ and the edition, an empty fonts/
/// (the real fonts come in with --font-path, see `args`).
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&root().join("layouts"), &dir.path().join("layouts"));
        copy_dir(&edition_dir(), &dir.path().join("content/ed"));
        std::fs::create_dir_all(dir.path().join("fonts")).unwrap();
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn edition(&self) -> PathBuf {
        self.path().join("content/ed")
    }

    pub fn article(&self, issue: &str, id: &str) -> PathBuf {
        self.edition().join(issue).join("articles").join(format!("{id}.md"))
    }

    pub fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let p = self.path().join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(text)).unwrap();
    }

    /// Runs paiban with this project as root and the repo's fonts.
    pub fn run(&self, args: &[&str]) -> Output {
        let fonts = root().join("fonts");
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--root", ".", "--font-path", fonts.to_str().unwrap()]);
        paiban(&all, self.path())
    }

    /// `build content/ed --out out` plus extra args.
    pub fn build(&self, extra: &[&str]) -> Output {
        let mut args = vec!["build", "content/ed", "--out", "out"];
        args.extend(extra);
        self.run(&args)
    }
}

/// Removes all whitespace, including the ideographic space.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()
}

pub fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

impl TempProject {
    /// A one-issue edition holding exactly `articles` (file stem, file text)
    /// placed by `places` (`[[place]]` tables).
    pub fn single_issue(articles: &[(&str, String)], places: &str) -> Self {
        let p = TempProject::new();
        let ed = p.edition();
        std::fs::remove_dir_all(ed.join("2")).unwrap();
        std::fs::write(ed.join("edition.toml"), "title = \"t\"\nissues = [\"1\"]\n").unwrap();
        let dir = ed.join("1/articles");
        for e in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(e.unwrap().path()).unwrap();
        }
        for (id, text) in articles {
            std::fs::write(dir.join(format!("{id}.md")), text).unwrap();
        }
        p.edit("content/ed/1/issue.toml", |t| format!("{}{places}", &t[..t.find("[[place]]").unwrap()]));
        p
    }
}

/// A one-issue edition with one interview (4 columns) whose block and body
/// length the test chooses; `extra` adds more [[place]] tables.
pub fn page(body: &str, lines: u32, photo: bool, extra_place: &str) -> (TempProject, Laid, FitReport) {
    page_styled(body, lines, photo, extra_place, "")
}

/// `page` in a house style: `style` is the body of edition.toml's `[style]`.
pub fn page_styled(
    body: &str,
    lines: u32,
    photo: bool,
    extra_place: &str,
    style: &str,
) -> (TempProject, Laid, FitReport) {
    let photo = if photo { "[[photos]]\nid = \"p\"\ncells = 12\nlines = 10\n" } else { "" };
    let story = format!("+++\nkind = \"interview\"\nheadline = \"标题\"\n{photo}+++\n\n{body}\n");
    let places = format!(
        "[[place]]\narticle = \"story\"\ncolumn = 1\nspan = 4\nline = 1\nlines = {lines}\n{extra_place}"
    );
    let p = TempProject::single_issue(&[("story", story)], &places);
    if !style.is_empty() {
        p.edit("content/ed/edition.toml", |t| format!("{t}\n[style]\n{style}\n"));
    }
    let fonts = FontOptions { paths: vec![root().join("fonts")], system: false };
    let project = Project::open(p.path(), &fonts).unwrap();
    let edition = paiban::plan::place::edition(&p.edition(), &project.root).unwrap();
    let laid = rounds::lay_out(&project, &edition.issues[0], LayoutOptions::default()).unwrap();
    let mut report = FitReport::default();
    report.add(&laid);
    (p, laid, report)
}
