#pragma once
// A durable atomic write at the level of POSIX calls, so that every failure carries its exact
// errno: a temporary file, fsync, rename over the final name, fsync of the folder.

#include <cstdint>
#include <filesystem>
#include <span>

#include "upscale/core/error.hpp"

namespace upscale::media::detail {

/// Writes `bytes` to a temporary sibling of `path`, fsyncs it, renames it over `path` and fsyncs
/// the folder. Either the complete file ends up under `path` or nothing changes, and the
/// temporary file is never left behind. Errors: core::ioErrorCode(errno) (DiskFull for no space,
/// the quota or the file size limit, Io otherwise) naming `path`, the reason and what to do.
[[nodiscard]] core::Result<void> writeFileAtomically(const std::filesystem::path& path,
                                                     std::span<const std::uint8_t> bytes);

}  // namespace upscale::media::detail
