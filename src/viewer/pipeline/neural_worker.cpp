#include "viewer/pipeline/neural_worker.h"

#include <ATen/ATen.h>

#include <chrono>

#include "base/error.h"

namespace nt::viewer {

NeuralWorker::NeuralWorker(ModelLibrary library, std::function<void()> wake)
    : library_(std::move(library)), wake_(std::move(wake)), thread_([this] { loop(); }) {}

NeuralWorker::~NeuralWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        quit_ = true;
        waiting_.reset();
        cancel_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void NeuralWorker::submit(NeuralJob job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!running_key_.empty() && running_key_ == job.key) {
            waiting_.reset();  // the running job is what is wanted after all
            cancel_ = false;
            running_finish_ = std::move(job.finish);
            return;
        }
        // A preview of the same inputs that has shown nothing yet runs on to its first estimate.
        const bool lets_finish = !job.preview_of.empty() && job.preview_of == running_preview_of_ && !running_shown_;
        if (!running_key_.empty() && !lets_finish) cancel_ = true;
        waiting_ = std::move(job);
        paused_ = false;
    }
    cv_.notify_all();
}

void NeuralWorker::set_paused(bool paused) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = paused;
    }
    cv_.notify_all();
}

void NeuralWorker::cancel_all() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_.reset();
        if (!running_key_.empty()) cancel_ = true;
    }
    cv_.notify_all();  // a paused job wakes up to be cancelled
}

std::optional<NeuralOutcome> NeuralWorker::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<NeuralOutcome> out;
    out.swap(finished_);
    return out;
}

bool NeuralWorker::working_on(const std::string& key) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return (running_key_ == key && !cancel_) || (waiting_ && waiting_->key == key);
}

int NeuralWorker::cancelled_jobs() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_jobs_;
}

bool NeuralWorker::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !running_key_.empty() || waiting_.has_value();
}

std::optional<NeuralEstimate> NeuralWorker::latest_estimate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return estimate_;
}

std::optional<NeuralEstimate> NeuralWorker::take_preview_estimate() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<NeuralEstimate> out;
    out.swap(preview_estimate_);
    return out;
}

NeuralStatus NeuralWorker::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    NeuralStatus s;
    s.running = !running_key_.empty();
    // The last job's values stay after it finished (its loss plot stays on screen).
    s.value_names = value_names_;
    s.value_history = value_history_;
    s.last_steps = last_steps_;
    s.last_seconds = last_seconds_;
    if (!s.running) return s;
    s.elapsed_s = computing_seconds();
    s.paused = paused_;
    s.holding = holding_;
    if (estimate_) {
        s.step = estimate_->step;
        s.total = estimate_->total;
        s.stage = estimate_->stage;
        if (s.step > 0) s.remaining_s = s.elapsed_s * double(s.total - s.step) / double(s.step);
    }
    return s;
}

bool NeuralWorker::holding() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return holding_;
}

// The running job's time spent computing: a pause stops its clock. Called with mutex_ held.
double NeuralWorker::computing_seconds() const {
    const auto now = std::chrono::steady_clock::now();
    auto held = held_for_;
    if (holding_) held += now - held_since_;
    return std::chrono::duration<double>(now - started_ - held).count();
}

float NeuralWorker::progress() const {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_key_.empty()) return waiting_ ? 0.0f : -1.0f;
    if (estimate_ && estimate_->total > 0) return std::min(0.99f, float(estimate_->step) / float(estimate_->total));
    const auto it = steps_per_method_.find(running_method_);
    if (it == steps_per_method_.end() || it->second <= 0) return -1.0f;
    return std::min(0.99f, float(steps_.load()) / float(it->second));
}

