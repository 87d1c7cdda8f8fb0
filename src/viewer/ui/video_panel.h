#pragma once
// The sidebar's VIDEO section, shown while the content is a live video: play / pause / step,
// a seek bar for files, loop and "every frame" pacing, and Record. Draws only; the app carries
// out what it returns.
#include <map>
#include <optional>
#include <string>

#include "viewer/state/canvas_view.h"
#include "viewer/video/video_source.h"

namespace nt::viewer {

struct VideoPanelInfo {
    VideoSourceStatus status;
    bool camera = false;
    bool recording = false;
    double recorded_s = 0.0;
    std::string record_to;         // the file a recording goes to, as shown
    double smoothing_s = 0.5;      // the content statistics' time constant (methods/temporal_stats.h)
    bool uses_statistics = false;  // the current method has statistics to smooth
    bool consistency = false;      // temporal consistency on (video/temporal_consistency.h)
    double consistency_strength = 0.8;
};

struct VideoActions {
    bool toggle_play = false;
    bool step = false;
    std::optional<double> seek;  // seconds
    std::optional<bool> loop;
    std::optional<bool> every_frame;
    bool toggle_record = false;
    bool close = false;               // back to a still picture (the frame shown)
    std::optional<double> smoothing;  // seconds
    std::optional<bool> consistency;  // the checkbox
    std::optional<double> consistency_strength;
};

void draw_video_controls(const VideoPanelInfo& info, VideoActions& a, std::map<std::string, Rect>& rects);

// "1:05.3" for 65.3 seconds.
std::string clock_text(double seconds);

}  // namespace nt::viewer
