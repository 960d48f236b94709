//! The preflight on small hand-made PDFs: one that passes every rule as a
//! PDF/X-1a black page (and as a colour page), and variants that each break
//! exactly one rule, which must then fail (or warn) that rule and no other.
//! Then the `paiban preflight` command on files: exit codes, text, JSON.

use std::path::Path;
use std::process::Command;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};
use paiban::press::preflight::{self, PageMapFile, Report, Rule, Severity};
use paiban::press::settings::{Colour, Press, Standard};

/// The embedded font program: any real TrueType file of the project.
fn font_program() -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/PaibanWenKai-Regular.subset.ttf");
    std::fs::read(path).expect("a project font")
}

fn string(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

fn xmp(version_key: &str, trapped: &str) -> String {
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
 pdf:Trapped="{trapped}" pdfx:GTS_PDFXVersion="{version_key}"/>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"#
    )
}

/// A PDF/X-1a:2003 page under construction: its parts can be changed before
/// [`Pdf::bytes`] writes it.
struct Pdf {
    doc: Document,
    page: ObjectId,
    resources: Dictionary,
    content: String,
}

impl Pdf {
    /// Black text (grey 0, overprinting) and a grey rule; every PDF/X key.
    fn good() -> Self {
        let mut doc = Document::with_version("1.4");
        let pages = doc.new_object_id();
        let font_file = doc.add_object(Stream::new(dictionary! {}, font_program()));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor", "FontName" => "PaibanWenKai", "Flags" => 32,
            "FontBBox" => vec![0.into(), (-200).into(), 1000.into(), 900.into()],
            "ItalicAngle" => 0, "Ascent" => 900, "Descent" => -200, "CapHeight" => 700, "StemV" => 80,
            "FontFile2" => font_file,
        });
        let font = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "PaibanWenKai",
            "FirstChar" => 32, "LastChar" => 126, "FontDescriptor" => descriptor,
        });
        let resources = dictionary! {
            "Font" => dictionary! { "F1" => font },
            "ExtGState" => dictionary! {
                "GS0" => dictionary! { "Type" => "ExtGState", "OP" => true, "op" => true, "OPM" => 1 },
            },
        };
        // 600 × 850 pt with 10 pt of bleed round the trim.
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages,
            "MediaBox" => vec![0.into(), 0.into(), 600.into(), 850.into()],
            "BleedBox" => vec![0.into(), 0.into(), 600.into(), 850.into()],
            "TrimBox" => vec![10.into(), 10.into(), 590.into(), 840.into()],
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
            }),
        );
        let intent = doc.add_object(dictionary! {
            "Type" => "OutputIntent", "S" => "GTS_PDFX",
            "OutputConditionIdentifier" => string("IFRA26"),
            "RegistryName" => string("http://www.color.org"),
            "Info" => string("Coldset offset on newsprint (ISO 12647-3)"),
        });
        let metadata = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp("PDF/X-1a:2003", "False").into_bytes(),
        ));
        let catalog = doc.add_object(dictionary! {
            "Type" => "Catalog", "Pages" => pages,
            "OutputIntents" => vec![intent.into()], "Metadata" => metadata,
        });
        let info = doc.add_object(dictionary! {
            "Title" => string("test page"),
            "CreationDate" => string("D:20180216000000Z"), "ModDate" => string("D:20180216000000Z"),
            "GTS_PDFXVersion" => string("PDF/X-1a:2003"), "Trapped" => "False",
        });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        doc.trailer.set(
            "ID",
            vec![
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
                Object::String(b"0123456789abcdef".to_vec(), StringFormat::Hexadecimal),
            ],
        );
        let content = "/GS0 gs BT /F1 12 Tf 0 g 72 700 Td (Hello) Tj ET\n0 g 72 600 200 1 re f\n".to_string();
        Pdf { doc, page, resources, content }
    }

    fn page_dict(&mut self) -> &mut Dictionary {
        self.doc.get_dictionary_mut(self.page).expect("page")
    }

    fn info(&mut self) -> &mut Dictionary {
        let id = self.doc.trailer.get(b"Info").and_then(Object::as_reference).expect("info");
        self.doc.get_dictionary_mut(id).expect("info dict")
    }

    fn catalog(&mut self) -> &mut Dictionary {
        let id = self.doc.trailer.get(b"Root").and_then(Object::as_reference).expect("root");
        self.doc.get_dictionary_mut(id).expect("catalog")
    }

    /// Adds a resource of `kind` named `name`.
    fn resource(&mut self, kind: &str, name: &str, value: impl Into<Object>) {
        if !self.resources.has(kind.as_bytes()) {
            self.resources.set(kind, Dictionary::new());
        }
        let Ok(Object::Dictionary(d)) = self.resources.get_mut(kind.as_bytes()) else { panic!("{kind}") };
        d.set(name, value);
    }

    /// An image XObject `name` of `w`×`h` samples in `space`.
    fn image(&mut self, name: &str, w: i64, h: i64, space: &str, samples: Vec<u8>, extra: Dictionary) {
        let mut d = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => h,
            "ColorSpace" => space, "BitsPerComponent" => 8,
        };
        for (k, v) in extra.iter() {
            d.set(k.clone(), v.clone());
        }
        let mut s = Stream::new(d, samples);
        if !s.dict.has(b"Filter") {
            s.compress().expect("flate");
        }
        let id = self.doc.add_object(s);
        self.resource("XObject", name, id);
    }

    fn bytes(mut self) -> Vec<u8> {
        let content = self.doc.add_object(Stream::new(dictionary! {}, self.content.clone().into_bytes()));
        let resources = self.resources.clone();
        let page = self.page_dict();
        page.set("Contents", content);
        page.set("Resources", resources);
        let mut out = Vec::new();
        self.doc.save_to(&mut out).expect("saves");
        out
    }
}

