# LibTorch: Debian's libtorch-dev (1.13, CPU) or any LibTorch 2.x found through CMAKE_PREFIX_PATH.
find_package(Torch REQUIRED)
if(NOT TARGET nt::torch)
  add_library(nt::torch INTERFACE IMPORTED)
  set_target_properties(nt::torch PROPERTIES INTERFACE_LINK_LIBRARIES "${TORCH_LIBRARIES}")
  # TORCH_CXX_FLAGS carries the C++ ABI define; LibTorch's own target sets it for Debian, a pip
  # LibTorch only reports it here.
  if(TORCH_CXX_FLAGS)
    separate_arguments(_nt_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
    set_target_properties(nt::torch PROPERTIES INTERFACE_COMPILE_OPTIONS "${_nt_torch_flags}")
  endif()
endif()
set(NT_TORCH_VERSION "${Torch_VERSION}")
if(NOT NT_TORCH_VERSION)
  set(NT_TORCH_VERSION "unknown")
endif()
message(STATUS "LibTorch ${NT_TORCH_VERSION}: ${TORCH_INSTALL_PREFIX}")
