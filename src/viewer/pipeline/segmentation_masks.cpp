#include "viewer/pipeline/segmentation_masks.h"

#include <ATen/ATen.h>

#include <algorithm>

#include "base/error.h"
#include "nets/script_model.h"
#include "image/segmentation_mask.h"
#include "image/tensor_convert.h"

namespace nt::viewer {

std::string chosen_segmentation_model(const std::vector<ModelEntry>& models, const std::string& remembered) {
    for (const ModelEntry& e : models)
        if (e.name == remembered) return remembered;
    return models.empty() ? std::string() : models.front().name;
}

void SegmentationMasks::set_models(ModelLibrary library, std::function<void()> wake) {
    worker_ = std::make_unique<NeuralWorker>(std::move(library), std::move(wake));
}

const std::vector<ModelEntry>& SegmentationMasks::models() const {
    static const std::vector<ModelEntry> none;
    return worker_ ? worker_->library().segmenters : none;
}

void SegmentationMasks::compute(const Image& content, std::uint64_t generation, const std::string& model) {
    error_.clear();
    if (!worker_) return;
    try {
        const ModelEntry entry = find_model(worker_->library(), ModelKind::Segmentation, model);
        names_ = read_script_sidecar(entry.path).classes;  // the sidecar only: a few hundred bytes
        NeuralJob job;
        job.key = "segment|" + entry.path.string() + "|" + std::to_string(generation) + "|" +
                  std::to_string(content.width) + "x" + std::to_string(content.height);
        at::InferenceMode inference;
        const at::Tensor picture = image_to_tensor(content);
        job.run = [name = entry.path.string(), picture](NeuralStylizer& s, const RunContext& ctx) {
            ctx.cancel.check();
            return s.segment(name, picture);
        };
        pending_key_ = job.key;
        pending_generation_ = generation;
        pending_model_ = model;
        worker_->submit(std::move(job));
    } catch (const std::exception& e) {
        error_ = e.what();
    }
}

bool SegmentationMasks::poll() {
    if (!worker_) return false;
    std::optional<NeuralOutcome> done = worker_->take();
    if (!done || done->key != pending_key_) return false;
    if (!done->error.empty()) {
        error_ = done->error;
        return false;
    }
    probabilities_ = done->result;
    generation_ = pending_generation_;
    model_ = pending_model_;
    const std::vector<double> shares = class_shares(probabilities_);
    present_.clear();
    for (std::size_t i = 0; i < shares.size() && i < names_.size(); ++i)
        if (shares[i] >= kMinShare) present_.push_back({int(i), names_[i], shares[i]});
    std::sort(present_.begin(), present_.end(), [](const auto& a, const auto& b) { return a.share > b.share; });
    selected_.clear();
    return true;
}

bool SegmentationMasks::ready_for(std::uint64_t generation, int width, int height, const std::string& model) const {
    return probabilities_.defined() && generation_ == generation && model_ == model &&
           probabilities_.size(3) == width && probabilities_.size(2) == height;
}

Image SegmentationMasks::mask_picture(bool invert) const {
    at::InferenceMode inference;
    const at::Tensor m =
        selected_.empty() ? at::zeros_like(probabilities_.narrow(1, 0, 1)) : class_mask(probabilities_, selected_);
    const at::Tensor grey = invert ? 1.0 - m : m;
    return tensor_to_image(grey.expand({1, 3, grey.size(2), grey.size(3)}).contiguous());
}

}  // namespace nt::viewer
