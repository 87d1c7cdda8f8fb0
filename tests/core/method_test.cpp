#include <gtest/gtest.h>

#include <ATen/ATen.h>

#include <cmath>

#include "core/error.h"
#include "core/methods/method.h"

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

TEST(MethodRegistry, ApplyRunsTheMethod) {
    const at::Tensor c = at::zeros({1, 3, 4, 4}), s = at::ones({1, 3, 4, 4});
    const at::Tensor r = method_by_name("blend").apply(c, s, {{"alpha", 0.25}});
    EXPECT_TRUE(at::allclose(r, at::full({1, 3, 4, 4}, 0.25)));
}

}  // namespace
}  // namespace nt
