#pragma once
// Still images in and out, through OpenCV: PNG, JPEG, WebP, TIFF and BMP, 8 or 16 bits.
// Everything that crosses this border is a core::Image in RGB / RGBA order; grey sources
// become RGB, and an alpha channel is kept.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/core/error.hpp"
#include "upscale/core/image.hpp"
#include "upscale/media/read_limits.hpp"

namespace upscale::media {

/// Lower-case extensions (with the dot) of the still-image formats we read and write.
[[nodiscard]] const std::vector<std::string>& imageExtensions();
/// The path's extension in lower case with its dot (".png"); empty when it has none.
[[nodiscard]] std::string lowerExtension(const std::filesystem::path& path);
/// True when the path's extension is one of imageExtensions() (any case).
[[nodiscard]] bool hasImageExtension(const std::filesystem::path& path);

/// Reads an image. Grey becomes RGB, grey+alpha becomes RGBA, BGR(A) becomes RGB(A).
/// 16-bit sources stay 16-bit; float sources are converted to 16-bit.
/// The dimensions are read from the header and checked against `limits` before the rest of the
/// file is read or anything is decoded.
/// Errors, each naming the file: NotFound (missing); InvalidArgument (a folder, a named pipe, a
/// device: refused before it is opened); UnsupportedFormat (empty, or not an image we can
/// decode); CorruptFile (a known format whose header or data is broken); LimitExceeded (larger
/// than `limits`, with the dimensions and the limit); Io (it cannot be read).
[[nodiscard]] core::Result<core::Image> readImage(const std::filesystem::path& path,
                                                  const ReadLimits& limits = {});

struct ImageWriteOptions {
    int jpegQuality = 95;    ///< 1..100
    int webpQuality = 95;    ///< 1..100; 101 = lossless
    int pngCompression = 3;  ///< 0..9
};

/// Writes an image, choosing the format from the extension. Formats that cannot hold 16 bits
/// (JPEG, WebP, BMP) get an 8-bit conversion; those that cannot hold alpha (JPEG, BMP) get the
/// colour channels only. Writes a temporary file in the same folder and renames it over `path`
/// only when complete and synced to the disk, so a failure never leaves a truncated file under the
/// final name, nor a temporary file. Errors, naming the file, the reason and what to do:
/// DiskFull (no space left, the disk quota or the file size limit reached), Io (permissions, a
/// missing folder...).
[[nodiscard]] core::Result<void> writeImage(const std::filesystem::path& path,
                                            const core::Image& image,
                                            const ImageWriteOptions& options = {});

/// Whether a format (by extension) keeps 16-bit samples / an alpha channel.
[[nodiscard]] bool formatSupports16Bit(const std::filesystem::path& path);
[[nodiscard]] bool formatSupportsAlpha(const std::filesystem::path& path);

}  // namespace upscale::media
