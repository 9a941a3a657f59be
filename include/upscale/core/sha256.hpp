#pragma once
// SHA-256, used to pin bundled model files and as the content identity of a model in the cache.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "upscale/core/error.hpp"

namespace upscale::core {

class Sha256 {
public:
    Sha256();
    void update(std::span<const std::uint8_t> data);
    /// Lower-case hex digest; the object must not be updated afterwards.
    [[nodiscard]] std::string hexDigest();

private:
    void block(const std::uint8_t* p);
    std::uint32_t m_state[8];
    std::uint8_t m_buffer[64];
    std::size_t m_bufferLen = 0;
    std::uint64_t m_totalLen = 0;
};

[[nodiscard]] std::string sha256Hex(std::span<const std::uint8_t> data);
[[nodiscard]] Result<std::string> sha256File(const std::filesystem::path& path);

}  // namespace upscale::core
