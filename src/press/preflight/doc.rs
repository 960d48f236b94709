//! The document-level rules: version, encryption, document ID, output
//! intent, PDF/X keys in Info, XMP, page boxes and embedded fonts.

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::obj::{self, MM_PER_PT, Rect};
use super::{Finding, PageMapFile, Rule, Severity};
use crate::press::settings::{Press, Standard};

pub fn check(doc: &Document, press: &Press, map: Option<&PageMapFile>, out: &mut Vec<Finding>) {
    let catalog = doc.catalog().ok();
    version(doc, catalog, press.standard, out);
    if doc.encryption_state.is_some() || doc.trailer.has(b"Encrypt") {
        out.push(Finding::new(Rule::Encryption, Severity::Fail, "the file is encrypted (PDF/X forbids it)"));
    }
    let id_ok = obj::get(doc, &doc.trailer, b"ID")
        .and_then(|o| o.as_array().ok())
        .is_some_and(|a| a.len() == 2 && a.iter().all(|s| matches!(s, Object::String(..))));
    if !id_ok {
        out.push(Finding::new(
            Rule::DocumentId,
            Severity::Fail,
            "the trailer has no document /ID (two strings)",
        ));
    }
    let Some(catalog) = catalog else {
        out.push(Finding::new(Rule::OutputIntent, Severity::Fail, "the file has no document catalog"));
        return;
    };
    output_intent(doc, catalog, press, out);
    let info = obj::get(doc, &doc.trailer, b"Info").and_then(|o| obj::as_dict(doc, o));
    pdfx_keys(doc, info, press.standard, out);
    xmp(doc, catalog, info, press.standard, out);
    boxes(doc, press, map, out);
    fonts(doc, out);
}

/// "1.7" → (1, 7).
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let (a, b) = v.trim().split_once('.')?;
    Some((a.parse().ok()?, b.chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()?))
}

fn version(doc: &Document, catalog: Option<&Dictionary>, standard: Standard, out: &mut Vec<Finding>) {
    let allowed = standard.pdf_version();
    let max = parse_version(allowed).unwrap_or((1, 4));
    let mut check = |v: &str, where_: &str| match parse_version(v) {
        Some(got) if got <= max => {}
        Some(_) => out.push(Finding::new(
            Rule::Version,
            Severity::Fail,
            format!("{where_} says PDF {v}; {} allows at most {allowed}", standard.version_key()),
        )),
        None => out.push(Finding::new(
            Rule::Version,
            Severity::Fail,
            format!("{where_} has no readable version ({v:?})"),
        )),
    };
    check(&doc.version, "the header");
    if let Some(v) = catalog.and_then(|c| obj::name(doc, c, b"Version")) {
        check(&String::from_utf8_lossy(v), "the catalog's /Version");
    }
}

fn output_intent(doc: &Document, catalog: &Dictionary, press: &Press, out: &mut Vec<Finding>) {
    let fail = |m: String| Finding::new(Rule::OutputIntent, Severity::Fail, m);
    let intents: Vec<&Dictionary> = obj::array(doc, catalog, b"OutputIntents")
        .map(|a| a.iter().filter_map(|o| obj::as_dict(doc, o)).collect())
        .unwrap_or_default();
    let pdfx: Vec<&Dictionary> =
        intents.into_iter().filter(|d| obj::name(doc, d, b"S") == Some(b"GTS_PDFX")).collect();
    let intent = match pdfx.as_slice() {
        [one] => *one,
        [] => {
            return out.push(fail(
                "no /GTS_PDFX output intent: the plant cannot know the printing condition".into(),
            ));
        }
        many => {
            return out
                .push(fail(format!("{} /GTS_PDFX output intents; PDF/X allows exactly one", many.len())));
        }
    };
    let condition = obj::text(doc, intent, b"OutputConditionIdentifier").unwrap_or_default();
    if condition.trim().is_empty() {
        out.push(fail("the output intent has no OutputConditionIdentifier".into()));
    } else if condition != press.output_condition {
        out.push(Finding::new(
            Rule::OutputIntent,
            Severity::Warn,
            format!("the output intent names {condition:?}, the plant prints {:?}", press.output_condition),
        ));
    }
    let profile = intent.get(b"DestOutputProfile").ok().and_then(|o| obj::stream(doc, o));
    match profile {
        Some(s) => {
            let n = obj::num(doc, &s.dict, b"N").unwrap_or(0.0);
            let bytes = s.get_plain_content().unwrap_or_default();
            let class = bytes.get(12..16).unwrap_or(&[]);
            let cs = bytes.get(16..20).unwrap_or(&[]);
            if !(n == 1.0 || n == 4.0) || class != b"prtr" || !(cs == b"CMYK" || cs == b"GRAY") {
                out.push(fail(format!(
                    "the embedded DestOutputProfile is not a grey or CMYK printer profile (N {n}, class {:?}, space {:?})",
                    String::from_utf8_lossy(class),
                    String::from_utf8_lossy(cs)
                )));
            } else if let Some(plant) = &press.profile
                && plant.bytes != bytes
            {
                out.push(Finding::new(
                    Rule::OutputIntent,
                    Severity::Warn,
                    format!("the embedded profile is not the plant's ({})", plant.path.display()),
                ));
            }
        }
        None if intent.has(b"DestOutputProfile") => {
            out.push(fail("the DestOutputProfile is not a stream".into()))
        }
        None if press.standard == Standard::X4 => {
            out.push(fail("PDF/X-4 needs the output profile embedded (DestOutputProfile)".into()))
        }
        None => {
            let registry = obj::text(doc, intent, b"RegistryName").unwrap_or_default();
            if registry.trim().is_empty() {
                out.push(fail(
                    "no DestOutputProfile, and no RegistryName to say where the condition is registered"
                        .into(),
                ));
            }
        }
    }
}

