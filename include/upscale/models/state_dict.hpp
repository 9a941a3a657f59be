#pragma once
// StateDict: a model's named tensors as plain bytes, before anything touches LibTorch. Every
// reader (safetensors, ncnn, PyTorch) produces one; the architectures consume one. Keeping it
// LibTorch-free keeps the parsers small, testable and fuzzable on their own.

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/core/error.hpp"

namespace upscale::models {

enum class DType { F16, BF16, F32, F64, I64, I32, I16, I8, U8, Bool };

[[nodiscard]] std::size_t dtypeSize(DType dtype);
/// The safetensors name of a dtype: "F16", "BF16", "F32", ...
[[nodiscard]] std::string_view dtypeName(DType dtype);
[[nodiscard]] core::Result<DType> dtypeFromName(std::string_view name);
[[nodiscard]] bool isFloating(DType dtype);

/// One tensor: contiguous, row-major, little-endian bytes.
struct Tensor {
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> data;

    [[nodiscard]] std::int64_t numel() const;
    /// Values converted to float32 (floating dtypes only).
    [[nodiscard]] std::vector<float> toFloat32() const;
    /// A tensor of the given floating dtype (F16, BF16 or F32) holding these values.
    [[nodiscard]] static Tensor fromFloat32(std::span<const float> values,
                                            std::vector<std::int64_t> shape, DType dtype);
};

/// Tensors by name, sorted by name.
using StateDict = std::map<std::string, Tensor, std::less<>>;

/// "[64, 3, 3, 3]"
[[nodiscard]] std::string shapeToString(std::span<const std::int64_t> shape);

/// IEEE 754 binary16 <-> binary32, round to nearest even.
[[nodiscard]] float halfToFloat(std::uint16_t h);
[[nodiscard]] std::uint16_t floatToHalf(float f);

}  // namespace upscale::models
