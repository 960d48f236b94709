//! Press output: PDF/X-1a files whose black is on the K plate, photos
//! converted and measured, `--final` refusals, bad press settings. Read
//! back from the written files with lopdf and Ghostscript's separations.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use lopdf::{Document, Object};

/// The five portraits of issue (一), each with the kind of file a desk sends.
const PORTRAITS: [(&str, &str); 5] = [
    ("chunan", "rgb.jpg"),
    ("wuxing", "grey.jpg"),
    ("yinzhou", "cmyk.jpg"),
    ("yongjia", "alpha.png"),
    ("yuecheng", "rgb2.jpg"),
];

/// A photo-like test image: gradients and a face-sized disc, w × h.
fn rgb(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        let d = ((fx - 0.5).powi(2) + (fy - 0.4).powi(2)).sqrt();
        if d < 0.25 {
            image::Rgb([230, 180, 150])
        } else {
            image::Rgb([(255.0 * fx) as u8, (200.0 * fy) as u8, (255.0 * (1.0 - fx)) as u8])
        }
    })
}

fn write_jpeg(path: &Path, img: &image::DynamicImage) {
    let mut f = std::fs::File::create(path).unwrap();
    img.write_to(&mut f, image::ImageFormat::Jpeg).unwrap();
}

/// Writes the five portraits into the project's issue 1 (`px` wide each,
/// 4:5), all at 300 % ink where CMYK, and points the articles at them.
fn supply_portraits(p: &TempProject, px: u32) {
    let h = px * 5 / 4;
    for (id, file) in PORTRAITS {
        let path = p.article("1", id).with_file_name(file);
        match file {
            "rgb.jpg" | "rgb2.jpg" => write_jpeg(&path, &image::DynamicImage::ImageRgb8(rgb(px, h))),
            "grey.jpg" => write_jpeg(&path, &image::DynamicImage::ImageRgb8(rgb(px, h)).grayscale()),
            "alpha.png" => {
                let base = rgb(px, h);
                let img = image::RgbaImage::from_fn(px, h, |x, y| {
                    let c = base.get_pixel(x, y).0;
                    image::Rgba([c[0], c[1], c[2], if x < px / 2 { 0 } else { 255 }])
                });
                img.save(&path).unwrap();
            }
            "cmyk.jpg" => {
                // A heavy separation: 300 % in the shadows.
                let data: Vec<u8> = rgb(px, h)
                    .pixels()
                    .flat_map(|p| {
                        let v = 255 - p.0[1];
                        [v, v, v, 255u8.saturating_sub(p.0[0]) / 4 + 40]
                    })
                    .collect();
                let enc = jpeg_encoder::Encoder::new(std::fs::File::create(&path).unwrap(), 90);
                enc.encode(&data, px as u16, h as u16, jpeg_encoder::ColorType::Cmyk).unwrap();
            }
            _ => unreachable!(),
        }
        p.edit(&format!("content/ed/1/articles/{id}.md"), |t| {
            t.replacen("caption = \"\"", &format!("file = \"{file}\"\ncaption = \"\""), 1)
        });
    }
}

fn pdf_of(dir: &Path, id: &str) -> (Vec<u8>, Document) {
    let bytes = std::fs::read(dir.join(format!("{id}.pdf"))).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    (bytes, doc)
}

/// Every object's bytes as written, streams decompressed.
fn all_text(doc: &Document) -> String {
    let mut s = String::new();
    for obj in doc.objects.values() {
        match obj {
            Object::Stream(st) => {
                s.push_str(&format!("{:?}", st.dict));
                let is_font = st.dict.has(b"Length1") || st.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType0C")
                    || st.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"OpenType");
                let is_image = st.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image");
                if !is_font && !is_image {
                    let c = st.decompressed_content().unwrap_or_else(|_| st.content.clone());
                    s.push_str(&String::from_utf8_lossy(&c));
                }
            }
            other => s.push_str(&format!("{other:?}")),
        }
    }
    s
}

fn name<'a>(d: &'a lopdf::Dictionary, k: &[u8]) -> Option<&'a [u8]> {
    d.get(k).ok().and_then(|o| o.as_name().ok())
}

fn string(doc: &Document, d: &lopdf::Dictionary, k: &[u8]) -> Option<String> {
    let o = d.get(k).ok()?;
    let o = doc.dereference(o).ok()?.1;
    o.as_str().ok().map(|b| String::from_utf8_lossy(b).into_owned())
}