fn pdfx_keys(doc: &Document, info: Option<&Dictionary>, standard: Standard, out: &mut Vec<Finding>) {
    let fail = |m: String| Finding::new(Rule::PdfxKeys, Severity::Fail, m);
    let Some(info) = info else {
        return out.push(fail("the file has no Info dictionary (GTS_PDFXVersion, Trapped)".into()));
    };
    match obj::text(doc, info, b"GTS_PDFXVersion") {
        Some(v) if v == standard.version_key() => {}
        Some(v) => {
            out.push(fail(format!("Info GTS_PDFXVersion is {v:?}, expected {:?}", standard.version_key())))
        }
        None => out.push(fail(format!("Info has no GTS_PDFXVersion ({:?})", standard.version_key()))),
    }
    match obj::name(doc, info, b"Trapped") {
        Some(b"True" | b"False") => {}
        Some(other) => out.push(fail(format!(
            "Info /Trapped is /{}; PDF/X needs True or False",
            String::from_utf8_lossy(other)
        ))),
        None => out.push(fail("Info has no /Trapped (True or False)".into())),
    }
    for key in ["CreationDate", "ModDate"] {
        if !info.has(key.as_bytes()) {
            out.push(Finding::new(Rule::PdfxKeys, Severity::Warn, format!("Info has no {key}")));
        }
    }
}

/// The value of `prefix:name` in XMP, in attribute or element form.
pub fn xmp_value(xmp: &str, qname: &str) -> Option<String> {
    let attr = format!("{qname}=");
    if let Some(i) = xmp.find(&attr) {
        let rest = &xmp[i + attr.len()..];
        let quote = rest.chars().next()?;
        if quote == '"' || quote == '\'' {
            let body = &rest[1..];
            return Some(body[..body.find(quote)?].trim().to_string());
        }
    }
    let open = format!("<{qname}>");
    let i = xmp.find(&open)?;
    let body = &xmp[i + open.len()..];
    let end = body.find(&format!("</{qname}>"))?;
    Some(body[..end].trim().to_string())
}

