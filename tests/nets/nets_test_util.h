#pragma once
// Shared by the nets tests: where the PyTorch fixture lives, and the comparison metric.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include "nets/safetensors.h"

namespace nt::test {

// Written by the nets_fixture ctest (tests/fixtures/make_nets_fixture.py); NT_NETS_FIXTURE_DIR
// comes from tests/nets/CMakeLists.txt.
inline std::filesystem::path nets_fixture_dir() { return NT_NETS_FIXTURE_DIR; }

// cases.safetensors is written last, so its presence means the fixture is complete.
inline bool nets_fixture_present() { return std::filesystem::exists(nets_fixture_dir() / "cases.safetensors"); }

#define NT_REQUIRE_NETS_FIXTURE()                                                                       \
    do {                                                                                                \
        if (!::nt::test::nets_fixture_present())                                                        \
            GTEST_FAIL() << "no PyTorch fixture in " << ::nt::test::nets_fixture_dir().string()         \
                         << ": this test needs python3-torch: run tests/fixtures/make_nets_fixture.py " \
                         << ::nt::test::nets_fixture_dir().string();                                    \
    } while (0)

// The comparison used against PyTorch: the largest elementwise difference relative to the
// largest magnitude of the expected tensor, max|a - b| / max|b|. It is scale-free, and unlike a
// per-element relative error it is not thrown off by values near zero (most of a ReLU output).
inline double max_rel_diff(const at::Tensor& actual, const at::Tensor& expected) {
    const at::Tensor a = actual.detach().to(at::kCPU, at::kDouble);
    const at::Tensor b = expected.detach().to(at::kCPU, at::kDouble);
    const double scale = b.abs().max().item<double>();
    return (a - b).abs().max().item<double>() / (scale > 0 ? scale : 1.0);
}

#define EXPECT_CLOSE_REL(actual, expected, tol)                                                     \
    do {                                                                                            \
        const at::Tensor nt_a_ = (actual), nt_b_ = (expected);                                      \
        ASSERT_EQ(nt_a_.sizes(), nt_b_.sizes());                                                    \
        EXPECT_LE(::nt::test::max_rel_diff(nt_a_, nt_b_), (tol)) << #actual << " vs " << #expected; \
    } while (0)

// The cases file, read once, as normal tensors even when first used under InferenceMode (an
// inference tensor could not take part in the autograd-enabled tests).
inline const std::map<std::string, at::Tensor>& nets_cases() {
    static const SafetensorsFile file = [] {
        c10::InferenceMode normal_tensors(false);
        return read_safetensors(nets_fixture_dir() / "cases.safetensors");
    }();
    return file.tensors;
}
inline at::Tensor nets_case(const std::string& name) { return nets_cases().at(name); }

}  // namespace nt::test
