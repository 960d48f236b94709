//! `[press]`: what the printing plant asks for, as data.
//!
//! The table sits in `edition.toml` and may be overridden per issue in
//! `issue.toml` (field by field). Every value is checked when the edition
//! loads, so a typo never reaches the plant: an unknown standard or colour
//! mode, an ink limit or resolution out of range, or a profile that is not
//! a readable printer profile inside the project is an error naming the file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// The PDF/X flavour the plant receives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
pub enum Standard {
    /// PDF/X-1a:2003 (ISO 15930-4): PDF 1.4, CMYK/grey only, no transparency.
    #[default]
    #[serde(rename = "pdf/x-1a")]
    X1a,
    /// PDF/X-4 (ISO 15930-7): PDF 1.6, needs an embedded output profile.
    #[serde(rename = "pdf/x-4")]
    X4,
}

impl Standard {
    pub fn name(self) -> &'static str {
        match self {
            Self::X1a => "pdf/x-1a",
            Self::X4 => "pdf/x-4",
        }
    }

    /// The value of `GTS_PDFXVersion` (Info and XMP).
    pub fn version_key(self) -> &'static str {
        match self {
            Self::X1a => "PDF/X-1a:2003",
            Self::X4 => "PDF/X-4",
        }
    }

    /// The PDF version the standard is built on.
    pub fn pdf_version(self) -> &'static str {
        match self {
            Self::X1a => "1.4",
            Self::X4 => "1.6",
        }
    }
}

/// Which plates a page prints on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Colour {
    /// Black only: every mark DeviceGray (the K plate), photos grey.
    #[default]
    Mono,
    /// Four colours: DeviceCMYK, photos separated through the profile.
    Cmyk,
}

impl Colour {
    pub fn name(self) -> &'static str {
        match self {
            Self::Mono => "mono",
            Self::Cmyk => "cmyk",
        }
    }
}

/// The ICC registry's characterization for coldset offset on newsprint:
/// `IFRA26` (ISO 12647-3, 26 % tone value increase), listed in the ICC
/// Characterization Data Registry (color.org/registry2.xalter) and the
/// reference name PDF/X output intents use for newsprint.
pub const DEFAULT_CONDITION: &str = "IFRA26";
/// The registry PDF/X output intents name.
pub const ICC_REGISTRY: &str = "http://www.color.org";
/// Resolution below which `--final` refuses a photo, whatever `min_ppi` is.
pub const REFUSE_PPI: f64 = 150.0;

/// `[press]` as written: every field optional, so an issue can override one.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PressTable {
    pub standard: Option<Standard>,
    pub colour: Option<Colour>,
    pub output_condition: Option<String>,
    pub icc_profile: Option<PathBuf>,
    pub ink_limit: Option<f64>,
    pub min_ppi: Option<f64>,
    pub bleed_mm: Option<f64>,
}

/// The resolved settings an issue is printed with.
#[derive(Debug, Clone, PartialEq)]
pub struct Press {
    pub standard: Standard,
    pub colour: Colour,
    /// The registered characterization name (OutputConditionIdentifier).
    pub output_condition: String,
    /// The plant's profile: canonical path and bytes.
    pub profile: Option<Profile>,
    /// Total area coverage allowed, in per cent (C+M+Y+K).
    pub ink_limit: f64,
    /// Photos below this effective resolution warn.
    pub min_ppi: f64,
    pub bleed_mm: f64,
}

/// A printer profile named by `icc_profile`.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    /// Colour channels of the profile's device space: 1 (grey) or 4 (CMYK).
    pub channels: u8,
    /// The profile's description, for the output intent's `Info`.
    pub description: String,
}

impl Default for Press {
    fn default() -> Self {
        Self {
            standard: Standard::X1a,
            colour: Colour::Mono,
            output_condition: DEFAULT_CONDITION.into(),
            profile: None,
            ink_limit: 240.0,
            min_ppi: 200.0,
            bleed_mm: 0.0,
        }
    }
}

/// Where a `[press]` table was read from: its file, text (for locations)
/// and the folder its paths are relative to.
pub struct Source<'a> {
    pub file: &'a Path,
    pub text: &'a str,
}

impl PressTable {
    /// This table's fields over `base`'s.
    pub fn over(&self, base: &PressTable) -> PressTable {
        PressTable {
            standard: self.standard.or(base.standard),
            colour: self.colour.or(base.colour),
            output_condition: self.output_condition.clone().or_else(|| base.output_condition.clone()),
            icc_profile: self.icc_profile.clone().or_else(|| base.icc_profile.clone()),
            ink_limit: self.ink_limit.or(base.ink_limit),
            min_ppi: self.min_ppi.or(base.min_ppi),
            bleed_mm: self.bleed_mm.or(base.bleed_mm),
        }
    }
}