fn mono() -> Press {
    Press::default()
}

fn cmyk() -> Press {
    Press { colour: Colour::Cmyk, ..Press::default() }
}

/// The rules that did not pass, with their status.
fn broken(report: &Report) -> Vec<(Rule, Severity)> {
    report.broken().into_iter().map(|r| (r, report.status(r))).collect()
}

fn assert_only(report: &Report, rule: Rule, severity: Severity) {
    assert_eq!(broken(report), vec![(rule, severity)], "findings: {:#?}", report.findings);
}

#[test]
fn good_page_passes_every_rule_mono_and_colour() {
    let bytes = Pdf::good().bytes();
    let r = preflight::check(&bytes, &mono(), None);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    let r = preflight::check(&bytes, &cmyk(), None);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
    let text = preflight::render_text("good.pdf", &r);
    for rule in Rule::ALL {
        assert!(text.contains(&format!("PASS {}\n", rule.name())), "{text}");
    }
}

#[test]
fn icc_grey_fill_fails_colour_in_x1a() {
    let mut p = Pdf::good();
    let icc = p.doc.add_object(Stream::new(dictionary! { "N" => 1 }, vec![0; 128]));
    p.resource("ColorSpace", "CS0", vec![Object::Name(b"ICCBased".to_vec()), icc.into()]);
    p.content.push_str("/CS0 cs 0 sc 100 100 50 50 re f\n");
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::Colour, Severity::Fail);
    assert!(r.findings[0].message.contains("ICCBased grey"), "{:?}", r.findings);
}

#[test]
fn rgb_fill_fails_colour_with_its_position() {
    let mut p = Pdf::good();
    // 100 pt right of the trim's left (10) and 50 pt below its top (840).
    p.content.push_str("1 0 0 rg 110 740 30 50 re f\n");
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::Colour, Severity::Fail);
    let f = &r.findings[0];
    assert_eq!(f.page, Some(1));
    let (x, y) = f.at_mm.expect("a position");
    assert!((x - 100.0 * 25.4 / 72.0).abs() < 0.05, "{x}");
    assert!((y - 50.0 * 25.4 / 72.0).abs() < 0.05, "{y}");
}

#[test]
fn rgb_inside_a_form_xobject_is_found_through_its_matrix() {
    let mut p = Pdf::good();
    let form = p.doc.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
            "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 50.into(), 0.into()],
        },
        b"0 1 0 RG 0 0 m 10 10 l S".to_vec(),
    ));
    p.resource("XObject", "Fm0", form);
    p.content.push_str("q 1 0 0 1 60 300 cm /Fm0 Do Q\n");
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::Colour, Severity::Fail);
    let (x, _) = r.findings[0].at_mm.expect("a position");
    // Page x 110 pt (60 + 50) is 100 pt from the trim's left.
    assert!((x - 100.0 * 25.4 / 72.0).abs() < 0.05, "{x}");
    assert!(r.findings[0].message.contains("stroke"));
}

