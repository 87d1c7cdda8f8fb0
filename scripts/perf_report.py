#!/usr/bin/python3
"""Turns one run of nt_bench (Google Benchmark JSON with median aggregates) and of
bench_opencv.py into the measured section of docs/PERFORMANCE.md and a PNG chart.

Only the text between '<!-- bench:begin -->' and '<!-- bench:end -->' is replaced, so the
hand-written analysis around it stays. Usage:
  perf_report.py NT_BENCH_JSON OPENCV_JSON|- --doc docs/PERFORMANCE.md --chart docs/images/performance.png
"""
import argparse
import json
import os
import platform
import re
import subprocess

SIZES = ["512x512", "1920x1080", "3840x2160"]
ROWS = [  # (benchmark name in nt_bench, label)
    ("BM_OriginalFloat_BlendOnly", "original float path: blend only (float32 NCHW)"),
    ("BM_OriginalFloat_BlendAndConvert", "original float path: blend + conversion to interleaved uint8"),
    ("BM_Blend_IntoRGBA8", "**ours: blend into display-ready RGBA8** (fixed point, SSSE3)"),
    ("BM_Blend_IntoRGBA8_Tensor", "ours through the tensor API (`nt::blend_rgba8`)"),
    ("BM_FramePath_TexSubImage", "ours + upload: blend into a buffer, glTexSubImage2D"),
    ("BM_FramePath_PBO", "ours + upload: blend into a mapped PBO (double-buffered), glTexSubImage2D from it"),
    ("BM_Upload_TexSubImage", "upload alone: glTexSubImage2D of an RGBA8 frame"),
    ("BM_Memcpy_RGBA8Frame", "reference: one memcpy of an RGBA8 output frame"),
]


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()).group(1))
        mem = "%.0f GiB RAM" % (kb / 1024 / 1024)
    except (OSError, AttributeError):
        pass
    gl = ""
    try:
        out = subprocess.run(["xvfb-run", "-a", "glxinfo", "-B"], capture_output=True, text=True, timeout=30).stdout
        m = re.search(r"OpenGL renderer string: (.*)", out)
        gl = m.group(1) if m else ""
    except (OSError, subprocess.SubprocessError):
        pass
    return cpu, os.cpu_count(), mem, platform.release(), gl


METHOD_SIZES = ["512x512", "1024x1024", "1920x1080"]
METHOD_ROWS = [  # (benchmark name prefix in methods_bench.cpp, label)
    ("BM_Method/blend", "blend (float path)"),
    ("BM_Method/reinhard", "reinhard"),
    ("BM_Method/monge_kantorovich", "monge_kantorovich"),
    ("BM_Method/histogram", "histogram"),
    ("BM_Method/reinhard_preserve", "reinhard + preserve colours"),
    ("BM_Method/monge_kantorovich_preserve", "monge_kantorovich + preserve colours"),
    ("BM_Method/histogram_preserve", "histogram + preserve colours"),
    ("BM_Method/reinhard_masked", "reinhard + mask"),
    ("BM_Method/histogram_preserve_masked", "histogram + preserve colours + mask"),
    ("BM_PreserveColorsOnly", "preserve colours alone"),
    ("BM_ApplyMaskOnly", "apply a mask alone"),
    ("BM_FeatherMask/r4", "feather a mask, radius 4 (per mask edit)"),
    ("BM_FeatherMask/r16", "feather a mask, radius 16 (per mask edit)"),
    ("BM_FeatherMask/r64", "feather a mask, radius 64 (per mask edit)"),
]


def medians(bench_json):
    data = json.load(open(bench_json))
    out = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") not in ("median", None):
            continue
        m = re.match(r"(BM_\w+(?:/[a-z_]+\d*)?)/(\d+)/(\d+)", b["name"])
        if not m:
            continue
        unit = {"ms": 1.0, "us": 1e-3, "ns": 1e-6}[b.get("time_unit", "ns")]
        key = (m.group(1), "%sx%s" % (m.group(2), m.group(3)))
        if b.get("aggregate_name") == "median" or key not in out:
            out[key] = b["real_time"] * unit
    context = dict(data.get("context", {}))
    reps = [b.get("repetitions") for b in data["benchmarks"] if b.get("repetitions")]
    if reps:
        context["repetitions"] = max(reps)
    return out, context


