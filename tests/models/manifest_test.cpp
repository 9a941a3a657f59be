#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "model_test_util.hpp"
#include "upscale/models/manifest.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

Manifest bundled() {
    auto manifest = loadManifest(test::bundledModels() / "manifest.json");
    EXPECT_TRUE(manifest) << manifest.error().message;
    return *manifest;
}

std::string entryJson(const std::string& id, bool recommended) {
    return R"({"id":")" + id + R"(","display_name":"D","file":")" + id +
           R"(.safetensors","architecture":"SRVGGNetCompact","scale":4,"sha256":")" +
           std::string(64, 'a') + R"(","recommended":)" + (recommended ? "true" : "false") + "}";
}

/// Sets an environment variable for one scope and restores it afterwards.
class EnvOverride {
public:
    EnvOverride(const char* name, const char* value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
        }
        if (value != nullptr) {
            ::setenv(name, value, 1);
        } else {
            ::unsetenv(name);
        }
    }
    ~EnvOverride() {
        if (m_old) {
            ::setenv(m_name, m_old->c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    EnvOverride(const EnvOverride&) = delete;
    EnvOverride& operator=(const EnvOverride&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

}  // namespace

TEST(Manifest, LoadsTheBundledModels) {
    const Manifest manifest = bundled();
    ASSERT_EQ(manifest.models.size(), 3u);
    const ModelEntry& first = manifest.models[0];
    EXPECT_EQ(first.id, "realesr-animevideov3");
    EXPECT_EQ(first.displayName, "Real-ESRGAN AnimeVideo v3 (Recommended)");
    EXPECT_TRUE(first.recommended);
    EXPECT_EQ(first.scale, 4);
    EXPECT_EQ(first.architecture, "SRVGGNetCompact");
    EXPECT_EQ(first.licence, "BSD-3-Clause");
    EXPECT_TRUE(std::filesystem::is_regular_file(first.path)) << first.path;
    EXPECT_EQ(manifest.defaultModel(), &manifest.models[0]);
    ASSERT_NE(manifest.find("realesr-general-x4v3"), nullptr);
    EXPECT_FALSE(manifest.find("realesr-general-x4v3")->recommended);
    EXPECT_EQ(manifest.find("nope"), nullptr);
}

TEST(Manifest, RecommendedModelsComeFirst) {
    test::ScratchDir dir;
    test::writeText(dir / "manifest.json", R"({"models":[)" + entryJson("plain", false) + "," +
                                               entryJson("best", true) + "]}");
    const auto manifest = loadManifest(dir / "manifest.json");
    ASSERT_TRUE(manifest) << manifest.error().message;
    EXPECT_EQ(manifest->models[0].id, "best");
    EXPECT_EQ(manifest->models[1].id, "plain");
    EXPECT_EQ(manifest->models[1].path, dir / "plain.safetensors");
    EXPECT_EQ(manifest->defaultModel()->id, "best");
    EXPECT_EQ(Manifest{}.defaultModel(), nullptr);
}

TEST(Manifest, MissingFieldNamesTheEntry) {
    test::ScratchDir dir;
    std::string broken = entryJson("broken", false);
    broken.replace(broken.find("\"sha256\""), 8, "\"sha999\"");
    const auto path = dir / "manifest.json";
    test::writeText(path, R"({"models":[)" + entryJson("ok", false) + "," + broken + "]}");
    const auto r = loadManifest(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find(path.string()), std::string::npos);
    EXPECT_NE(r.error().message.find("entry 2 ('broken')"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("'sha256'"), std::string::npos);
}

TEST(Manifest, RejectsBadJsonAndDuplicates) {
    test::ScratchDir dir;
    test::writeText(dir / "bad.json", "{\"models\": [");
    const auto bad = loadManifest(dir / "bad.json");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::CorruptFile);
    test::writeText(dir / "dup.json",
                    R"({"models":[)" + entryJson("x", false) + "," + entryJson("x", true) + "]}");
    const auto dup = loadManifest(dir / "dup.json");
    ASSERT_FALSE(dup);
    EXPECT_NE(dup.error().message.find("more than once"), std::string::npos);
    const auto missing = loadManifest(dir / "none.json");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

TEST(Manifest, ResolvesIdsAndPaths) {
    const Manifest manifest = bundled();
    const auto byId = resolveModel("realesr-general-x4v3", manifest);
    ASSERT_TRUE(byId) << byId.error().message;
    EXPECT_EQ(byId->name, "realesr-general-x4v3");
    ASSERT_TRUE(byId->entry);
    EXPECT_EQ(byId->file, manifest.find("realesr-general-x4v3")->path);

    const auto byPath = resolveModel(test::fixtureParam().string(), manifest);
    ASSERT_TRUE(byPath) << byPath.error().message;
    EXPECT_EQ(byPath->name, "realesr-animevideov3-x4");
    EXPECT_FALSE(byPath->entry);

    const auto bundledPath = resolveModel(manifest.models[0].path.string(), manifest);
    ASSERT_TRUE(bundledPath);
    ASSERT_TRUE(bundledPath->entry);
    EXPECT_EQ(bundledPath->entry->id, "realesr-animevideov3");
}

TEST(Manifest, UnknownIdListsTheAvailableOnes) {
    const auto r = resolveModel("realesrgan-x9", bundled());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    EXPECT_EQ(r.error().message,
              "Unknown model 'realesrgan-x9'. Available models: realesr-animevideov3, "
              "realesr-general-x4v3, realesrgan-x4plus-anime.");
    EXPECT_EQ(r.error().remedy, upscale::core::Remedy::ChooseModel);
}

TEST(Manifest, MissingPathIsNotFound) {
    for (const char* path : {"missing.safetensors", "some/dir/model", "x.pth"}) {
        const auto r = resolveModel(path, bundled());
        ASSERT_FALSE(r) << path;
        EXPECT_EQ(r.error().code, ErrorCode::NotFound);
        EXPECT_EQ(r.error().message, fmt::format("Model file '{}' does not exist.", path));
    }
}

TEST(Manifest, BundledDirHonoursTheEnvironment) {
    {
        const EnvOverride env("UPSCALE_MODELS_DIR", "/opt/somewhere/models");
        EXPECT_EQ(bundledModelsDir(), std::filesystem::path("/opt/somewhere/models"));
    }
    {
        const EnvOverride env("UPSCALE_MODELS_DIR", "");
        EXPECT_TRUE(std::filesystem::exists(bundledModelsDir() / "manifest.json"))
            << bundledModelsDir();
    }
}

TEST(UserModels, ModelFilesInTheFolderAreAddedAfterTheBundledOnesByName) {
    auto manifest = loadManifest(test::bundledModels() / "manifest.json");
    ASSERT_TRUE(manifest);
    const std::size_t bundled = manifest->models.size();
    test::ScratchDir dir;
    for (const char* name : {"b-model.PTH", "a-model.safetensors", "notes.txt", "c.ckpt",
                             "realesr-animevideov3.pth", "weights.bin"}) {
        test::writeText(dir / name, "x");
    }
    std::filesystem::create_directories(dir / "folder.pth");
    addUserModels(*manifest, dir.path());

    ASSERT_EQ(manifest->models.size(), bundled + 3);
    const ModelEntry& first = manifest->models[bundled];
    EXPECT_EQ(first.id, "a-model");
    EXPECT_TRUE(first.user);
    EXPECT_TRUE(first.sha256.empty());
    EXPECT_EQ(first.path, dir / "a-model.safetensors");
    EXPECT_EQ(manifest->models[bundled + 1].id, "b-model");
    EXPECT_EQ(manifest->models[bundled + 2].id, "c");
    // The bundled model keeps its name; the user's file of the same name is not listed.
    EXPECT_FALSE(manifest->find("realesr-animevideov3")->user);

    const auto ref = resolveModel("b-model", *manifest);
    ASSERT_TRUE(ref) << ref.error().message;
    EXPECT_EQ(ref->file, dir / "b-model.PTH");
}

TEST(UserModels, AMissingFolderAddsNothing) {
    Manifest manifest;
    addUserModels(manifest, "/nonexistent/upscale-studio/models");
    EXPECT_TRUE(manifest.models.empty());
}
