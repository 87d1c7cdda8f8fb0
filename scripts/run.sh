#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build what it needs (the
# command line and the viewer; not the tests or benchmarks), and open the viewer on the bundled
# pictures (assets/content.jpg and assets/style.jpg). Without a display (no $DISPLAY or
# $WAYLAND_DISPLAY) it runs the original workflow on the command line instead and writes
# ./stylized_output.jpg. Extra arguments go to the program (e.g. --alpha 0.6).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start=$SECONDS
say() { echo "run: $*" >&2; }
"$root/scripts/install_deps.sh" run
display=${DISPLAY:-}${WAYLAND_DISPLAY:-}
targets=(neuraltransfer)
[ -n "$display" ] && targets+=(neuraltransfer-viewer)
if [ ! -x "$root/build/bin/neuraltransfer" ]; then
  say "first build of ${targets[*]}: about 8 minutes on 2 cores (LibTorch headers are heavy); later runs take seconds"
fi
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
# cmake prints "[ NN%] Building ..." as it goes: the progress.
cmake --build "$root/build" -j"$(nproc)" --target "${targets[@]}"
say "built in $((SECONDS - start)) s"
content=$root/assets/content.jpg
style=$root/assets/style.jpg
if [ -n "$display" ] && [ -x "$root/build/bin/neuraltransfer-viewer" ]; then
  say "opening the viewer on $content and $style (H lists the shortcuts)"
  exec "$root/build/bin/neuraltransfer-viewer" "$content" "$style" "$@"
fi
say "no display, so the command-line stylizer runs instead of the viewer"
exec "$root/build/bin/neuraltransfer" "$content" "$style" "$@"
