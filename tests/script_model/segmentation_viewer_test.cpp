// The viewer's "Mask from segmentation" (viewer/pipeline/segmentation_masks.h) with the fixture's random
// LR-ASPP: computed on its own worker, the classes present offered with their shares, and the
// chosen ones (or everything else) given to the mask canvas as the core's class mask.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <chrono>
#include <thread>

#include "nets/neural_stylizer.h"
#include "image/segmentation_mask.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"
#include "viewer/pipeline/segmentation_masks.h"

namespace nt {
namespace {

std::filesystem::path models() { return std::filesystem::path(NT_SEGMENTATION_FIXTURE_DIR) / "models"; }

TEST(SegmentationMasks, ClassesArriveFromTheWorkerAndBecomeTheMask) {
    if (!std::filesystem::exists(models() / "segmentation" / "voc.pt")) GTEST_FAIL() << "no segmentation fixture";
    viewer::SegmentationMasks seg;
    ModelLibrary lib = scan_models(models());
    seg.set_models(lib);
    const Image content = test::make_pattern(40, 32, 3);
    seg.compute(content, 7, "voc");
    EXPECT_TRUE(seg.error().empty()) << seg.error();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool arrived = false;
    while (!arrived && std::chrono::steady_clock::now() < deadline) {
        arrived = seg.poll();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(arrived) << seg.error();
    EXPECT_TRUE(seg.ready_for(7, 40, 32, "voc"));
    EXPECT_FALSE(seg.ready_for(8, 40, 32, "voc"));   // another content picture
    EXPECT_FALSE(seg.ready_for(7, 40, 32, "tiny"));  // another model's classes
    ASSERT_FALSE(seg.classes().empty());
    for (std::size_t i = 1; i < seg.classes().size(); ++i)
        EXPECT_GE(seg.classes()[i - 1].share, seg.classes()[i].share);  // largest first
    for (const auto& c : seg.classes()) EXPECT_GE(c.share, viewer::SegmentationMasks::kMinShare);

    // The chosen classes' mask is the core's, as a grey picture.
    seg.selected() = {seg.classes().front().index};
    NeuralStylizer neural(lib);
    at::InferenceMode inference;
    const at::Tensor probs = neural.segment("voc", image_to_tensor(content));
    const Image expected = tensor_to_image(class_mask(probs, seg.selected()).expand({1, 3, 32, 40}).contiguous());
    EXPECT_EQ(seg.mask_picture(false).pixels, expected.pixels);
    const Image inverted = seg.mask_picture(true);
    EXPECT_NEAR(double(inverted.pixels[0]) + double(expected.pixels[0]), 255.0, 1.0);
    // A missing model is an error to show, not a crash.
    seg.compute(content, 7, "nope");
    EXPECT_NE(seg.error().find("no such segmentation model"), std::string::npos) << seg.error();
}

}  // namespace
}  // namespace nt
