#include "upscale/media/image_io.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <optional>
#include <span>

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "image_header.hpp"
#include "input_file.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/media/formats.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;
using detail::formatName;
using Format = detail::ImageFormat;

/// OpenCV decodes from a buffer whose length must fit an int.
constexpr std::uint64_t kMaxFileBytes = std::numeric_limits<int>::max();

/// The format of the path's extension, when its row is read (or written) as `use` asks.
std::optional<Format> formatFromExtension(const fs::path& path, FormatUse use) {
    const auto* row = findImageFormat(path);
    return row != nullptr && row->file.usedFor(use) ? std::optional(row->format) : std::nullopt;
}

const ImageFormatRow& rowOf(Format format) {
    return *findImageFormat(format);
}

/// Largest width or height the format's encoder accepts.
int maxDimension(Format format) {
    const int limit = rowOf(format).maxDimension;
    return limit > 0 ? limit : std::numeric_limits<int>::max();
}

bool supports16Bit(Format format) {
    return rowOf(format).sixteenBit;
}

bool supportsAlpha(Format format) {
    return rowOf(format).alpha;
}

core::Error notAnImage(const fs::path& path, std::string_view detail = {}) {
    std::string message =
        fmt::format("'{}' is not an image we can read (supported: {}).", path.string(),
                    namesList(filesOf(imageFormats()), FormatUse::Read));
    if (!detail.empty()) {
        message += fmt::format(" {}", detail);
    }
    return {ErrorCode::UnsupportedFormat, std::move(message)};
}

/// A read that failed with `errnum`, or (0) because the file became shorter meanwhile.
core::Error readFailure(const fs::path& path, int errnum) {
    return {ErrorCode::Io, fmt::format("Cannot read '{}': {}.", path.string(),
                                       errnum != 0 ? std::strerror(errnum)
                                                   : "it became shorter while it was read")};
}

/// The error for bytes the decoder rejected: a file that claims a known format (by signature, or
/// failing that by name) is broken; anything else is simply not an image.
core::Error decodeFailure(const fs::path& path, std::optional<Format> signature) {
    std::optional<Format> claimed = signature;
    if (!claimed) {
        claimed = formatFromExtension(path, FormatUse::Read);
    }
    if (!claimed) {
        return notAnImage(path);
    }
    return {ErrorCode::CorruptFile,
            fmt::format("'{}' looks like a {} file but could not be decoded: it may be truncated "
                        "or damaged.",
                        path.string(), formatName(*claimed))};
}

/// Brings any decoded sample type to 8 or 16 unsigned bits. Signed integers are taken as
/// non-negative data: negatives clamp to 0 and the positive range is doubled to fill the unsigned
/// one. 32-bit integers are scaled down to 16 bits. Floating point is taken as 0..1, clamped,
/// and scaled to 0..65535.
cv::Mat toUnsignedDepth(const cv::Mat& decoded) {
    cv::Mat out;
    switch (decoded.depth()) {
        case CV_8U:
        case CV_16U:
            return decoded;
        case CV_8S:
            decoded.convertTo(out, CV_8U, 2.0);
            return out;
        case CV_16S:
            decoded.convertTo(out, CV_16U, 2.0);
            return out;
        case CV_32S:
            decoded.convertTo(out, CV_16U, 1.0 / 32768.0);
            return out;
        default:
            decoded.convertTo(out, CV_16U, 65535.0);
            return out;
    }
}

/// Converts a decoded 8/16-bit matrix to RGB(A) directly into a new core::Image.
core::Result<core::Image> toImage(const fs::path& path, const cv::Mat& mat) {
    const int channels = mat.channels();
    const int outChannels = channels == 2 || channels == 4 ? 4 : 3;
    const bool wide = mat.depth() == CV_16U;
    core::Image image(mat.cols, mat.rows, outChannels,
                      wide ? core::BitDepth::U16 : core::BitDepth::U8);
    // A header over the image's own buffer, so the colour conversion writes the result in place.
    cv::Mat dst(mat.rows, mat.cols, CV_MAKETYPE(mat.depth(), outChannels), image.bytes().data(),
                image.rowBytes());
    switch (channels) {
        case 1:
            cv::cvtColor(mat, dst, cv::COLOR_GRAY2RGB);
            break;
        case 2: {
            const std::array<int, 8> fromTo{0, 0, 0, 1, 0, 2, 1, 3};
            cv::mixChannels(&mat, 1, &dst, 1, fromTo.data(), 4);
            break;
        }
        case 3:
            cv::cvtColor(mat, dst, cv::COLOR_BGR2RGB);
            break;
        case 4:
            cv::cvtColor(mat, dst, cv::COLOR_BGRA2RGBA);
            break;
        default:
            return fail(notAnImage(
                path, fmt::format("It has {} channels; only grey, grey with alpha, colour and "
                                  "colour with alpha are supported.",
                                  channels)));
    }
    if (dst.data != image.bytes().data()) {
        return fail(ErrorCode::Internal,
                    fmt::format("Converting '{}' to RGB did not write into the image buffer.",
                                path.string()));
    }
    return image;
}

