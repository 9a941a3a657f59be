#pragma once
// SPAN (swift parameter-free attention network): six attention blocks of Conv3XC layers. Each
// Conv3XC is trained as a 1x1 -> 3x3 -> 1x1 chain plus a 1x1 skip and runs as the single 3x3
// convolution those fold into.

#include <array>
#include <memory>

#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

class Conv3xc;
class AttentionBlock;

class SpanNet final : public Network {
public:
    explicit SpanNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// 21 chained 3x3 convolutions (the attention itself is per pixel), rounded up.
    [[nodiscard]] int receptiveRadius() const override { return 24; }
    /// Folds every Conv3XC's training-time chain into its eval_conv; the file's own eval_conv
    /// may be stale, as the reference implementation recomputes it too.
    void finishLoading() override;

private:
    ArchSpec m_spec;
    std::shared_ptr<Conv3xc> m_conv1;
    std::array<std::shared_ptr<AttentionBlock>, 6> m_blocks;
    std::shared_ptr<Conv3xc> m_conv2;
    torch::nn::Conv2d m_convCat{nullptr};
    torch::nn::Conv2d m_upsampler{nullptr};
    at::Tensor m_mean;  ///< [1, C, 1, 1], the input's normalising mean (a buffer)
};

}  // namespace upscale::models
