#!/usr/bin/python3
"""End-to-end tests of the viewer's workflow under Xvfb, driven with xdotool (issue 14).

Usage: e2e_workflow.py CASE VIEWER CLI
  failed_method_leaves_no_result   a method that fails: the panel says so, its caption too, Ctrl+S says why
  settings_keep_good_lines         a bad settings line: the rest kept, a copy kept, a gone picture reported
  mask_undo_redo_and_restore       Ctrl+Z / Ctrl+Shift+Z on strokes; the painted mask is back after a restart
  layouts_cycle_and_hint           L cycles the panel layouts; Tab leaves a hint; 1280x720 fits or scrolls
  big_window_uses_its_space        1600x900: pictures two per row, wide path fields, the whole Method list
  custom_size_commits_and_refuses  W/H commit on Enter or focus change; 40000 is refused with a message
  big_colour_transfer_off_the_ui   Reinhard at 12 MP computes on the worker: the window answers keys meanwhile
  load_from_the_window             a typed path loads (decoded off the UI thread); a broken one is reported
  mask_loads_off_the_ui            a 96 MP mask decodes while the window answers keys
  file_dialog_chooses_and_remembers  "…" opens the desktop's chooser (a stand-in zenity); the export folder sticks
  save_as_refuses_an_input         Ctrl+Shift+S saves to the file the desktop's chooser names, never over an input;
                                   a name typed in "Save as" + Enter saves there
  startup_loads_off_the_ui         a 24 MP photo on the command line: the window is up and says "Loading" first;
                                   --frames still waits for it and --save-result equals the CLI's

Helpers (pictures, sessions, the live window) come from e2e_viewer.py beside this file.
"""
import os
import struct
import subprocess
import sys
import zlib

import e2e_viewer as ev
from e2e_viewer import CONTENT_COLORS, STYLE_COLORS, LiveViewer, fail, quadrant_picture, read_png, rect, wait_for


def pictures(s, content=(200, 160)):
    quadrant_picture(s.path("content.bmp"), content[0], content[1], CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)


def scroll_sidebar_to_end(live, wid, s):
    """Wheels the sidebar's sections down until they are scrolled to the end (controls.scroll is
    "scroll max": equal when at the end)."""
    live.xdo("xdotool mousemove --window %s 100 300" % wid, "xdotool click --repeat 12 --delay 30 5")
    wait_for(lambda: (lambda v: v[0] >= v[1])(rect(s.report()["controls.scroll"])), "the sidebar to scroll down")


def click(live, wid, r, fx=0.5, fy=0.5, button=1):
    x, y, w, h = rect(r)
    live.xdo("xdotool mousemove --window %s %d %d" % (wid, x + fx * w, y + fy * h), "sleep 0.15",
             "xdotool click %d" % button)


def failed_method_leaves_no_result(s, cli):
    """Blend's result, then fast style with no model: the result panel must not keep Blend's
    picture under the new caption, and Ctrl+S must save nothing and say why."""
    pictures(s)
    os.mkdir(s.path("no_models"))
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--models", "no_models", "--size", "128",
                          "--report", "report.txt"])
    try:
        wid = live.window("method")
        wait_for(lambda: s.report().get("result_caption", "").startswith("Blend"), "Blend's result")
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        click(live, wid, s.report()["method"])
        wait_for(lambda: "method.fast_style" in s.report(), "the method list to open")
        click(live, wid, s.report()["method.fast_style"])
        wait_for(lambda: "no model" in s.report().get("error", ""), "the missing model's error")
        report = s.report()
        if report.get("result_caption") != "no valid result":
            fail("the result panel's caption is %r after the method failed" % report.get("result_caption"))
        if not report.get("result_placeholder", "").startswith("No valid result: "):
            fail("the result panel does not say why it is empty: %r" % report.get("result_placeholder"))
        live.xdo("xdotool key --clearmodifiers ctrl+s")
        wait_for(lambda: "Cannot save: no valid result" in s.report().get("error", ""), "Ctrl+S to say why")
        if os.path.exists(s.path("stylized_output_0001.png")):
            fail("Ctrl+S saved a picture although the panel shows no valid result")
        # Back to Blend: a result again, saved under its own name.
        click(live, wid, s.report()["method"])
        wait_for(lambda: "method.blend" in s.report(), "the method list to open again")
        click(live, wid, s.report()["method.blend"])
        wait_for(lambda: s.report().get("result_caption", "").startswith("Blend"), "Blend's result again")
        live.xdo("xdotool key --clearmodifiers ctrl+s")
        wait_for(lambda: os.path.exists(s.path("stylized_output_0001.png")), "the saved Blend result")
        if "Saved the Blend result" not in s.report().get("info", ""):
            fail("the confirmation is not shown: info=%r error=%r" % (s.report().get("info"), s.report().get("error")))
        live.quit()
    finally:
        live.stop()
    print("a failed method leaves 'no valid result', Ctrl+S says why; Blend's result saves under its name")


