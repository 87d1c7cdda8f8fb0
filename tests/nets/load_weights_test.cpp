// load_weights: every way a weights file can disagree with the module is an nt::Error naming the
// file and the key, and a failed load leaves the module exactly as it was.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "base/error.h"
#include "nets/adain_net.h"
#include "nets/load_weights.h"
#include "nets/transformer_net.h"
#include "nets/safetensors.h"
#include "nets_test_util.h"
#include "support/temp_dir.h"

namespace nt {
namespace {

const std::string kName = "weights.safetensors";

// A file holding random weights for every key of `module` (float32, in the module's shapes).
SafetensorsFile random_file(const torch::nn::Module& module) {
    SafetensorsFile file;
    for (const auto& p : module.named_parameters()) file.tensors[p.key()] = at::randn(p.value().sizes());
    return file;
}

std::map<std::string, at::Tensor> snapshot(const torch::nn::Module& module) {
    std::map<std::string, at::Tensor> out;
    for (const auto& p : module.named_parameters()) out[p.key()] = p.value().detach().clone();
    return out;
}

void expect_unchanged(const torch::nn::Module& module, const std::map<std::string, at::Tensor>& before) {
    for (const auto& p : module.named_parameters())
        EXPECT_TRUE(at::equal(p.value(), before.at(p.key()))) << p.key() << " changed by a failed load";
}

// load_weights must throw "weights.safetensors: ..." containing `reason` and leave the net as is.
void expect_rejected(const SafetensorsFile& file, const std::string& reason) {
    TransformerNet net;
    const auto before = snapshot(*net);
    try {
        load_weights(*net, file, kName);
        ADD_FAILURE() << "accepted; expected: " << reason;
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind(kName + ": ", 0), 0u) << what;
        EXPECT_NE(what.find(reason), std::string::npos) << what;
    }
    expect_unchanged(*net, before);
}

TEST(LoadWeights, CopiesEveryTensor) {
    TransformerNet net;
    const SafetensorsFile file = random_file(*net);
    load_weights(*net, file, kName);
    for (const auto& p : net->named_parameters())
        EXPECT_TRUE(at::equal(p.value(), file.tensors.at(p.key()))) << p.key();
    EXPECT_TRUE(net->named_parameters()[0].value().requires_grad());  // still parameters
}

TEST(LoadWeights, ConvertsFloatDtypesToTheModules) {
    AdainDecoder decoder;
    SafetensorsFile file = random_file(*decoder);
    file.tensors["1.weight"] = file.tensors["1.weight"].to(at::kHalf);
    file.tensors["1.bias"] = file.tensors["1.bias"].to(at::kBFloat16);
    file.tensors["5.weight"] = file.tensors["5.weight"].to(at::kDouble);
    load_weights(*decoder, file, kName);
    for (const auto& p : decoder->named_parameters()) {
        EXPECT_EQ(p.value().scalar_type(), at::kFloat) << p.key();
        EXPECT_TRUE(at::equal(p.value(), file.tensors.at(p.key()).to(at::kFloat))) << p.key();
    }
    // A double module gets double weights.
    decoder->to(at::kDouble);
    load_weights(*decoder, file, kName);
    EXPECT_EQ(decoder->named_parameters()["5.weight"].scalar_type(), at::kDouble);
    EXPECT_TRUE(at::equal(decoder->named_parameters()["5.weight"], file.tensors.at("5.weight")));
}

TEST(LoadWeights, MissingKey) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors.erase("res3.in2.bias");
    expect_rejected(file, "missing 1 ('res3.in2.bias')");
}

TEST(LoadWeights, UnexpectedKey) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors["in1.running_mean"] = at::zeros({32});
    expect_rejected(file, "unexpected 1 ('in1.running_mean')");
}

TEST(LoadWeights, WrongShape) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors["conv1.conv2d.weight"] = at::randn({32, 3, 3, 3});
    expect_rejected(file, "conv1.conv2d.weight: shape [32, 3, 9, 9] expected, file has [32, 3, 3, 3]");
}

TEST(LoadWeights, IntegerDtype) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors["in2.weight"] = at::ones({64}, at::kInt);
    expect_rejected(file, "in2.weight: dtype Int is not a floating-point type");
}

TEST(LoadWeights, NaN) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors["deconv3.conv2d.bias"][1] = std::numeric_limits<float>::quiet_NaN();
    expect_rejected(file, "deconv3.conv2d.bias: non-finite values");
}

TEST(LoadWeights, Infinity) {
    SafetensorsFile file = random_file(*TransformerNet());
    file.tensors["res5.in1.weight"][7] = -std::numeric_limits<float>::infinity();
    expect_rejected(file, "res5.in1.weight: non-finite values");
}

TEST(LoadWeights, DoubleOutOfFloatRange) {
    SafetensorsFile file = random_file(*TransformerNet());
    at::Tensor big = file.tensors["in3.bias"].to(at::kDouble);
    big[0] = 1e300;
    file.tensors["in3.bias"] = big;
    expect_rejected(file, "in3.bias: values out of range for Float");
}

TEST(LoadWeights, LoaderNamesTheFile) {
    test::TempDir dir;
    // An encoder's weights given to the decoder loader: every key is wrong.
    VggEncoder encoder;
    std::map<std::string, at::Tensor> tensors;
    for (const auto& p : encoder->named_parameters()) tensors[p.key()] = p.value();
    save_safetensors(dir / "encoder.safetensors", tensors);
    try {
        load_adain_decoder(dir / "encoder.safetensors");
        ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find((dir / "encoder.safetensors").string() + ": tensor names do not match"), std::string::npos)
            << what;
    }
    const VggEncoder loaded = load_vgg_encoder(dir / "encoder.safetensors");
    EXPECT_FALSE(loaded->is_training());
    EXPECT_TRUE(at::equal(loaded->named_parameters()["29.weight"], encoder->named_parameters()["29.weight"]));
    EXPECT_THROW(load_transformer_net(dir / "absent.safetensors"), Error);
}

}  // namespace
}  // namespace nt
