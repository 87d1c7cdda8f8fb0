#!/usr/bin/python3
"""End-to-end tests of the viewer's input and quitting under Xvfb, driven with xdotool (issue 26).

Usage: e2e_input.py CASE VIEWER CLI [MODEL_MAKER]
  letters_beside_a_field_do_nothing  a click that misses a text field, then typing over the
                                     sidebar: M, X, C, G, H, D, W toggle nothing
  tab_moves_from_w_to_h              custom size: W, Tab, H, Enter applies both
  quick_backspaces_are_not_lost      five BackSpaces 12 ms apart delete five characters
  sigterm_quits_in_order             SIGTERM ends the viewer with exit code 0, its settings saved
  remembered_model_falls_back        (needs MODEL_MAKER) a remembered model this folder lacks is
                                     replaced by its first model, not an error
"""
import os
import sys
import time

import e2e_viewer as ev
from e2e_viewer import LiveViewer, fail, rect, wait_for
from e2e_workflow import click, held, pictures, type_into


def start(s, widget, extra=()):
    """The viewer on the test pictures in a live 1200 x 700 window, focused: (live, window id)."""
    pictures(s)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1200", "--height", "700",
                          "--report", "report.txt"] + list(extra))
    try:
        wid = live.window(widget)
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
    except BaseException:  # fail() exits: Xvfb and the viewer must not outlive the test
        live.stop()
        raise
    return live, wid


def letters_beside_a_field_do_nothing(s, cli):
    live, wid = start(s, "size.preset")
    try:
        before = {k: s.report().get(k) for k in ("view", "mask", "arrangement", "show_ui")}
        # The sidebar's empty strip right of the "Keep aspect" checkbox: no text field there.
        x, y, w, h = rect(s.report()["size.preset"])
        click(live, wid, "%f %f %f %f" % (x + w - 20, y + h + 4, 10, 10))
        live.xdo("xdotool type --delay 60 mxcgdwl")
        time.sleep(0.5)
        after = {k: s.report().get(k) for k in before}
        if after != before:
            fail("letters typed beside a text field acted: %s -> %s" % (before, after))
        # Over the canvas the letters act again.
        x, y, w, h = rect(s.report()["panel.result"])
        live.xdo("xdotool mousemove --window %s %d %d" % (wid, x + w / 2, y + h / 2), "sleep 0.2", "xdotool key l")
        wait_for(lambda: s.report().get("arrangement") != before["arrangement"], "L over the canvas")
        live.quit()
    finally:
        live.stop()
    print("letters beside a text field toggle nothing; over the canvas they act")


def tab_moves_from_w_to_h(s, cli):
    live, wid = start(s, "size.width", ["--size", "200x100"])
    try:
        type_into(live, wid, s.report()["size.width"], "160", held("Tab"))
        live.xdo(held("ctrl+a"), "xdotool type --delay 80 120", held("Return"))
        wait_for(lambda: s.report().get("result_size") == "160 120", "W, Tab, H, Enter to apply 160 x 120")
        if s.report().get("show_ui") != "1":
            fail("Tab in the W field hid the controls")
        live.quit()
    finally:
        live.stop()
    print("Tab moves from W to H and applies W; Enter applies H")


def quick_backspaces_are_not_lost(s, cli):
    live, wid = start(s, "path.content")
    try:
        path = s.path("style.bmp") + "XXXXX"
        type_into(live, wid, s.report()["path.content"], path, "sleep 0.3")
        # Each press and its release come together: between two frames, not across them.
        live.xdo("xdotool key --delay 12 BackSpace BackSpace BackSpace BackSpace BackSpace", "sleep 0.5",
                 held("Return"))
        wait_for(lambda: "Loaded style.bmp" in s.report().get("info", "") or s.report().get("error", ""),
                 "the typed path to load")
        if s.report().get("error"):
            fail("five quick BackSpaces did not delete five characters: %s" % s.report()["error"])
        live.quit()
    finally:
        live.stop()
    print("five BackSpaces 12 ms apart deleted five characters")


def sigterm_quits_in_order(s, cli):
    pictures(s)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--width", "1200", "--height", "700", "--report", "report.txt"])
    try:
        live.window("size.preset")
        start = time.time()
        live.xdo("kill -TERM $(cat viewer.pid)")
        open(s.path("done"), "w").close()
        live.driver.wait(timeout=30)
        rc = open(s.path("viewer.rc")).read().strip()
        if rc != "0":
            fail("SIGTERM: the viewer exited %s, not 0 after an orderly quit: %s" % (rc, open(s.path("viewer.err")).read()))
        conf = s.path(os.path.join("config", "neuraltransfer", "viewer.conf"))
        if not os.path.exists(conf):
            fail("SIGTERM: the settings were not saved (%s)" % conf)
        took = time.time() - start
    finally:
        live.stop()
    print("SIGTERM: an orderly quit in %.1f s, exit code 0, settings saved" % took)


def remembered_model_falls_back(s, cli):
    """A model remembered from another models folder: this folder's first model, not an error."""
    import subprocess
    from e2e_workflow import write_config
    subprocess.run([ev.MODEL_MAKER, s.path("models")], check=True)
    pictures(s)
    write_config(s, "version=1\nmethod=fast_style\nmodel.fast_style=udnie\n")
    proc = s.run(["content.bmp", "style.bmp", "--models", "models", "--size", "96x64", "--frames", "3",
                  "--report", "report.txt"], timeout=120)
    if proc.returncode != 0 or s.report().get("error"):
        fail("a remembered model this folder lacks: exit %d, error %r" % (proc.returncode, s.report().get("error")))
    if "results 1" not in s.report().get("neural", ""):
        fail("no result with the folder's first model: %s" % s.report().get("neural"))
    print("a remembered model this folder lacks falls back to its first model")


if __name__ == "__main__":
    sys.exit(ev.run_case(globals(), __doc__))