fn boxes(doc: &Document) -> Vec<(Vec<f32>, Vec<f32>)> {
    let get = |d: &lopdf::Dictionary, k: &[u8]| -> Vec<f32> {
        d.get(k)
            .and_then(Object::as_array)
            .map(|a| a.iter().map(|v| v.as_float().or_else(|_| v.as_i64().map(|i| i as f32)).unwrap()).collect())
            .unwrap_or_default()
    };
    doc.page_iter()
        .map(|id| {
            let d = doc.get_dictionary(id).unwrap();
            (get(d, b"MediaBox"), get(d, b"TrimBox"))
        })
        .collect()
}

/// Checks what every PDF/X-1a mono page must have; returns the images'
/// colour spaces.
fn assert_x1a_mono(bytes: &[u8], doc: &Document, what: &str) -> Vec<Vec<u8>> {
    assert!(bytes.starts_with(b"%PDF-1.4"), "{what}: header {:?}", String::from_utf8_lossy(&bytes[..8]));
    let cat = doc.catalog().unwrap();
    let intents = cat.get(b"OutputIntents").and_then(Object::as_array).expect("OutputIntents");
    assert_eq!(intents.len(), 1, "{what}: one output intent");
    let oi = doc.dereference(&intents[0]).unwrap().1.as_dict().unwrap();
    assert_eq!(name(oi, b"S"), Some(&b"GTS_PDFX"[..]));
    assert_eq!(string(doc, oi, b"OutputConditionIdentifier").as_deref(), Some("IFRA26"));
    assert_eq!(string(doc, oi, b"RegistryName").as_deref(), Some("http://www.color.org"));
    let info = doc.dereference(doc.trailer.get(b"Info").unwrap()).unwrap().1.as_dict().unwrap();
    assert_eq!(string(doc, info, b"GTS_PDFXVersion").as_deref(), Some("PDF/X-1a:2003"));
    assert_eq!(name(info, b"Trapped"), Some(&b"False"[..]));
    assert!(doc.trailer.has(b"ID"), "{what}: document id");
    let md = doc.dereference(cat.get(b"Metadata").unwrap()).unwrap().1.as_stream().unwrap();
    let xmp = String::from_utf8_lossy(&md.content).into_owned();
    assert!(xmp.contains("<pdfx:GTS_PDFXVersion>PDF/X-1a:2003</pdfx:GTS_PDFXVersion>"), "{what}: XMP");
    assert!(xmp.contains("<pdf:Trapped>False</pdf:Trapped>"));
    // Trim = the 对开 page (390 × 540 mm), inside the MediaBox.
    for (media, trim) in boxes(doc) {
        assert_eq!(trim.len(), 4, "{what}: TrimBox");
        let mm = |pt: f32| pt as f64 * 25.4 / 72.0;
        assert!((mm(trim[2] - trim[0]) - 390.0).abs() < 0.1 && (mm(trim[3] - trim[1]) - 540.0).abs() < 0.1);
        assert!(media[0] <= trim[0] && media[1] <= trim[1] && media[2] >= trim[2] && media[3] >= trim[3]);
    }
    let all = all_text(doc);
    for banned in ["ICCBased", "DeviceRGB", "CalRGB", "CalGray", "/Lab", " rg", " RG", " scn", " sc\n", "SMask", "Transparency"] {
        assert!(!all.contains(banned), "{what}: `{banned}` in the file");
    }
    // Text fill: `0 g` (DeviceGray black), never four-colour.
    assert!(all.contains("0 g"), "{what}: black text as DeviceGray");
    assert!(!all.contains(" k\n") && !all.contains(" k "), "{what}: no CMYK on a mono page");
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| name(&s.dict, b"Subtype") == Some(b"Image"))
        .map(|s| name(&s.dict, b"ColorSpace").unwrap_or(b"?").to_vec())
        .collect()
}

#[test]
fn both_issues_are_pdf_x1a_mono_pages_with_black_on_k_only() {
    let out = tempfile::tempdir().unwrap();
    let o = paiban(&["build", "content/xinchun-2018", "--out", out.path().to_str().unwrap()], &root());
    assert!(o.status.success(), "{}", stderr(&o));
    for id in ["xinchun-1", "xinchun-2"] {
        let (bytes, doc) = pdf_of(out.path(), id);
        assert_x1a_mono(&bytes, &doc, id);
        let plates = separations(&out.path().join(format!("{id}.pdf")), 100);
        if let Some(p) = plates {
            p.assert_k_only(id);
        }
    }
    // And the plant's preflight passes them, every rule.
    let o = paiban(&["preflight", "content/xinchun-2018", "--out", out.path().to_str().unwrap(), "--json"], &root());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for file in report["files"].as_array().unwrap() {
        for rule in file["rules"].as_array().unwrap() {
            assert_eq!(rule["status"], "pass", "{}: {rule}", file["file"]);
        }
    }
}

