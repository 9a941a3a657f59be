#include <gtest/gtest.h>

#include "common/test_paths.hpp"
#include "engine/engine_test_support.hpp"
#include "engine/test_images.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"

using namespace upscale;
using test::LogCapture;
using test::noCancel;

namespace {

models::ModelRef bundledModel(const std::string& id) {
    auto manifest =
        models::loadManifest(std::filesystem::path(UPSCALE_TEST_MODELS_DIR) / "manifest.json");
    EXPECT_TRUE(manifest.has_value()) << manifest.error().message;
    auto ref = models::resolveModel(id, *manifest);
    EXPECT_TRUE(ref.has_value()) << ref.error().message;
    return *ref;
}

std::unique_ptr<engine::Upscaler> makeUpscaler(core::EngineSettings settings,
                                               engine::Context* context = nullptr,
                                               const std::string& id = "realesr-animevideov3") {
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    engine::Context fresh;
    auto up =
        engine::Upscaler::create(context != nullptr ? *context : fresh, bundledModel(id), settings);
    EXPECT_TRUE(up.has_value()) << up.error().message;
    return std::move(*up);
}

}  // namespace

TEST(Upscaler, NativeScaleGivesFourTimesTheSize) {
    auto up = makeUpscaler({});
    const auto input = test::patternImage(37, 29);
    auto out = up->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->width(), 37 * 4);
    EXPECT_EQ(out->height(), 29 * 4);
    EXPECT_EQ(out->channels(), 3);
    EXPECT_EQ(up->info().precision, engine::ResolvedPrecision::FP32);
    EXPECT_EQ(up->info().spec.scale, 4);
}

TEST(Upscaler, OutputScaleTwoWithAFourTimesModelGivesExactlyDoubleSize) {
    auto up = makeUpscaler({});
    const auto input = test::patternImage(33, 21);
    auto out = up->upscale(input, 2.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    EXPECT_EQ(out->width(), 66);
    EXPECT_EQ(out->height(), 42);
}

TEST(Upscaler, TiledAndWholeResultsAgreeWithoutSeams) {
    const auto input = test::patternImage(150, 110);
    auto whole = makeUpscaler({.tile = 0})->upscale(input, 0.0, noCancel);
    auto tiled = makeUpscaler({.tile = 48, .overlap = 16})->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(whole.has_value()) << whole.error().message;
    ASSERT_TRUE(tiled.has_value()) << tiled.error().message;
    const double db = test::psnr(*whole, *tiled);
    EXPECT_GE(db, 45.0) << "tiled vs whole PSNR " << db << " dB";
    // Almost every sample within one level.
    std::size_t off = 0;
    for (std::size_t i = 0; i < whole->bytes().size(); ++i) {
        off += std::abs(int(whole->bytes()[i]) - int(tiled->bytes()[i])) > 1;
    }
    EXPECT_LT(static_cast<double>(off) / whole->bytes().size(), 0.01);
}

TEST(Upscaler, AlphaIsUpscaledAndReattached) {
    auto up = makeUpscaler({});
    const auto input = test::patternImage(32, 24, 4);  // alpha: left half 0, right half 255
    auto out = up->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    ASSERT_EQ(out->channels(), 4);
    EXPECT_LE(out->at(10, 40, 3), 5);
    EXPECT_GE(out->at(110, 40, 3), 250);
    // The colour is the same as for the image without its alpha.
    const auto rgb = test::patternImage(32, 24, 3);
    auto outRgb = up->upscale(rgb, 0.0, noCancel);
    ASSERT_TRUE(outRgb.has_value());
    for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(out->at(64, 48, c), outRgb->at(64, 48, c));
    }
}

TEST(Upscaler, SixteenBitInputGivesSixteenBitOutputMatchingEightBit) {
    auto up = makeUpscaler({});
    const auto input8 = test::patternImage(24, 20, 3, core::BitDepth::U8);
    const auto input16 = test::patternImage(24, 20, 3, core::BitDepth::U16);
    auto out8 = up->upscale(input8, 0.0, noCancel);
    auto out16 = up->upscale(input16, 0.0, noCancel);
    ASSERT_TRUE(out8 && out16);
    EXPECT_EQ(out16->depth(), core::BitDepth::U16);
    double diff = 0.0;
    for (int y = 0; y < out8->height(); y += 3) {
        for (int x = 0; x < out8->width(); x += 3) {
            diff = std::max(diff, std::abs(out16->at(x, y, 1) / 257.0 - out8->at(x, y, 1)));
        }
    }
    EXPECT_LT(diff, 3.0);
}

TEST(Upscaler, BatchSizeDoesNotChangeTheResult) {
    const auto input = test::patternImage(100, 70);
    auto a = makeUpscaler({.tile = 32, .batch = 1})->upscale(input, 0.0, noCancel);
    auto b = makeUpscaler({.tile = 32, .batch = 8})->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(std::equal(a->bytes().begin(), a->bytes().end(), b->bytes().begin()));
}

TEST(Upscaler, CancelledTokenStopsWithCancelled) {
    auto up = makeUpscaler({.tile = 32});
    core::CancelToken cancel;
    cancel.cancel();
    auto out = up->upscale(test::patternImage(64, 64), 0.0, cancel);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, core::ErrorCode::Cancelled);
}

