//! Small, forgiving accessors over lopdf objects: every lookup follows
//! references and answers `None` for anything missing or of the wrong type,
//! so a malformed file yields findings, never errors or panics.

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Follows references (bounded by lopdf).
pub fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// The object id `o` refers to, if it is a reference.
pub fn id_of(doc: &Document, o: &Object) -> Option<ObjectId> {
    doc.dereference(o).ok().and_then(|(id, _)| id)
}

pub fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().and_then(|o| deref(doc, o))
}

pub fn dict<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    match get(doc, d, key)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn as_dict<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, o)? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

pub fn stream<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Stream> {
    match deref(doc, o)? {
        Object::Stream(s) => Some(s),
        _ => None,
    }
}

pub fn name<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    get(doc, d, key)?.as_name().ok()
}

pub fn num(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<f64> {
    as_num(get(doc, d, key)?)
}

pub fn as_num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

pub fn array<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    get(doc, d, key)?.as_array().ok()
}

/// A text string (PDFDocEncoding or UTF-16BE with BOM), lossily.
pub fn text(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<String> {
    match get(doc, d, key)? {
        Object::String(bytes, _) => Some(decode_text(bytes)),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

pub fn decode_text(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        bytes.iter().map(|&b| b as char).collect()
    }
}

/// A rectangle, normalised so x0 ≤ x1 and y0 ≤ y1 (points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn from_obj(doc: &Document, o: &Object) -> Option<Rect> {
        let a = deref(doc, o)?.as_array().ok()?;
        if a.len() != 4 {
            return None;
        }
        let v: Vec<f64> = a.iter().filter_map(|o| deref(doc, o).and_then(as_num)).collect();
        if v.len() != 4 || v.iter().any(|x| !x.is_finite()) {
            return None;
        }
        Some(Rect { x0: v[0].min(v[2]), y0: v[1].min(v[3]), x1: v[0].max(v[2]), y1: v[1].max(v[3]) })
    }

    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Whether `self` lies inside `outer` (within `tol` points).
    pub fn within(&self, outer: &Rect, tol: f64) -> bool {
        self.x0 >= outer.x0 - tol
            && self.y0 >= outer.y0 - tol
            && self.x1 <= outer.x1 + tol
            && self.y1 <= outer.y1 + tol
    }
}

/// A page attribute, looked up the Pages tree when `inherit` (MediaBox,
/// CropBox, Resources, Rotate are inheritable; TrimBox and BleedBox are not).
pub fn page_attr<'a>(
    doc: &'a Document,
    page: &'a Dictionary,
    key: &[u8],
    inherit: bool,
) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Some(o) = get(doc, node, key) {
            return Some(o);
        }
        if !inherit {
            return None;
        }
        node = dict(doc, node, b"Parent")?;
    }
    None
}

pub const MM_PER_PT: f64 = 25.4 / 72.0;
