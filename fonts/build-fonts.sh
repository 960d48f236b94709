#!/usr/bin/env bash
# Rebuild the cut-down CJK fonts in fonts/ from the Debian font packages.
#
#   bash fonts/build-fonts.sh [TEXT_FILE ...]
#
# Every character of fonts/extra-chars.txt and of the optional UTF-8 TEXT_FILEs
# is kept on top of the GBK set.  Needs (as root):
#   apt-get install -y fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
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

# source  face  output  [rename FAMILY:PSPREFIX]
jobs=(
  "$noto/NotoSerifCJK-Regular.ttc|SC|NotoSerifCJKsc-Regular.subset.otf|"
  "$noto/NotoSerifCJK-Bold.ttc|SC|NotoSerifCJKsc-Bold.subset.otf|"
  "$noto/NotoSansCJK-Regular.ttc|SC|NotoSansCJKsc-Regular.subset.otf|"
  "$noto/NotoSansCJK-Bold.ttc|SC|NotoSansCJKsc-Bold.subset.otf|"
  # LXGW WenKai's licence reserves the names "LXGW" and "霞鹜": a subset is a
  # Modified Version under the OFL, so it gets a new primary font name.
  "$wenkai/LXGWWenKai-Regular.ttf||PaibanWenKai-Regular.subset.ttf|Paiban WenKai:PaibanWenKai"
)

for job in "${jobs[@]}"; do
  IFS='|' read -r src face out rename <<<"$job"
  if [[ ! -r "$src" ]]; then
    echo "missing $src: apt-get install -y fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai" >&2
    exit 1
  fi
  args=(build "$src" "$here/$out" --extra "${extra[@]}")
  [[ -n "$face" ]] && args+=(--face "$face")
  [[ -n "$rename" ]] && args+=(--rename "$rename")
  python3 "$here/subset.py" "${args[@]}"
done

outs=()
for job in "${jobs[@]}"; do
  IFS='|' read -r _ _ out _ <<<"$job"
  outs+=("$here/$out")
done
python3 "$here/subset.py" verify "${outs[@]}" --text "${extra[@]}"
python3 "$here/subset.py" info "${outs[@]}"
