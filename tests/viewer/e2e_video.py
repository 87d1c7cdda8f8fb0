#!/usr/bin/python3
"""End-to-end tests of live video in the viewer under Xvfb, driven with xdotool (issue 19).

Usage: e2e_video.py CASE VIEWER CLI
  video_plays_without_input        a clip plays and its frames are stylized with no input at all
  space_pauses_and_ctrl_r_records  Space pauses and plays; Ctrl+R records; the file has the clip's rate and audio
  iterative_method_refused_live    patch synthesis is refused for a playing video, which pauses on its frame
  bad_video_keeps_running          a truncated clip is one message; the window keeps running

The clips are made by FFmpeg's own test sources (the ffmpeg program; the tests fail without it).
Helpers (sessions, the live window) come from e2e_viewer.py beside this file.
"""
import json
import os
import shutil
import subprocess
import sys

import e2e_viewer as ev
from e2e_viewer import LiveViewer, fail, quadrant_picture, STYLE_COLORS, wait_for


def make_clip(s, name, seconds=4, size="160x120", rate=25, audio=True, faststart=False):
    if not shutil.which("ffmpeg"):
        print("FAIL: ffmpeg not installed (scripts/install_deps.sh test installs it)")
        sys.exit(ev.SKIP)
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=%s:rate=%d" % (size, rate)]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:a", "aac"]
    args += ["-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "25"]
    if faststart:  # the index first: a cut file still opens, and ends early
        args += ["-movflags", "+faststart"]
    args.append(s.path(name))
    subprocess.run(args, check=True, timeout=60)
    quadrant_picture(s.path("style.bmp"), 120, 120, STYLE_COLORS)


def video_line(s):
    """The report's video= line as a dict of numbers: playing, frames, dropped, index, recording, recorded."""
    words = s.report().get("video", "").split()
    return {words[i]: int(words[i + 1]) for i in range(0, len(words) - 1, 2)}


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,r_frame_rate,nb_frames",
                          "-of", "json", path], capture_output=True, text=True, timeout=30, check=True).stdout
    return json.loads(out)["streams"]


def video_plays_without_input(s, cli):
    """Nobody touches the window: frames keep coming from the decoder thread and each result
    reaches the screen by itself (the frame index in the report advances, results follow)."""
    make_clip(s, "clip.mp4")
    live = LiveViewer(s, ["clip.mp4", "style.bmp", "--no-settings", "--method", "reinhard", "--report", "report.txt"])
    try:
        live.window("video.play")
        wait_for(lambda: video_line(s).get("frames", 0) >= 10, "frames to play")
        first = video_line(s)
        wait_for(lambda: video_line(s).get("index", 0) != first["index"], "the clip to advance with no input", 10)
        if not s.report().get("result_caption", "").startswith("Colour transfer (Reinhard)"):
            fail("no stylized frame on the result panel: %r" % s.report().get("result_caption"))
        if first["playing"] != 1:
            fail("the clip is not playing: %s" % first)
        live.quit()
    finally:
        live.stop()
    print("a clip plays and is stylized with no input (%s)" % first)


