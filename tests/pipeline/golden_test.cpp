// Our output against a peer implementation's (realesrgan-ncnn-vulkan) on the same inputs, by the
// rule of tests/data/README.md: median absolute difference <= 1 level and >= 90% of values
// within +-3. A wrong layout, residual, channel order or shuffle fails both by far.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "common/test_paths.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/models/manifest.hpp"

using namespace upscale;

namespace {

struct GoldenCase {
    std::string image;
    std::string model;
};

class Golden : public testing::TestWithParam<GoldenCase> {};

}  // namespace

TEST_P(Golden, MatchesThePeerImplementation) {
    const auto data = std::filesystem::path(UPSCALE_TEST_DATA_DIR);
    const auto& param = GetParam();
    auto input = media::readImage(data / (param.image + ".png"));
    auto expected = media::readImage(data / (param.image + "." + param.model + "-x4.ncnn.png"));
    ASSERT_TRUE(input.has_value()) << input.error().message;
    ASSERT_TRUE(expected.has_value()) << expected.error().message;

    auto manifest =
        models::loadManifest(std::filesystem::path(UPSCALE_TEST_MODELS_DIR) / "manifest.json");
    ASSERT_TRUE(manifest.has_value()) << manifest.error().message;
    auto ref = models::resolveModel(param.model, *manifest);
    ASSERT_TRUE(ref.has_value()) << ref.error().message;
    core::EngineSettings settings;
    settings.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    engine::Context context;
    auto up = engine::Upscaler::create(context, *ref, settings);
    ASSERT_TRUE(up.has_value()) << up.error().message;
    core::CancelToken cancel;
    auto out = (*up)->upscale(*input, 4.0, cancel);
    ASSERT_TRUE(out.has_value()) << out.error().message;

    ASSERT_EQ(out->width(), expected->width());
    ASSERT_EQ(out->height(), expected->height());
    ASSERT_EQ(out->channels(), expected->channels());
    std::vector<int> diffs;
    diffs.reserve(out->bytes().size());
    for (std::size_t i = 0; i < out->bytes().size(); ++i) {
        diffs.push_back(std::abs(int(out->bytes()[i]) - int(expected->bytes()[i])));
    }
    const auto within3 = std::count_if(diffs.begin(), diffs.end(), [](int d) { return d <= 3; });
    std::nth_element(diffs.begin(), diffs.begin() + diffs.size() / 2, diffs.end());
    const int median = diffs[diffs.size() / 2];
    const double fraction = static_cast<double>(within3) / diffs.size();
    EXPECT_LE(median, 1);
    EXPECT_GE(fraction, 0.90) << "only " << fraction * 100 << "% within +-3";
}

INSTANTIATE_TEST_SUITE_P(BundledModels, Golden,
                         testing::Values(GoldenCase{"coffee_crop", "realesr-animevideov3"},
                                         GoldenCase{"rocket_crop", "realesr-animevideov3"},
                                         GoldenCase{"coffee_crop", "realesr-general-x4v3"},
                                         GoldenCase{"rocket_crop", "realesr-general-x4v3"},
                                         GoldenCase{"coffee_crop", "realesrgan-x4plus-anime"},
                                         GoldenCase{"rocket_crop", "realesrgan-x4plus-anime"}),
                         [](const testing::TestParamInfo<GoldenCase>& info) {
                             std::string name = info.param.image + "_" + info.param.model;
                             std::replace_if(
                                 name.begin(), name.end(), [](char c) { return !std::isalnum(c); },
                                 '_');
                             return name;
                         });