fn xmp(
    doc: &Document,
    catalog: &Dictionary,
    info: Option<&Dictionary>,
    standard: Standard,
    out: &mut Vec<Finding>,
) {
    let fail = |m: String| Finding::new(Rule::Xmp, Severity::Fail, m);
    let Some(stream) = catalog.get(b"Metadata").ok().and_then(|o| obj::stream(doc, o)) else {
        return out.push(fail("the catalog has no XMP /Metadata stream".into()));
    };
    let bytes = stream.get_plain_content().unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&bytes);
    let expected = info
        .and_then(|i| obj::text(doc, i, b"GTS_PDFXVersion"))
        .unwrap_or_else(|| standard.version_key().to_string());
    let keys: &[&str] = match standard {
        Standard::X1a => &["pdfx:GTS_PDFXVersion"],
        Standard::X4 => &["pdfxid:GTS_PDFXVersion"],
    };
    for key in keys {
        match xmp_value(&text, key) {
            Some(v) if v == expected => {}
            Some(v) => out.push(fail(format!("XMP {key} is {v:?}, Info says {expected:?}"))),
            None => out.push(fail(format!("XMP has no {key}"))),
        }
    }
    // X-4 may also carry the older pdfx key: it must agree when present.
    if standard == Standard::X4
        && let Some(v) = xmp_value(&text, "pdfx:GTS_PDFXVersion")
        && v != expected
    {
        out.push(fail(format!("XMP pdfx:GTS_PDFXVersion is {v:?}, Info says {expected:?}")));
    }
    let info_trapped =
        info.and_then(|i| obj::name(doc, i, b"Trapped")).map(|n| String::from_utf8_lossy(n).into_owned());
    match (xmp_value(&text, "pdf:Trapped"), info_trapped) {
        (Some(x), Some(i)) if x != i => {
            out.push(fail(format!("XMP pdf:Trapped is {x:?}, Info /Trapped is /{i}")))
        }
        (None, Some(i)) => out.push(Finding::new(
            Rule::Xmp,
            if standard == Standard::X4 { Severity::Fail } else { Severity::Warn },
            format!("XMP has no pdf:Trapped (Info says /{i})"),
        )),
        _ => {}
    }
    if let Some(r) = xmp_value(&text, "xmpMM:RenditionClass")
        && r != "default"
    {
        out.push(Finding::new(
            Rule::Xmp,
            Severity::Warn,
            format!("XMP xmpMM:RenditionClass is {r:?}: the plant may treat the file as a proof, not a print master"),
        ));
    }
}

fn boxes(doc: &Document, press: &Press, map: Option<&PageMapFile>, out: &mut Vec<Finding>) {
    const TOL: f64 = 0.01;
    for (i, id) in doc.page_iter().enumerate() {
        let number = i + 1;
        let Ok(page) = doc.get_dictionary(id) else { continue };
        let bx = |k: &[u8], inherit: bool| {
            obj::page_attr(doc, page, k, inherit).and_then(|o| Rect::from_obj(doc, o))
        };
        let fail = |m: String| Finding::new(Rule::Boxes, Severity::Fail, m).on_page(number);
        let Some(media) = bx(b"MediaBox", true) else {
            out.push(fail("the page has no MediaBox".into()));
            continue;
        };
        let (trim, art) = (bx(b"TrimBox", false), bx(b"ArtBox", false));
        let Some(trim) = trim.or(art) else {
            out.push(fail(
                "the page has no TrimBox (nor ArtBox): the plant cannot know the trimmed size".into(),
            ));
            continue;
        };
        if bx(b"TrimBox", false).is_some() && art.is_some() {
            out.push(
                Finding::new(Rule::Boxes, Severity::Warn, "the page has both TrimBox and ArtBox")
                    .on_page(number),
            );
        }
        let bleed = bx(b"BleedBox", false);
        let outer = bleed.unwrap_or(media);
        if !trim.within(&outer, TOL) {
            out.push(fail(format!(
                "the TrimBox lies outside the {}",
                if bleed.is_some() { "BleedBox" } else { "MediaBox" }
            )));
        }
        if let Some(b) = bleed
            && !b.within(&media, TOL)
        {
            out.push(fail("the BleedBox lies outside the MediaBox".into()));
        }
        if press.bleed_mm > 0.0 {
            let b = bleed.unwrap_or(media);
            let least = [trim.x0 - b.x0, trim.y0 - b.y0, b.x1 - trim.x1, b.y1 - trim.y1]
                .into_iter()
                .fold(f64::INFINITY, f64::min)
                * MM_PER_PT;
            if least + 0.1 < press.bleed_mm {
                out.push(
                    Finding::new(
                        Rule::Boxes,
                        Severity::Warn,
                        format!(
                            "bleed is {least:.1} mm on the narrowest side; the plant asks for {} mm",
                            press.bleed_mm
                        ),
                    )
                    .on_page(number),
                );
            }
        }
        if let Some(m) = map {
            let (w, h) = (trim.width() * MM_PER_PT, trim.height() * MM_PER_PT);
            if (w - m.page.width_mm).abs() > 0.1 || (h - m.page.height_mm).abs() > 0.1 {
                out.push(fail(format!(
                    "the TrimBox is {w:.1} × {h:.1} mm, the page is {:.1} × {:.1} mm",
                    m.page.width_mm, m.page.height_mm
                )));
            }
        }
    }
}

