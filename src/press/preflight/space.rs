//! Colour spaces as a content stream uses them, resolved from resources,
//! and what the plant thinks of each.

use lopdf::{Dictionary, Document, Object};

use super::obj;
use crate::press::settings::Standard;

#[derive(Debug, Clone, PartialEq)]
pub enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// ICCBased with N channels.
    Icc(u8),
    CalGray,
    CalRgb,
    Lab,
    /// Indexed over a base, with the palette (base components, 0–255 bytes).
    Indexed(Box<Space>, Vec<u8>),
    /// A spot colour: its colorant name and alternate space.
    Separation(Vec<u8>, Box<Space>),
    /// Several colorants and their alternate space.
    DeviceN(Vec<Vec<u8>>, Box<Space>),
    /// A pattern, with the underlying space of an uncoloured one.
    Pattern(Option<Box<Space>>),
    Unknown(String),
}

impl Space {
    /// Components of a colour in this space.
    pub fn n(&self) -> usize {
        match self {
            Space::Gray | Space::CalGray | Space::Indexed(..) | Space::Separation(..) => 1,
            Space::Rgb | Space::CalRgb | Space::Lab => 3,
            Space::Cmyk => 4,
            Space::Icc(n) => *n as usize,
            Space::DeviceN(names, _) => names.len(),
            Space::Pattern(_) | Space::Unknown(_) => 0,
        }
    }

    /// The colour a `cs`/`CS` sets initially.
    pub fn initial(&self) -> [f64; 4] {
        match self {
            Space::Cmyk => [0.0, 0.0, 0.0, 1.0],
            Space::Separation(..) | Space::DeviceN(..) => [1.0; 4],
            _ => [0.0; 4],
        }
    }

    /// A short name for reports.
    pub fn label(&self) -> String {
        match self {
            Space::Gray => "DeviceGray".into(),
            Space::Rgb => "DeviceRGB".into(),
            Space::Cmyk => "DeviceCMYK".into(),
            Space::Icc(1) => "ICCBased grey".into(),
            Space::Icc(3) => "ICCBased RGB".into(),
            Space::Icc(4) => "ICCBased CMYK".into(),
            Space::Icc(n) => format!("ICCBased ({n} channels)"),
            Space::CalGray => "CalGray".into(),
            Space::CalRgb => "CalRGB".into(),
            Space::Lab => "Lab".into(),
            Space::Indexed(b, _) => format!("Indexed over {}", b.label()),
            Space::Separation(n, _) => format!("Separation {}", String::from_utf8_lossy(n)),
            Space::DeviceN(..) => "DeviceN".into(),
            Space::Pattern(_) => "Pattern".into(),
            Space::Unknown(s) => format!("unknown colour space {s}"),
        }
    }

    /// Why the plant refuses this space under `standard`, if it does.
    /// RGB is refused everywhere (a newspaper plant separates nothing);
    /// device-independent spaces only in PDF/X-1a.
    pub fn refused(&self, standard: Standard) -> Option<String> {
        let x1a = standard == Standard::X1a;
        match self {
            Space::Gray | Space::Cmyk | Space::Pattern(None) => None,
            Space::Rgb | Space::CalRgb | Space::Icc(3) => {
                Some(format!("{} (RGB is not printable)", self.label()))
            }
            Space::Icc(_) | Space::CalGray | Space::Lab if x1a => {
                Some(format!("{} (PDF/X-1a allows only device CMYK and grey)", self.label()))
            }
            Space::Icc(_) | Space::CalGray | Space::Lab => None,
            Space::Indexed(b, _) | Space::Separation(_, b) | Space::DeviceN(_, b) => {
                b.refused(standard).map(|why| format!("{} over {why}", self.label()))
            }
            Space::Pattern(Some(b)) => b.refused(standard),
            Space::Unknown(_) => Some(self.label()),
        }
    }
}

/// Colorant names that print on the black plate.
pub fn is_black_colorant(name: &[u8]) -> bool {
    name == b"Black" || name == b"None"
}

