//! Photos for the press: decoded defensively, cropped to their frame,
//! resampled to a sensible resolution, converted to the page's plates and
//! served to Typst from memory. The desk's files are never changed.
//!
//! - **Reading**: regular files only (a FIFO would hang the build), at most
//!   [`MAX_PHOTO`](crate::content::read::MAX_PHOTO) bytes, and the header's pixel
//!   count and decoded size are bounded before anything is decoded
//!   ([`MAX_PIXELS`]), so a
//!   decompression bomb is an error, not an abort.
//! - **Frame**: the photo is cropped to its block's frame as Typst's
//!   `fit: "cover"` would (centred), and its *effective resolution* there is
//!   measured: the frame's width in inches over the pixels that reach it.
//!   Photos above 1.5 × `min_ppi` are resampled down to that (a plant
//!   rasterises at ~200 ppi on newsprint; more is only bytes).
//! - **Alpha** is flattened onto white: PDF/X-1a allows no soft masks.
//! - **Mono pages** get an 8-bit grey image whose values are K ink
//!   (`DeviceGray`, 0 = solid black). The source is read through its
//!   embedded ICC profile (else sRGB) with moxcms. With the plant's grey
//!   profile the conversion is the profile's; with its CMYK profile the K
//!   channel's own tone curve is measured through the profile and inverted;
//!   without one, paiban models coldset newsprint (ISO 12647-3): paper to
//!   solid-black tone range mapped linearly in luminance (black-point
//!   compensation) and the dot gain (26 % tone value increase at 40 %)
//!   taken back out of the dot, so a mid grey does not print muddy.
//! - **Colour pages** get CMYK through the plant's profile (perceptual),
//!   every pixel held to `ink_limit` by taking C, M and Y back
//!   proportionally (K, which carries detail on newsprint, is kept). Without
//!   a profile a generic separation (grey component replacement) is used
//!   and the build says so. CMYK is written as an Adobe JPEG (inverted
//!   samples), which typst-pdf embeds as `DeviceCMYK` untouched.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};
use moxcms::{ColorProfile, DataColorSpace, Layout, RenderingIntent, TransformOptions};

use crate::content::model::{Article, Issue, Photo};
use crate::error::{Error, Result};
use crate::plan::grid::Grid;
use crate::press::{Colour, Press};

/// Largest photo decoded (pixels): 100 megapixels, well past any camera a
/// newspaper uses, well under what would exhaust memory.
pub const MAX_PIXELS: u64 = 100_000_000;

/// Where Typst finds converted photos (served from memory by the World).
pub const VIRTUAL_DIR: &str = "/__paiban__/photos";

/// A photo as the press gets it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub article: String,
    pub photo: String,
    /// The file as the article names it, and as resolved.
    pub file: PathBuf,
    /// The path Typst reads the converted image from.
    pub vpath: String,
    pub bytes: Arc<Vec<u8>>,
    /// Source pixels.
    pub source_px: (u32, u32),
    /// Effective resolution at the placed size (pixels per inch).
    pub ppi: f64,
    /// The frame's size in mm.
    pub frame_mm: (f64, f64),
    /// Something the desk should hear about (no plant profile for colour).
    pub note: Option<String>,
}


/// The frame a photo fills, in pt (as `data.rs` gives it to Typst).
pub fn frame_pt(ph: &Photo, grid: &Grid) -> (f64, f64) {
    (ph.cells as f64 * grid.cell, ph.lines as f64 * grid.pitch - grid.gap)
}

/// Prepares every photo of the issue that names a file. Converted photos
/// are cached for the process by file contents and settings, so `watch`
/// converts a photo once.
pub fn prepare(issue: &Issue, grid: &Grid) -> Result<Vec<Prepared>> {
    let mut out = Vec::new();
    for a in &issue.articles {
        for ph in &a.meta.photos {
            if ph.file.is_some() {
                out.push(prepare_one(a, ph, grid, &issue.press)?);
            }
        }
    }
    Ok(out)
}

type Key = (PathBuf, u64, i128, u64, u64, String);

fn cache() -> &'static Mutex<HashMap<Key, Prepared>> {
    static C: OnceLock<Mutex<HashMap<Key, Prepared>>> = OnceLock::new();
    C.get_or_init(Default::default)
}

