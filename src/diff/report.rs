//! The diff report as text: per page identical or changed, the share of
//! pixels changed, regions in mm grouped by article, and the structural
//! changes.

use std::fmt::Write;

use super::{PageResult, Status};

/// Regions listed per article before "… and N more".
const MAX_REGIONS: usize = 8;

pub fn pct(v: f64) -> String {
    if v > 0.0 && v < 0.01 { format!("{v:.4} %") } else { format!("{v:.2} %") }
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") }
}

/// "issue xinchun-1, page 1".
pub fn page_name(r: &PageResult) -> String {
    format!("issue {}, page {}", r.issue, r.page)
}

/// The report of one page.
pub fn page(r: &PageResult, dpi: f64) -> String {
    let mut s = String::new();
    let name = page_name(r);
    match r.status {
        Status::Added => return format!("{name}: added (only in NEW)\n"),
        Status::Removed => return format!("{name}: removed (only in OLD)\n"),
        _ => {}
    }
    let Some(d) = &r.pixels else { return format!("{name}: not compared\n") };
    let verdict = if r.status == Status::Identical { "identical" } else { "changed" };
    let within = if r.status == Status::Identical && d.changed > 0 { " (within tolerance)" } else { "" };
    let _ = writeln!(
        s,
        "{name}: {verdict}{within} — {} of pixels, {}",
        pct(d.share()),
        plural(d.regions.len(), "region")
    );
    if let Some((a, b)) = d.size_changed {
        let _ = writeln!(s, "  page image size {} × {} → {} × {} px", a.0, a.1, b.0, b.1);
    }
    // Regions by owner, in the order blocks appear in the map; the page
    // outside every block last.
    let mut owners: Vec<Option<usize>> = (0..r.owners.len()).map(Some).collect();
    owners.push(None);
    for owner in owners {
        let regions: Vec<_> = d.regions.iter().filter(|g| g.owner == owner).collect();
        if regions.is_empty() {
            continue;
        }
        let who = match owner {
            Some(i) => format!("article {}", r.owners[i]),
            None if r.owners.is_empty() => {
                "page (no page map: regions are not assigned to articles)".to_string()
            }
            None => "page, outside every block".to_string(),
        };
        let px: usize = regions.iter().map(|g| g.pixels).sum();
        let share = if d.compared == 0 { 0.0 } else { px as f64 * 100.0 / d.compared as f64 };
        let _ = writeln!(s, "  {who} — {}, {} of pixels", plural(regions.len(), "region"), pct(share));
        for g in regions.iter().take(MAX_REGIONS) {
            let m = g.to_mm(dpi);
            let _ = writeln!(
                s,
                "    at x {:.1} y {:.1} mm, {:.1} × {:.1} mm ({} px)",
                m[0], m[1], m[2], m[3], g.pixels
            );
        }
        if regions.len() > MAX_REGIONS {
            let _ = writeln!(s, "    … and {} more", regions.len() - MAX_REGIONS);
        }
    }
    match &r.changes {
        Some(c) if !c.is_empty() => {
            let _ = writeln!(s, "  structure:");
            for l in c.lines() {
                let _ = writeln!(s, "    {l}");
            }
        }
        Some(_) => {
            let _ = writeln!(s, "  structure: unchanged");
        }
        None => {}
    }
    s
}

/// The whole report, with a summary line.
pub fn all(results: &[PageResult], dpi: f64) -> String {
    let mut s: String = results.iter().map(|r| page(r, dpi)).collect();
    let changed = results.iter().filter(|r| r.status != Status::Identical).count();
    let _ = writeln!(s, "{changed} of {} changed (compared at {dpi} dpi)", plural(results.len(), "page"));
    s
}
