#include "upscale/models/model_formats.hpp"

#include <algorithm>

namespace upscale::models {

namespace {

constexpr std::array<ModelFileFormat, 3> kFormats{{
    {"", {".safetensors", "", ""}, ""},
    {"PyTorch", {".pth", ".pt", ".ckpt"}, ""},
    {"ncnn", {".param", "", ""}, ".bin"},
}};

std::string lowerExtension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return ext;
}

}  // namespace

std::span<const ModelFileFormat> modelFileFormats() {
    return kFormats;
}

std::vector<std::string> modelExtensions(std::span<const ModelFileFormat> table) {
    std::vector<std::string> extensions;
    for (const auto& format : table) {
        for (const auto extension : format.extensions) {
            if (!extension.empty()) {
                extensions.emplace_back(extension);
            }
        }
    }
    return extensions;
}

bool hasModelExtension(const std::filesystem::path& path, std::span<const ModelFileFormat> table) {
    const auto all = modelExtensions(table);
    return std::find(all.begin(), all.end(), lowerExtension(path)) != all.end();
}

bool endsWithModelSuffix(std::string_view text, std::span<const ModelFileFormat> table) {
    return std::any_of(table.begin(), table.end(), [&](const ModelFileFormat& format) {
        return (!format.companion.empty() && text.ends_with(format.companion)) ||
               std::any_of(
                   format.extensions.begin(), format.extensions.end(),
                   [&](std::string_view ext) { return !ext.empty() && text.ends_with(ext); });
    });
}

std::string modelFormatList(std::span<const ModelFileFormat> table) {
    std::string text;
    for (const auto& format : table) {
        text.append(text.empty() ? "" : ", ");
        if (!format.family.empty()) {
            text.append(format.family).append(" ");
        }
        std::string_view separator;
        for (const auto suffix :
             {format.extensions[0], format.extensions[1], format.extensions[2], format.companion}) {
            if (!suffix.empty()) {
                text.append(separator).append(suffix);
                separator = "/";
            }
        }
    }
    return text;
}

std::string modelFilePatterns(std::span<const ModelFileFormat> table) {
    std::string text;
    for (const auto& extension : modelExtensions(table)) {
        text.append(text.empty() ? "*" : " *").append(extension);
    }
    return text;
}

}  // namespace upscale::models
