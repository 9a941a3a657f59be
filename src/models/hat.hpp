#pragma once
// HAT, the hybrid attention transformer: SwinIR's layout with a channel-attention convolution
// branch in every block (added at a 0.01 scale) and an overlapping cross-attention block closing
// every group, whose keys and values come from a larger window around each query window. Input
// padded by reflection to the window multiple, output cropped back.

#include <memory>
#include <optional>
#include <vector>

#include "upscale/models/network.hpp"
#include "window_attention.hpp"

namespace upscale::models {

class HatGroup;

class HatNet final : public Network {
public:
    explicit HatNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// As SwinIR's, plus the overlap of each group's cross-attention window.
    [[nodiscard]] int receptiveRadius() const override;

private:
    ArchSpec m_spec;
    at::Tensor m_selfIndex;   ///< selfAttentionIndex, on the CPU
    at::Tensor m_crossIndex;  ///< crossAttentionIndex, on the CPU
    torch::nn::Conv2d m_convFirst{nullptr};
    std::shared_ptr<window::PatchNorm> m_patchEmbed;
    std::vector<std::shared_ptr<HatGroup>> m_layers;
    torch::nn::LayerNorm m_norm{nullptr};
    std::optional<window::ResidualConvs> m_afterBody;
    std::optional<window::PixelShuffleHead> m_head;
};

}  // namespace upscale::models
