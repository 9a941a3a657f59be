#include "dat_layers.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "layers.hpp"
#include "module_path.hpp"

namespace upscale::models::dat {

namespace {

using detail::parameterAt;
using detail::registerAt;

constexpr double kLayerNormEps = 1e-5;
constexpr double kBatchNormEps = 1e-5;
constexpr double kNormalizeEps = 1e-12;
constexpr double kMaskedOut = -100.0;  // the reference's value for tokens of other regions

using upscale::models::detail::conv;

/// [B, H*W, C] tokens <-> [B, C, H, W] maps.
at::Tensor toMap(const at::Tensor& tokens, std::int64_t h, std::int64_t w) {
    return tokens.transpose(1, 2).reshape({tokens.size(0), tokens.size(2), h, w});
}
at::Tensor toTokens(const at::Tensor& map) {
    return map.flatten(2).transpose(1, 2);
}

/// [B, C, H, W] -> [B * windows, wh * ww, C], windows in row-major order.
at::Tensor toWindows(const at::Tensor& x, std::int64_t wh, std::int64_t ww) {
    const std::int64_t b = x.size(0);
    const std::int64_t c = x.size(1);
    return x.reshape({b, c, x.size(2) / wh, wh, x.size(3) / ww, ww})
        .permute({0, 2, 4, 3, 5, 1})
        .reshape({-1, wh * ww, c});
}

/// [B * windows, wh * ww, C] -> [B, H, W, C].
at::Tensor fromWindows(const at::Tensor& x, std::int64_t wh, std::int64_t ww, std::int64_t h,
                       std::int64_t w) {
    const std::int64_t b = x.size(0) / ((h / wh) * (w / ww));
    return x.reshape({b, h / wh, w / ww, wh, ww, -1})
        .permute({0, 1, 3, 2, 4, 5})
        .reshape({b, h, w, -1});
}

/// For a map rolled back by (sh, sw): within each window, kMaskedOut between tokens that came
/// from different regions of the unrolled map, 0 elsewhere. [windows, N, N].
at::Tensor shiftMask(std::int64_t h, std::int64_t w, std::int64_t wh, std::int64_t ww,
                     std::int64_t sh, std::int64_t sw, const at::TensorOptions& options) {
    at::Tensor region = at::empty({1, 1, h, w}, at::kFloat);
    auto acc = region.accessor<float, 4>();
    const auto band = [](std::int64_t i, std::int64_t size, std::int64_t window,
                         std::int64_t shift) {
        return i < size - window ? 0 : (i < size - shift ? 1 : 2);
    };
    for (std::int64_t y = 0; y < h; ++y) {
        for (std::int64_t x = 0; x < w; ++x) {
            acc[0][0][y][x] = static_cast<float>(3 * band(y, h, wh, sh) + band(x, w, ww, sw));
        }
    }
    const at::Tensor labels = toWindows(region, wh, ww).squeeze(-1);  // [windows, N]
    const at::Tensor differ = labels.unsqueeze(1) != labels.unsqueeze(2);
    return at::where(differ, at::full({}, kMaskedOut), at::zeros({})).to(options);
}

}  // namespace

Linear::Linear(torch::nn::Module& owner, const std::string& path, std::int64_t in, std::int64_t out,
               bool withBias) {
    weight = parameterAt(owner, path + ".weight", at::zeros({out, in}));
    if (withBias) {
        bias = parameterAt(owner, path + ".bias", at::zeros({out}));
    }
}

at::Tensor Linear::operator()(const at::Tensor& x) const {
    return at::linear(x, weight, bias);
}

LayerNorm::LayerNorm(torch::nn::Module& owner, const std::string& path, std::int64_t dim) {
    weight = parameterAt(owner, path + ".weight", at::ones({dim}));
    bias = parameterAt(owner, path + ".bias", at::zeros({dim}));
}

at::Tensor LayerNorm::operator()(const at::Tensor& x) const {
    return at::layer_norm(x, {weight.size(0)}, weight, bias, kLayerNormEps);
}

/// A batch norm with its running statistics (inference).
struct BatchNorm {
    at::Tensor weight;
    at::Tensor bias;
    at::Tensor mean;
    at::Tensor var;
    BatchNorm(torch::nn::Module& owner, const std::string& path, std::int64_t dim) {
        weight = parameterAt(owner, path + ".weight", at::ones({dim}));
        bias = parameterAt(owner, path + ".bias", at::zeros({dim}));
        mean = parameterAt(owner, path + ".running_mean", at::zeros({dim}));
        var = parameterAt(owner, path + ".running_var", at::ones({dim}));
    }
    [[nodiscard]] at::Tensor operator()(const at::Tensor& x) const {
        return at::batch_norm(x, weight, bias, mean, var, false, 0.0, kBatchNormEps, false);
    }
};

class Interaction {
public:
    Interaction(torch::nn::Module& owner, std::int64_t dim)
        : m_dw(registerAt(owner, "dwconv.0", conv(dim, dim, 3, {.groups = dim}))),
          m_dwNorm(owner, "dwconv.1", dim),
          m_channel1(registerAt(owner, "channel_interaction.1", conv(dim, dim / 8, 1))),
          m_channelNorm(owner, "channel_interaction.2", dim / 8),
          m_channel2(registerAt(owner, "channel_interaction.4", conv(dim / 8, dim, 1))),
          m_spatial1(registerAt(owner, "spatial_interaction.0", conv(dim, dim / 16, 1))),
          m_spatialNorm(owner, "spatial_interaction.1", dim / 16),
          m_spatial2(registerAt(owner, "spatial_interaction.3", conv(dim / 16, 1, 1))) {}