#[test]
fn cmyk_colour_on_a_black_page_fails_mono_plates() {
    let mut p = Pdf::good();
    p.content.push_str("0.5 0.2 0 0.3 k 100 100 50 50 re f\n");
    let bytes = p.bytes();
    let r = preflight::check(&bytes, &mono(), None);
    assert_only(&r, Rule::MonoPlates, Severity::Fail);
    // The same colour on a colour page is fine.
    assert!(preflight::check(&bytes, &cmyk(), None).findings.is_empty());
}

#[test]
fn k_only_cmyk_on_a_black_page_passes() {
    let mut p = Pdf::good();
    p.content.push_str("/GS0 gs 0 0 0 1 k 100 100 50 50 re f 0 0 0 0.4 K 100 100 m 200 200 l S\n");
    assert!(preflight::check(&p.bytes(), &mono(), None).findings.is_empty());
}

#[test]
fn three_hundred_per_cent_fails_the_ink_limit() {
    let mut p = Pdf::good();
    p.content.push_str("0.8 0.8 0.7 0.7 k 100 100 50 50 re f\n");
    let r = preflight::check(&p.bytes(), &cmyk(), None);
    assert_only(&r, Rule::InkLimit, Severity::Fail);
    assert!(r.findings[0].message.contains("300 %"), "{}", r.findings[0].message);
    let loose = Press { ink_limit: 300.0, ..cmyk() };
    let mut p = Pdf::good();
    p.content.push_str("0.8 0.8 0.7 0.7 k 100 100 50 50 re f\n");
    assert!(preflight::check(&p.bytes(), &loose, None).findings.is_empty());
}

/// A gray photo placed 72 × 72 pt at (100, 100).
const PLACE: &str = "q 72 0 0 72 100 100 cm /Im0 Do Q\n";

#[test]
fn soft_masked_image_fails_transparency_in_x1a_only() {
    let mut p = Pdf::good();
    let mask = p.doc.add_object(Stream::new(
        dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 300, "Height" => 300,
        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8 },
        vec![128; 300 * 300],
    ));
    p.image("Im0", 300, 300, "DeviceGray", vec![90; 300 * 300], dictionary! { "SMask" => mask });
    p.content.push_str(PLACE);
    let bytes = p.bytes();
    assert_only(&preflight::check(&bytes, &mono(), None), Rule::Transparency, Severity::Fail);
    // PDF/X-4 allows transparency (the other X-4 keys then differ, so look at the rule only).
    let x4 = Press { standard: Standard::X4, ..mono() };
    assert_eq!(preflight::check(&bytes, &x4, None).status(Rule::Transparency), Severity::Pass);
}

#[test]
fn constant_alpha_and_blend_modes_fail_transparency() {
    let mut p = Pdf::good();
    p.resource("ExtGState", "GS1", dictionary! { "ca" => 0.5 });
    p.resource("ExtGState", "GS2", dictionary! { "BM" => "Multiply" });
    p.content.push_str("q /GS1 gs 0 g 100 100 10 10 re f Q q /GS2 gs 0 g 100 100 10 10 re f Q\n");
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::Transparency, Severity::Fail);
    assert_eq!(r.findings.len(), 2, "{:#?}", r.findings);
}

#[test]
fn missing_trim_box_fails_boxes() {
    let mut p = Pdf::good();
    p.page_dict().remove(b"TrimBox");
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::Boxes, Severity::Fail);
}

#[test]
fn trim_box_outside_the_bleed_box_fails_boxes() {
    let mut p = Pdf::good();
    p.page_dict().set("TrimBox", vec![10.into(), 10.into(), 610.into(), 840.into()]);
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::Boxes, Severity::Fail);
}

#[test]
fn missing_output_intent_fails_output_intent() {
    let mut p = Pdf::good();
    p.catalog().remove(b"OutputIntents");
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::OutputIntent, Severity::Fail);
}

