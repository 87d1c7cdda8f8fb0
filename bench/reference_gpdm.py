#!/usr/bin/python3
"""Patch distribution matching (GPDM) in plain PyTorch, as the paper's code writes it (unfold, random
projections, sort, MSE, autograd, torch.optim.Adam), against neuraltransfer's hand-written step,
measured in the same run, alternating, on the same cores.

Same settings as neuraltransfer's patch_distribution: 7x7 RGB patches at stride 1, 32 random unit
projections drawn anew each step, both sides sorted, the style's sorted projections resampled to
the content's patch count by linear interpolation of quantiles (equal counts: as they are; at
most 2^15 style patches, a random subset beyond), plus
the content term content_weight * mean((lowpass(luma(x)) - lowpass(remap(luma(content))))^2), remap
giving the content's luminance the style's mean and standard deviation, with a
zero-padded Gaussian of sigma = long side / 160, Adam with lr 0.02, the picture clamped to 0..1,
its borders mirrored (3 pixels) before the patches are taken. A run is coarse to fine, 3 levels
each twice the size of the last, 100 steps at the coarsest and half as many at each finer one.

  bench/reference_gpdm.py step  [--bench build/bin/nt_bench] [--rounds 3]
      the median time of one step at 256x170 (the bundled pictures) and nt_bench's
      BM_PatchDistributionStep row; prints both and their ratio (issue 25's goal: at most 0.1).
  bench/reference_gpdm.py image CONTENT STYLE OUT [--long 384] [--levels 3] [--steps 100]
      a whole coarse-to-fine run, for the gallery; prints the seconds it took.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

PATCH, PROJECTIONS, LR, CONTENT_WEIGHT, BLUR_DIVISOR, STYLE_PATCHES_MAX = 7, 32, 0.02, 1.0, 160.0, 1 << 15
LUMA = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)


def low_pass(gray, sigma):
    radius = max(1, math.ceil(3 * sigma))
    t = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-t * t / (2 * sigma * sigma))
    k = k / k.sum()
    gray = F.conv2d(gray, k.view(1, 1, 1, -1), padding=(0, radius))
    return F.conv2d(gray, k.view(1, 1, -1, 1), padding=(radius, 0))


def sorted_style(style_patches, proj):
    return torch.sort(proj @ style_patches, dim=1)[0]


def resample(sorted_rows, count):
    m = sorted_rows.shape[1]
    if m == count:
        return sorted_rows
    pos = ((torch.arange(count, dtype=torch.float64) + 0.5) * m / count - 0.5).clamp(0, m - 1)
    lo = pos.floor().long()
    hi = (lo + 1).clamp(max=m - 1)
    frac = (pos - lo).float()
    a, b = sorted_rows[:, lo], sorted_rows[:, hi]
    return a + (b - a) * frac


def loss_fn(x, style_patches, target_low, sigma, gen):
    proj = torch.randn(PROJECTIONS, 3 * PATCH * PATCH, generator=gen)
    proj = proj / proj.norm(dim=1, keepdim=True)
    patches = F.unfold(F.pad(x, (PATCH // 2,) * 4, mode="reflect"), PATCH)[0]  # [147, L], mirrored borders
    px = torch.sort(proj @ patches, dim=1)[0]
    with torch.no_grad():
        py = resample(sorted_style(style_patches, proj), px.shape[1])
    swd = F.mse_loss(px, py)
    content = F.mse_loss(low_pass((x * LUMA).sum(1, keepdim=True), sigma), target_low)
    return swd + CONTENT_WEIGHT * content


def make_level(content, style, h, w):
    c = F.interpolate(content, size=(h, w), mode="bilinear", align_corners=False, antialias=True)
    s = F.interpolate(style, size=(h, w), mode="bilinear", align_corners=False, antialias=True)
    sigma = max(h, w) / BLUR_DIVISOR
    y, ys = (c * LUMA).sum(1, keepdim=True), (s * LUMA).sum(1, keepdim=True)
    target = low_pass((y - y.mean()) * (ys.std() / (y.std() + 1e-6)) + ys.mean(), sigma)  # luminance remapping
    patches = F.unfold(s, PATCH)[0]
    if patches.shape[1] > STYLE_PATCHES_MAX:  # a random subset, as neuraltransfer's kStylePatchesMax
        keep = torch.randperm(patches.shape[1], generator=torch.Generator().manual_seed(1))[:STYLE_PATCHES_MAX]
        patches = patches[:, keep.sort()[0]]
    return c, patches, target, sigma


def run_level(x, style_patches, target, sigma, steps, gen):
    x = x.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=LR)
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(x, style_patches, target, sigma, gen).backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
    return x.detach()


def load(path, w=None, h=None):
    img = Image.open(path).convert("RGB")
    if w:
        img = img.resize((w, h), Image.BILINEAR)
    return torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1).float().div(255).unsqueeze(0)


def step_ms(content, style, runs):
    gen = torch.Generator().manual_seed(1)
    _, patches, target, sigma = make_level(content, style, content.shape[2], content.shape[3])
    x = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([x], lr=LR)
    times = []
    for i in range(runs + 1):
        t = time.perf_counter()
        opt.zero_grad()
        loss_fn(x, patches, target, sigma, gen).backward()
        opt.step()
        with torch.no_grad():
            x.clamp_(0, 1)
        if i:  # the first is a warm-up
            times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def nt_bench_row(bench):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([bench, "--benchmark_filter=BM_PatchDistributionStep", "--benchmark_repetitions=3",
                        "--benchmark_report_aggregates_only=true", "--benchmark_out=" + out.name,
                        "--benchmark_out_format=json"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        rows = json.load(open(out.name))["benchmarks"]
    return [r for r in rows if r.get("aggregate_name") == "median"][0]["real_time"]


def main_step(args):
    if not os.access(args.bench, os.X_OK):
        sys.exit("reference_gpdm: %s not found: build first (cmake --build build --target nt_bench)" % args.bench)
    assets = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "assets")
    content = load(os.path.join(assets, "content.jpg"), 256, 170)
    style = load(os.path.join(assets, "style.jpg"), 256, 170)
    ref, ours = [], []
    for _ in range(args.rounds):  # alternating, so both see the same machine
        ref.append(step_ms(content, style, 10))
        ours.append(nt_bench_row(args.bench))
    r, o = statistics.median(ref), statistics.median(ours)
    print("patch distribution step at 256x170, %d threads, medians of %d alternating rounds"
          % (torch.get_num_threads(), args.rounds))
    print("  PyTorch %s plain (unfold, sort, autograd): %7.1f ms" % (torch.__version__, r))
    print("  neuraltransfer BM_PatchDistributionStep:     %7.1f ms" % o)
    print("  ratio: %.3f" % (o / r))


def main_image(args):
    img = Image.open(args.content)
    scale = args.long / max(img.size)
    w, h = round(img.size[0] * scale), round(img.size[1] * scale)
    content, style = load(args.content, w, h), load(args.style, w, h)
    gen = torch.Generator().manual_seed(1)
    start = time.perf_counter()
    x, steps = None, args.steps
    for level in range(args.levels - 1, -1, -1):  # coarse to fine, half the steps at each finer level
        lh, lw = round(h / 2 ** level), round(w / 2 ** level)
        if min(lh, lw) < 4 * PATCH and level > 0:
            continue
        c, patches, target, sigma = make_level(content, style, lh, lw)
        x = c if x is None else F.interpolate(x, size=(lh, lw), mode="bilinear", align_corners=False)
        x = run_level(x, patches, target, sigma, steps, gen)
        steps = max(1, steps // 2)
    seconds = time.perf_counter() - start
    out = (x[0].permute(1, 2, 0).clamp(0, 1) * 255 + 0.5).byte().numpy()
    Image.fromarray(out).save(args.out, quality=85)
    print("%.1f" % seconds)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    step = sub.add_parser("step")
    step.add_argument("--bench", default=os.path.join(here, "..", "build", "bin", "nt_bench"))
    step.add_argument("--rounds", type=int, default=3)
    image = sub.add_parser("image")
    image.add_argument("content")
    image.add_argument("style")
    image.add_argument("out")
    image.add_argument("--long", type=int, default=384)
    image.add_argument("--levels", type=int, default=3)
    image.add_argument("--steps", type=int, default=100)
    args = ap.parse_args()
    torch.set_num_threads(os.cpu_count())  # every core, as neuraltransfer uses
    main_step(args) if args.mode == "step" else main_image(args)


if __name__ == "__main__":
    main()