def big_window_uses_its_space(s, cli):
    """Issue 26, item 13: at 1600x900 the three pictures (4:3) fill much of the window (two per row,
    not a thin row), the path fields show a path of some length, and the opened Method list holds
    every method without scrolling (Gatys was below its fold)."""
    pictures(s, content=(400, 300))
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1600", "--height", "900",
                          "--report", "report.txt"], screen="1920x1080x24")
    try:
        wid = live.window("method")
        wait_for(lambda: s.report().get("result_caption", "").startswith("Blend"), "Blend's result")
        report = s.report()
        win_w, win_h = (float(v) for v in report["framebuffer"].split())
        shown = 0.0
        for panel in ("content", "style", "result"):
            _, _, w, h = rect(report["image." + panel])
            shown += w * h
        if shown < 0.35 * win_w * win_h:
            fail("the pictures cover %.0f %% of the %dx%d window" % (100 * shown / (win_w * win_h), win_w, win_h))
        for field in ("path.content", "path.style"):
            if rect(report[field])[2] < 150:  # 188 at the first start; 88 before (about 10 characters)
                fail("%s is %s points wide" % (field, report[field]))
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        click(live, wid, report["method"])
        wait_for(lambda: "method.list" in s.report(), "the method list to open")
        report = s.report()
        lx, ly, lw, lh = rect(report["method.list"])
        methods = [k for k in report if k.startswith("method.") and k != "method.list"]
        if "method.gatys" not in methods:
            fail("no Gatys in the method list: %s" % methods)
        for name in methods:
            x, y, w, h = rect(report[name])
            if y < ly or y + h > ly + lh:
                fail("%s at %s lies outside the open list %s: it needs scrolling" %
                     (name, report[name], report["method.list"]))
        live.xdo("xdotool key Escape")
        live.quit()
    finally:
        live.stop()
    print("1600x900: the pictures cover %.0f %% of the window, %d methods in the open list" %
          (100 * shown / (win_w * win_h), len(methods)))


def write_config(s, text):
    folder = s.path(os.path.join("config", "neuraltransfer"))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "viewer.conf"), "w") as f:
        f.write(text)
    return os.path.join(folder, "viewer.conf")


def settings_keep_good_lines(s, cli):
    """One bad line among good ones and a last content picture that is gone: only the line is
    skipped, the file is kept before it is rewritten, and the window says both."""
    pictures(s)
    gone = s.path("deleted_photo.jpg")
    original = ("version=1\ncontent=%s\nstyle=%s\nbrush_hardness=7\nparam.blend.alpha=0.75\n"
                "recent=/some/where/first.jpg\nrecent=/some/where/second.jpg\n" % (gone, s.path("style.bmp")))
    conf = write_config(s, original)
    layout = os.path.join(os.path.dirname(conf), "imgui.ini")
    big_layout = "[Window][Controls]\nSize=300,720\n" + "; padding\n" * 160000  # over the 1 MiB it reads
    with open(layout, "w") as f:
        f.write(big_layout)
    proc = s.run(["--frames", "3", "--report", "report.txt"], timeout=150)  # 1 s alone; starved under a loaded ctest
    if proc.returncode != 0:
        fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
    error = s.report().get("error", "")
    for words in ("line 4", "brush_hardness", "deleted_photo.jpg", "viewer.conf.bad"):
        if words not in error:
            fail("the window's message lacks %r: %r" % (words, error))
    # A message this long wraps before Dismiss: the bar is taller than one line (33 points).
    bar = rect(s.report()["message_bar"])
    if bar[3] < 45:
        fail("the long message did not wrap: bar %s for %d characters" % (bar, len(error)))
    if not os.path.exists(conf + ".bad") or open(conf + ".bad").read() != original:
        fail("the damaged settings file was not kept as it was")
    if not os.path.exists(layout + ".bad") or open(layout + ".bad").read() != big_layout:
        fail("the unreadable layout was not kept before it was rewritten")
    rewritten = open(conf).read()
    for line in ("recent=/some/where/first.jpg", "recent=/some/where/second.jpg", "param.blend.alpha=0.75"):
        if line not in rewritten:
            fail("the rewritten settings lost %r:\n%s" % (line, rewritten))
    print("bad settings line skipped and reported, the file kept as viewer.conf.bad, a gone picture reported")


