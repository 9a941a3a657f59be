#include "swinir.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/nn/modules/container/modulelist.h>

namespace upscale::models {

using namespace window;

namespace {

constexpr double kSwinBeforeUpsampleSlope = 0.01;
constexpr double kSwinUpsampleSlope = 0.2;

}  // namespace

/// Norm, (shifted) window attention and MLP, each with a skip connection.
class SwinBlock final : public torch::nn::Module {
public:
    SwinBlock(const WindowTransformerShape& shape, int heads, int shift)
        : m_size(shape.windowSize), m_shift(shift) {
        m_norm1 = register_module("norm1", layerNorm(shape.embedDim));
        m_attn = register_module("attn",
                                 std::make_shared<WindowAttention>(shape.embedDim, m_size, heads));
        m_norm2 = register_module("norm2", layerNorm(shape.embedDim));
        m_mlp = register_module("mlp", std::make_shared<Mlp>(shape.embedDim, shape.mlpHidden));
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w, const at::Tensor& mask,
                       const at::Tensor& index) {
        const at::Tensor y =
            x + shiftedAttention(*m_attn, m_norm1->forward(x), h, w, m_size, m_shift, mask, index);
        return y + m_mlp->forward(m_norm2->forward(y));
    }

private:
    int m_size;
    int m_shift;
    torch::nn::LayerNorm m_norm1{nullptr};
    std::shared_ptr<WindowAttention> m_attn;
    torch::nn::LayerNorm m_norm2{nullptr};
    std::shared_ptr<Mlp> m_mlp;
};

/// RSTB: residual_group.blocks.N, then the closing convolution, plus the group's input.
class SwinGroup final : public torch::nn::Module {
public:
    SwinGroup(const SwinIRParams& p, std::size_t layer)
        : m_conv(*this, "conv", p.shape.embedDim, p.residual) {
        auto group = std::make_shared<torch::nn::Module>();
        torch::nn::ModuleList blocks;
        for (int b = 0; b < p.shape.depths[layer]; ++b) {
            const int shift = b % 2 == 1 ? p.shape.windowSize / 2 : 0;
            m_blocks.push_back(std::make_shared<SwinBlock>(p.shape, p.shape.heads[layer], shift));
            blocks->push_back(m_blocks.back());
        }
        group->register_module("blocks", blocks);
        register_module("residual_group", group);
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w, const at::Tensor& mask,
                       const at::Tensor& index) {
        at::Tensor y = x;
        for (const auto& block : m_blocks) {
            y = block->forward(y, h, w, mask, index);
        }
        return toTokens(m_conv.forward(toImage(y, h, w))) + x;
    }

private:
    std::vector<std::shared_ptr<SwinBlock>> m_blocks;
    ResidualConvs m_conv;
};

SwinIRNet::SwinIRNet(const ArchSpec& spec) : m_spec(spec) {
    const SwinIRParams& p = spec.swinir;
    const std::int64_t c = p.shape.embedDim;
    const std::int64_t feat = p.shape.upsampleFeat;
    m_index = selfAttentionIndex(p.shape.windowSize);
    m_convFirst = register_module("conv_first", conv(spec.inChannels, c, 3));
    m_patchEmbed =
        register_module("patch_embed", std::make_shared<PatchNorm>(c, p.shape.patchNorm));
    torch::nn::ModuleList layers;
    for (std::size_t l = 0; l < p.shape.depths.size(); ++l) {
        m_layers.push_back(std::make_shared<SwinGroup>(p, l));
        layers->push_back(m_layers.back());
    }
    register_module("layers", layers);
    m_norm = register_module("norm", layerNorm(c));
    m_afterBody.emplace(*this, "conv_after_body", c, p.residual);
    switch (p.upsampler) {
        case SwinUpsampler::PixelShuffle:
            m_pixelShuffle.emplace(*this, c, feat, spec.outChannels, spec.scale);
            break;
        case SwinUpsampler::PixelShuffleDirect: {
            auto upsample = std::make_shared<torch::nn::Module>();
            m_up.push_back(upsample->register_module(
                "0", conv(c, std::int64_t{spec.outChannels} * spec.scale * spec.scale, 3)));
            register_module("upsample", upsample);
            break;
        }
        case SwinUpsampler::NearestConv: {
            auto before = std::make_shared<torch::nn::Module>();
            m_before = before->register_module("0", conv(c, feat, 3));
            register_module("conv_before_upsample", before);
            for (int step = 1; (1 << step) <= spec.scale; ++step) {
                m_up.push_back(
                    register_module(fmt::format("conv_up{}", step), conv(feat, feat, 3)));
            }
            m_hr = register_module("conv_hr", conv(feat, feat, 3));
            m_last = register_module("conv_last", conv(feat, spec.outChannels, 3));
            break;
        }
        case SwinUpsampler::None:
            m_last = register_module("conv_last", conv(c, spec.outChannels, 3));
            break;
    }
}

int SwinIRNet::receptiveRadius() const {
    return windowReach(m_spec.swinir.shape, 0);
}

at::Tensor SwinIRNet::upsample(const at::Tensor& body, const at::Tensor& input) {
    switch (m_spec.swinir.upsampler) {
        case SwinUpsampler::PixelShuffle:
            return m_pixelShuffle->forward(body);
        case SwinUpsampler::PixelShuffleDirect:
            return at::pixel_shuffle(m_up.front()->forward(body), m_spec.scale);
        case SwinUpsampler::NearestConv: {
            at::Tensor y = at::leaky_relu(m_before->forward(body), kSwinBeforeUpsampleSlope);
            for (auto& up : m_up) {
                y = at::upsample_nearest2d(y, {y.size(2) * 2, y.size(3) * 2});
                y = at::leaky_relu(up->forward(y), kSwinUpsampleSlope);
            }
            return m_last->forward(at::leaky_relu(m_hr->forward(y), kSwinUpsampleSlope));
        }
        case SwinUpsampler::None:
            return input + m_last->forward(body);
    }
    return body;
}

at::Tensor SwinIRNet::forward(const at::Tensor& input) {
    const SwinIRParams& p = m_spec.swinir;
    const PaddedInput in = prepareInput(input, m_spec.inChannels, p.shape.windowSize, p.imageRange);
    const at::Tensor index = m_index.to(input.device());
    const at::Tensor first = m_convFirst->forward(in.x);
    at::Tensor tokens = m_patchEmbed->forward(toTokens(first));
    for (const auto& layer : m_layers) {
        tokens = layer->forward(tokens, in.paddedHeight, in.paddedWidth, in.mask, index);
    }
    const at::Tensor body =
        m_afterBody->forward(toImage(m_norm->forward(tokens), in.paddedHeight, in.paddedWidth)) +
        first;
    return finishOutput(upsample(body, in.x), in, p.imageRange, m_spec.scale);
}

}  // namespace upscale::models
