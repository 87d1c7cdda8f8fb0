#!/usr/bin/python3
"""End-to-end tests of "Export full size" (issue 24, item 5) under Xvfb, driven with xdotool.

Usage: e2e_export.py CASE VIEWER CLI
  export_full_size_matches_cli   Ctrl+E with Reinhard at a 128 x 128 working size: the file written
                                 is the content's own 300 x 180, equal to the CLI's --size original
  export_full_size_refused       --memory 64K: the preflight's refusal is a message in the red bar, nothing
                                 is written, the viewer keeps running and quits with 0
  export_full_size_cancel        patch synthesis at 720 x 480: the progress row shows the steps, Cancel
                                 stops it, nothing (not even a temporary) is left; quitting during a
                                 second export ends the viewer promptly

Helpers (pictures, sessions, the live window) come from e2e_viewer.py beside this file.
"""
import os
import subprocess
import time

import e2e_viewer as ev
from e2e_viewer import STYLE_COLORS, LiveViewer, fail, quadrant_picture, read_png, rect, wait_for


def gradient_picture(path, width, height):
    """Smooth colours that vary everywhere, so every pixel of the result says something."""
    ev.write_bmp(path, width, height,
                 lambda x, y: ((x * 255) // width, (y * 255) // height, ((x + y) * 97) % 256))


def exported_files(s):
    """Everything an export may leave in the session's folder: its files and hidden temporaries."""
    return sorted(n for n in os.listdir(s.dir) if "stylized_full_size" in n or ".tmp-" in n)


def click(live, wid, r):
    x, y, w, h = rect(r)
    live.xdo("xdotool mousemove --window %s %d %d" % (wid, x + w / 2, y + h / 2), "sleep 0.15", "xdotool click 1")


def export_full_size_matches_cli(s, cli):
    gradient_picture(s.path("content.bmp"), 300, 180)
    quadrant_picture(s.path("style.bmp"), 120, 160, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "reinhard", "--size", "128",
                          "--width", "1400", "--height", "1000", "--report", "report.txt"], screen="1920x1080x24")
    try:
        wid = live.window("export_full_size")
        wait_for(lambda: "Reinhard" in s.report().get("result_caption", ""), "Reinhard's result")
        if s.report().get("result_size") != "128 128":
            fail("the working size is %r, not 128 x 128" % s.report().get("result_size"))
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 900 500" % wid)
        live.xdo("xdotool key --clearmodifiers ctrl+e")
        wait_for(lambda: "Exported the full-size Colour transfer (Reinhard) result" in s.report().get("info", ""), "the export",
                 60)
        if s.report().get("result_size") != "128 128":
            fail("the preview left the working size: %r" % s.report().get("result_size"))
        info = s.report()["info"]
        live.quit()
    finally:
        live.stop()
    if exported_files(s) != ["stylized_full_size_0001.png"]:
        fail("the export left %s" % exported_files(s))
    subprocess.run([cli, "content.bmp", "style.bmp", "--method", "reinhard", "--size", "original", "-q", "-d", "cpu",
                    "-o", "cli.png"], cwd=s.dir, check=True)
    exported, expected = read_png(s.path("stylized_full_size_0001.png")), read_png(s.path("cli.png"))
    if exported[:2] != (300, 180):
        fail("the export is %d x %d, not the content's 300 x 180" % exported[:2])
    if exported != expected:
        fail("the full-size export differs from the CLI's --size original")
    print("Ctrl+E wrote the content's 300 x 180, equal to the CLI's output: " + info)


def export_full_size_refused(s, cli):
    gradient_picture(s.path("content.bmp"), 300, 180)
    quadrant_picture(s.path("style.bmp"), 120, 160, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "reinhard", "--size", "128",
                          "--memory", "64K", "--report", "report.txt"])
    try:
        wid = live.window("export_full_size")
        wait_for(lambda: "Reinhard" in s.report().get("result_caption", ""), "Reinhard's result")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 900 500" % wid)
        live.xdo("xdotool key --clearmodifiers ctrl+e")
        wait_for(lambda: "Cannot export full size (300 \u00d7 180)" in s.report().get("error", ""), "the refusal", 60)
        error = s.report()["error"]
        if "64 KiB" not in error and "memory" not in error:
            fail("the refusal does not speak of memory: %r" % error)
        if s.report().get("result_size") != "128 128":
            fail("the preview is gone after the refusal: %r" % s.report().get("result_size"))
        live.quit()
    finally:
        live.stop()
    if exported_files(s):
        fail("the refused export left %s" % exported_files(s))
    print("the refusal was shown: " + error)


def export_full_size_cancel(s, cli):
    gradient_picture(s.path("content.bmp"), 720, 480)
    quadrant_picture(s.path("style.bmp"), 200, 200, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "patch_synthesis", "--size", "64",
                          "--width", "1400", "--height", "1000", "--report", "report.txt"], screen="1920x1080x24")
    try:
        wid = live.window("export_full_size")
        wait_for(lambda: "Patch" in s.report().get("result_caption", ""), "the preview's result", 120)
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        # The row is at the end of the sidebar's sections: scrolled into view, then its button clicked.
        live.xdo("xdotool mousemove --window %s 100 400" % wid, "xdotool click --repeat 15 --delay 30 5")
        wait_for(lambda: (lambda v: v[0] >= v[1])(rect(s.report()["controls.scroll"])), "the sidebar to scroll down")
        click(live, wid, s.report()["export_full_size"])
        # The progress row: the steps of the run at 720 x 480, then Cancel.
        def progress():
            values = s.report().get("full_size", "").split()
            fields = dict(zip(values[0::2], values[1::2]))
            return fields if fields.get("running") == "1" and int(fields.get("step", "0")) >= 1 else None
        fields = wait_for(progress, "a step of the export", 120)
        if int(fields["total"]) <= 1:
            fail("the progress does not count steps: %r" % s.report().get("full_size"))
        if "export_full_size.cancel" not in s.report():
            fail("no Cancel button while the export runs")
        live.xdo("xdotool key F12")  # screenshot_0001.png: the progress row, for a person to look at
        click(live, wid, s.report()["export_full_size.cancel"])
        wait_for(lambda: "Full-size export cancelled" in s.report().get("info", ""), "the cancellation", 60)
        if exported_files(s):
            fail("the cancelled export left %s" % exported_files(s))
        if "export_full_size" not in s.report():
            fail("the Export button is not back after the cancellation")
        # Quitting while an export runs: the viewer ends soon, and leaves nothing.
        click(live, wid, s.report()["export_full_size"])
        wait_for(progress, "a step of the second export", 120)
        start = time.time()
        live.quit()
        took = time.time() - start
    finally:
        live.stop()
    if exported_files(s):
        fail("quitting during an export left %s" % exported_files(s))
    print("the export showed step %s/%s, Cancel left nothing, quitting during one took %.1f s" %
          (fields["step"], fields["total"], took))


if __name__ == "__main__":
    import sys
    sys.exit(ev.run_case(globals(), __doc__))
