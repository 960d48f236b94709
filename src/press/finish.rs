//! PDF/X finishing of typst-pdf's output, with lopdf: the one place paiban
//! changes a PDF after Typst wrote it (see the module doc of `press` for
//! why Typst cannot write these itself).
//!
//! What changes, and nothing else:
//! - **Colour.** Every colour operator in page and form content is
//!   rewritten to a device colour: ICC-based grey (what `luma()` becomes)
//!   to `g`/`G` on a mono page, or to K-only `k`/`K` on a colour page. RGB
//!   or CMYK left by a layout is converted the same way (mono: to its
//!   grey; colour: a generic separation within the ink limit). Image
//!   XObjects in ICC grey become `DeviceGray`, in ICC CMYK `DeviceCMYK`;
//!   photos arrive already converted (`press::photos`), so an RGB image
//!   here is an error. The ICC colour spaces and profiles are then unused
//!   and dropped.
//! - **Overprint** (colour pages): 100 % K fills and strokes overprint
//!   (`/OP true /op true /OPM 1`); every other colour, white above all,
//!   knocks out.
//! - **Transparency groups** that krilla puts on pages and forms are
//!   removed for PDF/X-1a (which allows none); nothing on a paiban page
//!   is transparent, which the preflight checks.
//! - **Boxes.** TrimBox = the page (typst's page is the trim); with
//!   `bleed_mm` the MediaBox and a BleedBox grow around it.
//! - **PDF/X identification.** One `/GTS_PDFX` output intent naming the
//!   registered condition (and embedding the plant's profile when given),
//!   `GTS_PDFXVersion` and `Trapped /False` in Info, an XMP packet that
//!   says the same, and the standard's PDF version in the header.
//!
//! The bytes are deterministic: the same input gives the same output.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::error::{Error, Result};
use crate::press::content::{self, Action, Operand, num};
use crate::press::settings::ICC_REGISTRY;
use crate::press::{Colour, Press, Standard};

/// What the finished file says about itself.
pub struct Meta<'a> {
    pub title: &'a str,
    pub date: (i32, u8, u8),
    /// The document id typst-pdf was given (kept in the XMP).
    pub ident: &'a str,
}

/// A colour space as far as the rewrite cares.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// Pattern, Separation, DeviceN, Lab, Indexed: left as written.
    Other,
}

fn internal(what: &str) -> impl Fn(lopdf::Error) -> Error + '_ {
    move |e| Error::internal(format!("press finishing: {what}: {e}"))
}

/// Finishes one PDF for the press.
pub fn finish(pdf: &[u8], press: &Press, meta: &Meta) -> Result<Vec<u8>> {
    let mut doc = Document::load_mem(pdf).map_err(internal("reading typst-pdf's output"))?;
    rewrite_content(&mut doc, press)?;
    convert_images(&mut doc, press)?;
    if press.standard == Standard::X1a {
        remove_groups(&mut doc);
    }
    set_boxes(&mut doc, press)?;
    identify(&mut doc, press, meta)?;
    doc.version = press.standard.pdf_version().to_string();
    if let Ok(cat) = doc.catalog_mut() {
        cat.remove(b"Version");
    }
    doc.prune_objects();
    let mut out = Vec::with_capacity(pdf.len());
    doc.save_to(&mut out).map_err(|e| Error::internal(format!("press finishing: writing: {e}")))?;
    Ok(out)
}

fn classify(doc: &Document, o: &Object) -> Space {
    let o = doc.dereference(o).map(|(_, o)| o).unwrap_or(o);
    match o {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Space::Gray,
            b"DeviceRGB" | b"RGB" => Space::Rgb,
            b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
            _ => Space::Other,
        },
        Object::Array(a) => match a.first().and_then(|f| f.as_name().ok()) {
            Some(b"ICCBased") => {
                let n = a
                    .get(1)
                    .and_then(|r| doc.dereference(r).ok())
                    .and_then(|(_, s)| s.as_stream().ok())
                    .and_then(|s| s.dict.get(b"N").ok())
                    .and_then(|n| n.as_i64().ok());
                match n {
                    Some(1) => Space::Gray,
                    Some(3) => Space::Rgb,
                    Some(4) => Space::Cmyk,
                    _ => Space::Other,
                }
            }
            Some(b"CalGray") => Space::Gray,
            Some(b"CalRGB") => Space::Rgb,
            _ => Space::Other,
        },
        _ => Space::Other,
    }
}

