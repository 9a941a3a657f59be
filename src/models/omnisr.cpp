#include "omnisr.hpp"

#include <cmath>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "arch_detail.hpp"
#include "layers.hpp"
#include "module_path.hpp"

namespace upscale::models {

namespace omnisr {

namespace {

using detail::parameterAt;
using detail::registerAt;

constexpr std::int64_t kChannelHeads = 4;
constexpr double kChannelNormEps = 1e-6;
constexpr double kTokenNormEps = 1e-5;
constexpr double kNormalizeEps = 1e-12;

using detail::conv;

/// Layer norm over the channels of an NCHW map.
at::Tensor channelNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
    const at::Tensor centred = x - x.mean({1}, true);
    const at::Tensor var = (centred * centred).mean({1}, true);
    return centred / at::sqrt(var + kChannelNormEps) * weight.view({1, -1, 1, 1}) +
           bias.view({1, -1, 1, 1});
}

/// [B, C, H, W] -> [B * windows, w * w, C]: contiguous windows, or (grid) the pixels w apart.
at::Tensor toTokens(const at::Tensor& x, std::int64_t w, bool grid) {
    const std::int64_t b = x.size(0);
    const std::int64_t c = x.size(1);
    const std::int64_t nx = x.size(2) / w;
    const std::int64_t ny = x.size(3) / w;
    const at::Tensor t = grid ? x.reshape({b, c, w, nx, w, ny}).permute({0, 3, 5, 2, 4, 1})
                              : x.reshape({b, c, nx, w, ny, w}).permute({0, 2, 4, 3, 5, 1});
    return t.reshape({b * nx * ny, w * w, c});
}

/// The inverse of toTokens for a map of h x w pixels.
at::Tensor fromTokens(const at::Tensor& t, std::int64_t batch, std::int64_t h, std::int64_t wd,
                      std::int64_t w, bool grid) {
    const std::int64_t c = t.size(2);
    const std::int64_t nx = h / w;
    const std::int64_t ny = wd / w;
    const at::Tensor x = t.reshape({batch, nx, ny, w, w, c});
    return (grid ? x.permute({0, 5, 3, 1, 4, 2}) : x.permute({0, 5, 1, 3, 2, 4}))
        .reshape({batch, c, h, wd});
}

}  // namespace

/// Pre-normed token attention inside windows (or grids) with an optional position bias.
class TokenAttention final : public torch::nn::Module {
public:
    TokenAttention(std::int64_t dim, const OmniSrParams& p, bool grid)
        : m_window(p.window), m_grid(grid), m_heads(dim / (dim / 4)) {
        m_normWeight = parameterAt(*this, "norm.weight", at::ones({dim}));
        m_normBias = parameterAt(*this, "norm.bias", at::zeros({dim}));
        m_qkv = parameterAt(*this, "fn.to_qkv.weight", at::zeros({3 * dim, dim}));
        m_out = parameterAt(*this, "fn.to_out.0.weight", at::zeros({dim, dim}));
        if (p.positionBias) {
            const std::int64_t side = 2LL * p.window - 1;
            m_table =
                parameterAt(*this, "fn.rel_pos_bias.weight", at::zeros({side * side, m_heads}));
            const at::Tensor ys = at::arange(p.window).repeat_interleave(p.window);
            const at::Tensor xs = at::arange(p.window).repeat({p.window});
            m_index = ((ys.view({-1, 1}) - ys.view({1, -1}) + (p.window - 1)) * side +
                       (xs.view({-1, 1}) - xs.view({1, -1}) + (p.window - 1)))
                          .reshape({-1});
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        const std::int64_t c = x.size(1);
        const at::Tensor tokens = toTokens(x, m_window, m_grid);
        const at::Tensor normed =
            at::layer_norm(tokens, {c}, m_normWeight, m_normBias, kTokenNormEps);
        const auto qkv = at::linear(normed, m_qkv).chunk(3, -1);
        const auto heads = [&](const at::Tensor& t) {
            return t.reshape({t.size(0), t.size(1), m_heads, -1}).transpose(1, 2);
        };
        const double scale = 1.0 / std::sqrt(static_cast<double>(c / 4));
        at::Tensor sim = at::matmul(heads(qkv[0]) * scale, heads(qkv[1]).transpose(-2, -1));
        if (m_table.defined()) {
            const std::int64_t n = tokens.size(1);
            sim = sim + m_table.index_select(0, m_index.to(x.device()))
                            .view({n, n, m_heads})
                            .permute({2, 0, 1});
        }
        const at::Tensor mixed = at::matmul(at::softmax(sim, -1), heads(qkv[2]))
                                     .transpose(1, 2)
                                     .reshape({tokens.size(0), tokens.size(1), c});
        return x + fromTokens(at::linear(mixed, m_out), x.size(0), x.size(2), x.size(3), m_window,
                              m_grid);
    }

private:
    std::int64_t m_window;
    bool m_grid;
    std::int64_t m_heads;
    at::Tensor m_normWeight;
    at::Tensor m_normBias;
    at::Tensor m_qkv;
    at::Tensor m_out;
    at::Tensor m_table;
    at::Tensor m_index;
};

/// Pre-normed gated depthwise FFN: 1x1 to 2F, depthwise 3x3, GELU(first half) * second, 1x1.
class GatedFfn final : public torch::nn::Module {
public:
    explicit GatedFfn(std::int64_t dim) {
        m_normWeight = parameterAt(*this, "norm.weight", at::ones({dim}));
        m_normBias = parameterAt(*this, "norm.bias", at::zeros({dim}));
        m_in = registerAt(*this, "fn.project_in", conv(dim, 2 * dim, 1, {.bias = false}));
        m_dw = registerAt(*this, "fn.dwconv",
                          conv(2 * dim, 2 * dim, 3, {.bias = false, .groups = 2 * dim}));
        m_out = registerAt(*this, "fn.project_out", conv(dim, dim, 1, {.bias = false}));
    }

