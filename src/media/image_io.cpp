#include "upscale/media/image_io.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "atomic_write.hpp"
#include "upscale/core/logging.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::ErrorCode;
using core::fail;

/// Decoded images larger than this are refused: they would not fit through the pipeline anyway,
/// and a bogus header must not turn into a multi-gigabyte allocation further down.
constexpr std::uint64_t kMaxPixels = 1'000'000'000;

/// OpenCV decodes from a buffer whose length must fit an int.
constexpr std::streamoff kMaxFileBytes = std::numeric_limits<int>::max();

constexpr const char* kSupportedList = "PNG, JPEG, WebP, TIFF, BMP";

enum class Format { Png, Jpeg, WebP, Tiff, Bmp };

std::optional<Format> formatFromExtension(const fs::path& path) {
    const std::string ext = lowerExtension(path);
    if (ext == ".png") {
        return Format::Png;
    }
    if (ext == ".jpg" || ext == ".jpeg") {
        return Format::Jpeg;
    }
    if (ext == ".webp") {
        return Format::WebP;
    }
    if (ext == ".tif" || ext == ".tiff") {
        return Format::Tiff;
    }
    if (ext == ".bmp") {
        return Format::Bmp;
    }
    return std::nullopt;
}

bool startsWith(const std::vector<std::uint8_t>& bytes, std::size_t offset,
                std::initializer_list<std::uint8_t> prefix) {
    if (bytes.size() < offset + prefix.size()) {
        return false;
    }
    return std::equal(prefix.begin(), prefix.end(), bytes.begin() + offset);
}

/// Identifies a format by its signature, independent of the file name.
std::optional<Format> formatFromMagic(const std::vector<std::uint8_t>& bytes) {
    if (startsWith(bytes, 0, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
        return Format::Png;
    }
    if (startsWith(bytes, 0, {0xFF, 0xD8, 0xFF})) {
        return Format::Jpeg;
    }
    if (startsWith(bytes, 0, {'R', 'I', 'F', 'F'}) && startsWith(bytes, 8, {'W', 'E', 'B', 'P'})) {
        return Format::WebP;
    }
    // Classic TIFF ('*') and BigTIFF ('+'), in both byte orders.
    if (startsWith(bytes, 0, {'I', 'I', '*', 0}) || startsWith(bytes, 0, {'M', 'M', 0, '*'}) ||
        startsWith(bytes, 0, {'I', 'I', '+', 0}) || startsWith(bytes, 0, {'M', 'M', 0, '+'})) {
        return Format::Tiff;
    }
    if (startsWith(bytes, 0, {'B', 'M'})) {
        return Format::Bmp;
    }
    return std::nullopt;
}

const char* formatName(Format format) {
    switch (format) {
        case Format::Png:
            return "PNG";
        case Format::Jpeg:
            return "JPEG";
        case Format::WebP:
            return "WebP";
        case Format::Tiff:
            return "TIFF";
        case Format::Bmp:
            return "BMP";
    }
    return "image";
}

/// Largest width or height the format's encoder accepts.
int maxDimension(Format format) {
    switch (format) {
        case Format::WebP:
            return 16383;
        case Format::Jpeg:
            return 65535;
        case Format::Png:
        case Format::Tiff:
        case Format::Bmp:
            break;
    }
    return std::numeric_limits<int>::max();
}

bool supports16Bit(Format format) {
    return format == Format::Png || format == Format::Tiff;
}

bool supportsAlpha(Format format) {
    return format == Format::Png || format == Format::Tiff || format == Format::WebP;
}

std::string errnoText(int error) {
    if (error == 0) {
        return "the operation did not complete";
    }
    return std::strerror(error);
}

core::Error notAnImage(const fs::path& path, std::string_view detail = {}) {
    std::string message = fmt::format("'{}' is not an image we can read (supported: {}).",
                                      path.string(), kSupportedList);
    if (!detail.empty()) {
        message += fmt::format(" {}", detail);
    }
    return {ErrorCode::UnsupportedFormat, std::move(message)};
}

/// The error for bytes the decoder rejected: a file that claims a known format (by signature, or
/// failing that by name) is broken; anything else is simply not an image.
core::Error decodeFailure(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::optional<Format> claimed = formatFromMagic(bytes);
    if (!claimed) {
        claimed = formatFromExtension(path);
    }
    if (!claimed) {
        return notAnImage(path);
    }
    return {ErrorCode::CorruptFile,
            fmt::format("'{}' looks like a {} file but could not be decoded: it may be truncated "
                        "or damaged.",
                        path.string(), formatName(*claimed))};
}

core::Error tooLarge(const fs::path& path, std::string_view size) {
    return {ErrorCode::UnsupportedFormat,
            fmt::format("'{}' is too large to process ({}); the limit is {} pixels.", path.string(),
                        size, kMaxPixels)};
}

/// Reads a whole file. Errors: Io naming the file; UnsupportedFormat when it is too large to
/// decode.
core::Result<std::vector<std::uint8_t>> readBytes(const fs::path& path) {
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::Io,
                    fmt::format("Cannot read '{}': {}.", path.string(), errnoText(errno)));
    }
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size < 0 || !in) {
        return fail(ErrorCode::Io,
                    fmt::format("Cannot read '{}': {}.", path.string(), errnoText(errno)));
    }
    if (size > kMaxFileBytes) {
        return fail(tooLarge(path, fmt::format("{} bytes", size)));
    }
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    if (size > 0) {
        errno = 0;
        in.read(reinterpret_cast<char*>(bytes.data()), size);
        if (in.gcount() != size) {
            return fail(ErrorCode::Io,
                        fmt::format("Cannot read '{}': {}.", path.string(), errnoText(errno)));
        }
    }
    return bytes;
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

