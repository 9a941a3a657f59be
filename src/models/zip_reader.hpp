#pragma once
// Just enough of the zip format for PyTorch checkpoints: the central directory (with ZIP64),
// stored (uncompressed) entries, and every offset and size checked against the file.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/core/error.hpp"

namespace upscale::models::detail {

struct ZipArchive {
    /// Entry name -> its bytes inside the file. Only stored entries are listed; names are
    /// unique (a repeated name is an error).
    std::map<std::string, std::span<const std::uint8_t>, std::less<>> entries;
    std::string firstName;  ///< the first entry of the central directory
    /// Entries stored compressed: listed so that the caller can tell what the archive is (a
    /// TorchScript program compresses its code) before it refuses them.
    std::vector<std::string> compressed;
};

/// CorruptFile when the directory or an entry points outside the file; UnsupportedFormat for
/// encrypted entries.
[[nodiscard]] core::Result<ZipArchive> readZip(std::span<const std::uint8_t> bytes,
                                               std::string_view source);

}  // namespace upscale::models::detail
