#pragma once
// Checks of GIF and animated WebP outputs by other programs than ours: GIF frames decoded by the
// ffmpeg tool, WebP frames by libwebp's animation decoder (this FFmpeg cannot read animated
// WebP), play counts read from the files' own bytes.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <webp/demux.h>

#include "common/video_clips.hpp"

namespace upscale::test {

/// One decoded frame: 8-bit RGBA rows, and when it stops showing (milliseconds; WebP only).
struct RgbaFrame {
    std::vector<std::uint8_t> pixels;
    int width = 0;
    int endMs = 0;

    [[nodiscard]] int at(int x, int y, int c) const {
        return pixels.at((static_cast<std::size_t>(y) * width + x) * 4 + c);
    }
};

inline std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

/// Every frame of a file the ffmpeg tool reads (GIF, APNG, any video), as RGBA.
inline std::vector<RgbaFrame> ffmpegRgbaFrames(const std::filesystem::path& file, int width,
                                               int height) {
    const auto raw = std::filesystem::path(file.string() + ".rgba");
    const auto run =
        runCommand("ffmpeg -v error -y -i " + quoted(file) +
                   " -fps_mode passthrough -f rawvideo -pix_fmt rgba " + quoted(raw) + " 2>&1");
    std::vector<RgbaFrame> frames;
    if (run.code != 0) {
        return frames;
    }
    const std::string bytes = fileBytes(raw);
    std::filesystem::remove(raw);
    const auto size = static_cast<std::size_t>(width) * height * 4;
    for (std::size_t at = 0; at + size <= bytes.size(); at += size) {
        RgbaFrame frame;
        frame.width = width;
        frame.pixels.assign(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                            bytes.begin() + static_cast<std::ptrdiff_t>(at + size));
        frames.push_back(std::move(frame));
    }
    return frames;
}

/// The repeat count of a GIF's Netscape loop extension (0: for ever), or -1 without one.
inline int gifLoopCount(const std::filesystem::path& file) {
    const std::string bytes = fileBytes(file);
    const auto at = bytes.find("NETSCAPE2.0");
    // "NETSCAPE2.0", a sub-block of 3 bytes: 1, then the count (16 bits, little-endian).
    if (at == std::string::npos || at + 15 > bytes.size()) {
        return -1;
    }
    return static_cast<unsigned char>(bytes[at + 13]) | static_cast<unsigned char>(bytes[at + 14])
                                                            << 8;
}

struct WebPAnimation {
    int frames = 0;
    int loopCount = -1;
    bool alpha = false;  ///< the VP8X header says the animation has alpha
    std::vector<RgbaFrame> decoded;
};

/// An animated WebP decoded by libwebp, each frame composed whole.
inline WebPAnimation decodeWebP(const std::filesystem::path& file) {
    const std::string bytes = fileBytes(file);
    WebPAnimation out;
    WebPData data{reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
    WebPAnimDecoderOptions options;
    WebPAnimDecoderOptionsInit(&options);
    options.color_mode = MODE_RGBA;
    WebPAnimDecoder* dec = WebPAnimDecoderNew(&data, &options);
    if (dec == nullptr) {
        return out;
    }
    WebPAnimInfo info;
    WebPAnimDecoderGetInfo(dec, &info);
    out.frames = static_cast<int>(info.frame_count);
    out.loopCount = static_cast<int>(info.loop_count);
    out.alpha = bytes.size() > 20 && (static_cast<unsigned char>(bytes[20]) & 0x10) != 0;
    while (WebPAnimDecoderHasMoreFrames(dec) != 0) {
        std::uint8_t* pixels = nullptr;
        RgbaFrame frame;
        if (WebPAnimDecoderGetNext(dec, &pixels, &frame.endMs) == 0) {
            break;
        }
        frame.width = static_cast<int>(info.canvas_width);
        frame.pixels.assign(
            pixels, pixels + static_cast<std::size_t>(info.canvas_width) * info.canvas_height * 4);
        out.decoded.push_back(std::move(frame));
    }
    WebPAnimDecoderDelete(dec);
    return out;
}

/// The durations (seconds, as ffprobe prints them) of the video frames.
inline std::vector<std::string> frameDurations(const std::filesystem::path& file) {
    const auto j = probeJson(file, "-select_streams v:0 -show_entries frame=pkt_duration_time");
    std::vector<std::string> durations;
    for (const auto& f : j.value("frames", nlohmann::json::array())) {
        durations.push_back(f.value("pkt_duration_time", "?"));
    }
    return durations;
}

}  // namespace upscale::test
