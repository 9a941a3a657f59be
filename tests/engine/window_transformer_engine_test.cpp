// SwinIR and HAT through the engine: tiled runs (tiles no multiple of the window, so every tile
// is padded) against the Python reference's output for the whole image, and the precision an
// architecture that is not FP16-safe resolves to.

#include <gtest/gtest.h>

#include <string>

#include "common/level_difference.hpp"
#include "common/test_paths.hpp"
#include "engine/engine_test_support.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale;
using test::LogCapture;
using test::noCancel;

namespace {

std::string fixture(const std::string& name) {
    return (std::filesystem::path(UPSCALE_TEST_DATA_DIR) / "models" / name).string();
}

class TiledTransformer : public testing::TestWithParam<std::string> {};

}  // namespace

TEST_P(TiledTransformer, MatchesTheReferenceForTheWholeImage) {
    const std::string name = GetParam();
    const auto io = models::readSafetensors(fixture(name + ".tiled.io.safetensors"));
    ASSERT_TRUE(io) << io.error().message;
    const core::Image input = test::tensorAsImage(io->tensors.at("input"));
    const models::Tensor& expected = io->tensors.at("output");

    // 62x58 in tiles of 33 plus 11 of context: four tiles of 54x50 (shortened from 55 so that
    // the last starts at 8, window-aligned as the plan makes every tile), no multiple of the
    // window, so each is padded.
    auto up =
        test::make(test::modelRef(fixture(name + ".pth")),
                   {.precision = core::Precision::FP32, .tile = 33, .overlap = 11, .batch = 2});
    ASSERT_NE(up, nullptr);
    auto out = up->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;
    const int h = static_cast<int>(expected.shape[2]);
    const int w = static_cast<int>(expected.shape[3]);
    ASSERT_EQ(out->width(), w);
    ASSERT_EQ(out->height(), h);
    const auto diff = test::levelDifference(expected.toFloat32(), [&](std::size_t i) {
        const int c = static_cast<int>(i) / (h * w);
        const int y = static_cast<int>(i) / w % h;
        const int x = static_cast<int>(i) % w;
        return out->at(x, y, c);
    });
    EXPECT_EQ(diff.median, 0) << name;
    EXPECT_GE(diff.withinOne, 0.99) << name << ": max " << diff.max << " levels";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TiledTransformer,
                         testing::Values("swinir-classical-x2", "hat-s-x2"),
                         [](const testing::TestParamInfo<std::string>& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(TransformerPrecision, Fp16RunsInFp32OnTheCpuWithOneLineNamingTheArchitecture) {
    LogCapture log;
    engine::Context context;
    // Two engine instances of one job: the line is given once.
    const engine::JobState job(context);
    const auto ref = test::modelRef(fixture("hat-x4.pth"));
    core::EngineSettings settings{.precision = core::Precision::FP16};
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    for (int i = 0; i < 2; ++i) {
        auto up = engine::Upscaler::create(job, ref, settings);
        ASSERT_TRUE(up) << up.error().message;
        EXPECT_EQ((*up)->info().precision, engine::ResolvedPrecision::FP32);
        auto out = (*up)->upscale(test::patternImage(20, 18), 0.0, noCancel);
        ASSERT_TRUE(out) << out.error().message;
        EXPECT_EQ(out->width(), 80);
    }
    const std::string text = log.text();
    const std::string line =
        "HAT is not FP16-safe (its attention overflows half precision); running it in FP32 "
        "instead of FP16.";
    const auto first = text.find(line);
    ASSERT_NE(first, std::string::npos) << text;
    EXPECT_EQ(text.find(line, first + 1), std::string::npos) << text;
    EXPECT_EQ(text.find("FP16 is not supported on the CPU"), std::string::npos) << text;
    EXPECT_NE(text.find("loaded on CPU (FP32) - 4x"), std::string::npos) << text;
}

TEST(TransformerPrecision, Fp32IsKeptWithoutANote) {
    LogCapture log;
    auto up = test::make(test::modelRef(fixture("swinir-light-x4.pth")),
                         {.precision = core::Precision::FP32});
    ASSERT_NE(up, nullptr);
    EXPECT_EQ(up->info().precision, engine::ResolvedPrecision::FP32);
    EXPECT_EQ(log.text().find("not FP16-safe"), std::string::npos) << log.text();
}
