// What the loader says about files it cannot or will not load, and the checkpoints it loads
// despite their extras: each message names the file and says what it is and what to do.

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>

#include "model_test_util.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/pytorch.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

void expectRefusal(const std::string& fixture, ErrorCode code, const std::string& text) {
    SCOPED_TRACE(fixture);
    const auto r = loadModelFile(test::modelFixture(fixture));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_NE(r.error().message.find(test::modelFixture(fixture).string()), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find(text), std::string::npos) << r.error().message;
}

Tensor zeros(std::vector<std::int64_t> shape) {
    std::int64_t n = 1;
    for (const auto d : shape) {
        n *= d;
    }
    return Tensor::fromFloat32(std::vector<float>(static_cast<std::size_t>(n)), shape, DType::F32);
}

StateDict withKeys(std::initializer_list<const char*> keys) {
    StateDict weights;
    for (const char* key : keys) {
        weights[key] = zeros({2});
    }
    return weights;
}

}  // namespace

TEST(LoaderMessages, TorchScriptArchiveIsNamedAsSuch) {
    expectRefusal("torchscript-compact.pt", ErrorCode::UnsupportedFormat,
                  "is a TorchScript program (torch.jit.save), not a state dict; programs are not "
                  "loaded because they run code. Load it in PyTorch and save the model's "
                  "state_dict() with torch.save instead.");
}

TEST(LoaderMessages, PickledModuleAsksForItsStateDict) {
    expectRefusal("pickled-module.pth", ErrorCode::UnsupportedFormat,
                  "holds a whole pickled PyTorch module (class 'fixtures.Compact') rather than "
                  "its weights; it was refused and nothing in the file was run. Load it in "
                  "PyTorch and save the module's state_dict() with torch.save.");
}

TEST(LoaderMessages, CheckpointExtrasAreSkippedWithADebugLine) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("[%n] [%l] %v");
    auto subscription = upscale::core::subscribeToLog(sink);
    auto logger = upscale::core::logger("models");
    const auto level = logger->level();
    logger->set_level(spdlog::level::debug);
    const auto model = loadModelFile(test::modelFixture("compact-x2-namespace.pth"));
    logger->set_level(level);
    subscription.reset();
    ASSERT_TRUE(model) << model.error().message;
    EXPECT_EQ(model->spec.describe(), "SRVGGNetCompact (4 features, 1 convs, 2x)");
    EXPECT_NE(out.str().find("[models] [debug] '" +
                             test::modelFixture("compact-x2-namespace.pth").string() +
                             "': skipped 4 entries that are not weights: args, epoch, optimizer, "
                             "loss"),
              std::string::npos)
        << out.str();
}

TEST(LoaderMessages, WrapperPrefixesAreStripped) {
    ArchSpec spec;
    spec.numFeat = 4;
    spec.numConv = 1;
    const StateDict plain = test::syntheticWeights(spec);
    for (const std::string prefix : {"model.", "_orig_mod.", "generator.", "module.module.",
                                     "module._orig_mod.", "netG.module."}) {
        SCOPED_TRACE(prefix);
        StateDict wrapped;
        for (const auto& [name, tensor] : plain) {
            wrapped[prefix + name] = tensor;
        }
        const StateDict canonical = canonicalizeKeys(wrapped);
        const auto detected = detectArchitecture(canonical, "wrapped.pth");
        ASSERT_TRUE(detected) << detected.error().message;
        EXPECT_EQ(*detected, spec);
        EXPECT_TRUE(checkWeights(spec, canonical, "wrapped.pth"));
    }
}

