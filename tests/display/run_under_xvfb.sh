#!/bin/sh
# Runs a GL test program in its own X server with Mesa's software renderer (llvmpipe), asking for
# the GL 3.3 core context the viewer uses. Exit code 77 (ctest: skipped) without xvfb-run.
command -v xvfb-run >/dev/null 2>&1 || { echo "SKIP: xvfb-run not installed"; exit 77; }
LIBGL_ALWAYS_SOFTWARE=1 MESA_GL_VERSION_OVERRIDE=3.3 exec xvfb-run -a -s "-screen 0 640x480x24 -nolisten tcp" "$@"
