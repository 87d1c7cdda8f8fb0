#!/usr/bin/python3
"""End-to-end tests of the iterative methods in the viewer's live window under Xvfb.

Usage: e2e_iterative.py CASE VIEWER CLI
  patch_synthesis_converges_without_input  estimates appear with no input; Ctrl+S saves the CLI's result
  patch_synthesis_preview_while_dragging   preview estimates while a held slider keeps moving

Helpers (pictures, sessions, the live window) come from e2e_viewer.py beside this file.
"""
import os
import subprocess
import sys

import e2e_viewer as ev
from e2e_viewer import CONTENT_COLORS, STYLE_COLORS, LiveViewer, fail, quadrant_picture, read_png, rect, wait_for


def patch_synthesis_converges_without_input(s, cli):
    """Patch synthesis in a live window that gets no input at all: its estimates appear on their
    own, step after step, Ctrl+S while it converges says so, and once it has converged Ctrl+S
    saves what the CLI writes."""
    quadrant_picture(s.path("content.bmp"), 240, 180, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 160, 160, STYLE_COLORS)
    args = ["--method", "patch_synthesis", "--size", "240x180", "--param", "updates=4"]
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--report", "report.txt"] + args)
    try:
        wid = live.window("slider.levels")
        steps = set()

        def converging():
            line = s.report().get("iterative", "")
            if line.startswith("converging 1"):
                steps.add(line.split()[3])
            return len(steps) >= 2
        wait_for(converging, "two intermediate estimates with no input", timeout=60)
        during = s.report().get("preserve_colors")
        live.xdo("xdotool key --window %s ctrl+s" % wid)
        if s.report().get("iterative", "").startswith("converging 1") and \
                "still converging" not in s.report().get("error", ""):
            fail("Ctrl+S while converging: %s" % s.report().get("error"))
        wait_for(lambda: s.report().get("neural", "").startswith("pending 0") and
                 s.report().get("iterative", "").startswith("converging 0"), "the final result", timeout=90)
        # Still no input: the controls drawn after the result say so (they stayed on "computing").
        wait_for(lambda: s.report().get("progress_shown") == "idle", "the controls to show the run ended", timeout=3)
        live.xdo("xdotool key --window %s ctrl+s" % wid)
        wait_for(lambda: os.path.exists(s.path("stylized_output_0001.png")), "the saved result")
        # The progress row keeps its place: nothing below it moved when the run ended.
        if s.report().get("preserve_colors") != during:
            fail("the controls moved when the run ended: %s then %s" % (during, s.report().get("preserve_colors")))
        live.quit()
    finally:
        live.stop()
    subprocess.run([cli, "content.bmp", "style.bmp", "-q", "-d", "cpu", "-o", "cli.png"] + args, cwd=s.dir,
                   check=True)
    if read_png(s.path("stylized_output_0001.png")) != read_png(s.path("cli.png")):
        fail("the saved result differs from the CLI's")
    print("patch synthesis: %d estimates seen without input (%s), saved result equals the CLI's" %
          (len(steps), s.report().get("iterative")))


def patch_synthesis_preview_while_dragging(s, cli):
    """Patch synthesis while a slider is held and keeps moving (every frame a new value): estimates
    of the preview (long side 256) reach the result panel during the drag, and the release brings
    the full resolution. Issue 26, item 8: each move cancelled the preview job before its first
    estimate, so a moving slider showed nothing new ("(updating)", 0 %)."""
    quadrant_picture(s.path("content.bmp"), 512, 384, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 160, 160, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "patch_synthesis", "--size",
                          "512x384", "--width", "1200", "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("slider.denoise")
        x, y, w, h = rect(s.report()["slider.denoise"])
        cy = int(y + h / 2)
        live.xdo("xdotool mousemove --window %s %d %d" % (wid, x + 0.1 * w, cy), "sleep 0.2", "xdotool mousedown 1")
        # A background script keeps the slider moving for about 12 s (a new value every ~40 ms) and
        # logs the report after each move: what the window showed while the value kept changing.
        xs = " ".join(str(int(x + w * (0.1 + 0.8 * ((i * 7) % 41) / 41.0))) for i in range(300))
        with open(s.path("moves.sh"), "w") as f:
            f.write("end=$(( $(date +%%s) + 12 ))\nwhile [ $(date +%%s) -lt $end ]; do for px in %s; do\n"
                    "  xdotool mousemove --window %s $px %d; sleep 0.03\n"
                    "  grep -h '^neural=\\|^iterative=' report.txt >> seen.txt || true\n"
                    "  [ $(date +%%s) -lt $end ] || break\ndone; done\ntouch moves.done\n" % (xs, wid, cy))
        live.xdo("sh moves.sh > moves.out 2>&1 &")
        wait_for(lambda: os.path.exists(s.path("moves.done")), "the moves", timeout=60)
        with open(s.path("seen.txt")) as f:
            seen = f.read().splitlines()
        previews = [line for line in seen if line.startswith("neural=") and " preview 1 " in line]
        if not previews:
            fail("no preview estimate while the slider moved (%d reports, last: %s)" % (len(seen), seen[-2:]))
        # New estimates kept arriving while it moved, not only one before the first move.
        estimates = [int(line.split()[-1]) for line in seen if line.startswith("iterative=")]
        if estimates[-1] - estimates[0] < 2:
            fail("estimates shown while the slider moved: %d -> %d" % (estimates[0], estimates[-1]))
        live.xdo("xdotool mouseup 1")
        wait_for(lambda: " preview 0 " in s.report().get("neural", ""), "the full resolution after release",
                 timeout=90)
        live.quit()
    finally:
        live.stop()
    print("patch synthesis: a preview in %d of %d reports and %d new estimates while the slider moved; full "
          "resolution after release" % (len(previews), len(seen) // 2, estimates[-1] - estimates[0]))


if __name__ == "__main__":
    sys.exit(ev.run_case(globals(), __doc__))
