#include "gif_writer.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <string_view>

#include <unistd.h>

#include "upscale/core/files.hpp"

namespace upscale::media {
namespace fs = std::filesystem;

namespace {

using core::fail;

constexpr int kCodeSize = 8;  // LZW minimum code size for 256-entry colour tables
constexpr int kMaxCode = 4095;

void putShort(std::vector<std::uint8_t>& out, int value) {
    out.push_back(static_cast<std::uint8_t>(value & 0xFF));
    out.push_back(static_cast<std::uint8_t>((value >> 8) & 0xFF));
}

/// Codes packed least significant bit first into data sub-blocks of at most 255 bytes.
class CodeStream {
public:
    explicit CodeStream(std::vector<std::uint8_t>& out) : m_out(out) {}

    void put(int code, int bits) {
        m_buffer |= static_cast<std::uint32_t>(code) << m_bits;
        m_bits += bits;
        while (m_bits >= 8) {
            byte(static_cast<std::uint8_t>(m_buffer & 0xFF));
            m_buffer >>= 8;
            m_bits -= 8;
        }
    }

    void finish() {
        if (m_bits > 0) {
            byte(static_cast<std::uint8_t>(m_buffer & 0xFF));
        }
        flushBlock();
        m_out.push_back(0);  // block terminator
    }

private:
    void byte(std::uint8_t b) {
        m_block[m_blockSize++] = b;
        if (m_blockSize == 255) {
            flushBlock();
        }
    }
    void flushBlock() {
        if (m_blockSize > 0) {
            m_out.push_back(static_cast<std::uint8_t>(m_blockSize));
            m_out.insert(m_out.end(), m_block.begin(), m_block.begin() + m_blockSize);
            m_blockSize = 0;
        }
    }

    std::vector<std::uint8_t>& m_out;
    std::uint32_t m_buffer = 0;
    int m_bits = 0;
    std::array<std::uint8_t, 255> m_block{};
    int m_blockSize = 0;
};

/// GIF's variable-width LZW over the frame's indices. The string table is an open-addressed
/// hash of (prefix code, next index) pairs; it starts again with a clear code when full.
void compress(const std::vector<std::uint8_t>& indices, std::vector<std::uint8_t>& out) {
    constexpr int kClear = 1 << kCodeSize;
    constexpr int kEnd = kClear + 1;
    constexpr std::size_t kSlots = 8191;  // a prime above the 4096 codes
    std::vector<std::int32_t> keys(kSlots, -1);
    std::vector<std::int16_t> codes(kSlots, 0);
    out.push_back(kCodeSize);
    CodeStream stream(out);
    int bits = kCodeSize + 1;
    int next = kEnd + 1;
    stream.put(kClear, bits);
    if (indices.empty()) {
        stream.put(kEnd, bits);
        stream.finish();
        return;
    }
    int prefix = indices.front();
    for (std::size_t i = 1; i < indices.size(); ++i) {
        const int c = indices[i];
        const std::int32_t key = (prefix << 8) | c;
        std::size_t slot = static_cast<std::size_t>(key) % kSlots;
        while (keys[slot] >= 0 && keys[slot] != key) {
            slot = (slot + 1) % kSlots;
        }
        if (keys[slot] == key) {
            prefix = codes[slot];
            continue;
        }
        stream.put(prefix, bits);
        keys[slot] = key;
        codes[slot] = static_cast<std::int16_t>(next);
        if (next == (1 << bits) && bits < 12) {
            ++bits;  // the decoder, one entry behind, widens after reading this code
        }
        if (++next > kMaxCode) {
            stream.put(kClear, bits);
            std::fill(keys.begin(), keys.end(), -1);
            bits = kCodeSize + 1;
            next = kEnd + 1;
        }
        prefix = c;
    }
    stream.put(prefix, bits);
    // The decoder adds an entry for the last code too, and may widen before the end code.
    if (next == (1 << bits) && bits < 12 && next > kEnd + 1) {
        ++bits;
    }
    stream.put(kEnd, bits);
    stream.finish();
}

}  // namespace

core::Result<GifWriter> GifWriter::create(const fs::path& path, int width, int height, int plays,
                                          bool alpha) {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
        return fail(core::writeError(path, errno));
    }
    GifWriter writer(path, file, width, height, alpha);
    std::vector<std::uint8_t> head{'G', 'I', 'F', '8', '9', 'a'};
    putShort(head, width);
    putShort(head, height);
    head.insert(head.end(), {0x00, 0x00, 0x00});  // no global colour table; the frames have theirs
    if (plays != 1) {
        // The Netscape loop extension counts the repeats after the first play (0: for ever).
        const std::string_view app = "NETSCAPE2.0";
        head.insert(head.end(), {0x21, 0xFF, 0x0B});
        head.insert(head.end(), app.begin(), app.end());
        head.insert(head.end(), {0x03, 0x01});
        putShort(head, plays == 0 ? 0 : std::min(plays - 1, 0xFFFF));
        head.push_back(0x00);
    }
    if (auto ok = writer.put(head); !ok) {
        return fail(ok.error());
    }
    return writer;
}

GifWriter::GifWriter(GifWriter&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_file(other.m_file),
      m_width(other.m_width),
      m_height(other.m_height),
      m_alpha(other.m_alpha) {
    other.m_file = nullptr;
}

GifWriter::~GifWriter() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

core::Result<void> GifWriter::put(const std::vector<std::uint8_t>& bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), m_file) != bytes.size()) {
        return fail(core::writeError(m_path, errno != 0 ? errno : EIO));
    }
    return {};
}

core::Result<void> GifWriter::add(const std::uint8_t* rgba, int stride, int centiseconds) {
    quantiseFrame(rgba, m_width, m_height, stride, m_indexed);
    std::vector<std::uint8_t>& out = m_bytes;
    out.clear();
    // Graphic control: the delay, the transparent index, and (for animations with alpha) the
    // frame cleared away after it is shown, so that transparent pixels of the next frame show
    // nothing of this one.
    const int disposal = m_alpha ? 2 : 1;
    const bool transparent = m_indexed.transparent >= 0;
    out.insert(out.end(), {0x21, 0xF9, 0x04});
    out.push_back(static_cast<std::uint8_t>((disposal << 2) | (transparent ? 1 : 0)));
    putShort(out, std::clamp(centiseconds, 0, 0xFFFF));
    out.push_back(static_cast<std::uint8_t>(transparent ? m_indexed.transparent : 0));
    out.push_back(0x00);
    // The image: the whole picture, with a local table of 256 entries.
    out.push_back(0x2C);
    putShort(out, 0);
    putShort(out, 0);
    putShort(out, m_width);
    putShort(out, m_height);
    out.push_back(0x80 | 0x07);
    out.insert(out.end(), m_indexed.palette.begin(), m_indexed.palette.end());
    compress(m_indexed.indices, out);
    return put(out);
}

core::Result<void> GifWriter::close() {
    if (auto ok = put({0x3B}); !ok) {
        return ok;
    }
    if (std::fflush(m_file) != 0 || ::fsync(fileno(m_file)) != 0) {
        return fail(core::writeError(m_path, errno));
    }
    const int rc = std::fclose(m_file);
    m_file = nullptr;
    if (rc != 0) {
        return fail(core::writeError(m_path, errno));
    }
    return {};
}

}  // namespace upscale::media
