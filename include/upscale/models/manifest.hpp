#pragma once
// The bundled models: models/manifest.json lists them (id, display name, file, architecture,
// native scale, sha256, licence, source). A model is named by its id or by a file path.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/core/error.hpp"

namespace upscale::models {

struct ModelEntry {
    std::string id;
    std::string displayName;
    std::string file;  ///< relative to the manifest's folder
    std::string architecture;
    int scale = 4;
    std::string sha256;
    std::string licence;
    std::string source;
    std::string description;
    bool recommended = false;
    std::filesystem::path path;  ///< file resolved against the manifest's folder
};

struct Manifest {
    std::filesystem::path dir;
    std::vector<ModelEntry> models;  ///< recommended first, then in file order

    [[nodiscard]] const ModelEntry* find(std::string_view id) const;
    /// The recommended model, else the first one; nullptr for an empty manifest.
    [[nodiscard]] const ModelEntry* defaultModel() const;
};

[[nodiscard]] core::Result<Manifest> loadManifest(const std::filesystem::path& manifestJson);

/// Where the bundled models are: $UPSCALE_MODELS_DIR; else <exe>/../share/upscale-studio/models
/// when installed; else the source tree's models/ folder.
[[nodiscard]] std::filesystem::path bundledModelsDir();

/// A model chosen by the user: a manifest id, or a path to a model file.
struct ModelRef {
    std::string name;  ///< display name for logs: the id, or the file's stem
    std::filesystem::path file;
    std::optional<ModelEntry> entry;  ///< set when it came from the manifest
};

/// Resolves an id or a path. Unknown ids give NotFound listing the available ids.
[[nodiscard]] core::Result<ModelRef> resolveModel(std::string_view idOrPath,
                                                  const Manifest& manifest);

}  // namespace upscale::models
