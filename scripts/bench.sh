#!/usr/bin/env bash
# Runs the benchmarks and writes the measured section of docs/PERFORMANCE.md and its chart.
# Everything comes from one run on this machine: nt_bench (under Xvfb, for the GL upload rows) and,
# where Debian's python3-opencv is installed, cv2.addWeighted on the same sizes right after.
# Usage: scripts/bench.sh [extra nt_bench flags, e.g. --benchmark_filter=RGBA8]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" >/dev/null
out=$root/build/bench-results
mkdir -p "$out"
run=("$root/build/bin/nt_bench" --benchmark_repetitions=7 --benchmark_report_aggregates_only=true
     --benchmark_out="$out/nt_bench.json" --benchmark_out_format=json "$@")
if command -v xvfb-run >/dev/null; then
  xvfb-run -a -s "-screen 0 1280x720x24" "${run[@]}"
else
  echo "bench: xvfb-run not found, GL upload rows skipped" >&2
  "${run[@]}"
fi
# The viewer's own benchmark mode: a control change before every frame, per-stage medians and the
# latency from the change to the frame finished on screen.
: > "$out/viewer.jsonl"
if command -v xvfb-run >/dev/null && [ -x "$root/build/bin/neuraltransfer-viewer" ]; then
  # Blend at three sizes, then a colour method's strength being dragged (re-mixed, not recomputed).
  for setup in "blend 512" "blend 1920x1080" "blend 3840x2160" "reinhard 1024" "histogram 1024"; do
    set -- $setup
    xvfb-run -a -s "-screen 0 1280x720x24" "$root/build/bin/neuraltransfer-viewer" --no-settings \
      --benchmark 200 --method "$1" --size "$2" "$root/assets/content.jpg" "$root/assets/style.jpg" |
      tee /dev/stderr | sed -n 's/^benchmark-json: //p' >> "$out/viewer.jsonl"
  done
fi
if /usr/bin/python3 "$root/scripts/bench_opencv.py" > "$out/opencv.json"; then
  opencv="$out/opencv.json"
else
  echo "bench: python3-opencv not installed, no cv2.addWeighted reference" >&2
  opencv=-
fi
/usr/bin/python3 "$root/scripts/perf_report.py" "$out/nt_bench.json" "$opencv" --viewer "$out/viewer.jsonl" \
  --doc "$root/docs/PERFORMANCE.md" --chart "$root/docs/images/performance.png"
