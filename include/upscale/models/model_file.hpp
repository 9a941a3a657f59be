#pragma once
// Loading any supported model file into a checked, architecture-tagged state dict.

#include <filesystem>
#include <map>
#include <string>

#include "upscale/models/architecture.hpp"
#include "upscale/models/state_dict.hpp"

namespace upscale::models {

struct ModelFile {
    std::filesystem::path path;
    std::string contentHash;  ///< sha256 of the file (and of the .bin for ncnn): its identity
    ArchSpec spec;
    StateDict weights;                            ///< checked against spec
    std::map<std::string, std::string> metadata;  ///< safetensors metadata, if any
};

/// Sniffs the format (safetensors; ncnn .param with its .bin beside it), reads, detects the
/// architecture and checks the weights. Errors name the file and say what to do.
[[nodiscard]] core::Result<ModelFile> loadModelFile(const std::filesystem::path& path);

/// Converts any supported model file to safetensors with floating tensors cast to `dtype`
/// (F16, BF16 or F32); metadata records the architecture and its hyper-parameters.
[[nodiscard]] core::Result<ModelFile> convertModel(const std::filesystem::path& in,
                                                   const std::filesystem::path& out,
                                                   DType dtype = DType::F16);

}  // namespace upscale::models
