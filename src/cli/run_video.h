#pragma once
// The command line's video mode: `neuraltransfer INPUT.mp4 STYLE [--model NAME | --method M] -o
// OUT.mp4` stylizes every frame as a picture with the same options (one NeuralStylizer, so the
// models and the style's statistics are loaded once), encodes the results as H.264 at the source's
// frame rate and copies its audio, with a progress bar (frames, fps, time left) on stderr. The
// output appears only when the whole clip is done (video/video_writer.h).
#include <ostream>

#include "cli/cli_options.h"
#include "nets/neural_stylizer.h"
#include "stylize/stylize.h"

namespace nt {

// `options`: o.stylize with its pictures loaded (mask, extra styles). Without --size the frames
// keep their aspect at a long side of 512. Iterative methods are refused (minutes a frame).
// Returns the exit code; throws nt::Error (one line) for a bad input, method or output.
int run_video(const CliOptions& o, StylizeOptions options, NeuralStylizer* neural, std::ostream& out,
              std::ostream& err);

}  // namespace nt
