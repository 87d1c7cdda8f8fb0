#pragma once
// A parameterised fixture whose tests run with the hand-vectorised kernels limited to 4, 8 and 16
// floats a vector (base/cpu_kernel.h): every width this CPU has, the widest it has standing in
// for those it lacks. Instantiate with NT_FOR_EACH_VECTOR_WIDTH(Suite).
#include <gtest/gtest.h>

#include <string>

#include "base/cpu_kernel.h"

namespace nt {

class EachVectorWidth : public ::testing::TestWithParam<int> {
protected:
    void SetUp() override { float_lanes_limit() = GetParam(); }
    void TearDown() override { float_lanes_limit() = 16; }
};

}  // namespace nt

#define NT_FOR_EACH_VECTOR_WIDTH(SUITE)                                 \
    INSTANTIATE_TEST_SUITE_P(Lanes, SUITE, ::testing::Values(4, 8, 16), \
                             [](const ::testing::TestParamInfo<int>& lanes) { return std::to_string(lanes.param); })
