// Tests that need a CUDA device: skipped elsewhere. The engine-only build runs them on a GPU
// machine (label "gpu").

#include <gtest/gtest.h>

#include "engine/engine_test_support.hpp"
#include "engine/test_images.hpp"

using namespace upscale;
using namespace upscale::test;

#define REQUIRE_CUDA()                    \
    if (!haveCuda()) {                    \
        GTEST_SKIP() << "no CUDA device"; \
    }

TEST(Gpu, FourStreamsGiveTheBytesOfOneStream) {
    REQUIRE_CUDA();
    expectConcurrentWorkersMatchOne(true);
}

TEST(Gpu, FP16AndFP32AgreeWithinOneLevelAlmostEverywhere) {
    REQUIRE_CUDA();
    const auto ref = modelRef("realesr-animevideov3");
    const auto input = test::patternImage(160, 120);
    auto a = make(ref, {.precision = core::Precision::FP16}, true)->upscale(input, 0.0, noCancel);
    auto b = make(ref, {.precision = core::Precision::FP32}, true)->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(a && b);
    std::size_t off = 0;
    for (std::size_t i = 0; i < a->bytes().size(); ++i) {
        off += std::abs(int(a->bytes()[i]) - int(b->bytes()[i])) > 1;
    }
    EXPECT_LT(static_cast<double>(off) / a->bytes().size(), 0.01);
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
    std::vector<core::Image> frames;
    for (int i = 0; i < 3; ++i) {
        frames.push_back(patternFrame(96, 64, i));
    }
    auto plain = make(ref, {.tile = 48, .batch = 2}, true)->upscaleFrames(frames, 0.0, noCancel);
    auto graphed = make(ref, {.tile = 48, .batch = 2, .cudaGraphs = true}, true)
                       ->upscaleFrames(frames, 0.0, noCancel);
    ASSERT_TRUE(plain && graphed);
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_TRUE(std::equal((*plain)[i].bytes().begin(), (*plain)[i].bytes().end(),
                               (*graphed)[i].bytes().begin()))
            << "frame " << i;
    }
}