/// One plate from Ghostscript's tiffsep: coverage 0–255 (255 = solid ink).
struct Plate {
    name: String,
    ink: Vec<u8>,
}

struct Plates(Vec<Plate>);

impl Plates {
    fn get(&self, name: &str) -> &Plate {
        self.0.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name} plate"))
    }

    fn assert_k_only(&self, what: &str) {
        for c in ["Cyan", "Magenta", "Yellow"] {
            let inked = self.get(c).ink.iter().filter(|&&v| v > 0).count();
            assert_eq!(inked, 0, "{what}: the {c} plate of a mono page must be blank");
        }
        let k = &self.get("Black").ink;
        let solid = k.iter().filter(|&&v| v == 255).count();
        assert!(solid > 10_000, "{what}: text at 100 % K ({solid} solid pixels)");
    }

    /// The largest C+M+Y+K at any pixel, in per cent.
    fn max_total(&self) -> f64 {
        let n = self.0[0].ink.len();
        (0..n)
            .map(|i| self.0.iter().map(|p| p.ink[i] as u32).sum::<u32>())
            .max()
            .unwrap_or(0) as f64
            / 255.0
            * 100.0
    }
}

fn gs_required() -> bool {
    std::env::var_os("PAIBAN_REQUIRE_GS").is_some()
}