#[test]
fn another_output_condition_warns() {
    let bytes = Pdf::good().bytes();
    let press = Press { output_condition: "FOGRA39".into(), ..mono() };
    assert_only(&preflight::check(&bytes, &press, None), Rule::OutputIntent, Severity::Warn);
}

#[test]
fn pdf_1_7_fails_version() {
    let mut p = Pdf::good();
    p.doc.version = "1.7".into();
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::Version, Severity::Fail);
}

#[test]
fn missing_document_id_fails() {
    let mut p = Pdf::good();
    p.doc.trailer.remove(b"ID");
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::DocumentId, Severity::Fail);
}

#[test]
fn missing_trapped_fails_pdfx_keys() {
    let mut p = Pdf::good();
    p.info().remove(b"Trapped");
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::PdfxKeys, Severity::Fail);
}

#[test]
fn xmp_that_disagrees_with_info_fails_xmp() {
    let mut p = Pdf::good();
    let id = p.doc.add_object(Stream::new(
        dictionary! { "Type" => "Metadata" },
        xmp("PDF/X-3:2002", "False").into_bytes(),
    ));
    p.catalog().set("Metadata", id);
    assert_only(&preflight::check(&p.bytes(), &mono(), None), Rule::Xmp, Severity::Fail);
}

#[test]
fn font_without_its_program_fails_fonts() {
    let mut p = Pdf::good();
    let bare =
        p.doc.add_object(dictionary! { "Type" => "Font", "Subtype" => "TrueType", "BaseFont" => "Arial" });
    p.resource("Font", "F2", bare);
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::Fonts, Severity::Fail);
    assert!(r.findings[0].message.contains("Arial"));
}

#[test]
fn cmyk_photo_over_the_limit_fails_ink_limit() {
    let mut p = Pdf::good();
    // 300 × 300 px at 72 pt: 300 ppi. Half the pixels at 360 %.
    let mut samples = Vec::new();
    for i in 0..300 * 300 {
        samples.extend_from_slice(if i % 2 == 0 { &[230, 230, 230, 230] } else { &[0, 0, 0, 128] });
    }
    p.image("Im0", 300, 300, "DeviceCMYK", samples, dictionary! {});
    p.content.push_str(PLACE);
    let r = preflight::check(&p.bytes(), &cmyk(), None);
    assert_only(&r, Rule::InkLimit, Severity::Fail);
    assert!(r.findings[0].message.contains("361 %"), "{}", r.findings[0].message);
    assert!(r.findings[0].message.contains("45000 of 90000"), "{}", r.findings[0].message);
}

/// A CMYK JPEG as jpeg-encoder writes it (Adobe: samples stored inverted).
fn cmyk_jpeg(pixel: [u8; 4], w: u16, h: u16) -> Vec<u8> {
    let data: Vec<u8> = (0..w as usize * h as usize).flat_map(|_| pixel).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&data, w, h, jpeg_encoder::ColorType::Cmyk)
        .expect("jpeg");
    out
}

fn jpeg_page(pixel: [u8; 4]) -> Vec<u8> {
    let mut p = Pdf::good();
    let decode: Vec<Object> = [1, 0, 1, 0, 1, 0, 1, 0].into_iter().map(Object::Integer).collect();
    p.image(
        "Im0",
        240,
        240,
        "DeviceCMYK",
        cmyk_jpeg(pixel, 240, 240),
        dictionary! { "Filter" => "DCTDecode", "Decode" => decode },
    );
    p.content.push_str(PLACE);
    p.bytes()
}

#[test]
fn cmyk_jpeg_samples_are_decoded_with_their_decode_array() {
    let r = preflight::check(&jpeg_page([255, 255, 255, 255]), &cmyk(), None);
    assert_only(&r, Rule::InkLimit, Severity::Fail);
    assert!(
        r.findings[0].message.contains("400 %") || r.findings[0].message.contains("399 %"),
        "{:?}",
        r.findings
    );
    // Pure K: on the black plate and under the limit.
    let k = jpeg_page([0, 0, 0, 255]);
    assert!(
        preflight::check(&k, &mono(), None).findings.is_empty(),
        "{:#?}",
        preflight::check(&k, &mono(), None)
    );
    // Cyan on a black page.
    let c = preflight::check(&jpeg_page([200, 0, 0, 0]), &mono(), None);
    assert_only(&c, Rule::MonoPlates, Severity::Fail);
}

