#include "upscale/core/image.hpp"

#include <cstring>
#include <stdexcept>

namespace upscale::core {

Image::Image(int width, int height, int channels, BitDepth depth)
    : m_width(width), m_height(height), m_channels(channels), m_depth(depth) {
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3 && channels != 4)) {
        throw std::invalid_argument("Image: invalid dimensions or channel count");
    }
    m_data.assign(rowBytes() * static_cast<std::size_t>(height), 0);
}

int Image::at(int x, int y, int c) const {
    const std::size_t index = (static_cast<std::size_t>(y) * m_width + x) * m_channels + c;
    if (m_depth == BitDepth::U8) {
        return m_data[index];
    }
    std::uint16_t v;
    std::memcpy(&v, m_data.data() + index * 2, 2);
    return v;
}

void Image::set(int x, int y, int c, int value) {
    const std::size_t index = (static_cast<std::size_t>(y) * m_width + x) * m_channels + c;
    if (m_depth == BitDepth::U8) {
        m_data[index] = static_cast<std::uint8_t>(value);
        return;
    }
    const auto v = static_cast<std::uint16_t>(value);
    std::memcpy(m_data.data() + index * 2, &v, 2);
}

}  // namespace upscale::core
