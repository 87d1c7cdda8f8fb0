#!/usr/bin/python3
"""End-to-end tests of neuraltransfer-viewer in a real window under Xvfb with Mesa.

Usage: e2e_viewer.py CASE VIEWER CLI [MODEL_MAKER]
  screenshot_matches_core      panels in a --screenshot show the core's own pictures
  style_keeps_its_aspect       a wide style's panel keeps its aspect (Reinhard), stretched for the blend
  interactive_slider_and_keys  drag the slider and press keys with xdotool in the live window
  bad_image_keeps_running      a bad picture is reported in the window; exit code 1, no crash
  paint_mask_with_the_mouse    M, then left drag paints and right drag erases the mask on the content panel
  mask_file_matches_cli        --mask/--feather/--preserve-colors --save-result equals the CLI; bad mask: error
  neural_model_matches_cli     fast_style/adain (random models from MODEL_MAKER) --save-result equals the CLI
  neural_preview_while_dragging  AdaIN: a preview while the alpha slider is held, full resolution on release

Exit code 77, which ctest counts as a failure, when xvfb-run (or xdotool for the interactive case) is missing.
Only the standard library is used: test pictures are written and read as BMP, saved PNGs are
decoded with zlib.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77  # a missing tool: ctest counts it as a failure (no SKIP_RETURN_CODE)


# ---------------------------------------------------------------- pictures
def write_bmp(path, width, height, pixel):
    """24-bit BMP; pixel(x, y) -> (r, g, b), y = 0 at the top."""
    row_pad = (4 - width * 3 % 4) % 4
    rows = []
    for y in reversed(range(height)):
        row = bytearray()
        for x in range(width):
            r, g, b = pixel(x, y)
            row += bytes((b, g, r))
        rows.append(bytes(row) + b"\0" * row_pad)
    data = b"".join(rows)
    header = struct.pack("<2sIHHI", b"BM", 54 + len(data), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(data), 2835, 2835, 0, 0)
    with open(path, "wb") as f:
        f.write(header + info + data)


def read_bmp(path):
    """-> (width, height, rows) with rows[y][x] = (r, g, b), y = 0 at the top (24/32-bit BMP)."""
    with open(path, "rb") as f:
        data = f.read()
    offset = struct.unpack_from("<I", data, 10)[0]
    width, height = struct.unpack_from("<ii", data, 18)
    bpp = struct.unpack_from("<H", data, 28)[0] // 8
    stride = (width * bpp + 3) // 4 * 4
    top_down = height < 0
    height = abs(height)
    rows = []
    for y in range(height):
        src = y if top_down else height - 1 - y
        base = offset + src * stride
        rows.append([(data[base + x * bpp + 2], data[base + x * bpp + 1], data[base + x * bpp]) for x in range(width)])
    return width, height, rows


def read_png(path):
    """Minimal decoder for the 8-bit RGB/RGBA non-interlaced PNGs the viewer writes."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack_from(">IIBB", chunk)
            assert depth == 8 and color in (2, 6), (depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ftype == 1: line[i] = (line[i] + a) & 255
            elif ftype == 2: line[i] = (line[i] + b) & 255
            elif ftype == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        prev = line
    return width, height, rows


# Quadrant pictures: flat colours, so sampling a quadrant's middle is immune to filtering.
CONTENT_COLORS = [(220, 40, 40), (40, 200, 60), (30, 60, 210), (230, 220, 50)]
STYLE_COLORS = [(250, 250, 250), (10, 10, 10), (120, 0, 160), (0, 170, 170)]


def quadrant_picture(path, width, height, colors):
    write_bmp(path, width, height, lambda x, y: colors[(2 if y >= height // 2 else 0) + (1 if x >= width // 2 else 0)])


def close(a, b, tolerance):
    return all(abs(int(p) - int(q)) <= tolerance for p, q in zip(a, b))


# ---------------------------------------------------------------- running the viewer
def xvfb_run(directory, screen):
    """xvfb-run with an X server of its own. Two of its habits made a passing run fail (CI saw exit 5,
    "problem while cleaning up temporary directory", after the viewer had exited 1 as asked): its
    own temporary folder, removed at exit, and the SIGUSR1 that Xvfb sends it again at each server
    reset (every time the last client leaves) while its shell is in that cleanup. So the
    authority file lives in the test's folder (-f: xvfb-run then makes and removes no folder)
    and the server never resets (-noreset)."""
    fd, auth = tempfile.mkstemp(prefix="Xauthority.", dir=directory)
    os.close(fd)
    return ["xvfb-run", "-a", "-f", auth, "-s", "-screen 0 %s -nolisten tcp -noreset" % screen]


class Session:
    def __init__(self, viewer):
        self.viewer = os.path.abspath(viewer)
        self.dir = tempfile.mkdtemp(prefix="nt_viewer_e2e_")
        self.env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "config"), LIBGL_ALWAYS_SOFTWARE="1",
                        MESA_GL_VERSION_OVERRIDE="3.3")

    def path(self, name):
        return os.path.join(self.dir, name)

    def command(self, args, screen="1280x800x24"):
        return xvfb_run(self.dir, screen) + [self.viewer] + args

    def run(self, args, timeout=40):
        return subprocess.run(self.command(args), cwd=self.dir, env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def report(self, name="report.txt"):
        values = {}
        try:
            with open(self.path(name)) as f:
                for line in f:
                    key, _, value = line.rstrip("\n").partition("=")
                    values[key] = value
        except FileNotFoundError:
            pass
        return values

    def cleanup(self):
        if os.environ.get("NT_E2E_KEEP"):  # for debugging a failure
            print("kept " + self.dir)
            return
        shutil.rmtree(self.dir, ignore_errors=True)


def rect(text):
    x, y, w, h = (float(v) for v in text.split())
    return x, y, w, h


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


# ---------------------------------------------------------------- cases
def screenshot_matches_core(s, cli):
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    proc = s.run(["content.bmp", "style.bmp", "--alpha", "0.3", "--size", "256", "--no-settings", "--frames", "4",
                  "--width", "1200", "--height", "700", "--screenshot", "shot.bmp", "--save-result", "result.bmp",
                  "--report", "report.txt"])
    if proc.returncode != 0:
        fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
    subprocess.run([cli, "content.bmp", "style.bmp", "--alpha", "0.3", "--size", "256", "-q", "-d", "cpu",
                    "-o", "cli.bmp"], cwd=s.dir, check=True)
    # --save-result is exactly the core's result.
    rw, rh, result = read_bmp(s.path("result.bmp"))
    cw, ch, core = read_bmp(s.path("cli.bmp"))
    if (rw, rh) != (256, 256) or result != core:
        fail("--save-result differs from the CLI's output")
    # Each panel's picture on screen: sample the middle of every quadrant.
    report = s.report()
    _, _, shot = read_bmp(s.path("shot.bmp"))
    for panel, expected in (("content", CONTENT_COLORS), ("style", STYLE_COLORS), ("result", None)):
        x, y, w, h = rect(report["image." + panel])
        if w < 100 or h < 100:
            fail("%s panel too small: %s" % (panel, report["image." + panel]))
        for q, (fx, fy) in enumerate(((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))):
            got = shot[int(y + fy * h)][int(x + fx * w)]
            want = expected[q] if expected else core[int(fy * 256)][int(fx * 256)]
            if not close(got, want, 2):
                fail("%s panel quadrant %d shows %s, expected %s" % (panel, q, got, want))
    print("panels match the core's pictures; --save-result equals the CLI output")


def style_keeps_its_aspect(s, cli):
    """A wide style beside a tall content: its panel shows it with its own aspect for Reinhard
    (the result equals the CLI's), stretched over the content's frame for the blend (issue 26)."""
    quadrant_picture(s.path("content.bmp"), 120, 200, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 240, 80, STYLE_COLORS)
    for method in ("reinhard", "blend"):
        proc = s.run(["content.bmp", "style.bmp", "--method", method, "--size", "original", "--no-settings",
                      "--frames", "4", "--width", "1200", "--height", "700", "--screenshot", method + ".bmp",
                      "--save-result", method + "_result.bmp", "--report", method + ".txt"])
        if proc.returncode != 0:
            fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
        subprocess.run([cli, "content.bmp", "style.bmp", "--method", method, "--size", "original", "-q", "-d", "cpu",
                        "-o", method + "_cli.bmp"], cwd=s.dir, check=True)
        if read_bmp(s.path(method + "_result.bmp")) != read_bmp(s.path(method + "_cli.bmp")):
            fail("%s: --save-result differs from the CLI's output" % method)
        report = s.report(method + ".txt")
        x, y, w, h = rect(report["image.style"])
        cx, cy, cw, ch = rect(report["image.content"])
        want = 3.0 if method == "reinhard" else 120 / 200
        if abs(w / h - want) > 0.03:
            fail("%s: the style panel's picture is %.0f x %.0f, aspect %.2f, expected %.2f" % (method, w, h, w / h, want))
        if method == "blend" and (abs(w - cw) > 1 or abs(h - ch) > 1):
            fail("blend: the stretched style does not cover the content's frame: %s vs %s" % (
                report["image.style"], report["image.content"]))
        _, _, shot = read_bmp(s.path(method + ".bmp"))
        for q, (fx, fy) in enumerate(((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))):
            got = shot[int(y + fy * h)][int(x + fx * w)]
            if not close(got, STYLE_COLORS[q], 2):
                fail("%s: style quadrant %d shows %s, expected %s" % (method, q, got, STYLE_COLORS[q]))
    print("the style keeps its aspect for Reinhard and is stretched for the blend; results equal the CLI's")


def wait_for(predicate, what, timeout=15.0):
    end = time.time() + timeout
    while time.time() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    fail("timed out waiting for " + what)


class LiveViewer:
    """The viewer in a live window with xdotool driving it, both inside one xvfb-run (xdotool must
    talk to the viewer's X server). The test writes shell commands to a file; the script runs them."""

    def __init__(self, s, args, screen="1280x800x24"):
        if not shutil.which("xdotool"):
            print("FAIL: xdotool not installed (scripts/install_deps.sh test installs it)")
            sys.exit(SKIP)
        self.s = s
        script = s.path("drive.sh")
        with open(script, "w") as f:
            f.write("""set -e
"$VIEWER" %s 2>viewer.err &
echo $! > viewer.pid
WID=$(timeout 15 xdotool search --sync --name "neuraltransfer viewer" | head -1)
echo "$WID" > window.id
# The test (python) drives the rest through files: it writes commands, we run them.
while [ ! -e done ]; do
  if [ -e cmd ]; then sh cmd > cmd.out 2>&1 || true; rm -f cmd; touch cmd.done; fi
  sleep 0.05
done
wait $(cat viewer.pid); echo $? > viewer.rc
""" % " ".join(args))
        env = dict(s.env, VIEWER=s.viewer)
        # Its own process group, so a failure can stop Xvfb, the script and the viewer together.
        self.driver = subprocess.Popen(xvfb_run(s.dir, screen) + ["sh", script],
                                       cwd=s.dir, env=env, start_new_session=True)

    def xdo(self, *commands):
        s = self.s
        if os.path.exists(s.path("cmd.done")):
            os.remove(s.path("cmd.done"))
        with open(s.path("cmd.tmp"), "w") as f:
            f.write("\n".join(commands) + "\n")
        os.rename(s.path("cmd.tmp"), s.path("cmd"))
        wait_for(lambda: os.path.exists(s.path("cmd.done")), "xdotool: " + "; ".join(commands))
        time.sleep(0.3)  # let the viewer draw the frames that follow

    def window(self, widget):
        wait_for(lambda: widget in self.s.report() and os.path.exists(self.s.path("window.id")), "the window")
        return open(self.s.path("window.id")).read().strip()

    def quit(self):
        """Ctrl+Q, then the viewer's exit code must be 0."""
        s = self.s
        self.xdo("xdotool key --clearmodifiers ctrl+q")
        open(s.path("done"), "w").close()
        self.driver.wait(timeout=20)
        rc = open(s.path("viewer.rc")).read().strip()
        if rc != "0":
            fail("viewer exited %s: %s" % (rc, open(s.path("viewer.err")).read()))

    def stop(self):
        open(self.s.path("done"), "w").close()
        try:
            self.driver.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.driver.pid, 9)  # whatever is left of this test's group: Xvfb, script, viewer
        except ProcessLookupError:
            pass


def interactive_slider_and_keys(s, cli):
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1200", "--height", "700",
                          "--report", "report.txt"])
    xdo = live.xdo
    try:
        wid = live.window("slider.alpha")
        x, y, w, h = rect(s.report()["slider.alpha"])
        xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool key --clearmodifiers ctrl+s")
        first = wait_for(lambda: os.path.exists(s.path("stylized_output_0001.png")) and "stylized_output_0001.png",
                         "Ctrl+S to save")
        # Drag the slider's grab from 40% (alpha 0.4) to about 90%.
        cy = int(y + h / 2)
        xdo("xdotool mousemove --window %s %d %d" % (wid, x + 0.4 * w, cy), "sleep 0.2", "xdotool mousedown 1",
            "sleep 0.2", "xdotool mousemove --window %s %d %d" % (wid, x + 0.65 * w, cy), "sleep 0.2",
            "xdotool mousemove --window %s %d %d" % (wid, x + 0.9 * w, cy), "sleep 0.2", "xdotool mouseup 1")
        xdo("xdotool key --clearmodifiers ctrl+s")
        wait_for(lambda: os.path.exists(s.path("stylized_output_0002.png")), "a second Ctrl+S")
        _, _, before = read_png(s.path(first))
        _, _, after = read_png(s.path("stylized_output_0002.png"))
        if before == after:
            fail("dragging the slider did not change the result")
        # Alpha went up: the top-left quadrant moved towards the style's white.
        if not sum(after[64][64]) > sum(before[64][64]) + 60:
            fail("result did not move towards the style: %s -> %s" % (before[64][64], after[64][64]))
        xdo("xdotool key F12")
        wait_for(lambda: os.path.exists(s.path("screenshot_0001.png")), "F12 screenshot")
        xdo("xdotool key Tab")
        wait_for(lambda: s.report().get("show_ui") == "0", "Tab to hide the UI")
        live.quit()
    finally:
        live.stop()
    print("slider drag changed the result; Ctrl+S, F12, Tab and Ctrl+Q worked")


