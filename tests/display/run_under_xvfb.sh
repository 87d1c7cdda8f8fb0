#!/bin/sh
# Runs a GL test program in its own X server with Mesa's software renderer (llvmpipe), asking for
# the GL 3.3 core context the viewer uses. Fails (exit code 77, which ctest counts as a failure)
# without xvfb-run. The authority file is ours (-f) and the server never resets (-noreset): with
# its own temporary folder, xvfb-run could report a cleanup error (exit 5) after a passing run
# (tests/viewer/e2e_viewer.py, xvfb_run, says why).
command -v xvfb-run >/dev/null 2>&1 || { echo "FAIL: xvfb-run not installed"; exit 77; }
auth_dir=$(mktemp -d "${TMPDIR:-/tmp}/nt_display_gl.XXXXXX") || exit 1
status=0
LIBGL_ALWAYS_SOFTWARE=1 MESA_GL_VERSION_OVERRIDE=3.3 \
  xvfb-run -a -f "$auth_dir/Xauthority" -s "-screen 0 640x480x24 -nolisten tcp -noreset" "$@" || status=$?
rm -rf "$auth_dir"
exit $status
