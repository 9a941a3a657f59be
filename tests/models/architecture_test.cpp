#include <gtest/gtest.h>

#include "model_test_util.hpp"
#include "upscale/models/architecture.hpp"
#include "upscale/models/ncnn.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

StateDict animeWeights() {
    const auto model = readNcnn(test::fixtureParam());
    EXPECT_TRUE(model);
    auto dict = ncnnToStateDict(*model, "anime.param");
    EXPECT_TRUE(dict);
    return *dict;
}

}  // namespace

TEST(Architecture, NamesAndAliases) {
    EXPECT_EQ(architectureName(Architecture::Compact), "SRVGGNetCompact");
    for (const char* name : {"SRVGGNetCompact", "compact", "COMPACT", "srvggnetcompact"}) {
        const auto arch = architectureFromName(name);
        ASSERT_TRUE(arch) << name;
        EXPECT_EQ(*arch, Architecture::Compact);
    }
    EXPECT_EQ(architectureFromName("ESRGAN"), Architecture::RRDBNet);
    EXPECT_EQ(architectureFromName("span"), Architecture::SPAN);
    EXPECT_EQ(architectureFromName("SwinIR"), Architecture::SwinIR);
    const auto unknown = architectureFromName("NoSuchNet");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("NoSuchNet"), std::string::npos);
    EXPECT_NE(unknown.error().message.find("RRDBNet"), std::string::npos);
}

TEST(Architecture, DetectsTheAnimeVideoModel) {
    const StateDict weights = animeWeights();
    const auto spec = detectArchitecture(weights, "anime.param");
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_EQ(spec->arch, Architecture::Compact);
    EXPECT_EQ(spec->inChannels, 3);
    EXPECT_EQ(spec->outChannels, 3);
    EXPECT_EQ(spec->numFeat, 64);
    EXPECT_EQ(spec->numConv, 16);
    EXPECT_EQ(spec->scale, 4);
    EXPECT_EQ(spec->describe(), "SRVGGNetCompact (64 features, 16 convs, 4x)");
    EXPECT_TRUE(checkWeights(*spec, weights, "anime.param"));
}

TEST(Architecture, ExpectedTensorsOfTheDefaultSpec) {
    const auto expected = expectedTensors(ArchSpec{});
    EXPECT_EQ(expected.size(), 53u);
    EXPECT_EQ(expected.at("body.0.weight"), (std::vector<std::int64_t>{64, 3, 3, 3}));
    EXPECT_EQ(expected.at("body.33.weight"), std::vector<std::int64_t>{64});
    EXPECT_EQ(expected.at("body.34.weight"), (std::vector<std::int64_t>{48, 64, 3, 3}));
    EXPECT_EQ(expected.at("body.34.bias"), std::vector<std::int64_t>{48});
    EXPECT_FALSE(expected.contains("body.35.weight"));
}

TEST(Architecture, InfersOtherHyperParameters) {
    const ArchSpec cases[] = {
        {Architecture::Compact, 3, 3, 32, 4, 2},
        {Architecture::Compact, 3, 3, 48, 1, 1},
        {Architecture::Compact, 1, 1, 16, 2, 3},
        {Architecture::Compact, 3, 3, 64, 32, 4},
    };
    for (const ArchSpec& spec : cases) {
        const auto detected = detectArchitecture(test::syntheticWeights(spec), "synthetic");
        ASSERT_TRUE(detected) << spec.describe();
        EXPECT_EQ(*detected, spec) << spec.describe() << " vs " << detected->describe();
    }
}

TEST(Architecture, ForeignKeysAreUnsupported) {
    StateDict weights;
    weights["conv_first.weight"] =
        Tensor::fromFloat32(std::vector<float>(27), {1, 3, 3, 3}, DType::F32);
    weights["conv_first.bias"] = Tensor::fromFloat32(std::vector<float>(1), {1}, DType::F32);
    const auto r = detectArchitecture(weights, "esrgan.pth");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    const std::string& message = r.error().message;
    EXPECT_EQ(message.rfind("'esrgan.pth' has an unsupported architecture (keys: conv_first.bias "
                            "[1], conv_first.weight [1, 3, 3, 3]). Supported: SRVGGNetCompact "
                            "(Real-ESRGAN Compact), RRDBNet (ESRGAN and Real-ESRGAN, in BasicSR, "
                            "original ESRGAN or BSRGAN key style), SPAN",
                            0),
              0u)
        << message;
    for (const char* name : {"RealPLKSR", "DAT-light", "OmniSR", "SwinIR", "HAT-S"}) {
        EXPECT_NE(message.find(name), std::string::npos) << message;
    }
    EXPECT_FALSE(detectArchitecture({}, "empty"));
}

