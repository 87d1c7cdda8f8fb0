#!/usr/bin/env bash
# Makes the camera-like clips of bench/temporal_bench.cpp from photos with FFmpeg: 640x480,
# 25 fps, 3 s each, H.264. Usage: bench/make_temporal_clips.sh PHOTO_DIR OUT_DIR
#   pan_cornell.mp4      a pan from left to right with a slow vertical sway (a hand-held pan)
#   zoom_golden_gate.mp4 a slow zoom in (a push-in)
#   pan_sailboat.mp4     a diagonal drift, then a cut to the cornell pan (the filter restarts)
set -euo pipefail
src=${1:?photo folder}; out=${2:?output folder}
mkdir -p "$out"
enc=(-c:v libx264 -preset veryfast -crf 18 -pix_fmt yuv420p -r 25 -an -y -loglevel error)
ffmpeg -loop 1 -i "$src/cornell.jpg" -t 3 \
  -vf "scale=1024:-2,crop=640:480:x='t*110':y='100+40*sin(t*1.7)',setsar=1" "${enc[@]}" "$out/pan_cornell.mp4"
ffmpeg -loop 1 -i "$src/golden_gate.jpg" -t 3 \
  -vf "scale=2560:2560,zoompan=z='1+0.004*on':d=1:x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':s=640x480:fps=25,setsar=1" \
  "${enc[@]}" "$out/zoom_golden_gate.mp4"
ffmpeg -loop 1 -i "$src/sailboat.jpg" -t 1.6 \
  -vf "scale=900:900,crop=640:480:x='40+t*60':y='60+t*45',setsar=1" "${enc[@]}" "$out/drift_sailboat.mp4"
ffmpeg -i "$out/drift_sailboat.mp4" -i "$out/pan_cornell.mp4" \
  -filter_complex "[1:v]trim=duration=1.4,setpts=PTS-STARTPTS[b];[0:v][b]concat=n=2:v=1[v]" -map "[v]" \
  "${enc[@]}" "$out/cut_sailboat_cornell.mp4"
rm "$out/drift_sailboat.mp4"
