#include "upscale/models/state_dict.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace upscale::models {

namespace {

constexpr DType kAllDTypes[] = {DType::F16, DType::BF16, DType::F32, DType::F64, DType::I64,
                                DType::I32, DType::I16,  DType::I8,  DType::U8,  DType::Bool};

float bf16ToFloat(std::uint16_t b) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(b) << 16);
}

std::uint16_t floatToBf16(float f) {
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    if ((x & 0x7fffffffU) > 0x7f800000U) {
        // NaN: keep the sign and top payload bits, force a quiet NaN so it cannot become inf.
        return static_cast<std::uint16_t>((x >> 16) | 0x0040U);
    }
    // Round to nearest even on the 16 discarded bits; a carry correctly rolls into the exponent.
    const std::uint32_t rounded = x + 0x7fffU + ((x >> 16) & 1U);
    return static_cast<std::uint16_t>(rounded >> 16);
}

template <typename T>
T loadAs(const std::uint8_t* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

template <typename T>
void storeAs(std::uint8_t* p, T value) {
    std::memcpy(p, &value, sizeof value);
}

}  // namespace

std::size_t dtypeSize(DType dtype) {
    switch (dtype) {
        case DType::F64:
        case DType::I64:
            return 8;
        case DType::F32:
        case DType::I32:
            return 4;
        case DType::F16:
        case DType::BF16:
        case DType::I16:
            return 2;
        case DType::I8:
        case DType::U8:
        case DType::Bool:
            return 1;
    }
    return 1;
}

std::string_view dtypeName(DType dtype) {
    switch (dtype) {
        case DType::F16:
            return "F16";
        case DType::BF16:
            return "BF16";
        case DType::F32:
            return "F32";
        case DType::F64:
            return "F64";
        case DType::I64:
            return "I64";
        case DType::I32:
            return "I32";
        case DType::I16:
            return "I16";
        case DType::I8:
            return "I8";
        case DType::U8:
            return "U8";
        case DType::Bool:
            return "BOOL";
    }
    return "?";
}

core::Result<DType> dtypeFromName(std::string_view name) {
    for (const DType dtype : kAllDTypes) {
        if (dtypeName(dtype) == name) {
            return dtype;
        }
    }
    return core::fail(core::ErrorCode::UnsupportedFormat,
                      fmt::format("Tensor data type '{}' is not supported (supported: F16, BF16, "
                                  "F32, F64, I64, I32, I16, I8, U8, BOOL).",
                                  name));
}

bool isFloating(DType dtype) {
    return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32 ||
           dtype == DType::F64;
}

std::int64_t Tensor::numel() const {
    std::int64_t n = 1;
    for (const std::int64_t d : shape) {
        n *= d;
    }
    return n;
}

std::vector<float> Tensor::toFloat32() const {
    if (!isFloating(dtype)) {
        return {};
    }
    const std::size_t itemSize = dtypeSize(dtype);
    // Never read past the bytes actually held, whatever the shape claims.
    const std::size_t count = std::min(static_cast<std::size_t>(std::max<std::int64_t>(numel(), 0)),
                                       data.size() / itemSize);
    std::vector<float> out(count);
    const std::uint8_t* p = data.data();
    for (std::size_t i = 0; i < count; ++i, p += itemSize) {
        switch (dtype) {
            case DType::F16:
                out[i] = halfToFloat(loadAs<std::uint16_t>(p));
                break;
            case DType::BF16:
                out[i] = bf16ToFloat(loadAs<std::uint16_t>(p));
                break;
            case DType::F32:
                out[i] = loadAs<float>(p);
                break;
            case DType::F64:
                out[i] = static_cast<float>(loadAs<double>(p));
                break;
            default:
                break;
        }
    }
    return out;
}

Tensor Tensor::fromFloat32(std::span<const float> values, std::vector<std::int64_t> shape,
                           DType dtype) {
    Tensor t;
    // Only floating targets make sense; anything else is stored as F32 rather than truncated.
    t.dtype = isFloating(dtype) ? dtype : DType::F32;
    t.shape = std::move(shape);
    const std::size_t itemSize = dtypeSize(t.dtype);
    t.data.resize(values.size() * itemSize);
    std::uint8_t* p = t.data.data();
    for (const float v : values) {
        switch (t.dtype) {
            case DType::F16:
                storeAs(p, floatToHalf(v));
                break;
            case DType::BF16:
                storeAs(p, floatToBf16(v));
                break;
            case DType::F64:
                storeAs(p, static_cast<double>(v));
                break;
            default:
                storeAs(p, v);
                break;
        }
        p += itemSize;
    }
    return t;
}

std::string shapeToString(std::span<const std::int64_t> shape) {
    return fmt::format("[{}]", fmt::join(shape, ", "));
}

float halfToFloat(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000U) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fU;
    std::uint32_t mantissa = h & 0x3ffU;
    if (exponent == 0x1f) {
        // Inf or NaN; the NaN payload moves to the top of the float mantissa.
        return std::bit_cast<float>(sign | 0x7f800000U | (mantissa << 13));
    }
    if (exponent == 0) {
        if (mantissa == 0) {
            return std::bit_cast<float>(sign);
        }
        // Subnormal: normalise, since every half subnormal is a normal float.
        std::uint32_t e = 113;
        while ((mantissa & 0x400U) == 0) {
            mantissa <<= 1;
            --e;
        }
        mantissa &= 0x3ffU;
        return std::bit_cast<float>(sign | (e << 23) | (mantissa << 13));
    }
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

std::uint16_t floatToHalf(float f) {
    const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
    const auto sign = static_cast<std::uint16_t>((x >> 16) & 0x8000U);
    const std::uint32_t absx = x & 0x7fffffffU;
    if (absx > 0x7f800000U) {
        // NaN: keep the top payload bits and set the quiet bit so it stays a NaN.
        return static_cast<std::uint16_t>(sign | 0x7e00U | ((absx >> 13) & 0x3ffU));
    }
    if (absx >= 0x47800000U) {
        return static_cast<std::uint16_t>(sign | 0x7c00U);  // >= 65536 and inf
    }
    const std::uint32_t exponent = absx >> 23;
    if (exponent >= 113) {
        // Normal half. Rounding may carry into the exponent, up to inf (0x7c00), as it must.
        std::uint32_t h = ((exponent - 112) << 10) | ((absx >> 13) & 0x3ffU);
        const std::uint32_t rest = absx & 0x1fffU;
        if (rest > 0x1000U || (rest == 0x1000U && (h & 1U) != 0)) {
            ++h;
        }
        return static_cast<std::uint16_t>(sign | h);
    }
    if (exponent < 102) {
        return sign;  // below half of the smallest subnormal: rounds to zero
    }
    // Subnormal half: value / 2^-24, with the implicit bit made explicit.
    const std::uint32_t mantissa = (absx & 0x7fffffU) | 0x800000U;
    const std::uint32_t shift = 126 - exponent;  // 14..24
    std::uint32_t h = mantissa >> shift;
    const std::uint32_t rest = mantissa & ((1U << shift) - 1U);
    const std::uint32_t halfway = 1U << (shift - 1);
    if (rest > halfway || (rest == halfway && (h & 1U) != 0)) {
        ++h;  // may reach 0x400, the smallest normal, which is the right encoding
    }
    return static_cast<std::uint16_t>(sign | h);
}

}  // namespace upscale::models