def paint_stroke(live, wid, s, fy):
    x, y, w, h = rect(s.report()["image.content"])
    at = lambda fx: "%d %d" % (x + fx * w, y + fy * h)
    live.xdo("xdotool mousemove --window %s %s" % (wid, at(0.2)), "sleep 0.2", "xdotool mousedown 1", "sleep 0.2",
             "xdotool mousemove --window %s %s" % (wid, at(0.8)), "sleep 0.3", "xdotool mouseup 1")


def save_and_read(live, s, number):
    name = "stylized_output_%04d.png" % number
    live.xdo("xdotool key --clearmodifiers ctrl+s")
    wait_for(lambda: os.path.exists(s.path(name)), "Ctrl+S (%s)" % name)
    return read_png(s.path(name))[2]


def mask_undo_redo_and_restore(s, cli):
    """Two strokes, Ctrl+Z takes the second back, Ctrl+Shift+Z redoes it; after Ctrl+Q and a new
    start on the same content the painted mask is back (kept beside the settings)."""
    pictures(s)
    common = ["content.bmp", "style.bmp", "--size", "128", "--alpha", "0.8"]
    live = LiveViewer(s, common + ["--width", "1200", "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("image.content")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 5 5" % wid,
                 "xdotool key m")
        wait_for(lambda: " paint=1" in s.report().get("mask", ""), "M to turn the brush on")
        paint_stroke(live, wid, s, 0.25)
        one = save_and_read(live, s, 1)
        paint_stroke(live, wid, s, 0.75)
        two = save_and_read(live, s, 2)
        if one == two:
            fail("the second stroke changed nothing")
        live.xdo("xdotool key --clearmodifiers ctrl+z")
        if save_and_read(live, s, 3) != one:
            fail("Ctrl+Z did not take the second stroke back")
        live.xdo("xdotool key --clearmodifiers ctrl+shift+z")
        if save_and_read(live, s, 4) != two:
            fail("Ctrl+Shift+Z did not redo the second stroke")
        live.quit()
    finally:
        live.stop()
    if not os.path.exists(s.path(os.path.join("config", "neuraltransfer", "mask.png"))):
        fail("the painted mask was not kept beside the settings")
    proc = s.run(common + ["--frames", "3", "--save-result", "again.png", "--report", "report.txt"], timeout=150)
    if proc.returncode != 0:
        fail("restart exited %d: %s" % (proc.returncode, proc.stderr))
    if not s.report().get("mask", "").startswith("1 "):
        fail("the mask is not on after the restart: %s" % s.report().get("mask"))
    # The kept mask is 8-bit grey: the antialiased rim may round by a level.
    again = read_png(s.path("again.png"))[2]
    worst = max(abs(a - b) for ra, rb in zip(again, two) for pa, pb in zip(ra, rb) for a, b in zip(pa, pb))
    if worst > 2:
        fail("the result after the restart differs from the painted one by %d levels" % worst)
    print("Ctrl+Z / Ctrl+Shift+Z undo and redo whole strokes; the mask is back after a restart (max diff %d)" % worst)


def layouts_cycle_and_hint(s, cli):
    """L cycles three panels -> result only -> content | result -> three; Tab hides the controls
    and leaves a hint; at 1280x720 with AdaIN's and the mask's rows Reset stays visible."""
    pictures(s)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1280", "--height", "720",
                          "--method", "adain", "--mask", "style.bmp", "--report", "report.txt"])
    try:
        wid = live.window("reset")
        report = s.report()
        _, win_h = (float(v) for v in report["framebuffer"].split())
        for name in ("reset", "shortcuts"):
            x, y, w, h = rect(report[name])
            if y + h > win_h - 20 or h <= 0:
                fail("%s is not visible at 1280x720: %s" % (name, report[name]))
        three = rect(report["panel.result"])
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 700 300" % wid,
                 "xdotool key l")
        wait_for(lambda: s.report().get("arrangement") == "result only", "L to show the result only")
        big = rect(s.report()["panel.result"])
        # Compared by area: three panels may stand two per row, so the widths alone say less.
        if not big[2] * big[3] > 3 * three[2] * three[3] or rect(s.report()["panel.content"])[2] != 0:
            fail("result only: %s (three panels: %s), content %s" % (big, three, s.report()["panel.content"]))
        live.xdo("xdotool key l")
        wait_for(lambda: s.report().get("arrangement") == "content | result", "L to show content | result")
        if rect(s.report()["panel.style"])[2] != 0 or rect(s.report()["panel.content"])[2] <= three[2]:
            fail("content | result: %s / %s" % (s.report()["panel.content"], s.report()["panel.style"]))
        live.xdo("xdotool key l")
        wait_for(lambda: s.report().get("arrangement") == "content, style and result", "L back to three panels")
        live.xdo("xdotool key Tab")
        wait_for(lambda: s.report().get("show_ui") == "0", "Tab to hide the controls")
        if "hidden_ui_hint" not in s.report():
            fail("no hint of how to bring the controls back")
        live.xdo("xdotool key Tab")
        wait_for(lambda: s.report().get("show_ui") == "1", "Tab to bring them back")
        live.quit()
    finally:
        live.stop()
    print("L cycles the three layouts, Tab leaves a hint, Reset and Shortcuts visible at 1280x720")


