// The engine's recovery paths, driven by injected faults so they run on any machine, and the
// concurrency contract: several workers on their own streams give the same bytes as one.

#include <gtest/gtest.h>

#include "engine/engine_test_support.hpp"
#include "engine/test_images.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/fault_injection.hpp"
#include "upscale/engine/tile_plan.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale;

using namespace upscale::test;

TEST(Recovery, InjectedOutOfMemoryHalvesTheTileAndFinishes) {
    const auto ref = modelRef("realesr-animevideov3");
    const auto input = test::patternImage(90, 70);
    auto up = make(ref, {.tile = 64, .overlap = 8, .batch = 2});
    LogCapture log;
    engine::faults::injectOutOfMemory(1);
    auto out = up->upscale(input, 0.0, noCancel);
    engine::faults::clear();
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(up->reducedTile(), 32);
    EXPECT_NE(log.text().find("ran out of memory with 64-pixel tiles; retrying with 32-pixel "
                              "tiles"),
              std::string::npos)
        << log.text();
    // The result is exactly what 32-pixel tiles give.
    auto direct = make(ref, {.tile = 32, .overlap = 8, .batch = 2})->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(direct.has_value());
    EXPECT_TRUE(std::equal(out->bytes().begin(), out->bytes().end(), direct->bytes().begin()));
}

TEST(Recovery, OutOfMemoryOnTheWholeImageSwitchesToTiles) {
    const auto ref = modelRef("realesr-animevideov3");
    auto up = make(ref, {.tile = 0});
    engine::faults::injectOutOfMemory(2);
    auto out = up->upscale(test::patternImage(100, 60), 0.0, noCancel);
    engine::faults::clear();
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(up->reducedTile(), 32);  // 100 -> 50 -> 32 (the floor)
    EXPECT_EQ(out->width(), 400);
}

TEST(Recovery, OutOfMemoryAtTheSmallestTileIsAClearError) {
    auto up = make(modelRef("realesr-animevideov3"), {.tile = 32});
    engine::faults::injectOutOfMemory(1);
    auto out = up->upscale(test::patternImage(80, 80), 0.0, noCancel);
    engine::faults::clear();
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, core::ErrorCode::OutOfMemory);
    EXPECT_NE(out.error().message.find("even with 32-pixel tiles"), std::string::npos);
}

TEST(Recovery, NonFiniteReducedPrecisionOutputIsRedoneInFP32) {
    const auto bf16 = variantModel("overflow-bf16.safetensors", models::DType::BF16, 1.0f);
    const auto ref = modelRef(bf16.string());
    auto reduced = make(ref, {.precision = core::Precision::None});
    ASSERT_EQ(reduced->info().precision, "BF16");
    const auto input = test::patternImage(30, 20);
    LogCapture log;
    engine::faults::injectNonFinite(1);
    auto redone = reduced->upscale(input, 0.0, noCancel);
    engine::faults::clear();
    ASSERT_TRUE(redone.has_value()) << redone.error().message;
    auto fp32 = make(ref, {.precision = core::Precision::FP32})->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(fp32.has_value());
    EXPECT_TRUE(std::equal(redone->bytes().begin(), redone->bytes().end(), fp32->bytes().begin()));
    EXPECT_NE(log.text().find("overflow-bf16 overflowed in BF16"), std::string::npos) << log.text();

    // Told once per model: a second overflow is redone silently.
    engine::faults::injectNonFinite(1);
    ASSERT_TRUE(reduced->upscale(input, 0.0, noCancel).has_value());
    engine::faults::clear();
    const std::string text = log.text();
    EXPECT_EQ(text.find("overflowed in BF16", text.find("overflowed in BF16") + 1),
              std::string::npos);
}

TEST(Profiling, CountsOneForwardPerBatchOfTiles) {
    auto up = make(modelRef("realesr-animevideov3"), {.tile = 32, .overlap = 8, .batch = 3});
    up->setProfiling(true);
    // RGBA: two planes (colour and alpha), each cut into the same tiles, in batches of 3.
    ASSERT_TRUE(up->upscale(test::patternImage(100, 60, 4), 0.0, noCancel).has_value());
    const auto tiles = static_cast<int>(engine::planTiles(100, 60, 32, 8).tiles.size());
    ASSERT_EQ(tiles, 6);
    const auto t = up->stageTimes();
    EXPECT_EQ(t.batches, (2 * tiles + 2) / 3);
    EXPECT_GT(t.forward, 0.0);
    EXPECT_GT(t.upload, 0.0);
    EXPECT_GT(t.download, 0.0);
    EXPECT_LE(t.upload + t.forward + t.blend + t.download, t.total * 1.001);
}

TEST(Workers, FourConcurrentWorkersGiveTheBytesOfOne) {
    expectConcurrentWorkersMatchOne(false, 1, 8);
}
