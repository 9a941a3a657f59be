#pragma once
// The building blocks the networks share: one convolution constructor (with the reference
// implementations' defaults) and the DIV2K mean several of them normalise with.

#include <array>
#include <cstdint>

#include <torch/nn/modules/conv.h>

namespace upscale::models::detail {

/// What a convolution may change from the defaults: a bias, no groups, stride 1, and the padding
/// that keeps the size (kernel / 2) unless one is given.
struct ConvOptions {
    bool bias = true;
    std::int64_t groups = 1;
    std::int64_t stride = 1;
    std::int64_t padding = -1;
};

inline torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel,
                              ConvOptions options = {}) {
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                 .stride(options.stride)
                                 .padding(options.padding < 0 ? kernel / 2 : options.padding)
                                 .groups(options.groups)
                                 .bias(options.bias));
}

/// The DIV2K RGB mean (0..1) that DAT, SPAN, SwinIR and HAT subtract at the input.
inline constexpr std::array<double, 3> kDiv2kRgbMean = {0.4488, 0.4371, 0.4040};

}  // namespace upscale::models::detail
