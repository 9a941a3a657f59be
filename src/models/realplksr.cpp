#include "realplksr.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "layers.hpp"
#include "module_path.hpp"

namespace upscale::models {

namespace {

using detail::parameterAt;
using detail::registerAt;

constexpr double kPlkGroupNormEps = 1e-5;
constexpr double kPlkLayerNormEps = 1e-6;

using detail::conv;

}  // namespace

class PlkBlock final : public torch::nn::Module {
public:
    PlkBlock(std::int64_t feat, const RealPlksrParams& p) : m_params(p) {
        if (p.layerNorm) {
            m_lnWeight = parameterAt(*this, "layer_norm.weight", at::ones({feat}));
            m_lnBias = parameterAt(*this, "layer_norm.bias", at::zeros({feat}));
        } else {
            m_normWeight = parameterAt(*this, "norm.weight", at::ones({feat}));
            m_normBias = parameterAt(*this, "norm.bias", at::zeros({feat}));
        }
        m_mix1 = registerAt(*this, "channel_mixer.0", conv(feat, 2 * feat, 3));
        m_mix2 = registerAt(*this, "channel_mixer.2", conv(2 * feat, feat, 3));
        m_large = registerAt(*this, "lk.conv", conv(p.kernelDim, p.kernelDim, p.kernelSize));
        if (p.attention) {
            m_attention = registerAt(*this, "attn.f.0", conv(feat, feat, 3));
        }
        m_refine = register_module("refine", conv(feat, feat, 1));
    }

    at::Tensor forward(const at::Tensor& x) {
        at::Tensor y = x;
        if (m_params.layerNorm) {
            const at::Tensor centred = y - y.mean({1}, true);
            const at::Tensor var = (centred * centred).mean({1}, true);
            y = centred / at::sqrt(var + kPlkLayerNormEps) * m_lnWeight.view({1, -1, 1, 1}) +
                m_lnBias.view({1, -1, 1, 1});
        }
        y = m_mix2->forward(at::mish(m_mix1->forward(y)));
        const std::int64_t k = m_params.kernelDim;
        y = at::cat({m_large->forward(y.narrow(1, 0, k)), y.narrow(1, k, y.size(1) - k)}, 1);
        if (m_attention) {
            y = y * at::sigmoid(m_attention->forward(y));
        }
        y = m_refine->forward(y);
        if (!m_params.layerNorm) {
            y = at::group_norm(y, m_params.normGroups, m_normWeight, m_normBias, kPlkGroupNormEps);
        }
        return y + x;
    }

private:
    RealPlksrParams m_params;
    at::Tensor m_lnWeight;
    at::Tensor m_lnBias;
    at::Tensor m_normWeight;
    at::Tensor m_normBias;
    torch::nn::Conv2d m_mix1{nullptr};
    torch::nn::Conv2d m_mix2{nullptr};
    torch::nn::Conv2d m_large{nullptr};
    torch::nn::Conv2d m_attention{nullptr};
    torch::nn::Conv2d m_refine{nullptr};
};

/// Learned point sampling: per group of channels, two offsets per output sub-pixel from 1x1
/// convolutions around fixed sub-pixel centres (init_pos), bilinear sampling with the border
/// repeated, then a 1x1 convolution down to the output channels (when the scale is not 1).
class DySample final : public torch::nn::Module {
public:
    DySample(std::int64_t in, std::int64_t out, int scale, int groups)
        : m_scale(scale), m_groups(groups) {
        const std::int64_t offsets = 2LL * groups * scale * scale;
        m_offset = register_module("offset", conv(in, offsets, 1));
        m_scope = register_module("scope", conv(in, offsets, 1, {.bias = false}));
        // A buffer in the reference; a parameter here so that it loads from the file.
        m_initPos = register_parameter("init_pos", at::zeros({1, offsets, 1, 1}), false);
        if (scale != 1) {
            m_end = register_module("end_conv", conv(in, out, 1));
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        const std::int64_t b = x.size(0);
        const std::int64_t c = x.size(1);
        const std::int64_t h = x.size(2);
        const std::int64_t w = x.size(3);
        const std::int64_t s = m_scale;
        const std::int64_t g = m_groups;
        // [b, axis, group, i, j, h, w]: the offset of sub-pixel (i, j) along x (0) and y (1).
        const at::Tensor offset =
            (m_offset->forward(x) * at::sigmoid(m_scope->forward(x)) * 0.5 + m_initPos)
                .view({b, 2, g, s, s, h, w});
        const at::Tensor xs = at::arange(w, x.options()).add(0.5).view({1, 1, 1, 1, 1, w});
        const at::Tensor ys = at::arange(h, x.options()).add(0.5).view({1, 1, 1, 1, h, 1});
        // Normalised to grid_sample's [-1, 1] corners-excluded coordinates.
        const at::Tensor gx = (offset.select(1, 0) + xs) * (2.0 / double(w)) - 1.0;
        const at::Tensor gy = (offset.select(1, 1) + ys) * (2.0 / double(h)) - 1.0;
        const at::Tensor grid = at::stack({gx, gy}, -1)              // [b, g, i, j, h, w, 2]
                                    .permute({0, 1, 4, 2, 5, 3, 6})  // [b, g, h, i, w, j, 2]
                                    .reshape({b * g, h * s, w * s, 2});
        constexpr std::int64_t kBilinear = 0;
        constexpr std::int64_t kBorder = 1;
        at::Tensor out = at::grid_sampler(x.reshape({b * g, c / g, h, w}), grid, kBilinear, kBorder,
                                          /*align_corners=*/false)
                             .reshape({b, c, h * s, w * s});
        return m_end ? m_end->forward(out) : out;
    }

private:
    int m_scale;
    int m_groups;
    torch::nn::Conv2d m_offset{nullptr};
    torch::nn::Conv2d m_scope{nullptr};
    torch::nn::Conv2d m_end{nullptr};
    at::Tensor m_initPos;
};

RealPlksrNet::RealPlksrNet(const ArchSpec& spec) : m_spec(spec) {
    const auto& p = spec.realplksr;
    const std::int64_t f = spec.numFeat;
    const std::int64_t shuffled = std::int64_t{spec.inChannels} * spec.scale * spec.scale;
    m_stem = registerAt(*this, "feats.0", conv(spec.inChannels, f, 3));
    for (int b = 1; b <= p.numBlocks; ++b) {
        m_blocks.push_back(
            registerAt(*this, fmt::format("feats.{}", b), std::make_shared<PlkBlock>(f, p)));
    }
    m_head = registerAt(*this, fmt::format("feats.{}", p.numBlocks + 2), conv(f, shuffled, 3));
    if (p.dysample) {
        m_dysample = register_module(
            "to_img",
            std::make_shared<DySample>(shuffled, spec.outChannels, spec.scale, p.dysampleGroups));
    }
}

int RealPlksrNet::receptiveRadius() const {
    const auto& p = m_spec.realplksr;
    const int perBlock = 2 + p.kernelSize / 2 + (p.attention ? 1 : 0);
    return 2 + p.numBlocks * perBlock + (p.dysample ? 2 : 0);
}

at::Tensor RealPlksrNet::forward(const at::Tensor& input) {
    at::Tensor x = m_stem->forward(input);
    for (const auto& block : m_blocks) {
        x = block->forward(x);
    }
    const std::int64_t copies = std::int64_t{m_spec.scale} * m_spec.scale;
    x = m_head->forward(x) + at::repeat_interleave(input, copies, 1);
    return m_dysample ? m_dysample->forward(x) : at::pixel_shuffle(x, m_spec.scale);
}

}  // namespace upscale::models