/// Decodes the bytes of a file whose signature says `format` and whose header passed the limits.
core::Result<core::Image> decode(const fs::path& path, Format format,
                                 const std::vector<std::uint8_t>& bytes, const ReadLimits& limits) {
    // JPEG never carries alpha or more than 8 bits through OpenCV, so it is decoded as colour:
    // that is the mode in which OpenCV applies the EXIF orientation, which phone photos rely on.
    // Everything else is decoded unchanged to keep alpha and 16-bit samples.
    const int flags = format == Format::Jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                             const_cast<std::uint8_t*>(bytes.data()));
        decoded = cv::imdecode(buffer, flags);
    } catch (const cv::Exception& e) {
        core::logger("media")->debug("OpenCV could not decode '{}': {}", path.string(), e.err);
        // OpenCV refuses headers beyond its own size limits (CV_IO_MAX_IMAGE_PIXELS / _WIDTH /
        // _HEIGHT) with an assertion naming the limit: the file is fine, just too large for it.
        if (e.err.find("CV_IO_MAX_IMAGE") != std::string::npos) {
            return fail(ErrorCode::LimitExceeded,
                        fmt::format("'{}' is larger than the image decoder accepts ({}).",
                                    path.string(), e.err));
        }
        return fail(decodeFailure(path, format));
    }
    if (decoded.empty()) {
        return fail(decodeFailure(path, format));
    }
    // The header was checked, but what the decoder made of it is what gets allocated next.
    if (auto fits = checkReadLimits(path, decoded.cols, decoded.rows, limits); !fits) {
        return fail(fits.error());
    }
    try {
        return toImage(path, toUnsignedDepth(decoded));
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, fmt::format("Cannot convert '{}' ({}x{}, {} channels) to "
                                                     "RGB: {}",
                                                     path.string(), decoded.cols, decoded.rows,
                                                     decoded.channels(), e.err));
    }
}

/// Prepares the BGR(A) matrix OpenCV encodes for `format`: 16-bit reduced to 8 when the format
/// cannot hold it (value / 257, rounded), alpha dropped when the format cannot hold it.
cv::Mat toEncodable(const core::Image& image, Format format) {
    const bool wide = image.depth() == core::BitDepth::U16;
    // OpenCV only reads through this header; the const_cast is for its non-const constructor.
    const cv::Mat source(image.height(), image.width(),
                         CV_MAKETYPE(wide ? CV_16U : CV_8U, image.channels()),
                         const_cast<std::uint8_t*>(image.bytes().data()), image.rowBytes());
    cv::Mat samples = source;
    if (wide && !supports16Bit(format)) {
        source.convertTo(samples, CV_8U, 1.0 / 257.0);
    }
    cv::Mat out;
    switch (image.channels()) {
        case 3:
            cv::cvtColor(samples, out, cv::COLOR_RGB2BGR);
            break;
        case 4:
            cv::cvtColor(samples, out,
                         supportsAlpha(format) ? cv::COLOR_RGBA2BGRA : cv::COLOR_RGBA2BGR);
            break;
        default:
            out = samples;
            break;
    }
    return out;
}

core::Result<std::vector<int>> encodeParams(const fs::path& path, Format format,
                                            const ImageWriteOptions& options) {
    const auto outOfRange = [&](std::string_view what, int value, int low, int high) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot write '{}': {} must be between {} and {} (got {}).",
                                path.string(), what, low, high, value));
    };
    switch (format) {
        case Format::Jpeg:
            if (options.jpegQuality < 1 || options.jpegQuality > 100) {
                return outOfRange("JPEG quality", options.jpegQuality, 1, 100);
            }
            return std::vector<int>{cv::IMWRITE_JPEG_QUALITY, options.jpegQuality};
        case Format::WebP:
            if (options.webpQuality < 1 || options.webpQuality > 101) {
                return outOfRange("WebP quality", options.webpQuality, 1, 101);
            }
            return std::vector<int>{cv::IMWRITE_WEBP_QUALITY, options.webpQuality};
        case Format::Png:
            if (options.pngCompression < 0 || options.pngCompression > 9) {
                return outOfRange("PNG compression", options.pngCompression, 0, 9);
            }
            return std::vector<int>{cv::IMWRITE_PNG_COMPRESSION, options.pngCompression};
        case Format::Tiff:
        case Format::Bmp:
            return std::vector<int>{};
    }
    return std::vector<int>{};
}

}  // namespace

std::string lowerExtension(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return ext;
}