fn prepare_one(a: &Article, ph: &Photo, grid: &Grid, press: &Press) -> Result<Prepared> {
    let file = ph.file.clone().expect("caller checks");
    let shown = file.strip_prefix(a.path.parent().unwrap_or(Path::new(""))).unwrap_or(&file).to_path_buf();
    let fail = |why: String| {
        Error::input(format!(
            "article `{}`, photo `{}`: {} (resolved {}) {why}",
            a.id,
            ph.id,
            shown.display(),
            file.display()
        ))
        .in_file(&a.path)
        .hint("supply a complete JPEG or PNG file; paiban never changes the desk's file")
    };
    let (w_pt, h_pt) = frame_pt(ph, grid);
    let meta = std::fs::metadata(&file).map_err(|e| fail(format!("cannot be read: {e}")))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    let key: Key = (
        file.clone(),
        meta.len(),
        mtime,
        w_pt.to_bits(),
        h_pt.to_bits(),
        format!("{:?}{}{}{:?}", press.colour, press.ink_limit, press.min_ppi, press.profile.as_ref().map(|p| &p.path)),
    );
    if let Some(p) = cache().lock().unwrap().get(&key) {
        let mut p = p.clone();
        p.article = a.id.clone();
        p.photo = ph.id.clone();
        return Ok(p);
    }
    let bytes = crate::content::read::regular(&file, crate::content::read::MAX_PHOTO)
        .map_err(|why| fail(format!("cannot be read: {why}")))?;
    let (img, icc) = decode(&bytes).map_err(|why| fail(format!("is not a usable image: {why}")))?;
    let (sw, sh) = (img.width(), img.height());
    // Cover: the scale that fills the frame; the visible source rectangle.
    let scale = (w_pt / sw as f64).max(h_pt / sh as f64);
    let ppi = 72.0 / scale;
    let vis_w = (w_pt / scale).round().clamp(1.0, sw as f64) as u32;
    let vis_h = (h_pt / scale).round().clamp(1.0, sh as f64) as u32;
    let rgb = flatten(img);
    let cropped = image::imageops::crop_imm(&rgb, (sw - vis_w) / 2, (sh - vis_h) / 2, vis_w, vis_h).to_image();
    let target_ppi = press.min_ppi * 1.5;
    let resized = if ppi > target_ppi {
        let tw = ((w_pt / 72.0 * target_ppi).round() as u32).max(1);
        let th = ((h_pt / 72.0 * target_ppi).round() as u32).max(1);
        image::imageops::resize(&cropped, tw, th, image::imageops::FilterType::CatmullRom)
    } else {
        cropped
    };
    let source = source_profile(icc.as_deref());
    let name = format!("{}-{}", a.id, ph.id);
    let (bytes, vpath, note) = match press.colour {
        Colour::Mono => {
            let grey = to_grey(&resized, &source, press).map_err(|why| fail(format!("cannot be converted: {why}")))?;
            (encode_grey(&grey, resized.width(), resized.height())?, format!("{VIRTUAL_DIR}/{name}.png"), None)
        }
        Colour::Cmyk => {
            let (cmyk, note) =
                to_cmyk(&resized, &source, press).map_err(|why| fail(format!("cannot be converted: {why}")))?;
            let jpeg = encode_cmyk_within(&cmyk, resized.width(), resized.height(), press.ink_limit)?;
            (jpeg, format!("{VIRTUAL_DIR}/{name}.jpg"), note)
        }
    };
    let prepared = Prepared {
        article: a.id.clone(),
        photo: ph.id.clone(),
        file: shown,
        vpath,
        bytes: Arc::new(bytes),
        source_px: (sw, sh),
        ppi,
        frame_mm: (w_pt * 25.4 / 72.0, h_pt * 25.4 / 72.0),
        note,
    };
    cache().lock().unwrap().insert(key, prepared.clone());
    Ok(prepared)
}

/// Decodes within the limits; returns the image and its embedded profile.
fn decode(bytes: &[u8]) -> std::result::Result<(DynamicImage, Option<Vec<u8>>), String> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| e.to_string())?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png) => {}
        _ => return Err("it is neither JPEG nor PNG".into()),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(60_000);
    limits.max_image_height = Some(60_000);
    limits.max_alloc = Some(MAX_PIXELS * 8);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if w as u64 * h as u64 > MAX_PIXELS {
        return Err(format!("it is {w} × {h} pixels; paiban decodes at most {} megapixels", MAX_PIXELS / 1_000_000));
    }
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    let icc = decoder.icc_profile().ok().flatten();
    let img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    Ok((img, icc))
}

