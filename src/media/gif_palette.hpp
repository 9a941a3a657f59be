#pragma once
// Private to the media module: one RGBA frame reduced to the at most 256 colours of a GIF frame.

#include <array>
#include <cstdint>
#include <vector>

namespace upscale::media {

struct IndexedFrame {
    std::vector<std::uint8_t> indices;        ///< one per pixel, rows of `width`
    std::array<std::uint8_t, 768> palette{};  ///< 256 RGB entries
    int transparent = -1;                     ///< the index of transparent pixels, or -1
};

/// Reduces an 8-bit RGBA frame (rows of width * 4 bytes, `stride` apart) to a palette of its
/// own. Pixels with alpha below 128 get a transparent index; the others keep their exact colours
/// when there are few enough (255 with transparency, else 256), else they get a median-cut
/// palette with Floyd-Steinberg error diffusion.
void quantiseFrame(const std::uint8_t* rgba, int width, int height, int stride, IndexedFrame& out);

}  // namespace upscale::media
