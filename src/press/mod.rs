//! Output for the printing plant: PDF/X pages whose black is on the K plate.
//!
//! Typst 0.15's PDF export (typst-pdf over krilla) cannot write what a
//! newspaper plant needs, and nothing in Typst's language can ask for it:
//!
//! - every `luma()` colour is written colour-managed, as ICC-based sGrey,
//!   never DeviceGray (`SerializeSettings { no_device_cs: true }` is
//!   hard-coded; typst/typst#8646, #6012). A CMYK RIP separates such black
//!   text onto all four plates (296 % ink measured on issue 一).
//! - there is no PDF/X: no output intent, no `GTS_PDFXVersion`, no
//!   `Trapped`, XMP always says `RenditionClass proof` (typst/typst#6012,
//!   LaurenzV/krilla#407), no TrimBox without bleed, no overprint.
//! - photos are embedded as the desk supplied them: RGB stays RGB, alpha
//!   becomes a soft mask (transparency, forbidden in PDF/X-1a).
//!
//! So paiban works on both sides of typst-pdf, and only here:
//!
//! - [`photos`] converts every photo before Typst places it (grey for a
//!   mono page, CMYK through the plant's profile for a colour page, alpha
//!   flattened on white, cropped to its frame) and serves the converted
//!   bytes through the World: the desk's files are never changed. It also
//!   measures each photo's effective resolution at its placed size.
//! - [`finish`] post-processes typst-pdf's bytes with lopdf: ICC grey
//!   becomes DeviceGray (or K-only DeviceCMYK on a colour page), 100 % K
//!   overprints on colour pages, TrimBox (and BleedBox), the output intent,
//!   the PDF/X keys in Info and XMP, and the PDF version. Everything else
//!   typst-pdf wrote is left as it was.
//! - [`preflight`] reads written PDFs as a plant's preflight would,
//!   trusting nothing of the above, and reports PASS / WARN / FAIL per rule.
//!
//! `crate::content::press_settings` holds `[press]`, the plant's requirements as
//! data (read with the content, so the model does not depend on this
//! module).

pub mod content;
pub mod finish;
pub mod photos;
pub mod preflight;

/// `[press]` lives with the content model (`crate::content::press_settings`); here
/// under its old path too.
pub use crate::content::press_settings as settings;
pub use crate::content::press_settings::{Colour, Press, Standard};
