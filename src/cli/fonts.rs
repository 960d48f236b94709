//! `paiban fonts`: the families paiban can use, and where each comes from;
//! `--coverage`: how much of GB 2312, GBK and the 通用规范汉字表 each font
//! role prints, with its own design and with its fallbacks.

use crate::check::glyphs::{self, Chain, Repertoire};
use crate::cli::args::FontsArgs;
use crate::error::Result;
use crate::typeset::fonts::Fonts;
use crate::typeset::house::{FontRoles, House};

/// Missing characters listed per role and set.
const SHOW_MISSING: usize = 20;

pub fn run(args: &FontsArgs) -> Result<i32> {
    let root = args
        .project
        .root
        .canonicalize()
        .map_err(|e| crate::error::Error::io(e, &args.project.root, "project root"))?;
    let fonts = std::sync::Arc::new(Fonts::load(&root, &args.project.fonts.options())?);
    if args.coverage {
        let house = House::read(&root, fonts.clone())?;
        coverage(&fonts, &house.fonts);
        return Ok(0);
    }
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

fn coverage(fonts: &Fonts, roles: &FontRoles) {
    let sets: [Repertoire; 3] = [glyphs::gb2312(), glyphs::gbk(), glyphs::tongyong_guifan()];
    for s in &sets {
        println!("{}: {}", s.name, s.about);
    }
    for role in glyphs::ROLES {
        let chain = Chain::new(fonts.store.book(), roles, role);
        println!();
        println!("{} (weight {}): {}", role.name, role.weight, chain.families.join(" → "));
        for s in &sets {
            let total = s.chars.len();
            let mut own = 0;
            let mut by_fallback: Vec<(&str, usize)> = Vec::new();
            let mut missing = Vec::new();
            for &c in &s.chars {
                match chain.family_for(c) {
                    Some(f) if chain.families.first().is_some_and(|g| g == f) => own += 1,
                    Some(f) => match by_fallback.iter_mut().find(|(g, _)| *g == f) {
                        Some((_, n)) => *n += 1,
                        None => by_fallback.push((f, 1)),
                    },
                    None => missing.push(c),
                }
            }
            let covered = total - missing.len();
            let fallback: Vec<String> =
                by_fallback.iter().map(|(f, n)| format!("{} from {f}", glyphs::group(*n))).collect();
            // Pad by display width: a CJK character takes two columns.
            let width: usize = s.name.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            println!(
                "  {}{} {:>6} of {:>6}  {:>6.2} %   ({} by {}{}{})",
                s.name,
                " ".repeat(14usize.saturating_sub(width)),
                glyphs::group(covered),
                glyphs::group(total),
                100.0 * covered as f64 / total.max(1) as f64,
                glyphs::group(own),
                chain.families.first().map_or("?", String::as_str),
                if fallback.is_empty() { "" } else { ", " },
                fallback.join(", ")
            );
            if !missing.is_empty() {
                let shown: Vec<String> =
                    missing.iter().take(SHOW_MISSING).map(|c| format!("{c} U+{:04X}", *c as u32)).collect();
                let more = missing.len().saturating_sub(SHOW_MISSING);
                let more =
                    if more > 0 { format!(" … and {} more", glyphs::group(more)) } else { String::new() };
                println!("           missing: {}{more}", shown.join(", "));
            }
        }
    }
}
