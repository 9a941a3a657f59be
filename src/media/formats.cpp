#include "upscale/media/formats.hpp"

#include <algorithm>

#include "upscale/core/text.hpp"
#include "upscale/media/image_io.hpp"

namespace upscale::media {

namespace {

// The first extension of a row is the one an output gets.
constexpr std::array<ImageFormatRow, 5> kImageFormats{{
    {{"PNG", {".png", ""}}, ImageFormat::Png, true, true, true, 0},
    {{"JPEG", {".jpg", ".jpeg"}}, ImageFormat::Jpeg, false, false, false, 65535},
    {{"WebP", {".webp", ""}}, ImageFormat::WebP, true, false, false, 16383},
    {{"TIFF", {".tif", ".tiff"}}, ImageFormat::Tiff, true, true, true, 0},
    {{"BMP", {".bmp", ""}}, ImageFormat::Bmp, false, false, true, 0},
}};

// Read through FFmpeg; written by the video writer where `writable`. Animated GIF is read as a
// video; animated PNG and WebP are recognised by their content, not by a row here.
constexpr std::array<ContainerRow, 13> kContainers{{
    {{"MP4", {".mp4", ""}}},
    {{"M4V", {".m4v", ""}, true, false}},
    {{"MKV", {".mkv", ""}}},
    {{"MOV", {".mov", ""}}},
    {{"WebM", {".webm", ""}}},
    {{"AVI", {".avi", ""}, true, false}},
    {{"MPEG-TS", {".ts", ".mts"}, true, false}},
    {{"M2TS", {".m2ts", ""}, true, false}},
    {{"MPEG", {".mpg", ".mpeg"}, true, false}},
    {{"FLV", {".flv", ""}, true, false}},
    {{"WMV", {".wmv", ""}, true, false}},
    {{"Ogg", {".ogv", ""}, true, false}},
    {{"GIF", {".gif", ""}, true, false}},
}};

// Animations written from a video: the video writer's segments are encoded into one of these at
// the end (animation_out.cpp).
constexpr std::array<ContainerRow, 2> kAnimations = {{
    {{"GIF", {".gif", ""}}},
    {{"WebP", {".webp", ""}}},
}};

bool holds(const FileFormat& file, const std::string& extension) {
    return !extension.empty() && std::find(file.extensions.begin(), file.extensions.end(),
                                           extension) != file.extensions.end();
}

template <typename Row>
const Row* findRow(const std::filesystem::path& path, std::span<const Row> table) {
    const std::string extension = lowerExtension(path);
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const Row& row) { return holds(row.file, extension); });
    return it == table.end() ? nullptr : &*it;
}

template <typename Row>
std::vector<FileFormat> filesOfRows(std::span<const Row> table) {
    std::vector<FileFormat> files;
    for (const auto& row : table) {
        files.push_back(row.file);
    }
    return files;
}

}  // namespace

std::span<const ImageFormatRow> imageFormats() {
    return kImageFormats;
}

std::span<const ContainerRow> videoContainers() {
    return kContainers;
}

std::span<const ContainerRow> animationFormats() {
    return kAnimations;
}

const ImageFormatRow* findImageFormat(const std::filesystem::path& path,
                                      std::span<const ImageFormatRow> table) {
    return findRow(path, table);
}

const ContainerRow* findContainer(const std::filesystem::path& path,
                                  std::span<const ContainerRow> table) {
    return findRow(path, table);
}

const ImageFormatRow* findImageFormat(ImageFormat format, std::span<const ImageFormatRow> table) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [&](const ImageFormatRow& row) { return row.format == format; });
    return it == table.end() ? nullptr : &*it;
}

std::vector<FileFormat> filesOf(std::span<const ImageFormatRow> table) {
    return filesOfRows(table);
}

std::vector<FileFormat> filesOf(std::span<const ContainerRow> table) {
    return filesOfRows(table);
}

std::vector<std::string> extensionsOf(const std::vector<FileFormat>& formats, FormatUse use) {
    std::vector<std::string> extensions;
    for (const auto& format : formats) {
        if (!format.usedFor(use)) {
            continue;
        }
        for (const auto extension : format.extensions) {
            if (!extension.empty()) {
                extensions.emplace_back(extension);
            }
        }
    }
    return extensions;
}

std::string namesList(const std::vector<FileFormat>& formats, FormatUse use) {
    std::string text;
    for (const auto& format : formats) {
        if (format.usedFor(use)) {
            text.append(text.empty() ? "" : ", ").append(format.name);
        }
    }
    return text;
}

std::string extensionChoice(const std::vector<FileFormat>& formats, FormatUse use, bool withDot) {
    std::vector<std::string> choices;
    for (const auto& format : formats) {
        if (format.usedFor(use)) {
            choices.emplace_back(format.extensions.front().substr(withDot ? 0 : 1));
        }
    }
    return core::joinList(choices);
}

std::string filterPatterns(const std::vector<FileFormat>& formats, FormatUse use) {
    std::string text;
    for (const auto& extension : extensionsOf(formats, use)) {
        text.append(text.empty() ? "*" : " *").append(extension);
    }
    return text;
}

}  // namespace upscale::media
