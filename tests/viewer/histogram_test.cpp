// Histograms of the panels' pictures: every pixel counted once per row, in the right bin, for RGB
// pictures and RGBA results alike.
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "viewer/state/histogram.h"

namespace nt::viewer {
namespace {

std::uint64_t total(const std::array<std::uint32_t, 256>& bins) {
    return std::accumulate(bins.begin(), bins.end(), std::uint64_t(0));
}

TEST(Histogram, CountsEveryChannelAndTheLuminance) {
    // 3 x 2 RGB: four pure green pixels, one white, one (200, 100, 50).
    const std::vector<std::uint8_t> rgb = {0, 255, 0, 0, 255, 0, 255, 255, 255, 0, 255, 0, 0, 255, 0, 200, 100, 50};
    const Histogram h = compute_histogram(rgb.data(), 3, 2, 3);
    EXPECT_EQ(h.pixels, 6u);
    for (int row = 0; row < 4; ++row) EXPECT_EQ(total(h.bins[row]), 6u) << row;
    EXPECT_EQ(h.bins[Histogram::Red][0], 4u);
    EXPECT_EQ(h.bins[Histogram::Red][255], 1u);
    EXPECT_EQ(h.bins[Histogram::Red][200], 1u);
    EXPECT_EQ(h.bins[Histogram::Green][255], 5u);
    EXPECT_EQ(h.bins[Histogram::Blue][50], 1u);
    EXPECT_EQ(h.peak[Histogram::Green], 5u);
    EXPECT_EQ(h.bins[Histogram::Luminance][255], 1u);  // white stays white
    EXPECT_EQ(h.bins[Histogram::Luminance][luminance_of(0, 255, 0)], 4u);
    EXPECT_EQ(luminance_of(0, 255, 0), 182);  // Rec. 709: 0.7152 of full green
    EXPECT_EQ(luminance_of(0, 0, 0), 0);
}

TEST(Histogram, ReadsRgbaResultsAndRefusesNothing) {
    const std::vector<std::uint8_t> rgba = {10, 20, 30, 255, 10, 20, 30, 0};
    const Histogram h = compute_histogram(rgba.data(), 2, 1, 4);
    EXPECT_EQ(h.bins[Histogram::Red][10], 2u);
    EXPECT_EQ(h.bins[Histogram::Blue][30], 2u);
    EXPECT_EQ(total(h.bins[Histogram::Blue]), 2u);  // alpha is not a channel here
    EXPECT_EQ(compute_histogram(nullptr, 4, 4, 3).pixels, 0u);
    EXPECT_EQ(compute_histogram(rgba.data(), 0, 1, 4).pixels, 0u);
}

// The cache follows the picture's generation, not its pixels: a frame that changed nothing
// recomputes nothing, a new picture always does.
TEST(Histogram, RecomputedOnlyWhenThePictureChanges) {
    std::vector<std::uint8_t> rgb = {10, 10, 10, 20, 20, 20};
    HistogramCache cache;
    EXPECT_TRUE(refresh_histogram(cache, 7, rgb.data(), 2, 1, 3));
    EXPECT_EQ(cache.histogram.bins[Histogram::Red][10], 1u);
    rgb[0] = 99;  // the same generation: what was computed stays
    EXPECT_FALSE(refresh_histogram(cache, 7, rgb.data(), 2, 1, 3));
    EXPECT_EQ(cache.histogram.bins[Histogram::Red][10], 1u);
    EXPECT_TRUE(refresh_histogram(cache, 8, rgb.data(), 2, 1, 3));
    EXPECT_EQ(cache.histogram.bins[Histogram::Red][99], 1u);
    EXPECT_EQ(cache.histogram.bins[Histogram::Red][10], 0u);
    EXPECT_FALSE(refresh_histogram(cache, 9, nullptr, 2, 1, 3));  // pixels not at hand: kept
    EXPECT_EQ(cache.generation, 8u);
}

}  // namespace
}  // namespace nt::viewer
