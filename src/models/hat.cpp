#include "hat.hpp"

#include <ATen/ATen.h>
#include <torch/nn/modules/container/modulelist.h>

namespace upscale::models {

using namespace window;

namespace {

constexpr double kConvScale = 0.01;  // HAT's conv_scale: the weight of the convolution branch

}  // namespace

/// conv_block.cab: 3x3 down to the compressed width, GELU, 3x3 back, then channel attention
/// (global average, 1x1 squeeze, ReLU, 1x1 excite, sigmoid) scaling the channels.
class ConvBranch final : public torch::nn::Module {
public:
    ConvBranch(std::int64_t dim, std::int64_t compressed, std::int64_t squeezed) {
        auto cab = std::make_shared<torch::nn::Module>();
        m_down = cab->register_module("0", conv(dim, compressed, 3));
        m_up = cab->register_module("2", conv(compressed, dim, 3));
        auto channel = std::make_shared<torch::nn::Module>();
        auto attention = std::make_shared<torch::nn::Module>();
        m_squeeze = attention->register_module("1", conv(dim, squeezed, 1));
        m_excite = attention->register_module("3", conv(squeezed, dim, 1));
        channel->register_module("attention", attention);
        cab->register_module("3", channel);
        register_module("cab", cab);
    }

    at::Tensor forward(const at::Tensor& x) {
        const at::Tensor y = m_up->forward(at::gelu(m_down->forward(x)));
        const at::Tensor pooled = y.mean({2, 3}, /*keepdim=*/true);
        return y * at::sigmoid(m_excite->forward(at::relu(m_squeeze->forward(pooled))));
    }

private:
    torch::nn::Conv2d m_down{nullptr};
    torch::nn::Conv2d m_up{nullptr};
    torch::nn::Conv2d m_squeeze{nullptr};
    torch::nn::Conv2d m_excite{nullptr};
};

/// HAB: a Swin block whose attention gets the convolution branch of the normalised input added.
class HybridBlock final : public torch::nn::Module {
public:
    HybridBlock(const HatParams& p, int heads, int shift)
        : m_size(p.shape.windowSize), m_shift(shift) {
        const std::int64_t c = p.shape.embedDim;
        m_norm1 = register_module("norm1", layerNorm(c));
        m_conv = register_module("conv_block",
                                 std::make_shared<ConvBranch>(c, p.convCompressed, p.convSqueezed));
        m_attn = register_module("attn", std::make_shared<WindowAttention>(c, m_size, heads));
        m_norm2 = register_module("norm2", layerNorm(c));
        m_mlp = register_module("mlp", std::make_shared<Mlp>(c, p.shape.mlpHidden));
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w, const at::Tensor& mask,
                       const at::Tensor& index) {
        const at::Tensor y = m_norm1->forward(x);
        const at::Tensor conv = toTokens(m_conv->forward(toImage(y, h, w)));
        const at::Tensor z = x + shiftedAttention(*m_attn, y, h, w, m_size, m_shift, mask, index) +
                             conv * kConvScale;
        return z + m_mlp->forward(m_norm2->forward(z));
    }

private:
    int m_size;
    int m_shift;
    torch::nn::LayerNorm m_norm1{nullptr};
    std::shared_ptr<ConvBranch> m_conv;
    std::shared_ptr<WindowAttention> m_attn;
    torch::nn::LayerNorm m_norm2{nullptr};
    std::shared_ptr<Mlp> m_mlp;
};

/// OCAB: queries from each window, keys and values from the outer x outer window around it (zero
/// beyond the image), then an MLP; both with skip connections.
class OverlapCrossAttention final : public torch::nn::Module {
public:
    OverlapCrossAttention(const HatParams& p, int heads)
        : m_heads(heads), m_size(p.shape.windowSize), m_outer(p.overlapWindow) {
        const std::int64_t c = p.shape.embedDim;
        const std::int64_t side = m_size + m_outer - 1;
        m_norm1 = register_module("norm1", layerNorm(c));
        m_qkv = register_module("qkv", torch::nn::Linear(c, 3 * c));
        m_table = register_parameter("relative_position_bias_table", at::zeros({side * side, heads}));
        m_proj = register_module("proj", torch::nn::Linear(c, c));
        m_norm2 = register_module("norm2", layerNorm(c));
        m_mlp = register_module("mlp", std::make_shared<Mlp>(c, p.shape.mlpHidden));
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w, const at::Tensor& index) {
        const std::int64_t b = x.size(0);
        const std::int64_t c = x.size(2);
        const auto qkv = m_qkv->forward(m_norm1->forward(x)).view({b, h, w, 3 * c}).chunk(3, -1);
        const at::Tensor queries = splitWindows(qkv[0], m_size);
        const at::Tensor kv = at::cat({qkv[1], qkv[2]}, -1).permute({0, 3, 1, 2});
        const std::int64_t pad = (m_outer - m_size) / 2;
        const std::int64_t keys = m_outer * m_outer;
        // (B, 2C * o * o, windows) -> (2, B * windows, o * o, C)
        const at::Tensor patches = at::im2col(kv, {m_outer, m_outer}, {1, 1}, {pad, pad},
                                              {m_size, m_size})
                                       .view({b, 2, c, keys, -1})
                                       .permute({1, 0, 4, 3, 2})
                                       .reshape({2, -1, keys, c});
        const std::int64_t tokens = std::int64_t{m_size} * m_size;
        const at::Tensor out =
            multiHeadAttention(queries, patches[0], patches[1], m_heads,
                               gatherBias(m_table, index, tokens, keys), at::Tensor());
        const at::Tensor y =
            x + m_proj->forward(mergeWindows(out, m_size, b, h, w).reshape({b, h * w, c}));
        return y + m_mlp->forward(m_norm2->forward(y));
    }

private:
    std::int64_t m_heads;
    int m_size;
    int m_outer;
    torch::nn::LayerNorm m_norm1{nullptr};
    torch::nn::Linear m_qkv{nullptr};
    at::Tensor m_table;
    torch::nn::Linear m_proj{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
    std::shared_ptr<Mlp> m_mlp;
};

/// RHAG: residual_group (blocks.N, overlap_attn), the closing convolution, the group's input.
class HatGroup final : public torch::nn::Module {
public:
    HatGroup(const HatParams& p, std::size_t layer)
        : m_conv(*this, "conv", p.shape.embedDim, p.residual) {
        auto group = std::make_shared<torch::nn::Module>();
        torch::nn::ModuleList blocks;
        for (int b = 0; b < p.shape.depths[layer]; ++b) {
            const int shift = b % 2 == 1 ? p.shape.windowSize / 2 : 0;
            m_blocks.push_back(std::make_shared<HybridBlock>(p, p.shape.heads[layer], shift));
            blocks->push_back(m_blocks.back());
        }
        group->register_module("blocks", blocks);
        m_cross = group->register_module(
            "overlap_attn", std::make_shared<OverlapCrossAttention>(p, p.shape.heads[layer]));
        register_module("residual_group", group);
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w, const at::Tensor& mask,
                       const at::Tensor& selfIndex, const at::Tensor& crossIndex) {
        at::Tensor y = x;
        for (const auto& block : m_blocks) {
            y = block->forward(y, h, w, mask, selfIndex);
        }
        y = m_cross->forward(y, h, w, crossIndex);
        return toTokens(m_conv.forward(toImage(y, h, w))) + x;
    }

private:
    std::vector<std::shared_ptr<HybridBlock>> m_blocks;
    std::shared_ptr<OverlapCrossAttention> m_cross;
    ResidualConvs m_conv;
};

HatNet::HatNet(const ArchSpec& spec) : m_spec(spec) {
    const HatParams& p = spec.hat;
    const std::int64_t c = p.shape.embedDim;
    m_selfIndex = selfAttentionIndex(p.shape.windowSize);
    m_crossIndex = crossAttentionIndex(p.shape.windowSize, p.overlapWindow);
    m_convFirst = register_module("conv_first", conv(spec.inChannels, c, 3));
    m_patchEmbed = register_module("patch_embed", std::make_shared<PatchNorm>(c, p.shape.patchNorm));
    torch::nn::ModuleList layers;
    for (std::size_t l = 0; l < p.shape.depths.size(); ++l) {
        m_layers.push_back(std::make_shared<HatGroup>(p, l));
        layers->push_back(m_layers.back());
    }
    register_module("layers", layers);
    m_norm = register_module("norm", layerNorm(c));
    m_afterBody.emplace(*this, "conv_after_body", c, p.residual);
    m_head.emplace(*this, c, p.shape.upsampleFeat, spec.outChannels, spec.scale);
}

int HatNet::receptiveRadius() const {
    return windowReach(m_spec.hat.shape, (m_spec.hat.overlapWindow - m_spec.hat.shape.windowSize) / 2);
}

at::Tensor HatNet::forward(const at::Tensor& input) {
    const HatParams& p = m_spec.hat;
    const PaddedInput in = prepareInput(input, m_spec.inChannels, p.shape.windowSize, 1.0);
    const at::Tensor selfIndex = m_selfIndex.to(input.device());
    const at::Tensor crossIndex = m_crossIndex.to(input.device());
    const at::Tensor first = m_convFirst->forward(in.x);
    at::Tensor tokens = m_patchEmbed->forward(toTokens(first));
    for (const auto& layer : m_layers) {
        tokens = layer->forward(tokens, in.paddedHeight, in.paddedWidth, in.mask, selfIndex,
                                crossIndex);
    }
    const at::Tensor body =
        m_afterBody->forward(toImage(m_norm->forward(tokens), in.paddedHeight, in.paddedWidth)) +
        first;
    return finishOutput(m_head->forward(body), in, 1.0, m_spec.scale);
}

}  // namespace upscale::models