#[test]
fn a_sixty_ppi_photo_fails_resolution_and_a_180_ppi_one_warns() {
    let mut p = Pdf::good();
    p.image("Im0", 60, 60, "DeviceGray", vec![100; 60 * 60], dictionary! {});
    p.content.push_str(PLACE);
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::ImageResolution, Severity::Fail);
    assert!(r.findings[0].message.contains("60 ppi"), "{}", r.findings[0].message);
    let mut p = Pdf::good();
    p.image("Im0", 180, 180, "DeviceGray", vec![100; 180 * 180], dictionary! {});
    p.content.push_str(PLACE);
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::ImageResolution, Severity::Warn);
    assert!(!r.failed());
}

#[test]
fn white_overprint_fails_and_knockout_black_warns_on_colour_pages() {
    let mut p = Pdf::good();
    p.content.push_str("/GS0 gs 0 0 0 0 k 100 100 50 50 re f\n");
    assert_only(&preflight::check(&p.bytes(), &cmyk(), None), Rule::Overprint, Severity::Fail);
    let mut p = Pdf::good();
    p.resource("ExtGState", "GS1", dictionary! { "OP" => false, "op" => false });
    p.content.push_str("/GS1 gs BT /F1 9 Tf 0 0 0 1 k 72 500 Td (knock) Tj ET\n");
    let bytes = p.bytes();
    let r = preflight::check(&bytes, &cmyk(), None);
    assert_only(&r, Rule::Overprint, Severity::Warn);
    assert!(r.findings[0].message.contains("text"));
    // Overprint is a colour-page rule.
    assert!(preflight::check(&bytes, &mono(), None).findings.is_empty());
}

#[test]
fn the_page_map_names_the_article_and_the_page_size() {
    let map = |w: f64| -> PageMapFile {
        let json = format!(
            r#"{{"issue": "1", "title": "t", "page": {{"width_mm": {w}, "height_mm": {h}}}, "grid": {{}},
                "blocks": [{{"article": "chunan", "page": 1, "part": 1, "rect_mm": {{"x": 30, "y": 10, "w": 50, "h": 50}}}}]}}"#,
            h = 830.0 * 25.4 / 72.0
        );
        PageMapFile::parse(json.as_bytes()).expect("map")
    };
    let mut p = Pdf::good();
    // 100 pt (35.3 mm) from the trim's left and 50 pt (17.6 mm) below its top: a 10 pt square.
    p.content.push_str("1 0 0 rg 110 780 10 10 re f\n");
    let bytes = p.bytes();
    let r = preflight::check(&bytes, &mono(), Some(&map(580.0 * 25.4 / 72.0)));
    assert_only(&r, Rule::Colour, Severity::Fail);
    assert_eq!(r.findings[0].article.as_deref(), Some("chunan"));
    let text = preflight::render_text("x.pdf", &r);
    assert!(
        text.contains("FAIL colour: page 1 at x 35.3 y 17.6 mm (article chunan): fill in DeviceRGB"),
        "{text}"
    );
    // A map whose page is 1 mm wider than the trim.
    let r = preflight::check(&bytes, &mono(), Some(&map(580.0 * 25.4 / 72.0 + 1.0)));
    assert_eq!(r.status(Rule::Boxes), Severity::Fail);
}

#[test]
fn many_marks_are_listed_a_few_and_counted() {
    let mut p = Pdf::good();
    for i in 0..50 {
        p.content.push_str(&format!("0.5 0 0 0.5 k {} 100 5 5 re f\n", 20 + i * 6));
    }
    let r = preflight::check(&p.bytes(), &mono(), None);
    assert_only(&r, Rule::MonoPlates, Severity::Fail);
    assert_eq!(r.findings.len(), 4, "{:#?}", r.findings);
    assert!(r.findings[3].message.contains("50 in all"), "{}", r.findings[3].message);
}

