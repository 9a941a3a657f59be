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
    int scale = 4;  ///< the native scale; 0 for a user model (known once loaded)
    std::string sha256;
    std::string licence;
    std::string source;
    std::string description;
    bool recommended = false;
    std::filesystem::path path;  ///< file resolved against the manifest's folder
    /// Found in the user's models folder rather than bundled: no pinned sha256, and the
    /// architecture and scale are only known once the file is loaded.
    bool user = false;
};

struct Manifest {
    std::filesystem::path dir;
    std::vector<ModelEntry> models;  ///< recommended first, then in file order

    [[nodiscard]] const ModelEntry* find(std::string_view id) const;
    /// The recommended model, else the first one; nullptr for an empty manifest.
    [[nodiscard]] const ModelEntry* defaultModel() const;
};

[[nodiscard]] core::Result<Manifest> loadManifest(const std::filesystem::path& manifestJson);

/// Appends the model files directly inside `dir` (.safetensors, .pth, .pt, .ckpt, and ncnn
/// .param) as user models named by their file's stem, in name order. A name a bundled model
/// already has is skipped with a warning (the file can still be given by its path). A missing
/// folder adds nothing. Nothing is loaded here.
void addUserModels(Manifest& manifest, const std::filesystem::path& dir);

/// The bundled manifest plus the models in core::userModelsDir(): what the product offers.
[[nodiscard]] core::Result<Manifest> loadAvailableModels();

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