const std::vector<std::string>& imageExtensions() {
    static const std::vector<std::string> kExtensions =
        extensionsOf(filesOf(imageFormats()), FormatUse::Read);
    return kExtensions;
}

bool hasImageExtension(const fs::path& path) {
    return formatFromExtension(path, FormatUse::Read).has_value();
}

bool formatSupports16Bit(const fs::path& path) {
    const auto format = formatFromExtension(path, FormatUse::Write);
    return format && supports16Bit(*format);
}

bool formatSupportsAlpha(const fs::path& path) {
    const auto format = formatFromExtension(path, FormatUse::Write);
    return format && supportsAlpha(*format);
}

namespace {

core::Result<core::Image> readImageUnguarded(const fs::path& path, const ReadLimits& limits) {
    auto file = detail::InputFile::open(path);
    if (!file) {
        return fail(file.error());
    }
    if (file->size() == 0) {
        return fail(notAnImage(path, "The file is empty."));
    }
    try {
        // The signature and the header first: a file is refused by what its header announces,
        // before the rest of it is read and long before anything is decoded.
        std::array<std::uint8_t, detail::kSignatureBytes> start{};
        const auto startBytes =
            static_cast<std::size_t>(std::min<std::uint64_t>(start.size(), file->size()));
        if (!file->read(0, std::span(start.data(), startBytes))) {
            return fail(readFailure(path, file->readErrno()));
        }
        const auto format = detail::formatFromSignature(std::span(start.data(), startBytes));
        if (!format) {
            return fail(decodeFailure(path, std::nullopt));
        }
        auto header = detail::readImageHeader(path, *format, *file);
        if (!header && file->readErrno() != 0) {
            return fail(readFailure(path, file->readErrno()));
        }
        if (!header) {
            return fail(header.error());
        }
        if (auto fits = checkReadLimits(path, header->width, header->height, limits); !fits) {
            return fail(fits.error());
        }
        auto bytes = file->readAll(kMaxFileBytes);
        if (!bytes) {
            return fail(bytes.error());
        }
        return decode(path, *format, *bytes, limits);
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::OutOfMemory,
                    fmt::format("Not enough memory to read '{}'.", path.string()));
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal,
                    fmt::format("Cannot read '{}': OpenCV failed: {}", path.string(), e.err));
    }
}

}  // namespace

core::Result<core::Image> readImage(const fs::path& path, const ReadLimits& limits) {
    return core::guarded(fmt::format("reading '{}'", path.string()),
                         [&] { return readImageUnguarded(path, limits); });
}

namespace {

core::Result<void> writeImageUnguarded(const fs::path& path, const core::Image& image,
                                       const ImageWriteOptions& options) {
    const std::optional<Format> format = formatFromExtension(path, FormatUse::Write);
    if (!format) {
        const std::string ext = path.extension().string();
        const std::string what =
            ext.empty() ? std::string("the name has no extension, so the image format is unknown")
                        : fmt::format("unknown image format '{}'", ext);
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot write '{}': {}. Use {}.", path.string(), what,
                                extensionChoice(filesOf(imageFormats()), FormatUse::Write, true)));
    }
    if (image.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot write '{}': the image is empty.", path.string()));
    }
    if (const int limit = maxDimension(*format); image.width() > limit || image.height() > limit) {
        return fail(
            ErrorCode::InvalidArgument,
            fmt::format("Cannot write '{}': {} images can be at most {} pixels wide and "
                        "high, and this one is {}x{}. Use .png or .tif instead.",
                        path.string(), formatName(*format), limit, image.width(), image.height()));
    }
    auto params = encodeParams(path, *format, options);
    if (!params) {
        return fail(params.error());
    }
    std::vector<std::uint8_t> encoded;
    try {
        const cv::Mat mat = toEncodable(image, *format);
        if (!cv::imencode(lowerExtension(path), mat, encoded, *params)) {
            return fail(
                ErrorCode::Internal,
                fmt::format("Cannot write '{}': the {} encoder refused the image "
                            "({}x{}, {} channels, {} bits).",
                            path.string(), formatName(*format), image.width(), image.height(),
                            image.channels(), static_cast<int>(image.depth())));
        }
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::OutOfMemory,
                    fmt::format("Not enough memory to encode '{}'.", path.string()));
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal, fmt::format("Cannot write '{}': the {} encoder failed: {}",
                                                     path.string(), formatName(*format), e.err));
    }
    return core::writeFileAtomically(path, encoded);
}

}  // namespace

core::Result<void> writeImage(const fs::path& path, const core::Image& image,
                              const ImageWriteOptions& options) {
    return core::guarded(fmt::format("writing '{}'", path.string()),
                         [&] { return writeImageUnguarded(path, image, options); });
}

}  // namespace upscale::media
