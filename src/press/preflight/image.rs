//! Photo samples, for the ink limit and the plates of a black page.
//!
//! Samples are decoded as the RIP would: Flate (and LZW, ASCII85, with
//! predictors) by lopdf; DCT (JPEG) by zune-jpeg through hayro's reader,
//! which returns CMYK JPEG samples as stored, so the image's /Decode array
//! ([1 0 1 0 1 0 1 0] for Adobe's inverted CMYK) is applied here, as for
//! every image. The result is a few numbers per image, cached by object.

use std::rc::Rc;
use std::sync::Arc;

use hayro::hayro_syntax;
use lopdf::{Document, ObjectId, Stream};

use super::obj;
use super::space::{Space, is_black_colorant};

/// Ink below this is JPEG rounding, not a tint (2 of 255 levels, 0.8 %).
const PHOTO_EPS: f64 = 2.0 / 255.0;

/// What a photo's pixels put on the plates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    pub pixels: usize,
    /// Pixels with ink on C, M or Y (or a spot colorant).
    pub off_black: usize,
    /// Largest C+M+Y+K of a pixel, per cent.
    pub max_tac: f64,
    /// Pixels over the ink limit.
    pub over: usize,
}

/// The file as hayro reads it (lazily made, shared), to decode DCT streams.
#[derive(Clone)]
pub struct JpegReader(Rc<Option<hayro_syntax::Pdf>>);

impl JpegReader {
    pub fn new(pdf: &[u8]) -> Self {
        let data: Arc<Vec<u8>> = Arc::new(pdf.to_vec());
        Self(Rc::new(hayro_syntax::Pdf::new(data).ok()))
    }

    /// The JPEG samples of image `id` as stored (8 bits per component).
    fn decode(&self, id: ObjectId, w: u32, h: u32, n: u8) -> Result<Vec<u8>, String> {
        let pdf = self.0.as_ref().as_ref().ok_or("the file cannot be read for JPEG decoding")?;
        let oid = hayro_syntax::object::ObjectIdentifier::new(id.0 as i32, id.1 as i32);
        let stream: hayro_syntax::object::Stream<'_> =
            pdf.xref().get(oid).ok_or("the JPEG stream cannot be found")?;
        let params = hayro_syntax::object::stream::ImageDecodeParams {
            is_indexed: false,
            bpc: Some(8),
            num_components: Some(n),
            target_dimension: None,
            width: w,
            height: h,
        };
        let r = stream.decoded_image(&params).map_err(|e| format!("JPEG does not decode ({e:?})"))?;
        Ok(r.data.into_owned())
    }
}

/// Reads image `s` (in `space`) and measures its pixels against `limit`.
pub fn samples(
    doc: &Document,
    id: ObjectId,
    s: &Stream,
    space: &Space,
    limit: f64,
    jpeg: impl FnOnce() -> JpegReader,
) -> Result<Samples, String> {
    let d = &s.dict;
    let w = obj::num(doc, d, b"Width").unwrap_or(0.0).max(0.0) as usize;
    let h = obj::num(doc, d, b"Height").unwrap_or(0.0).max(0.0) as usize;
    let n = space.n();
    if w == 0 || h == 0 || n == 0 || n > 32 {
        return Err(format!("{w}×{h} px with {n} components"));
    }
    let filters: Vec<Vec<u8>> = match obj::get(doc, d, b"Filter") {
        Some(lopdf::Object::Name(f)) => vec![f.clone()],
        Some(lopdf::Object::Array(a)) => {
            a.iter().filter_map(|o| obj::deref(doc, o)?.as_name().ok().map(<[u8]>::to_vec)).collect()
        }
        _ => vec![],
    };
    let (data, bpc) = match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode" | b"DCT") => {
            if filters.len() > 1 {
                return Err("DCTDecode after other filters".into());
            }
            (jpeg().decode(id, w as u32, h as u32, n as u8)?, 8)
        }
        None => (s.content.clone(), bpc_of(doc, d)?),
        Some(_) => {
            let names: Vec<String> =
                filters.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
            let data = s
                .decompressed_content()
                .map_err(|e| format!("filter {} not decoded: {e}", names.join(" ")))?;
            (data, bpc_of(doc, d)?)
        }
    };
    let max = ((1u32 << bpc) - 1) as f64;
    // /Decode: [dmin dmax] per component; an indexed image's are indices.
    let default: Vec<f64> = match space {
        Space::Indexed(..) => vec![0.0, max],
        _ => [0.0, 1.0].repeat(n),
    };
    let decode: Vec<f64> = obj::array(doc, d, b"Decode")
        .map(|a| a.iter().filter_map(|o| obj::deref(doc, o).and_then(obj::as_num)).collect::<Vec<_>>())
        .filter(|v| v.len() == default.len())
        .unwrap_or(default);
    let row_bytes = (w * n * bpc as usize).div_ceil(8);
    if data.len() < row_bytes * h {
        return Err(format!("{} bytes of samples, {} expected", data.len(), row_bytes * h));
    }
    // Per component, each raw value's decoded value (bpc ≤ 8: a table).
    let luts: Vec<Vec<f64>> = (0..n)
        .map(|c| {
            let (lo, hi) = (decode[2 * c], decode[2 * c + 1]);
            let levels = if bpc <= 8 { 1usize << bpc } else { 0 };
            (0..levels).map(|v| lo + v as f64 / max * (hi - lo)).collect()
        })
        .collect();
    let value = |row: &[u8], i: usize, c: usize| -> f64 {
        let raw = read(row, i, bpc);
        match luts[c].get(raw as usize) {
            Some(v) => *v,
            None => decode[2 * c] + raw as f64 / max * (decode[2 * c + 1] - decode[2 * c]),
        }
    };
    let ink = |v: f64| v > PHOTO_EPS;
    let mut out = Samples { pixels: w * h, ..Samples::default() };
    let mut px = [0.0f64; 32];
    for row in data.chunks_exact(row_bytes).take(h) {
        for x in 0..w {
            for (c, slot) in px.iter_mut().enumerate().take(n) {
                *slot = value(row, x * n + c, c);
            }
            let (tac, off) = match space {
                Space::Cmyk => {
                    (px[..4].iter().map(|v| v.clamp(0.0, 1.0)).sum::<f64>(), px[..3].iter().any(|&v| ink(v)))
                }
                Space::DeviceN(names, _) => (
                    px[..n].iter().map(|v| v.clamp(0.0, 1.0)).sum::<f64>(),
                    names.iter().zip(&px[..n]).any(|(name, &v)| !is_black_colorant(name) && ink(v)),
                ),
                Space::Indexed(base, palette) => {
                    let bn = base.n();
                    let i = px[0].round().max(0.0) as usize * bn;
                    let entry = palette.get(i..i + bn).unwrap_or(&[]);
                    let e = |k: usize| entry.get(k).map_or(0.0, |&b| b as f64 / 255.0);
                    match **base {
                        Space::Cmyk => ((0..4).map(e).sum::<f64>(), (0..3).any(|k| ink(e(k)))),
                        Space::Gray => (0.0, false),
                        _ => return Err(format!("indexed over {}", base.label())),
                    }
                }
                other => return Err(format!("samples in {} are not measured", other.label())),
            };
            let tac = tac * 100.0;
            out.max_tac = out.max_tac.max(tac);
            if tac > limit + 0.5 {
                out.over += 1;
            }
            if off {
                out.off_black += 1;
            }
        }
    }
    Ok(out)
}

