#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <string_view>

#include "animation_out.hpp"
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
/// `plays` gets its play count.
bool animatedPng(std::ifstream& in, int* plays = nullptr) {
    std::uint64_t offset = 8;  // past the signature
    std::array<std::uint8_t, 8> chunk{};
    for (int chunks = 0; chunks < 64; ++chunks) {
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(reinterpret_cast<char*>(chunk.data()), chunk.size())) {
            return false;
        }
        const std::string_view type(reinterpret_cast<const char*>(chunk.data() + 4), 4);
        if (type == "acTL") {
            std::array<std::uint8_t, 8> control{};  // frame count, play count
            if (plays != nullptr && in.read(reinterpret_cast<char*>(control.data()), 8)) {
                *plays = static_cast<int>(
                    std::min<std::uint32_t>(bigEndian(control.data() + 4), 0xFFFF));
            }
            return true;
        }
        if (type == "IDAT" || type == "IEND") {
            return false;
        }
        offset += 12 + std::uint64_t{bigEndian(chunk.data())};  // length, type, data, CRC
    }
    return false;
}

std::uint32_t littleEndian(const std::uint8_t* p, int bytes) {
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i) {
        value = (value << 8) | p[i];
    }
    return value;
}

/// GIF: the Netscape loop extension counts the repeats after the first play (0: for ever); it
/// comes before the first image, after the global colour table.
int gifPlays(std::ifstream& in) {
    std::array<std::uint8_t, 13> screen{};
    if (!in.read(reinterpret_cast<char*>(screen.data()), screen.size())) {
        return 0;
    }
    std::uint64_t offset = 13;
    if ((screen[10] & 0x80) != 0) {
        offset += 3U << ((screen[10] & 0x07) + 1);
    }
    std::array<std::uint8_t, 19> ext{};
    for (int blocks = 0; blocks < 64; ++blocks) {
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(reinterpret_cast<char*>(ext.data()), 3) || ext[0] != 0x21) {
            return 1;  // an image, or the end: no loop extension
        }
        in.read(reinterpret_cast<char*>(ext.data() + 3), ext.size() - 3);
        const std::string_view app(reinterpret_cast<const char*>(ext.data() + 3), 11);
        if (ext[1] == 0xFF && ext[2] == 11 && app == "NETSCAPE2.0" && ext[14] == 3 &&
            ext[15] == 1) {
            const std::uint32_t repeats = littleEndian(ext.data() + 16, 2);
            return repeats == 0 ? 0
                                : static_cast<int>(std::min<std::uint32_t>(repeats + 1, 0xFFFF));
        }
        // Skip the extension: its sub-blocks up to the terminator.
        offset += 2;
        for (;;) {
            in.seekg(static_cast<std::streamoff>(offset));
            const int size = in.get();
            if (size <= 0) {
                break;
            }
            offset += 1 + static_cast<std::uint64_t>(size);
        }
        offset += 1;
    }
    return 1;
}

/// WebP: the loop count of the ANIM chunk, which follows the VP8X chunk.
int webpPlays(std::ifstream& in) {
    std::uint64_t offset = 12;  // past "RIFF", the size and "WEBP"
    std::array<std::uint8_t, 14> chunk{};
    for (int chunks = 0; chunks < 16; ++chunks) {
        in.seekg(static_cast<std::streamoff>(offset));
        if (!in.read(reinterpret_cast<char*>(chunk.data()), chunk.size())) {
            return 0;
        }
        const std::string_view type(reinterpret_cast<const char*>(chunk.data()), 4);
        if (type == "ANIM") {
            return static_cast<int>(littleEndian(chunk.data() + 12, 2));
        }
        const std::uint32_t size = littleEndian(chunk.data() + 4, 4);
        offset += 8 + size + (size & 1U);
    }
    return 0;
}

}  // namespace

int animationPlays(const fs::path& source) {
    std::ifstream in(source, std::ios::binary);
    std::array<char, 6> magic{};
    if (!in.read(magic.data(), magic.size())) {
        return 0;
    }
    const std::string_view head(magic.data(), magic.size());
    in.seekg(0);
    if (head == "GIF89a" || head == "GIF87a") {
        return gifPlays(in);
    }
    if (head.substr(0, 4) == "RIFF") {
        return webpPlays(in);
    }
    int plays = 0;
    if (head.substr(1, 3) == "PNG" && animatedPng(in, &plays)) {
        return plays;
    }
    return 0;
}

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
