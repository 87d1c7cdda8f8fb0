#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build, and open the viewer
# on the bundled pictures (assets/content.jpg and assets/style.jpg). Without a display (no
# $DISPLAY or $WAYLAND_DISPLAY) it runs the original workflow on the command line instead and
# writes ./stylized_output.jpg. Extra arguments go to the program (e.g. --alpha 0.6).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh" run
"$root/scripts/build.sh" >/dev/null
content=$root/assets/content.jpg
style=$root/assets/style.jpg
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$root/build/bin/neuraltransfer-viewer" ]; then
  exec "$root/build/bin/neuraltransfer-viewer" "$content" "$style" "$@"
fi
echo "run: no display, so the command-line stylizer runs instead of the viewer" >&2
exec "$root/build/bin/neuraltransfer" "$content" "$style" "$@"