# Dear ImGui 1.86 reads keys as held or not once per frame: a press and release within one frame
# (a loaded machine) would be lost, so keys for text fields are held across frames.
def held(keys):
    return "xdotool keydown %s; sleep 0.25; xdotool keyup %s" % (keys, keys)


def type_into(live, wid, r, text, commit):
    click(live, wid, r)
    live.xdo(held("ctrl+a"), "xdotool type --delay 80 %s" % text, commit)


def custom_size_commits_and_refuses(s, cli):
    """A custom W x H: typing does not apply per keystroke, Enter or a click elsewhere does, and a
    width beyond the limits is refused with a message (the working size stays)."""
    pictures(s)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--size", "200x100", "--width", "1200",
                          "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("size.width")
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        type_into(live, wid, s.report()["size.width"], "40000", held("Return"))
        wait_for(lambda: "refused" in s.report().get("error", ""), "40000 to be refused")
        if "40000" not in s.report()["error"] or s.report().get("result_size") != "200 100":
            fail("after 40000: error %r, result %s" % (s.report()["error"], s.report().get("result_size")))
        # Typed but not committed: the size stays until the field loses focus.
        click(live, wid, s.report()["size.width"])
        live.xdo(held("ctrl+a"), "xdotool type --delay 80 160")
        if s.report().get("result_size") != "200 100":
            fail("the width applied while typing: %s" % s.report().get("result_size"))
        click(live, wid, s.report()["panel.result"])  # focus elsewhere commits it
        wait_for(lambda: s.report().get("result_size") == "160 100", "a click elsewhere to apply 160")
        type_into(live, wid, s.report()["size.height"], "120", held("Return"))
        wait_for(lambda: s.report().get("result_size") == "160 120", "Enter to apply the height")
        live.quit()
    finally:
        live.stop()
    print("custom W/H commit on Enter or focus change; 40000 refused with a message")


