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
# OpenMP for our own sources too: at::parallel_for is a header template whose "#pragma omp parallel"
# is compiled into the caller, and without -fopenmp it quietly runs the whole range on one thread
# (every parallel loop of ours did, until this was measured: docs/PERFORMANCE.md). GCC only: its
# libgomp is the runtime LibTorch itself uses; clang's -fopenmp would bring a second runtime.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  find_package(OpenMP REQUIRED COMPONENTS CXX)
  set_property(TARGET nt::torch APPEND PROPERTY INTERFACE_LINK_LIBRARIES OpenMP::OpenMP_CXX)
endif()
set(NT_TORCH_VERSION "${Torch_VERSION}")
if(NOT NT_TORCH_VERSION)
  set(NT_TORCH_VERSION "unknown")
endif()
message(STATUS "LibTorch ${NT_TORCH_VERSION}: ${TORCH_INSTALL_PREFIX}")
