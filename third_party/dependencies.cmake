# Finds every external dependency and exposes it as an imported target named nt::<name>.
# Debian 12 packages are the reference: libtorch-dev, libstb-dev, libgtest-dev.
# A CUDA LibTorch 2.x works too: pass -DCMAKE_PREFIX_PATH=$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)').

include(${CMAKE_CURRENT_LIST_DIR}/FindStb.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/torch.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/nlohmann_json.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/imgui_glfw.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/ffmpeg.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/opencv.cmake)
