#pragma once
// The file formats the product reads and writes: one table for still images, one for video
// containers. The readers and writers, the lists in error messages, the command line's help,
// the window's file dialogs and its drag-and-drop acceptance are all generated from these rows,
// so a format is added or dropped in one place. The generators take the table as an argument
// (the real one by default) so they can be tried on a small one.

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace upscale::media {

enum class ImageFormat { Png, Jpeg, WebP, Tiff, Bmp };

/// What a table row is used for: reading inputs or writing outputs.
enum class FormatUse { Read, Write };

/// What every row of both tables has.
struct FileFormat {
    std::string_view name;  ///< display name: "JPEG", "MKV"
    /// Lower-case extensions with the dot; the first is the one outputs get, "" marks unused.
    std::array<std::string_view, 2> extensions;
    bool readable = true;
    bool writable = true;

    [[nodiscard]] bool usedFor(FormatUse use) const {
        return use == FormatUse::Read ? readable : writable;
    }
};

struct ImageFormatRow {
    FileFormat file;
    ImageFormat format = ImageFormat::Png;
    bool alpha = false;       ///< keeps an alpha channel
    bool sixteenBit = false;  ///< keeps 16-bit samples
    bool lossless = false;    ///< always lossless (WebP is lossless only at quality 101)
    int maxDimension = 0;     ///< largest width or height the encoder takes; 0: no limit of its own
};

struct ContainerRow {
    FileFormat file;
};

/// PNG, JPEG, WebP, TIFF, BMP.
[[nodiscard]] std::span<const ImageFormatRow> imageFormats();
/// MP4, MKV, MOV, WebM (read and written), and the containers only read (AVI, MPEG-TS, GIF...).
[[nodiscard]] std::span<const ContainerRow> videoContainers();
/// GIF and WebP: the animations a video can be written as.
[[nodiscard]] std::span<const ContainerRow> animationFormats();

/// The row whose extensions hold the path's (any case); null when none does.
[[nodiscard]] const ImageFormatRow* findImageFormat(
    const std::filesystem::path& path, std::span<const ImageFormatRow> table = imageFormats());
[[nodiscard]] const ContainerRow* findContainer(
    const std::filesystem::path& path, std::span<const ContainerRow> table = videoContainers());
/// The row of a format; null when the table has none.
[[nodiscard]] const ImageFormatRow* findImageFormat(
    ImageFormat format, std::span<const ImageFormatRow> table = imageFormats());

/// The rows' file descriptions, in table order.
[[nodiscard]] std::vector<FileFormat> filesOf(std::span<const ImageFormatRow> table);
[[nodiscard]] std::vector<FileFormat> filesOf(std::span<const ContainerRow> table);

// Generators over file descriptions, keeping the rows for `use`.

/// Every extension, with its dot: ".png", ".jpg", ".jpeg", ...
[[nodiscard]] std::vector<std::string> extensionsOf(const std::vector<FileFormat>& formats,
                                                    FormatUse use);
/// "PNG, JPEG, WebP, TIFF, BMP".
[[nodiscard]] std::string namesList(const std::vector<FileFormat>& formats, FormatUse use);
/// The extension each format is written with, with or without its dot, ending in "or":
/// "png, jpg, webp, tif or bmp".
[[nodiscard]] std::string extensionChoice(const std::vector<FileFormat>& formats, FormatUse use,
                                          bool withDot);
/// A file dialog's patterns: "*.png *.jpg *.jpeg ...".
[[nodiscard]] std::string filterPatterns(const std::vector<FileFormat>& formats, FormatUse use);

}  // namespace upscale::media