def paint_mask_with_the_mouse(s, cli):
    """M turns the brush on; a left drag on the content panel paints the mask (one long jump between
    two frames must leave no gap), a right drag erases, and the view does not pan."""
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    size = 256
    common = ["--alpha", "0.6", "--size", str(size)]
    for name, alpha in (("stylized.bmp", "0.6"), ("content_only.bmp", "0")):
        subprocess.run([cli, "content.bmp", "style.bmp", "--alpha", alpha, "--size", str(size), "-q", "-d", "cpu",
                        "-o", name], cwd=s.dir, check=True)
    _, _, stylized = read_bmp(s.path("stylized.bmp"))
    _, _, content = read_bmp(s.path("content_only.bmp"))
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--width", "1200", "--height", "700",
                          "--report", "report.txt"] + common)
    xdo = live.xdo
    try:
        wid = live.window("image.content")
        xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 5 5" % wid, "xdotool key m")
        wait_for(lambda: " paint=1" in s.report().get("mask", ""), "M to turn the brush on")
        view_before = s.report()["image.content"]
        x, y, w, h = rect(view_before)

        def at(fx, fy):
            return "%d %d" % (x + fx * w, y + fy * h)

        # Paint along a row at 30% height: press at 15%, one jump to 85%, release.
        xdo("xdotool mousemove --window %s %s" % (wid, at(0.15, 0.3)), "sleep 0.2", "xdotool mousedown 1",
            "sleep 0.2", "xdotool mousemove --window %s %s" % (wid, at(0.85, 0.3)), "sleep 0.3", "xdotool mouseup 1")
        # Erase the middle of it with a right drag.
        xdo("xdotool mousemove --window %s %s" % (wid, at(0.45, 0.3)), "sleep 0.2", "xdotool mousedown 3",
            "sleep 0.2", "xdotool mousemove --window %s %s" % (wid, at(0.55, 0.3)), "sleep 0.3", "xdotool mouseup 3")
        xdo("xdotool key --clearmodifiers ctrl+s")
        wait_for(lambda: os.path.exists(s.path("stylized_output_0001.png")), "Ctrl+S to save")
        if s.report()["image.content"] != view_before:
            fail("painting moved the view: %s -> %s" % (view_before, s.report()["image.content"]))
        _, _, result = read_png(s.path("stylized_output_0001.png"))
        row = int(0.3 * size)
        # The eraser went from 45% to 55%; its radius reaches a bit further.
        painted = [px for px in range(int(0.2 * size), int(0.8 * size)) if not (0.33 * size <= px < 0.67 * size)]
        for px in painted:
            if result[row][px] != stylized[row][px]:
                fail("pixel (%d, %d) under the stroke is %s, expected the stylized %s"
                     % (px, row, result[row][px], stylized[row][px]))
        for px in range(int(0.47 * size), int(0.53 * size)):
            if result[row][px] != content[row][px]:
                fail("erased pixel (%d, %d) is %s, expected the content %s" % (px, row, result[row][px], content[row][px]))
        for fy in (0.6, 0.75, 0.9):  # far below the stroke: untouched content
            for px in range(0, size, 7):
                if result[int(fy * size)][px] != content[int(fy * size)][px]:
                    fail("pixel (%d, %d) far from the stroke changed" % (px, int(fy * size)))
        live.quit()
    finally:
        live.stop()
    print("painted stroke is stylized without gaps, the erased part and everything else is the content")


