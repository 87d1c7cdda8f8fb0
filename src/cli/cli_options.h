#pragma once
// Command-line options of `neuraltransfer`, parsed without side effects so tests can check them.
#include <optional>
#include <string>
#include <vector>

#include "cli/shard.h"
#include "imageio/image_format.h"
#include "imageio/save_image.h"
#include "stylize/stylize.h"

namespace nt {

// The original script's output file name.
inline constexpr const char* kDefaultOutputFile = "stylized_output.jpg";
// Where batch runs write when -o is not given.
inline constexpr const char* kDefaultOutputFolder = "stylized_output";

struct CliOptions {
    std::string content;
    std::string style;
    std::optional<std::string> output;      // -o: a file (single pair) or a folder (batch)
    StylizeOptions stylize;                 // its mask is loaded by run_cli from `mask`
    std::optional<std::string> mask;        // --mask FILE
    std::vector<std::string> extra_styles;  // --extra-style FILE (adain), loaded by run_cli
    bool method_given = false;              // --method was on the command line (else --model may pick it)
    bool size_given = false;                // --size was on the command line (a video then keeps its aspect)
    // --smooth-stats S: a video's content statistics averaged over S seconds (methods/
    // temporal_stats.h); 0 turns it off.
    double stats_time_constant = kDefaultStatsTimeConstant;
    // --temporal S: a video's results blended towards the previous output moved along the
    // optical flow (video/temporal_consistency.h), strength 0..1; 0 (default) turns it off.
    double temporal_strength = 0.0;
    SaveOptions save;
    ImageFormat batch_format = ImageFormat::Jpeg;  // --format, batch outputs only
    bool quiet = false;
    // Batch at scale (docs/BATCH.md): this process's shard (resolved by run_cli with the
    // environment), outputs that exist left alone, and a JSON line per item.
    ShardRequest shard;          // --shard K/N, --shard-count N
    bool skip_existing = false;  // --skip-existing
    std::string report;          // --report FILE.jsonl
    std::string save_steps;      // --save-steps DIR: an iterative method's estimates
    int save_every = 0;          // --save-every N: only every N-th (0: every one)
    bool help = false;
    bool version = false;
    bool list_methods = false;
    bool list_models = false;
};

// Exit codes, documented in --help and the README.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // an input could not be read, a result could not be written
inline constexpr int kExitUsage = 2;   // malformed command line or option value

// Throws nt::Error with a one-line message for unknown options, missing values, malformed or
// out-of-range values (alpha outside [0, 1] or NaN, size 0 or beyond the limit, quality outside
// 1..100, unknown device or format, feather outside 0..500 or given without
// --mask, a model option the method does not take, style weights that do not fit the styles) and
// a wrong number of positional arguments (CONTENT alone for methods whose style is a model), and
// an output file that is one of the inputs (it would be overwritten).
CliOptions parse_cli_options(int argc, const char* const* argv);

std::string usage_text();
std::string version_text();
std::string methods_text();  // --list-methods
// "0.5,0.3,0.2" -> weights, each finite and >= 0, not all 0; throws nt::Error naming the option.
std::vector<double> parse_weight_list(const std::string& option, const std::string& text);

}  // namespace nt
