# stb (Debian: libstb-dev) is a set of single-header libraries. We only need the headers:
# the implementations are compiled in our own translation units (src/imageio/stb_impl.cpp)
# so that we control their configuration (dimension limits, no stdio).
find_path(STB_INCLUDE_DIR
  NAMES stb_image.h stb/stb_image.h
  PATH_SUFFIXES stb
  HINTS ${STB_ROOT} $ENV{STB_ROOT}
  DOC "Folder holding stb_image.h and stb_image_write.h")
if(NOT STB_INCLUDE_DIR)
  message(FATAL_ERROR "stb headers not found: install libstb-dev (apt-get install libstb-dev) or set STB_ROOT")
endif()
if(NOT EXISTS "${STB_INCLUDE_DIR}/stb_image_write.h")
  message(FATAL_ERROR "stb_image_write.h not found next to ${STB_INCLUDE_DIR}/stb_image.h")
endif()
if(NOT TARGET nt::stb)
  add_library(nt::stb INTERFACE IMPORTED)
  set_target_properties(nt::stb PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${STB_INCLUDE_DIR}")
endif()
message(STATUS "stb headers: ${STB_INCLUDE_DIR}")
