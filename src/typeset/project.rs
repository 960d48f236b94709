//! The project a build works in: its root (where `layouts/` and `fonts/`
//! live), the font store every issue shares, the layouts' house style and
//! the body face's widths the line planner counts with. Opened once a run.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::typeset::fonts::{FontOptions, Fonts};
use crate::typeset::house::House;

/// The project: its root (where `layouts/` and `fonts/` live) and the font
/// store shared by every issue.
pub struct Project {
    pub root: PathBuf,
    pub fonts: Arc<Fonts>,
    /// The house style of the layouts (`house` in `layouts/style.typ`).
    pub house: Arc<House>,
    /// The body face's Latin and digit widths, for the line planner.
    pub widths: crate::plan::linebreak::Widths,
}

impl Project {
    pub fn open(root: &Path, fonts: &FontOptions) -> Result<Self> {
        let root = root.canonicalize().map_err(|e| Error::io(e, root, "project root"))?;
        if !root.join("layouts").join("page.typ").is_file() {
            return Err(Error::input("this is not a paiban project: layouts/page.typ is missing")
                .in_file(&root)
                .hint("run paiban in the project folder, or pass --root"));
        }
        let fonts = Arc::new(Fonts::load(&root, fonts)?);
        let house = Arc::new(House::read(&root, fonts.clone())?);
        let widths = fonts.body_widths(house.fonts.song.first().map_or("", String::as_str));
        Ok(Self { root, fonts, house, widths })
    }

    /// Reads `layouts/style.typ` again (after a designer's edit).
    pub fn reload_house(&mut self) -> Result<()> {
        self.house = Arc::new(House::read(&self.root, self.fonts.clone())?);
        Ok(())
    }
}
