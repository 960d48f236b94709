#!/usr/bin/env bash
# Rebuild the cut-down CJK fonts in fonts/ from the Debian font packages.
#
#   bash fonts/build-fonts.sh [TEXT_FILE ...]
#
# Every character of fonts/extra-chars.txt and of the optional UTF-8 TEXT_FILEs
# is kept on top of the GBK set.  Each design also gets a "Rare" face: the
# ideographs of its source that the GBK set leaves out (CJK Ext A, Ext B-H,
# compatibility ideographs), the fallback that prints rare name characters.
# fonts/tongyong-guifan.txt (the 通用规范汉字表) is derived from Unihan.
# Needs (as root):
#   apt-get install -y fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai unicode-data
#   pip install fonttools==4.68.0
# The output is byte-identical from run to run with the same package versions
# and fontTools version (see fonts/README.md for the recorded sha256 sums).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"   # fontTools honours it if it ever stamps a time
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1

noto=/usr/share/fonts/opentype/noto
wenkai=/usr/share/fonts/truetype/lxgw-wenkai

want_ft=4.68.0
have_ft="$(python3 -c 'import fontTools; print(fontTools.version)' 2>/dev/null || true)"
if [[ -z "$have_ft" ]]; then
  echo "fontTools is missing: pip install fonttools==$want_ft" >&2; exit 1
elif [[ "$have_ft" != "$want_ft" ]]; then
  echo "warning: fontTools $have_ft (the committed files were made with $want_ft); output may differ" >&2
fi

extra=("$here/extra-chars.txt" "$@")
for f in "${extra[@]}"; do
  [[ -r "$f" ]] || { echo "cannot read text file $f" >&2; exit 1; }
done

unihan=/usr/share/unicode/Unihan_OtherMappings.txt.bz2
if [[ ! -r "$unihan" ]]; then
  echo "missing $unihan: apt-get install -y unicode-data" >&2; exit 1
fi
python3 "$here/subset.py" tgh "$unihan" "$here/tongyong-guifan.txt"

# source  face  output  [rename FAMILY:PSPREFIX]  [rare]
jobs=(
  "$noto/NotoSerifCJK-Regular.ttc|SC|NotoSerifCJKsc-Regular.subset.otf||"
  "$noto/NotoSerifCJK-Bold.ttc|SC|NotoSerifCJKsc-Bold.subset.otf||"
  "$noto/NotoSansCJK-Regular.ttc|SC|NotoSansCJKsc-Regular.subset.otf||"
  "$noto/NotoSansCJK-Bold.ttc|SC|NotoSansCJKsc-Bold.subset.otf||"
  # LXGW WenKai's licence reserves the names "LXGW" and "霞鹜": a subset is a
  # Modified Version under the OFL, so it gets a new primary font name.
  "$wenkai/LXGWWenKai-Regular.ttf||PaibanWenKai-Regular.subset.ttf|Paiban WenKai:PaibanWenKai|"
  # The fallback faces of the same designs: a family of their own ("… Rare"),
  # listed after the primary in each role's font list (src/data.rs).
  "$noto/NotoSerifCJK-Regular.ttc|SC|NotoSerifCJKsc-Regular.rare.otf|Noto Serif CJK SC Rare:NotoSerifCJKscRare|rare"
  "$noto/NotoSerifCJK-Bold.ttc|SC|NotoSerifCJKsc-Bold.rare.otf|Noto Serif CJK SC Rare:NotoSerifCJKscRare|rare"
  "$noto/NotoSansCJK-Regular.ttc|SC|NotoSansCJKsc-Regular.rare.otf|Noto Sans CJK SC Rare:NotoSansCJKscRare|rare"
  "$noto/NotoSansCJK-Bold.ttc|SC|NotoSansCJKsc-Bold.rare.otf|Noto Sans CJK SC Rare:NotoSansCJKscRare|rare"
  "$wenkai/LXGWWenKai-Regular.ttf||PaibanWenKai-Regular.rare.ttf|Paiban WenKai Rare:PaibanWenKaiRare|rare"
)

for job in "${jobs[@]}"; do
  IFS='|' read -r src face out rename rare <<<"$job"
  if [[ ! -r "$src" ]]; then
    echo "missing $src: apt-get install -y fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai" >&2
    exit 1
  fi
  args=(build "$src" "$here/$out" --extra "${extra[@]}")
  [[ -n "$face" ]] && args+=(--face "$face")
  [[ -n "$rename" ]] && args+=(--rename "$rename")
  [[ -n "$rare" ]] && args+=(--rare)
  python3 "$here/subset.py" "${args[@]}"
done

outs=() primary=()
for job in "${jobs[@]}"; do
  IFS='|' read -r _ _ out _ rare <<<"$job"
  outs+=("$here/$out")
  [[ -z "$rare" ]] && primary+=("$here/$out")
done
python3 "$here/subset.py" verify "${primary[@]}" --text "${extra[@]}"
# Each design's primary and rare face together hold the whole 通用规范汉字表.
for design in NotoSerifCJKsc-Regular NotoSerifCJKsc-Bold NotoSansCJKsc-Regular NotoSansCJKsc-Bold PaibanWenKai-Regular; do
  python3 "$here/subset.py" verify --union "$here/$design".* --text "$here/tongyong-guifan.txt"
done
python3 "$here/subset.py" info "${outs[@]}"
