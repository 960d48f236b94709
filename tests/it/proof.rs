//! PNG proofs: the page's size at the asked resolution, deterministic, and
//! guides or fit tints only when asked for.

use crate::common::*;

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let n = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (n(16), n(20))
}

fn proof(out: &std::path::Path, extra: &[&str]) -> Vec<u8> {
    let mut args =
        vec!["proof", "content/xinchun-2018", "--issue", "xinchun-1", "--out", out.to_str().unwrap()];
    if !extra.contains(&"--dpi") {
        args.extend(["--dpi", "50"]);
    }
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
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&v| [v, v, v, 255]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width as usize, info.height as usize, rgba)
}

/// Proofs of issue (一) without and with `flag`, at 50 dpi: the page's
/// size in pixels and the centre of every pixel the flag changed.
fn changed_by(flag: &str) -> (usize, usize, Vec<(f64, f64)>) {
    let dir = tempfile::tempdir().unwrap();
    let (w, h, plain) = decode(&proof(&dir.path().join("a"), &[]));
    let (_, _, with) = decode(&proof(&dir.path().join("b"), &[flag]));
    let mut changed = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let i = (y * w + x) * 4;
            if plain[i..i + 4].iter().zip(&with[i..i + 4]).any(|(a, b)| a.abs_diff(*b) > 8) {
                changed.push((x as f64 + 0.5, y as f64 + 0.5));
            }
        }
    }
    (w, h, changed)
}

#[test]
fn guides_change_only_the_pixels_where_guides_are_drawn() {
    const DPI: f64 = 50.0;
    let (w, h, changed) = changed_by("--guides");
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
        // The numbers: columns in the top margin above the header, grid
        // lines in the left margin.
        let header_top = px(laid()[0].grid.header_top * 25.4 / 72.0);
        let right = px(g.left_mm) + px((g.columns * g.column_chars + (g.columns - 1) * g.gutter_chars) as f64 * g.cell_mm);
        let numbers = (y <= header_top + tol && x >= px(g.left_mm) - tol && x <= right + tol)
            || (in_grid && x <= px(g.left_mm) + tol);
        (in_grid && (columns || baselines)) || blocks || numbers
    };
    let stray: Vec<_> = changed.iter().filter(|&&(x, y)| !on_guide(x, y)).collect();
    assert!(changed.len() > w * h / 100, "guides are drawn ({} pixels changed)", changed.len());
    assert!(
        stray.is_empty(),
        "{} changed pixels off every guide, e.g. {:?}",
        stray.len(),
        &stray[..stray.len().min(10)]
    );
}

/// The built PDF's page rasterised by hayro (another renderer than the
/// proofs'), as RGBA on white.
fn pdf_page_pixels(pdf: Vec<u8>, dpi: f64) -> (usize, usize, Vec<u8>) {
    let pages = paiban::diff::raster::from_pdf(pdf, dpi, std::path::Path::new("built.pdf")).unwrap();
    let r = &pages[0];
    let rgba = r.rgb.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    (r.width as usize, r.height as usize, rgba)
}

/// Pixels where one image has solid ink (luma below 96) and the other has
/// no mark at all (luma 224 or lighter). The two renderers anti-alias edges
/// and hairlines differently, so softer differences are not counted; but a
/// glyph, a rule or a photo that one shows and the other lacks is.
fn unmatched_ink(a: &(usize, usize, Vec<u8>), b: &(usize, usize, Vec<u8>)) -> usize {
    let (w, h) = (a.0.min(b.0), a.1.min(b.1));
    let luma = |img: &(usize, usize, Vec<u8>), x: usize, y: usize| {
        let i = (y * img.0 + x) * 4;
        (299 * img.2[i] as u32 + 587 * img.2[i + 1] as u32 + 114 * img.2[i + 2] as u32) / 1000
    };
    (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let (p, q) = (luma(a, x, y), luma(b, x, y));
            (p < 96 && q >= 224) || (q < 96 && p >= 224)
        })
        .count()
}

