//! `paiban watch` driven as a desk would: edit a paragraph and see a new
//! proof; break the plan and see the error with the old proof kept; fix it
//! and see the watcher recover with every change made meanwhile.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::common::*;

struct Watching {
    child: Child,
    lines: Receiver<String>,
    stderr: Receiver<String>,
}

impl Watching {
    fn start(p: &TempProject) -> Self {
        let fonts = root().join("fonts");
        let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["watch", "content/ed", "--out", "proofs", "--dpi", "30", "--html", "--root", "."])
            .args(["--font-path", fonts.to_str().unwrap()])
            .current_dir(p.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("paiban watch starts");
        let (tx, lines) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let (tx, stderr) = channel();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = err.read(&mut buf) {
                let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
            }
        });
        Self { child, lines, stderr }
    }

    /// The next stdout line that `want` accepts (earlier ones are skipped).
    fn wait_for(&self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(90);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if want(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!("no line for {what} from the watcher; saw {seen:#?}\nstderr: {}", self.stderr_text());
    }

    fn stderr_text(&self) -> String {
        self.stderr.try_iter().collect()
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Writes as an editor that saves by rename does: the watcher never sees a
/// half-written file.
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.saving~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn read(p: &TempProject, file: &str) -> Vec<u8> {
    std::fs::read(p.path().join("proofs").join(file)).unwrap()
}

#[test]
fn watch_reproofs_on_save_keeps_the_last_good_proof_and_recovers() {
    let p = TempProject::new();
    let w = Watching::start(&p);
    let first = w.wait_for("the first build", |l| l.contains("start →"));
    assert!(
        first.contains("xinchun-1 re-proofed p1") && first.contains("xinchun-2 re-proofed p1"),
        "{first}"
    );
    w.wait_for("the watching line", |l| l.starts_with("watching"));
    let one = read(&p, "xinchun-1-p1.png");
    let two = read(&p, "xinchun-2-p1.png");
    let index = std::fs::read_to_string(p.path().join("proofs/index.html")).unwrap();
    assert!(index.contains("\"live\":1"), "the index carries the build number");

    // One paragraph of one article of issue 1.
    let chunan = p.article("1", "chunan");
    let text = std::fs::read_to_string(&chunan).unwrap();
    assert!(text.contains("冰雪消融"));
    save(&chunan, &text.replace("冰雪消融", "冰雪融化"));
    let line = w.wait_for("the edit", |l| l.contains("chunan.md"));
    assert!(line.contains("xinchun-1 re-proofed p1") && line.contains(" ms"), "{line}");
    assert!(!line.contains("xinchun-2"), "issue 2 was not touched: {line}");
    let edited = read(&p, "xinchun-1-p1.png");
    assert_ne!(edited, one, "the proof shows the edit");
    assert_eq!(read(&p, "xinchun-2-p1.png"), two, "issue 2's proof is left as it was");
    assert!(line.contains("% rendered)"), "only the changed region was rendered: {line}");
    let o = p.run(&["proof", "content/ed", "--issue", "xinchun-1", "--out", "fresh", "--dpi", "30"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let fresh = std::fs::read(p.path().join("fresh/xinchun-1-p1.png")).unwrap();
    assert!(edited == fresh, "the region render gives exactly the pixels of a full render");
    assert_eq!(std::fs::read_to_string(p.path().join("proofs/live.js")).unwrap(), "paibanLive(2);\n");

    // Broken TOML in the page plan: the error names the file and line, and
    // the last good proof stays.
    let plan = p.edition().join("1/issue.toml");
    let good = std::fs::read_to_string(&plan).unwrap();
    save(&plan, &format!("{good}\n[[place]\narticle = \n"));
    let line = w.wait_for("the broken plan", |l| l.contains("error"));
    assert!(line.contains("issue.toml") && line.contains("last good proof kept"), "{line}");
    std::thread::sleep(Duration::from_millis(300));
    let err = w.stderr_text();
    assert!(err.contains("issue.toml:") && err.contains("hint"), "the error is located and hinted: {err}");
    assert_eq!(read(&p, "xinchun-1-p1.png"), edited, "the last good proof is kept");
    // The open index shows the error, with file and line, over the page.
    let index = std::fs::read_to_string(p.path().join("proofs/index.html")).unwrap();
    let data = &index[index.find("id=\"paiban-data\">").unwrap() + 17..];
    let data: serde_json::Value = serde_json::from_str(&data[..data.find("</script>").unwrap()]).unwrap();
    let shown = data["error"].as_str().expect("the index carries the error");
    assert!(shown.contains("issue.toml:") && shown.contains("hint"), "{shown}");
    assert!(data["issues"].as_array().unwrap().len() == 2, "the last good proofs stay under it");

    // Another edit while the plan is broken, then the fix: the recovery
    // build carries both.
    save(&chunan, &text.replace("冰雪消融", "春回大地"));
    w.wait_for("the edit during the break", |l| l.contains("chunan.md") && l.contains("error"));
    save(&plan, &good);
    let line = w.wait_for("the recovery", |l| l.contains("issue.toml") && !l.contains("error"));
    assert!(line.contains("xinchun-1 re-proofed p1"), "{line}");
    let index = std::fs::read_to_string(p.path().join("proofs/index.html")).unwrap();
    assert!(index.contains("\"error\":null"), "the error is gone after the good save");
    let recovered = read(&p, "xinchun-1-p1.png");
    assert_ne!(recovered, edited, "the edit made during the break is in the new proof");
    assert_ne!(recovered, one);
}
