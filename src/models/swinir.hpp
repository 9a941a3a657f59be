#pragma once
// SwinIR: residual groups of Swin Transformer blocks (window attention, alternately shifted by
// half a window) over the tokens of a convolutional embedding, then one of four upsamplers:
// classical (pixel shuffle), lightweight (direct pixel shuffle), real-world (nearest + conv) or
// none (denoising and JPEG). The input is padded by reflection to the window multiple and the
// output cropped back.

#include <memory>
#include <optional>
#include <vector>

#include "upscale/models/network.hpp"
#include "window_attention.hpp"

namespace upscale::models {

class SwinGroup;

class SwinIRNet final : public Network {
public:
    explicit SwinIRNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// Shifted windows pass information one window further per pair of blocks.
    [[nodiscard]] int receptiveRadius() const override;

private:
    [[nodiscard]] at::Tensor upsample(const at::Tensor& body, const at::Tensor& input);

    ArchSpec m_spec;
    at::Tensor m_index;  ///< selfAttentionIndex of the window, on the CPU
    torch::nn::Conv2d m_convFirst{nullptr};
    std::shared_ptr<window::PatchNorm> m_patchEmbed;
    std::vector<std::shared_ptr<SwinGroup>> m_layers;
    torch::nn::LayerNorm m_norm{nullptr};
    std::optional<window::ResidualConvs> m_afterBody;
    std::optional<window::PixelShuffleHead> m_pixelShuffle;
    torch::nn::Conv2d m_before{nullptr};  ///< real-world: conv_before_upsample.0
    std::vector<torch::nn::Conv2d> m_up;  ///< real-world: conv_up1, conv_up2; direct: upsample.0
    torch::nn::Conv2d m_hr{nullptr};
    torch::nn::Conv2d m_last{nullptr};
};

}  // namespace upscale::models
