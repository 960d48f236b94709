//! Pixel comparison of two page images: which pixels changed beyond a
//! per-channel tolerance, grouped into regions that never cross a block's
//! edge (so each region belongs to one article), and the diff image.

use super::raster::Raster;

/// Changed pixels are clustered on cells of this size: a changed character
/// (9 pt ≈ 3.2 mm) is one region, two changed lines a few mm apart one too.
const CELL_MM: f64 = 2.0;

/// How far outside a block changed pixels still count as the block's.
const SPILL_MM: f64 = 1.0;

pub fn px_per_mm(dpi: f64) -> f64 {
    dpi / 25.4
}

/// A rectangle in mm: x, y, w, h.
pub type RectMm = [f64; 4];

/// A cluster of changed pixels (pixel bounds, end exclusive), and the
/// block (index into the owners given to `compare`) it lies in.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub owner: Option<usize>,
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub pixels: usize,
}

impl Region {
    pub fn to_mm(&self, dpi: f64) -> RectMm {
        let s = px_per_mm(dpi);
        let r = |v: u32| (v as f64 / s * 10.0).round() / 10.0;
        [r(self.x0), r(self.y0), r(self.x1 - self.x0), r(self.y1 - self.y0)]
    }
}

#[derive(Debug, Clone)]
pub struct PixelDiff {
    pub width: u32,
    pub height: u32,
    /// Per pixel: 0 unchanged, 1 changed, 2 masked.
    pub state: Vec<u8>,
    pub changed: usize,
    /// Pixels compared (the page less the masks).
    pub compared: usize,
    pub regions: Vec<Region>,
    /// The two images' sizes when they differ.
    pub size_changed: Option<((u32, u32), (u32, u32))>,
}

impl PixelDiff {
    /// Changed pixels as a percentage of the compared ones.
    pub fn share(&self) -> f64 {
        if self.compared == 0 { 0.0 } else { self.changed as f64 * 100.0 / self.compared as f64 }
    }
}

/// Width of the strip right of a block where its lines hang a mark after
/// the last cell (行末悬挂): one body cell (9 pt, 3.2 mm) and a little.
const HANG_MM: f64 = 3.5;

/// The strip just outside a block's right edge, on its lines, where its
/// hung marks print: a change there is the block's, not the page's.
fn hang_zone(r: &RectMm) -> RectMm {
    [r[0] + r[2], r[1], HANG_MM, r[3]]
}

fn in_rect(r: &RectMm, x: f64, y: f64) -> bool {
    x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3]
}

/// Compares two images of a page at `dpi`. A pixel changed when any channel
/// differs by more than `channel`; pixels inside `masks` are ignored;
/// regions are split at the edges of `owners` (block rectangles).
pub fn compare(
    old: &Raster,
    new: &Raster,
    dpi: f64,
    channel: u8,
    masks: &[RectMm],
    owners: &[RectMm],
) -> PixelDiff {
    let width = old.width.max(new.width);
    let height = old.height.max(new.height);
    let s = px_per_mm(dpi);
    let cell = ((CELL_MM * s).round() as u32).max(2);
    let (cw, ch) = (width.div_ceil(cell), height.div_ceil(cell));
    // Masks as pixel bounds.
    let masks_px: Vec<[u32; 4]> = masks
        .iter()
        .map(|m| {
            let p = |v: f64| (v * s).max(0.0).round() as u32;
            [p(m[0]), p(m[1]), p(m[0] + m[2]), p(m[1] + m[3])]
        })
        .collect();
    let mut state = vec![0u8; width as usize * height as usize];
    let mut changed = 0;
    let mut compared = 0;
    // Per cell: changed pixel count and bounds.
    let mut cells: Vec<(usize, [u32; 4])> = vec![(0, [u32::MAX, u32::MAX, 0, 0]); (cw * ch) as usize];
    for y in 0..height {
        for x in 0..width {
            let i = y as usize * width as usize + x as usize;
            if masks_px.iter().any(|m| x >= m[0] && x < m[2] && y >= m[1] && y < m[3]) {
                state[i] = 2;
                continue;
            }
            compared += 1;
            let (a, b) = (old.px(x, y), new.px(x, y));
            if (0..3).any(|c| a[c].abs_diff(b[c]) > channel) {
                state[i] = 1;
                changed += 1;
                let c = &mut cells[((y / cell) * cw + x / cell) as usize];
                c.0 += 1;
                c.1 = [c.1[0].min(x), c.1[1].min(y), c.1[2].max(x + 1), c.1[3].max(y + 1)];
            }
        }
    }
    // A cell belongs to the block holding the centre of its changed pixels;
    // failing that, to a block within SPILL_MM (anti-aliasing at a block's
    // edge); usize::MAX for none.
    let cell_owner: Vec<usize> = cells
        .iter()
        .map(|(n, b)| {
            if *n == 0 {
                return usize::MAX;
            }
            let (x, y) = ((b[0] + b[2]) as f64 / 2.0 / s, (b[1] + b[3]) as f64 / 2.0 / s);
            let grown =
                |r: &RectMm| [r[0] - SPILL_MM, r[1] - SPILL_MM, r[2] + 2.0 * SPILL_MM, r[3] + 2.0 * SPILL_MM];
            owners
                .iter()
                .position(|r| in_rect(r, x, y))
                .or_else(|| owners.iter().position(|r| in_rect(&grown(r), x, y)))
                .or_else(|| owners.iter().position(|r| in_rect(&hang_zone(r), x, y)))
                .unwrap_or(usize::MAX)
        })
        .collect();
    let regions = cluster(&cells, &cell_owner, cw, ch);
    let size_changed = ((old.width, old.height) != (new.width, new.height))
        .then_some(((old.width, old.height), (new.width, new.height)));
    PixelDiff { width, height, state, changed, compared, regions, size_changed }
}