def big_colour_transfer_off_the_ui(s, cli):
    """Reinhard at a 4000x3000 working size: the result panel says it is computing, the window
    keeps answering (Tab hides the controls before the result is in), and the result arrives."""
    pictures(s)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "reinhard", "--size", "4000x3000",
                          "--width", "1200", "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("slider.strength")
        wait_for(lambda: "pending 1" in s.report().get("neural", ""), "Reinhard to compute on the worker", 30)
        if not s.report().get("result_placeholder", "").startswith("Computing Colour transfer (Reinhard)"):
            fail("the result panel does not say it is computing: %r" % s.report().get("result_placeholder"))
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool key Tab")
        wait_for(lambda: s.report().get("show_ui") == "0", "Tab while Reinhard computes", 3)
        wait_for(lambda: s.report().get("result_size") == "4000 3000", "Reinhard's result", 90)
        live.quit()
    finally:
        live.stop()
    print("Reinhard at 12 MP on the worker: the window answered while it computed")


def load_from_the_window(s, cli):
    """Typing a path into the content field and pressing Enter loads it (decoded on the loader's
    thread); a broken file is reported with its name and the picture shown stays."""
    pictures(s)
    quadrant_picture(s.path("other.bmp"), 90, 60, STYLE_COLORS)
    with open(s.path("broken.jpg"), "w") as f:
        f.write("not a JPEG\n")
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1200", "--height", "700",
                          "--report", "report.txt"])
    try:
        wid = live.window("path.content")
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        type_into(live, wid, s.report()["path.content"], s.path("broken.jpg"), held("Return"))
        wait_for(lambda: "broken.jpg" in s.report().get("error", ""), "the broken file's error")
        if s.report().get("result_size") != "512 410":
            fail("the shown picture changed after a failed load: %s" % s.report().get("result_size"))
        type_into(live, wid, s.report()["path.content"], s.path("other.bmp"), held("Return"))
        wait_for(lambda: s.report().get("result_size") == "512 341", "other.bmp to be loaded")
        if s.report().get("error"):
            fail("the error stayed after a good load: %r" % s.report().get("error"))
        # The field shows the end of the long path while idle; clicking it and pressing Enter
        # must load the whole path again, not the shortened text.
        click(live, wid, s.report()["path.content"])
        live.xdo(held("Return"), "sleep 1")
        if s.report().get("error") or "Loaded other.bmp" not in s.report().get("info", ""):
            fail("Enter in the idle-shortened field: error %r, info %r" % (s.report().get("error"),
                                                                          s.report().get("info")))
        live.quit()
    finally:
        live.stop()
    print("a typed path loads from the window; a broken one is reported and the picture stays")


def file_dialog_chooses_and_remembers(s, cli):
    """The "…" buttons run the desktop's chooser (here a stand-in zenity on $PATH that answers
    with a path): the content it names is loaded, the export folder it names receives Ctrl+S, and
    that folder is remembered in the settings."""
    pictures(s)
    quadrant_picture(s.path("other.bmp"), 90, 60, STYLE_COLORS)
    os.mkdir(s.path("bin"))
    os.mkdir(s.path("exports"))
    chooser = s.path(os.path.join("bin", "zenity"))
    with open(chooser, "w") as f:
        f.write('#!/bin/sh\necho "$@" >> %s\nsleep 0.3\ncase "$*" in *--directory*) echo %s;; *) echo %s;; esac\n'
                % (s.path("chooser_args.txt"), s.path("exports"), s.path("other.bmp")))
    os.chmod(chooser, 0o755)
    s.env["PATH"] = s.path("bin") + os.pathsep + s.env.get("PATH", "")
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--width", "1200", "--height", "700", "--report", "report.txt"])
    try:
        wid = live.window("browse.content")
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        click(live, wid, s.report()["browse.content"])
        wait_for(lambda: s.report().get("result_size") == "512 341", "the chosen content to be loaded")
        # At 1200x700 the sidebar's sections scroll: bring the export row into view first.
        scroll_sidebar_to_end(live, wid, s)
        click(live, wid, s.report()["browse.export"])
        wait_for(lambda: "Exports go to" in s.report().get("info", ""), "the chosen export folder")
        live.xdo("xdotool mousemove --window %s 700 600" % wid, "xdotool key --clearmodifiers ctrl+s")
        wait_for(lambda: os.path.exists(s.path(os.path.join("exports", "stylized_output_0001.png"))),
                 "Ctrl+S into the export folder")
        live.quit()
    finally:
        live.stop()
    args = open(s.path("chooser_args.txt")).read()
    if "--file-selection" not in args or "--directory" not in args:
        fail("the chooser was not asked for a file and a folder: %r" % args)
    conf = open(s.path(os.path.join("config", "neuraltransfer", "viewer.conf"))).read()
    if "export_dir=" + s.path("exports") not in conf:
        fail("the export folder is not remembered:\n" + conf)
    print("the desktop's chooser picked the content and the export folder; the folder is remembered")