/// The resources dictionary an object (page or form) uses, and where it
/// lives: its own id when referenced, else inline in the owner.
fn resources_of(doc: &Document, dict: &Dictionary) -> Option<Dictionary> {
    let r = dict.get(b"Resources").ok()?;
    doc.dereference(r).ok()?.1.as_dict().ok().cloned()
}

/// Name → space for a resources dictionary's ColorSpace entries.
fn colour_spaces(doc: &Document, res: &Dictionary) -> Vec<(Vec<u8>, Space)> {
    let Ok(cs) = res.get(b"ColorSpace") else { return Vec::new() };
    let Some(cs) = doc.dereference(cs).ok().and_then(|(_, o)| o.as_dict().ok()) else { return Vec::new() };
    cs.iter().map(|(k, v)| (k.clone(), classify(doc, v))).collect()
}

/// A content stream and the resources it is read with.
struct Job {
    streams: Vec<ObjectId>,
    spaces: Vec<(Vec<u8>, Space)>,
    /// Where to add the overprint states: the resources' own object, or
    /// the page/form that holds them inline.
    owner: Owner,
}

enum Owner {
    Resources(ObjectId),
    Inline(ObjectId),
    /// Inherited from the page tree: states go on the page itself.
    Page(ObjectId),
}

fn jobs(doc: &Document) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        let (spaces, owner) = match page.get(b"Resources") {
            Ok(Object::Reference(id)) => {
                (resources_of(doc, page).map(|r| colour_spaces(doc, &r)).unwrap_or_default(), Owner::Resources(*id))
            }
            Ok(Object::Dictionary(r)) => (colour_spaces(doc, r), Owner::Inline(page_id)),
            _ => {
                let inherited = doc.get_page_resources(page_id).ok().and_then(|(own, ids)| {
                    own.cloned().or_else(|| ids.first().and_then(|id| doc.get_dictionary(*id).ok().cloned()))
                });
                (inherited.map(|r| colour_spaces(doc, &r)).unwrap_or_default(), Owner::Page(page_id))
            }
        };
        jobs.push(Job { streams: doc.get_page_contents(page_id), spaces, owner });
    }
    for (&id, obj) in &doc.objects {
        let Object::Stream(s) = obj else { continue };
        if s.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            continue;
        }
        let (spaces, owner) = match s.dict.get(b"Resources") {
            Ok(Object::Reference(rid)) => {
                (resources_of(doc, &s.dict).map(|r| colour_spaces(doc, &r)).unwrap_or_default(), Owner::Resources(*rid))
            }
            Ok(Object::Dictionary(r)) => (colour_spaces(doc, r), Owner::Inline(id)),
            _ => (Vec::new(), Owner::Inline(id)),
        };
        jobs.push(Job { streams: vec![id], spaces, owner });
    }
    jobs
}

/// The graphics state the rewrite tracks.
#[derive(Debug, Clone, Copy)]
struct State {
    fill: Space,
    stroke: Space,
    fill_op: bool,
    stroke_op: bool,
}

/// Overprint states added to resources on colour pages: fill × stroke.
const OP_STATES: [(&str, bool, bool); 4] =
    [("PbOP00", false, false), ("PbOP01", false, true), ("PbOP10", true, false), ("PbOP11", true, true)];

fn op_state_name(fill: bool, stroke: bool) -> &'static str {
    OP_STATES.iter().find(|s| s.1 == fill && s.2 == stroke).map(|s| s.0).expect("all four")
}

