#!/usr/bin/env bash
# Builds and tests neuraltransfer on a GPU machine with no network and no apt: LibTorch is the CUDA
# build inside the machine's Python torch, everything else comes from the Debian packages that
# scripts/gpu/fetch_debs.sh put into .gpu/debs/, unpacked (dpkg -x, never installed) into
# .gpu/prefix. CUDA code of our own is built for Hopper (sm_90).
# Usage: scripts/gpu/build_offline.sh [ctest arguments]    (build folder: build-gpu/)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
debs=$root/.gpu/debs
prefix=$root/.gpu/prefix
[ -n "$(ls "$debs"/*.deb 2>/dev/null)" ] || { echo "build_offline: no .deb files in $debs (run scripts/gpu/fetch_debs.sh where apt works)" >&2; exit 1; }
mkdir -p "$prefix"
for deb in "$debs"/*.deb; do dpkg -x "$deb" "$prefix"; done

python=${PYTHON:-python3}
torch_cmake=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
cuda=${CUDA_HOME:-/usr/local/cuda}
arch_lib=$prefix/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH="$arch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$prefix/usr/bin:$cuda/bin:$PATH"

cmake -S "$root" -B "$root/build-gpu" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$torch_cmake;$prefix/usr" \
  -DSTB_ROOT="$prefix/usr/include/stb" -DIMGUI_ROOT="$prefix/usr/include/imgui" \
  -DCMAKE_LIBRARY_PATH="$arch_lib" \
  -DCUDAToolkit_ROOT="$cuda" -DCMAKE_CUDA_ARCHITECTURES=90
cmake --build "$root/build-gpu" -j"$(nproc)"
cd "$root/build-gpu"
# Xvfb from the unpacked packages needs its keyboard data and fonts from the prefix too.
export XKB_CONFIG_ROOT=$prefix/usr/share/X11/xkb
ctest --output-on-failure -j"$(nproc)" "$@"