def save_as_refuses_an_input(s, cli):
    """Save As through a stand-in zenity that answers with the name in answer.txt: the content
    picture is refused (and stays as it was), another name receives the CLI's result; a name
    typed into "Save as" with Enter is saved too (the route without a dialog)."""
    pictures(s)
    os.mkdir(s.path("bin"))
    os.mkdir(s.path("out"))
    chooser = s.path(os.path.join("bin", "zenity"))
    with open(chooser, "w") as f:
        f.write('#!/bin/sh\necho "$@" >> %s\ncat %s\n' % (s.path("chooser_args.txt"), s.path("answer.txt")))
    os.chmod(chooser, 0o755)
    s.env["PATH"] = s.path("bin") + os.pathsep + s.env.get("PATH", "")
    answer = lambda path: open(s.path("answer.txt"), "w").write(path + "\n")
    content_bytes = open(s.path("content.bmp"), "rb").read()
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--size", "128", "--width", "1200",
                          "--height", "800", "--report", "report.txt"])
    try:
        wid = live.window("browse.save_as")
        wait_for(lambda: s.report().get("result_caption", "").startswith("Blend"), "Blend's result")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 700 500" % wid)
        answer(s.path("content.bmp"))
        live.xdo("xdotool key --clearmodifiers ctrl+shift+s")
        wait_for(lambda: "Cannot save over the content picture" in s.report().get("error", ""), "the refusal")
        if open(s.path("content.bmp"), "rb").read() != content_bytes:
            fail("Save As replaced the content picture")
        answer(s.path(os.path.join("out", "chosen.bmp")))
        click(live, wid, s.report()["browse.save_as"])
        wait_for(lambda: os.path.exists(s.path(os.path.join("out", "chosen.bmp"))), "the chosen file")
        if "Saved the Blend result" not in s.report().get("info", ""):
            fail("no confirmation: info=%r error=%r" % (s.report().get("info"), s.report().get("error")))
        type_into(live, wid, s.report()["path.save_as"], s.path("typed"), held("Return"))
        wait_for(lambda: os.path.exists(s.path("typed.png")), "the typed name (+ .png)")
        live.quit()
    finally:
        live.stop()
    if "--save" not in open(s.path("chooser_args.txt")).read():
        fail("the chooser was not asked for a name to save to")
    subprocess.run([cli, "content.bmp", "style.bmp", "--size", "128", "-q", "-d", "cpu", "-o", "cli.bmp"], cwd=s.dir,
                   check=True)
    if ev.read_bmp(s.path(os.path.join("out", "chosen.bmp"))) != ev.read_bmp(s.path("cli.bmp")):
        fail("the saved result differs from the CLI's")
    print("Save As wrote the chosen and the typed file, and refused to write over the content picture")


def big_png(path, width, height):
    """An RGB PNG that takes its decoder a while (every row Paeth-filtered) but is quick to write:
    the filtered rows repeat, so they compress to little."""
    row = b"\x04" + bytes((x * 7 + 3) % 5 for x in range(width * 3))
    data = zlib.compress(row * height, 6)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", data) + chunk(b"IEND", b""))


