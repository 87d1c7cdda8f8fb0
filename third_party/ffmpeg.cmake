# FFmpeg's libraries for video (Debian: libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
# libavdevice-dev), found with pkg-config and exposed as nt::ffmpeg.
find_package(PkgConfig REQUIRED)
pkg_check_modules(NT_FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libswscale libavutil libavdevice)
add_library(nt::ffmpeg ALIAS PkgConfig::NT_FFMPEG)