def mask_file_matches_cli(s, cli):
    """--mask FILE --feather --preserve-colors: --save-result equals the CLI; a bad mask is an error."""
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    # A mask of another size than the working size: a disc with a soft ramp on the right.
    write_bmp(s.path("mask.bmp"), 90, 70,
              lambda x, y: (255,) * 3 if (x - 35) ** 2 + (y - 35) ** 2 < 25 ** 2 else (min(255, max(0, (x - 60) * 8)),) * 3)
    options = ["--size", "200x150", "--mask", "mask.bmp", "--feather", "3", "--preserve-colors"]
    for method in (["--alpha", "0.7"], ["--method", "reinhard"]):
        proc = s.run(["content.bmp", "style.bmp", "--no-settings", "--frames", "3", "--save-result", "result.bmp"]
                     + method + options)
        if proc.returncode != 0:
            fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
        subprocess.run([cli, "content.bmp", "style.bmp", "-q", "-d", "cpu", "-o", "cli.bmp"] + method + options,
                       cwd=s.dir, check=True)
        _, _, ours = read_bmp(s.path("result.bmp"))
        _, _, theirs = read_bmp(s.path("cli.bmp"))
        if ours != theirs:
            fail("--save-result with %s differs from the CLI's output" % " ".join(method + options))
    with open(s.path("broken_mask.png"), "w") as f:
        f.write("not a PNG\n")
    proc = s.run(["content.bmp", "style.bmp", "--no-settings", "--frames", "3", "--mask", "broken_mask.png",
                  "--report", "report.txt"])
    if proc.returncode != 1 or "broken_mask.png" not in proc.stderr:
        fail("a bad mask must fail with its name (exit %d): %s" % (proc.returncode, proc.stderr))
    if "Cannot load mask" not in s.report().get("error", ""):
        fail("the window shows no mask error: %s" % s.report().get("error"))
    print("--mask/--feather/--preserve-colors results equal the CLI's; a bad mask is reported")


