#!/usr/bin/env bash
# Run where apt works (a developer machine): downloads the Debian 12 packages that a GPU machine
# without network or apt needs to build and test neuraltransfer, into .gpu/debs/ (git-ignored).
# Carry .gpu/ to the GPU machine and run scripts/gpu/build_offline.sh there. LibTorch is not among
# them: the GPU machine's own Python torch (CUDA) provides it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dest=$root/.gpu/debs
mkdir -p "$dest"
packages=(
  libimgui-dev libstb-dev libstb0 libglfw3 libglfw3-dev   # viewer and image I/O
  libgtest-dev libbenchmark-dev libbenchmark1debian       # tests and benchmarks
  xvfb xserver-common libxfont2 libxkbfile1 libfontenc1 x11-xkb-utils xkb-data xauth libxmuu1  # Xvfb
  xdotool libxdo3                                         # the viewer's interactive test
  fonts-dejavu-core                                       # the viewer's UI font
)
cd "$dest"
apt-get download "${packages[@]}"
du -sh "$dest"
