// The engine's recovery paths, driven by networks that fail on purpose (handed to the engine
// through its context) so they run on any machine; the engine's state kept per context and per
// job; and the concurrency contract: several workers on their own streams give the same bytes as
// one.

#include <gtest/gtest.h>

#include <algorithm>

#include "common/faulty_network.hpp"
#include "engine/engine_test_support.hpp"
#include "engine/test_images.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/context.hpp"
#include "upscale/engine/tile_plan.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale;

using namespace upscale::test;

namespace {

/// A context whose networks fail as the test's Faults ask.
struct FaultyContext {
    std::shared_ptr<Faults> faults = std::make_shared<Faults>();
    engine::Context context{{.networks = faultyNetworks(faults)}};
};

}  // namespace

TEST(Recovery, InjectedOutOfMemoryHalvesTheTileAndFinishes) {
    const auto ref = modelRef("realesr-animevideov3");
    const auto input = test::patternImage(90, 70);
    FaultyContext faulty;
    auto up = make(ref, {.tile = 64, .overlap = 8, .batch = 2}, false, &faulty.context);
    LogCapture log;
    faulty.faults->outOfMemory = 1;
    auto out = up->upscale(input, 0.0, noCancel);
    EXPECT_EQ(faulty.faults->outOfMemory, 0);
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
    FaultyContext faulty;
    auto up = make(ref, {.tile = 0}, false, &faulty.context);
    faulty.faults->outOfMemory = 2;
    auto out = up->upscale(test::patternImage(100, 60), 0.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(up->reducedTile(), 32);  // 100 -> 50 -> 32 (the floor)
    EXPECT_EQ(out->width(), 400);
}

TEST(Recovery, OutOfMemoryAtTheSmallestTileIsAClearError) {
    FaultyContext faulty;
    auto up = make(modelRef("realesr-animevideov3"), {.tile = 32}, false, &faulty.context);
    faulty.faults->outOfMemory = 1;
    auto out = up->upscale(test::patternImage(80, 80), 0.0, noCancel);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, core::ErrorCode::OutOfMemory);
    EXPECT_NE(out.error().message.find("even with 32-pixel tiles"), std::string::npos);
}

TEST(Recovery, NonFiniteReducedPrecisionOutputIsRedoneInFP32) {
    const auto bf16 = variantModel("overflow-bf16.safetensors", models::DType::BF16, 1.0f);
    const auto ref = modelRef(bf16.string());
    FaultyContext faulty;
    auto reduced = make(ref, {.precision = core::Precision::None}, false, &faulty.context);
    ASSERT_EQ(reduced->info().precision, engine::ResolvedPrecision::BF16);
    const auto input = test::patternImage(30, 20);
    LogCapture log;
    faulty.faults->nonFinite = 1;
    auto redone = reduced->upscale(input, 0.0, noCancel);
    EXPECT_EQ(faulty.faults->nonFinite, 0);
    ASSERT_TRUE(redone.has_value()) << redone.error().message;
    auto fp32 = make(ref, {.precision = core::Precision::FP32})->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(fp32.has_value());
    EXPECT_TRUE(std::equal(redone->bytes().begin(), redone->bytes().end(), fp32->bytes().begin()));
    EXPECT_NE(log.text().find("overflow-bf16 overflowed in BF16"), std::string::npos) << log.text();

    // Told once per model and job: a second overflow is redone silently.
    faulty.faults->nonFinite = 1;
    ASSERT_TRUE(reduced->upscale(input, 0.0, noCancel).has_value());
    EXPECT_EQ(faulty.faults->nonFinite, 0);
    const std::string text = log.text();
    EXPECT_EQ(text.find("overflowed in BF16", text.find("overflowed in BF16") + 1),
              std::string::npos);

    // The next job on the same context is told again, as the first was.
    auto nextJob = make(ref, {.precision = core::Precision::None}, false, &faulty.context);
    faulty.faults->nonFinite = 1;
    ASSERT_TRUE(nextJob->upscale(input, 0.0, noCancel).has_value());
    const std::string after = log.text().substr(text.size());
    EXPECT_NE(after.find("overflow-bf16 overflowed in BF16"), std::string::npos) << after;
}

TEST(EngineState, TwoContextsShareNoModelAndNoWarning) {
    const auto ref = modelRef("realesr-animevideov3");
    engine::Context first;
    engine::Context second;
    LogCapture log;
    auto a = make(ref, {.precision = core::Precision::FP16}, false, &first);
    auto b = make(ref, {.precision = core::Precision::FP16}, false, &second);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    // Each context loads the model itself and warns itself.
    EXPECT_EQ(first.models().stats().loads, 1);
    EXPECT_EQ(second.models().stats().loads, 1);
    EXPECT_EQ(first.models().stats().hits, 0);
    EXPECT_EQ(second.models().stats().hits, 0);
    const std::string text = log.text();
    const std::string warning = "FP16 is not supported on the CPU; using FP32 instead.";
    const auto once = text.find(warning);
    ASSERT_NE(once, std::string::npos) << text;
    EXPECT_NE(text.find(warning, once + 1), std::string::npos) << text;
    EXPECT_EQ(first.devicesSetUp(), std::vector<std::string>{"CPU"});
    EXPECT_EQ(second.devicesSetUp(), std::vector<std::string>{"CPU"});
    // Clearing one context's models leaves the other's.
    first.models().clear();
    EXPECT_EQ(first.models().stats().entries, 0);
    EXPECT_EQ(second.models().stats().entries, 1);
}

TEST(EngineState, TheSecondJobOfAContextWarnsAsTheFirstAndReusesItsModel) {
    const auto ref = modelRef("realesr-animevideov3");
    engine::Context context;
    const std::string warning = "FP16 is not supported on the CPU; using FP32 instead.";
    std::string jobs[2];
    for (auto& text : jobs) {
        LogCapture log;
        // One job: two engine instances, one warning.
        engine::JobState job(context);
        core::EngineSettings s{.precision = core::Precision::FP16};
        s.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        auto one = engine::Upscaler::create(job, ref, s);
        auto two = engine::Upscaler::create(job, ref, s);
        ASSERT_TRUE(one && two);
        text = log.text();
    }
    for (const auto& text : jobs) {
        const auto at = text.find(warning);
        ASSERT_NE(at, std::string::npos) << text;
        EXPECT_EQ(text.find(warning, at + 1), std::string::npos) << text;
        // The warning comes before the model's line, as the user reads them.
        EXPECT_LT(at, std::min(text.find("realesr-animevideov3 loaded on"),
                               text.find("Using cached model: realesr-animevideov3")))
            << text;
    }
    EXPECT_NE(jobs[0].find("realesr-animevideov3 loaded on CPU (FP32)"), std::string::npos);
    EXPECT_NE(jobs[1].find("Using cached model: realesr-animevideov3 (FP32)"), std::string::npos);
    EXPECT_EQ(context.models().stats().loads, 1);
    EXPECT_EQ(context.devicesSetUp(), std::vector<std::string>{"CPU"});
}

TEST(EngineState, AnEngineInstanceOutlivesTheContextItWasMadeOn) {
    std::unique_ptr<engine::Upscaler> up;
    {
        engine::Context context;
        up = make(modelRef("realesr-animevideov3"), {.tile = 32, .overlap = 8}, false, &context);
    }
    ASSERT_NE(up, nullptr);
    // Tiled: the blend weights come from the context's state, which the instance keeps.
    auto out = up->upscale(test::patternImage(70, 50), 0.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->width(), 280);
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
