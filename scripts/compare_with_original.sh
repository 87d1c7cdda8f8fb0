#!/usr/bin/env bash
# Shows that the CLI's default output matches the original workflow (shared/peers/seed_blend.py)
# for every content/style pair of shared/images: mean difference <= 0.5 and max <= 4 levels.
# Usage: scripts/compare_with_original.sh [IMAGES_FOLDER] [SEED_BLEND_SCRIPT]
# Needs a build (build/bin/neuraltransfer) and Debian's python3-torch, python3-torchvision, python3-pil.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
images=${1:-$root/../shared/images}
original=${2:-$root/../shared/peers/seed_blend.py}
cli=$root/build/bin/neuraltransfer
[ -x "$cli" ] || { echo "compare_with_original: $cli not built (run scripts/test.sh or cmake --build build)" >&2; exit 1; }
[ -d "$images" ] || { echo "compare_with_original: $images: no such folder" >&2; exit 1; }
[ -f "$original" ] || { echo "compare_with_original: $original: no such file" >&2; exit 1; }

mapfile -t files < <(find "$images" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | sort)
pairs=0 failed=0
for content in "${files[@]}"; do
  for style in "${files[@]}"; do
    [ "$content" = "$style" ] && continue
    pairs=$((pairs + 1))
    /usr/bin/python3 "$root/scripts/parity.py" "$cli" "$content" "$style" --original "$original" || failed=$((failed + 1))
  done
done
echo "$((pairs - failed)) of $pairs pairs within tolerance (mean <= 0.5, max <= 4 levels)"
[ "$failed" -eq 0 ]
