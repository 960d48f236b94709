//! `paiban fonts`: the families paiban can use, and where each comes from.

use crate::args::FontsArgs;
use crate::error::Result;
use crate::fonts::Fonts;

pub fn run(args: &FontsArgs) -> Result<i32> {
    let root = args
        .project
        .root
        .canonicalize()
        .map_err(|e| crate::error::Error::io(e, &args.project.root, "project root"))?;
    let fonts = Fonts::load(&root, &args.project.fonts.options())?;
    let mut last = "";
    for e in &fonts.entries {
        if e.family != last {
            println!("{}", e.family);
            last = &e.family;
        }
        let path = e.path.strip_prefix(&root).unwrap_or(&e.path);
        let index = if e.index > 0 { format!(" #{}", e.index) } else { String::new() };
        println!("  {:<7} {:>3}  {}{index}", e.style, e.weight, path.display());
    }
    Ok(0)
}