fn bpc_of(doc: &Document, d: &lopdf::Dictionary) -> Result<u8, String> {
    match obj::num(doc, d, b"BitsPerComponent").map(|v| v as u8) {
        Some(b @ (1 | 2 | 4 | 8 | 16)) => Ok(b),
        other => Err(format!("BitsPerComponent {other:?}")),
    }
}

/// Sample `i` of a row (big-endian, packed).
#[inline]
fn read(row: &[u8], i: usize, bpc: u8) -> u32 {
    match bpc {
        8 => row[i] as u32,
        16 => u16::from_be_bytes([row[2 * i], row[2 * i + 1]]) as u32,
        _ => {
            let bit = i * bpc as usize;
            let byte = row[bit / 8];
            let shift = 8 - bpc as usize - bit % 8;
            ((byte >> shift) & ((1u8 << bpc) - 1)) as u32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn image(space: &str, bpc: i64, decode: Option<Vec<i64>>, data: Vec<u8>, w: i64) -> Stream {
        let mut d = dictionary! {
            "Type" => "XObject", "Subtype" => "Image", "Width" => w, "Height" => 1,
            "ColorSpace" => space, "BitsPerComponent" => bpc,
        };
        if let Some(dec) = decode {
            d.set("Decode", dec.into_iter().map(lopdf::Object::Integer).collect::<Vec<_>>());
        }
        Stream::new(d, data)
    }

    fn no_jpeg() -> JpegReader {
        unreachable!("no JPEG here")
    }

    #[test]
    fn cmyk_pixels_are_measured() {
        let doc = Document::new();
        let s = image("DeviceCMYK", 8, None, vec![0, 0, 0, 255, 255, 255, 255, 0], 2);
        let r = samples(&doc, (1, 0), &s, &Space::Cmyk, 240.0, no_jpeg).unwrap();
        assert_eq!(r.pixels, 2);
        assert_eq!(r.off_black, 1);
        assert_eq!(r.over, 1);
        assert!((r.max_tac - 300.0).abs() < 0.01);
    }

    #[test]
    fn decode_array_inverts() {
        let doc = Document::new();
        // Stored inverted (Adobe): 255 255 255 0 is 0 0 0 100 %.
        let s = image("DeviceCMYK", 8, Some(vec![1, 0, 1, 0, 1, 0, 1, 0]), vec![255, 255, 255, 0], 1);
        let r = samples(&doc, (1, 0), &s, &Space::Cmyk, 240.0, no_jpeg).unwrap();
        assert_eq!(r.off_black, 0);
        assert!((r.max_tac - 100.0).abs() < 0.01);
    }

    #[test]
    fn packed_samples() {
        // 4 bits: 0xF0 → 15, 0; 0x0F → 0, 15.
        assert_eq!(read(&[0xF0, 0x0F], 0, 4), 15);
        assert_eq!(read(&[0xF0, 0x0F], 1, 4), 0);
        assert_eq!(read(&[0xF0, 0x0F], 3, 4), 15);
        assert_eq!(read(&[0b1000_0001], 7, 1), 1);
        assert_eq!(read(&[1, 2], 0, 16), 258);
    }
}
