// Detection of the newer architectures from their weights alone: every fixture variant of
// scripts/make-arch-fixtures.py, the published default sizes (synthetic weights), and files that
// do not fit refused with the model named.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "model_test_util.hpp"
#include "upscale/models/architecture.hpp"
#include "upscale/models/model_file.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

/// A spec of one of the newer architectures: no Compact or RRDBNet fields in use.
ArchSpec newer(Architecture arch, int feat, int scale) {
    ArchSpec spec;
    spec.arch = arch;
    spec.numFeat = feat;
    spec.scale = scale;
    spec.numConv = 0;
    spec.numUpsample = 0;
    return spec;
}

ArchSpec realPlksr(int feat, int scale, RealPlksrParams params) {
    ArchSpec spec = newer(Architecture::RealPLKSR, feat, scale);
    spec.realplksr = params;
    return spec;
}

ArchSpec dat(int scale, DatParams params) {
    ArchSpec spec = newer(Architecture::DAT, 32, scale);
    spec.dat = std::move(params);
    return spec;
}

ArchSpec omniSr(int feat, int scale, OmniSrParams params) {
    ArchSpec spec = newer(Architecture::OmniSR, feat, scale);
    spec.omnisr = params;
    return spec;
}

/// DAT's tables of window offsets hold data its detection reads (the last row is the window's
/// height and width less one): (dy, dx) for every offset, as the published network makes them.
void fillOffsetTables(StateDict& weights, const DatParams& p) {
    for (auto& [name, tensor] : weights) {
        if (!name.ends_with("rpe_biases")) {
            continue;
        }
        const bool second = name.ends_with("attns.1.rpe_biases");
        const int h = second ? p.splitWidth : p.splitHeight;
        const int w = second ? p.splitHeight : p.splitWidth;
        std::vector<float> table;
        for (int dy = 1 - h; dy < h; ++dy) {
            for (int dx = 1 - w; dx < w; ++dx) {
                table.push_back(static_cast<float>(dy));
                table.push_back(static_cast<float>(dx));
            }
        }
        tensor = Tensor::fromFloat32(table, tensor.shape, DType::F32);
    }
}

struct DetectCase {
    std::string file;
    ArchSpec spec;
    std::string description;
};

class DetectFixture : public testing::TestWithParam<DetectCase> {};

std::string caseName(const testing::TestParamInfo<DetectCase>& info) {
    std::string name = info.param.file;
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
    return name;
}

}  // namespace

TEST_P(DetectFixture, FindsTheArchitectureAndItsParameters) {
    const auto& param = GetParam();
    const auto model = loadModelFile(test::modelFixture(param.file));
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ(model->spec, param.spec) << model->spec.describe();
    EXPECT_EQ(model->spec.describe(), param.description);
}

