#!/usr/bin/python3
"""Time and peak RSS of the CLI against megapixels, and the seams of tiled against whole runs.

    bench/fullres_sweep.py --cli build/bin/neuraltransfer --models DIR --out DIR sweep [--sizes 1,4,12,24,48]
    bench/fullres_sweep.py --cli build/bin/neuraltransfer --models DIR --out DIR seams [--side 2048]

`sweep` runs each method at each size in its own process under /usr/bin/time -v (peak RSS is a
process's high-water mark, so one size per process), niced, one at a time, and writes
sweep.csv and sweep.png (time and peak RSS against megapixels). `seams` runs the same picture
whole and in tiles and prints the mean difference in 8-bit levels and the mean gradient across
tile borders relative to the mean gradient elsewhere.

The models are random-weight networks of the real architectures (nt_make_tiny_models DIR): the
cost of a network does not depend on its weights' values. Their pictures are not stylizations.
The content is synthetic (gradients, edges and noise), 4:3.
"""
import argparse
import csv
import os
import re
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw


def make_content(path, megapixels):
    w = int(round((megapixels * 1e6 * 4 / 3) ** 0.5))
    h = int(round(w * 3 / 4))
    if os.path.exists(path):
        return w, h
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([x / w * 255, y / h * 255, ((x // 64 + y // 64) % 2) * 200 + 20], axis=-1)
    noise = rng.integers(0, 40, size=(h, w, 1), dtype=np.int16)
    Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8)).save(path)
    return w, h


def timed_run(args):
    """(seconds, peak MiB, stdout) of one CLI run under /usr/bin/time -v, niced."""
    proc = subprocess.run(["nice", "-n", "10", "/usr/bin/time", "-v"] + args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("failed: " + " ".join(args) + "\n" + proc.stderr[-2000:])
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", proc.stderr).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    return seconds, peak_kib / 1024.0, proc.stdout


# The swept methods whose model carries the style: the model the sweep writes for them.
STYLE_IN_MODEL = {"fast_style": "candy"}


def method_args(method, opts, content):
    if method in STYLE_IN_MODEL:
        return [content, "--model", STYLE_IN_MODEL[method]]
    return [content, os.path.join(opts.out, "style.png"), "--method", method]


def sweep(opts):
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (512, 512, 3), dtype=np.uint8)).save(
        os.path.join(opts.out, "style.png"))
    rows = []
    for mp in [float(s) for s in opts.sizes.split(",")]:
        content = os.path.join(opts.out, f"content_{mp:g}mp.bmp")
        w, h = make_content(content, mp)
        for method in opts.methods.split(","):
            out = os.path.join(opts.out, f"out_{method}_{mp:g}mp.jpg")
            args = [opts.cli] + method_args(method, opts, content) + [
                "--models", opts.models, "--size", "original", "--memory", opts.memory, "-o", out]
            seconds, peak, stdout = timed_run(args)
            tile = re.search(r"tiles of (\d+) px", stdout)
            rows.append(dict(method=method, megapixels=w * h / 1e6, width=w, height=h, seconds=seconds,
                             peak_mib=peak, tile=tile.group(1) if tile else "whole"))
            print(rows[-1], flush=True)
            os.remove(out)
    with open(os.path.join(opts.out, "sweep.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)
    plot(rows, os.path.join(opts.out, "sweep.png"))


def plot(rows, path):
    """Two panels, seconds and peak GiB against megapixels, one line per method (PIL only)."""
    W, H, pad = 900, 380, 60
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    colors = {"fast_style": (31, 119, 180), "adain": (214, 39, 40), "torchscript": (44, 160, 44)}
    max_mp = max(r["megapixels"] for r in rows)
    for panel, (key, label, scale) in enumerate([("seconds", "time (s)", 1.0), ("peak_mib", "peak RSS (GiB)", 1024.0)]):
        x0 = pad + panel * (W // 2)
        x1, y0, y1 = x0 + W // 2 - pad - 20, 30, H - pad
        top = max(r[key] for r in rows) / scale * 1.1
        d.rectangle([x0, y0, x1, y1], outline="black")
        d.text((x0, 8), label + " against megapixels", fill="black")
        for i in range(5):
            v = top * i / 4
            y = y1 - (y1 - y0) * i / 4
            d.text((x0 - 45, y - 6), f"{v:.1f}", fill="black")
        for mp in sorted({round(r["megapixels"]) for r in rows}):
            x = x0 + (x1 - x0) * mp / max_mp
            d.text((x - 6, y1 + 6), str(mp), fill="black")
        for n, method in enumerate(sorted({r["method"] for r in rows})):
            pts = [(x0 + (x1 - x0) * r["megapixels"] / max_mp, y1 - (y1 - y0) * (r[key] / scale) / top)
                   for r in rows if r["method"] == method]
            d.line(pts, fill=colors.get(method, (0, 0, 0)), width=2)
            for p in pts:
                d.ellipse([p[0] - 3, p[1] - 3, p[0] + 3, p[1] + 3], fill=colors.get(method, (0, 0, 0)))
            d.text((x0 + 10, y0 + 8 + 14 * n), method, fill=colors.get(method, (0, 0, 0)))
    img.save(path)


def seams(opts):
    content = os.path.join(opts.out, f"content_seams_{opts.side}.png")
    if not os.path.exists(content):
        src = Image.open(opts.picture).convert("RGB") if opts.picture else None
        if src is None:
            make_content(content, opts.side * opts.side / 1e6)
        else:
            src.resize((opts.side, opts.side), Image.LANCZOS).save(content)
    Image.fromarray(np.random.default_rng(2).integers(0, 255, (512, 512, 3), dtype=np.uint8)).save(
        os.path.join(opts.out, "style.png"))
    for method in opts.methods.split(","):
        outs = {}
        for name, extra in [("whole", ["--memory", "64G"]), ("tiled", ["--tile", str(opts.tile)])]:
            outs[name] = os.path.join(opts.out, f"seams_{method}_{name}.png")
            seconds, peak, _ = timed_run([opts.cli] + method_args(method, opts, content) + [
                "--models", opts.models, "--size", "original", "-o", outs[name]] + extra)
            print(f"{method} {name}: {seconds:.1f} s, peak {peak:.0f} MiB", flush=True)
        a = np.asarray(Image.open(outs["whole"]), dtype=np.float64)
        b = np.asarray(Image.open(outs["tiled"]), dtype=np.float64)
        mean_diff = np.abs(a - b).mean()
        # Horizontal steps |I(x+1) - I(x)| (and vertical), at the steps that cross a tile border
        # (between border - 1 and border) against all the others; and over the feather's band.
        gx = np.abs(np.diff(b, axis=1)).mean(axis=(0, 2))
        gy = np.abs(np.diff(b, axis=0)).mean(axis=(1, 2))
        borders = [k * opts.tile for k in range(1, opts.side // opts.tile) if k * opts.tile < opts.side]
        at = [g[x - 1] for g in (gx, gy) for x in borders]
        band = [g[x] for g in (gx, gy) for bd in borders for x in range(bd - 16, bd + 16)]
        rest = np.concatenate([np.delete(g, [x - 1 for x in borders]) for g in (gx, gy)])
        print(f"{method}: mean |tiled - whole| = {mean_diff:.3f} levels; gradient across borders / elsewhere = "
              f"{np.mean(at) / rest.mean():.3f}; over the feather band = {np.mean(band) / rest.mean():.3f}",
              flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cli", required=True)
    p.add_argument("--models", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--methods", default="fast_style,adain")
    p.add_argument("--memory", default="2.5G")
    p.add_argument("--sizes", default="1,4,12,24,48")
    p.add_argument("--side", type=int, default=2048)
    p.add_argument("--tile", type=int, default=512)
    p.add_argument("--picture", default="", help="seams: a photo to resize as the content")
    p.add_argument("what", choices=["sweep", "seams"])
    opts = p.parse_args()
    os.makedirs(opts.out, exist_ok=True)
    sweep(opts) if opts.what == "sweep" else seams(opts)


if __name__ == "__main__":
    sys.exit(main())