/// Every font resource of every page, form, pattern and Type3 font.
fn fonts(doc: &Document, out: &mut Vec<Finding>) {
    let mut seen_res: HashSet<*const Dictionary> = HashSet::new();
    let mut seen_fonts: HashSet<ObjectId> = HashSet::new();
    for (i, id) in doc.page_iter().enumerate() {
        let Ok(page) = doc.get_dictionary(id) else { continue };
        let res = obj::page_attr(doc, page, b"Resources", true).and_then(|o| obj::as_dict(doc, o));
        if let Some(res) = res {
            fonts_in(doc, res, i + 1, &mut seen_res, &mut seen_fonts, 0, out);
        }
    }
}

fn fonts_in<'a>(
    doc: &'a Document,
    res: &'a Dictionary,
    page: usize,
    seen_res: &mut HashSet<*const Dictionary>,
    seen_fonts: &mut HashSet<ObjectId>,
    depth: usize,
    out: &mut Vec<Finding>,
) {
    if depth > 24 || !seen_res.insert(res as *const _) {
        return;
    }
    if let Some(fonts) = obj::dict(doc, res, b"Font") {
        for (name, o) in fonts.iter() {
            if let Some(id) = obj::id_of(doc, o)
                && !seen_fonts.insert(id)
            {
                continue;
            }
            let Some(font) = obj::as_dict(doc, o) else { continue };
            let label = obj::name(doc, font, b"BaseFont")
                .map(|b| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_else(|| format!("/{}", String::from_utf8_lossy(name)));
            if obj::name(doc, font, b"Subtype") == Some(b"Type3") {
                if let Some(r) = obj::dict(doc, font, b"Resources") {
                    fonts_in(doc, r, page, seen_res, seen_fonts, depth + 1, out);
                }
                continue;
            }
            let target = if obj::name(doc, font, b"Subtype") == Some(b"Type0") {
                obj::array(doc, font, b"DescendantFonts")
                    .and_then(|a| a.first())
                    .and_then(|o| obj::as_dict(doc, o))
            } else {
                Some(font)
            };
            let embedded = target.and_then(|f| obj::dict(doc, f, b"FontDescriptor")).is_some_and(|fd| {
                [b"FontFile".as_slice(), b"FontFile2", b"FontFile3"]
                    .iter()
                    .any(|k| obj::stream(doc, fd.get(k).unwrap_or(&Object::Null)).is_some())
            });
            if !embedded {
                out.push(
                    Finding::new(Rule::Fonts, Severity::Fail, format!("font {label} is not embedded"))
                        .on_page(page),
                );
            }
        }
    }
    // Forms, tiling patterns.
    for kind in [b"XObject".as_slice(), b"Pattern"] {
        if let Some(d) = obj::dict(doc, res, kind) {
            for (_, o) in d.iter() {
                if let Some(s) = obj::as_dict(doc, o)
                    && let Some(r) = obj::dict(doc, s, b"Resources")
                {
                    fonts_in(doc, r, page, seen_res, seen_fonts, depth + 1, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_values_in_both_forms() {
        let x = r#"<rdf:Description pdfx:GTS_PDFXVersion="PDF/X-1a:2003" pdf:Trapped='False'/>
            <pdfxid:GTS_PDFXVersion> PDF/X-4 </pdfxid:GTS_PDFXVersion>"#;
        assert_eq!(xmp_value(x, "pdfx:GTS_PDFXVersion").as_deref(), Some("PDF/X-1a:2003"));
        assert_eq!(xmp_value(x, "pdf:Trapped").as_deref(), Some("False"));
        assert_eq!(xmp_value(x, "pdfxid:GTS_PDFXVersion").as_deref(), Some("PDF/X-4"));
        assert_eq!(xmp_value(x, "xmpMM:RenditionClass"), None);
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(parse_version("1.4"), Some((1, 4)));
        assert!(parse_version("1.10").unwrap() > parse_version("1.6").unwrap());
        assert_eq!(parse_version("x"), None);
    }
}
