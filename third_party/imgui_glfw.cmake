# The interactive viewer's dependencies, as imported targets:
#   nt::imgui  Dear ImGui (Debian: libimgui-dev, 1.86), whose libimgui.a already holds the GLFW
#              and OpenGL3 backends (headers under imgui/backends/).
#   nt::glfw   GLFW 3.3+ (Debian: libglfw3-dev).
#   OpenGL::GL from CMake's FindOpenGL (libGL through GLVND).
# When any is missing the viewer is skipped with a message instead of failing the whole build,
# so the CLI still builds on a headless machine without them. NT_HAVE_VIEWER says which.
find_package(OpenGL QUIET)
find_package(glfw3 3.3 QUIET CONFIG)
find_path(IMGUI_INCLUDE_DIR imgui.h PATH_SUFFIXES imgui HINTS ${IMGUI_ROOT} $ENV{IMGUI_ROOT}
  DOC "Folder holding imgui.h and backends/imgui_impl_glfw.h")
find_library(IMGUI_LIBRARY NAMES imgui HINTS ${IMGUI_ROOT} $ENV{IMGUI_ROOT} DOC "libimgui with the GLFW/OpenGL3 backends")
# Debian builds Dear ImGui against the system stb (imgui.pc: "Requires: stb"), so its font code
# needs stb_truetype/stb_rect_pack from libstb. The shared library is used: our own stb_image
# (compiled into nt_imageio) then takes precedence instead of clashing with libstb.a's copy.
find_library(IMGUI_STB_LIBRARY NAMES libstb.so stb DOC "libstb, needed by Debian's libimgui")

set(NT_HAVE_VIEWER ON)
foreach(_nt_missing_check
    "OpenGL_OpenGL_FOUND;OpenGL (libgl-dev, libopengl-dev)"
    "glfw3_FOUND;GLFW 3.3 (libglfw3-dev)"
    "IMGUI_INCLUDE_DIR;Dear ImGui headers (libimgui-dev)"
    "IMGUI_LIBRARY;Dear ImGui library (libimgui-dev)")
  list(GET _nt_missing_check 0 _nt_var)
  list(GET _nt_missing_check 1 _nt_what)
  if(NOT ${_nt_var})
    set(NT_HAVE_VIEWER OFF)
    message(STATUS "Viewer disabled: ${_nt_what} not found (scripts/install_deps.sh installs it)")
  endif()
endforeach()
if(NT_HAVE_VIEWER AND NOT EXISTS "${IMGUI_INCLUDE_DIR}/backends/imgui_impl_glfw.h")
  set(NT_HAVE_VIEWER OFF)
  message(STATUS "Viewer disabled: ${IMGUI_INCLUDE_DIR}/backends/imgui_impl_glfw.h not found")
endif()

if(NT_HAVE_VIEWER)
  if(NOT TARGET nt::glfw)
    add_library(nt::glfw INTERFACE IMPORTED)
    set_target_properties(nt::glfw PROPERTIES INTERFACE_LINK_LIBRARIES glfw)
  endif()
  if(NOT TARGET nt::imgui)
    add_library(nt::imgui UNKNOWN IMPORTED)
    # The backends include "imgui.h" and the viewer includes "backends/imgui_impl_*.h".
    # The OpenGL3 backend loads GL itself with dlopen.
    set_target_properties(nt::imgui PROPERTIES
      IMPORTED_LOCATION "${IMGUI_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${IMGUI_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES "nt::glfw;OpenGL::GL;${CMAKE_DL_LIBS}")
    if(IMGUI_STB_LIBRARY)
      set_property(TARGET nt::imgui APPEND PROPERTY INTERFACE_LINK_LIBRARIES "${IMGUI_STB_LIBRARY}")
    endif()
  endif()
  message(STATUS "Viewer: Dear ImGui ${IMGUI_LIBRARY}, GLFW ${glfw3_VERSION}")
endif()

# NT_REQUIRE_VIEWER: declared with the other options in the top CMakeLists.txt.
if(NT_REQUIRE_VIEWER AND NOT NT_HAVE_VIEWER)
  message(FATAL_ERROR "NT_REQUIRE_VIEWER is ON but the viewer cannot be built (see the messages above)")
endif()