def fmt(ms):
    return "—" if ms is None else ("%.3f" % ms if ms < 1 else "%.2f" % ms if ms < 100 else "%.0f" % ms)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_json")
    ap.add_argument("opencv_json")
    ap.add_argument("--doc", required=True)
    ap.add_argument("--chart")
    ap.add_argument("--viewer", help="JSON lines from neuraltransfer-viewer --benchmark")
    args = ap.parse_args()

    med, ctx = medians(args.bench_json)
    cv = None
    if args.opencv_json != "-" and os.path.exists(args.opencv_json) and os.path.getsize(args.opencv_json) > 0:
        cv = json.load(open(args.opencv_json))
    cpu, cores, mem, kernel, gl = machine()

    lines = ["Measured by `scripts/bench.sh` on %s: %s, %d cores, %s, Linux %s%s." % (
        ctx.get("date", "")[:10], cpu, cores, mem, kernel, (", GL: " + gl) if gl else ""),
        "Medians of %s repetitions (Google Benchmark, real time), all rows from one run; ms per frame." % (
            ctx.get("repetitions", "several")), ""]
    lines.append("| per frame | " + " | ".join(SIZES) + " |")
    lines.append("| --- |" + " ---: |" * len(SIZES))
    for name, label in ROWS:
        if not any((name, s) in med for s in SIZES):
            continue
        lines.append("| %s | %s |" % (label, " | ".join(fmt(med.get((name, s))) for s in SIZES)))
    if cv:
        lines.append("| reference: OpenCV %s `cv2.addWeighted` (uint8 RGB, %d threads) | %s |" % (
            cv["opencv"], cv["threads"], " | ".join(fmt(cv["results"].get(s, {}).get("median_ms")) for s in SIZES)))
    lines.append("")
    lines.append("Ratios (same run):")
    lines.append("")
    lines.append("| ratio | " + " | ".join(SIZES) + " |")
    lines.append("| --- |" + " ---: |" * len(SIZES))

    def ratio_row(label, num, den):
        vals = []
        for s in SIZES:
            a, b = num(s), den(s)
            vals.append("%.2fx" % (a / b) if a and b else "—")
        lines.append("| %s | %s |" % (label, " | ".join(vals)))

    ours = lambda s: med.get(("BM_Blend_IntoRGBA8", s))
    if cv:
        ratio_row("ours / cv2.addWeighted (target at 3840x2160: <= 1.3x)", ours,
                  lambda s: cv["results"].get(s, {}).get("median_ms"))
    ratio_row("ours / memcpy of one output frame", ours, lambda s: med.get(("BM_Memcpy_RGBA8Frame", s)))
    ratio_row("original float path with conversion / ours (target: >= 20x)",
              lambda s: med.get(("BM_OriginalFloat_BlendAndConvert", s)), ours)
    if any(k[0] == "BM_FramePath_PBO" for k in med):
        ratio_row("PBO frame path / plain glTexSubImage2D frame path", lambda s: med.get(("BM_FramePath_PBO", s)),
                  lambda s: med.get(("BM_FramePath_TexSubImage", s)))
    if any(k[0].startswith(("BM_Method", "BM_FeatherMask", "BM_PreserveColorsOnly")) for k in med):
        lines += ["", "Methods on float [1, 3, H, W] tensors (`bench/methods_bench.cpp`), ms per frame, medians:", "",
                  "| method | " + " | ".join(METHOD_SIZES) + " |", "| --- |" + " ---: |" * len(METHOD_SIZES)]
        for name, label in METHOD_ROWS:
            if any((name, sz) in med for sz in METHOD_SIZES):
                lines.append("| %s | %s |" % (label, " | ".join(fmt(med.get((name, sz))) for sz in METHOD_SIZES)))
    viewer_rows = []
    if args.viewer and os.path.exists(args.viewer):
        viewer_rows = [json.loads(l) for l in open(args.viewer) if l.strip()]
    if viewer_rows:
        lines += ["", "The viewer's benchmark mode (`neuraltransfer-viewer --benchmark 200 --method M --size S`, under Xvfb): a "
                  "control change before every frame; medians in ms, latency also at the 95th percentile.", "",
                  "| setup | compute | upload | draw | latency: change to screen | p95 | idle recomputes |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in viewer_rows:
            lines.append("| %s | %s | %s | %s | %s | %s | %d |" % (
                r["setup"], fmt(r["compute_ms"]), fmt(r["upload_ms"]), fmt(r["draw_ms"]), fmt(r["latency_ms"]),
                fmt(r["latency_p95_ms"]), r["idle_recomputes"]))
    block = "\n".join(lines)

    if args.chart:
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            series = [(label.replace("**", "").split(" (")[0], [med.get((name, s)) for s in SIZES])
                      for name, label in ROWS if any((name, s) in med for s in SIZES)]
            if cv:
                series.append(("cv2.addWeighted", [cv["results"].get(s, {}).get("median_ms") for s in SIZES]))
            fig, ax = plt.subplots(figsize=(10, 5.5), dpi=100)
            width = 0.8 / len(series)
            for i, (label, vals) in enumerate(series):
                xs = [j + i * width for j in range(len(SIZES))]
                ax.bar(xs, [v or 0 for v in vals], width, label=label)
            ax.set_yscale("log")
            ax.set_xticks([j + 0.4 - width / 2 for j in range(len(SIZES))])
            ax.set_xticklabels(SIZES)
            ax.set_ylabel("ms per frame (median, log scale)")
            ax.set_title("neuraltransfer per-frame blend, %s, %d cores" % (cpu, cores))
            ax.legend(fontsize=8, loc="upper left")
            ax.grid(axis="y", which="both", alpha=0.3)
            fig.tight_layout()
            os.makedirs(os.path.dirname(args.chart), exist_ok=True)
            fig.savefig(args.chart)
            block += "\n\n![per-frame times](%s)" % os.path.relpath(args.chart, os.path.dirname(args.doc))
        except ImportError:
            block += "\n\n(chart skipped: python3-matplotlib not installed)"

    doc = open(args.doc).read() if os.path.exists(args.doc) else "<!-- bench:begin -->\n<!-- bench:end -->\n"
    new = re.sub(r"<!-- bench:begin -->.*<!-- bench:end -->",
                 lambda _: "<!-- bench:begin -->\n" + block + "\n<!-- bench:end -->", doc, flags=re.S)
    open(args.doc, "w").write(new)
    print(block)


if __name__ == "__main__":
    main()