TEST(Architecture, MissingTensorIsAMismatch) {
    StateDict weights = animeWeights();
    weights.erase("body.20.bias");
    const auto spec = detectArchitecture(weights, "anime.safetensors");
    ASSERT_TRUE(spec);
    const auto r = checkWeights(*spec, weights, "anime.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(r.error().message.find("missing tensors: body.20.bias"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("anime.safetensors"), std::string::npos);
    EXPECT_NE(r.error().message.find("The file does not match the SRVGGNetCompact architecture; "
                                     "it may be damaged or a different model."),
              std::string::npos);
}

TEST(Architecture, WrongShapeAndExtraTensorAreNamed) {
    StateDict weights = animeWeights();
    weights["body.0.weight"] =
        Tensor::fromFloat32(std::vector<float>(32 * 27), {32, 3, 3, 3}, DType::F16);
    weights["extra.weight"] = Tensor::fromFloat32(std::vector<float>(1), {1}, DType::F32);
    const auto r = checkWeights(ArchSpec{}, weights, "anime.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(r.error().message.find("body.0.weight has shape [32, 3, 3, 3], expected "
                                     "[64, 3, 3, 3]"),
              std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("unexpected tensors: extra.weight"), std::string::npos);
}

TEST(Architecture, ListsOnlyAFewProblems) {
    const auto r = checkWeights(ArchSpec{}, {}, "nothing");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("(and 48 more)"), std::string::npos) << r.error().message;
}

TEST(Architecture, PeakActivationsGrowWithTheResolutionTheNetworkWorksAt) {
    ArchSpec compact;
    EXPECT_EQ(peakActivationsPerPixel(compact), 6 * 64);
    ArchSpec rrdb{
        .arch = Architecture::RRDBNet, .numFeat = 64, .numConv = 0, .numBlock = 23, .numGrow = 32};
    // conv_up2 works at 4x4 pixels per input pixel: input and output, 64 channels each.
    EXPECT_EQ(peakActivationsPerPixel(rrdb), 2 * 64 * 16 + 2 * (64 + 4 * 32));
    rrdb.unshuffle = 4;  // the x1 variant works at input resolution
    EXPECT_EQ(peakActivationsPerPixel(rrdb), 2 * 64 + 2 * (64 + 4 * 32));
    const ArchSpec span{.arch = Architecture::SPAN, .numFeat = 48};
    EXPECT_EQ(peakActivationsPerPixel(span), 8 * 48);
}

namespace {

/// FLOPs per input pixel counted from the tensors themselves: two per weight of every 4-D
/// convolution, times how many output pixels it computes per input pixel.
double flopsFromTensors(const upscale::models::ArchSpec& spec,
                        double (*pixelsPerInputPixel)(const std::string&)) {
    double flops = 0.0;
    for (const auto& [name, shape] : upscale::models::expectedTensors(spec)) {
        if (shape.size() == 4) {
            double n = 1.0;
            for (auto d : shape) {
                n *= static_cast<double>(d);
            }
            flops += 2.0 * n * pixelsPerInputPixel(name);
        }
    }
    return flops;
}

}  // namespace

TEST(ArchitectureFlops, CompactCountsEveryConvolutionAtTheInputResolution) {
    upscale::models::ArchSpec spec;  // 64 features, 16 convs, 4x
    const double expected = flopsFromTensors(spec, [](const std::string&) { return 1.0; });
    EXPECT_DOUBLE_EQ(upscale::models::flopsPerInputPixel(spec), expected);
    EXPECT_NEAR(expected, 2.0 * 9 * (3 * 64 + 16 * 64 * 64 + 64 * 48), 1e-6);
}

TEST(ArchitectureFlops, RrdbCountsTheUpsamplingConvolutionsAtTheirResolution) {
    upscale::models::ArchSpec spec;
    spec.arch = upscale::models::Architecture::RRDBNet;
    spec.numFeat = 64;
    spec.numGrow = 32;
    spec.numBlock = 6;
    spec.numUpsample = 2;
    const double expected = flopsFromTensors(spec, [](const std::string& name) {
        if (name.rfind("conv_up1", 0) == 0)
            return 4.0;
        if (name.rfind("conv_up2", 0) == 0 || name.rfind("conv_hr", 0) == 0 ||
            name.rfind("conv_last", 0) == 0) {
            return 16.0;
        }
        return 1.0;
    });
    EXPECT_NEAR(upscale::models::flopsPerInputPixel(spec), expected, expected * 1e-12);
}
