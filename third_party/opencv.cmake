# OpenCV's core, imgproc and video modules (Debian: libopencv-video-dev, which pulls in
# libopencv-core-dev and libopencv-imgproc-dev), exposed as nt::opencv. Only the dense optical
# flow of the temporal consistency (src/video/temporal_consistency.h) uses it. Debian's
# per-module packages ship no OpenCVConfig.cmake (that comes with the full libopencv-dev), so
# the headers and the three libraries are found directly when the config is absent.
find_package(OpenCV QUIET COMPONENTS core imgproc video)
if(OpenCV_FOUND)
  add_library(nt::opencv INTERFACE IMPORTED)
  set_target_properties(nt::opencv PROPERTIES INTERFACE_LINK_LIBRARIES "opencv_core;opencv_imgproc;opencv_video")
else()
  find_path(NT_OPENCV_INCLUDE_DIR opencv2/video/tracking.hpp PATH_SUFFIXES opencv4
    DOC "Folder holding opencv2/ (core, imgproc, video)")
  foreach(module core imgproc video)
    find_library(NT_OPENCV_${module}_LIBRARY NAMES opencv_${module} DOC "OpenCV's ${module} module")
    if(NOT NT_OPENCV_${module}_LIBRARY)
      message(FATAL_ERROR "OpenCV's ${module} module not found: apt-get install libopencv-video-dev")
    endif()
  endforeach()
  if(NOT NT_OPENCV_INCLUDE_DIR)
    message(FATAL_ERROR "OpenCV headers not found: apt-get install libopencv-video-dev")
  endif()
  add_library(nt::opencv INTERFACE IMPORTED)
  set_target_properties(nt::opencv PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${NT_OPENCV_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${NT_OPENCV_video_LIBRARY};${NT_OPENCV_imgproc_LIBRARY};${NT_OPENCV_core_LIBRARY}")
endif()
message(STATUS "OpenCV (core, imgproc, video) for the temporal consistency: found")
