#pragma once
// core::Image: the neutral pixel buffer that crosses module borders. Interleaved samples,
// rows tightly packed, channel order RGB / RGBA (never BGR), 8 or 16 bits per sample.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace upscale::core {

enum class BitDepth : std::uint8_t { U8 = 8, U16 = 16 };

class Image {
public:
    Image() = default;
    /// Allocates a zero-filled image. channels is 1, 3 or 4.
    Image(int width, int height, int channels, BitDepth depth);

    [[nodiscard]] int width() const { return m_width; }
    [[nodiscard]] int height() const { return m_height; }
    [[nodiscard]] int channels() const { return m_channels; }
    [[nodiscard]] BitDepth depth() const { return m_depth; }
    [[nodiscard]] bool empty() const { return m_data.empty(); }
    [[nodiscard]] bool hasAlpha() const { return m_channels == 4; }
    [[nodiscard]] std::size_t bytesPerSample() const { return m_depth == BitDepth::U16 ? 2 : 1; }
    [[nodiscard]] std::size_t rowBytes() const {
        return static_cast<std::size_t>(m_width) * m_channels * bytesPerSample();
    }
    [[nodiscard]] std::size_t sizeBytes() const { return m_data.size(); }
    /// Largest sample value: 255 or 65535.
    [[nodiscard]] int maxValue() const { return m_depth == BitDepth::U16 ? 65535 : 255; }

    [[nodiscard]] std::span<std::uint8_t> bytes() { return m_data; }
    [[nodiscard]] std::span<const std::uint8_t> bytes() const { return m_data; }
    [[nodiscard]] std::uint8_t* row(int y) { return m_data.data() + rowBytes() * y; }
    [[nodiscard]] const std::uint8_t* row(int y) const { return m_data.data() + rowBytes() * y; }

    /// Sample value as an integer, for tests and small utilities (not for hot loops).
    [[nodiscard]] int at(int x, int y, int c) const;
    void set(int x, int y, int c, int value);

private:
    int m_width = 0;
    int m_height = 0;
    int m_channels = 0;
    BitDepth m_depth = BitDepth::U8;
    std::vector<std::uint8_t> m_data;
};

}  // namespace upscale::core
