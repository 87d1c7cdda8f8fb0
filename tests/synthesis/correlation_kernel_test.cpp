// The CPU correlation kernel (synthesis/correlation_kernel.h) against LibTorch's conv2d, for every
// output count its blocks split differently (a whole block, each remainder), rows narrower and
// wider than a block, and each vector width this CPU runs (base/cpu_kernel.h).
#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <string>
#include <tuple>

#include "support/vector_widths.h"
#include "synthesis/correlation_kernel.h"

using namespace nt;

namespace {

using CorrelationKernel = EachVectorWidth;

}  // namespace

TEST_P(CorrelationKernel, EqualsConv2d) {
    // {input channels, height, width, outputs, patch}
    using Shape = std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t>;
    for (const auto& [in, h, w, outs, patch] :
         {Shape{3, 20, 90, 32, 7}, Shape{3, 9, 40, 1, 3}, Shape{3, 9, 41, 2, 3}, Shape{3, 9, 70, 3, 3},
          Shape{3, 9, 70, 4, 3}, Shape{3, 9, 70, 5, 3}, Shape{3, 9, 70, 6, 3}, Shape{3, 9, 70, 7, 3},
          Shape{3, 9, 70, 8, 3}, Shape{3, 9, 70, 13, 3}, Shape{32, 12, 60, 3, 5}, Shape{5, 1, 300, 9, 1},
          Shape{3, 8, 12, 6, 7}}) {
        at::manual_seed(in * 1000 + w + outs);
        const at::Tensor x = at::randn({in, h, w}), weights = at::randn({outs, in, patch, patch});
        const at::Tensor expected = at::conv2d(x.unsqueeze(0), weights).squeeze(0);
        at::Tensor got = at::full_like(expected, -1e9);
        correlate_valid(x.data_ptr<float>(), weights.data_ptr<float>(), CorrelationShape{in, h, w, outs, patch},
                        got.data_ptr<float>());
        EXPECT_TRUE(at::allclose(got, expected, 1e-4, 1e-3))
            << in << "x" << h << "x" << w << " -> " << outs << " p " << patch << ": max difference "
            << (got - expected).abs().max().item<float>();
    }
}

NT_FOR_EACH_VECTOR_WIDTH(CorrelationKernel);