    [[nodiscard]] at::Tensor convBranch(const at::Tensor& map) {
        return at::gelu(m_dwNorm(m_dw->forward(map)));
    }
    /// [B, C, 1, 1] from a map's mean over all its pixels.
    [[nodiscard]] at::Tensor channelMap(const at::Tensor& map) {
        const at::Tensor pooled = map.mean({2, 3}, true);
        return m_channel2->forward(at::gelu(m_channelNorm(m_channel1->forward(pooled))));
    }
    /// [B, 1, H, W].
    [[nodiscard]] at::Tensor spatialMap(const at::Tensor& map) {
        return m_spatial2->forward(at::gelu(m_spatialNorm(m_spatial1->forward(map))));
    }

private:
    torch::nn::Conv2d m_dw;
    BatchNorm m_dwNorm;
    torch::nn::Conv2d m_channel1;
    BatchNorm m_channelNorm;
    torch::nn::Conv2d m_channel2;
    torch::nn::Conv2d m_spatial1;
    BatchNorm m_spatialNorm;
    torch::nn::Conv2d m_spatial2;
};

/// Attention inside wh x ww windows over half of the block's channels, with a bias per head
/// from an MLP of each token pair's (dy, dx).
class WindowAttention {
public:
    WindowAttention(torch::nn::Module& owner, const std::string& path, std::int64_t dim,
                    std::int64_t heads, std::int64_t wh, std::int64_t ww)
        : m_heads(heads),
          m_wh(wh),
          m_ww(ww),
          m_table(parameterAt(owner, path + ".rpe_biases",
                              at::zeros({(2 * wh - 1) * (2 * ww - 1), 2}))),
          m_proj(owner, path + ".pos.pos_proj", 2, dim / 4 / 4),
          m_norm1(owner, path + ".pos.pos1.0", dim / 4 / 4),
          m_fc1(owner, path + ".pos.pos1.2", dim / 4 / 4, dim / 4 / 4),
          m_norm2(owner, path + ".pos.pos2.0", dim / 4 / 4),
          m_fc2(owner, path + ".pos.pos2.2", dim / 4 / 4, dim / 4 / 4),
          m_norm3(owner, path + ".pos.pos3.0", dim / 4 / 4),
          m_fc3(owner, path + ".pos.pos3.2", dim / 4 / 4, heads) {
        // Index of each token pair's (dy, dx) row in the table: (dy + wh - 1) * (2ww - 1) + ...
        const at::Tensor ys = at::arange(wh).repeat_interleave(ww);
        const at::Tensor xs = at::arange(ww).repeat({wh});
        m_index = ((ys.view({-1, 1}) - ys.view({1, -1}) + (wh - 1)) * (2 * ww - 1) +
                   (xs.view({-1, 1}) - xs.view({1, -1}) + (ww - 1)))
                      .reshape({-1});
    }