/// 8-bit RGB with any alpha composited onto white paper.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p[3] as u32;
        for c in 0..3 {
            o[c] = ((p[c] as u32 * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// The photo's own RGB profile when it has a usable one, else sRGB.
fn source_profile(icc: Option<&[u8]>) -> ColorProfile {
    icc.and_then(|b| ColorProfile::new_from_slice(b).ok())
        .filter(|p| p.color_space == DataColorSpace::Rgb)
        .unwrap_or_else(ColorProfile::new_srgb)
}

fn options(intent: RenderingIntent) -> TransformOptions {
    TransformOptions { rendering_intent: intent, ..Default::default() }
}

/// Perceptual lightness of each pixel as grey gamma 2.2 (0 black).
fn lightness(img: &RgbImage, source: &ColorProfile) -> std::result::Result<Vec<u8>, String> {
    let grey = ColorProfile::new_gray_with_gamma(2.2);
    let t = source
        .create_transform_8bit(Layout::Rgb, &grey, Layout::Gray, options(RenderingIntent::RelativeColorimetric))
        .map_err(|e| format!("{e:?}"))?;
    let mut out = vec![0u8; (img.width() * img.height()) as usize];
    t.transform(img.as_raw(), &mut out).map_err(|e| format!("{e:?}"))?;
    Ok(out)
}

/// Grey device values (K ink: 0 = solid) for a mono page.
pub fn to_grey(img: &RgbImage, source: &ColorProfile, press: &Press) -> std::result::Result<Vec<u8>, String> {
    if let Some(p) = press.profile.as_ref().filter(|p| p.channels == 1) {
        let dst = ColorProfile::new_from_slice(&p.bytes).map_err(|e| format!("{e:?}"))?;
        let t = source
            .create_transform_8bit(Layout::Rgb, &dst, Layout::Gray, options(RenderingIntent::RelativeColorimetric))
            .map_err(|e| format!("{e:?}"))?;
        let mut out = vec![0u8; (img.width() * img.height()) as usize];
        t.transform(img.as_raw(), &mut out).map_err(|e| format!("{e:?}"))?;
        return Ok(out);
    }
    let table = match press.profile.as_ref().filter(|p| p.channels == 4) {
        Some(p) => k_curve_table(&p.bytes).unwrap_or_else(|_| newsprint_table()),
        None => newsprint_table(),
    };
    Ok(lightness(img, source)?.into_iter().map(|v| table[v as usize]).collect())
}

/// Luminance (relative, linear) of a grey-gamma-2.2 value.
fn luminance(v: u8) -> f64 {
    (v as f64 / 255.0).powf(2.2)
}

/// Tone value increase of coldset newsprint (ISO 12647-3): 26 % at a 40 %
/// nominal dot, parabolic over the scale.
const TVI_AT_40: f64 = 0.26;

/// The printed dot for a nominal one.
pub fn printed_dot(a: f64) -> f64 {
    (a + TVI_AT_40 * a * (1.0 - a) / 0.24).min(1.0)
}

/// Grey value → DeviceGray value for paiban's newsprint model: the dot
/// whose printed area reproduces the source's luminance between paper and
/// solid black (black-point compensated), the dot gain taken back out.
fn newsprint_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    for (v, out) in t.iter_mut().enumerate() {
        let wanted = 1.0 - luminance(v as u8);
        // printed_dot is increasing: bisect for the nominal dot.
        let (mut lo, mut hi) = (0.0f64, 1.0f64);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if printed_dot(mid) < wanted { lo = mid } else { hi = mid }
        }
        // Where the gain already closes the dot, the shadow prints solid.
        let dot = if printed_dot(hi) >= 0.999 && wanted >= 0.999 { 1.0 } else { (lo + hi) / 2.0 };
        *out = (255.0 * (1.0 - dot)).round().clamp(0.0, 255.0) as u8;
    }
    t
}

/// Grey value → DeviceGray value through a CMYK profile's K channel: the
/// K-only ramp is measured through the profile, normalised paper to solid
/// (black-point compensation) and inverted.
fn k_curve_table(profile: &[u8]) -> std::result::Result<[u8; 256], String> {
    let src = ColorProfile::new_from_slice(profile).map_err(|e| format!("{e:?}"))?;
    let grey = ColorProfile::new_gray_with_gamma(2.2);
    let t = src
        .create_transform_8bit(Layout::Rgba, &grey, Layout::Gray, options(RenderingIntent::RelativeColorimetric))
        .map_err(|e| format!("{e:?}"))?;
    let ramp: Vec<u8> = (0..=255u8).flat_map(|k| [0, 0, 0, k]).collect();
    let mut ys = vec![0u8; 256];
    t.transform(&ramp, &mut ys).map_err(|e| format!("{e:?}"))?;
    let y: Vec<f64> = ys.iter().map(|&v| luminance(v)).collect();
    let (paper, solid) = (y[0], y[255]);
    if paper - solid < 0.05 {
        return Err("the profile's K channel has no tonal range".into());
    }
    // Relative luminance per K, made monotone.
    let mut rel: Vec<f64> = y.iter().map(|v| ((v - solid) / (paper - solid)).clamp(0.0, 1.0)).collect();
    for i in 1..256 {
        rel[i] = rel[i].min(rel[i - 1]);
    }
    let mut table = [0u8; 256];
    for (v, out) in table.iter_mut().enumerate() {
        let want = luminance(v as u8);
        let k = rel.iter().position(|&r| r <= want).unwrap_or(255);
        let kf = if k == 0 {
            0.0
        } else {
            let (r0, r1) = (rel[k - 1], rel[k]);
            let f = if r0 > r1 { (r0 - want) / (r0 - r1) } else { 1.0 };
            (k - 1) as f64 + f
        };
        *out = (255.0 - kf).round().clamp(0.0, 255.0) as u8;
    }
    Ok(table)
}

/// CMYK (0 = no ink, 255 = solid) for a colour page, within the ink limit.
pub fn to_cmyk(
    img: &RgbImage,
    source: &ColorProfile,
    press: &Press,
) -> std::result::Result<(Vec<u8>, Option<String>), String> {
    let n = (img.width() * img.height()) as usize;
    let mut cmyk = vec![0u8; n * 4];
    let note = match press.profile.as_ref().filter(|p| p.channels == 4) {
        Some(p) => {
            let dst = ColorProfile::new_from_slice(&p.bytes).map_err(|e| format!("{e:?}"))?;
            let t = source
                .create_transform_8bit(Layout::Rgb, &dst, Layout::Rgba, options(RenderingIntent::Perceptual))
                .map_err(|e| format!("{e:?}"))?;
            t.transform(img.as_raw(), &mut cmyk).map_err(|e| format!("{e:?}"))?;
            None
        }
        None => {
            for (px, out) in img.pixels().zip(cmyk.chunks_exact_mut(4)) {
                out.copy_from_slice(&generic_separation(px.0));
            }
            Some("no plant profile (icc_profile): colour photos separated with paiban's generic newsprint separation; ask the plant for its profile".into())
        }
    };
    limit_ink(&mut cmyk, press.ink_limit);
    Ok((cmyk, note))
}

/// A generic separation for newsprint when the plant gave no profile: grey
/// component replacement from a third of the grey up, K carrying the rest.
pub fn generic_separation([r, g, b]: [u8; 3]) -> [u8; 4] {
    let (c, m, y) = (1.0 - r as f64 / 255.0, 1.0 - g as f64 / 255.0, 1.0 - b as f64 / 255.0);
    let grey = c.min(m).min(y);
    let k = ((grey - 0.3) / 0.7).max(0.0) * grey.sqrt().min(1.0);
    let rest = |v: f64| if k < 1.0 { ((v - k) / (1.0 - k)).clamp(0.0, 1.0) } else { 0.0 };
    let q = |v: f64| (v * 255.0).round() as u8;
    [q(rest(c)), q(rest(m)), q(rest(y)), q(k)]
}

/// Holds every pixel's C+M+Y+K to `limit` per cent, taking the excess from
/// C, M and Y in proportion.
pub fn limit_ink(cmyk: &mut [u8], limit: f64) {
    let max = (limit / 100.0 * 255.0).floor() as u32;
    for px in cmyk.chunks_exact_mut(4) {
        let cmy = px[0] as u32 + px[1] as u32 + px[2] as u32;
        let total = cmy + px[3] as u32;
        if total <= max || cmy == 0 {
            continue;
        }
        let room = max.saturating_sub(px[3] as u32);
        for c in &mut px[..3] {
            *c = (*c as u32 * room / cmy) as u8;
        }
    }
}

fn encode_grey(grey: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let failed = |e: png::EncodingError| Error::internal(format!("grey photo encoding failed: {e}"));
    let mut writer = enc.write_header().map_err(failed)?;
    writer.write_image_data(grey).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// Encodes CMYK as JPEG with every decoded pixel within `limit`: JPEG's
/// ringing at sharp edges can add several per cent of ink, so the file is
/// read back and, where it overshoots, encoded again from pixels limited
/// that much lower.
fn encode_cmyk_within(cmyk: &[u8], w: u32, h: u32, limit: f64) -> Result<Vec<u8>> {
    let max = (limit / 100.0 * 255.0).floor() as u32;
    let mut margin = 0u32;
    for _ in 0..6 {
        let mut px = cmyk.to_vec();
        limit_ink(&mut px, (max - margin.min(max)) as f64 * 100.0 / 255.0);
        let jpeg = encode_cmyk(&px, w, h)?;
        let found = max_ink_of_jpeg(&jpeg, &px)
            .ok_or_else(|| Error::internal("a CMYK photo paiban wrote does not read back"))?;
        if found <= max {
            return Ok(jpeg);
        }
        margin += found - max + 2;
    }
    Err(Error::internal(format!("a CMYK photo could not be held to the {limit} % ink limit")))
}

/// The largest C+M+Y+K (0–1020) of a CMYK JPEG's decoded pixels. Adobe
/// CMYK JPEGs store inverted samples; whichever reading matches `original`
/// is taken, so the answer never depends on the decoder's convention.
fn max_ink_of_jpeg(jpeg: &[u8], original: &[u8]) -> Option<u32> {
    use zune_jpeg::zune_core::bytestream::ZCursor;
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    use zune_jpeg::zune_core::options::DecoderOptions;
    let opts = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::CMYK);
    let mut d = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(jpeg), opts);
    let px = d.decode().ok()?;
    if px.len() != original.len() {
        return None;
    }
    let err = |inv: bool| -> u64 {
        px.iter().zip(original).map(|(&a, &b)| (if inv { 255 - a } else { a }).abs_diff(b) as u64).sum()
    };
    let inverted = err(true) < err(false);
    px.chunks_exact(4)
        .map(|p| p.iter().map(|&v| if inverted { 255 - v as u32 } else { v as u32 }).sum::<u32>())
        .max()
}

