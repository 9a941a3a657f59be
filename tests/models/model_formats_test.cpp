#include <gtest/gtest.h>

#include <array>
#include <fstream>

#include "common/test_paths.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/model_formats.hpp"

using namespace upscale::models;

namespace {

constexpr std::array<ModelFileFormat, 2> kSmall{{
    {"Torch", {".pth", ".pt", ""}, ""},
    {"Pair", {".graph", "", ""}, ".weights"},
}};

}  // namespace

TEST(ModelFormats, GeneratorsListEveryRow) {
    EXPECT_EQ(modelFormatList(kSmall), "Torch .pth/.pt, Pair .graph/.weights");
    EXPECT_EQ(modelFilePatterns(kSmall), "*.pth *.pt *.graph");
    EXPECT_EQ(modelExtensions(kSmall), (std::vector<std::string>{".pth", ".pt", ".graph"}));
    EXPECT_TRUE(hasModelExtension("net.PT", kSmall));
    EXPECT_FALSE(hasModelExtension("net.weights", kSmall));  // a companion is not picked
    EXPECT_TRUE(endsWithModelSuffix("net.weights", kSmall));
}

TEST(ModelFormats, ARowLeftOutOfTheTableLeavesTheGeneratedTexts) {
    const std::array<ModelFileFormat, 1> torchOnly{kSmall[0]};
    EXPECT_EQ(modelFormatList(torchOnly), "Torch .pth/.pt");
    EXPECT_EQ(modelFilePatterns(torchOnly), "*.pth *.pt");
    EXPECT_FALSE(hasModelExtension("net.graph", torchOnly));
    EXPECT_FALSE(endsWithModelSuffix("net.weights", torchOnly));
}

TEST(ModelFormats, TheLoaderAndTheModelFolderFollowTheTable) {
    const auto dir = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / "model_formats";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto text = dir / "notes.txt";
    { std::ofstream(text) << "not a model"; }
    const auto refused = loadModelFile(text);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "'" + text.string() +
                                           "' is not a model file we can read. Supported: "
                                           ".safetensors, PyTorch .pth/.pt/.ckpt, ncnn "
                                           ".param/.bin.");
    for (const auto& extension : modelExtensions()) {
        { std::ofstream(dir / ("model" + extension.substr(1) + extension)) << "x"; }
    }
    { std::ofstream(dir / "weights.bin") << "x"; }  // a companion is not a model of its own
    Manifest manifest;
    addUserModels(manifest, dir);
    ASSERT_EQ(manifest.models.size(), modelExtensions().size());
    EXPECT_EQ(modelFilePatterns(), "*.safetensors *.pth *.pt *.ckpt *.param");
}
