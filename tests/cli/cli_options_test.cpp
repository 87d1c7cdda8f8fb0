#include <gtest/gtest.h>

#include <vector>

#include "cli/cli_options.h"
#include "base/error.h"

namespace nt {
namespace {

CliOptions parse(std::vector<const char*> args) {
    args.insert(args.begin(), "neuraltransfer");
    return parse_cli_options(int(args.size()), args.data());
}

std::string error_of(std::vector<const char*> args) {
    try {
        parse(args);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(CliOptions, DefaultsAreTheOriginalWorkflow) {
    const CliOptions o = parse({"c.jpg", "s.jpg"});
    EXPECT_EQ(o.content, "c.jpg");
    EXPECT_EQ(o.style, "s.jpg");
    EXPECT_FALSE(o.output.has_value());
    EXPECT_DOUBLE_EQ(o.stylize.params.at("alpha"), 0.4);
    EXPECT_EQ(o.stylize.size, default_size_spec());
    EXPECT_EQ(o.stylize.device, DeviceChoice::Auto);
    EXPECT_EQ(o.stylize.precision, Precision::Auto);
    EXPECT_EQ(o.save.jpeg_quality, 75);
    EXPECT_STREQ(kDefaultOutputFile, "stylized_output.jpg");
}

TEST(CliOptions, ParsesEveryOptionInBothForms) {
    const CliOptions o = parse({"-o", "out.png", "--alpha", "0.7", "--size=long:800", "--device", "cpu", "--quality=90",
                                "--format", "png", "-q", "--precision=fp32", "c.jpg", "s.jpg"});
    EXPECT_EQ(o.stylize.precision, Precision::Fp32);
    EXPECT_EQ(*o.output, "out.png");
    EXPECT_DOUBLE_EQ(o.stylize.params.at("alpha"), 0.7);
    EXPECT_EQ(to_string(o.stylize.size), "long:800");
    EXPECT_EQ(o.stylize.device, DeviceChoice::Cpu);
    EXPECT_EQ(o.save.jpeg_quality, 90);
    EXPECT_EQ(o.batch_format, ImageFormat::Png);
    EXPECT_TRUE(o.quiet);
}

TEST(CliOptions, DoubleDashEndsOptions) {
    const CliOptions o = parse({"--", "-odd.jpg", "s.jpg"});
    EXPECT_EQ(o.content, "-odd.jpg");
}

TEST(CliOptions, HelpAndVersionNeedNoPaths) {
    EXPECT_TRUE(parse({"--help"}).help);
    EXPECT_TRUE(parse({"-h"}).help);
    EXPECT_TRUE(parse({"--version"}).version);
    EXPECT_NE(usage_text().find("--alpha"), std::string::npos);
    EXPECT_NE(version_text().find("neuraltransfer"), std::string::npos);
}

TEST(CliOptions, RejectsBadValuesWithTheOptionNamed) {
    EXPECT_NE(error_of({"--alpha", "1.5", "c", "s"}).find("--alpha 1.5"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "-0.1", "c", "s"}).find("--alpha"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "nan", "c", "s"}).find("--alpha"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "NaN", "c", "s"}).find("--alpha"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "inf", "c", "s"}).find("--alpha"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "0.5x", "c", "s"}).find("expected a number"), std::string::npos);
    EXPECT_NE(error_of({"--alpha", "", "c", "s"}).find("--alpha"), std::string::npos);
    EXPECT_NE(error_of({"--size", "0", "c", "s"}).find("--size 0"), std::string::npos);
    EXPECT_NE(error_of({"--size", "100000", "c", "s"}).find("beyond the limit"), std::string::npos);
    EXPECT_NE(error_of({"--quality", "0", "c", "s"}).find("--quality"), std::string::npos);
    EXPECT_NE(error_of({"--quality", "80.5", "c", "s"}).find("--quality"), std::string::npos);
    EXPECT_NE(error_of({"--device", "tpu", "c", "s"}).find("--device tpu"), std::string::npos);
    EXPECT_NE(error_of({"--precision", "fp8", "c", "s"}).find("--precision fp8: expected auto, fp32 or bf16"),
              std::string::npos);
    EXPECT_NE(error_of({"--format", "webp", "c", "s"}).find("--format webp"), std::string::npos);
    EXPECT_NE(error_of({"--frobnicate", "c", "s"}).find("unknown option"), std::string::npos);
    EXPECT_NE(error_of({"c", "s", "--alpha"}).find("missing value"), std::string::npos);
    EXPECT_NE(error_of({"--help=yes"}).find("takes no value"), std::string::npos);
    EXPECT_NE(error_of({"c"}).find("expected CONTENT and STYLE"), std::string::npos);
    EXPECT_NE(error_of({"a", "b", "c"}).find("expected CONTENT and STYLE"), std::string::npos);
    EXPECT_NE(error_of({"-o", "", "c", "s"}).find("empty"), std::string::npos);
}

TEST(CliOptions, AcceptsTheAlphaBounds) {
    EXPECT_DOUBLE_EQ(parse({"--alpha", "0", "c", "s"}).stylize.params.at("alpha"), 0.0);
    EXPECT_DOUBLE_EQ(parse({"--alpha", "1", "c", "s"}).stylize.params.at("alpha"), 1.0);
}

}  // namespace
}  // namespace nt

namespace nt {
namespace {

TEST(CliOptions, MethodAndParams) {
    const CliOptions o = parse({"--method", "blend", "--param", "alpha=0.8", "c", "s"});
    EXPECT_EQ(o.stylize.method, "blend");
    EXPECT_DOUBLE_EQ(o.stylize.params.at("alpha"), 0.8);
    EXPECT_NE(error_of({"--method", "cubism", "c", "s"}).find("--method cubism"), std::string::npos);
    EXPECT_NE(error_of({"--param", "alpha", "c", "s"}).find("NAME=VALUE"), std::string::npos);
    EXPECT_NE(error_of({"--param", "beta=1", "c", "s"}).find("no parameter named beta"), std::string::npos);
    // Named as typed (issue 26: it said "--alpha 3", and "--strength 2" for an option that does not exist).
    EXPECT_NE(error_of({"--param", "alpha=3", "c", "s"}).find("--param alpha=3: "), std::string::npos);
    EXPECT_TRUE(parse({"--list-methods"}).list_methods);
    EXPECT_NE(methods_text().find("--param alpha=V"), std::string::npos);
}

TEST(CliOptions, BatchAtScaleOptions) {
    const CliOptions o = parse({"c", "s", "--shard=2/4", "--skip-existing", "--report", "r.jsonl"});
    EXPECT_EQ(o.shard.spec, "2/4");
    EXPECT_FALSE(o.shard.count);
    EXPECT_TRUE(o.skip_existing);
    EXPECT_EQ(o.report, "r.jsonl");
    EXPECT_EQ(parse({"c", "s", "--shard-count", "8"}).shard.count, "8");
    EXPECT_NE(error_of({"c", "s", "--shard", "4/4"}).find("--shard 4/4"), std::string::npos);
    EXPECT_NE(error_of({"c", "s", "--shard", "x"}).find("--shard x"), std::string::npos);
    EXPECT_NE(error_of({"c", "s", "--skip-existing=yes"}).find("takes no value"), std::string::npos);
    EXPECT_NE(error_of({"c", "s", "--report", ""}).find("--report"), std::string::npos);
    EXPECT_NE(error_of({"c", "s", "--report"}).find("missing value"), std::string::npos);
}

}  // namespace
}  // namespace nt