void NeuralWorker::publish(const std::string& key, const StepReport& report) {
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (cancel_ || running_key_ != key) return;  // stale: its estimates must not be shown
        estimate_ = NeuralEstimate{key, report.estimate, report.step, report.total, report.stage, running_preview_of_};
        if (!running_preview_of_.empty()) {
            preview_estimate_ = estimate_;
            // A newer preview waited for this first estimate: it is on its way to the screen, so
            // the job makes way at its next step.
            if (!running_shown_ && waiting_) cancel_ = true;
        }
        running_shown_ = true;
        if (value_names_.empty())
            for (const auto& v : report.values) value_names_.push_back(v.first);
        value_history_.resize(value_names_.size());
        for (std::size_t i = 0; i < value_names_.size() && i < report.values.size(); ++i)
            value_history_[i].push_back(float(report.values[i].second));
    }
    if (wake_) wake_();
    // Paused: hold the job here, at a step boundary, until resumed or cancelled.
    std::unique_lock<std::mutex> lock(mutex_);
    holding_ = paused_ && !cancel_ && !quit_;
    if (!holding_) return;
    held_since_ = std::chrono::steady_clock::now();
    lock.unlock();
    if (wake_) wake_();  // the panel says "paused" now, and the UI loop stops its progress redraws
    lock.lock();
    cv_.wait(lock, [&] { return !paused_ || cancel_ || quit_; });
    held_for_ += std::chrono::steady_clock::now() - held_since_;
    holding_ = false;
}

// The finishing the job has now (submit may have replaced it while the method ran).
void NeuralWorker::finish_on_worker(NeuralOutcome& outcome, const CancelToken& cancel) {
    std::optional<FinishSpec> spec;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        spec.swap(running_finish_);
    }
    if (!spec) return;
    outcome.finished = finish_result(outcome.result, *spec, cancel, mix_buffer_);
    outcome.finish_key = spec->key;
}

namespace {

// Runs of one method differ in length by the encoder passes the caches save: the method's name and
// that count. A request the method refuses counts none (its run reports the error).
std::string run_shape(const NeuralJob& job) {
    if (!job.method) return "/0";
    int passes = 0;
    try {
        passes = job.method->encoder_passes(job.content, job.style, job.context);
    } catch (const std::exception&) {}
    return job.method->info().name + "/" + std::to_string(passes);
}

}  // namespace

void NeuralWorker::loop() {
    // Models and caches belong to this thread.
    NeuralStylizer stylizer(library_);
    while (true) {
        NeuralJob job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            cv_.wait(lock, [&] { return quit_ || waiting_.has_value(); });
            if (quit_) return;
            job = std::move(*waiting_);
            waiting_.reset();
            running_key_ = job.key;
            running_finish_ = std::move(job.finish);
            running_preview_of_ = job.preview_of;
            running_shown_ = false;
            cancel_ = false;
            steps_ = 0;
            estimate_.reset();
            value_names_.clear();
            value_history_.clear();
            started_ = std::chrono::steady_clock::now();
            held_for_ = {};
        }
        job.context.models = &stylizer;
        job.context.cancel = CancelToken(&cancel_, &steps_);
        job.context.on_step = [this, &job](const StepReport& report) { publish(job.key, report); };
        stylizer.set_precision(job.precision);
        {
            const std::string shape = run_shape(job);
            std::lock_guard<std::mutex> lock(mutex_);
            running_method_ = shape;
        }
        NeuralOutcome outcome;
        outcome.key = job.key;
        bool cancelled = false;
        const auto start = std::chrono::steady_clock::now();
        try {
            at::InferenceMode inference;
            // On CUDA both threads queue on the device's default stream, so the UI thread's
            // later reads are ordered after the kernels that wrote the result.
            if (job.run) outcome.result = job.run(stylizer, job.context);
            else if (job.method) outcome.result = job.method->run(job.content, job.style, job.params, job.context);
            else throw Error(job.key, "a worker job without a method or a run");
            finish_on_worker(outcome, job.context.cancel);
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            std::string what = e.what();
            if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
            outcome.error = what;
        }
        outcome.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        outcome.precision = stylizer.last_precision();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!cancelled) {
                if (outcome.error.empty()) {
                    steps_per_method_[running_method_] = steps_.load();
                    last_steps_ = estimate_ ? estimate_->total : 0;
                    last_seconds_ = computing_seconds();
                }
                finished_ = std::move(outcome);
            } else {
                ++cancelled_jobs_;
            }
            running_finish_.reset();
            running_key_.clear();
            running_method_.clear();
            running_preview_of_.clear();
            estimate_.reset();
        }
        if (wake_ && !cancelled) wake_();
    }
}

}  // namespace nt::viewer
