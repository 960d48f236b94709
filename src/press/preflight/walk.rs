//! The content walker: runs a page's content streams with the graphics state
//! a RIP would keep (CTM through `q`/`Q`/`cm`, fill and stroke colour and
//! space, overprint from ExtGStates, the text matrix), descends into form
//! XObjects and coloured tiling patterns with their own resources and
//! matrix, and hands every painted mark to [`Marks`] with its position.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::marks::Marks;
use super::obj;
use super::space::{self, Space};
use super::syntax::{Lexer, Operand};

/// An affine matrix [a b c d e f] as PDF writes it.
pub type Matrix = [f64; 6];
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`.
pub fn concat(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

/// A box in the page's default user space (points, y up).
#[derive(Debug, Clone, Copy)]
pub struct Bbox {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Bbox {
    pub fn point(x: f64, y: f64) -> Self {
        Self { x0: x, y0: y, x1: x, y1: y }
    }

    fn add(&mut self, x: f64, y: f64) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }

    /// The box of the unit square under `m` (where an image lands).
    pub fn unit(m: &Matrix) -> Self {
        let (x, y) = apply(m, 0.0, 0.0);
        let mut b = Bbox::point(x, y);
        for (u, v) in [(1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
            let (x, y) = apply(m, u, v);
            b.add(x, y);
        }
        b
    }
}

/// A colour: its space and up to four components (or a pattern's name).
#[derive(Debug, Clone)]
pub struct Paint {
    pub space: Rc<Space>,
    pub c: [f64; 4],
    pub pattern: Option<Rc<[u8]>>,
}

/// What a mark is painted as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fill,
    Stroke,
    Text,
    TextStroke,
}

/// The graphics state the checks need.
#[derive(Debug, Clone)]
pub struct Gs {
    pub ctm: Matrix,
    pub fill: Paint,
    pub stroke: Paint,
    /// /OP (stroking) and /op (non-stroking) overprint, /OPM 1.
    pub op_stroke: bool,
    pub op_fill: bool,
    pub opm1: bool,
    /// Text rendering mode (Tr).
    pub tr: u8,
}

/// A frame's resources and its device spaces (which /DefaultGray,
/// /DefaultRGB, /DefaultCMYK remap).
pub struct Res<'a> {
    pub dict: Option<&'a Dictionary>,
    pub cs: Option<&'a Dictionary>,
    pub gray: Rc<Space>,
    pub rgb: Rc<Space>,
    pub cmyk: Rc<Space>,
    cache: HashMap<Vec<u8>, Rc<Space>>,
}

impl<'a> Res<'a> {
    pub fn new(doc: &'a Document, dict: Option<&'a Dictionary>) -> Self {
        let cs = dict.and_then(|d| obj::dict(doc, d, b"ColorSpace"));
        let default = |key: &[u8], device: Space| {
            Rc::new(match cs.and_then(|c| obj::get(doc, c, key)) {
                Some(o) => space::resolve(doc, o, None, 1),
                None => device,
            })
        };
        Self {
            dict,
            cs,
            gray: default(b"DefaultGray", Space::Gray),
            rgb: default(b"DefaultRGB", Space::Rgb),
            cmyk: default(b"DefaultCMYK", Space::Cmyk),
            cache: HashMap::new(),
        }
    }

    /// A named resource of `kind` (/XObject, /ExtGState, /Pattern, /Shading).
    pub fn get(&self, doc: &'a Document, kind: &[u8], name: &[u8]) -> Option<&'a Object> {
        let d = obj::dict(doc, self.dict?, kind)?;
        d.get(name).ok()
    }

    /// The space a `cs` operand or an image's /ColorSpace names.
    pub fn space_named(&mut self, doc: &'a Document, name: &[u8]) -> Rc<Space> {
        match name {
            b"DeviceGray" | b"G" => self.gray.clone(),
            b"DeviceRGB" | b"RGB" => self.rgb.clone(),
            b"DeviceCMYK" | b"CMYK" => self.cmyk.clone(),
            _ => {
                if let Some(s) = self.cache.get(name) {
                    return s.clone();
                }
                let s = Rc::new(space::resolve_name(doc, name, self.cs, 0));
                self.cache.insert(name.to_vec(), s.clone());
                s
            }
        }
    }

    /// The space of an image's or shading's /ColorSpace object.
    pub fn space_of(&mut self, doc: &'a Document, o: &'a Object) -> Rc<Space> {
        match obj::deref(doc, o) {
            Some(Object::Name(n)) => self.space_named(doc, n),
            Some(other) => Rc::new(space::resolve(doc, other, self.cs, 0)),
            None => Rc::new(Space::Unknown("missing".into())),
        }
    }
}

/// Deepest nesting of forms and patterns followed.
const MAX_DEPTH: usize = 24;

pub struct Walker<'a, 'm> {
    pub doc: &'a Document,
    pub marks: &'m mut Marks<'a>,
    /// Forms and patterns being walked (cycle guard).
    open: Vec<ObjectId>,
    /// Tiling patterns already walked on this page.
    patterns_done: Vec<ObjectId>,
}

impl<'a, 'm> Walker<'a, 'm> {
    pub fn new(doc: &'a Document, marks: &'m mut Marks<'a>) -> Self {
        Self { doc, marks, open: Vec::new(), patterns_done: Vec::new() }
    }

    /// Walks a page (its content streams with its inherited resources).
    pub fn page(&mut self, page: &'a Dictionary, ctm: Matrix) {
        let doc = self.doc;
        let res_dict = obj::page_attr(doc, page, b"Resources", true).and_then(|o| obj::as_dict(doc, o));
        let mut content = Vec::new();
        match page.get(b"Contents").ok().and_then(|o| obj::deref(doc, o)) {
            Some(Object::Array(a)) => {
                for s in a.iter().filter_map(|o| obj::stream(doc, o)) {
                    content.extend_from_slice(&s.get_plain_content().unwrap_or_default());
                    content.push(b'\n');
                }
            }
            Some(Object::Stream(s)) => content = s.get_plain_content().unwrap_or_default(),
            _ => {}
        }
        let res = Res::new(doc, res_dict);
        let gs = Gs {
            ctm,
            fill: Paint { space: res.gray.clone(), c: [0.0; 4], pattern: None },
            stroke: Paint { space: res.gray.clone(), c: [0.0; 4], pattern: None },
            op_stroke: false,
            op_fill: false,
            opm1: false,
            tr: 0,
        };
        self.run(&content, res, gs);
    }

    /// Runs one content stream in `res` from the state `gs`.
    fn run(&mut self, content: &[u8], mut res: Res<'a>, mut gs: Gs) {
        let doc = self.doc;
        let mut stack: Vec<Gs> = Vec::new();
        let mut lexer = Lexer::new(content);
        let mut ops: Vec<Operand<'_>> = Vec::with_capacity(16);
        let mut path: Option<Bbox> = None;
        // Text: matrix, line matrix, leading.
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut leading = 0.0;
        while let Some(op) = lexer.next_op(&mut ops) {
            let n = |i: usize| ops.get(i).and_then(Operand::num).unwrap_or(0.0);
            match op {
                // Nesting past 256 is ignored (and its Q then restores early).
                b"q" if stack.len() < 256 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" if ops.len() == 6 => {
                    let m = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    gs.ctm = concat(&m, &gs.ctm);
                }
                b"gs" => {
                    if let Some(Operand::Name(name)) = ops.first()
                        && let Some(d) = res.get(doc, b"ExtGState", name).and_then(|o| obj::as_dict(doc, o))
                    {
                        self.ext_gstate(d, &mut gs);
                    }
                }
                // Colour spaces and colours.
                b"cs" | b"CS" => {
                    if let Some(Operand::Name(name)) = ops.first() {
                        let space = res.space_named(doc, name);
                        let paint = Paint { c: space.initial(), space, pattern: None };
                        if op == b"cs" { gs.fill = paint } else { gs.stroke = paint }
                    }
                }
                b"sc" | b"scn" | b"SC" | b"SCN" => {
                    let target = if op[0] == b's' { &mut gs.fill } else { &mut gs.stroke };
                    let mut c = [0.0; 4];
                    for (slot, v) in c.iter_mut().zip(ops.iter().filter_map(Operand::num)) {
                        *slot = v;
                    }
                    target.c = c;
                    target.pattern = match ops.last() {
                        Some(Operand::Name(p)) => Some(Rc::from(*p)),
                        _ => None,
                    };
                }
                b"g" | b"G" => {
                    let paint = Paint { space: res.gray.clone(), c: [n(0), 0.0, 0.0, 0.0], pattern: None };
                    if op == b"g" { gs.fill = paint } else { gs.stroke = paint }
                }
                b"rg" | b"RG" => {
                    let paint = Paint { space: res.rgb.clone(), c: [n(0), n(1), n(2), 0.0], pattern: None };
                    if op == b"rg" { gs.fill = paint } else { gs.stroke = paint }
                }
                b"k" | b"K" => {
                    let paint = Paint { space: res.cmyk.clone(), c: [n(0), n(1), n(2), n(3)], pattern: None };
                    if op == b"k" { gs.fill = paint } else { gs.stroke = paint }
                }
                // Paths.
                b"m" | b"l" => add(&mut path, &gs.ctm, n(0), n(1)),
                b"c" => {
                    for i in 0..3 {
                        add(&mut path, &gs.ctm, n(2 * i), n(2 * i + 1));
                    }
                }
                b"v" | b"y" => {
                    add(&mut path, &gs.ctm, n(0), n(1));
                    add(&mut path, &gs.ctm, n(2), n(3));
                }
                b"re" => {
                    let (x, y, w, h) = (n(0), n(1), n(2), n(3));
                    for (px, py) in [(x, y), (x + w, y), (x, y + h), (x + w, y + h)] {
                        add(&mut path, &gs.ctm, px, py);
                    }
                }
                b"n" => path = None,
                b"f" | b"F" | b"f*" => {
                    if let Some(b) = path.take() {
                        self.paint(Kind::Fill, &gs, b, &mut res);
                    }
                }
                b"S" | b"s" => {
                    if let Some(b) = path.take() {
                        self.paint(Kind::Stroke, &gs, b, &mut res);
                    }
                }
                b"B" | b"B*" | b"b" | b"b*" => {
                    if let Some(b) = path.take() {
                        self.paint(Kind::Fill, &gs, b, &mut res);
                        self.paint(Kind::Stroke, &gs, b, &mut res);
                    }
                }
                b"sh" => {
                    if let Some(Operand::Name(name)) = ops.first()
                        && let Some(sh) = res.get(doc, b"Shading", name).and_then(|o| obj::as_dict(doc, o))
                    {
                        let (x, y) = apply(&gs.ctm, 0.0, 0.0);
                        self.shading(sh, Bbox::point(x, y), &mut res);
                    }
                }
                // Text.
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tr" => gs.tr = n(0).clamp(0.0, 7.0) as u8,
                b"TL" => leading = n(0),
                b"Tm" if ops.len() == 6 => {
                    tm = [n(0), n(1), n(2), n(3), n(4), n(5)];
                    tlm = tm;
                }
                b"Td" | b"TD" => {
                    tlm = concat(&[1.0, 0.0, 0.0, 1.0, n(0), n(1)], &tlm);
                    tm = tlm;
                    if op == b"TD" {
                        leading = -n(1);
                    }
                }
                b"T*" | b"'" | b"\"" | b"Tj" | b"TJ" => {
                    if op != b"Tj" && op != b"TJ" {
                        tlm = concat(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                        tm = tlm;
                    }
                    if op != b"T*" {
                        let (x, y) = apply(&concat(&tm, &gs.ctm), 0.0, 0.0);
                        let at = Bbox::point(x, y);
                        if matches!(gs.tr, 0 | 2 | 4 | 6) {
                            self.paint(Kind::Text, &gs, at, &mut res);
                        }
                        if matches!(gs.tr, 1 | 2 | 5 | 6) {
                            self.paint(Kind::TextStroke, &gs, at, &mut res);
                        }
                    }
                }
                // XObjects and inline images.
                b"Do" => {
                    if let Some(Operand::Name(name)) = ops.first()
                        && let Some(o) = res.get(doc, b"XObject", name)
                    {
                        self.xobject(o, &gs, &mut res);
                    }
                }
                b"BI" => self.marks.inline_image(&ops, &gs, &mut res),
                _ => {}
            }
        }
    }

    fn ext_gstate(&mut self, d: &'a Dictionary, gs: &mut Gs) {
        let doc = self.doc;
        let flag = |k: &[u8]| obj::get(doc, d, k).and_then(|o| o.as_bool().ok());
        if let Some(op) = flag(b"OP") {
            gs.op_stroke = op;
            // /op defaults to /OP when absent.
            if flag(b"op").is_none() {
                gs.op_fill = op;
            }
        }
        if let Some(op) = flag(b"op") {
            gs.op_fill = op;
        }
        if let Some(m) = obj::num(doc, d, b"OPM") {
            gs.opm1 = m == 1.0;
        }
        let (x, y) = apply(&gs.ctm, 0.0, 0.0);
        self.marks.ext_gstate(d, Bbox::point(x, y));
    }

    fn paint(&mut self, kind: Kind, gs: &Gs, at: Bbox, res: &mut Res<'a>) {
        let paint = if matches!(kind, Kind::Fill | Kind::Text) { &gs.fill } else { &gs.stroke };
        if let Space::Pattern(under) = &*paint.space {
            let Some(pname) = paint.pattern.clone() else { return };
            let doc = self.doc;
            let Some(po) = res.get(doc, b"Pattern", &pname) else { return };
            let Some(pd) = obj::as_dict(doc, po) else { return };
            match obj::num(doc, pd, b"PatternType").map(|t| t as i64) {
                Some(2) => {
                    if let Some(sh) = obj::dict(doc, pd, b"Shading") {
                        self.shading(sh, at, res);
                    }
                }
                Some(1) if obj::num(doc, pd, b"PaintType") == Some(2.0) => {
                    // Uncoloured: the colour is the operands in the underlying space.
                    if let Some(under) = under {
                        let p = Paint { space: Rc::new((**under).clone()), c: paint.c, pattern: None };
                        let mut g = gs.clone();
                        if matches!(kind, Kind::Fill | Kind::Text) {
                            g.fill = p
                        } else {
                            g.stroke = p
                        }
                        self.marks.paint(kind, &g, at);
                    }
                }
                Some(1) => {
                    let Some(id) = obj::id_of(doc, po) else { return };
                    if self.patterns_done.contains(&id) {
                        return;
                    }
                    self.patterns_done.push(id);
                    let m = matrix(doc, pd);
                    self.form(id, po, m, gs, res, false);
                }
                _ => {}
            }
            return;
        }
        self.marks.paint(kind, gs, at);
    }

    fn shading(&mut self, sh: &'a Dictionary, at: Bbox, res: &mut Res<'a>) {
        let space = match sh.get(b"ColorSpace") {
            Ok(o) => res.space_of(self.doc, o),
            Err(_) => Rc::new(Space::Unknown("shading without a colour space".into())),
        };
        self.marks.shading(&space, at);
    }

    fn xobject(&mut self, o: &'a Object, gs: &Gs, res: &mut Res<'a>) {
        let doc = self.doc;
        let Some(stream) = obj::stream(doc, o) else { return };
        match obj::name(doc, &stream.dict, b"Subtype") {
            Some(b"Image") => {
                let id = obj::id_of(doc, o);
                self.marks.image(id, stream, gs, res);
            }
            Some(b"Form") => {
                let Some(id) = obj::id_of(doc, o) else { return };
                let (x, y) = apply(&gs.ctm, 0.0, 0.0);
                self.marks.group(&stream.dict, Bbox::point(x, y));
                let m = concat(&matrix(doc, &stream.dict), &gs.ctm);
                self.form(id, o, m, gs, res, true);
            }
            _ => {}
        }
    }

    /// Walks a form XObject or tiling pattern `o` with CTM `ctm`.
    fn form(&mut self, id: ObjectId, o: &'a Object, ctm: Matrix, gs: &Gs, res: &Res<'a>, inherit: bool) {
        let doc = self.doc;
        if self.open.contains(&id) || self.open.len() >= MAX_DEPTH {
            return;
        }
        let Some(stream) = obj::stream(doc, o) else { return };
        let own = obj::dict(doc, &stream.dict, b"Resources");
        // A form without /Resources uses its parent's (PDF 1.1 practice).
        let res = Res::new(doc, own.or(if inherit { res.dict } else { None }));
        let content = self.marks.content(id, stream);
        let mut g = gs.clone();
        g.ctm = ctm;
        self.open.push(id);
        self.run(&content, res, g);
        self.open.pop();
    }
}

fn add(path: &mut Option<Bbox>, ctm: &Matrix, x: f64, y: f64) {
    let (x, y) = apply(ctm, x, y);
    match path {
        Some(b) => b.add(x, y),
        None => *path = Some(Bbox::point(x, y)),
    }
}

/// A form's or pattern's /Matrix (identity when absent or malformed).
pub fn matrix(doc: &Document, d: &Dictionary) -> Matrix {
    let Some(a) = obj::array(doc, d, b"Matrix") else { return IDENTITY };
    let v: Vec<f64> = a.iter().filter_map(|o| obj::deref(doc, o).and_then(obj::as_num)).collect();
    match v.as_slice() {
        [a, b, c, d, e, f] => [*a, *b, *c, *d, *e, *f],
        _ => IDENTITY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_applies_left_first() {
        let scale = [2.0, 0.0, 0.0, 2.0, 0.0, 0.0];
        let shift = [1.0, 0.0, 0.0, 1.0, 10.0, 20.0];
        // Scale then shift: (1,1) → (2,2) → (12,22).
        assert_eq!(apply(&concat(&scale, &shift), 1.0, 1.0), (12.0, 22.0));
        // Shift then scale: (1,1) → (11,21) → (22,42).
        assert_eq!(apply(&concat(&shift, &scale), 1.0, 1.0), (22.0, 42.0));
    }
}
