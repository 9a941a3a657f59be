// Tests that need a CUDA device: skipped elsewhere. The engine-only build runs them on a GPU
// machine (label "gpu"). They hold the engine to what it promises on a GPU: bytes identical for
// any number of workers and streams at one batch size; cuDNN chooses its kernels by shape, so
// other batch sizes, and FP16 against FP32, agree within one 8-bit level almost everywhere.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "engine/engine_test_support.hpp"
#include "engine/test_images.hpp"

using namespace upscale;
using namespace upscale::test;

#define REQUIRE_CUDA()                    \
    if (!haveCuda()) {                    \
        GTEST_SKIP() << "no CUDA device"; \
    }

namespace {

struct Agreement {
    double withinOne = 0.0;  ///< share of samples at most one level apart
    int max = 0;             ///< the largest difference, in levels
};

Agreement agreement(const core::Image& a, const core::Image& b) {
    EXPECT_EQ(a.bytes().size(), b.bytes().size());
    const std::size_t n = std::min(a.bytes().size(), b.bytes().size());
    std::size_t within = 0;
    Agreement out;
    for (std::size_t i = 0; i < n; ++i) {
        const int d = std::abs(int(a.bytes()[i]) - int(b.bytes()[i]));
        within += d <= 1;
        out.max = std::max(out.max, d);
    }
    out.withinOne = n == 0 ? 0.0 : static_cast<double>(within) / static_cast<double>(n);
    return out;
}

}  // namespace

TEST(Gpu, FourStreamsGiveTheBytesOfOneStreamAtTheSameBatchSize) {
    REQUIRE_CUDA();
    expectConcurrentWorkersMatchOne(true, 8, 8);
}

TEST(Gpu, BatchSizesAgreeWithinOneLevel) {
    REQUIRE_CUDA();
    const auto ref = modelRef("realesr-animevideov3");
    std::vector<core::Image> frames;
    for (int i = 0; i < 4; ++i) {
        frames.push_back(patternFrame(70, 50, i));
    }
    const core::EngineSettings one{
        .precision = core::Precision::FP32, .tile = 48, .overlap = 8, .batch = 1};
    core::EngineSettings eight = one;
    eight.batch = 8;
    auto a = make(ref, one, true)->upscaleFrames(frames, 0.0, noCancel);
    auto b = make(ref, eight, true)->upscaleFrames(frames, 0.0, noCancel);
    ASSERT_TRUE(a && b);
    for (std::size_t f = 0; f < frames.size(); ++f) {
        const Agreement agree = agreement((*a)[f], (*b)[f]);
        EXPECT_GE(agree.withinOne, 0.999) << "frame " << f << ", largest difference " << agree.max;
    }
}

TEST(Gpu, FP16AndFP32AgreeWithinOneLevelAlmostEverywhere) {
    REQUIRE_CUDA();
    const auto ref = modelRef("realesr-animevideov3");
    const auto input = test::patternImage(160, 120);
    auto a = make(ref, {.precision = core::Precision::FP16}, true)->upscale(input, 0.0, noCancel);
    auto b = make(ref, {.precision = core::Precision::FP32}, true)->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(a && b);
    const Agreement agree = agreement(*a, *b);
    EXPECT_GE(agree.withinOne, 0.99) << "largest difference " << agree.max;
}

TEST(Gpu, RealFP16OverflowIsRedoneInFP32) {
    REQUIRE_CUDA();
    const auto big = variantModel("overflow-fp16.safetensors", models::DType::F16, 4000.0f);
    const auto ref = modelRef(big.string());
    const auto input = test::patternImage(40, 30);
    LogCapture log;
    auto fp16 =
        make(ref, {.precision = core::Precision::FP16}, true)->upscale(input, 0.0, noCancel);
    auto fp32 =
        make(ref, {.precision = core::Precision::FP32}, true)->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(fp16 && fp32);
    EXPECT_TRUE(std::equal(fp16->bytes().begin(), fp16->bytes().end(), fp32->bytes().begin()));
    EXPECT_NE(log.text().find("overflowed in FP16"), std::string::npos) << log.text();
}

TEST(Gpu, CudaGraphReplayGivesTheBytesOfPlainForwardPasses) {
    REQUIRE_CUDA();
    const auto ref = modelRef("realesr-animevideov3");
    // Three frames of two tiles each in batches of 4: a full batch and a last one of 2, two
    // shapes, each captured once; the second call replays both graphs.
    std::vector<core::Image> frames;
    for (int i = 0; i < 3; ++i) {
        frames.push_back(patternFrame(96, 64, i));
    }
    LogCapture log;
    auto plain = make(ref, {.tile = 48, .batch = 4}, true)->upscaleFrames(frames, 0.0, noCancel);
    ASSERT_TRUE(plain);
    auto graphs = make(ref, {.tile = 48, .batch = 4, .cudaGraphs = true}, true);
    for (int call = 0; call < 2; ++call) {
        auto graphed = graphs->upscaleFrames(frames, 0.0, noCancel);
        ASSERT_TRUE(graphed);
        for (std::size_t i = 0; i < frames.size(); ++i) {
            EXPECT_TRUE(std::equal((*plain)[i].bytes().begin(), (*plain)[i].bytes().end(),
                                   (*graphed)[i].bytes().begin()))
                << "call " << call << ", frame " << i;
        }
    }
    // A capture that failed would have fallen back to plain passes, hiding the graphs' result.
    EXPECT_EQ(log.text().find("Capturing a CUDA graph"), std::string::npos) << log.text();
}