/// Checks and resolves a table. `profile_dir` is the folder `icc_profile`
/// is relative to (the folder of the file that named it); `root` the
/// project root it must stay inside. `locate` gives a key's location.
pub fn resolve(
    table: &PressTable,
    profile_dir: &Path,
    root: &Path,
    locate: &dyn Fn(&str) -> Location,
) -> Result<Press> {
    let d = Press::default();
    let range = |key: &str, v: Option<f64>, lo: f64, hi: f64, default: f64, unit: &str| -> Result<f64> {
        match v {
            None => Ok(default),
            Some(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(v),
            Some(v) => Err(Error::input(format!("[press] {key} = {v} is out of range"))
                .at(locate(key))
                .hint(format!("give {lo}–{hi} {unit} (default {default})"))),
        }
    };
    let ink_limit = range("ink_limit", table.ink_limit, 100.0, 400.0, d.ink_limit, "per cent")?;
    let min_ppi = range("min_ppi", table.min_ppi, 72.0, 2400.0, d.min_ppi, "ppi")?;
    let bleed_mm = range("bleed_mm", table.bleed_mm, 0.0, 20.0, d.bleed_mm, "mm")?;
    let output_condition = match &table.output_condition {
        None => d.output_condition,
        Some(s) if !s.trim().is_empty() && s.chars().all(|c| c.is_ascii_graphic() || c == ' ') => {
            s.trim().to_string()
        }
        Some(_) => {
            return Err(Error::input("[press] output_condition must be a registered characterization name")
                .at(locate("output_condition"))
                .hint(format!(
                    "use the ICC registry's reference name the plant prints to, e.g. \"{DEFAULT_CONDITION}\" (coldset newsprint)"
                )));
        }
    };
    let profile = match &table.icc_profile {
        None => None,
        Some(p) => Some(read_profile(p, profile_dir, root, &locate("icc_profile"))?),
    };
    let standard = table.standard.unwrap_or_default();
    let colour = table.colour.unwrap_or_default();
    if standard == Standard::X4 && profile.is_none() {
        return Err(Error::input("[press] standard = \"pdf/x-4\" needs the plant's profile")
            .at(locate("standard"))
            .hint("PDF/X-4 embeds the output profile: set icc_profile = \"…icc\" (the plant supplies it), or use \"pdf/x-1a\""));
    }
    if colour == Colour::Cmyk && profile.as_ref().is_some_and(|p| p.channels != 4) {
        return Err(Error::input("[press] colour = \"cmyk\" needs a CMYK profile, and icc_profile is a grey one")
            .at(locate("icc_profile"))
            .hint("use the plant's CMYK newsprint profile, or colour = \"mono\" for a black page"));
    }
    Ok(Press { standard, colour, output_condition, profile, ink_limit, min_ppi, bleed_mm })
}

fn read_profile(rel: &Path, dir: &Path, root: &Path, loc: &Location) -> Result<Profile> {
    let outside = || {
        Error::input("[press] icc_profile lies outside the project")
            .at(loc.clone())
            .hint(format!("copy the plant's profile into {} and name it relative to this file", root.display()))
    };
    if rel.is_absolute() {
        return Err(outside());
    }
    let full = dir.join(rel);
    let canon = full.canonicalize().map_err(|e| {
        Error::input(format!("[press] icc_profile {} cannot be read: {e}", full.display()))
            .at(loc.clone())
            .hint("the path is relative to the file that names it; ask the plant for its profile")
    })?;
    let root = root.canonicalize().map_err(|e| Error::io(e, root, "project root"))?;
    if !canon.starts_with(&root) {
        return Err(outside());
    }
    let bytes = crate::content::read::regular(&canon, 64 << 20)
        .map_err(|why| Error::input(format!("[press] icc_profile {}: {why}", full.display())).at(loc.clone()))?;
    let bad = |why: String| {
        Error::input(format!("[press] icc_profile {} is not a usable printer profile: {why}", full.display()))
            .at(loc.clone())
            .hint("give the plant's ICC output profile (.icc) for its newsprint, CMYK or grey")
    };
    let parsed = moxcms::ColorProfile::new_from_slice(&bytes).map_err(|e| bad(format!("{e:?}")))?;
    let channels = match parsed.color_space {
        moxcms::DataColorSpace::Cmyk => 4,
        moxcms::DataColorSpace::Gray => 1,
        other => return Err(bad(format!("its device space is {other:?}, not CMYK or grey"))),
    };
    if parsed.profile_class != moxcms::ProfileClass::OutputDevice {
        return Err(bad(format!("it is a {:?} profile, not an output (printer) profile", parsed.profile_class)));
    }
    let description = profile_description(&parsed).unwrap_or_else(|| {
        rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    });
    Ok(Profile { path: canon, bytes, channels, description })
}

fn profile_description(p: &moxcms::ColorProfile) -> Option<String> {
    use moxcms::ProfileText;
    let text = match p.description.as_ref()? {
        ProfileText::PlainString(s) => s.clone(),
        ProfileText::Localizable(v) => v.first()?.value.clone(),
        ProfileText::Description(d) => d.ascii_string.clone(),
    };
    let clean: String = text.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').collect();
    (!clean.trim().is_empty()).then(|| clean.trim().to_string())
}
