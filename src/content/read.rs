//! Reading input files defensively: regular files only, bounded in size.
//! Content, photos and profiles all come through here, so a FIFO, a device
//! or a runaway file is refused before anything waits on it or fills memory.

use std::io::Read;
use std::path::Path;

/// Largest photo file read (bytes): the loader checks a photo with it, the
/// press reads it again for conversion (`press::photos`).
pub const MAX_PHOTO: u64 = 200 << 20;

/// Reads a regular file of at most `limit` bytes. FIFOs, devices and
/// folders are refused before anything is opened for reading, so a named
/// pipe never hangs a build.
pub fn regular(path: &Path, limit: u64) -> std::result::Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("it is not a regular file (a folder, pipe or device)".into());
    }
    if meta.len() > limit {
        return Err(format!("it is {} MB; the limit is {} MB", meta.len() >> 20, limit >> 20));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("it grew past the limit of {} MB while being read", limit >> 20));
    }
    Ok(bytes)
}