#[test]
fn unreadable_files_fail_without_panicking() {
    let r = preflight::check(b"this is not a PDF", &mono(), None);
    assert!(r.failed());
    assert_eq!(r.findings.len(), 1);
    let good = Pdf::good().bytes();
    for cut in [10, 100, good.len() / 3, good.len() / 2, good.len() - 40] {
        let r = preflight::check(&good[..cut], &mono(), None);
        assert!(r.failed(), "cut at {cut}");
    }
    // Garbage inside the content stream is findings at most, never a panic.
    let mut p = Pdf::good();
    p.content.push_str("BI /W 4 /H ID \x00\x01 EI [(((] >> /X cm 1 2 3 Tm (\\) Tj ] } 0 0 0 1 1 1 k f\n");
    let _ = preflight::check(&p.bytes(), &cmyk(), None);
}

// The command.

fn paiban(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paiban")).args(args).output().expect("runs paiban")
}

#[test]
fn cli_exit_codes_text_and_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.pdf");
    std::fs::write(&good, Pdf::good().bytes()).unwrap();
    let mut p = Pdf::good();
    p.content.push_str("1 0 0 rg 100 100 50 50 re f\n");
    let bad = dir.path().join("bad.pdf");
    std::fs::write(&bad, p.bytes()).unwrap();

    let out = paiban(&["preflight", good.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("PASS version") && text.contains("PASS mono-plates"), "{text}");

    let out = paiban(&["preflight", bad.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("FAIL colour: page 1"), "{text}");

    // Settings from flags: on a colour page a 300 % fill passes at --ink-limit 320 only.
    let mut p = Pdf::good();
    p.content.push_str("/GS0 gs 0.8 0.8 0.7 0.7 k 100 100 50 50 re f\n");
    let ink = dir.path().join("ink.pdf");
    std::fs::write(&ink, p.bytes()).unwrap();
    assert_eq!(paiban(&["preflight", "--colour", "cmyk", ink.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(
        paiban(&["preflight", "--colour", "cmyk", "--ink-limit", "320", ink.to_str().unwrap()]).status.code(),
        Some(0)
    );

    let out = paiban(&["preflight", "--json", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["schema"], 1);
    let files = json["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["ok"], true);
    assert_eq!(files[1]["ok"], false);
    let rules = files[1]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Rule::ALL.len());
    let colour = rules.iter().find(|r| r["rule"] == "colour").unwrap();
    assert_eq!(colour["status"], "fail");
    assert_eq!(colour["findings"][0]["page"], 1);
    assert!(colour["findings"][0]["at_mm"]["x"].is_number());
    assert_eq!(rules.iter().find(|r| r["rule"] == "version").unwrap()["status"], "pass");

    let missing = paiban(&["preflight", dir.path().join("none.pdf").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn cli_on_an_edition_reads_each_issue_with_its_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let edition = root.join("content/xinchun-2018");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().to_str().unwrap();
    let r = |args: &[&str]| {
        let mut all =
            vec!["preflight", edition.to_str().unwrap(), "--root", root.to_str().unwrap(), "--out", out];
        all.extend_from_slice(args);
        paiban(&all)
    };
    // Nothing built yet: the missing PDF is named, with what to do.
    let missing = r(&[]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("xinchun-1.pdf") && err.contains("paiban build first"), "{err}");
    // An unknown issue lists the ids.
    let unknown = r(&["--issue", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("xinchun-1, xinchun-2"));
    // A page whose map is 1 mm wider than its trim: the map beside the PDF is read.
    std::fs::write(dir.path().join("xinchun-2.pdf"), Pdf::good().bytes()).unwrap();
    let map = r#"{"issue": "xinchun-2", "page": {"width_mm": 205.6, "height_mm": 292.8}, "blocks": []}"#;
    std::fs::write(dir.path().join("xinchun-2.map.json"), map).unwrap();
    let one = r(&["--issue", "xinchun-2", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).expect("JSON");
    assert_eq!(json["files"].as_array().unwrap().len(), 1);
    let boxes =
        json["files"][0]["rules"].as_array().unwrap().iter().find(|r| r["rule"] == "boxes").unwrap().clone();
    assert_eq!(boxes["status"], "fail", "{boxes}");
    assert!(boxes["findings"][0]["message"].as_str().unwrap().contains("204.6 × 292.8 mm"), "{boxes}");
}