/// A colour as device values, from `comps` in `space`.
fn to_device(space: Space, comps: &[f64], colour: Colour, ink_limit: f64) -> Option<Vec<f64>> {
    let c = |i: usize| comps.get(i).copied().unwrap_or(0.0).clamp(0.0, 1.0);
    match (space, colour) {
        (Space::Gray, Colour::Mono) => Some(vec![c(0)]),
        (Space::Gray, Colour::Cmyk) => Some(vec![0.0, 0.0, 0.0, 1.0 - c(0)]),
        (Space::Rgb, Colour::Mono) => Some(vec![0.299 * c(0) + 0.587 * c(1) + 0.114 * c(2)]),
        (Space::Rgb, Colour::Cmyk) => {
            let q = |v: f64| (v * 255.0).round() as u8;
            let mut px = crate::press::photos::generic_separation([q(c(0)), q(c(1)), q(c(2))]).to_vec();
            crate::press::photos::limit_ink(&mut px, ink_limit);
            Some(px.iter().map(|&v| v as f64 / 255.0).collect())
        }
        (Space::Cmyk, Colour::Mono) => {
            let ink = (c(3) + 0.3 * c(0) + 0.59 * c(1) + 0.11 * c(2)).min(1.0);
            Some(vec![1.0 - ink])
        }
        (Space::Cmyk, Colour::Cmyk) => {
            let mut v = vec![c(0), c(1), c(2), c(3)];
            let total: f64 = v.iter().sum();
            let cmy = v[0] + v[1] + v[2];
            let limit = ink_limit / 100.0;
            if total > limit && cmy > 0.0 {
                let room = (limit - v[3]).max(0.0);
                for x in &mut v[..3] {
                    *x *= room / cmy;
                }
            }
            Some(v)
        }
        (Space::Other, _) => None,
    }
}

fn rewrite_content(doc: &mut Document, press: &Press) -> Result<()> {
    let colour = press.colour;
    let mut done = std::collections::HashSet::new();
    for job in jobs(doc) {
        let mut uses_op = false;
        for id in &job.streams {
            if !done.insert(*id) {
                continue;
            }
            let Ok(stream) = doc.get_object(*id).and_then(Object::as_stream) else { continue };
            let plain = stream.decompressed_content().or_else(|_| stream.get_plain_content()).map_err(internal("reading page content"))?;
            let (out, op) = rewrite_colours(&plain, &job.spaces, colour, press.ink_limit);
            uses_op |= op;
            let s = doc.get_object_mut(*id).and_then(Object::as_stream_mut).map_err(internal("page content"))?;
            s.dict.remove(b"Filter");
            s.dict.remove(b"DecodeParms");
            s.set_plain_content(out);
            compress(s);
        }
        if uses_op {
            add_op_states(doc, &job.owner)?;
        }
        if press.standard == Standard::X1a {
            drop_icc_spaces(doc, &job.owner);
        }
    }
    Ok(())
}

/// Flate at a fast level: content is rewritten per build; the bytes saved
/// by the best level are a few per cent.
fn compress(s: &mut Stream) {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    if enc.write_all(&s.content).is_ok()
        && let Ok(data) = enc.finish()
    {
        s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        s.set_content(data);
    }
}