core::Result<core::Image> decode(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    const std::optional<Format> magic = formatFromMagic(bytes);
    // JPEG never carries alpha or more than 8 bits through OpenCV, so it is decoded as colour:
    // that is the mode in which OpenCV applies the EXIF orientation, which phone photos rely on.
    // Everything else is decoded unchanged to keep alpha and 16-bit samples.
    const int flags = magic == Format::Jpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
    cv::Mat decoded;
    try {
        const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1,
                             const_cast<std::uint8_t*>(bytes.data()));
        decoded = cv::imdecode(buffer, flags);
    } catch (const cv::Exception& e) {
        core::logger("media")->debug("OpenCV could not decode '{}': {}", path.string(), e.err);
        // OpenCV refuses headers beyond its size limits (CV_IO_MAX_IMAGE_PIXELS / _WIDTH /
        // _HEIGHT) with an assertion naming the limit: the file is fine, just too large.
        if (e.err.find("CV_IO_MAX_IMAGE") != std::string::npos) {
            return fail(tooLarge(path, "its dimensions exceed the decoder's limits"));
        }
        return fail(decodeFailure(path, bytes));
    }
    if (decoded.empty()) {
        return fail(decodeFailure(path, bytes));
    }
    const auto pixels = static_cast<std::uint64_t>(decoded.cols) * decoded.rows;
    if (pixels > kMaxPixels) {
        return fail(tooLarge(path, fmt::format("{}x{} pixels", decoded.cols, decoded.rows)));
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
    static const std::vector<std::string> kExtensions{".png", ".jpg",  ".jpeg", ".webp",
                                                      ".tif", ".tiff", ".bmp"};
    return kExtensions;
}

bool hasImageExtension(const fs::path& path) {
    return formatFromExtension(path).has_value();
}

bool formatSupports16Bit(const fs::path& path) {
    const auto format = formatFromExtension(path);
    return format && supports16Bit(*format);
}

bool formatSupportsAlpha(const fs::path& path) {
    const auto format = formatFromExtension(path);
    return format && supportsAlpha(*format);
}

core::Result<core::Image> readImage(const fs::path& path) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (status.type() == fs::file_type::not_found || ec == std::errc::not_a_directory) {
        return fail(ErrorCode::NotFound,
                    fmt::format("Input file '{}' does not exist.", path.string()));
    }
    if (ec) {
        return fail(ErrorCode::Io,
                    fmt::format("Cannot read '{}': {}.", path.string(), ec.message()));
    }
    if (fs::is_directory(status)) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("'{}' is a folder, not an image file.", path.string()));
    }
    if (!fs::is_regular_file(status)) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("'{}' is not a regular file, so it cannot be read as an image.",
                                path.string()));
    }
    try {
        auto bytes = readBytes(path);
        if (!bytes) {
            return fail(bytes.error());
        }
        if (bytes->empty()) {
            return fail(notAnImage(path, "The file is empty."));
        }
        return decode(path, *bytes);
    } catch (const std::bad_alloc&) {
        return fail(ErrorCode::OutOfMemory,
                    fmt::format("Not enough memory to read '{}'.", path.string()));
    } catch (const cv::Exception& e) {
        return fail(ErrorCode::Internal,
                    fmt::format("Cannot read '{}': OpenCV failed: {}", path.string(), e.err));
    }
}

core::Result<void> writeImage(const fs::path& path, const core::Image& image,
                              const ImageWriteOptions& options) {
    const std::optional<Format> format = formatFromExtension(path);
    if (!format) {
        const std::string ext = path.extension().string();
        const std::string what =
            ext.empty() ? std::string("the name has no extension, so the image format is unknown")
                        : fmt::format("unknown image format '{}'", ext);
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Cannot write '{}': {}. Use .png, .jpg, .webp, .tif or .bmp.",
                                path.string(), what));
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
    return detail::writeFileAtomically(path, encoded);
}

}  // namespace upscale::media