def bad_image_keeps_running(s, cli):
    with open(s.path("broken.jpg"), "w") as f:
        f.write("this is text, not a JPEG\n")
    quadrant_picture(s.path("style.bmp"), 64, 64, STYLE_COLORS)
    proc = s.run(["broken.jpg", "style.bmp", "--no-settings", "--frames", "3", "--screenshot", "shot.bmp",
                  "--report", "report.txt"])
    if proc.returncode != 1:
        fail("expected exit code 1, got %d: %s" % (proc.returncode, proc.stderr))
    if "broken.jpg" not in proc.stderr:
        fail("stderr does not name the file: " + proc.stderr)
    report = s.report()
    if "broken.jpg" not in report.get("error", ""):
        fail("the window shows no error: %s" % report)
    _, _, shot = read_bmp(s.path("shot.bmp"))
    x, y, w, h = rect(report["message_bar"])
    r, g, b = shot[int(y + h / 2)][int(x + w - 3)]
    if not (r > 120 and g < 80 and b < 80):
        fail("message bar is not red: %s" % ((r, g, b),))
    print("bad picture reported in a red bar and on stderr; exit code 1")


def benchmark_mode_changes_every_frame_and_idles(s, cli):
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    proc = s.run(["content.bmp", "style.bmp", "--size", "128", "--no-settings", "--benchmark", "20"])
    if proc.returncode != 0:
        fail("benchmark mode failed (%d): %s" % (proc.returncode, proc.stderr))
    lines = [l for l in proc.stdout.splitlines() if l.startswith("benchmark-json: ")]
    if len(lines) != 1:
        fail("no benchmark-json line: " + proc.stdout)
    import json
    result = json.loads(lines[0][len("benchmark-json: "):])
    if result["frames"] != 20:
        fail("expected 20 measured frames: %s" % result)
    if result["idle_recomputes"] != 0:
        fail("the idle viewer recomputed: %s" % result)
    if not (0 < result["compute_ms"] <= result["latency_ms"]):
        fail("implausible timings: %s" % result)
    if "128x128 blend, CPU, upload direct" not in result["setup"]:
        fail("unexpected setup: %s" % result["setup"])
    print("benchmark mode: %s" % lines[0])


