#!/bin/sh
# A brush stroke's frame cost in the real viewer: under Xvfb, a 3840x2160 working size, the brush
# on (M), one slow left drag across the content panel with xdotool, while the --report's
# per-frame timings (compute, upload, frame ms) are sampled every 20 ms. Prints, over the stroke's
# frames, the median and floor of the whole frame and of what is not compute or upload (the mask
# texture update and drawing). Usage: scripts/measure_stroke.sh [VIEWER] (default build/bin/...).
# Needs xvfb-run and xdotool. docs/PERFORMANCE.md quotes it.
set -e
viewer=$(realpath "${1:-build/bin/neuraltransfer-viewer}")
assets=$(realpath "$(dirname "$0")/../assets")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/stroke.sh" <<SCRIPT
"$viewer" "$assets/content.jpg" "$assets/style.jpg" --no-settings --width 1200 --height 700 \
  --size 3840x2160 --report r.txt 2> err.txt &
vpid=\$!
sleep 8
wid=\$(xdotool search --name "neuraltransfer viewer" | head -1)
xdotool windowfocus \$wid; xdotool mousemove --window \$wid 600 20; sleep 0.3
xdotool keydown m; sleep 0.25; xdotool keyup m; sleep 1.5
( for i in \$(seq 400); do grep "^timings_ms=" r.txt >> samples.txt 2>/dev/null || true; sleep 0.02; done ) &
spid=\$!
xdotool mousemove --window \$wid 340 300; sleep 0.3; xdotool mousedown 1
for x in \$(seq 340 4 580); do xdotool mousemove --window \$wid \$x 330; sleep 0.03; done
xdotool mouseup 1
wait \$spid
kill \$vpid
SCRIPT
cd "$work"
LIBGL_ALWAYS_SOFTWARE=1 MESA_GL_VERSION_OVERRIDE=3.3 xvfb-run -a -s "-screen 0 1280x800x24" sh stroke.sh
uniq samples.txt | /usr/bin/python3 -c '
import statistics, sys
rest, frames = [], []
for line in sys.stdin:
    c, u, f = map(float, line.split("=")[1].split())
    if f > 10:  # a frame that recomputed: one of the stroke
        rest.append(f - c - u)
        frames.append(f)
if not frames:
    sys.exit("no stroke frames sampled")
print("%d stroke frames: frame median %.1f ms (floor %.1f); outside compute and upload median %.1f ms (floor %.1f)"
      % (len(frames), statistics.median(frames), min(frames), statistics.median(rest), min(rest)))
'
