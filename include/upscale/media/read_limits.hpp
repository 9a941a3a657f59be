#pragma once
// How large an input may be. Images and videos are checked against these limits from their
// headers, before anything is decoded or allocated, so that a small file claiming enormous
// dimensions (a decompression bomb, or simply a damaged header) is refused with a clear message
// instead of exhausting the memory.

#include <cstdint>
#include <filesystem>

#include "upscale/core/error.hpp"

namespace upscale::media {

struct ReadLimits {
    std::int64_t maxPixels = 100'000'000;  ///< width x height (the CLI's --max-pixels)
    int maxDimension = 100'000;            ///< width or height, each
};

/// Checks the dimensions an input's header announces. Errors: LimitExceeded when a side is over
/// maxDimension or width x height is over maxPixels; CorruptFile when a side is 0 or negative.
/// Each message names the file, its dimensions, the limit and what to do.
[[nodiscard]] core::Result<void> checkReadLimits(const std::filesystem::path& path,
                                                 std::int64_t width, std::int64_t height,
                                                 const ReadLimits& limits);

}  // namespace upscale::media
