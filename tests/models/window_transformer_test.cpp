// SwinIR and HAT detected from the weights of scripts/make-transformer-fixtures.py alone (no
// metadata), with every hyper-parameter the variant has; damaged files refused naming the model.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model_test_util.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/pytorch.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

ArchSpec loadSpec(const std::string& file) {
    const auto model = loadModelFile(test::modelFixture(file));
    EXPECT_TRUE(model) << file << ": " << model.error().message;
    return model ? model->spec : ArchSpec{};
}

struct SwinCase {
    std::string file;
    std::string describe;
    std::vector<int> heads;
    int mlpHidden;
    int upsampleFeat;
    SwinUpsampler upsampler;
    int maskSize;
};

}  // namespace

TEST(WindowTransformer, DetectsEverySwinIRVariantFromItsWeights) {
    const std::vector<SwinCase> cases = {
        {"swinir-classical-x2.pth",
         "SwinIR (classical, 12 dim, 1 group of 2 blocks, window 8, 2x)",
         {3},
         24,
         8,
         SwinUpsampler::PixelShuffle,
         16},
        {"swinir-classical-x2.safetensors",
         "SwinIR (classical, 12 dim, 1 group of 2 blocks, window 8, 2x)",
         {3},
         24,
         8,
         SwinUpsampler::PixelShuffle,
         16},
        {"swinir-classical-x3.pth",
         "SwinIR (classical, 16 dim, 2 groups of 2 blocks, window 4, 3conv, 3x)",
         {2, 4},
         32,
         8,
         SwinUpsampler::PixelShuffle,
         8},
        {"swinir-classical-x8.pth",
         "SwinIR (classical, 12 dim, groups of 2-1 blocks, window 4, 8x)",
         {2, 2},
         24,
         8,
         SwinUpsampler::PixelShuffle,
         8},
        {"swinir-light-x4.pth",
         "SwinIR (lightweight, 12 dim, 3 groups of 2 blocks, window 4, 4x)",
         {2, 2, 3},
         18,
         0,
         SwinUpsampler::PixelShuffleDirect,
         8},
        {"swinir-real-x4.pth",
         "SwinIR (real-world, 16 dim, 2 groups of 2 blocks, window 4, 3conv, 4x)",
         {4, 2},
         32,
         8,
         SwinUpsampler::NearestConv,
         8},
        {"swinir-real-x2.pth",
         "SwinIR (real-world, 12 dim, 1 group of 2 blocks, window 4, 2x)",
         {2},
         24,
         8,
         SwinUpsampler::NearestConv,
         12},
        {"swinir-jpeg-x1.pth",
         "SwinIR (restoration, 12 dim, 1 group of 2 blocks, window 7, 1x)",
         {2},
         24,
         0,
         SwinUpsampler::None,
         14},
    };
    for (const SwinCase& c : cases) {
        const ArchSpec spec = loadSpec(c.file);
        EXPECT_EQ(spec.arch, Architecture::SwinIR) << c.file;
        EXPECT_EQ(spec.describe(), c.describe) << c.file;
        EXPECT_EQ(spec.inChannels, 3) << c.file;
        EXPECT_EQ(spec.outChannels, 3) << c.file;
        EXPECT_EQ(spec.swinir.shape.heads, c.heads) << c.file;
        EXPECT_EQ(spec.swinir.shape.mlpHidden, c.mlpHidden) << c.file;
        EXPECT_EQ(spec.swinir.shape.upsampleFeat, c.upsampleFeat) << c.file;
        EXPECT_EQ(spec.swinir.upsampler, c.upsampler) << c.file;
        EXPECT_EQ(spec.swinir.maskSize, c.maskSize) << c.file;
        EXPECT_TRUE(spec.swinir.shape.patchNorm) << c.file;
        EXPECT_EQ(spec.swinir.imageRange, spec.swinir.shape.windowSize == 7 ? 255.0 : 1.0);
    }
}

