//! Writing outputs: PDFs with fixed timestamps and ids, and every file
//! written to a temporary name in its folder and renamed into place, so a
//! failed build never leaves a half-written file where a good one was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::press::Standard;

use crate::error::{Error, Result};
use crate::typeset::cost::{self, Call};

/// Writes `bytes` to `path` atomically (temp file in the same folder, then
/// rename), flushed to disk first: what the press gets must survive a crash.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, true)
}

/// As `write_atomic`, without waiting for the disk: a proof is never seen
/// half-written, and one lost to a crash is made again on the next save.
pub fn write_preview(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, false)
}

/// The temporary name a file is written under before its rename: hidden,
/// and marked with paiban and the writing process, so a later build can
/// tell its own leftovers (a `kill -9` mid-write) from the desk's files.
fn temp_name(path: &Path, what: &str) -> PathBuf {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    dir.join(format!(".{name}.paiban-{}.{what}", std::process::id()))
}

fn write_replacing(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let tmp = temp_name(path, "tmp");
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if durable {
            f.sync_all()?;
        }
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io(e, path, "output file").hint("check that the output folder exists and is writable")
    })
}

/// The files of one build, written under temporary names first and renamed
/// into place only when every one is written: a failure while writing (a
/// full disk, a target that is a folder) leaves the folder as it was. If a
/// rename fails half-way, the files already replaced are put back.
#[derive(Default)]
pub struct Batch {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Batch {
    /// Writes `bytes` for `path` under a temporary name, synced to disk.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<()> {
        if path.is_dir() {
            return Err(Error::input("an output file's name is taken by a folder")
                .in_file(path)
                .hint("remove or rename that folder, or choose another --out folder"));
        }
        let tmp = temp_name(path, "tmp");
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&tmp);
            self.abandon();
            return Err(Error::io(e, path, "output file")
                .hint("check free space and that the output folder is writable; nothing was replaced"));
        }
        self.staged.push((path.to_path_buf(), tmp));
        Ok(())
    }

    /// Takes over another batch's staged files.
    pub fn absorb(&mut self, mut other: Batch) {
        self.staged.append(&mut other.staged);
    }

    /// Renames every staged file into place; on a failure, restores what
    /// was there before and removes the rest.
    pub fn commit(mut self) -> Result<()> {
        let staged = std::mem::take(&mut self.staged);
        let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        for (i, (path, tmp)) in staged.iter().enumerate() {
            let backup = temp_name(path, "old");
            let had = path.exists() && fs::rename(path, &backup).is_ok();
            match fs::rename(tmp, path) {
                Ok(()) => done.push((path.clone(), had.then_some(backup))),
                Err(e) => {
                    if had {
                        let _ = fs::rename(&backup, path);
                    }
                    for (p, b) in done.iter().rev() {
                        match b {
                            Some(b) => {
                                let _ = fs::rename(b, p);
                            }
                            None => {
                                let _ = fs::remove_file(p);
                            }
                        }
                    }
                    for (_, t) in &staged[i..] {
                        let _ = fs::remove_file(t);
                    }
                    return Err(Error::io(e, path, "output file")
                        .hint("the folder was put back as it was before this build"));
                }
            }
        }
        for (_, b) in done {
            if let Some(b) = b {
                let _ = fs::remove_file(b);
            }
        }
        if let Some(dir) = staged.first().and_then(|(p, _)| p.parent()).filter(|d| !d.as_os_str().is_empty())
            && let Ok(d) = fs::File::open(dir)
        {
            let _ = d.sync_all();
        }
        Ok(())
    }

    fn abandon(&mut self) {
        for (_, tmp) in self.staged.drain(..) {
            let _ = fs::remove_file(tmp);
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        self.abandon();
    }
}

/// Removes temporary files an earlier paiban left in `dir` when it was
/// killed mid-write (`.NAME.paiban-PID.tmp`/`.old`, and the older
/// `.NAME.PID.tmp`), unless that process still runs. An `.old` file is a
/// replaced output whose rename back never happened: it is put back if the
/// output itself is missing.
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix('.') else { continue };
        let Some((stem, kind)) = rest.rsplit_once('.') else { continue };
        if kind != "tmp" && kind != "old" {
            continue;
        }
        let Some((target, pid)) = stem.rsplit_once('.') else { continue };
        let pid = pid.strip_prefix("paiban-").unwrap_or(pid);
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        let path = e.path();
        if kind == "old" && !dir.join(target).exists() {
            let _ = fs::rename(&path, dir.join(target));
        } else {
            let _ = fs::remove_file(&path);
        }
    }
}

/// Makes sure the output folder exists and is writable, before any work.
pub fn prepare_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| {
        Error::io(e, dir, "output folder").hint("choose another --out folder, or fix its permissions")
    })?;
    let probe = dir.join(format!(".paiban-probe.{}", std::process::id()));
    fs::write(&probe, b"").map_err(|e| {
        Error::io(e, dir, "output folder is not writable")
            .hint("choose another --out folder, or fix its permissions")
    })?;
    let _ = fs::remove_file(probe);
    Ok(())
}

/// Exports a PDF with typst-pdf at the PDF version the press standard is
/// built on (`press::finish` makes it PDF/X); the timestamp is the issue
/// date, the id is stable.
pub fn pdf(doc: &PagedDocument, ident: &str, date: (i32, u8, u8), standard: Standard) -> Result<Vec<u8>> {
    let (y, m, d) = date;
    let datetime =
        Datetime::from_ymd_hms(y, m, d, 0, 0, 0).ok_or_else(|| Error::input("invalid issue date"))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("paiban {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(Timestamp::new_utc(datetime)),
        standards: PdfStandards::new(&[match standard {
            Standard::X1a => PdfStandard::V_1_4,
            Standard::X4 => PdfStandard::V_1_6,
        }])
        .map_err(|e| Error::internal(format!("PDF standard: {e:?}")))?,
        ..PdfOptions::default()
    };
    cost::timed(Call::Pdf, || typst_pdf::pdf(doc, &options)).map_err(|errors| {
        let msgs: Vec<_> = errors.iter().map(|e| e.message.to_string()).collect();
        Error::internal(format!("PDF export failed: {}", msgs.join("; ")))
    })
}

/// Renders a page to PNG at `dpi`.
pub fn png(page: &typst_layout::Page, dpi: f64) -> Result<Vec<u8>> {
    encode_png(&crate::output::raster::render(page, dpi))
}

/// Encodes a rendered page. A page is opaque and, without guides, grey:
/// one byte a pixel then, and fast deflate with adaptive filters, which is
/// both smaller and ~10× quicker than the RGBA default (what makes a
/// re-proof quick).
pub fn encode_png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>> {
    let rgba = pixmap.data();
    let opaque = rgba.chunks_exact(4).all(|p| p[3] == 255);
    if !opaque {
        return pixmap.encode_png().map_err(|e| Error::internal(format!("PNG encoding failed: {e}")));
    }
    let grey = rgba.chunks_exact(4).all(|p| p[0] == p[1] && p[1] == p[2]);
    let (colour, data): (png::ColorType, Vec<u8>) = if grey {
        (png::ColorType::Grayscale, rgba.chunks_exact(4).map(|p| p[0]).collect())
    } else {
        (png::ColorType::Rgb, rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect())
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fastest);
    encoder.set_filter(png::Filter::Adaptive);
    let failed = |e: png::EncodingError| Error::internal(format!("PNG encoding failed: {e}"));
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(&data).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}