    /// q, k, v: [B, H*W, C] of an H x W map (multiples of the window); returns [B, H, W, C].
    [[nodiscard]] at::Tensor operator()(const at::Tensor& q, const at::Tensor& k,
                                        const at::Tensor& v, std::int64_t h, std::int64_t w,
                                        const at::Tensor& mask) const {
        const std::int64_t c = q.size(2);
        const std::int64_t n = m_wh * m_ww;
        const auto split = [&](const at::Tensor& t) {
            return toWindows(toMap(t, h, w), m_wh, m_ww)
                .reshape({-1, n, m_heads, c / m_heads})
                .permute({0, 2, 1, 3});
        };
        const double scale = 1.0 / std::sqrt(static_cast<double>(c / m_heads));
        at::Tensor attn = at::matmul(split(q) * scale, split(k).transpose(-2, -1));
        const at::Tensor pos = m_fc3(
            at::relu(m_norm3(m_fc2(at::relu(m_norm2(m_fc1(at::relu(m_norm1(m_proj(m_table))))))))));
        const at::Tensor bias =
            pos.index_select(0, m_index.to(pos.device())).view({n, n, -1}).permute({2, 0, 1});
        attn = attn + bias.unsqueeze(0);
        if (mask.defined()) {
            const std::int64_t windows = mask.size(0);
            attn = (attn.view({-1, windows, m_heads, n, n}) + mask.view({1, windows, 1, n, n}))
                       .view({-1, m_heads, n, n});
        }
        const at::Tensor out =
            at::matmul(at::softmax(attn, -1), split(v)).transpose(1, 2).reshape({-1, n, c});
        return fromWindows(out, m_wh, m_ww, h, w);
    }

private:
    std::int64_t m_heads;
    std::int64_t m_wh;
    std::int64_t m_ww;
    at::Tensor m_table;
    at::Tensor m_index;
    Linear m_proj;
    LayerNorm m_norm1;
    Linear m_fc1;
    LayerNorm m_norm2;
    Linear m_fc2;
    LayerNorm m_norm3;
    Linear m_fc3;
};

class SpatialAttention final : public torch::nn::Module {
public:
    SpatialAttention(std::int64_t dim, int heads, const DatParams& p, bool shifted)
        : m_qkv(*this, "qkv", dim, 3 * dim, p.qkvBias),
          m_proj(*this, "proj", dim, dim),
          m_interaction(*this, dim),
          m_splitH(p.splitHeight),
          m_splitW(p.splitWidth),
          m_shifted(shifted) {
        m_attns[0] = std::make_unique<WindowAttention>(*this, "attns.0", dim / 2, heads / 2,
                                                       p.splitHeight, p.splitWidth);
        m_attns[1] = std::make_unique<WindowAttention>(*this, "attns.1", dim / 2, heads / 2,
                                                       p.splitWidth, p.splitHeight);
    }

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w) {
        const std::int64_t b = x.size(0);
        const std::int64_t c = x.size(2);
        const std::int64_t half = c / 2;
        const at::Tensor qkv = m_qkv(x);  // [B, L, 3C]
        const at::Tensor value = toMap(qkv.narrow(2, 2 * c, c), h, w);
        // Zero tokens right and below, up to a multiple of the larger window side.
        const std::int64_t m = std::max(m_splitH, m_splitW);
        const std::int64_t ph = (m - h % m) % m;
        const std::int64_t pw = (m - w % m) % m;
        const at::Tensor grid =
            at::constant_pad_nd(qkv.view({b, h, w, 3 * c}), {0, 0, 0, pw, 0, ph});
        const std::int64_t hh = h + ph;
        const std::int64_t ww = w + pw;
        std::vector<at::Tensor> halves;
        for (int i = 0; i < 2; ++i) {
            const std::int64_t wh = i == 0 ? m_splitH : m_splitW;
            const std::int64_t wwin = i == 0 ? m_splitW : m_splitH;
            at::Tensor part =
                at::cat({grid.narrow(3, i * half, half), grid.narrow(3, c + i * half, half),
                         grid.narrow(3, 2 * c + i * half, half)},
                        3);
            at::Tensor mask;
            if (m_shifted) {
                part = at::roll(part, {-(wh / 2), -(wwin / 2)}, {1, 2});
                mask = shiftMask(hh, ww, wh, wwin, wh / 2, wwin / 2, x.options());
            }
            part = part.reshape({b, hh * ww, 3 * half});
            at::Tensor out = (*m_attns[i])(part.narrow(2, 0, half), part.narrow(2, half, half),
                                           part.narrow(2, 2 * half, half), hh, ww, mask);
            if (m_shifted) {
                out = at::roll(out, {wh / 2, wwin / 2}, {1, 2});
            }
            halves.push_back(out.narrow(1, 0, h).narrow(2, 0, w).reshape({b, h * w, half}));
        }
        at::Tensor attended = at::cat(halves, 2);
        at::Tensor convolved = m_interaction.convBranch(value);
        const at::Tensor channel = m_interaction.channelMap(convolved).view({b, 1, c});
        const at::Tensor spatial = m_interaction.spatialMap(toMap(attended, h, w));
        attended = attended * at::sigmoid(channel);
        convolved = toTokens(at::sigmoid(spatial) * convolved);
        return m_proj(attended + convolved);
    }

private:
    Linear m_qkv;
    Linear m_proj;
    Interaction m_interaction;
    std::array<std::unique_ptr<WindowAttention>, 2> m_attns;
    std::int64_t m_splitH;
    std::int64_t m_splitW;
    bool m_shifted;
};

