#!/usr/bin/env bash
# The C++ sources laid out as .clang-format says (ctest runs this as source_format; CI with it).
#   scripts/check_format.sh         lists what differs and fails (one line per file)
#   scripts/check_format.sh --fix   rewrites the files in place
# clang-format 14 (Debian 12's `clang-format`) is the reference; another version may lay out a
# few lines differently, so clang-format-14 is preferred where both are installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
formatter=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$formatter" ]; then
  echo "check_format: clang-format is not installed (Debian: apt install clang-format)" >&2
  exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' \
                                        'tools/*.cpp' 'tools/*.h')
else  # an exported tree without .git
  mapfile -t files < <(find src tests bench tools \( -name '*.cpp' -o -name '*.h' \) | sort)
fi
if [ "${1:-}" = --fix ]; then
  "$formatter" -i "${files[@]}"
  exit 0
fi
# One process for every file (a process per file took minutes on a loaded machine); each
# difference is reported as "FILE:LINE:COL: error: code should be clang-formatted".
status=0
report=$("$formatter" --dry-run --Werror "${files[@]}" 2>&1) || status=$?
mapfile -t bad < <(printf '%s\n' "$report" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
if [ ${#bad[@]} -eq 0 ] && [ $status -ne 0 ]; then
  printf '%s\n' "$report" >&2  # it failed without naming a file: say what it said
  exit 1
fi
if [ ${#bad[@]} -gt 0 ]; then
  printf 'check_format: %s is not laid out as .clang-format says\n' "${bad[@]}" >&2
  echo "check_format: ${#bad[@]} of ${#files[@]} files differ; scripts/check_format.sh --fix rewrites them" >&2
  exit 1
fi
echo "check_format: ${#files[@]} files laid out as .clang-format says ($("$formatter" --version | head -1))"
