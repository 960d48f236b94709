#!/usr/bin/env python3
"""Cut the project's CJK fonts down to a GBK-sized character set.

Called by fonts/build-fonts.sh; usable on its own:

    python3 fonts/subset.py build SOURCE OUTPUT [--face SC] [--rename FAMILY:PSPREFIX] [--extra FILE ...] [--rare]
    python3 fonts/subset.py tgh UNIHAN_OTHERMAPPINGS OUTPUT
    python3 fonts/subset.py verify FONT [FONT ...] [--text FILE ...]
    python3 fonts/subset.py info FONT [FONT ...]

Why: the full Noto CJK faces carry 65,535 glyphs. Typst (through ttf-parser)
renders blank boxes for such fonts, so every shipped file must stay below
32,768 glyphs.  GBK covers all of CJK Unified Ideographs U+4E00-9FA5 plus the
punctuation and symbols of Chinese newspaper text, which is ~21,900 code points.

The output is deterministic: fontTools subsetting is deterministic and the
`head.modified` timestamp of the source is kept (recalc_timestamp=False).
"""

import argparse
import hashlib
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

# OpenType layout features kept.  CJK typesetting needs the spacing and width
# features (palt/halt/vpal/vhal, fwid/hwid/pwid), localized forms (locl),
# vertical forms (vert/vrt2/vkrn) and kerning; ccmp/liga/calt/mark/mkmk are
# the shaper defaults for the Latin parts.  Everything else (aalt, dlig, hist,
# ruby, jamo features, fractions, ...) is dropped.
LAYOUT_FEATURES = [
    "kern", "palt", "halt", "vert", "vrt2", "vkrn", "vhal", "vpal",
    "locl", "fwid", "hwid", "pwid",
    "ccmp", "liga", "calt", "mark", "mkmk", "rvrn",
]

# Code point ranges always kept on top of GBK (inclusive).
EXTRA_RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (foreign names, ×, ÷, ·, °, §)
    (0x2010, 0x2027),  # general punctuation: ‐ – — ‖ ‘ ’ “ ” • ‥ … ‧
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2460, 0x2473),  # ① .. ⑳
    (0x25A0, 0x25A1),  # ■ □
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE6),  # full-width signs ￠ ￡ ￢ ￣ ￤ ￥ ￦
]


def gbk_codepoints():
    """All BMP code points that Python's 'gbk' codec can encode (no controls)."""
    out = set()
    for cp in range(0x20, 0x10000):
        if 0xD800 <= cp <= 0xDFFF or cp == 0x7F:
            continue
        try:
            chr(cp).encode("gbk")
        except UnicodeEncodeError:
            continue
        out.add(cp)
    return out


def text_codepoints(paths):
    out = set()
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for ch in fh.read():
                if ord(ch) >= 0x20 and ch not in "\u2028\u2029\ufeff":
                    out.add(ord(ch))
    return out


def wanted_codepoints(extra_files):
    cps = gbk_codepoints()
    for lo, hi in EXTRA_RANGES:
        cps.update(range(lo, hi + 1))
    cps.update(text_codepoints(extra_files))
    return cps


# Unicode blocks of ideographs (and their radicals and strokes) that a rare
# face ("--rare") takes from its source beyond the primary set: CJK Ext A,
# the unified ideographs after U+9FA5, compatibility ideographs, radicals,
# strokes, and Ext B-H with the compatibility supplement.  Names of people
# and places use these; the 通用规范汉字表 has 276 characters outside GBK.
RARE_RANGES = [
    (0x2E80, 0x2EFF),    # CJK Radicals Supplement
    (0x2F00, 0x2FDF),    # Kangxi Radicals
    (0x31C0, 0x31EF),    # CJK Strokes
    (0x3400, 0x4DBF),    # CJK Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs (what GBK leaves: U+9FA6-)
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0x20000, 0x2FA1F),  # Extensions B-F, Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G, H
]


def rare_codepoints(cmap, extra_files):
    """Ideographs of the source that the primary (GBK) subset leaves out."""
    primary = wanted_codepoints(extra_files)
    return {cp for cp in cmap if cp not in primary and any(lo <= cp <= hi for lo, hi in RARE_RANGES)}


