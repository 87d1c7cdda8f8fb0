#pragma once
// The command line's view of an iterative method's steps (core StepCallback): a progress bar on
// stderr once a run has taken more than a second (a terminal gets one line redrawn in place, a
// pipe or a log a line per 10 % of the steps; the step's values, such as Gatys' losses, on it),
// and, with --save-steps DIR, the intermediate estimates written to DIR as
// <output stem>_step_NNN.png at the working size: every one, or every N-th and the last with
// --save-every N.
#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>

#include "methods/method.h"

namespace nt {

class StepProgress {
public:
    // `redraw`: err is a terminal. `quiet`: no bar (steps are still saved). `steps_dir` empty:
    // none saved. `width`, `height`: the working size the saved steps are scaled to; every
    // `save_every`-th step is saved, and the last. Nothing is drawn before `after_seconds`.
    StepProgress(std::ostream& err, bool redraw, bool quiet, std::filesystem::path steps_dir, std::string stem,
                 int width, int height, int save_every = 1, double after_seconds = 1.0);
    void operator()(const StepReport& report);

    // The bar's text for a step, e.g. "[#####     ] 12/24 level 2/3 · patch 13 · update 3/3  4.1 s, ~4 s left".
    static std::string line(const StepReport& report, double elapsed_s);

private:
    void save(const StepReport& report) const;

    std::ostream& err_;
    bool redraw_, quiet_;
    std::filesystem::path steps_dir_;
    std::string stem_;
    int width_, height_;
    int save_every_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    double after_seconds_;
    int last_decile_ = -1;
    bool drawn_ = false;  // a redrawn line is on the terminal and needs its newline
};

}  // namespace nt