INSTANTIATE_TEST_SUITE_P(
    RealPlksr, DetectFixture,
    testing::Values(
        DetectCase{"realplksr-x4.pth",
                   realPlksr(16, 4, {.numBlocks = 2, .kernelSize = 7, .kernelDim = 4}),
                   "RealPLKSR (16 features, 2 blocks, kernel 7, 4x)"},
        DetectCase{"realplksr-x4.safetensors",
                   realPlksr(16, 4, {.numBlocks = 2, .kernelSize = 7, .kernelDim = 4}),
                   "RealPLKSR (16 features, 2 blocks, kernel 7, 4x)"},
        DetectCase{"realplksr-x2-layernorm.pth",
                   realPlksr(16, 2,
                             {.numBlocks = 2,
                              .kernelSize = 5,
                              .kernelDim = 4,
                              .attention = false,
                              .layerNorm = true}),
                   "RealPLKSR (16 features, 2 blocks, kernel 5, no attention, layer norm, 2x)"},
        DetectCase{"realplksr-x3-dysample.pth",
                   realPlksr(16, 3,
                             {.numBlocks = 2,
                              .kernelSize = 5,
                              .kernelDim = 4,
                              .dysample = true,
                              .dysampleGroups = 3}),
                   "RealPLKSR (16 features, 2 blocks, kernel 5, DySample, 3x)"},
        DetectCase{"realplksr-x4-dysample-layernorm.pth",
                   realPlksr(16, 4,
                             {.numBlocks = 2,
                              .kernelSize = 7,
                              .kernelDim = 4,
                              .layerNorm = true,
                              .dysample = true}),
                   "RealPLKSR (16 features, 2 blocks, kernel 7, layer norm, DySample, 4x)"},
        DetectCase{"realplksr-x1-dysample.pth",
                   realPlksr(16, 1,
                             {.numBlocks = 2,
                              .kernelSize = 3,
                              .kernelDim = 4,
                              .dysample = true,
                              .dysampleGroups = 3}),
                   "RealPLKSR (16 features, 2 blocks, kernel 3, DySample, 1x)"},
        DetectCase{"realplksr-x8.pth",
                   realPlksr(8, 8, {.numBlocks = 1, .kernelSize = 3, .kernelDim = 4}),
                   "RealPLKSR (8 features, 1 blocks, kernel 3, 8x)"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Dat, DetectFixture,
    testing::Values(
        DetectCase{"dat-x4.pth",
                   dat(4, {.depths = {4, 1},
                           .heads = {4, 2},
                           .splitHeight = 4,
                           .splitWidth = 8,
                           .ffnHidden = 128,
                           .upsampleFeat = 16}),
                   "DAT (32 features, 4+1 blocks, 4+2 heads, 4x8 windows, FFN 128, 4x)"},
        DetectCase{"dat-s-x2.pth",
                   dat(2, {.depths = {2, 2},
                           .heads = {2, 2},
                           .splitHeight = 2,
                           .splitWidth = 4,
                           .ffnHidden = 64,
                           .upsampleFeat = 16}),
                   "DAT-S (32 features, 2+2 blocks, 2+2 heads, 2x4 windows, FFN 64, 2x)"},
        DetectCase{"dat2-x3.pth",
                   dat(3, {.depths = {2, 1},
                           .heads = {2, 4},
                           .splitHeight = 2,
                           .splitWidth = 8,
                           .ffnHidden = 64,
                           .qkvBias = false,
                           .upsampleFeat = 16}),
                   "DAT-2 (32 features, 2+1 blocks, 2+4 heads, 2x8 windows, FFN 64, 3x)"},
        DetectCase{"dat-light-x4.pth",
                   dat(4, {.depths = {5},
                           .heads = {2},
                           .splitHeight = 4,
                           .splitWidth = 8,
                           .ffnHidden = 64,
                           .threeConv = true,
                           .direct = true}),
                   "DAT-light (32 features, 5 blocks, 2 heads, 4x8 windows, FFN 64, 4x)"},
        DetectCase{"dat-x8.pth",
                   dat(8, {.depths = {2},
                           .heads = {2},
                           .splitHeight = 4,
                           .splitWidth = 4,
                           .ffnHidden = 128,
                           .upsampleFeat = 16}),
                   "DAT (32 features, 2 blocks, 2 heads, 4x4 windows, FFN 128, 8x)"},
        DetectCase{"dat-x1.safetensors",
                   dat(1, {.depths = {2},
                           .heads = {2},
                           .splitHeight = 2,
                           .splitWidth = 4,
                           .ffnHidden = 64,
                           .upsampleFeat = 16}),
                   "DAT-S (32 features, 2 blocks, 2 heads, 2x4 windows, FFN 64, 1x)"}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    OmniSr, DetectFixture,
    testing::Values(
        DetectCase{"omnisr-x4.pth", omniSr(16, 4, {.numGroups = 2}),
                   "OmniSR (16 features, 2 groups of 1 blocks, window 8, 4x)"},
        DetectCase{"omnisr-x4.safetensors", omniSr(16, 4, {.numGroups = 2}),
                   "OmniSR (16 features, 2 groups of 1 blocks, window 8, 4x)"},
        DetectCase{"omnisr-x2.pth", omniSr(24, 2, {.numGroups = 1, .numBlocks = 2, .window = 4}),
                   "OmniSR (24 features, 1 groups of 2 blocks, window 4, 2x)"},
        DetectCase{"omnisr-x3-nobias.pth",
                   omniSr(16, 3, {.numGroups = 1, .positionBias = false, .bias = false}),
                   "OmniSR (16 features, 1 groups of 1 blocks, window 8, no position bias, 3x)"},
        DetectCase{"omnisr-x8.pth", omniSr(8, 8, {.numGroups = 1}),
                   "OmniSR (8 features, 1 groups of 1 blocks, window 8, 8x)"},
        DetectCase{"omnisr-x1.pth", omniSr(16, 1, {.numGroups = 1, .window = 4}),
                   "OmniSR (16 features, 1 groups of 1 blocks, window 4, 1x)"}),
    caseName);

TEST(ArchDetect, PublishedDatAndOmniSrSizesRoundTrip) {
    const std::vector<int> six(6, 6);
    ArchSpec full = dat(4, {.depths = six, .heads = six, .ffnHidden = 720});
    full.numFeat = 180;
    ArchSpec small = dat(2, {.depths = six, .heads = six, .splitWidth = 16, .ffnHidden = 360});
    small.numFeat = 180;
    ArchSpec two = dat(4, {.depths = six, .heads = six, .ffnHidden = 360});
    two.numFeat = 180;
    ArchSpec light =
        dat(4, {.depths = {18}, .heads = {6}, .ffnHidden = 120, .threeConv = true, .direct = true});
    light.numFeat = 60;
    const ArchSpec omni = omniSr(64, 4, {});
    for (const auto& [spec, variant] :
         std::vector<std::pair<ArchSpec, std::string>>{{full, "DAT ("},
                                                       {small, "DAT-S ("},
                                                       {two, "DAT-2 ("},
                                                       {light, "DAT-light ("},
                                                       {omni, "OmniSR ("}}) {
        StateDict weights = test::syntheticWeights(spec);
        fillOffsetTables(weights, spec.dat);
        const auto detected = detectArchitecture(weights, "synthetic.pth");
        ASSERT_TRUE(detected) << detected.error().message;
        EXPECT_EQ(*detected, spec) << spec.describe() << " detected as " << detected->describe();
        EXPECT_EQ(detected->describe().rfind(variant, 0), 0u) << detected->describe();
        EXPECT_TRUE(checkWeights(spec, weights, "synthetic.pth"));
        EXPECT_GT(flopsPerInputPixel(spec), 0.0);
        EXPECT_GT(peakActivationsPerPixel(spec), 0);
    }
    EXPECT_FALSE(isFp16Safe(Architecture::DAT));
    EXPECT_FALSE(isFp16Safe(Architecture::OmniSR));
}

TEST(ArchDetect, PublishedRealPlksrSizesRoundTrip) {
    // RealPLKSR as neosr and traiNNer train it (64 features, 28 blocks, kernel 17, a quarter
    // of the channels in the large kernel) and its small form (12 blocks, kernel 13, no EA).
    for (const ArchSpec& spec :
         {realPlksr(64, 4, {}), realPlksr(64, 2, {.layerNorm = true, .dysample = true}),
          realPlksr(64, 3, {.dysample = true, .dysampleGroups = 3}),
          realPlksr(64, 4, {.numBlocks = 12, .kernelSize = 13, .attention = false})}) {
        const StateDict weights = test::syntheticWeights(spec);
        const auto detected = detectArchitecture(weights, "synthetic.pth");
        ASSERT_TRUE(detected) << detected.error().message;
        EXPECT_EQ(*detected, spec) << spec.describe() << " detected as " << detected->describe();
        EXPECT_TRUE(checkWeights(spec, weights, "synthetic.pth"));
        EXPECT_GT(flopsPerInputPixel(spec), 0.0);
        EXPECT_GT(peakActivationsPerPixel(spec), 0);
    }
    EXPECT_FALSE(isFp16Safe(Architecture::RealPLKSR));
    EXPECT_EQ(architectureFromName("RealPLKSR"), Architecture::RealPLKSR);
}

TEST(ArchDetect, WrongShapeIsRefusedNamingTheModel) {
    const auto path = test::modelFixture("realplksr-wrong-shape.pth");
    const auto model = loadModelFile(path);
    ASSERT_FALSE(model);
    EXPECT_EQ(model.error().code, ErrorCode::ModelMismatch);
    const std::string& message = model.error().message;
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("RealPLKSR"), std::string::npos) << message;
    EXPECT_NE(message.find("feats.2.refine.weight has shape"), std::string::npos) << message;
}

TEST(ArchDetect, AbsurdBlockIndexIsNotTakenForABlockCount) {
    // One key claiming block 2000000 in an otherwise small file: no 2-million-block spec (and
    // its tensor map) is ever built from it.
    StateDict weights =
        test::syntheticWeights(realPlksr(16, 4, {.numBlocks = 2, .kernelSize = 7, .kernelDim = 4}));
    weights["feats.2000000.weight"] = weights.at("feats.4.weight");
    const auto detected = detectArchitecture(weights, "odd.pth");
    EXPECT_FALSE(detected);
}