/// Resolves a colour-space operand or object. `res` is the resources'
/// /ColorSpace dictionary, for names that are not device spaces.
pub fn resolve(doc: &Document, o: &Object, cs_res: Option<&Dictionary>, depth: u8) -> Space {
    if depth > 8 {
        return Space::Unknown("nested too deep".into());
    }
    let Some(o) = obj::deref(doc, o) else { return Space::Unknown("missing".into()) };
    match o {
        Object::Name(n) => resolve_name(doc, n, cs_res, depth),
        Object::Array(a) => resolve_array(doc, a, cs_res, depth),
        _ => Space::Unknown("not a name or array".into()),
    }
}

/// A name as written after `cs`, `/CS` of an image or a shading.
pub fn resolve_name(doc: &Document, n: &[u8], cs_res: Option<&Dictionary>, depth: u8) -> Space {
    match n {
        b"DeviceGray" | b"G" => Space::Gray,
        b"DeviceRGB" | b"RGB" => Space::Rgb,
        b"DeviceCMYK" | b"CMYK" => Space::Cmyk,
        b"Pattern" => Space::Pattern(None),
        _ => match cs_res.and_then(|r| obj::get(doc, r, n)) {
            Some(o) => resolve(doc, o, None, depth + 1),
            None => Space::Unknown(format!("/{}", String::from_utf8_lossy(n))),
        },
    }
}

fn resolve_array(doc: &Document, a: &[Object], cs_res: Option<&Dictionary>, depth: u8) -> Space {
    let Some(family) = a.first().and_then(|o| obj::deref(doc, o)).and_then(|o| o.as_name().ok()) else {
        return Space::Unknown("array without a family".into());
    };
    let arg = |i: usize| a.get(i);
    match family {
        b"ICCBased" => {
            let n = arg(1)
                .and_then(|o| obj::as_dict(doc, o))
                .and_then(|d| obj::num(doc, d, b"N"))
                .map_or(0, |n| n as u8);
            Space::Icc(n)
        }
        b"CalGray" => Space::CalGray,
        b"CalRGB" => Space::CalRgb,
        b"Lab" => Space::Lab,
        b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" => resolve_name(doc, family, None, depth),
        b"Indexed" | b"I" => {
            let base = arg(1).map_or(Space::Unknown("Indexed without a base".into()), |b| {
                resolve(doc, b, cs_res, depth + 1)
            });
            let palette = match arg(3).and_then(|o| obj::deref(doc, o)) {
                Some(Object::String(s, _)) => s.clone(),
                Some(Object::Stream(s)) => s.get_plain_content().unwrap_or_default(),
                _ => Vec::new(),
            };
            Space::Indexed(Box::new(base), palette)
        }
        b"Separation" => {
            let name = arg(1)
                .and_then(|o| obj::deref(doc, o))
                .and_then(|o| o.as_name().ok())
                .unwrap_or(b"?".as_slice());
            let alt =
                arg(2).map_or(Space::Unknown("no alternate".into()), |b| resolve(doc, b, cs_res, depth + 1));
            Space::Separation(name.to_vec(), Box::new(alt))
        }
        b"DeviceN" => {
            let names = arg(1)
                .and_then(|o| obj::deref(doc, o))
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().filter_map(|n| n.as_name().ok().map(<[u8]>::to_vec)).collect())
                .unwrap_or_default();
            let alt =
                arg(2).map_or(Space::Unknown("no alternate".into()), |b| resolve(doc, b, cs_res, depth + 1));
            Space::DeviceN(names, Box::new(alt))
        }
        b"Pattern" => Space::Pattern(arg(1).map(|b| Box::new(resolve(doc, b, cs_res, depth + 1)))),
        other => Space::Unknown(String::from_utf8_lossy(other).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_by_standard() {
        assert_eq!(Space::Gray.refused(Standard::X1a), None);
        assert_eq!(Space::Cmyk.refused(Standard::X4), None);
        assert!(Space::Rgb.refused(Standard::X4).is_some());
        assert!(Space::Icc(1).refused(Standard::X1a).is_some());
        assert_eq!(Space::Icc(4).refused(Standard::X4), None);
        assert!(Space::Icc(3).refused(Standard::X4).is_some());
        let idx = Space::Indexed(Box::new(Space::Rgb), vec![]);
        assert!(idx.refused(Standard::X1a).unwrap().contains("Indexed over DeviceRGB"));
        let spot = Space::Separation(b"Black".to_vec(), Box::new(Space::Cmyk));
        assert_eq!(spot.refused(Standard::X1a), None);
    }
}
