//! PNG proofs: the page's size at the asked resolution, deterministic, and
//! guides or fit tints only when asked for.

mod common;

use common::*;

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let n = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (n(16), n(20))
}

fn proof(out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "proof",
        "content/xinchun-2018",
        "--issue",
        "xinchun-1",
        "--dpi",
        "50",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let o = paiban(&args, &root());
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(out.join("xinchun-1-p1.png")).unwrap()
}

#[test]
fn proofs_have_the_page_size_and_guides_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let plain = proof(&dir.path().join("a"), &[]);
    let (w, h) = png_size(&plain);
    assert_eq!((w, h), ((390.0 / 25.4 * 50.0f64).round() as u32, (540.0 / 25.4 * 50.0f64).round() as u32));
    assert_eq!(plain, proof(&dir.path().join("b"), &[]), "proofs are deterministic");
    let guides = proof(&dir.path().join("c"), &["--guides"]);
    let fit = proof(&dir.path().join("d"), &["--fit"]);
    assert_eq!(png_size(&guides), (w, h));
    assert_ne!(plain, guides);
    assert_ne!(plain, fit);
    assert_ne!(guides, fit);
}

/// RGBA pixels of a PNG.
fn decode(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width as usize, info.height as usize, buf)
}

#[test]
fn guides_change_only_the_pixels_where_guides_are_drawn() {
    const DPI: f64 = 50.0;
    let dir = tempfile::tempdir().unwrap();
    let (w, h, plain) = decode(&proof(&dir.path().join("a"), &[]));
    let (_, _, guides) = decode(&proof(&dir.path().join("b"), &["--guides"]));
    let map = &laid()[0].map;
    let g = &map.grid;
    let px = |mm: f64| mm / 25.4 * DPI;
    // Anti-aliasing spreads a hairline over a pixel or two either side.
    let tol = 2.0;
    let near = |v: f64, at: f64| (v - at).abs() <= tol;
    let (top, bottom) = (px(g.top_mm), px(g.top_mm + g.lines as f64 * g.pitch_mm));
    let on_guide = |x: f64, y: f64| {
        let in_grid = y >= top - tol && y <= bottom + tol;
        let columns = (0..g.columns).any(|c| {
            let x0 = px(g.left_mm + (c * (g.column_chars + g.gutter_chars)) as f64 * g.cell_mm);
            let x1 = x0 + px(g.column_chars as f64 * g.cell_mm);
            let gutter =
                c + 1 < g.columns && x >= x1 - tol && x <= x1 + px(g.gutter_chars as f64 * g.cell_mm) + tol;
            near(x, x0) || near(x, x1) || gutter
        });
        let baselines =
            (0..g.lines).any(|i| near(y, px(g.top_mm + i as f64 * g.pitch_mm + 0.88 * g.cell_mm)));
        let blocks = map.blocks.iter().any(|b| {
            let r = &b.rect_mm;
            let (bx, by, bw, bh) = (px(r.x), px(r.y), px(r.w), px(r.h));
            let inside_x = x >= bx - tol && x <= bx + bw + tol;
            let inside_y = y >= by - tol && y <= by + bh + tol;
            let outline = (inside_y && (near(x, bx) || near(x, bx + bw)))
                || (inside_x && (near(y, by) || near(y, by + bh)));
            // The id label in the block's top-left corner.
            let label = x >= bx && x <= bx + px(60.0) && y >= by && y <= by + px(5.0);
            outline || label
        });
        (in_grid && (columns || baselines)) || blocks
    };
    let mut changed = 0;
    let mut stray = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) * 4;
            if plain[i..i + 4].iter().zip(&guides[i..i + 4]).any(|(a, b)| a.abs_diff(*b) > 8) {
                changed += 1;
                if !on_guide(x as f64 + 0.5, y as f64 + 0.5) {
                    stray.push((x, y));
                }
            }
        }
    }
    assert!(changed > w * h / 100, "guides are drawn ({changed} pixels changed)");
    assert!(
        stray.is_empty(),
        "{} changed pixels off every guide, e.g. {:?}",
        stray.len(),
        &stray[..stray.len().min(10)]
    );
}