/// Separates a PDF's first page with `gs -sDEVICE=tiffsep` at `dpi`.
/// None (with a note) only where Ghostscript is missing and CI did not
/// ask for it; CI installs it and sets PAIBAN_REQUIRE_GS.
fn separations(pdf: &Path, dpi: u32) -> Option<Plates> {
    if Command::new("gs").arg("--version").output().is_err() {
        assert!(!gs_required(), "Ghostscript (gs) is required for the separation tests");
        eprintln!("note: gs not found; separations not checked");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new("gs")
        .args(["-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-sCompression=none"])
        .arg(format!("-r{dpi}"))
        .arg(format!("-sOutputFile={}", dir.path().join("sep.tif").display()))
        .arg(pdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "gs: {}", String::from_utf8_lossy(&o.stderr));
    let plates = ["Cyan", "Magenta", "Yellow", "Black"]
        .iter()
        .map(|c| {
            let path = dir.path().join(format!("sep({c}).tif"));
            Plate { name: c.to_string(), ink: read_tiff_grey(&path) }
        })
        .collect();
    Some(Plates(plates))
}

/// Reads an uncompressed 8-bit single-channel TIFF as gs writes a
/// separation; returns ink coverage (gs writes 0 = solid, 255 = none).
fn read_tiff_grey(path: &PathBuf) -> Vec<u8> {
    let b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let le = &b[..2] == b"II";
    let u16_at = |i: usize| if le { u16::from_le_bytes([b[i], b[i + 1]]) } else { u16::from_be_bytes([b[i], b[i + 1]]) };
    let u32_at = |i: usize| {
        if le { u32::from_le_bytes(b[i..i + 4].try_into().unwrap()) } else { u32::from_be_bytes(b[i..i + 4].try_into().unwrap()) }
    };
    let ifd = u32_at(4) as usize;
    let n = u16_at(ifd) as usize;
    let (mut w, mut h, mut offsets, mut counts, mut compression, mut photometric) = (0, 0, vec![], vec![], 1, 1);
    let values = |typ: u16, count: usize, at: usize| -> Vec<u32> {
        let size = if typ == 3 { 2 } else { 4 };
        let base = if size * count <= 4 { at } else { u32_at(at) as usize };
        (0..count).map(|k| if typ == 3 { u16_at(base + 2 * k) as u32 } else { u32_at(base + 4 * k) }).collect()
    };
    for e in 0..n {
        let at = ifd + 2 + 12 * e;
        let (tag, typ, count) = (u16_at(at), u16_at(at + 2), u32_at(at + 4) as usize);
        let v = values(typ, count, at + 8);
        match tag {
            256 => w = v[0],
            257 => h = v[0],
            259 => compression = v[0],
            262 => photometric = v[0],
            273 => offsets = v,
            279 => counts = v,
            _ => {}
        }
    }
    assert_eq!(compression, 1, "uncompressed TIFF expected");
    let mut px = Vec::with_capacity((w * h) as usize);
    for (o, c) in offsets.iter().zip(&counts) {
        px.extend_from_slice(&b[*o as usize..(*o + *c) as usize]);
    }
    assert_eq!(px.len(), (w * h) as usize, "8-bit single channel");
    // Photometric 0 = WhiteIsZero (ink = value), 1 = BlackIsZero (ink = 255 − value).
    if photometric == 1 { px.iter().map(|v| 255 - v).collect() } else { px }
}

#[test]
fn final_refuses_issue_one_for_its_five_placeholder_portraits() {
    let p = TempProject::new();
    let o = p.build(&["--final", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("FPO"), "{err}");
    for (id, _) in PORTRAITS {
        assert!(err.contains(&format!("{id}/{id}-portrait")), "names {id}'s portrait: {err}");
    }
    assert!(!p.path().join("out/xinchun-1.pdf").exists(), "nothing written");
}

#[test]
fn with_real_photos_issue_one_builds_final_and_its_photos_are_grey() {
    let p = TempProject::new();
    supply_portraits(&p, 400);
    let o = p.build(&["--final", "--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (bytes, doc) = pdf_of(&p.path().join("out"), "xinchun-1");
    let images = assert_x1a_mono(&bytes, &doc, "issue 1 with photos");
    assert_eq!(images.len(), 5, "five portraits");
    assert!(images.iter().all(|cs| cs == b"DeviceGray"), "{images:?}");
    let o = paiban(&["preflight", "content/ed", "--out", "out", "--issue", "xinchun-1", "--root", "."], p.path());
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("PASS image-resolution") && stdout(&o).contains("PASS mono-plates"), "{}", stdout(&o));
    // The desk's files are untouched.
    let alpha = image::open(p.article("1", "yongjia").with_file_name("alpha.png")).unwrap();
    assert!(alpha.color().has_alpha());
    if let Some(plates) = separations(&p.path().join("out/xinchun-1.pdf"), 72) {
        plates.assert_k_only("issue 1 with photos");
    }
    // Same input, same bytes.
    let again = p.run(&["build", "content/ed", "--out", "out2", "--final", "--issue", "xinchun-1"]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(bytes == std::fs::read(p.path().join("out2/xinchun-1.pdf")).unwrap(), "deterministic");
}

#[test]
fn a_60_ppi_photo_is_refused_by_final_naming_article_photo_and_ppi() {
    let p = TempProject::new();
    supply_portraits(&p, 400);
    // The chunan portrait frame is 12 cells (1.5 in) wide: 90 px is 60 ppi.
    write_jpeg(&p.article("1", "chunan").with_file_name("rgb.jpg"), &image::DynamicImage::ImageRgb8(rgb(90, 112)));
    let o = p.build(&["--final", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("article `chunan`") && err.contains("photo `chunan-portrait`") && err.contains("60 ppi"), "{err}");
    // Without --final it builds, with a warning naming the figure.
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("60 ppi") && stderr(&o).contains("under min_ppi 200"), "{}", stderr(&o));
}

fn cmyk_profile() -> Option<PathBuf> {
    let candidates = ["/usr/share/color/icc/ghostscript/default_cmyk.icc", "/usr/share/ghostscript/iccprofiles/default_cmyk.icc"];
    let found = candidates.iter().map(PathBuf::from).find(|p| p.is_file());
    if found.is_none() {
        assert!(!gs_required(), "Ghostscript's default_cmyk.icc is required for the colour test");
        eprintln!("note: no CMYK profile on this machine; colour page not checked");
    }
    found
}

#[test]
fn a_colour_page_separates_photos_within_the_ink_limit_and_overprints_black() {
    let Some(profile) = cmyk_profile() else { return };
    let p = TempProject::new();
    supply_portraits(&p, 400);
    std::fs::copy(&profile, p.edition().join("plant.icc")).unwrap();
    p.edit("content/ed/edition.toml", |t| {
        format!("{t}\n[press]\ncolour = \"cmyk\"\nicc_profile = \"plant.icc\"\nink_limit = 240\n")
    });
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (bytes, doc) = pdf_of(&p.path().join("out"), "xinchun-1");
    assert!(bytes.starts_with(b"%PDF-1.4"));
    let all = all_text(&doc);
    assert!(!all.contains("ICCBased") && !all.contains(" rg") && !all.contains(" scn"));
    assert!(all.contains("0 0 0 1 k"), "black text as K-only CMYK");
    assert!(all.contains("/PbOP10 gs") || all.contains("/PbOP11 gs"), "100 % K overprints");
    // The overprint states: OP/op as named, OPM 1.
    assert!(all.contains("OPM"));
    let cs: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| name(&s.dict, b"Subtype") == Some(b"Image"))
        .map(|s| name(&s.dict, b"ColorSpace").unwrap_or(b"?").to_vec())
        .collect();
    assert_eq!(cs.len(), 5);
    assert!(cs.iter().all(|c| c == b"DeviceCMYK"), "{cs:?}");
    // The plant's profile travels in the output intent.
    let cat = doc.catalog().unwrap();
    let oi = doc.dereference(&cat.get(b"OutputIntents").unwrap().as_array().unwrap()[0]).unwrap().1.as_dict().unwrap();
    assert!(oi.has(b"DestOutputProfile"));
    if let Some(plates) = separations(&p.path().join("out/xinchun-1.pdf"), 72) {
        let max = plates.max_total();
        assert!(max <= 241.0, "ink {max:.0} % over the 240 % limit");
        assert!(max > 150.0, "the photos carry colour ({max:.0} %)");
        assert!(plates.get("Cyan").ink.iter().any(|&v| v > 0), "colour on the cyan plate");
        // The text is on the K plate at 100 %, as on a mono page.
        let solid = plates.get("Black").ink.iter().filter(|&&v| v == 255).count();
        assert!(solid > 5_000, "black text at 100 % K ({solid} solid pixels)");
    }
}

#[test]
fn bad_press_settings_get_a_clear_error_and_write_nothing() {
    for (table, expect) in [
        ("[press]\nstandard = \"pdf/x-9\"\n", "pdf/x-9"),
        ("[press]\nicc_profile = \"missing.icc\"\n", "missing.icc"),
        ("[press]\nink_limit = 900\n", "ink_limit"),
        ("[press]\nstandard = \"pdf/x-4\"\n", "needs the plant's profile"),
    ] {
        let p = TempProject::new();
        p.edit("content/ed/edition.toml", |t| format!("{t}\n{table}"));
        let o = p.build(&[]);
        assert_eq!(o.status.code(), Some(2), "{table}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("edition.toml") && err.contains(expect), "{table}: {err}");
        assert!(err.contains("hint") || err.contains("expected") || err.contains("unknown variant"), "{table}: {err}");
        assert!(!p.path().join("out/xinchun-1.pdf").exists());
    }
    // A profile that is not a profile.
    let p = TempProject::new();
    std::fs::write(p.edition().join("plant.icc"), b"not a profile at all").unwrap();
    p.edit("content/ed/edition.toml", |t| format!("{t}\n[press]\nicc_profile = \"plant.icc\"\n"));
    let o = p.build(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a usable printer profile"), "{}", stderr(&o));
}

#[test]
fn a_corrupt_photo_is_reported_at_its_article_and_photo() {
    let p = TempProject::new();
    supply_portraits(&p, 400);
    let path = p.article("1", "wuxing").with_file_name("grey.jpg");
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[4..mid] {
        *b = 0x55;
    }
    std::fs::write(&path, bytes).unwrap();
    let o = p.build(&["--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("article `wuxing`") && err.contains("photo `wuxing-portrait`") && err.contains("grey.jpg"), "{err}");
    assert!(!p.path().join("out/xinchun-1.pdf").exists());
}

#[test]
fn a_page_that_fails_the_preflight_is_refused_by_final_and_warned_otherwise() {
    let p = TempProject::new();
    supply_portraits(&p, 400);
    // A layout that draws a half-transparent tint in the header band:
    // transparency, which PDF/X-1a forbids and finishing does not remove.
    p.edit("layouts/page.typ", |t| {
        let from = "owned(\"paiban-header\", header(g, fonts, data.header, number))";
        assert!(t.contains(from), "page.typ changed: update this test");
        t.replacen(
            from,
            "owned(\"paiban-header\", { header(g, fonts, data.header, number); place(top + left, rect(width: 20pt, height: 8pt, fill: luma(50%).transparentize(50%))) })",
            1,
        )
    });
    let o = p.build(&["--final", "--issue", "xinchun-1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("fails the press preflight") && err.contains("transparency"), "{err}");
    assert!(!p.path().join("out/xinchun-1.pdf").exists());
    let o = p.build(&["--issue", "xinchun-1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("preflight") && stderr(&o).contains("FAIL transparency"), "{}", stderr(&o));
}