fn encode_cmyk(cmyk: &[u8], w: u32, h: u32) -> Result<Vec<u8>> {
    let (w16, h16) = (u16::try_from(w), u16::try_from(h));
    let (Ok(w16), Ok(h16)) = (w16, h16) else {
        return Err(Error::internal("a CMYK photo is over 65,535 pixels on a side after resampling"));
    };
    let mut out = Vec::new();
    let enc = jpeg_encoder::Encoder::new(&mut out, 92);
    enc.encode(cmyk, w16, h16, jpeg_encoder::ColorType::Cmyk)
        .map_err(|e| Error::internal(format!("CMYK photo encoding failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newsprint_curve_takes_the_dot_gain_back_out() {
        let t = newsprint_table();
        assert_eq!(t[255], 255, "white paper stays paper");
        assert_eq!(t[0], 0, "black stays solid");
        // Monotone: lighter source, lighter (higher) grey value.
        assert!(t.windows(2).all(|w| w[0] <= w[1]));
        // A mid grey's nominal dot, printed with the gain, lands near the
        // source's luminance (within 2 %).
        for v in [64u8, 128, 192] {
            let nominal = 1.0 - t[v as usize] as f64 / 255.0;
            let printed = printed_dot(nominal);
            assert!((printed - (1.0 - luminance(v))).abs() < 0.02, "v {v}: printed {printed}");
            assert!(nominal < 1.0 - luminance(v), "the nominal dot is smaller than the wanted one");
        }
    }

    #[test]
    fn ink_is_held_to_the_limit_keeping_black() {
        let mut px = vec![255, 255, 255, 255, 10, 20, 30, 40];
        limit_ink(&mut px, 240.0);
        let total: u32 = px[..4].iter().map(|&v| v as u32).sum();
        assert!(total <= 612, "{total}");
        assert_eq!(px[3], 255, "K kept");
        assert_eq!(&px[4..], &[10, 20, 30, 40], "pixels within the limit untouched");
    }

    #[test]
    fn generic_separation_puts_neutrals_mostly_on_black() {
        let [c, m, y, k] = generic_separation([40, 40, 40]);
        assert!(k > 150 && c < 120 && m < 120 && y < 120, "{c} {m} {y} {k}");
        assert_eq!(generic_separation([255, 255, 255]), [0, 0, 0, 0]);
    }
}
