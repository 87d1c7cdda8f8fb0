#pragma once
// The viewer's "Mask from segmentation", without GL: runs a segmentation model on the working
// content on its own worker thread (so a stylization running on the method's worker is not
// disturbed), keeps the class probabilities, and turns the chosen classes into a mask picture
// that the mask canvas loads (and the brush can then edit). The result is for one content
// picture at one working size; a new one makes it stale and it is dropped.
#include <ATen/Tensor.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"
#include "nets/model_library.h"
#include "viewer/pipeline/neural_worker.h"

namespace nt::viewer {

// The segmentation model to use among `models` (the folder's, sorted by name): the remembered
// one when the folder has it, else the first (a remembered model missing from a new folder falls
// back, as the method's model does); "" when there is none.
std::string chosen_segmentation_model(const std::vector<ModelEntry>& models, const std::string& remembered);

struct SegmentationClass {
    int index = 0;
    std::string name;
    double share = 0.0;  // of the picture: the mean of its probability
};

class SegmentationMasks {
public:
    // Classes below this share are not offered (a random few pixels are no object).
    static constexpr double kMinShare = 0.005;

    void set_models(ModelLibrary library, std::function<void()> wake = {});
    const std::vector<ModelEntry>& models() const;

    // Starts the model on `content` (the working picture) for the content `generation`; a running
    // one for other inputs is cancelled.
    void compute(const Image& content, std::uint64_t generation, const std::string& model);
    // Picks a finished result up (call every frame while busy()); true when one arrived.
    bool poll();
    bool busy() const { return worker_ && worker_->busy(); }
    std::string error() const { return error_; }

    // The result, if it is for this content generation and size, from this model.
    bool ready_for(std::uint64_t generation, int width, int height, const std::string& model) const;
    // The classes present (share >= kMinShare), largest first.
    const std::vector<SegmentationClass>& classes() const { return present_; }
    std::vector<int>& selected() { return selected_; }
    // The chosen classes' mask as a grey picture at the working size (white = stylized).
    Image mask_picture(bool invert) const;

private:
    std::unique_ptr<NeuralWorker> worker_;
    std::vector<std::string> names_;  // the model's classes (its sidecar)
    std::string pending_key_;
    std::uint64_t pending_generation_ = 0, generation_ = 0;
    std::string pending_model_, model_;  // the model asked for, and the one of the result
    at::Tensor probabilities_;           // [1, C, H, W] of the last result
    std::vector<SegmentationClass> present_;
    std::vector<int> selected_;
    std::string error_;
};

}  // namespace nt::viewer