TEST(LoaderMessages, UnsupportedArchitecturesAreNamedByTheirKeys) {
    const std::vector<std::pair<std::string, StateDict>> cases = {
        {"Swin2SR", withKeys({"layers.0.residual_group.blocks.0.attn.logit_scale",
                              "layers.0.residual_group.blocks.0.attn.relative_position_bias_"
                              "table"})},
        {"ATD", withKeys({"layers.0.residual_group.td",
                          "layers.0.residual_group.layers.0.attn_atd.scale"})},
        {"RGT", withKeys({"conv_first.weight", "before_RG.1.weight", "layers.0.blocks.0.gamma"})},
    };
    for (const auto& [name, weights] : cases) {
        SCOPED_TRACE(name);
        const auto r = detectArchitecture(weights, "net.pth");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
        EXPECT_NE(r.error().message.find("'net.pth' is a " + name + " model; " + name +
                                         " is not supported (keys: "),
                  std::string::npos)
            << r.error().message;
    }
}

TEST(LoaderMessages, ASupportedArchitectureWhoseShapesFormNoNetworkIsNamedAsDamaged) {
    const std::vector<std::pair<std::string, StateDict>> cases = {
        {"SwinIR",
         withKeys({"conv_first.weight",
                   "layers.0.residual_group.blocks.0.attn.relative_position_bias_table"})},
        {"HAT", withKeys({"relative_position_index_SA",
                          "layers.0.residual_group.blocks.0.conv_block.cab.0.weight",
                          "layers.0.residual_group.blocks.0.attn.relative_position_bias_table"})},
        {"DAT", withKeys({"conv_first.weight", "before_RG.1.weight",
                          "layers.0.blocks.0.ffn.sg.conv.weight"})},
        {"OmniSR", withKeys({"input.weight", "up.0.weight",
                             "residual_layer.0.residual_layer.0.layer.0.fn.0.weight"})},
        {"RealPLKSR", withKeys({"feats.0.weight", "feats.1.channel_mixer.0.weight",
                                "feats.1.norm.weight", "feats.1.lk.conv.weight"})},
    };
    for (const auto& [name, weights] : cases) {
        SCOPED_TRACE(name);
        const auto r = detectArchitecture(weights, "net.pth");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
        EXPECT_NE(r.error().message.find("'net.pth' looks like a " + name +
                                         " model, but its weights form no " + name +
                                         " network this program reads (keys: "),
                  std::string::npos)
            << r.error().message;
    }
}

TEST(LoaderMessages, ZeroOutputChannelsAreRefusedBeforeAnythingIsBuilt) {
    expectRefusal("compact-zero-out.pth", ErrorCode::ModelMismatch,
                  "describes an impossible SRVGGNetCompact network (3 input channels, 0 output "
                  "channels, 4 features, scale 0): a size is zero or absurd.");
    test::ScratchDir dir;
    const auto out = dir / "zero.safetensors";
    const auto converted = convertModel(test::modelFixture("compact-zero-out.pth"), out);
    ASSERT_FALSE(converted);
    EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(LoaderMessages, GreyAndRgbaModelsAreRefusedWithTheirChannels) {
    expectRefusal("compact-3to1-x2.pth", ErrorCode::UnsupportedFormat,
                  "is a SRVGGNetCompact (4 features, 1 convs, 2x) model for 3 input and 1 output "
                  "channels (RGB to grey); only models that take and give RGB images (3 "
                  "channels) can be run.");
    expectRefusal("compact-rgba.pth", ErrorCode::UnsupportedFormat,
                  "is a SRVGGNetCompact (4 features, 1 convs, 2x) model for 4 input and 4 output "
                  "channels (RGBA to RGBA)");
}

TEST(LoaderMessages, TruncatedSafetensorsHeaderIsSaidToBeTruncated) {
    const auto whole = test::readBytes(test::modelFixture("compact-x4.safetensors"));
    test::ScratchDir dir;
    const auto path = dir / "cut.safetensors";
    test::writeBytes(path, {whole.begin(), whole.begin() + 40});
    const auto r = loadModelFile(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("is not a valid safetensors file: it is truncated: its "
                                     "header length"),
              std::string::npos)
        << r.error().message;
}