def space_pauses_and_ctrl_r_records(s, cli):
    """Space pauses (the frame index stops) and plays again; Ctrl+R starts a recording (the REC
    indicator), Ctrl+R again finishes it: an MP4 at the clip's 25 fps, with the clip's audio."""
    make_clip(s, "clip.mp4", seconds=6)
    live = LiveViewer(s, ["clip.mp4", "style.bmp", "--no-settings", "--method", "blend", "--report", "report.txt"])
    try:
        wid = live.window("video.play")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 700 600" % wid)
        wait_for(lambda: video_line(s).get("frames", 0) >= 5, "frames to play")
        live.xdo("xdotool key space")
        wait_for(lambda: video_line(s).get("playing") == 0, "Space to pause")
        paused_at = video_line(s)["index"]
        live.xdo("sleep 0.6")
        if video_line(s)["index"] != paused_at:
            fail("the clip went on while paused: %d -> %d" % (paused_at, video_line(s)["index"]))
        live.xdo("xdotool key space")
        wait_for(lambda: video_line(s).get("playing") == 1, "Space to play again")
        live.xdo("xdotool key --clearmodifiers ctrl+r")
        wait_for(lambda: video_line(s).get("recording") == 1 and "rec_indicator" in s.report(), "Ctrl+R to record")
        wait_for(lambda: video_line(s).get("recorded", 0) >= 25, "a second of recording")
        live.xdo("xdotool key --clearmodifiers ctrl+r")
        wait_for(lambda: "Recorded recording_0001.mp4" in s.report().get("info", ""), "the recording to finish")
        info = s.report()["info"]
        live.quit()
    finally:
        live.stop()
    streams = probe(s.path("recording_0001.mp4"))
    video = [x for x in streams if x["codec_type"] == "video"]
    if not video or video[0]["r_frame_rate"] != "25/1":
        fail("the recording is not 25 fps video: %s" % streams)
    if not any(x["codec_type"] == "audio" for x in streams):
        fail("the clip's audio was not copied: %s" % streams)
    frames = int(video[0]["nb_frames"])
    if "(%d frames" % frames not in info:
        fail("the message %r does not match the file's %d frames" % (info, frames))
    print("Space pauses and plays; Ctrl+R recorded %d frames at 25 fps with audio (%s)" % (frames, info))


def iterative_method_refused_live(s, cli):
    make_clip(s, "clip.mp4", audio=False)
    live = LiveViewer(s, ["clip.mp4", "style.bmp", "--no-settings", "--method", "patch_synthesis", "--report",
                          "report.txt"])
    try:
        wid = live.window("video.play")
        wait_for(lambda: "not for live video" in s.report().get("error", ""), "the refusal")
        wait_for(lambda: video_line(s).get("playing") == 0, "the clip to pause")
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 700 600" % wid,
                 "xdotool key space")
        if video_line(s).get("playing") != 0:
            fail("Space played a video with an iterative method")
        live.quit()
    finally:
        live.stop()
    print("patch synthesis is refused for live video: %r" % s.report().get("error"))


def bad_video_keeps_running(s, cli):
    make_clip(s, "clip.mp4", seconds=4, audio=False, faststart=True)
    data = open(s.path("clip.mp4"), "rb").read()
    with open(s.path("cut.mp4"), "wb") as f:
        f.write(data[: len(data) // 3])
    with open(s.path("junk.mp4"), "wb") as f:
        f.write(b"not a video at all" * 100)
    live = LiveViewer(s, ["junk.mp4", "style.bmp", "--no-settings", "--method", "blend", "--report", "report.txt"])
    try:
        wid = live.window("method")
        wait_for(lambda: "Cannot open the video" in s.report().get("error", "") and "junk.mp4" in s.report()["error"],
                 "the junk file's message")
        # Still answering (its exit code will be 1: a file given on the command line failed).
        live.xdo("xdotool windowfocus --sync %s || true" % wid, "xdotool mousemove --window %s 700 600" % wid,
                 "xdotool key l")
        wait_for(lambda: s.report().get("arrangement") == "result only", "the window to answer after the bad file")
    finally:
        live.stop()
    for name in ("done", "cmd.done", "window.id", "report.txt"):  # the first window's session files
        if os.path.exists(s.path(name)):
            os.remove(s.path(name))
    live = LiveViewer(s, ["cut.mp4", "style.bmp", "--no-settings", "--method", "blend", "--every-frame", "--report",
                          "report.txt"])
    try:
        live.window("video.play")
        wait_for(lambda: "cut.mp4" in s.report().get("error", ""), "the truncated clip's message", 30)
        frames = video_line(s)["frames"]
        if video_line(s)["playing"] != 0:
            fail("a failed source still plays")
        live.quit()  # exit code 0: it kept running
    finally:
        live.stop()
    print("junk and truncated clips are messages; the viewer keeps running (%d frames before the cut)" % frames)


if __name__ == "__main__":
    sys.exit(ev.run_case(globals(), __doc__))
