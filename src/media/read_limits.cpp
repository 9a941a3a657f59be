#include "upscale/media/read_limits.hpp"

#include <fmt/format.h>

namespace upscale::media {

core::Result<void> checkReadLimits(const std::filesystem::path& path, std::int64_t width,
                                   std::int64_t height, const ReadLimits& limits) {
    using core::ErrorCode;
    if (width <= 0 || height <= 0) {
        return core::fail(ErrorCode::CorruptFile,
                          fmt::format("'{}' says it is {}x{} pixels, but an image needs at least "
                                      "one pixel on each side: the file is damaged.",
                                      path.string(), width, height));
    }
    if (width > limits.maxDimension || height > limits.maxDimension) {
        return core::fail(
            ErrorCode::LimitExceeded,
            fmt::format("'{}' is {}x{} pixels, more than the limit of {} pixels on a side, so it "
                        "was not decoded. Reduce it to a smaller size first.",
                        path.string(), width, height, limits.maxDimension));
    }
    // Both sides are at most maxDimension (an int), so the product cannot overflow.
    if (const std::int64_t pixels = width * height; pixels > limits.maxPixels) {
        return core::fail(
            ErrorCode::LimitExceeded,
            fmt::format("'{}' is {}x{} = {} pixels, more than the limit of {} pixels, so it was "
                        "not decoded. If the file is genuine and there is memory for it, raise "
                        "the pixel limit.",
                        path.string(), width, height, pixels, limits.maxPixels),
            core::Remedy::RaiseLimit, path.string());
    }
    return {};
}

}  // namespace upscale::media
