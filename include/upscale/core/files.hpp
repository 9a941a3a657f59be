#pragma once
// Durable writes at the level of POSIX calls, so that every failure carries its exact errno: an
// atomic replacement (a temporary file, fsync, rename over the final name, fsync of the folder)
// and a synced append.

#include <cstdint>
#include <filesystem>
#include <span>

#include "upscale/core/error.hpp"

namespace upscale::core {

/// The error for a failed write of `path` with `errnum`: DiskFull or Io (ioErrorCode), the reason,
/// and what to do about it (free space and --resume, the file size limit, the folder's rights).
[[nodiscard]] Error writeError(const std::filesystem::path& path, int errnum);

/// Writes `bytes` to a temporary sibling of `path`, fsyncs it, renames it over `path` and fsyncs
/// the folder. Either the complete file ends up under `path` or nothing changes, and the
/// temporary file is never left behind. Errors: core::ioErrorCode(errno) (DiskFull for no space,
/// the quota or the file size limit, Io otherwise) naming `path`, the reason and what to do.
[[nodiscard]] Result<void> writeFileAtomically(const std::filesystem::path& path,
                                               std::span<const std::uint8_t> bytes);

/// Appends `bytes` to `path` (created when missing) with one write call as far as the system
/// allows, and fsyncs the file before returning. Errors as writeFileAtomically().
[[nodiscard]] Result<void> appendAndSync(const std::filesystem::path& path,
                                         std::span<const std::uint8_t> bytes);

}  // namespace upscale::core
