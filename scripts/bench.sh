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
if /usr/bin/python3 "$root/scripts/bench_opencv.py" > "$out/opencv.json"; then
  opencv="$out/opencv.json"
else
  echo "bench: python3-opencv not installed, no cv2.addWeighted reference" >&2
  opencv=-
fi
/usr/bin/python3 "$root/scripts/perf_report.py" "$out/nt_bench.json" "$opencv" \
  --doc "$root/docs/PERFORMANCE.md" --chart "$root/docs/images/performance.png"
