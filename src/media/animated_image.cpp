#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <string_view>

#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

std::uint32_t bigEndian(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

/// PNG: an animation control chunk (acTL) before the first image data (IDAT) makes it an APNG.
bool animatedPng(std::ifstream& in) {
    std::uint64_t offset = 8;  // past the signature
    std::array<std::uint8_t, 8> chunk{};
    for (int chunks = 0; chunks < 64; ++chunks) {
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(reinterpret_cast<char*>(chunk.data()), chunk.size())) {
            return false;
        }
        const std::string_view type(reinterpret_cast<const char*>(chunk.data() + 4), 4);
        if (type == "acTL") {
            return true;
        }
        if (type == "IDAT" || type == "IEND") {
            return false;
        }
        offset += 12 + std::uint64_t{bigEndian(chunk.data())};  // length, type, data, CRC
    }
    return false;
}

}  // namespace

AnimatedImage animatedImageKind(const fs::path& path) {
    const std::string ext = lowerExtension(path);
    if (ext != ".png" && ext != ".apng" && ext != ".webp") {
        return AnimatedImage::None;
    }
    std::ifstream in(path, std::ios::binary);
    std::array<std::uint8_t, 21> head{};
    if (!in.read(reinterpret_cast<char*>(head.data()), head.size())) {
        return AnimatedImage::None;
    }
    constexpr std::array<std::uint8_t, 8> kPng{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (std::equal(kPng.begin(), kPng.end(), head.begin())) {
        return animatedPng(in) ? AnimatedImage::Png : AnimatedImage::None;
    }
    // WebP: RIFF, size, "WEBP", then an extended header (VP8X) whose flags say "animation".
    const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
    if (text.substr(0, 4) == "RIFF" && text.substr(8, 8) == "WEBPVP8X" && (head[20] & 0x02) != 0) {
        return AnimatedImage::WebP;
    }
    return AnimatedImage::None;
}

bool isVideoInput(const fs::path& path) {
    return hasVideoExtension(path) || animatedImageKind(path) != AnimatedImage::None;
}

}  // namespace upscale::media
