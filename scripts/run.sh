#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build, and stylize the
# bundled default pictures (assets/content.jpg with assets/style.jpg) like the original workflow.
# The result is ./stylized_output.jpg; extra arguments go to the CLI (e.g. --alpha 0.6 -o out.png).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh" run
"$root/scripts/build.sh" >/dev/null
"$root/build/bin/neuraltransfer" "$root/assets/content.jpg" "$root/assets/style.jpg" "$@"
