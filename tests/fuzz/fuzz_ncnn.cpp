// libFuzzer target: the ncnn reader and graph recognition. An input is a little-endian u32
// length, that many bytes of .param text, and the rest as the .bin.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "upscale/models/architecture.hpp"
#include "upscale/models/ncnn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace upscale::models;
    if (size < 4) {
        return 0;
    }
    const std::size_t paramSize = static_cast<std::size_t>(data[0]) | (data[1] << 8U) |
                                  (data[2] << 16U) | (static_cast<std::size_t>(data[3]) << 24U);
    if (paramSize > size - 4) {
        return 0;
    }
    const std::string_view param(reinterpret_cast<const char*>(data + 4), paramSize);
    const std::span<const std::uint8_t> bin(data + 4 + paramSize, size - 4 - paramSize);
    auto model = parseNcnn(param, bin, "fuzz.param");
    if (model) {
        if (auto weights = ncnnToStateDict(*model, "fuzz.param")) {
            (void)detectArchitecture(*weights, "fuzz.param");
        }
    }
    return 0;
}