def neural_model_matches_cli(s, cli):
    """fast_style and adain with random-weight models: --save-result equals the CLI's output; a
    missing model is shown as an error."""
    subprocess.run([MODEL_MAKER, s.path("models")], check=True)
    quadrant_picture(s.path("content.bmp"), 200, 160, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    common = ["--models", "models", "--size", "96x64"]
    quadrant_picture(s.path("style2.bmp"), 90, 70, CONTENT_COLORS)
    for method in (["--model", "candy", "--param", "strength=0.7"], ["--method", "adain", "--param", "alpha=0.6"],
                   ["--method", "adain", "--extra-style", "style2.bmp", "--style-weights", "1,3"]):
        pictures = ["content.bmp"] + (["style.bmp"] if "adain" in method else [])
        proc = s.run(pictures + ["--no-settings", "--frames", "3", "--save-result", "result.bmp"] + method + common,
                     timeout=120)
        if proc.returncode != 0:
            fail("viewer exited %d: %s" % (proc.returncode, proc.stderr))
        subprocess.run([cli] + pictures + ["-q", "-d", "cpu", "-o", "cli.bmp"] + method + common, cwd=s.dir,
                       check=True)
        if read_bmp(s.path("result.bmp"))[2] != read_bmp(s.path("cli.bmp"))[2]:
            fail("--save-result with %s differs from the CLI's output" % " ".join(method))
    # The Networks setting: fp32 in the viewer and the CLI gives the same picture, and the status
    # line (the report's network line) names the format the network ran in.
    fp32 = ["--model", "candy", "--precision", "fp32"]
    proc = s.run(["content.bmp", "--no-settings", "--frames", "3", "--save-result", "result.bmp", "--report",
                  "report.txt"] + fp32 + common, timeout=120)
    if proc.returncode != 0:
        fail("viewer exited %d with --precision fp32: %s" % (proc.returncode, proc.stderr))
    if not s.report().get("network", "").endswith(" ms fp32"):
        fail("the status does not name fp32: %r" % s.report().get("network"))
    subprocess.run([cli, "content.bmp", "-q", "-d", "cpu", "-o", "cli.bmp"] + fp32 + common, cwd=s.dir, check=True)
    if read_bmp(s.path("result.bmp"))[2] != read_bmp(s.path("cli.bmp"))[2]:
        fail("--save-result with --precision fp32 differs from the CLI's output")
    proc = s.run(["content.bmp", "--no-settings", "--frames", "3", "--model", "udnie", "--report", "report.txt"]
                 + common)
    if proc.returncode != 1:
        fail("a missing --model must exit with 1, got %d" % proc.returncode)
    if "no such fast style model" not in s.report().get("error", ""):
        fail("the window shows no missing-model error: %s / %s" % (s.report().get("error"), proc.stderr))
    print("fast_style and adain results equal the CLI's; a missing model is reported")


def neural_preview_while_dragging(s, cli):
    """AdaIN in the live window: dragging alpha shows a low-resolution preview, releasing it brings
    the full resolution, and the result changed."""
    subprocess.run([MODEL_MAKER, s.path("models")], check=True)
    quadrant_picture(s.path("content.bmp"), 400, 300, CONTENT_COLORS)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)
    live = LiveViewer(s, ["content.bmp", "style.bmp", "--no-settings", "--method", "adain", "--models", "models",
                          "--size", "320x240", "--width", "1200", "--height", "700", "--report", "report.txt"])
    xdo = live.xdo
    try:
        wid = live.window("slider.alpha")
        wait_for(lambda: "results 1" in s.report().get("neural", ""), "the first AdaIN result", timeout=60)
        x, y, w, h = rect(s.report()["slider.alpha"])
        cy = int(y + h / 2)
        xdo("xdotool mousemove --window %s %d %d" % (wid, x + w - 4, cy), "sleep 0.2", "xdotool mousedown 1",
            "sleep 0.2", "xdotool mousemove --window %s %d %d" % (wid, x + 0.6 * w, cy), "sleep 0.2",
            "xdotool mousemove --window %s %d %d" % (wid, x + 0.3 * w, cy))
        wait_for(lambda: "preview 1" in s.report().get("neural", ""), "a preview while the button is held",
                 timeout=60)
        if "neural.progress" not in s.report():
            fail("no progress/preview indicator in the controls")
        xdo("xdotool mouseup 1")
        wait_for(lambda: "pending 0 preview 0" in s.report().get("neural", ""), "the full resolution after release",
                 timeout=60)
        if s.report().get("result_size") != "320 240":
            fail("result size %s" % s.report().get("result_size"))
        live.quit()
    finally:
        live.stop()
    print("AdaIN: preview while dragging, full resolution after release: %s" % s.report().get("neural"))


MODEL_MAKER = None


def run_case(cases, usage, argv=None):
    """The scripts' entry: `SCRIPT CASE VIEWER CLI [MODEL_MAKER]` runs cases[CASE](session, cli)
    in a fresh session; fails (77) without xvfb-run."""
    global MODEL_MAKER
    argv = sys.argv if argv is None else argv
    if len(argv) not in (4, 5) or argv[1] not in cases:
        print(usage)
        return 2
    case, viewer, cli = argv[1:4]
    MODEL_MAKER = argv[4] if len(argv) == 5 else None
    if not shutil.which("xvfb-run"):
        print("FAIL: xvfb-run not installed (scripts/install_deps.sh test installs xvfb)")
        return SKIP
    s = Session(viewer)
    try:
        cases[case](s, cli)
    finally:
        s.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(run_case(globals(), __doc__))