/// Joins changed cells (8-connected, same owner) into regions, in reading
/// order of their top-left corners.
fn cluster(cells: &[(usize, [u32; 4])], owner: &[usize], cw: u32, ch: u32) -> Vec<Region> {
    let mut seen = vec![false; cells.len()];
    let mut out = Vec::new();
    for start in 0..cells.len() {
        if seen[start] || cells[start].0 == 0 {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut r = Region {
            owner: (owner[start] != usize::MAX).then_some(owner[start]),
            x0: u32::MAX,
            y0: u32::MAX,
            x1: 0,
            y1: 0,
            pixels: 0,
        };
        while let Some(i) = stack.pop() {
            let (n, b) = cells[i];
            r.pixels += n;
            r.x0 = r.x0.min(b[0]);
            r.y0 = r.y0.min(b[1]);
            r.x1 = r.x1.max(b[2]);
            r.y1 = r.y1.max(b[3]);
            let (cx, cy) = ((i as u32 % cw) as i64, (i as u32 / cw) as i64);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (cx + dx, cy + dy);
                    if nx < 0 || ny < 0 || nx >= cw as i64 || ny >= ch as i64 {
                        continue;
                    }
                    let j = (ny as u32 * cw + nx as u32) as usize;
                    if !seen[j] && cells[j].0 > 0 && owner[j] == owner[start] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        out.push(r);
    }
    out.sort_by_key(|r| (r.y0, r.x0));
    out
}

fn luma(p: [u8; 3]) -> u8 {
    ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114 + 500) / 1000) as u8
}

/// The diff image: unchanged pixels faded, ink removed in red, ink added in
/// green, masks tinted yellow, each region boxed in blue.
pub fn diff_image(old: &Raster, new: &Raster, d: &PixelDiff) -> Raster {
    let mut img = Raster::blank(d.width, d.height);
    for y in 0..d.height {
        for x in 0..d.width {
            let (a, b) = (old.px(x, y), new.px(x, y));
            let faded = 255 - (255 - luma(b)) / 4;
            let c = match d.state[y as usize * d.width as usize + x as usize] {
                1 if luma(b) >= luma(a) => [220, 30, 30],
                1 => [20, 150, 40],
                2 => [255, 245, faded.saturating_sub(60)],
                _ => [faded; 3],
            };
            img.set(x, y, c);
        }
    }
    for r in &d.regions {
        let (x0, y0) = (r.x0.saturating_sub(3), r.y0.saturating_sub(3));
        let (x1, y1) = ((r.x1 + 2).min(d.width - 1), (r.y1 + 2).min(d.height - 1));
        for t in 0..2 {
            for x in x0..=x1 {
                img.set(x, y0 + t, [0, 90, 255]);
                img.set(x, y1.saturating_sub(t), [0, 90, 255]);
            }
            for y in y0..=y1 {
                img.set(x0 + t, y, [0, 90, 255]);
                img.set(x1.saturating_sub(t), y, [0, 90, 255]);
            }
        }
    }
    img
}
