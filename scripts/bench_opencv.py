#!/usr/bin/python3
"""Reference timings for docs/PERFORMANCE.md: OpenCV's cv2.addWeighted (uint8, 3 channels) at the
benchmark's sizes, the number the per-frame blend is judged against. Prints JSON:
{"opencv": "4.6.0", "threads": 2, "results": {"512x512": {"median_ms": ..., "runs": N}, ...}}
Exits 77 when python3-opencv is not installed.
"""
import json
import statistics
import sys
import time

try:
    import cv2
    import numpy as np
except ImportError as e:
    print("bench_opencv: python3-opencv not installed (%s)" % e, file=sys.stderr)
    sys.exit(77)

SIZES = [(512, 512), (1920, 1080), (3840, 2160)]


def median_ms(fn, min_seconds=0.5, min_runs=20):
    fn()  # warm up: first-touch page faults, thread pool start
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_seconds:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000.0)
    return statistics.median(times), len(times)


def main():
    rng = np.random.default_rng(1)
    results = {}
    for w, h in SIZES:
        content = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        style = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        out = np.empty_like(content)
        ms, runs = median_ms(lambda: cv2.addWeighted(content, 0.6, style, 0.4, 0.0, dst=out))
        results["%dx%d" % (w, h)] = {"median_ms": ms, "runs": runs}
    print(json.dumps({"opencv": cv2.__version__, "threads": cv2.getNumThreads(), "results": results}))


if __name__ == "__main__":
    main()