def tgh(args):
    """Write the 通用规范汉字表 (2013) from Unihan's kTGH field.

    kTGH is "2013:N": the character's number N (1-8105) in the table.  The
    output lists the characters in the table's order, one a line, after a
    comment header that says where they came from.
    """
    import bz2
    opener = bz2.open if args.source.endswith(".bz2") else open
    table = {}
    with opener(args.source, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                for v in parts[2].split():
                    year, n = v.split(":")
                    if year == "2013":
                        table[int(n)] = chr(int(parts[0][2:], 16))
    if sorted(table) != list(range(1, 8106)):
        sys.exit(f"{args.source}: kTGH gives {len(table)} numbers, not 1-8105")
    head = ("# 通用规范汉字表 (General Standard Chinese Characters, 2013): 8,105 characters,\n"
            "# one a line, in the table's order (numbers 1-3500 level 1, 3501-6500 level 2,\n"
            "# 6501-8105 level 3).  Derived by fonts/subset.py tgh from the kTGH field of\n"
            "# Unihan_OtherMappings.txt, Unicode 15.0.0 (Debian package unicode-data 15.0.0-1,\n"
            "# /usr/share/unicode/Unihan_OtherMappings.txt.bz2).\n")
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(head)
        for n in range(1, 8106):
            fh.write(table[n] + "\n")
    os.replace(tmp, args.output)
    print(f"{os.path.basename(args.output)}: {len(table)} characters")


def face_index(path, want):
    """Index of the face in a .ttc whose name ID 1 or 4 contains `want`."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    coll = TTCollection(path, lazy=True)
    for i, font in enumerate(coll.fonts):
        name = font["name"]
        for nid in (1, 4, 16):
            s = name.getDebugName(nid) or ""
            if want in s.split():
                return i
    sys.exit(f"no face matching {want!r} in {path}")


def restrict_langsys(font, keep):
    """Keep only the default and the `keep` language systems in GSUB/GPOS.

    Noto CJK's `locl` maps every ideograph to its JAN/KOR/ZHT/ZHH forms; kept
    for all languages, those alternates add ~17,600 glyphs and push a GBK
    subset over 32,768.  Simplified Chinese text only ever selects the default
    or the ZHS language system, so the others are removed before subsetting
    (the subsetter then drops the features and lookups no longer used).
    """
    for tag in ("GSUB", "GPOS"):
        if tag not in font or not font[tag].table.ScriptList:
            continue
        for rec in font[tag].table.ScriptList.ScriptRecord:
            script = rec.Script
            script.LangSysRecord = [r for r in script.LangSysRecord if r.LangSysTag in keep]
            script.LangSysCount = len(script.LangSysRecord)


def rename(font, family, ps_prefix):
    """Give a Modified Version a new primary name (OFL Reserved Font Names)."""
    name = font["name"]
    style = name.getDebugName(17) or name.getDebugName(2) or "Regular"
    full = family if style == "Regular" else f"{family} {style}"
    ps = f"{ps_prefix}-{style.replace(' ', '')}"
    version = name.getDebugName(5) or ""
    # Drop every record of the naming IDs (incl. localized ones) and set anew.
    name.names = [r for r in name.names if r.nameID not in (1, 2, 3, 4, 6, 16, 17, 18, 21, 22)]
    for nid, value in ((1, family), (2, style), (3, f"{ps};{version}"), (4, full), (6, ps)):
        name.setName(value, nid, 3, 1, 0x409)
        name.setName(value, nid, 1, 0, 0)


def sync_cff_names(font):
    """Make the CFF names agree with the name table.

    The CFF table of a Noto .ttc is shared by its JP/KR/SC/TC/HK faces and is
    named after the JP face; after extracting the SC face, name it SC.
    """
    if "CFF " not in font:
        return
    name = font["name"]
    cff = font["CFF "].cff
    old_ps, new_ps = cff.fontNames[0], name.getDebugName(6)
    cff.fontNames = [new_ps]
    top = cff.topDictIndex[0]
    top.FamilyName = name.getDebugName(1)
    top.FullName = name.getDebugName(4)
    for fd in getattr(top, "FDArray", None) or []:
        if getattr(fd, "FontName", None):
            fd.FontName = fd.FontName.replace(old_ps, new_ps)


def mark_subset(font, what="paiban GBK subset"):
    """Note the subsetting in name ID 5 (version string)."""
    name = font["name"]
    for rec in name.names:
        if rec.nameID == 5:
            s = rec.toUnicode()
            if what not in s:
                rec.string = s + "; " + what


def build(args):
    index = face_index(args.source, args.face) if args.face else 0
    opts = subset.Options()
    opts.layout_features = LAYOUT_FEATURES
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.notdef_glyph = True
    opts.recalc_timestamp = False
    opts.recalc_bounds = True
    opts.font_number = index
    opts.glyph_names = False
    font = subset.load_font(args.source, opts, dontLoadGlyphNames=True)
    restrict_langsys(font, {"ZHS "})
    cmap = font.getBestCmap()
    if args.rare:
        present = sorted(rare_codepoints(cmap, args.extra or []))
    else:
        cps = wanted_codepoints(args.extra or [])
        present = sorted(cp for cp in cps if cp in cmap)
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=present)
    sub.subset(font)
    mark_subset(font, "paiban rare-character subset" if args.rare else "paiban GBK subset")
    if args.rename:
        family, ps_prefix = args.rename.split(":", 1)
        rename(font, family, ps_prefix)
    sync_cff_names(font)
    tmp = args.output + ".tmp"
    subset.save_font(font, tmp, opts)
    os.replace(tmp, args.output)
    n = len(font.getGlyphOrder())
    print(f"{os.path.basename(args.output)}: face {index}, {len(present)} code points, "
          f"{n} glyphs, {os.path.getsize(args.output)} bytes")
    if n >= 32768:
        sys.exit(f"{args.output}: {n} glyphs >= 32768")


def describe(path):
    f = TTFont(path, lazy=True)
    name = f["name"]
    data = open(path, "rb").read()
    return {
        "file": os.path.basename(path),
        "id1": name.getDebugName(1),
        "id2": name.getDebugName(2),
        "id16": name.getDebugName(16),
        "id17": name.getDebugName(17),
        "ps": name.getDebugName(6),
        "weight": f["OS/2"].usWeightClass,
        "glyphs": f["maxp"].numGlyphs,
        "cmap": len(f.getBestCmap()),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def info(args):
    for p in args.fonts:
        d = describe(p)
        print("\t".join(f"{k}={v}" for k, v in d.items()))


# Characters every font must have, whatever the text.
REQUIRED = "■□“”‘’·—…《》〈〉（）【】〔〕「」『』，。、；：？！～％０１２３４５６７８９" \
           "0123456789①②③④⑤⑥⑦⑧⑨⑩〇"


def verify(args):
    ok = True
    need = set(REQUIRED)
    for p in args.text or []:
        with open(p, encoding="utf-8") as fh:
            t = fh.read()
        need.update(c for c in t if ord(c) > 0x20 and not c.isspace() and c != "\ufeff")
    if args.union:
        # The fonts as one fallback list: every character in at least one.
        have = set()
        for p in args.fonts:
            f = TTFont(p, lazy=True)
            have.update(f.getBestCmap())
            if f["maxp"].numGlyphs >= 32768:
                print(f"{os.path.basename(p)}: TOO MANY GLYPHS")
                ok = False
        missing = sorted(c for c in need if ord(c) not in have)
        names = " + ".join(os.path.basename(p) for p in args.fonts)
        print(f"{names}: {len(need)} required chars: " + ("MISSING " + "".join(missing) if missing else "ok"))
        if missing or not ok:
            sys.exit(1)
        return
    for p in args.fonts:
        f = TTFont(p, lazy=True)
        cmap = f.getBestCmap()
        n = f["maxp"].numGlyphs
        missing = sorted(c for c in need if ord(c) not in cmap)
        status = "ok"
        if n >= 32768:
            status = "TOO MANY GLYPHS"
            ok = False
        if missing:
            status = "MISSING " + "".join(missing)
            ok = False
        print(f"{os.path.basename(p)}: {n} glyphs, {len(cmap)} mapped, "
              f"{len(need)} required chars: {status}")
    if not ok:
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sp = ap.add_subparsers(dest="cmd", required=True)
    b = sp.add_parser("build")
    b.add_argument("source")
    b.add_argument("output")
    b.add_argument("--face", help="word in name ID 1/4 picking the face of a .ttc, e.g. SC")
    b.add_argument("--rename", help="FAMILY:PSPREFIX new primary name (OFL RFN)")
    b.add_argument("--extra", nargs="*", help="UTF-8 text files whose characters are kept too")
    b.add_argument("--rare", action="store_true",
                   help="keep the source's ideographs the GBK subset leaves out (a fallback face)")
    b.set_defaults(fn=build)
    t = sp.add_parser("tgh")
    t.add_argument("source", help="Unihan_OtherMappings.txt[.bz2]")
    t.add_argument("output")
    t.set_defaults(fn=tgh)
    v = sp.add_parser("verify")
    v.add_argument("fonts", nargs="+")
    v.add_argument("--text", nargs="*", help="UTF-8 text files that must be fully covered")
    v.add_argument("--union", action="store_true", help="each character in at least one of the fonts")
    v.set_defaults(fn=verify)
    i = sp.add_parser("info")
    i.add_argument("fonts", nargs="+")
    i.set_defaults(fn=info)
    args = ap.parse_args()
    args.fn(args)


if __name__ == "__main__":
    main()
