#pragma once
// The safetensors format: u64 header length, JSON header, one contiguous byte buffer.
// The reader validates every offset against the file before it copies anything.

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>

#include "upscale/models/state_dict.hpp"

namespace upscale::models {

struct SafetensorsFile {
    StateDict tensors;
    std::map<std::string, std::string> metadata;  ///< the optional "__metadata__" object
};

/// Parses an in-memory file; `source` names it in error messages.
[[nodiscard]] core::Result<SafetensorsFile> parseSafetensors(std::span<const std::uint8_t> bytes,
                                                             std::string_view source);
[[nodiscard]] core::Result<SafetensorsFile> readSafetensors(const std::filesystem::path& path);

/// Serialises tensors and metadata (header padded to a multiple of 8 with spaces).
[[nodiscard]] std::vector<std::uint8_t> serializeSafetensors(
    const StateDict& tensors, const std::map<std::string, std::string>& metadata);
/// Writes through a temporary sibling file and renames it into place.
[[nodiscard]] core::Result<void> writeSafetensors(
    const std::filesystem::path& path, const StateDict& tensors,
    const std::map<std::string, std::string>& metadata);

}  // namespace upscale::models
