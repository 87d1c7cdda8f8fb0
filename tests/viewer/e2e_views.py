#!/usr/bin/python3
"""End-to-end tests of the viewer's inspection views under Xvfb, driven with xdotool (issue 15).

Usage: e2e_views.py CASE VIEWER CLI
  views_from_the_keys   D: difference (black for a result equal to the content), C: channels,
                        hold B: the content on the result panel, G: histograms, W: the wipe;
                        F12 shows each

Helpers (pictures, sessions, the live window) come from e2e_viewer.py beside this file. Set
NT_E2E_KEEP=1 to keep the screenshots (the session folder is printed).
"""
import os
import sys

import e2e_viewer as ev
from e2e_viewer import CONTENT_COLORS, STYLE_COLORS, LiveViewer, close, fail, quadrant_picture, read_png, rect, wait_for

QUADRANTS = ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))


def held(keys, seconds=0.25):
    # ImGui 1.86 and the viewer read keys once per frame: hold them across frames.
    return "xdotool keydown %s; sleep %s; xdotool keyup %s" % (keys, seconds, keys)


def screenshot(live, s, number):
    live.xdo("xdotool key F12")
    name = "screenshot_%04d.png" % number
    wait_for(lambda: os.path.exists(s.path(name)), "F12 screenshot %d" % number)
    wait_for(lambda: os.path.getsize(s.path(name)) > 0, "screenshot %d written" % number)
    return read_png(s.path(name))[2]


def quadrants(shot, s, panel):
    x, y, w, h = rect(s.report()["image." + panel])
    return [shot[int(y + fy * h)][int(x + fx * w)] for fx, fy in QUADRANTS]


def views_from_the_keys(s, cli):
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    # Alpha 0: the result is the content, so its difference view is black.
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--alpha", "0", "--width", "1200",
                          "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("view.difference")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 600 20" % wid)
        plain = screenshot(live, s, 1)
        if not all(close(got, want, 2) for got, want in zip(quadrants(plain, s, "result"), CONTENT_COLORS)):
            fail("alpha 0: the result panel does not show the content: %s" % quadrants(plain, s, "result"))
        live.xdo(held("d"))
        wait_for(lambda: s.report().get("view", "").startswith("difference 1"), "D for the difference view")
        black = quadrants(screenshot(live, s, 2), s, "result")
        if any(max(p) > 1 for p in black):
            fail("difference of a result equal to the content is not black: %s" % black)
        live.xdo(held("d"))
        live.xdo(held("c"))  # R alone, as grey
        wait_for(lambda: " channel R " in s.report().get("view", ""), "C for the red channel")
        shot = screenshot(live, s, 3)
        for panel in ("content", "result"):
            for got, want in zip(quadrants(shot, s, panel), CONTENT_COLORS):
                if not close(got, (want[0],) * 3, 2):
                    fail("red channel view of the %s panel shows %s for %s" % (panel, got, want))
        for _ in range(4):  # G, B, luminance, back to RGB
            live.xdo(held("c"))
        wait_for(lambda: " channel RGB " in s.report().get("view", ""), "C back to RGB")
        live.xdo(held("g"))
        wait_for(lambda: "histograms 1" in s.report().get("view", ""), "G for the histograms")
        with_histograms = screenshot(live, s, 4)
        x, y, w, h = rect(s.report()["image.content"])
        # The histogram's dark backdrop over the blue quadrant, between the curves' spikes.
        corner = with_histograms[int(y + h - 20)][int(x + 108)]
        if not max(corner) < 120:
            fail("no histogram over the content panel's corner: %s" % (corner,))
        live.quit()
    finally:
        live.stop()
    flip_shows_the_content(ev.Session(s.viewer))


def flip_shows_the_content(s):
    """Hold B: the content in place of a result that differs from it; released: the result again."""
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--alpha", "0.8", "--width", "1200",
                          "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("view.difference")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 600 20" % wid)
        result = quadrants(screenshot(live, s, 1), s, "result")
        if all(close(got, want, 8) for got, want in zip(result, CONTENT_COLORS)):
            fail("alpha 0.8: the result should differ from the content: %s" % result)
        live.xdo("xdotool keydown b", "sleep 0.4", "xdotool key F12", "sleep 0.6", "xdotool keyup b")
        wait_for(lambda: os.path.exists(s.path("screenshot_0002.png")), "F12 while B is held")
        wait_for(lambda: os.path.getsize(s.path("screenshot_0002.png")) > 0, "the screenshot written")
        flipped = quadrants(read_png(s.path("screenshot_0002.png"))[2], s, "result")
        if not all(close(got, want, 2) for got, want in zip(flipped, CONTENT_COLORS)):
            fail("B held: the result panel shows %s, not the content %s" % (flipped, CONTENT_COLORS))
        wait_for(lambda: " flip 0 " in s.report().get("view", ""), "B released")
        again = quadrants(screenshot(live, s, 3), s, "result")
        if not all(close(a, b, 2) for a, b in zip(again, result)):
            fail("B released: the result panel shows %s, not the result %s" % (again, result))
        # W: the wipe, one draw split at the middle: the content just left of it, the result right.
        live.xdo(held("w"))
        shot = screenshot(live, s, 4)
        x, y, w, h = rect(s.report()["image.result"])
        row = shot[int(y + 0.75 * h)]
        mid = int(x + 0.5 * w)
        left, right = row[mid - 6], row[mid + 6]
        if not close(left, CONTENT_COLORS[2], 2) or not close(right, result[3], 2):
            fail("wipe: %s | %s, expected %s | %s" % (left, right, CONTENT_COLORS[2], result[3]))
        live.quit()
    finally:
        live.stop()
        s.cleanup()
    if os.environ.get("NT_E2E_KEEP"):
        print("screenshots in " + s.dir)
    print("D shows a black difference, C the red channel as grey, B flips, G draws histograms")


if __name__ == "__main__":
    sys.exit(ev.run_case(globals(), __doc__))