/// Rewrites one content stream's colour operators; says whether it used
/// the overprint states.
fn rewrite_colours(plain: &[u8], spaces: &[(Vec<u8>, Space)], colour: Colour, ink_limit: f64) -> (Vec<u8>, bool) {
    let mut st = State { fill: Space::Gray, stroke: Space::Gray, fill_op: false, stroke_op: false };
    let mut stack: Vec<State> = Vec::new();
    let mut used_op = false;
    let lookup = |name: &[u8]| -> Space {
        match name {
            b"DeviceGray" => Space::Gray,
            b"DeviceRGB" => Space::Rgb,
            b"DeviceCMYK" => Space::Cmyk,
            _ => spaces.iter().find(|(n, _)| n == name).map_or(Space::Other, |(_, s)| *s),
        }
    };
    let out = content::rewrite(plain, |op, args| {
        let nums = || args.iter().filter_map(|a| if let Operand::Number(v) = a { Some(*v) } else { None }).collect::<Vec<_>>();
        let (stroke, space, comps): (bool, Space, Vec<f64>) = match op {
            b"q" => {
                stack.push(st);
                return Action::Keep;
            }
            b"Q" => {
                if let Some(s) = stack.pop() {
                    st = s;
                }
                return Action::Keep;
            }
            b"cs" | b"CS" => {
                let stroke = op == b"CS";
                let space = match args.first() {
                    Some(Operand::Name(n)) => lookup(n),
                    _ => Space::Other,
                };
                if stroke { st.stroke = space } else { st.fill = space }
                if space == Space::Other {
                    return Action::Keep;
                }
                // Setting a space sets its initial colour: black.
                let initial = match space {
                    Space::Gray => vec![0.0],
                    Space::Rgb => vec![0.0, 0.0, 0.0],
                    _ => vec![0.0, 0.0, 0.0, 1.0],
                };
                (stroke, space, initial)
            }
            b"sc" | b"scn" | b"SC" | b"SCN" => {
                let stroke = op[0] == b'S';
                let space = if stroke { st.stroke } else { st.fill };
                if space == Space::Other || args.iter().any(|a| !matches!(a, Operand::Number(_))) {
                    return Action::Keep;
                }
                (stroke, space, nums())
            }
            b"g" | b"G" => (op == b"G", Space::Gray, nums()),
            b"rg" | b"RG" => (op == b"RG", Space::Rgb, nums()),
            b"k" | b"K" => (op == b"K", Space::Cmyk, nums()),
            _ => return Action::Keep,
        };
        let Some(dev) = to_device(space, &comps, colour, ink_limit) else { return Action::Keep };
        // Later `sc`/`scn` operands are in the space the content set (the
        // ICC grey of `cs`, say), whatever device space they become here.
        if stroke { st.stroke = space } else { st.fill = space }
        let mut bytes = dev.iter().map(|v| num(*v)).collect::<Vec<_>>().join(" ");
        bytes.push(' ');
        bytes.push_str(match (dev.len(), stroke) {
            (1, false) => "g",
            (1, true) => "G",
            (_, false) => "k",
            (_, true) => "K",
        });
        if colour == Colour::Cmyk {
            // 100 % K overprints; anything else (white above all) knocks out.
            let solid_k = dev.len() == 4 && dev[..3].iter().all(|v| *v == 0.0) && dev[3] >= 1.0;
            let (want_fill, want_stroke) = if stroke { (st.fill_op, solid_k) } else { (solid_k, st.stroke_op) };
            if (want_fill, want_stroke) != (st.fill_op, st.stroke_op) {
                bytes.push_str(&format!(" /{} gs", op_state_name(want_fill, want_stroke)));
                st.fill_op = want_fill;
                st.stroke_op = want_stroke;
                used_op = true;
            }
        }
        Action::Replace(bytes.into_bytes())
    });
    (out, used_op)
}

fn resources_mut<'a>(doc: &'a mut Document, owner: &Owner) -> Option<&'a mut Dictionary> {
    match owner {
        Owner::Resources(id) => doc.get_object_mut(*id).ok()?.as_dict_mut().ok(),
        Owner::Inline(id) | Owner::Page(id) => {
            let obj = doc.get_object_mut(*id).ok()?;
            let dict = match obj {
                Object::Stream(s) => &mut s.dict,
                Object::Dictionary(d) => d,
                _ => return None,
            };
            if !dict.has(b"Resources") {
                dict.set("Resources", Dictionary::new());
            }
            dict.get_mut(b"Resources").ok()?.as_dict_mut().ok()
        }
    }
}

fn add_op_states(doc: &mut Document, owner: &Owner) -> Result<()> {
    // An ExtGState dictionary held by reference is copied inline first.
    let ext_ref = resources_mut(doc, owner)
        .and_then(|r| r.get(b"ExtGState").ok().and_then(|o| o.as_reference().ok()));
    let base = ext_ref.and_then(|id| doc.get_dictionary(id).ok().cloned());
    let res = resources_mut(doc, owner).ok_or_else(|| Error::internal("press finishing: a page without resources"))?;
    let mut ext = base.unwrap_or_else(|| {
        res.get(b"ExtGState").ok().and_then(|o| o.as_dict().ok()).cloned().unwrap_or_default()
    });
    for (name, fill, stroke) in OP_STATES {
        let mut gs = Dictionary::new();
        gs.set("Type", Object::Name(b"ExtGState".to_vec()));
        gs.set("OP", Object::Boolean(stroke));
        gs.set("op", Object::Boolean(fill));
        gs.set("OPM", Object::Integer(1));
        ext.set(name, gs);
    }
    res.set("ExtGState", ext);
    Ok(())
}

