//! `build --emit-typst DIR`: a self-contained Typst project per edition, so
//! a designer can open a page in any Typst editor and plain `typst compile`
//! can be measured against paiban on the same pages.
//!
//! DIR holds `layouts/`, one `<issue>.json` (the final data, chains split and
//! copyfit applied) and one `<issue>.typ` per issue, the photos the data
//! names, and a README with the command line.

use std::fs;
use std::path::Path;

use crate::content::model::Issue;
use crate::error::{Error, Result};
use crate::output::files;
use crate::press::photos::Prepared;

/// The main file of an emitted issue.
pub fn main_source(issue_id: &str) -> String {
    format!("#import \"/layouts/page.typ\": newspaper-page\n#newspaper-page(json(\"/{issue_id}.json\"))\n")
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    let mut entries: Vec<_> = fs::read_dir(from)?.collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else {
            fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

/// `issues`: each issue with the data Typst laid it out from and its
/// photos as converted for the press.
pub fn write(dir: &Path, root: &Path, issues: &[(&Issue, &[u8], &[Prepared])]) -> Result<()> {
    let io = |e: std::io::Error, p: &Path| Error::io(e, p, "--emit-typst folder");
    files::prepare_dir(dir)?;
    copy_tree(&root.join("layouts"), &dir.join("layouts")).map_err(|e| io(e, dir))?;
    let mut mains = Vec::new();
    for (issue, data, photos) in issues {
        let id = &issue.file.id;
        files::write_atomic(&dir.join(format!("{id}.json")), data)?;
        files::write_atomic(&dir.join(format!("{id}.typ")), main_source(id).as_bytes())?;
        // Photos the data names, at the same project paths.
        let data: serde_json::Value =
            serde_json::from_slice(data).map_err(|e| Error::internal(e.to_string()))?;
        for block in data["blocks"].as_array().into_iter().flatten() {
            for photo in block["photos"].as_array().into_iter().flatten() {
                if let Some(file) = photo["file"].as_str() {
                    let rel = file.trim_start_matches('/');
                    let dest = dir.join(rel);
                    fs::create_dir_all(dest.parent().unwrap_or(dir)).map_err(|e| io(e, &dest))?;
                    match photos.iter().find(|p| p.vpath == file) {
                        Some(p) => files::write_atomic(&dest, &p.bytes)?,
                        None => {
                            fs::copy(root.join(rel), &dest).map_err(|e| io(e, &dest))?;
                        }
                    }
                }
            }
        }
        mains.push(format!(
            "    typst compile --root . --font-path <paiban>/fonts --ignore-system-fonts {id}.typ"
        ));
    }
    let readme = format!(
        "# Typst project exported by paiban\n\nEach `<issue>.typ` lays out one page from `<issue>.json` with the layouts in\n`layouts/`. The fonts are paiban's bundled ones (`fonts/` in the paiban\nproject). From this folder:\n\n{}\n\nThe data is final: chained blocks are already split and copyfit changes\napplied. Edit the content in paiban, not here.\n",
        mains.join("\n")
    );
    files::write_atomic(&dir.join("README.md"), readme.as_bytes())
}
