#include <gtest/gtest.h>

#include "model_test_util.hpp"
#include "upscale/core/sha256.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

TEST(ModelFile, BundledModelsLoadAndMatchTheManifest) {
    const auto manifest = loadManifest(test::bundledModels() / "manifest.json");
    ASSERT_TRUE(manifest) << manifest.error().message;
    for (const ModelEntry& entry : manifest->models) {
        const auto model = loadModelFile(entry.path);
        ASSERT_TRUE(model) << model.error().message;
        EXPECT_EQ(model->contentHash, entry.sha256) << entry.id;
        EXPECT_EQ(upscale::core::sha256File(entry.path).value(), entry.sha256);
        EXPECT_EQ(architectureName(model->spec.arch), entry.architecture);
        EXPECT_EQ(model->spec.scale, entry.scale);
        EXPECT_EQ(model->spec.numFeat, 64);
        if (entry.id == "realesrgan-x4plus-anime") {
            EXPECT_EQ(model->spec.numBlock, 6);
            EXPECT_EQ(model->spec.numGrow, 32);
        } else {
            EXPECT_EQ(model->spec.numConv, entry.id == "realesr-animevideov3" ? 16 : 32);
        }
        EXPECT_EQ(model->metadata.at("format"), "upscale-studio");
        for (const auto& [name, tensor] : model->weights) {
            EXPECT_EQ(tensor.dtype, DType::F16) << name;
        }
    }
}

TEST(ModelFile, LoadsNcnnByParamOrBin) {
    const auto byParam = loadModelFile(test::fixtureParam());
    ASSERT_TRUE(byParam) << byParam.error().message;
    EXPECT_EQ(byParam->spec.describe(), "SRVGGNetCompact (64 features, 16 convs, 4x)");
    const std::string combined = upscale::core::sha256File(test::fixtureParam()).value() +
                                 upscale::core::sha256File(test::fixtureBin()).value();
    EXPECT_EQ(byParam->contentHash,
              upscale::core::sha256Hex(std::span(
                  reinterpret_cast<const std::uint8_t*>(combined.data()), combined.size())));
    const auto byBin = loadModelFile(test::fixtureBin());
    ASSERT_TRUE(byBin) << byBin.error().message;
    EXPECT_EQ(byBin->contentHash, byParam->contentHash);
}

TEST(ModelFile, MissingAndUnknownFiles) {
    const auto missing = loadModelFile("/nonexistent/model.safetensors");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    EXPECT_EQ(missing.error().message,
              "Model file '/nonexistent/model.safetensors' does not exist.");

    test::ScratchDir dir;
    for (const std::string& content : {std::string(), std::string("hello, not a model\n")}) {
        const auto path = dir / "thing.dat";
        test::writeText(path, content);
        const auto r = loadModelFile(path);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
        EXPECT_EQ(r.error().message, "'" + path.string() +
                                         "' is not a model file we can read. Supported: "
                                         ".safetensors, PyTorch .pth/.pt/.ckpt, ncnn .param/.bin.");
    }
}

TEST(ModelFile, ParamWithoutBinIsNotFound) {
    test::ScratchDir dir;
    const auto param = dir / "alone.param";
    std::filesystem::copy_file(test::fixtureParam(), param);
    const auto r = loadModelFile(param);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    EXPECT_NE(r.error().message.find("alone.bin"), std::string::npos);
}

TEST(ModelFile, ConvertIsDeterministicAndMatchesTheBundledFile) {
    test::ScratchDir dir;
    const auto first = convertModel(test::fixtureParam(), dir / "a.safetensors");
    ASSERT_TRUE(first) << first.error().message;
    const auto second = convertModel(test::fixtureParam(), dir / "b.safetensors");
    ASSERT_TRUE(second) << second.error().message;
    const auto bytes = test::readBytes(dir / "a.safetensors");
    EXPECT_EQ(bytes, test::readBytes(dir / "b.safetensors"));
    EXPECT_EQ(first->contentHash, second->contentHash);
    EXPECT_EQ(bytes, test::readBytes(test::bundledModels() / "realesr-animevideov3.safetensors"));
    const std::map<std::string, std::string> expected = {{"format", "upscale-studio"},
                                                         {"architecture", "SRVGGNetCompact"},
                                                         {"scale", "4"},
                                                         {"num_feat", "64"},
                                                         {"num_conv", "16"},
                                                         {"in_channels", "3"},
                                                         {"out_channels", "3"}};
    EXPECT_EQ(first->metadata, expected);
}

TEST(ModelFile, ConvertToFloat32) {
    test::ScratchDir dir;
    const auto model = convertModel(test::fixtureParam(), dir / "f32.safetensors", DType::F32);
    ASSERT_TRUE(model) << model.error().message;
    for (const auto& [name, tensor] : model->weights) {
        EXPECT_EQ(tensor.dtype, DType::F32) << name;
    }
    const auto back = convertModel(dir / "f32.safetensors", dir / "f16.safetensors");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(test::readBytes(dir / "f16.safetensors"),
              test::readBytes(test::bundledModels() / "realesr-animevideov3.safetensors"));
}

TEST(ModelFile, ConvertRefusesToOverwriteItsInput) {
    test::ScratchDir dir;
    const auto in = dir / "m.safetensors";
    std::filesystem::copy_file(test::bundledModels() / "realesr-animevideov3.safetensors", in);
    const auto r = convertModel(in, in);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    const auto bin = convertModel(test::fixtureParam(), test::fixtureBin());
    ASSERT_FALSE(bin);
    EXPECT_EQ(bin.error().code, ErrorCode::InvalidArgument);
}

TEST(ModelFile, MetadataMustAgreeWithTheWeights) {
    const auto original =
        readSafetensors(test::bundledModels() / "realesr-animevideov3.safetensors");
    ASSERT_TRUE(original);
    test::ScratchDir dir;
    auto metadata = original->metadata;
    metadata["architecture"] = "RRDBNet";
    ASSERT_TRUE(writeSafetensors(dir / "lying.safetensors", original->tensors, metadata));
    const auto r = loadModelFile(dir / "lying.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(r.error().message.find("RRDBNet"), std::string::npos);
}

TEST(ModelFile, DamagedWeightsAreReported) {
    const auto original =
        readSafetensors(test::bundledModels() / "realesr-animevideov3.safetensors");
    ASSERT_TRUE(original);
    test::ScratchDir dir;
    auto tensors = original->tensors;
    tensors.erase("body.7.weight");
    ASSERT_TRUE(writeSafetensors(dir / "partial.safetensors", tensors, {}));
    const auto r = loadModelFile(dir / "partial.safetensors");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(r.error().message.find("body.7.weight"), std::string::npos);

    auto bytes = test::readBytes(test::bundledModels() / "realesr-animevideov3.safetensors");
    bytes.resize(bytes.size() - 100);
    test::writeBytes(dir / "cut.safetensors", bytes);
    const auto cut = loadModelFile(dir / "cut.safetensors");
    ASSERT_FALSE(cut);
    EXPECT_EQ(cut.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(cut.error().message.find("cut.safetensors"), std::string::npos);
}