    at::Tensor forward(const at::Tensor& x) {
        const auto parts =
            m_dw->forward(m_in->forward(channelNorm(x, m_normWeight, m_normBias))).chunk(2, 1);
        return x + m_out->forward(at::gelu(parts[0]) * parts[1]);
    }

private:
    at::Tensor m_normWeight;
    at::Tensor m_normBias;
    torch::nn::Conv2d m_in{nullptr};
    torch::nn::Conv2d m_dw{nullptr};
    torch::nn::Conv2d m_out{nullptr};
};

/// Pre-normed attention across channels (4 heads) among the pixels of each window, or (grid)
/// among the pixels at one position of every window.
class ChannelAttention final : public torch::nn::Module {
public:
    ChannelAttention(std::int64_t dim, std::int64_t window, bool grid)
        : m_window(window), m_grid(grid) {
        m_normWeight = parameterAt(*this, "norm.weight", at::ones({dim}));
        m_normBias = parameterAt(*this, "norm.bias", at::zeros({dim}));
        m_temperature = parameterAt(*this, "fn.temperature", at::ones({kChannelHeads, 1, 1}));
        m_qkv = registerAt(*this, "fn.qkv", conv(dim, 3 * dim, 1, {.bias = false}));
        m_dw = registerAt(*this, "fn.qkv_dwconv",
                          conv(3 * dim, 3 * dim, 3, {.bias = false, .groups = 3 * dim}));
        m_out = registerAt(*this, "fn.project_out", conv(dim, dim, 1, {.bias = false}));
    }

