// The newer architectures through the engine in tiles smaller than the image (and not multiples
// of any window), against the reference implementation's output for the whole image, as 8-bit
// images. The fixtures and their reference outputs come from scripts/make-arch-fixtures.py.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "engine/engine_test_support.hpp"
#include "models/pixel_agreement.hpp"

using namespace upscale;
using test::noCancel;

namespace {

struct TiledCase {
    std::string model;
    int tile;
    int overlap;
};

class ArchTiled : public testing::TestWithParam<TiledCase> {};

}  // namespace

TEST_P(ArchTiled, TiledRunMatchesTheReference) {
    const auto& param = GetParam();
    const auto dir = std::filesystem::path(UPSCALE_TEST_DATA_DIR) / "models";
    const auto io = models::readSafetensors(dir / (param.model + ".tiled.io.safetensors"));
    ASSERT_TRUE(io) << io.error().message;
    const core::Image input = test::tensorAsImage(io->tensors.at("input"));
    const auto& expected = io->tensors.at("output");

    auto up = test::make(test::modelRef((dir / (param.model + ".pth")).string()),
                         {.precision = core::Precision::FP32,
                          .tile = param.tile,
                          .overlap = param.overlap,
                          .batch = 2});
    ASSERT_TRUE(up);
    const auto out = up->upscale(input, 0.0, noCancel);
    ASSERT_TRUE(out) << out.error().message;
    const int h = static_cast<int>(expected.shape[2]);
    const int w = static_cast<int>(expected.shape[3]);
    ASSERT_EQ(out->width(), w);
    ASSERT_EQ(out->height(), h);
    ASSERT_GT(input.width(), param.tile);  // two tiles or more each way
    ASSERT_GT(input.height(), param.tile);

    const std::vector<float> values = expected.toFloat32();
    std::vector<int> reference;
    std::vector<int> engine;
    for (int c = 0; c < 3; ++c) {
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                reference.push_back(models::test::toLevel(values[(c * h + y) * w + x]));
                engine.push_back(out->at(x, y, c));
            }
        }
    }
    const auto agreement = models::test::compareLevels(engine, reference);
    EXPECT_EQ(agreement.medianDiff, 0) << param.model;
    EXPECT_GE(agreement.withinOne, 0.99)
        << param.model << ", largest difference " << agreement.maxDiff;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ArchTiled,
                         testing::Values(TiledCase{"realplksr-x2-layernorm", 33, 12},
                                         TiledCase{"realplksr-x4-dysample-layernorm", 33, 16},
                                         TiledCase{"dat-light-x4", 33, 16}),
                         [](const testing::TestParamInfo<TiledCase>& info) {
                             std::string name = info.param.model;
                             std::replace_if(
                                 name.begin(), name.end(), [](char c) { return !std::isalnum(c); },
                                 '_');
                             return name;
                         });