def startup_loads_off_the_ui(s, cli):
    """A 6000x4000 photo named on the command line decodes on the loader's thread: the window
    draws at once and says what it is loading (before, the first frame waited for the decode),
    then shows it; an automated run (--frames) still waits for it and saves the CLI's result."""
    big_png(s.path("big.png"), 6000, 4000)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    live = LiveViewer(s, ["big.png", "style.bmp", "--no-settings", "--size", "256", "--width", "1200", "--height", "700",
                          "--report", "report.txt"])
    try:
        seen = wait_for(lambda: s.report() if "framebuffer" in s.report() else None, "the first frame", 30)
        if not seen.get("info", "").startswith("Loading big.png and style.bmp"):
            fail("the first frame does not say it is loading: info=%r result_size=%r" %
                 (seen.get("info"), seen.get("result_size")))
        if seen.get("result_size") != "0 0":
            fail("the first frame already had the result: %r" % seen.get("result_size"))
        wait_for(lambda: s.report().get("result_size") == "256 256", "the big photo's result", 90)
        if s.report().get("error"):
            fail("an error after the startup load: %r" % s.report().get("error"))
        live.quit()
    finally:
        live.stop()
    proc = s.run(["big.png", "style.bmp", "--no-settings", "--size", "256", "--frames", "1", "--save-result",
                  "result.bmp"], timeout=150)
    if proc.returncode != 0:
        fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
    subprocess.run([cli, "big.png", "style.bmp", "--size", "256", "-q", "-d", "cpu", "-o", "cli.bmp"], cwd=s.dir,
                   check=True)
    if ev.read_bmp(s.path("result.bmp")) != ev.read_bmp(s.path("cli.bmp")):
        fail("--frames 1 --save-result differs from the CLI's output")
    missing = s.run(["gone.png", "style.bmp", "--no-settings", "--frames", "1"], timeout=60)
    if missing.returncode != 1 or "gone.png" not in missing.stderr:
        fail("a missing --content: exit %d, stderr %r" % (missing.returncode, missing.stderr))
    print("the window drew while the 24 MP photo decoded; --frames waited for it and saved the CLI's result")


def mask_loads_off_the_ui(s, cli):
    """A 96 MP mask typed into the mask field decodes on the loader's thread: the window answers
    a key (L) while it decodes and says what it loads; then the mask is on. Before, the frame that
    read it waited for the whole decode."""
    pictures(s)
    big_png(s.path("big_mask.png"), 12000, 8000)  # 96 MP: over a second to decode here
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1200", "--height", "700",
                          "--report", "report.txt"])
    try:
        wid = live.window("mask.load")
        wait_for(lambda: s.report().get("result_caption", "").startswith("Blend"), "Blend's result")
        live.xdo("xdotool windowfocus --sync %s || true" % wid)
        x, y, w, h = rect(s.report()["mask.load"])
        field = "%f %f 40 %f" % (x - 60, y, h)  # the path field left of Load
        # Enter, then L at once: L must take effect while the mask still decodes.
        # Enter, then L, and the report as it is then (the frame that took L wrote it). The pointer
        # goes to the canvas first: a letter acts on the pictures only while the canvas has the
        # keyboard (not after a click in the sidebar with the pointer still there).
        cx, cy, cw, ch = rect(s.report()["panel.result"])
        type_into(live, wid, field, s.path("big_mask.png"),
                  held("Return") + "; xdotool mousemove --window %s %d %d; sleep 0.1; " % (wid, cx + cw / 2, cy + ch / 2)
                  + "xdotool keydown l; sleep 0.2; cp report.txt at_l.txt; xdotool keyup l")
        report = s.report("at_l.txt")
        if report.get("arrangement") != "result only":
            fail("L did not change the layout: %r" % report.get("arrangement"))
        if not report.get("mask", "").startswith("0 "):
            fail("L took effect only after the mask was read (the window waited for it): mask %r" % report.get("mask"))
        if not report.get("info", "").startswith("Loading big_mask.png"):
            fail("it does not say what it loads: %r" % report.get("info"))
        wait_for(lambda: s.report().get("mask", "").startswith("1 "), "the mask to be on", 60)
        live.quit()
    finally:
        live.stop()
    print("a 96 MP mask decoded while the window answered L; then it was on")


if __name__ == "__main__":
    sys.exit(ev.run_case(globals(), __doc__))
