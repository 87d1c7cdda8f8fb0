#include "viewer/neural_worker.h"

#include <ATen/ATen.h>

#include <chrono>

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
            return;
        }
        if (!running_key_.empty()) cancel_ = true;
        waiting_ = std::move(job);
    }
    cv_.notify_all();
}

void NeuralWorker::cancel_all() {
    std::lock_guard<std::mutex> lock(mutex_);
    waiting_.reset();
    if (!running_key_.empty()) cancel_ = true;
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

bool NeuralWorker::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return !running_key_.empty() || waiting_.has_value();
}

std::optional<NeuralEstimate> NeuralWorker::latest_estimate() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return estimate_;
}

NeuralStatus NeuralWorker::status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    NeuralStatus s;
    s.running = !running_key_.empty();
    if (!s.running) return s;
    s.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    if (estimate_) {
        s.step = estimate_->step;
        s.total = estimate_->total;
        s.stage = estimate_->stage;
        if (s.step > 0) s.remaining_s = s.elapsed_s * double(s.total - s.step) / double(s.step);
    }
    return s;
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
        std::lock_guard<std::mutex> lock(mutex_);
        if (cancel_ || running_key_ != key) return;  // stale: its estimates must not be shown
        estimate_ = NeuralEstimate{key, report.estimate, report.step, report.total, report.stage};
    }
    if (wake_) wake_();
}

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
            cancel_ = false;
            steps_ = 0;
            estimate_.reset();
            started_ = std::chrono::steady_clock::now();
        }
        {
            // Runs of one method differ in length by the encoder passes the caches save.
            const std::string shape = job.request.method + "/" + std::to_string(stylizer.encoder_passes(job.request));
            std::lock_guard<std::mutex> lock(mutex_);
            running_method_ = shape;
        }
        job.request.cancel = CancelToken(&cancel_, &steps_);
        NeuralOutcome outcome;
        outcome.key = job.key;
        bool cancelled = false;
        const auto start = std::chrono::steady_clock::now();
        try {
            at::InferenceMode inference;
            // On CUDA both threads queue on the device's default stream, so the UI thread's
            // later reads are ordered after the kernels that wrote the result.
            if (job.run) {
                RunContext context;
                context.cancel = job.request.cancel;
                context.on_step = [this, &job](const StepReport& report) { publish(job.key, report); };
                outcome.result = job.run(stylizer, context);
            } else {
                outcome.result = stylizer.run(job.request);
            }
        } catch (const Cancelled&) {
            cancelled = true;
        } catch (const std::exception& e) {
            std::string what = e.what();
            if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
            outcome.error = what;
        }
        outcome.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!cancelled) {
                if (outcome.error.empty()) steps_per_method_[running_method_] = steps_.load();
                finished_ = std::move(outcome);
            }
            running_key_.clear();
            running_method_.clear();
            estimate_.reset();
        }
        if (wake_ && !cancelled) wake_();
    }
}

}  // namespace nt::viewer
