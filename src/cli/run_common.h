#pragma once
// Pieces that the command's modes share (run_cli.cpp defines them): the error line, the pictures
// of the options, an iterative method's progress, and the batch modes.
#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include "cli/cli_options.h"
#include "cli/shard.h"
#include "nets/neural_stylizer.h"
#include "stylize/stylize.h"

namespace nt {

// "neuraltransfer: <message>" on `err`.
void report_error(std::ostream& err, const std::string& message);

double ms_since(std::chrono::steady_clock::time_point start);

// The stylize options with the --mask and --extra-style pictures loaded; an unreadable one is an
// error naming it.
StylizeOptions with_pictures(const CliOptions& o);

// The progress bar and --save-steps of an iterative method's run (empty for the other methods).
StepCallback step_reporter(const CliOptions& o, const Image& content, const std::filesystem::path& output,
                           std::ostream& err);

// The method of a video run (either mode); an iterative one is a usage error (run_video.cpp).
const MethodInfo& video_method(const StylizeOptions& options);

// The batch mode (run_batch.cpp): this shard's content x style pairs into the output folder.
int run_batch(const CliOptions& o, const Shard& shard, NeuralStylizer* neural, std::ostream& out, std::ostream& err);

// A video's frames as pictures into the output folder (run_video_frames.cpp), this shard's range.
int run_video_frames(const CliOptions& o, StylizeOptions options, const Shard& shard, NeuralStylizer* neural,
                     std::ostream& out, std::ostream& err);

}  // namespace nt
