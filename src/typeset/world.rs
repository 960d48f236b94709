//! paiban's Typst World: layouts from `layouts/`, the data as a
//! virtual JSON file, fonts from the shared store, `today()` from the issue
//! date. Reads outside the project root, and packages, are refused.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::typeset::fonts::Fonts;

/// Where the World serves the generated main file and the issue data.
pub const MAIN_PATH: &str = "/__paiban__/main.typ";
pub const DATA_PATH: &str = "/__paiban__/issue.json";

pub fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
}

/// The main file: the page component applied to the data.
pub fn main_source() -> String {
    format!("#import \"/layouts/page.typ\": newspaper-page\n#newspaper-page(json(\"{DATA_PATH}\"))\n")
}

pub struct PaibanWorld {
    root: PathBuf,
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: FileId,
    today: Datetime,
    /// Files served from memory: the main file and the issue data.
    virtual_files: HashMap<FileId, Bytes>,
    /// Files read from disk, each once.
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
}

impl PaibanWorld {
    /// `root` must be canonical; `data` is the JSON.
    pub fn new(root: PathBuf, fonts: Arc<Fonts>, data: Vec<u8>, today: Datetime) -> Self {
        let main = file_id(MAIN_PATH);
        let mut virtual_files = HashMap::new();
        virtual_files.insert(main, Bytes::from_string(main_source()));
        virtual_files.insert(file_id(DATA_PATH), Bytes::new(data));
        Self {
            root,
            library: LazyHash::new(Library::builder().build()),
            fonts,
            main,
            today,
            virtual_files,
            files: Mutex::new(HashMap::new()),
            sources: Mutex::new(HashMap::new()),
        }
    }

    /// A World for a Typst project on disk (as `--emit-typst` writes one):
    /// `main` is a project path such as `/xinchun-1.typ`; nothing virtual.
    pub fn project_file(root: PathBuf, fonts: Arc<Fonts>, main: &str, today: Datetime) -> Self {
        let mut w = Self::new(root, fonts, Vec::new(), today);
        w.virtual_files.clear();
        w.main = file_id(main);
        w
    }

    /// Serves `bytes` at the project path `path` (a converted photo).
    pub fn add_file(&mut self, path: &str, bytes: Bytes) {
        self.virtual_files.insert(file_id(path), bytes);
    }

    /// Replaces the issue data (for incremental recompiles).
    pub fn set_data(&mut self, data: Vec<u8>) {
        self.virtual_files.insert(file_id(DATA_PATH), Bytes::new(data));
    }

    /// Reads a project file, refusing anything that resolves outside the
    /// root (`..`, absolute paths, symlinks out).
    fn read(&self, id: FileId) -> FileResult<Bytes> {
        let rooted = id.get();
        if let VirtualRoot::Package(spec) = rooted.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("packages are not available in paiban ({spec}); copy what you need into layouts/")
                    .into(),
            ))));
        }
        let path = rooted.vpath().realize(&self.root).map_err(FileError::Realize)?;
        let canon = path.canonicalize().map_err(|e| FileError::from_io(e, &path))?;
        if !canon.starts_with(&self.root) {
            return Err(FileError::AccessDenied);
        }
        if canon.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&canon).map(Bytes::new).map_err(|e| FileError::from_io(e, &path))
    }

    /// A project file's path on disk, relative to the working folder when
    /// it lies below it (as the user would type it).
    pub fn disk_path(&self, id: FileId) -> PathBuf {
        let path = self.root.join(id.get().vpath().get_with_slash().trim_start_matches('/'));
        match std::env::current_dir().ok().and_then(|cwd| cwd.canonicalize().ok()) {
            Some(cwd) => path.strip_prefix(&cwd).map(PathBuf::from).unwrap_or(path),
            None => path,
        }
    }

    /// A file's path for messages: relative to the root, or the virtual path.
    pub fn display_name(&self, id: FileId) -> String {
        let vpath = id.get().vpath();
        match vpath.get_with_slash() {
            MAIN_PATH => "<paiban main>".into(),
            DATA_PATH => "<issue data>".into(),
            p => p.trim_start_matches('/').to_string(),
        }
    }
}

impl World for PaibanWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.store.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(s) = self.sources.lock().unwrap().get(&id) {
            return s.clone();
        }
        let result = self.file(id).and_then(|bytes| {
            let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_string()))
        });
        self.sources.lock().unwrap().insert(id, result.clone());
        result
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.virtual_files.get(&id) {
            return Ok(b.clone());
        }
        let mut files = self.files.lock().unwrap();
        files.entry(id).or_insert_with(|| self.read(id)).clone()
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.store.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The page's date, never the clock: output must not depend on when it is built.
        Some(self.today)
    }
}

impl typst_kit::diagnostics::DiagnosticWorld for PaibanWorld {
    fn name(&self, id: FileId) -> String {
        self.display_name(id)
    }
}
