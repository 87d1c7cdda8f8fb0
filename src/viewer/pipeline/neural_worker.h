#pragma once
// Runs the slow methods off the UI thread: the networks and the iterative methods. The UI submits
// a job per change; a new job cancels the one running (networks stop within a layer, iterative
// methods within a step, base/cancel.h) unless it computes the same thing, and only the latest
// job is kept waiting. Finished results are picked up with take() from the UI thread, and an
// iterative job's newest intermediate estimate with latest_estimate(). The NeuralStylizer
// (models, feature caches: RunContext::models) lives on the worker thread. A job may carry its finishing
// (result_finishing.h): then its result arrives display-ready and the UI thread only uploads it.
#include <ATen/Tensor.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "methods/method.h"
#include "nets/model_library.h"
#include "nets/neural_stylizer.h"
#include "viewer/pipeline/result_finishing.h"

namespace nt::viewer {

struct NeuralJob {
    std::string key;  // identifies what it computes; its outcome carries it back
    // The method and what its run() gets; the worker sets the context's models (its own, kept
    // across jobs), cancel and on_step (an iterative method's estimates).
    const Method* method = nullptr;
    at::Tensor content, style;
    ParamValues params;
    RunContext context;
    Precision precision = Precision::Auto;  // the networks' number format for this job
    // When set, the job runs this instead of method->run: work that is no method's (a kept
    // output's finishing, a segmentation) with the worker's models and context.
    std::function<at::Tensor(NeuralStylizer&, const RunContext&)> run;
    // What the result becomes on the worker after the run (the working size, the mix, preserve
    // colours and the mask, RGBA8); none: the outcome carries the raw result only.
    std::optional<FinishSpec> finish;
    // Set for an iterative method's preview (a slider held): its inputs without the parameters.
    // A newer job with the same value does not cancel it before its first estimate (it waits),
    // and that estimate is kept for the UI to take (take_preview_estimate) even once the job is
    // replaced: a slider that keeps moving would otherwise cancel every job before it shows anything.
    std::string preview_of;
};

// An iterative job's newest intermediate estimate.
struct NeuralEstimate {
    std::string key;
    at::Tensor estimate;  // float [1, 3, h, w] (StepReport::estimate)
    int step = 0, total = 0;
    std::string stage;
    std::string preview_of;  // the job's NeuralJob::preview_of
};

// What the running job has done, for the progress row.
struct NeuralStatus {
    bool running = false;
    int step = 0, total = 0;  // an iterative job's steps (total 0: not iterative)
    std::string stage;
    double elapsed_s = 0.0;     // computing since the running job started (time held paused left out)
    double remaining_s = -1.0;  // estimated from the steps done; negative when unknown
    bool paused = false;
    bool holding = false;  // paused and the job is held at a step boundary (no step under way)
    // The running job's step values (StepReport::values) so far, one series per name: Gatys' losses.
    std::vector<std::string> value_names;
    std::vector<std::vector<float>> value_history;
    // The last job that finished (not cancelled, no error): its steps (0: not iterative) and its
    // computing time, for "done: 24 steps in 4.2 s"; negative seconds: none yet.
    int last_steps = 0;
    double last_seconds = -1.0;
};

struct NeuralOutcome {
    std::string key;
    at::Tensor result;  // float [1, 3, h, w] in 0..1; undefined when `error` is set
    std::string error;
    double ms = 0.0;                         // the run on the worker, model loading included
    std::string precision;                   // the format it computed in (NeuralStylizer::last_precision)
    std::optional<FinishedResult> finished;  // the job's finishing done (NeuralJob::finish)
    std::string finish_key;                  // ... for this FinishSpec::key
};

class NeuralWorker {
public:
    // `wake` is called on the worker thread after each job, to wake a UI loop that sleeps in
    // glfwWaitEvents (glfwPostEmptyEvent is safe from any thread).
    explicit NeuralWorker(ModelLibrary library, std::function<void()> wake = {});
    ~NeuralWorker();  // cancels the running job and joins
    NeuralWorker(const NeuralWorker&) = delete;
    NeuralWorker& operator=(const NeuralWorker&) = delete;

    // Queues `job`, replacing any job still waiting. The running job is cancelled unless it has
    // the same key (then nothing is queued: its result is what the caller wants, finished by the
    // new job's finishing when it has not started finishing yet), or unless both preview the same
    // inputs and the running one has not published an estimate yet: then the new job waits, and
    // the running one is cancelled right after its first estimate.
    void submit(NeuralJob job);
    // Cancels the running job and drops the waiting one.
    void cancel_all();
    // Holds the running iterative job at its next step until resumed (a new job resumes too;
    // cancelling still stops it).
    void set_paused(bool paused);
    // The newest finished outcome not yet taken (older ones are dropped).
    std::optional<NeuralOutcome> take();
    // The newest estimate of the running iterative job (none once it finished or was cancelled).
    std::optional<NeuralEstimate> latest_estimate() const;
    // The newest estimate of a preview job (NeuralJob::preview_of) not yet taken, kept also after
    // a newer preview replaced that job.
    std::optional<NeuralEstimate> take_preview_estimate();
    NeuralStatus status() const;
    // The running job waits at a step boundary for a resume: nothing changes until then.
    bool holding() const;

    // Whether `key` is running or waiting.
    bool working_on(const std::string& key) const;
    bool busy() const;
    // Fraction done of the running job, from the layers it has passed and the layer count of the
    // last finished job of the same method and encoder passes; negative when unknown.
    float progress() const;
    // Jobs stopped early because a newer one made them stale (since the worker started).
    int cancelled_jobs() const;

    const ModelLibrary& library() const { return library_; }

private:
    void loop();
    void publish(const std::string& key, const StepReport& report);
    void finish_on_worker(NeuralOutcome& outcome, const CancelToken& cancel);
    double computing_seconds() const;

    const ModelLibrary library_;
    std::function<void()> wake_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::optional<NeuralJob> waiting_;
    std::optional<FinishSpec> running_finish_;  // the running job's finishing (submit may replace it)
    std::string running_key_;                   // empty when idle
    std::string running_method_;                // method and encoder passes: runs of the same length
    std::optional<NeuralOutcome> finished_;
    std::optional<NeuralEstimate> estimate_;
    std::string running_preview_of_;                  // the running job's NeuralJob::preview_of
    bool running_shown_ = false;                      // the running job published an estimate
    std::optional<NeuralEstimate> preview_estimate_;  // take_preview_estimate()'s
    std::vector<std::string> value_names_;            // of the running job
    std::vector<std::vector<float>> value_history_;
    bool paused_ = false;
    bool holding_ = false;                              // the worker waits in publish() for a resume
    std::chrono::steady_clock::time_point started_;     // of the running job
    std::chrono::steady_clock::time_point held_since_;  // while holding_
    std::chrono::steady_clock::duration held_for_{};    // the running job's time held before
    int last_steps_ = 0;
    double last_seconds_ = -1.0;
    std::map<std::string, int> steps_per_method_;  // layer checks of the last complete run
    std::atomic<bool> cancel_{false};
    std::atomic<int> steps_{0};
    int cancelled_jobs_ = 0;
    at::Tensor mix_buffer_;  // the worker thread's own, for finishing (result_finishing.h)
    bool quit_ = false;
    std::thread thread_;  // last: starts after everything above exists
};

}  // namespace nt::viewer