TEST(ModelCache, LogsLoadThenReuseAndKeysByModel) {
    LogCapture log;
    engine::Context context;
    makeUpscaler({.precision = core::Precision::FP32}, &context);
    makeUpscaler({.precision = core::Precision::FP32}, &context);
    makeUpscaler({.precision = core::Precision::FP32}, &context, "realesr-general-x4v3");
    const auto stats = context.models().stats();
    EXPECT_EQ(stats.loads, 2);
    EXPECT_EQ(stats.hits, 1);
    const std::string text = log.text();
    EXPECT_NE(text.find("realesr-animevideov3 loaded on CPU (FP32) - 4x"), std::string::npos)
        << text;
    EXPECT_NE(text.find("Using cached model: realesr-animevideov3 (FP32)"), std::string::npos)
        << text;
    EXPECT_NE(text.find("realesr-general-x4v3 loaded on CPU (FP32) - 4x"), std::string::npos);
}

TEST(ModelCache, FP16OnTheCpuFallsBackToFP32AndSharesTheFP32Entry) {
    engine::Context context;
    auto a = makeUpscaler({.precision = core::Precision::FP16}, &context);
    auto b = makeUpscaler({.precision = core::Precision::FP32}, &context);
    EXPECT_EQ(a->info().precision, engine::ResolvedPrecision::FP32);
    EXPECT_EQ(context.models().stats().loads, 1);
    EXPECT_EQ(context.models().stats().hits, 1);
}

TEST(ModelCache, EvictsLeastRecentlyUsedPastTheBudget) {
    engine::Context context({.modelBudgetBytes = 1});
    makeUpscaler({}, &context);
    makeUpscaler({}, &context, "realesr-general-x4v3");
    EXPECT_EQ(context.models().stats().entries, 1);
    makeUpscaler({}, &context);  // evicted before, so loaded again
    EXPECT_EQ(context.models().stats().loads, 3);
}

TEST(Upscaler, RejectsAMissingGpu) {
    core::EngineSettings settings;
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cuda, 7};
    engine::Context context;
    auto up = engine::Upscaler::create(context, bundledModel("realesr-animevideov3"), settings);
    if (up.has_value()) {
        GTEST_SKIP() << "this machine has a GPU cuda:7";
    }
    EXPECT_EQ(up.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(up.error().message.find("GPU"), std::string::npos);
}

TEST(ModelCache, RefusesABundledModelWhoseChecksumDoesNotMatchTheManifest) {
    auto ref = bundledModel("realesr-animevideov3");
    ASSERT_TRUE(ref.entry.has_value());
    ref.entry->sha256 = std::string(64, '0');
    core::EngineSettings settings;
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    engine::Context context;
    auto up = engine::Upscaler::create(context, ref, settings);
    ASSERT_FALSE(up.has_value());
    EXPECT_EQ(up.error().code, core::ErrorCode::CorruptFile);
    EXPECT_NE(up.error().message.find("realesr-animevideov3.safetensors"), std::string::npos);
    EXPECT_NE(up.error().message.find("checksum"), std::string::npos);
}

TEST(ModelCache, SwitchingPrecisionLoadsLoadsThenReuses) {
    // The CPU runs BF16 natively, so a BF16 model at precision None and the same model at FP32
    // are two cache entries there, as FP16 and FP32 are on a GPU.
    const auto dir = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / "bf16";
    std::filesystem::create_directories(dir);
    const auto bf16 = dir / "anime-bf16.safetensors";
    std::filesystem::remove(bf16);
    auto converted = models::convertModel(
        std::filesystem::path(UPSCALE_TEST_MODELS_DIR) / "realesr-animevideov3.safetensors", bf16,
        models::DType::BF16);
    ASSERT_TRUE(converted.has_value()) << converted.error().message;
    auto manifest =
        models::loadManifest(std::filesystem::path(UPSCALE_TEST_MODELS_DIR) / "manifest.json");
    auto ref = models::resolveModel(bf16.string(), *manifest);
    ASSERT_TRUE(ref.has_value()) << ref.error().message;

    LogCapture log;
    engine::Context context;
    auto make = [&](core::Precision p) {
        core::EngineSettings s{.precision = p};
        s.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
        auto up = engine::Upscaler::create(context, *ref, s);
        EXPECT_TRUE(up.has_value()) << up.error().message;
        return std::move(*up);
    };
    auto fp32 = make(core::Precision::FP32);
    auto native = make(core::Precision::None);
    auto again = make(core::Precision::FP32);
    EXPECT_EQ(fp32->info().precision, engine::ResolvedPrecision::FP32);
    EXPECT_EQ(native->info().precision, engine::ResolvedPrecision::BF16);
    EXPECT_EQ(context.models().stats().loads, 2);
    EXPECT_EQ(context.models().stats().hits, 1);
    const std::string text = log.text();
    const auto first = text.find("anime-bf16 loaded on CPU (FP32) - 4x");
    const auto second = text.find("anime-bf16 loaded on CPU (BF16) - 4x");
    const auto third = text.find("Using cached model: anime-bf16 (FP32)");
    ASSERT_NE(first, std::string::npos) << text;
    ASSERT_NE(second, std::string::npos) << text;
    ASSERT_NE(third, std::string::npos) << text;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);

    // Both precisions give nearly the same picture.
    const auto input = test::patternImage(40, 32);
    auto a = fp32->upscale(input, 0.0, noCancel);
    auto b = native->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(a && b);
    EXPECT_GE(test::psnr(*a, *b), 30.0);
}
