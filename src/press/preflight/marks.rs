//! What each painted mark means for the page rules: colour spaces, plates
//! of a black page, ink limit, overprint, transparency and photo
//! resolution. The walker reports marks; this module judges them and keeps,
//! per page and rule, the first few positions and a count, so a page of
//! ten thousand wrong glyphs is a few lines, not ten thousand.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::image::{self, Samples};
use super::obj::{self, MM_PER_PT, Rect};
use super::space::{Space, is_black_colorant};
use super::syntax::Operand;
use super::walk::{Bbox, Gs, Kind, Res, Walker};
use super::{Finding, PageMapFile, Rule, Severity};
use crate::press::settings::{Colour, Press, REFUSE_PPI, Standard};

/// Positions listed per rule and kind of problem on a page; the rest are counted.
const FIRST: usize = 3;
/// Colour components this close to zero are no ink (half a step of 8 bits).
const EPS: f64 = 0.5 / 255.0;

/// Marks of one kind on one page: the first few and how many.
struct Spots {
    rule: Rule,
    severity: Severity,
    key: String,
    first: Vec<(Bbox, String)>,
    count: usize,
}

pub struct Marks<'a> {
    doc: &'a Document,
    pdf: &'a [u8],
    standard: Standard,
    colour: Colour,
    ink_limit: f64,
    min_ppi: f64,
    map: Option<&'a PageMapFile>,
    /// Decoded form and pattern content, by object.
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    /// Image sample statistics, by object.
    images: HashMap<ObjectId, Rc<Result<Samples, String>>>,
    /// The file as hayro reads it, for DCT samples (made on first need).
    jpeg_reader: Option<image::JpegReader>,
    // The page being walked.
    page: usize,
    trim: Rect,
    spots: Vec<Spots>,
}

impl<'a> Marks<'a> {
    pub fn new(doc: &'a Document, pdf: &'a [u8], press: &Press, map: Option<&'a PageMapFile>) -> Self {
        Self {
            doc,
            pdf,
            standard: press.standard,
            colour: press.colour,
            ink_limit: press.ink_limit,
            min_ppi: press.min_ppi,
            map,
            forms: HashMap::new(),
            images: HashMap::new(),
            jpeg_reader: None,
            page: 0,
            trim: Rect { x0: 0.0, y0: 0.0, x1: 612.0, y1: 792.0 },
            spots: Vec::new(),
        }
    }

    /// Walks page `number` and adds its findings.
    pub fn page(&mut self, number: usize, id: ObjectId, findings: &mut Vec<Finding>) {
        let doc = self.doc;
        let Ok(page) = doc.get_dictionary(id) else { return };
        self.page = number;
        self.spots.clear();
        self.trim = [b"TrimBox".as_slice(), b"ArtBox", b"CropBox", b"MediaBox"]
            .iter()
            .find_map(|k| obj::page_attr(doc, page, k, matches!(*k, b"CropBox" | b"MediaBox")))
            .and_then(|o| Rect::from_obj(doc, o))
            .unwrap_or(self.trim);
        if self.standard == Standard::X1a && is_transparency_group(doc, page) {
            self.spot(
                Rule::Transparency,
                Severity::Fail,
                "page-group",
                None,
                "the page is a transparency group (/Group /S /Transparency)".into(),
            );
        }
        Walker::new(doc, self).page(page, super::walk::IDENTITY);
        for s in std::mem::take(&mut self.spots) {
            for (at, message) in &s.first {
                let mut f = Finding::new(s.rule, s.severity, message.clone()).on_page(number);
                if at.x0.is_finite() {
                    let (x, y) = self.mm(at.x0, at.y1);
                    f.at_mm = Some((x, y));
                    let (cx, cy) = self.mm((at.x0 + at.x1) / 2.0, (at.y0 + at.y1) / 2.0);
                    f.article = self.map.and_then(|m| m.article_at(number, cx, cy)).map(str::to_string);
                }
                findings.push(f);
            }
            if s.count > s.first.len() {
                findings.push(
                    Finding::new(
                        s.rule,
                        s.severity,
                        format!(
                            "{} more mark(s) like the above ({}), {} in all",
                            s.count - s.first.len(),
                            s.key,
                            s.count
                        ),
                    )
                    .on_page(number),
                );
            }
        }
    }

