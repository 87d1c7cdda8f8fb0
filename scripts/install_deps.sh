#!/usr/bin/env bash
# Installs the Debian 12 packages neuraltransfer needs, and nothing when they are all present
# (idempotent: apt is only called for what is missing). Usage: scripts/install_deps.sh [run|test]
set -euo pipefail
what=${1:-test}

packages=(
  build-essential cmake pkg-config
  libtorch-dev libstb-dev          # core: tensors, image decoding/encoding
  libopenblas0-pthread             # LibTorch's BLAS and LAPACK: Debian's default reference BLAS is ~30x
                                   # slower at a float32 GEMM (patch synthesis searches by GEMM)
  nlohmann-json3-dev               # core: .safetensors weight headers (JSON)
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev libavdevice-dev  # video in and out (FFmpeg)
  libopencv-video-dev              # video: optical flow for the temporal consistency (core, imgproc, video)
  libgtest-dev libbenchmark-dev    # unit tests, benchmarks (bench/, built by default)
  libimgui-dev libglfw3-dev libgl-dev libopengl-dev fonts-dejavu-core  # viewer: Dear ImGui, GLFW, OpenGL, UI font
  zenity                           # viewer: the desktop's file dialog (GTK's chooser), run as its own program
)
if [ "$what" = test ]; then
  packages+=(
    python3-torch python3-torchvision python3-pil python3-numpy  # parity with the original workflow; PyTorch
                                                                 # fixtures of the networks, TorchScript, convert_weights
    python3-onnx                                                 # convert_weights fast-style-onnx and its test
    libjpeg-turbo-progs                                          # jpegtran: progressive JPEG test input
    ffmpeg                                                       # a test clip with audio (FFmpeg's test sources)
    xvfb xauth libgl1-mesa-dri xdotool                           # viewer end-to-end tests: X server, Mesa GL, input
    glslang-tools                                                # glslangValidator: the shaders/ tests
    clang-format                                                 # the source_format test (.clang-format)
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install_deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
