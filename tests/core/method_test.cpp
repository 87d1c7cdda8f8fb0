#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <atomic>
#include <cmath>

#include "base/error.h"
#include "methods/method.h"
#include "methods/strength.h"
#include "stylize/registry.h"

namespace nt {
namespace {

TEST(MethodRegistry, BlendIsRegisteredWithItsParameter) {
    const Method* blend = find_method("blend");
    ASSERT_NE(blend, nullptr);
    const MethodInfo& info = blend->info();
    EXPECT_FALSE(info.needs_model);
    ASSERT_EQ(info.params.size(), 1u);
    EXPECT_EQ(info.params[0].name, "alpha");
    EXPECT_DOUBLE_EQ(info.params[0].default_value, 0.4);
    EXPECT_EQ(find_method("nope"), nullptr);
    EXPECT_THROW(method_by_name("nope"), Error);
}

TEST(MethodRegistry, EveryMethodDeclaresSaneParameters) {
    for (const auto& m : method_registry()) {
        const MethodInfo& info = m->info();
        EXPECT_FALSE(info.name.empty());
        EXPECT_FALSE(info.label.empty());
        for (const ParamSpec& p : info.params) {
            EXPECT_LT(p.min_value, p.max_value) << info.name << "." << p.name;
            EXPECT_GE(p.default_value, p.min_value) << info.name << "." << p.name;
            EXPECT_LE(p.default_value, p.max_value) << info.name << "." << p.name;
        }
    }
}

TEST(MethodRegistry, ResolveParamsCompletesAndValidates) {
    const MethodInfo& info = method_by_name("blend").info();
    EXPECT_DOUBLE_EQ(resolve_params(info, {}).at("alpha"), 0.4);
    EXPECT_DOUBLE_EQ(resolve_params(info, {{"alpha", 0.9}}).at("alpha"), 0.9);
    EXPECT_THROW(resolve_params(info, {{"alpha", 1.5}}), Error);
    EXPECT_THROW(resolve_params(info, {{"alpha", std::nan("")}}), Error);
    EXPECT_THROW(resolve_params(info, {{"gamma", 0.5}}), Error);
}

TEST(MethodRegistry, NeuralMethodsNeedAModelAndSaySo) {
    const at::Tensor c = at::zeros({1, 3, 8, 8});
    for (const char* name : {"fast_style", "adain", "torchscript"}) {
        const MethodInfo& info = method_by_name(name).info();
        EXPECT_TRUE(info.needs_model) << name;
        EXPECT_EQ(info.uses_style, std::string(name) == "adain") << name;
        EXPECT_THROW(method_by_name(name).apply(c, c, default_params(info)), Error) << name;
    }
}

TEST(MethodRegistry, ApplyRunsTheMethod) {
    const at::Tensor c = at::zeros({1, 3, 4, 4}), s = at::ones({1, 3, 4, 4});
    const at::Tensor r = method_by_name("blend").apply(c, s, {{"alpha", 0.25}});
    EXPECT_TRUE(at::allclose(r, at::full({1, 3, 4, 4}, 0.25)));
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(MethodRegistry, MixParametersOnlyMixWithTheResultAtOne) {
    at::manual_seed(3);
    const at::Tensor c = at::rand({1, 3, 12, 10}), s = at::rand({1, 3, 12, 10}) * 0.5 + 0.2;
    for (const auto& m : method_registry()) {
        const MethodInfo& info = m->info();
        if (info.mix_param.empty() || info.needs_model) continue;  // neural: neural_stylizer_test.cpp
        ParamValues at_one = default_params(info);
        at_one[info.mix_param] = 1.0;
        const at::Tensor full = m->apply(c, s, at_one);
        for (double v : {0.0, 0.25, 0.9}) {
            ParamValues p = at_one;
            p[info.mix_param] = v;
            EXPECT_TRUE(at::equal(m->apply(c, s, p), mix_by_strength(c, full, v))) << info.name << " " << v;
        }
    }
}

// A viewer job made stale by a newer one stops: the colour transfers check the run's cancel
// token between their passes over the pixels (before, run() ignored it and computed to the end).
TEST(MethodRegistry, ColourTransfersStopWhenTheirRunIsCancelled) {
    const at::Tensor content = at::rand({1, 3, 24, 32}), style = at::rand({1, 3, 24, 32});
    for (const char* name : {"reinhard", "monge_kantorovich", "histogram"}) {
        const Method& method = method_by_name(name);
        const ParamValues params = resolve_params(method.info(), {});
        std::atomic<bool> cancelled{true};
        std::atomic<int> checks{0};
        RunContext stale;
        stale.cancel = CancelToken(&cancelled, &checks);
        EXPECT_THROW(method.run(content, style, params, stale), Cancelled) << name;
        EXPECT_EQ(checks.load(), 1) << name;  // stopped at the first check, not after the last pass
        // Not cancelled: the same picture as apply(), having checked between several passes.
        cancelled = false;
        checks = 0;
        const at::Tensor ran = method.run(content, style, params, stale);
        EXPECT_TRUE(at::equal(ran, method.apply(content, style, params))) << name;
        EXPECT_GE(checks.load(), 3) << name;
    }
}

}  // namespace
}  // namespace nt
