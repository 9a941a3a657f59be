#pragma once
// Private to the media module: a GIF89a animation written frame by frame. Every frame covers the
// whole picture with a colour table of its own (gif_palette), so nothing of one frame leaks into
// the next: with transparency each frame is cleared away before the next one is drawn.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "gif_palette.hpp"
#include "upscale/core/error.hpp"

namespace upscale::media {

class GifWriter {
public:
    /// Creates `path` and writes the header. `plays`: how often the animation plays (0: for
    /// ever). `alpha`: frames may have transparent pixels. Errors: Io or DiskFull naming it.
    [[nodiscard]] static core::Result<GifWriter> create(const std::filesystem::path& path,
                                                        int width, int height, int plays,
                                                        bool alpha);
    GifWriter(GifWriter&& other) noexcept;
    GifWriter& operator=(GifWriter&&) = delete;
    GifWriter(const GifWriter&) = delete;
    ~GifWriter();

    /// Adds a frame (8-bit RGBA, rows `stride` bytes apart) shown for `centiseconds`.
    [[nodiscard]] core::Result<void> add(const std::uint8_t* rgba, int stride, int centiseconds);
    /// Writes the trailer and closes the file, synced to the disk.
    [[nodiscard]] core::Result<void> close();

private:
    GifWriter(std::filesystem::path path, std::FILE* file, int width, int height, bool alpha)
        : m_path(std::move(path)), m_file(file), m_width(width), m_height(height), m_alpha(alpha) {}
    [[nodiscard]] core::Result<void> put(const std::vector<std::uint8_t>& bytes);

    std::filesystem::path m_path;
    std::FILE* m_file = nullptr;
    int m_width = 0, m_height = 0;
    bool m_alpha = false;
    IndexedFrame m_indexed;
    std::vector<std::uint8_t> m_bytes;
};

}  // namespace upscale::media
