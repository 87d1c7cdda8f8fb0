#include <gtest/gtest.h>

#include "base/error.h"
#include "base/limits.h"
#include "image/sizing.h"

namespace nt {
namespace {

TEST(SizeSpec, DefaultIsTheOriginals512Square) {
    const SizeSpec spec = default_size_spec();
    EXPECT_EQ(spec.mode, SizeSpec::Mode::Square);
    EXPECT_EQ(working_size(spec, {729, 512}), (Size2{512, 512}));
    EXPECT_EQ(to_string(spec), "512");
}

TEST(SizeSpec, ParsesEveryMode) {
    EXPECT_EQ(working_size(parse_size_spec("256"), {100, 50}), (Size2{256, 256}));
    EXPECT_EQ(working_size(parse_size_spec("640x480"), {100, 50}), (Size2{640, 480}));
    EXPECT_EQ(working_size(parse_size_spec("640X480"), {100, 50}), (Size2{640, 480}));
    EXPECT_EQ(working_size(parse_size_spec("original"), {729, 512}), (Size2{729, 512}));
    EXPECT_EQ(working_size(parse_size_spec("long:1024"), {729, 512}), (Size2{1024, 719}));
    EXPECT_EQ(working_size(parse_size_spec("long:1024"), {591, 800}), (Size2{756, 1024}));
    EXPECT_EQ(working_size(parse_size_spec("long:100"), {5000, 10}), (Size2{100, 1}));
}

TEST(SizeSpec, RoundTripsThroughText) {
    for (const char* text : {"512", "640x480", "long:1024", "original"})
        EXPECT_EQ(to_string(parse_size_spec(text)), text);
}

TEST(SizeSpec, RejectsZeroMalformedAndOversized) {
    for (const char* bad : {"0", "0x10", "10x0", "long:0", "", "abc", "-5", "12.5", "x", "10x", "long:", "10x10x10",
                            " 512", "1e3", "99999999999", "32769", "40000x10", "long:50000", "20000x20000"}) {
        EXPECT_THROW(parse_size_spec(bad), Error) << "'" << bad << "'";
    }
    EXPECT_NO_THROW(parse_size_spec(std::to_string(kMaxImageSide) + "x1"));
}

TEST(SizeSpec, ErrorNamesTheText) {
    try {
        parse_size_spec("0");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("--size 0"), std::string::npos) << e.what();
    }
}

TEST(SizeSpec, OriginalOfHugeContentIsRefused) {
    EXPECT_THROW(working_size(parse_size_spec("original"), {kMaxImageSide + 1, 10}), Error);
}

}  // namespace
}  // namespace nt