    at::Tensor forward(const at::Tensor& x) {
        const std::int64_t b = x.size(0);
        const std::int64_t c = x.size(1);
        const std::int64_t p = m_window;
        const std::int64_t nh = x.size(2) / p;
        const std::int64_t nw = x.size(3) / p;
        const std::int64_t d = c / kChannelHeads;
        // [B, heads, d, nh, p, nw, p] -> [B, groups, heads, d, pixels of a group]
        const std::vector<std::int64_t> order =
            m_grid ? std::vector<std::int64_t>{0, 4, 6, 1, 2, 3, 5}
                   : std::vector<std::int64_t>{0, 3, 5, 1, 2, 4, 6};
        const std::int64_t groups = m_grid ? p * p : nh * nw;
        const auto split = [&](const at::Tensor& t) {
            return t.reshape({b, kChannelHeads, d, nh, p, nw, p})
                .permute(order)
                .reshape({b, groups, kChannelHeads, d, -1});
        };
        const auto unit = [](const at::Tensor& t) {
            return t / t.norm(2, {-1}, true).clamp_min(kNormalizeEps);
        };
        const auto qkv =
            m_dw->forward(m_qkv->forward(channelNorm(x, m_normWeight, m_normBias))).chunk(3, 1);
        const at::Tensor attn = at::softmax(
            at::matmul(unit(split(qkv[0])), unit(split(qkv[1])).transpose(-2, -1)) * m_temperature,
            -1);
        at::Tensor out = at::matmul(attn, split(qkv[2]));
        out = m_grid
                  ? out.reshape({b, p, p, kChannelHeads, d, nh, nw}).permute({0, 3, 4, 5, 1, 6, 2})
                  : out.reshape({b, nh, nw, kChannelHeads, d, p, p}).permute({0, 3, 4, 1, 5, 2, 6});
        return x + m_out->forward(out.reshape({b, c, x.size(2), x.size(3)}));
    }

private:
    std::int64_t m_window;
    bool m_grid;
    at::Tensor m_normWeight;
    at::Tensor m_normBias;
    at::Tensor m_temperature;
    torch::nn::Conv2d m_qkv{nullptr};
    torch::nn::Conv2d m_dw{nullptr};
    torch::nn::Conv2d m_out{nullptr};
};

/// An OSA block: MBConv, then token, FFN, channel, FFN layers for windows and for grids.
class Block final : public torch::nn::Module {
public:
    Block(std::int64_t dim, const OmniSrParams& p) {
        m_expand = registerAt(*this, "layer.0.fn.0", conv(dim, dim, 1));
        m_depthwise = registerAt(*this, "layer.0.fn.2", conv(dim, dim, 3, {.groups = dim}));
        m_squeeze = parameterAt(*this, "layer.0.fn.4.gate.1.weight", at::zeros({dim / 4, dim}));
        m_excite = parameterAt(*this, "layer.0.fn.4.gate.3.weight", at::zeros({dim, dim / 4}));
        m_project = registerAt(*this, "layer.0.fn.5", conv(dim, dim, 1));
        for (const bool grid : {false, true}) {
            const int base = grid ? 8 : 2;
            m_tokens.push_back(registerAt(*this, fmt::format("layer.{}", base),
                                          std::make_shared<TokenAttention>(dim, p, grid)));
            m_ffns.push_back(registerAt(*this, fmt::format("layer.{}", base + 2),
                                        std::make_shared<GatedFfn>(dim)));
            m_channels.push_back(
                registerAt(*this, fmt::format("layer.{}", base + 3),
                           std::make_shared<ChannelAttention>(dim, p.window, grid)));
            m_ffns.push_back(registerAt(*this, fmt::format("layer.{}", base + 4),
                                        std::make_shared<GatedFfn>(dim)));
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        at::Tensor y = at::gelu(m_depthwise->forward(at::gelu(m_expand->forward(x))));
        const at::Tensor gate =
            at::sigmoid(at::linear(at::silu(at::linear(y.mean({2, 3}), m_squeeze)), m_excite));
        y = x + m_project->forward(y * gate.unsqueeze(-1).unsqueeze(-1));
        for (std::size_t i = 0; i < 2; ++i) {
            y = m_tokens[i]->forward(y);
            y = m_ffns[2 * i]->forward(y);
            y = m_channels[i]->forward(y);
            y = m_ffns[2 * i + 1]->forward(y);
        }
        return y;
    }

private:
    torch::nn::Conv2d m_expand{nullptr};
    torch::nn::Conv2d m_depthwise{nullptr};
    at::Tensor m_squeeze;
    at::Tensor m_excite;
    torch::nn::Conv2d m_project{nullptr};
    std::vector<std::shared_ptr<TokenAttention>> m_tokens;
    std::vector<std::shared_ptr<GatedFfn>> m_ffns;
    std::vector<std::shared_ptr<ChannelAttention>> m_channels;
};

/// A residual group: the blocks and a 1x1 convolution plus the input, then ESA (a gate from a
/// strided, max-pooled and re-enlarged copy of the features).
class Group final : public torch::nn::Module {
public:
    Group(std::int64_t dim, const OmniSrParams& p) {
        for (int b = 0; b < p.numBlocks; ++b) {
            m_blocks.push_back(registerAt(*this, fmt::format("residual_layer.{}", b),
                                          std::make_shared<Block>(dim, p)));
        }
        m_close = registerAt(*this, fmt::format("residual_layer.{}", p.numBlocks),
                             conv(dim, dim, 1, {.bias = p.bias}));
        const std::int64_t e = detail::omniSrEsaChannels(static_cast<int>(dim));
        m_esa1 = registerAt(*this, "esa.conv1", conv(dim, e, 1));
        m_esaF = registerAt(*this, "esa.conv_f", conv(e, e, 1));
        m_esa2 = registerAt(*this, "esa.conv2", conv(e, e, 3, {.stride = 2, .padding = 0}));
        m_esa3 = registerAt(*this, "esa.conv3", conv(e, e, 3));
        m_esa4 = registerAt(*this, "esa.conv4", conv(e, dim, 1));
    }