/// Attention across channels (per head, over all pixels) with a learnt temperature.
class ChannelAttention final : public torch::nn::Module {
public:
    ChannelAttention(std::int64_t dim, int heads, const DatParams& p)
        : m_heads(heads),
          m_temperature(parameterAt(*this, "temperature", at::ones({heads, 1, 1}))),
          m_qkv(*this, "qkv", dim, 3 * dim, p.qkvBias),
          m_proj(*this, "proj", dim, dim),
          m_interaction(*this, dim) {}

    at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w) {
        const std::int64_t b = x.size(0);
        const std::int64_t n = x.size(1);
        const std::int64_t c = x.size(2);
        // [3, B, heads, C / heads, N]
        const at::Tensor qkv =
            m_qkv(x).reshape({b, n, 3, m_heads, c / m_heads}).permute({2, 0, 3, 4, 1});
        const auto unit = [](const at::Tensor& t) {
            return t / t.norm(2, {-1}, true).clamp_min(kNormalizeEps);
        };
        const at::Tensor q = unit(qkv[0]);
        const at::Tensor k = unit(qkv[1]);
        const at::Tensor v = qkv[2];
        const at::Tensor attn = at::softmax(at::matmul(q, k.transpose(-2, -1)) * m_temperature, -1);
        at::Tensor attended = at::matmul(attn, v).permute({0, 3, 1, 2}).reshape({b, n, c});
        at::Tensor convolved = m_interaction.convBranch(v.reshape({b, c, h, w}));
        const at::Tensor channel = m_interaction.channelMap(toMap(attended, h, w));
        const at::Tensor spatial = toTokens(m_interaction.spatialMap(convolved));  // [B, N, 1]
        attended = attended * at::sigmoid(spatial);
        convolved = toTokens(convolved * at::sigmoid(channel));
        return m_proj(attended + convolved);
    }