    /// A point of the page's user space in mm from the trim's top left.
    fn mm(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.trim.x0) * MM_PER_PT, (self.trim.y1 - y) * MM_PER_PT)
    }

    fn spot(&mut self, rule: Rule, severity: Severity, key: &str, at: Option<Bbox>, message: String) {
        let at = at.unwrap_or(Bbox { x0: f64::NAN, y0: f64::NAN, x1: f64::NAN, y1: f64::NAN });
        if let Some(s) = self.spots.iter_mut().find(|s| s.rule == rule && s.key == key) {
            s.count += 1;
            if s.first.len() < FIRST {
                s.first.push((at, message));
            }
            return;
        }
        self.spots.push(Spots { rule, severity, key: key.to_string(), first: vec![(at, message)], count: 1 });
    }

    /// The decoded content of a form or pattern (cached).
    pub fn content(&mut self, id: ObjectId, s: &Stream) -> Rc<Vec<u8>> {
        self.forms.entry(id).or_insert_with(|| Rc::new(s.get_plain_content().unwrap_or_default())).clone()
    }

    /// A fill, stroke or text show in the current colour.
    pub fn paint(&mut self, kind: Kind, gs: &Gs, at: Bbox) {
        let (p, op) = match kind {
            Kind::Fill | Kind::Text => (&gs.fill, gs.op_fill),
            Kind::Stroke | Kind::TextStroke => (&gs.stroke, gs.op_stroke),
        };
        let what = match kind {
            Kind::Fill => "fill",
            Kind::Stroke => "stroke",
            Kind::Text => "text",
            Kind::TextStroke => "text outline",
        };
        let space = p.space.clone();
        let c = p.c;
        self.colour(&space, &c, what, at);
        if self.colour == Colour::Cmyk {
            self.overprint(&space, &c, kind, op, gs.opm1, what, at);
        }
    }

    /// A colour space the standard refuses (RGB, ICC in X-1a…): one FAIL of
    /// the colour rule, keyed by `kind` and the space, and true.
    fn refused(&mut self, space: &Space, kind: &str, what: &str, at: Bbox) -> bool {
        let Some(why) = space.refused(self.standard) else { return false };
        self.spot(Rule::Colour, Severity::Fail, &format!("{kind} {}", space.label()), Some(at), format!("{what} in {why}"));
        true
    }

    /// Colour, plates and ink of one colour: the checks every mark shares.
    fn colour(&mut self, space: &Space, c: &[f64; 4], what: &str, at: Bbox) {
        if self.refused(space, what, what, at) {
            // The plates and ink of a refused colour are the RIP's guess.
            return;
        }
        if self.colour == Colour::Mono
            && let Some(why) = off_black_plate(space, c)
        {
            self.spot(Rule::MonoPlates, Severity::Fail, "off the K plate", Some(at), format!("{what} {why}"));
        }
        if let Some(tac) = coverage(space, c)
            && tac > self.ink_limit + 0.5
        {
            self.spot(
                Rule::InkLimit,
                Severity::Fail,
                "over the ink limit",
                Some(at),
                format!("{what} {} = {tac:.0} % C+M+Y+K (limit {:.0} %)", show(space, c), self.ink_limit),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn overprint(
        &mut self,
        space: &Space,
        c: &[f64; 4],
        kind: Kind,
        op: bool,
        opm1: bool,
        what: &str,
        at: Bbox,
    ) {
        let near = |v: f64, t: f64| (v - t).abs() <= EPS;
        let (black, white) = match space {
            Space::Cmyk => (
                near(c[0], 0.0) && near(c[1], 0.0) && near(c[2], 0.0) && near(c[3], 1.0),
                c.iter().all(|&v| near(v, 0.0)),
            ),
            Space::Gray => (near(c[0], 0.0), near(c[0], 1.0)),
            _ => (false, false),
        };
        if white && op {
            self.spot(
                Rule::Overprint,
                Severity::Fail,
                "white overprints",
                Some(at),
                format!("white {what} is set to overprint and vanishes on the press"),
            );
        }
        // CMYK black needs OPM 1 (else its zero C, M, Y knock out); grey black only /op.
        let overprints = op && (opm1 || matches!(space, Space::Gray));
        if black && matches!(kind, Kind::Fill | Kind::Text) && !overprints {
            self.spot(
                Rule::Overprint,
                Severity::Warn,
                "100 % K knocks out",
                Some(at),
                format!(
                    "100 % K {what} knocks out (no /op true with /OPM 1): misregistration shows white edges"
                ),
            );
        }
    }

    /// An ExtGState set with `gs`: transparency in PDF/X-1a.
    pub fn ext_gstate(&mut self, d: &Dictionary, at: Bbox) {
        if self.standard != Standard::X1a {
            return;
        }
        let doc = self.doc;
        let mut why = Vec::new();
        if let Some(m) = obj::get(doc, d, b"SMask")
            && m.as_name().ok() != Some(b"None")
        {
            why.push("a soft mask (/SMask)".to_string());
        }
        for key in [b"CA".as_slice(), b"ca"] {
            if let Some(a) = obj::num(doc, d, key)
                && a < 1.0
            {
                why.push(format!("opacity /{} {a}", String::from_utf8_lossy(key)));
            }
        }
        let modes: Vec<&[u8]> = match obj::get(doc, d, b"BM") {
            Some(Object::Name(n)) => vec![n.as_slice()],
            Some(Object::Array(a)) => a.iter().filter_map(|o| o.as_name().ok()).collect(),
            _ => vec![],
        };
        for m in modes {
            if m != b"Normal" && m != b"Compatible" {
                why.push(format!("blend mode /{}", String::from_utf8_lossy(m)));
            }
        }
        for w in why {
            self.spot(
                Rule::Transparency,
                Severity::Fail,
                &w.clone(),
                Some(at),
                format!("graphics state with {w}"),
            );
        }
    }

    /// A form XObject painted: a transparency group in PDF/X-1a.
    pub fn group(&mut self, form: &Dictionary, at: Bbox) {
        if self.standard == Standard::X1a && is_transparency_group(self.doc, form) {
            self.spot(
                Rule::Transparency,
                Severity::Fail,
                "form-group",
                Some(at),
                "form XObject is a transparency group (/Group /S /Transparency)".into(),
            );
        }
    }

    /// A shading painted (`sh` or a shading pattern).
    pub fn shading(&mut self, space: &Space, at: Bbox) {
        if self.refused(space, "shading", "shading", at) {
            return;
        }
        if self.colour == Colour::Mono && !matches!(space, Space::Gray) {
            self.spot(
                Rule::MonoPlates,
                Severity::Warn,
                "shading",
                Some(at),
                format!("shading in {}: its colours are not measured; check the plates", space.label()),
            );
        }
    }

    /// An image XObject painted with `Do`.
    pub fn image(&mut self, id: Option<ObjectId>, s: &'a Stream, gs: &Gs, res: &mut Res<'a>) {
        let doc = self.doc;
        let d = &s.dict;
        let at = Bbox::unit(&gs.ctm);
        if obj::get(doc, d, b"ImageMask").and_then(|o| o.as_bool().ok()) == Some(true) {
            // A stencil paints the fill colour through its mask.
            self.paint(Kind::Fill, gs, at);
            return;
        }
        let w = obj::num(doc, d, b"Width").unwrap_or(0.0);
        let h = obj::num(doc, d, b"Height").unwrap_or(0.0);
        let size = format!("{w:.0}×{h:.0} px");
        if self.standard == Standard::X1a {
            if obj::get(doc, d, b"SMask").is_some_and(|m| !matches!(m, Object::Null)) {
                self.spot(
                    Rule::Transparency,
                    Severity::Fail,
                    "image soft mask",
                    Some(at),
                    format!("photo {size} has a soft mask (alpha)"),
                );
            }
            if obj::num(doc, d, b"SMaskInData").is_some_and(|v| v > 0.0) {
                self.spot(
                    Rule::Transparency,
                    Severity::Fail,
                    "image alpha",
                    Some(at),
                    format!("photo {size} has alpha in its JPEG 2000 data"),
                );
            }
        }
        self.resolution(w, h, &gs.ctm, &size, at);
        let space = match d.get(b"ColorSpace") {
            Ok(o) => res.space_of(doc, o),
            Err(_) => Rc::new(Space::Unknown("none given".into())),
        };
        if self.refused(&space, "image", &format!("photo {size}"), at) {
            return;
        }
        match &*space {
            Space::Cmyk | Space::Indexed(..) | Space::DeviceN(..) => {}
            Space::Separation(name, _) => {
                if self.colour == Colour::Mono && !is_black_colorant(name) {
                    let why = format!("photo {size} in {}", space.label());
                    self.spot(Rule::MonoPlates, Severity::Fail, "photo off the K plate", Some(at), why);
                }
                return;
            }
            Space::Gray => return,
            other => {
                if self.colour == Colour::Mono {
                    let why =
                        format!("photo {size} in {}: the RIP separates it onto every plate", other.label());
                    self.spot(Rule::MonoPlates, Severity::Fail, "photo off the K plate", Some(at), why);
                }
                return;
            }
        }
        // Samples are needed: CMYK (plates, ink), indexed, or spot photos.
        let Some(id) = id else { return };
        let stats = match self.images.get(&id) {
            Some(s) => s.clone(),
            None => {
                let reader = &mut self.jpeg_reader;
                let pdf = self.pdf;
                let s = Rc::new(image::samples(doc, id, s, &space, self.ink_limit, || {
                    reader.get_or_insert_with(|| image::JpegReader::new(pdf)).clone()
                }));
                self.images.insert(id, s.clone());
                s
            }
        };
        match &*stats {
            Err(why) => self.spot(
                Rule::InkLimit,
                Severity::Warn,
                &format!("image {} {}", id.0, id.1),
                Some(at),
                format!("photo {size} in {}: samples not measured ({why})", space.label()),
            ),
            Ok(st) => {
                if self.colour == Colour::Mono && st.off_black > 0 {
                    self.spot(
                        Rule::MonoPlates,
                        Severity::Fail,
                        "photo off the K plate",
                        Some(at),
                        format!(
                            "photo {size} in {}: {} of {} pixels put ink on C, M or Y",
                            space.label(),
                            st.off_black,
                            st.pixels
                        ),
                    );
                }
                if st.max_tac > self.ink_limit + 0.5 {
                    self.spot(
                        Rule::InkLimit,
                        Severity::Fail,
                        &format!("image {} {}", id.0, id.1),
                        Some(at),
                        format!(
                            "photo {size} reaches {:.0} % C+M+Y+K (limit {:.0} %); {} of {} pixels over",
                            st.max_tac, self.ink_limit, st.over, st.pixels
                        ),
                    );
                }
            }
        }
    }

    /// An inline image (`BI … ID … EI`): colour space and resolution (its
    /// samples are not measured).
    pub fn inline_image(&mut self, ops: &[Operand<'_>], gs: &Gs, res: &mut Res<'a>) {
        let at = Bbox::unit(&gs.ctm);
        let value = |keys: &[&[u8]]| {
            ops.chunks(2)
                .find(|kv| matches!(kv[0], Operand::Name(k) if keys.contains(&k)))
                .and_then(|kv| kv.get(1))
                .copied()
        };
        if value(&[b"IM".as_slice(), b"ImageMask"]) == Some(Operand::Bool(true)) {
            self.paint(Kind::Fill, gs, at);
            return;
        }
        let w = value(&[b"W".as_slice(), b"Width"]).and_then(|o| o.num()).unwrap_or(0.0);
        let h = value(&[b"H".as_slice(), b"Height"]).and_then(|o| o.num()).unwrap_or(0.0);
        let size = format!("{w:.0}×{h:.0} px");
        self.resolution(w, h, &gs.ctm, &format!("inline image {size}"), at);
        let space = match value(&[b"CS".as_slice(), b"ColorSpace"]) {
            Some(Operand::Name(n)) => res.space_named(self.doc, n),
            _ => Rc::new(Space::Unknown("inline".into())),
        };
        let refused = self.refused(&space, "image", &format!("inline image {size}"), at);
        if !refused && self.colour == Colour::Mono && !matches!(*space, Space::Gray) {
            self.spot(
                Rule::MonoPlates,
                Severity::Fail,
                "inline image",
                Some(at),
                format!("inline image {size} in {} on a black page", space.label()),
            );
        }
    }

    fn resolution(&mut self, w: f64, h: f64, ctm: &[f64; 6], what: &str, at: Bbox) {
        let placed_w = ctm[0].hypot(ctm[1]);
        let placed_h = ctm[2].hypot(ctm[3]);
        if placed_w < 0.01 || placed_h < 0.01 || w < 1.0 || h < 1.0 {
            return;
        }
        let ppi = (w / (placed_w / 72.0)).min(h / (placed_h / 72.0));
        let severity = if ppi < REFUSE_PPI {
            Severity::Fail
        } else if ppi < self.min_ppi {
            Severity::Warn
        } else {
            return;
        };
        let (min, label) =
            if severity == Severity::Fail { (REFUSE_PPI, "refused below") } else { (self.min_ppi, "min") };
        let key = format!("{what} {:.1} {:.1}", at.x0, at.y1);
        self.spot(
            Rule::ImageResolution,
            severity,
            &key,
            Some(at),
            format!("photo {what} at {ppi:.0} ppi ({label} {min:.0})"),
        );
    }
}

fn is_transparency_group(doc: &Document, d: &Dictionary) -> bool {
    obj::dict(doc, d, b"Group").and_then(|g| obj::name(doc, g, b"S")) == Some(b"Transparency")
}

/// Why a colour puts ink off the black plate, if it does.
fn off_black_plate(space: &Space, c: &[f64; 4]) -> Option<String> {
    let ink = |v: f64| v > EPS;
    match space {
        Space::Gray | Space::Pattern(_) => None,
        Space::Cmyk if c[..3].iter().any(|&v| ink(v)) => {
            Some(format!("{} puts ink on C, M or Y", show(space, c)))
        }
        Space::Cmyk => None,
        Space::Separation(name, _) if !is_black_colorant(name) && ink(c[0]) => {
            Some(format!("in spot colour {}", String::from_utf8_lossy(name)))
        }
        Space::Separation(..) => None,
        Space::DeviceN(names, _) => names
            .iter()
            .zip(c.iter())
            .find(|(n, v)| !is_black_colorant(n) && ink(**v))
            .map(|(n, _)| format!("in DeviceN with ink on {}", String::from_utf8_lossy(n))),
        Space::Indexed(base, palette) => {
            let entry = palette_entry(base, palette, c[0])?;
            off_black_plate(base, &entry)
        }
        other => Some(format!("in {}: the RIP separates it onto every plate", other.label())),
    }
}

/// C+M+Y+K in per cent, for colours whose ink is known.
fn coverage(space: &Space, c: &[f64; 4]) -> Option<f64> {
    match space {
        Space::Cmyk => Some(c.iter().map(|v| v.clamp(0.0, 1.0)).sum::<f64>() * 100.0),
        Space::DeviceN(names, _) if names.len() <= 4 => {
            Some(c[..names.len()].iter().map(|v| v.clamp(0.0, 1.0)).sum::<f64>() * 100.0)
        }
        Space::Indexed(base, palette) => coverage(base, &palette_entry(base, palette, c[0])?),
        _ => None,
    }
}

/// Entry `index` of an indexed palette, as base components 0–1.
fn palette_entry(base: &Space, palette: &[u8], index: f64) -> Option<[f64; 4]> {
    let n = base.n().min(4);
    let i = index.max(0.0) as usize * base.n();
    let bytes = palette.get(i..i + n)?;
    let mut c = [0.0; 4];
    for (slot, &b) in c.iter_mut().zip(bytes) {
        *slot = b as f64 / 255.0;
    }
    Some(c)
}

/// "CMYK 0.5 0.2 0 0.3" for messages.
fn show(space: &Space, c: &[f64; 4]) -> String {
    let n = space.n().clamp(1, 4);
    let comps: Vec<String> = c[..n].iter().map(|v| format!("{}", (v * 1000.0).round() / 1000.0)).collect();
    let name = match space {
        Space::Cmyk => "CMYK".to_string(),
        Space::Gray => "grey".to_string(),
        other => other.label(),
    };
    format!("{name} {}", comps.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plates_of_colours() {
        assert_eq!(off_black_plate(&Space::Gray, &[0.3, 0.0, 0.0, 0.0]), None);
        assert_eq!(off_black_plate(&Space::Cmyk, &[0.0, 0.0, 0.0, 1.0]), None);
        assert!(off_black_plate(&Space::Cmyk, &[0.5, 0.2, 0.0, 0.3]).unwrap().contains("C, M or Y"));
        let black = Space::Separation(b"Black".to_vec(), Box::new(Space::Cmyk));
        assert_eq!(off_black_plate(&black, &[1.0, 0.0, 0.0, 0.0]), None);
        let red = Space::Separation(b"PANTONE 485".to_vec(), Box::new(Space::Cmyk));
        assert!(off_black_plate(&red, &[1.0, 0.0, 0.0, 0.0]).is_some());
        assert_eq!(off_black_plate(&red, &[0.0, 0.0, 0.0, 0.0]), None);
        let idx = Space::Indexed(Box::new(Space::Cmyk), vec![0, 0, 0, 255, 255, 0, 0, 0]);
        assert_eq!(off_black_plate(&idx, &[0.0; 4]), None);
        assert!(off_black_plate(&idx, &[1.0, 0.0, 0.0, 0.0]).is_some());
    }

    #[test]
    fn coverage_of_colours() {
        assert_eq!(coverage(&Space::Cmyk, &[1.0, 1.0, 0.5, 0.5]), Some(300.0));
        assert_eq!(coverage(&Space::Gray, &[0.0; 4]), None);
        let idx = Space::Indexed(Box::new(Space::Cmyk), vec![255, 255, 255, 255]);
        assert_eq!(coverage(&idx, &[0.0; 4]), Some(400.0));
    }

    #[test]
    fn transparency_group_is_seen() {
        let doc = Document::new();
        let mut d = Dictionary::new();
        assert!(!is_transparency_group(&doc, &d));
        d.set("Group", lopdf::dictionary! { "S" => "Transparency" });
        assert!(is_transparency_group(&doc, &d));
    }
}