    at::Tensor forward(const at::Tensor& x) {
        at::Tensor y = x;
        for (const auto& block : m_blocks) {
            y = block->forward(y);
        }
        y = m_close->forward(y) + x;
        const at::Tensor c1 = m_esa1->forward(y);
        at::Tensor low = m_esa3->forward(at::max_pool2d(m_esa2->forward(c1), {7, 7}, {3, 3}));
        low = at::upsample_bilinear2d(low, {y.size(2), y.size(3)}, false);
        return y * at::sigmoid(m_esa4->forward(low + m_esaF->forward(c1)));
    }

private:
    std::vector<std::shared_ptr<Block>> m_blocks;
    torch::nn::Conv2d m_close{nullptr};
    torch::nn::Conv2d m_esa1{nullptr};
    torch::nn::Conv2d m_esaF{nullptr};
    torch::nn::Conv2d m_esa2{nullptr};
    torch::nn::Conv2d m_esa3{nullptr};
    torch::nn::Conv2d m_esa4{nullptr};
};

}  // namespace omnisr

OmniSrNet::OmniSrNet(const ArchSpec& spec) : m_spec(spec) {
    const auto& p = spec.omnisr;
    const std::int64_t f = spec.numFeat;
    const auto conv3 = [&](std::int64_t in, std::int64_t out) {
        return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(p.bias));
    };
    m_input = register_module("input", conv3(spec.inChannels, f));
    for (int g = 0; g < p.numGroups; ++g) {
        m_groups.push_back(detail::registerAt(*this, fmt::format("residual_layer.{}", g),
                                              std::make_shared<omnisr::Group>(f, p)));
    }
    m_output = register_module("output", conv3(f, f));
    m_up = detail::registerAt(*this, "up.0",
                              conv3(f, std::int64_t{spec.outChannels} * spec.scale * spec.scale));
}

OmniSrNet::~OmniSrNet() = default;

int OmniSrNet::receptiveRadius() const {
    const auto& p = m_spec.omnisr;
    // Per block: the window (grid attention spans the input, bounded here by the window's
    // reach), a dozen depthwise 3x3s; per group ESA's pooled reach.
    return 2 + p.numGroups * (p.numBlocks * (2 * p.window + 12) + 24);
}

at::Tensor OmniSrNet::forward(const at::Tensor& input) {
    const std::int64_t h = input.size(2);
    const std::int64_t w = input.size(3);
    const std::int64_t win = m_spec.omnisr.window;
    const at::Tensor padded =
        at::constant_pad_nd(input, {0, (win - w % win) % win, 0, (win - h % win) % win});
    const at::Tensor features = m_input->forward(padded);
    at::Tensor x = features;
    for (const auto& group : m_groups) {
        x = group->forward(x);
    }
    x = at::pixel_shuffle(m_up->forward(m_output->forward(x) + features), m_spec.scale);
    return x.narrow(2, 0, h * m_spec.scale).narrow(3, 0, w * m_spec.scale);
}

}  // namespace upscale::models