/// Drops ICC-based and calibrated colour spaces from a resources dict (the
/// rewritten content no longer names them).
fn drop_icc_spaces(doc: &mut Document, owner: &Owner) {
    let cs_ref = resources_mut(doc, owner).and_then(|r| r.get(b"ColorSpace").ok().and_then(|o| o.as_reference().ok()));
    let spaces = match cs_ref {
        Some(id) => doc.get_dictionary(id).ok().cloned(),
        None => resources_mut(doc, owner).and_then(|r| r.get(b"ColorSpace").ok().and_then(|o| o.as_dict().ok()).cloned()),
    };
    let Some(spaces) = spaces else { return };
    let keep: Dictionary = spaces
        .iter()
        .filter(|(_, v)| classify(doc, v) == Space::Other)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(res) = resources_mut(doc, owner) {
        if keep.is_empty() {
            res.remove(b"ColorSpace");
        } else {
            res.set("ColorSpace", keep);
        }
    }
}

fn convert_images(doc: &mut Document, press: &Press) -> Result<()> {
    let ids: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        })
        .map(|(id, _)| *id)
        .collect();
    for id in ids {
        let dict = doc.get_object(id).and_then(Object::as_stream).map(|s| s.dict.clone()).map_err(internal("image"))?;
        if dict.get(b"ImageMask").and_then(Object::as_bool).unwrap_or(false) {
            continue;
        }
        if press.standard == Standard::X1a && dict.has(b"SMask") {
            return Err(Error::internal(
                "press finishing: an image with transparency (a soft mask) reached a PDF/X-1a page; photos are flattened, so it came from layouts/",
            ));
        }
        let space = dict.get(b"ColorSpace").map(|cs| classify(doc, cs)).unwrap_or(Space::Other);
        let device: &[u8] = match (space, press.colour) {
            (Space::Gray, _) => b"DeviceGray",
            (Space::Cmyk, Colour::Cmyk) => b"DeviceCMYK",
            (Space::Other, _) => continue,
            (Space::Cmyk, Colour::Mono) => {
                return Err(Error::internal(
                    "press finishing: a CMYK image reached a mono page; photos are converted to grey, so it came from layouts/",
                ));
            }
            (Space::Rgb, _) => {
                return Err(Error::internal(
                    "press finishing: an RGB image reached the press PDF; photos are converted, so it came from layouts/ (give it as grey or CMYK)",
                ));
            }
        };
        let s = doc.get_object_mut(id).and_then(Object::as_stream_mut).map_err(internal("image"))?;
        s.dict.set("ColorSpace", Object::Name(device.to_vec()));
    }
    Ok(())
}

fn remove_groups(doc: &mut Document) {
    for obj in doc.objects.values_mut() {
        let dict = match obj {
            Object::Stream(s) => &mut s.dict,
            Object::Dictionary(d) => d,
            _ => continue,
        };
        let is_page_or_form = dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page")
            || dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        if is_page_or_form {
            dict.remove(b"Group");
        }
    }
}

fn rect(doc: &Document, o: &Object) -> Option<[f64; 4]> {
    let (_, o) = doc.dereference(o).ok()?;
    let a = o.as_array().ok()?;
    let v: Vec<f64> = a.iter().filter_map(|x| x.as_float().ok().map(f64::from).or_else(|| x.as_i64().ok().map(|i| i as f64))).collect();
    (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

fn box_object(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|v| Object::Real((*v as f32 * 1000.0).round() / 1000.0)).collect())
}

fn set_boxes(doc: &mut Document, press: &Press) -> Result<()> {
    let bleed = press.bleed_mm * 72.0 / 25.4;
    for (_, page_id) in doc.get_pages() {
        let media = {
            let page = doc.get_dictionary(page_id).map_err(internal("page"))?;
            let mut found = page.get(b"MediaBox").ok().and_then(|o| rect(doc, o));
            let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
            while found.is_none() {
                let Some(p) = parent else { break };
                let d = doc.get_dictionary(p).map_err(internal("page tree"))?;
                found = d.get(b"MediaBox").ok().and_then(|o| rect(doc, o));
                parent = d.get(b"Parent").and_then(Object::as_reference).ok();
            }
            found.ok_or_else(|| Error::internal("press finishing: a page without a MediaBox"))?
        };
        let page = doc.get_dictionary_mut(page_id).map_err(internal("page"))?;
        page.set("TrimBox", box_object(media));
        page.remove(b"CropBox");
        page.remove(b"ArtBox");
        if bleed > 0.0 {
            let grown = [media[0] - bleed, media[1] - bleed, media[2] + bleed, media[3] + bleed];
            page.set("MediaBox", box_object(grown));
            page.set("BleedBox", box_object(grown));
        } else {
            page.set("MediaBox", box_object(media));
            page.remove(b"BleedBox");
        }
    }
    Ok(())
}

