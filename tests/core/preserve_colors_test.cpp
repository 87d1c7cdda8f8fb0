// Preserving the content's colours: the result has the stylized luminance and the content's
// chroma (YCbCr) to float precision, after any method through the pipeline.
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include "image/color_space.h"
#include "image/preserve_colors.h"
#include "stylize/stylize.h"
#include "image/tensor_convert.h"
#include "support/test_images.h"

namespace nt {
namespace {

TEST(PreserveColors, KeepsContentChromaAndStylizedLuma) {
    at::manual_seed(21);
    const at::Tensor content = 0.3 + 0.4 * at::rand({1, 3, 32, 48});
    const at::Tensor stylized = 0.35 + 0.3 * at::rand({1, 3, 32, 48});
    const at::Tensor result = preserve_content_colors(content, stylized);
    ASSERT_GT(result.min().item<float>(), 0.0f);  // inside the gamut, so the clamp did nothing
    ASSERT_LT(result.max().item<float>(), 1.0f);
    const at::Tensor ycc_r = rgb_to_ycbcr(result), ycc_c = rgb_to_ycbcr(content), ycc_s = rgb_to_ycbcr(stylized);
    EXPECT_LT((ycc_r.narrow(1, 1, 2) - ycc_c.narrow(1, 1, 2)).abs().max().item<float>(), 1e-6f);
    EXPECT_LT((ycc_r.narrow(1, 0, 1) - ycc_s.narrow(1, 0, 1)).abs().max().item<float>(), 1e-6f);
}

TEST(PreserveColors, GreyContentGivesAGreyResult) {
    at::manual_seed(22);
    const at::Tensor grey = at::rand({1, 1, 8, 8}).expand({1, 3, 8, 8}).contiguous();
    const at::Tensor result = preserve_content_colors(grey, at::rand({1, 3, 8, 8}));
    EXPECT_LT((result - result.mean(1, true)).abs().max().item<float>(), 1e-6f);
}

TEST(PreserveColors, AppliesAfterEveryMethodInThePipeline) {
    const Image content = test::make_pattern(64, 48, 1), style = test::make_pattern(40, 40, 7);
    for (const char* method : {"blend", "reinhard", "monge_kantorovich", "histogram"}) {
        StylizeOptions plain, kept;
        plain.method = kept.method = method;
        plain.device = kept.device = DeviceChoice::Cpu;
        plain.size = kept.size = parse_size_spec("original");
        kept.preserve_colors = true;
        const at::Tensor c = image_to_tensor(content);
        const at::Tensor p = image_to_tensor(stylize(content, style, plain));
        const at::Tensor k = image_to_tensor(stylize(content, style, kept));
        // Luma from the method's result, chroma from the content (up to 8-bit rounding and the
        // clamp on the few out-of-gamut pixels).
        EXPECT_LT((luma(k) - luma(p)).abs().mean().item<float>(), 0.01f) << method;
        const at::Tensor chroma_k = rgb_to_ycbcr(k).narrow(1, 1, 2), chroma_c = rgb_to_ycbcr(c).narrow(1, 1, 2);
        EXPECT_LT((chroma_k - chroma_c).abs().mean().item<float>(), 0.02f) << method;
    }
}

}  // namespace
}  // namespace nt
