#pragma once
// DAT (Dual Aggregation Transformer): a 3x3 stem, residual groups of blocks that alternate
// spatial-window attention (two half-width attentions in transposed rectangular windows, with
// a learnt position bias, some shifted) and channel attention, each mixed with a depthwise
// convolution branch through the adaptive interaction module and followed by a spatial-gate
// FFN; then a progressive or one-step pixel-shuffle upsampler. Inputs of any size: the windows
// are padded inside, as the reference does.

#include <memory>
#include <vector>

#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

namespace dat {
class Group;
struct ResidualConv;
}  // namespace dat

class DatNet final : public Network {
public:
    explicit DatNet(const ArchSpec& spec);
    ~DatNet() override;

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// Channel attention and the interaction's pooling see the whole input, so no radius makes
    /// tiles exact; this is the reach of the windows and convolutions of every block.
    [[nodiscard]] int receptiveRadius() const override;

private:
    ArchSpec m_spec;
    torch::nn::Conv2d m_first{nullptr};
    at::Tensor m_tokensNormWeight;
    at::Tensor m_tokensNormBias;
    std::vector<std::shared_ptr<dat::Group>> m_layers;
    at::Tensor m_normWeight;
    at::Tensor m_normBias;
    std::unique_ptr<dat::ResidualConv> m_afterBody;
    torch::nn::Conv2d m_beforeUpsample{nullptr};
    std::vector<torch::nn::Conv2d> m_upsample;
    torch::nn::Conv2d m_last{nullptr};
};

}  // namespace upscale::models
