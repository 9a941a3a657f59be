#include "upscale/core/settings.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace upscale::core {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}
}  // namespace

std::string_view precisionName(Precision p) {
    switch (p) {
        case Precision::FP16:
            return "FP16";
        case Precision::FP32:
            return "FP32";
        case Precision::None:
            return "None";
    }
    return "None";
}

Result<Precision> parsePrecision(std::string_view text) {
    const std::string t = lower(text);
    if (t == "fp16" || t == "half")
        return Precision::FP16;
    if (t == "fp32" || t == "float")
        return Precision::FP32;
    if (t == "none")
        return Precision::None;
    return fail(ErrorCode::InvalidArgument,
                fmt::format("Unknown precision '{}'. Use fp16, fp32 or none.", text));
}

std::string DeviceSpec::toString() const {
    switch (kind) {
        case Kind::Auto:
            return "auto";
        case Kind::Cpu:
            return "cpu";
        case Kind::Cuda:
            return fmt::format("cuda:{}", index);
    }
    return "auto";
}

Result<DeviceSpec> parseDevice(std::string_view text) {
    const std::string t = lower(text);
    if (t == "auto")
        return DeviceSpec{DeviceSpec::Kind::Auto, 0};
    if (t == "cpu")
        return DeviceSpec{DeviceSpec::Kind::Cpu, 0};
    if (t == "cuda" || t == "gpu")
        return DeviceSpec{DeviceSpec::Kind::Cuda, 0};
    if (t.rfind("cuda:", 0) == 0) {
        int index = -1;
        const char* first = t.data() + 5;
        const char* last = t.data() + t.size();
        auto [ptr, ec] = std::from_chars(first, last, index);
        if (ec == std::errc() && ptr == last && first != last && index >= 0) {
            return DeviceSpec{DeviceSpec::Kind::Cuda, index};
        }
    }
    return fail(ErrorCode::InvalidArgument,
                fmt::format("Unknown device '{}'. Use auto, cpu, cuda or cuda:N.", text));
}

Result<void> EngineSettings::validate() const {
    if (tile != 0 && tile < 32) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Tile size {} is too small: use 0 (automatic) or at least 32 "
                                "pixels.",
                                tile));
    }
    if (overlap < 0 || overlap > 128) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Tile overlap {} is out of range: use 0 to 128 pixels.", overlap));
    }
    if (batch < 1 || batch > 8) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Batch size {} is out of range: use 1 to 8.", batch));
    }
    if (workers < 1 || workers > 8) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Worker count {} is out of range: use 1 to 8.", workers));
    }
    return {};
}

}  // namespace upscale::core
