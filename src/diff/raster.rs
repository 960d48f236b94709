//! Page images for the pixel diff: rendered from a laid-out page (the proof
//! renderer) or from a PDF (hayro, so two PDFs compare without the edition),
//! and read and written as PNG.

use std::io::Cursor;
use std::path::Path;

use crate::error::{Error, Result};

/// An RGB page image, 3 bytes a pixel, on white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<u8>,
}

impl Raster {
    pub fn blank(width: u32, height: u32) -> Self {
        Self { width, height, rgb: vec![255; width as usize * height as usize * 3] }
    }

    /// The pixel at (x, y); white outside the image, so pages of slightly
    /// different sizes still compare.
    pub fn px(&self, x: u32, y: u32) -> [u8; 3] {
        if x >= self.width || y >= self.height {
            return [255; 3];
        }
        let i = (y as usize * self.width as usize + x as usize) * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    pub fn set(&mut self, x: u32, y: u32, c: [u8; 3]) {
        if x < self.width && y < self.height {
            let i = (y as usize * self.width as usize + x as usize) * 3;
            self.rgb[i..i + 3].copy_from_slice(&c);
        }
    }

    /// Grey (Rec. 601 luma, integer arithmetic so it is exact everywhere).
    pub fn grey(&self) -> Self {
        let rgb = self
            .rgb
            .chunks_exact(3)
            .flat_map(|p| {
                let l = ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114 + 500) / 1000) as u8;
                [l, l, l]
            })
            .collect();
        Self { width: self.width, height: self.height, rgb }
    }

    /// Grey in 16 levels (0, 17, … 255): what a snapshot keeps.
    pub fn grey16(&self) -> Self {
        let mut g = self.grey();
        for v in &mut g.rgb {
            *v = ((*v as u32 + 8) / 17 * 17) as u8;
        }
        g
    }

    /// Composites premultiplied RGBA over white.
    fn from_premul_rgba(width: u32, height: u32, data: &[u8]) -> Self {
        let rgb = data
            .chunks_exact(4)
            .flat_map(|p| {
                let under = 255 - p[3] as u32;
                [0, 1, 2].map(|c| (p[c] as u32 + under).min(255) as u8)
            })
            .collect();
        Self { width, height, rgb }
    }
}

/// Renders a laid-out page at `dpi` with the proof renderer.
pub fn from_page(page: &typst_layout::Page, dpi: f64) -> Raster {
    let pixmap = crate::output::raster::render(page, dpi);
    Raster::from_premul_rgba(pixmap.width(), pixmap.height(), pixmap.data())
}

/// Renders every page of a PDF at `dpi` with hayro.
pub fn from_pdf(bytes: Vec<u8>, dpi: f64, path: &Path) -> Result<Vec<Raster>> {
    use hayro::hayro_interpret::InterpreterSettings;
    use hayro::vello_cpu::color::palette::css::WHITE;
    let pdf = hayro::hayro_syntax::Pdf::new(bytes).map_err(|e| {
        Error::input(format!("not a PDF that can be read: {e:?}"))
            .in_file(path)
            .hint("give two PDFs written by `paiban build`, or two build folders")
    })?;
    let scale = (dpi / 72.0) as f32;
    let settings =
        hayro::RenderSettings { x_scale: scale, y_scale: scale, bg_color: WHITE, ..Default::default() };
    let interpreter = InterpreterSettings::default();
    let cache = hayro::RenderCache::new();
    let pages = pdf.pages();
    let mut out = Vec::new();
    for page in pages.iter() {
        let (w, h) = page.render_dimensions();
        if (w * scale) as f64 > u16::MAX as f64 || (h * scale) as f64 > u16::MAX as f64 {
            return Err(Error::input(format!("page {} is too large to render at {dpi} dpi", out.len() + 1))
                .in_file(path)
                .hint("use a lower --dpi"));
        }
        let pixmap = hayro::render(page, &cache, &interpreter, &settings);
        out.push(Raster::from_premul_rgba(
            pixmap.width() as u32,
            pixmap.height() as u32,
            pixmap.data_as_u8_slice(),
        ));
    }
    if out.is_empty() {
        return Err(Error::input("the PDF has no pages")
            .in_file(path)
            .hint("check that the file is a complete PDF"));
    }
    Ok(out)
}

/// A 4-bit grey PNG of the image's 16-level grey, compressed hard:
/// snapshots live in git (a page at 72 dpi is ~100 KB, not ~400 KB).
pub fn grey16_png(r: &Raster) -> Result<Vec<u8>> {
    let g = r.grey16();
    let row = (r.width as usize).div_ceil(2);
    let mut packed = vec![0u8; row * r.height as usize];
    for (i, p) in g.rgb.chunks_exact(3).enumerate() {
        let (y, x) = (i / r.width as usize, i % r.width as usize);
        let level = p[0] / 17;
        packed[y * row + x / 2] |= if x % 2 == 0 { level << 4 } else { level };
    }
    encode(r.width, r.height, png::ColorType::Grayscale, png::BitDepth::Four, &packed, png::Compression::High)
}

/// An RGB PNG for diff outputs (speed over size).
pub fn rgb_png(r: &Raster) -> Result<Vec<u8>> {
    encode(r.width, r.height, png::ColorType::Rgb, png::BitDepth::Eight, &r.rgb, png::Compression::Fast)
}

fn encode(
    w: u32,
    h: u32,
    colour: png::ColorType,
    depth: png::BitDepth,
    data: &[u8],
    level: png::Compression,
) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut enc = png::Encoder::new(&mut buf, w, h);
    enc.set_color(colour);
    enc.set_depth(depth);
    enc.set_compression(level);
    let fail = |e: png::EncodingError| Error::internal(format!("PNG encoding failed: {e}"));
    let mut writer = enc.write_header().map_err(fail)?;
    writer.write_image_data(data).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(buf)
}

/// Reads an 8-bit grey, grey+alpha, RGB or RGBA PNG (alpha over white).
pub fn read_png(bytes: &[u8], path: &Path) -> Result<Raster> {
    let bad = |e: String| {
        Error::input(format!("not a PNG that can be read: {e}"))
            .in_file(path)
            .hint("delete the file and let the snapshot test write it again")
    };
    let mut dec = png::Decoder::new(Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| bad(e.to_string()))?;
    let size = reader.output_buffer_size().ok_or_else(|| bad("image too large".into()))?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| bad(e.to_string()))?;
    let buf = &buf[..info.buffer_size()];
    let over_white = |v: u8, a: u8| ((v as u32 * a as u32 + 255 * (255 - a as u32) + 127) / 255) as u8;
    let rgb: Vec<u8> = match info.color_type {
        png::ColorType::Grayscale => buf.iter().flat_map(|&l| [l, l, l]).collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| {
                let l = over_white(p[0], p[1]);
                [l, l, l]
            })
            .collect(),
        png::ColorType::Rgb => buf.to_vec(),
        png::ColorType::Rgba => {
            buf.chunks_exact(4).flat_map(|p| [0, 1, 2].map(|c| over_white(p[c], p[3]))).collect()
        }
        png::ColorType::Indexed => return Err(bad("indexed colour was not expanded".into())),
    };
    Ok(Raster { width: info.width, height: info.height, rgb })
}