#[test]
fn a_proof_without_guides_shows_what_the_pdf_prints() {
    const DPI: f64 = 100.0;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = paiban(
        &["build", "content/xinchun-2018", "--issue", "xinchun-1", "--out", out.to_str().unwrap()],
        &root(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = pdf_page_pixels(std::fs::read(out.join("xinchun-1.pdf")).unwrap(), DPI);
    let plain = decode(&proof(&dir.path().join("a"), &["--dpi", "100"]));
    assert!(plain.0.abs_diff(pdf.0) <= 1 && plain.1.abs_diff(pdf.1) <= 1, "same page size");
    assert_eq!(unmatched_ink(&plain, &pdf), 0, "the plain proof shows exactly what the PDF prints");

    // The comparison is not blind: the PDF of a page with four characters
    // changed differs from the proof.
    let p = TempProject::new();
    p.edit("content/ed/1/articles/chunan.md", |t| t.replacen("冰雪消融", "春回大地", 1));
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let edited = pdf_page_pixels(std::fs::read(p.path().join("out/xinchun-1.pdf")).unwrap(), DPI);
    let seen = unmatched_ink(&plain, &edited);
    assert!(seen > 20, "a four-character edit is seen ({seen} pixels)");
}

#[test]
fn typography_marks_only_what_the_check_reports() {
    // Issue (一) sets with no line the check reports (the default house
    // style: every line flush, none letter-spaced): a proof with
    // --typography marks nothing, pixel for pixel the plain proof.
    // (A planted loose line's mark, and where it lands: the next test.)
    let (_, _, changed) = changed_by("--typography");
    let mut typo = paiban::check::typography::TypoReport::default();
    paiban::check::typography::check(&laid()[0], &mut typo);
    assert!(typo.violations.is_empty(), "{:?}", typo.violations);
    assert!(changed.is_empty(), "{} pixels marked with nothing reported", changed.len());
}

/// The guides number the columns along the top and the grid lines down the
/// side in the numbers `[[place]]` uses: column 1 at the left, line 1 the
/// first under the header. Read back from the laid-out page: each number is
/// a text run centred over its column, or standing on its line's baseline
/// left of the type area.
#[test]
fn guides_number_columns_and_grid_lines_as_the_plan_does() {
    use paiban::layout::rounds::{self, LayoutOptions};
    let issue = &edition().issues[0];
    let with = rounds::lay_out(project(), issue, LayoutOptions { guides: true, ..Default::default() }).unwrap();
    let g = &with.grid;
    let runs = &with.scans[0].runs;
    let number = |n: u32| runs.iter().filter(move |r| r.text.trim() == n.to_string() && r.size < 7.0);
    for c in 1..=g.columns {
        // Where `[[place]] column = c` puts a block's left edge.
        let left = g.left + ((c - 1) * (g.column_chars + g.gutter_chars)) as f64 * g.cell;
        let centre = left + g.column_chars as f64 * g.cell / 2.0;
        let found = number(c).any(|r| {
            let (x0, x1) = (r.glyphs[0].0, r.glyphs.last().map_or(0.0, |gl| gl.0 + gl.1));
            ((x0 + x1) / 2.0 - centre).abs() < 2.0 && r.y < g.header_top
        });
        assert!(found, "column {c} is not numbered over its column");
    }
    for line in 1..=g.lines {
        // Where `[[place]] line = n` puts a block's top; the number stands
        // on that grid line's baseline.
        let baseline = g.top + (line - 1) as f64 * g.pitch + 0.88 * g.cell;
        let found = number(line).any(|r| (r.y - baseline).abs() < 0.5 && r.x < g.left);
        assert!(found, "grid line {line} is not numbered at its baseline");
    }
    // And the plain page carries none of them.
    let plain = &laid()[0].scans[0].runs;
    assert!(!plain.iter().any(|r| r.size < 7.0 && r.text.trim() == "101" && r.x < g.left));
}

/// A planted defect is marked where it is: a copy of the seed page's story
/// slot whose first line can only end two cells short (a 4-digit number
/// glued to its unit), proofed with and without `--typography`. Every pixel
/// the marks change lies in the reported line's box, the box holds the
/// line's own glyphs and no other line's, and the mark covers it.
#[test]
fn a_planted_loose_line_is_marked_over_its_own_line() {
    const DPI: f64 = 100.0;
    let body = "一二三四五六七八九1234年甲乙丙丁戊己庚辛\n\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
    let (p, laid, _) = page(body, 30, false, "");
    let mut typo = paiban::check::typography::TypoReport::default();
    paiban::check::typography::check(&laid, &mut typo);
    assert_eq!(typo.violations.len(), 1, "{:?}", typo.violations);
    let v = &typo.violations[0];
    assert_eq!((v.rule, v.text.as_str()), (paiban::check::typography::Rule::Loose, "一二三四五六七八九"));
    // The box, in pt, holds every glyph of the line and none of the next.
    let pt = |mm: f64| mm * 72.0 / 25.4;
    let [x, y, w, h] = v.line_mm.map(pt);
    // The body's glyphs: body size, in the story's block.
    let r = laid.map.blocks.iter().find(|b| b.article == "story").unwrap().rect_mm;
    let block = [r.x, r.y, r.w, r.h].map(pt);
    let glyphs: Vec<_> = laid.scans[0]
        .runs
        .iter()
        .filter(|r| (r.size - laid.grid.cell).abs() < 0.01 && r.y > block[1] && r.y < block[1] + block[3])
        .flat_map(|r| r.glyphs.iter().map(move |g| (g.0, r.y, g.2.clone())))
        .collect();
    let inside = |gx: f64, gy: f64| gx >= x - 0.1 && gx < x + w && gy > y && gy <= y + h + 0.1;
    for c in v.text.chars() {
        let (gx, gy, _) = glyphs.iter().find(|g| g.2 == c.to_string()).unwrap();
        assert!(inside(*gx, *gy), "{c} at ({gx:.1}, {gy:.1}) outside the marked box {:?}", [x, y, w, h]);
    }
    let (nx, ny, _) = glyphs.iter().find(|g| g.2 == "1").unwrap();
    assert!(!inside(*nx, *ny), "the next line's 1234 is not in the box");

    let proof = |dir: &str, extra: &[&str]| {
        let mut args = vec!["proof", "content/ed", "--dpi", "100", "--out", dir];
        args.extend(extra);
        let o = p.run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        decode(&std::fs::read(p.path().join(dir).join("xinchun-1-p1.png")).unwrap())
    };
    let (width, height, plain) = proof("a", &[]);
    let (_, _, with) = proof("b", &["--typography"]);
    let px = |pt: f64| pt * DPI / 72.0;
    let (bx0, by0, bx1, by1) = (px(x), px(y), px(x + w), px(y + h));
    let (mut marked, mut stray) = (0usize, 0usize);
    for row in 0..height {
        for col in 0..width {
            let i = (row * width + col) * 4;
            if plain[i..i + 4].iter().zip(&with[i..i + 4]).any(|(a, b)| a.abs_diff(*b) > 8) {
                let (cx, cy) = (col as f64 + 0.5, row as f64 + 0.5);
                if cx >= bx0 - 1.0 && cx <= bx1 + 1.0 && cy >= by0 - 1.0 && cy <= by1 + 1.0 {
                    marked += 1;
                } else {
                    stray += 1;
                }
            }
        }
    }
    assert_eq!(stray, 0, "pixels marked outside the reported line's box");
    // The mark covers the box (a tint over white changes every pixel).
    let area = (bx1 - bx0) * (by1 - by0);
    assert!(marked as f64 > 0.9 * area, "{marked} pixels marked of a box of {area:.0}");
}
