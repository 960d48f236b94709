//! Columns of both issues cropped at 300 dpi into the test output folder
//! (`target/tmp/grid-crops/`), to look at: characters stacked in columns
//! like squared paper. The test also reads the crops: folded onto one
//! cell, the ink of a column on the grid keeps clear of the cell edges,
//! which a column set off the cells would not.

mod common;

use common::*;
use paiban::plan::chain;

const DPI: f64 = 300.0;

/// Ink per twentieth of a cell, summed over a crop (x from the column edge).
fn ink_by_phase(grey: &[u8], w: usize, h: usize, cell_px: f64) -> [f64; 20] {
    let mut bins = [0.0; 20];
    for x in 0..w {
        let ink: f64 = (0..h).map(|y| f64::from(255 - grey[y * w + x])).sum();
        let phase = ((x as f64 + 0.5) / cell_px).fract();
        bins[((phase * 20.0) as usize).min(19)] += ink;
    }
    bins
}

#[test]
fn columns_at_300_dpi_sit_on_the_cells() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("grid-crops");
    std::fs::create_dir_all(&out).unwrap();
    // The longest body of each issue: the feature (guali) and one interview.
    for (i, article) in [(0, "guali"), (1, "slot-1")] {
        let issue = &edition().issues[i];
        let laid = &laid()[i];
        let grid = &laid.grid;
        let page = &laid.doc.pages()[0];
        let pixmap = paiban::output::raster::render(page, DPI);
        let (pw, ph) = (pixmap.width() as usize, pixmap.height() as usize);
        let grey: Vec<u8> = pixmap.data().chunks_exact(4).map(|p| p[1]).collect();
        let px = DPI / 72.0;
        let part = chain::parts(issue).into_iter().find(|p| p.place.article == article).unwrap();
        let rect = grid.rect(part.place);
        let top = laid.scans[0].start(&part.key).expect("body start").y;
        let columns = part.place.body_columns.unwrap_or(part.place.span);
        let step = (rect.w + grid.cell * grid.gutter_chars as f64) / columns as f64;
        let measure = grid.body_measure(part.place, false).unwrap() as f64 * grid.cell;
        for c in 0..columns {
            let x0 = ((rect.x + c as f64 * step) * px).round() as usize;
            // One cell more than the measure: the hanging marks show.
            let w = ((measure + grid.cell) * px).round() as usize;
            let y0 = (top * px).round() as usize;
            let h = ((rect.bottom() - top) * px).round() as usize;
            assert!(x0 + w <= pw && y0 + h <= ph);
            let crop: Vec<u8> =
                (y0..y0 + h).flat_map(|y| grey[y * pw + x0..y * pw + x0 + w].to_vec()).collect();
            let mut png = Vec::new();
            {
                let mut enc = png::Encoder::new(&mut png, w as u32, h as u32);
                enc.set_color(png::ColorType::Grayscale);
                enc.set_depth(png::BitDepth::Eight);
                enc.write_header().unwrap().write_image_data(&crop).unwrap();
            }
            let file = out.join(format!("{}-{article}-column{}.png", issue.file.id, c + 1));
            std::fs::write(&file, png).unwrap();

            // Folded onto one cell (37.5 px at 300 dpi), the ink at the cell
            // edges (the outer tenth) is a small part of the ink at the
            // centre: every character keeps to its own cell.
            let bins = ink_by_phase(&crop, w, h, grid.cell * px);
            let edge = bins[0] + bins[19];
            let centre = bins[9] + bins[10];
            assert!(centre > 0.0, "{} has no text", file.display());
            assert!(
                edge < 0.25 * centre,
                "{}: edge ink {edge:.0} vs centre {centre:.0}: {bins:?}",
                file.display()
            );
        }
    }
}

#[test]
fn the_ink_test_sees_a_column_off_the_cells() {
    // The same measure on the first column of guali, read half a cell to
    // the right: now the cell edges fall in the middle of the characters.
    let laid = &laid()[0];
    let grid = &laid.grid;
    let pixmap = paiban::output::raster::render(&laid.doc.pages()[0], DPI);
    let pw = pixmap.width() as usize;
    let grey: Vec<u8> = pixmap.data().chunks_exact(4).map(|p| p[1]).collect();
    let px = DPI / 72.0;
    let part = chain::parts(&edition().issues[0]).into_iter().find(|p| p.place.article == "guali").unwrap();
    let rect = grid.rect(part.place);
    let top = laid.scans[0].start(&part.key).unwrap().y;
    let x0 = ((rect.x + grid.cell / 2.0) * px).round() as usize;
    let w = (12.0 * grid.cell * px).round() as usize;
    let (y0, h) = ((top * px) as usize, ((rect.bottom() - top) * px) as usize);
    let crop: Vec<u8> = (y0..y0 + h).flat_map(|y| grey[y * pw + x0..y * pw + x0 + w].to_vec()).collect();
    let bins = ink_by_phase(&crop, w, h, grid.cell * px);
    assert!(bins[0] + bins[19] > 0.5 * (bins[9] + bins[10]), "{bins:?}");
}