fn text(s: &str) -> Object {
    // PDF text strings: ASCII as is, anything else UTF-16BE with a BOM.
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut b = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            b.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(b, StringFormat::Hexadecimal)
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet: the document's title, dates and tool, and the PDF/X
/// identification, matching Info.
fn xmp(press: &Press, meta: &Meta) -> String {
    let (y, m, d) = meta.date;
    let date = format!("{y:04}-{m:02}-{d:02}T00:00:00Z");
    let version = press.standard.version_key();
    let tool = format!("paiban {}", env!("CARGO_PKG_VERSION"));
    let id = xml_escape(meta.ident);
    let pdfxid = if press.standard == Standard::X4 {
        format!("\n   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>")
    } else {
        String::new()
    };
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfx="http://ns.adobe.com/pdfx/1.3/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmp:CreatorTool>{tool}</xmp:CreatorTool>
   <pdf:Producer>{tool}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>uuid:{id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>uuid:{id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfx:GTS_PDFXVersion>{version}</pdfx:GTS_PDFXVersion>{pdfxid}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
        title = xml_escape(meta.title),
    )
}

fn identify(doc: &mut Document, press: &Press, meta: &Meta) -> Result<()> {
    let (y, m, d) = meta.date;
    let pdf_date = format!("D:{y:04}{m:02}{d:02}000000Z");
    // Info.
    let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc.get_dictionary_mut(info_id).map_err(internal("Info"))?;
    info.set("Title", text(meta.title));
    info.set("CreationDate", Object::string_literal(pdf_date.clone()));
    info.set("ModDate", Object::string_literal(pdf_date));
    info.set("Producer", Object::string_literal(format!("paiban {}", env!("CARGO_PKG_VERSION"))));
    info.set("GTS_PDFXVersion", Object::string_literal(press.standard.version_key()));
    if press.standard == Standard::X1a {
        info.set("GTS_PDFXConformance", Object::string_literal("PDF/X-1a:2003"));
    }
    info.set("Trapped", Object::Name(b"False".to_vec()));
    // XMP, replacing krilla's (which says RenditionClass proof).
    let mut md = Dictionary::new();
    md.set("Type", Object::Name(b"Metadata".to_vec()));
    md.set("Subtype", Object::Name(b"XML".to_vec()));
    let md_id = doc.add_object(Stream::new(md, xmp(press, meta).into_bytes()).with_compression(false));
    // The output intent.
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFX".to_vec()));
    intent.set("OutputConditionIdentifier", Object::string_literal(press.output_condition.clone()));
    intent.set("RegistryName", Object::string_literal(ICC_REGISTRY));
    let condition = match &press.profile {
        Some(p) => p.description.clone(),
        None if press.output_condition == crate::press::settings::DEFAULT_CONDITION => {
            "Coldset offset lithography on newsprint (ISO 12647-3), 26 % tone value increase".into()
        }
        None => press.output_condition.clone(),
    };
    intent.set("OutputCondition", Object::string_literal(condition.clone()));
    intent.set("Info", Object::string_literal(condition));
    if let Some(p) = &press.profile {
        let mut pd = Dictionary::new();
        pd.set("N", Object::Integer(p.channels as i64));
        let mut s = Stream::new(pd, p.bytes.clone());
        compress(&mut s);
        let pid = doc.add_object(s);
        intent.set("DestOutputProfile", Object::Reference(pid));
    }
    let cat = doc.catalog_mut().map_err(internal("catalog"))?;
    cat.set("Metadata", Object::Reference(md_id));
    cat.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    Ok(())
}
