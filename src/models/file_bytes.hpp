#pragma once
// Small private helpers shared by the model readers: whole-file reads with product-style errors,
// and little-endian loads from unaligned bytes.

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "upscale/core/error.hpp"

namespace upscale::models::detail {

/// The whole file. NotFound ("<what> '<path>' does not exist.") when it does not exist, Io when
/// it cannot be read.
[[nodiscard]] inline core::Result<std::vector<std::uint8_t>> readFileBytes(
    const std::filesystem::path& path, std::string_view what = "Model file") {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return core::fail(core::ErrorCode::NotFound,
                          fmt::format("{} '{}' does not exist.", what, path.string()));
    }
    if (std::filesystem::is_directory(path, ec)) {
        return core::fail(core::ErrorCode::Io,
                          fmt::format("'{}' is a folder, not a file.", path.string()));
    }
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return core::fail(core::ErrorCode::Io, fmt::format("Cannot open '{}': {}.", path.string(),
                                                           std::strerror(errno)));
    }
    std::vector<std::uint8_t> bytes;
    try {
        std::uint8_t chunk[1 << 16];
        for (;;) {
            const std::size_t got = std::fread(chunk, 1, sizeof chunk, file);
            bytes.insert(bytes.end(), chunk, chunk + got);
            if (got < sizeof chunk) {
                break;
            }
        }
    } catch (const std::bad_alloc&) {
        std::fclose(file);
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to read into memory.", path.string()));
    }
    const bool failed = std::ferror(file) != 0;
    const int err = errno;
    std::fclose(file);
    if (failed) {
        return core::fail(core::ErrorCode::Io, fmt::format("Reading '{}' failed: {}.",
                                                           path.string(), std::strerror(err)));
    }
    return bytes;
}

[[nodiscard]] inline std::uint32_t loadU32(const std::uint8_t* p) {
    return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
           (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

[[nodiscard]] inline std::uint64_t loadU64(const std::uint8_t* p) {
    return static_cast<std::uint64_t>(loadU32(p)) |
           (static_cast<std::uint64_t>(loadU32(p + 4)) << 32);
}

}  // namespace upscale::models::detail