TEST(WindowTransformer, DetectsEveryHatVariantFromItsWeights) {
    const ArchSpec m = loadSpec("hat-x4.pth");
    EXPECT_EQ(m.arch, Architecture::HAT);
    EXPECT_EQ(m.describe(), "HAT (12 dim, 2 groups of 2 blocks, window 4, 4x)");
    EXPECT_EQ(m.hat.shape.heads, (std::vector<int>{2, 3}));
    EXPECT_EQ(m.hat.overlapWindow, 6);
    EXPECT_EQ(m.hat.convCompressed, 4);
    EXPECT_EQ(m.hat.convSqueezed, 3);
    EXPECT_EQ(m.hat.shape.mlpHidden, 24);
    EXPECT_EQ(m.hat.shape.upsampleFeat, 8);
    EXPECT_EQ(m.hat.residual, ResidualConv::One);
    EXPECT_EQ(loadSpec("hat-x4.safetensors"), m);

    const ArchSpec s = loadSpec("hat-s-x2.pth");
    EXPECT_EQ(s.describe(), "HAT-S (24 dim, 1 group of 2 blocks, window 8, 2x)");
    EXPECT_EQ(s.hat.overlapWindow, 12);
    EXPECT_EQ(s.hat.convCompressed, 1);
    EXPECT_EQ(s.hat.convSqueezed, 1);

    const ArchSpec l = loadSpec("hat-l-x3.pth");
    EXPECT_EQ(l.describe(), "HAT-L (12 dim, 12 groups of 1 block, window 8, 3x)");
    EXPECT_EQ(l.hat.overlapWindow, 10);
    EXPECT_EQ(l.hat.residual, ResidualConv::Identity);
    for (const ArchSpec& spec : {m, s, l}) {
        EXPECT_FALSE(isFp16Safe(spec.arch));
        EXPECT_GT(flopsPerInputPixel(spec), 0.0);
        EXPECT_GT(peakActivationsPerPixel(spec), 0);
    }
}

TEST(WindowTransformer, NamesAreKnown) {
    EXPECT_EQ(architectureFromName("swinir").value(), Architecture::SwinIR);
    EXPECT_EQ(architectureFromName("HAT").value(), Architecture::HAT);
    EXPECT_EQ(architectureName(Architecture::SwinIR), "SwinIR");
    EXPECT_EQ(architectureName(Architecture::HAT), "HAT");
}

TEST(WindowTransformer, AWrongShapeIsRefusedNamingTheModel) {
    test::ScratchDir dir;
    for (const auto& [file, key] :
         {std::pair<std::string, std::string>{"swinir-classical-x2.safetensors",
                                              "layers.0.residual_group.blocks.1.attn.qkv.weight"},
          {"hat-x4.safetensors", "layers.1.residual_group.blocks.0.conv_block.cab.2.weight"}}) {
        auto weights = readSafetensors(test::modelFixture(file));
        ASSERT_TRUE(weights) << weights.error().message;
        Tensor& t = weights->tensors.at(key);
        t.shape.back() -= 1;
        t.data.resize(static_cast<std::size_t>(t.numel()) * 4);
        const auto path = dir / file;
        ASSERT_TRUE(writeSafetensors(path, weights->tensors, {}));
        const auto model = loadModelFile(path);
        ASSERT_FALSE(model) << file;
        EXPECT_EQ(model.error().code, ErrorCode::ModelMismatch);
        EXPECT_NE(model.error().message.find(path.string()), std::string::npos)
            << model.error().message;
        EXPECT_NE(model.error().message.find(key + " has shape"), std::string::npos)
            << model.error().message;
    }
}

TEST(WindowTransformer, AStrayHugeIndexIsReportedNotAllocated) {
    auto weights = readPytorch(test::modelFixture("swinir-real-x2.pth"));
    ASSERT_TRUE(weights) << weights.error().message;
    const std::string stray = "layers.2000000000.residual_group.blocks.0.norm1.weight";
    (*weights)[stray] = weights->at("norm.weight");
    const StateDict canonical = canonicalizeKeys(*weights);
    const auto spec = detectArchitecture(canonical, "stray.pth");
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ(spec->swinir.shape.depths.size(), 1U);
    const auto checked = checkWeights(*spec, canonical, "stray.pth");
    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().message.find("unexpected tensors: " + stray), std::string::npos)
        << checked.error().message;
}

TEST(WindowTransformer, AnOddCrossAttentionOverlapIsNotTakenForHat) {
    auto weights = readSafetensors(test::modelFixture("hat-x4.safetensors"));
    ASSERT_TRUE(weights) << weights.error().message;
    // (4 + 5 - 1)^2 rows: an overlap window of 5 around a window of 4 has no centred unfold.
    weights->tensors.at("layers.0.residual_group.overlap_attn.relative_position_bias_table")
        .shape = {64, 2};
    const auto spec = detectArchitecture(weights->tensors, "odd.safetensors");
    ASSERT_FALSE(spec);
    EXPECT_EQ(spec.error().code, ErrorCode::UnsupportedFormat);
}