private:
    std::int64_t m_heads;
    at::Tensor m_temperature;
    Linear m_qkv;
    Linear m_proj;
    Interaction m_interaction;
};

Block::Block(std::int64_t dim, int heads, const DatParams& p, int group, int index) {
    m_norm1 = std::make_unique<LayerNorm>(*this, "norm1", dim);
    m_norm2 = std::make_unique<LayerNorm>(*this, "norm2", dim);
    if (index % 2 == 0) {
        // Shifted windows in every other spatial block, starting at the second in even groups
        // and at the first in odd ones.
        const bool shifted = group % 2 == 0 ? index > 0 && (index - 2) % 4 == 0 : index % 4 == 0;
        m_spatial =
            register_module("attn", std::make_shared<SpatialAttention>(dim, heads, p, shifted));
    } else {
        m_channel = register_module("attn", std::make_shared<ChannelAttention>(dim, heads, p));
    }
    const std::int64_t hidden = p.ffnHidden;
    m_fc1 = std::make_unique<Linear>(*this, "ffn.fc1", dim, hidden);
    m_gateNorm = std::make_unique<LayerNorm>(*this, "ffn.sg.norm", hidden / 2);
    m_gateConv =
        registerAt(*this, "ffn.sg.conv", conv(hidden / 2, hidden / 2, 3, {.groups = hidden / 2}));
    m_fc2 = std::make_unique<Linear>(*this, "ffn.fc2", hidden / 2, dim);
}

at::Tensor Block::forward(const at::Tensor& x, std::int64_t h, std::int64_t w) {
    const at::Tensor normed = (*m_norm1)(x);
    at::Tensor y =
        x + (m_spatial ? m_spatial->forward(normed, h, w) : m_channel->forward(normed, h, w));
    const auto parts = at::gelu((*m_fc1)((*m_norm2)(y))).chunk(2, -1);
    const at::Tensor gate = toTokens(m_gateConv->forward(toMap((*m_gateNorm)(parts[1]), h, w)));
    return y + (*m_fc2)(parts[0] * gate);
}

ResidualConv::ResidualConv(torch::nn::Module& owner, const std::string& path, std::int64_t dim,
                           bool three) {
    if (!three) {
        first = registerAt(owner, path, conv(dim, dim, 3));
        return;
    }
    first = registerAt(owner, path + ".0", conv(dim, dim / 4, 3));
    middle = registerAt(owner, path + ".2", conv(dim / 4, dim / 4, 1));
    last = registerAt(owner, path + ".4", conv(dim / 4, dim, 3));
}

at::Tensor ResidualConv::operator()(const at::Tensor& x) {
    if (!middle) {
        return first->forward(x);
    }
    constexpr double kSlope = 0.2;
    const at::Tensor y = at::leaky_relu(first->forward(x), kSlope);
    return last->forward(at::leaky_relu(middle->forward(y), kSlope));
}

Group::Group(std::int64_t dim, int depth, int heads, const DatParams& p, int index) {
    for (int b = 0; b < depth; ++b) {
        m_blocks.push_back(registerAt(*this, fmt::format("blocks.{}", b),
                                      std::make_shared<Block>(dim, heads, p, index, b)));
    }
    m_conv = std::make_unique<ResidualConv>(*this, "conv", dim, p.threeConv);
}

at::Tensor Group::forward(const at::Tensor& x, std::int64_t h, std::int64_t w) {
    at::Tensor y = x;
    for (const auto& block : m_blocks) {
        y = block->forward(y, h, w);
    }
    return x + toTokens((*m_conv)(toMap(y, h, w)));
}

}  // namespace upscale::models::dat
