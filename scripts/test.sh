#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (ctest prints the summary).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install_deps.sh" test
"$root/scripts/build.sh" -DNT_WARNINGS_AS_ERRORS=ON -DNT_REQUIRE_VIEWER=ON
cd "$root/build"
ctest --output-on-failure -j"$(nproc)" "$@"
