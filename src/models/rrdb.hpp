#pragma once
// RRDBNet (ESRGAN, Real-ESRGAN): residual-in-residual dense blocks on a feature trunk, then
// nearest 2x upsampling convolutions. The x2 and x1 variants pixel-unshuffle their input first.

#include <memory>
#include <vector>

#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

class ResidualDenseBlock;

class RrdbNet final : public Network {
public:
    explicit RrdbNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// The trunk alone is over a hundred 3x3 convolutions deep, but its residual scaling (0.2
    /// per block) makes far context fade; 32 input pixels keep tiles seamless in practice.
    [[nodiscard]] int receptiveRadius() const override { return 32; }

private:
    ArchSpec m_spec;
    torch::nn::Conv2d m_convFirst{nullptr};
    std::vector<std::shared_ptr<ResidualDenseBlock>> m_blocks;
    torch::nn::Conv2d m_convBody{nullptr};
    std::vector<torch::nn::Conv2d> m_convUp;
    torch::nn::Conv2d m_convHr{nullptr};
    torch::nn::Conv2d m_convLast{nullptr};
};

}  // namespace upscale::models
