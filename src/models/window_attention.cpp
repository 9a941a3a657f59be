#include "window_attention.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <ATen/ATen.h>

namespace upscale::models::window {

namespace {

constexpr double kMaskedOut = -100.0;
constexpr double kBeforeUpsampleSlope = 0.01;  // nn.LeakyReLU's default
constexpr double kResidualSlope = 0.2;

}  // namespace

at::Tensor padToMultiple(const at::Tensor& x, int multiple) {
    at::Tensor out = x;
    // Reflection needs a pad shorter than the side: a tile smaller than the window is reflected
    // again until it reaches the multiple; a side of one pixel is repeated.
    while (true) {
        const std::int64_t h = out.size(2);
        const std::int64_t w = out.size(3);
        const std::int64_t needH = (multiple - h % multiple) % multiple;
        const std::int64_t needW = (multiple - w % multiple) % multiple;
        if (needH == 0 && needW == 0) {
            return out;
        }
        if (h == 1 || w == 1) {
            return at::replication_pad2d(out, {0, needW, 0, needH});
        }
        out = at::reflection_pad2d(out, {0, std::min(needW, w - 1), 0, std::min(needH, h - 1)});
    }
}

at::Tensor toTokens(const at::Tensor& image) {
    return image.flatten(2).transpose(1, 2);
}

at::Tensor toImage(const at::Tensor& tokens, std::int64_t h, std::int64_t w) {
    return tokens.transpose(1, 2).reshape({tokens.size(0), tokens.size(2), h, w});
}

at::Tensor splitWindows(const at::Tensor& x, std::int64_t size) {
    const std::int64_t b = x.size(0);
    const std::int64_t h = x.size(1);
    const std::int64_t w = x.size(2);
    const std::int64_t c = x.size(3);
    return x.reshape({b, h / size, size, w / size, size, c})
        .transpose(2, 3)
        .reshape({-1, size * size, c});
}

at::Tensor mergeWindows(const at::Tensor& windows, std::int64_t size, std::int64_t b,
                        std::int64_t h, std::int64_t w) {
    const std::int64_t c = windows.size(-1);
    return windows.reshape({b, h / size, w / size, size, size, c})
        .transpose(2, 3)
        .reshape({b, h, w, c});
}

namespace {

/// Row and column of each position of a side x side window, as (side^2, 1) and (1, side^2).
std::pair<at::Tensor, at::Tensor> coordinates(int side, bool column) {
    const at::Tensor range = at::arange(side, at::kLong);
    at::Tensor ys = range.view({side, 1}).expand({side, side}).reshape({-1});
    at::Tensor xs = range.view({1, side}).expand({side, side}).reshape({-1});
    if (column) {
        return {ys.view({-1, 1}), xs.view({-1, 1})};
    }
    return {ys.view({1, -1}), xs.view({1, -1})};
}

}  // namespace

at::Tensor selfAttentionIndex(int size) {
    const auto [qy, qx] = coordinates(size, true);
    const auto [ky, kx] = coordinates(size, false);
    const at::Tensor index = (qy - ky + (size - 1)) * (2 * size - 1) + (qx - kx + (size - 1));
    return index.reshape({-1}).contiguous();
}

at::Tensor crossAttentionIndex(int size, int outer) {
    const auto [qy, qx] = coordinates(size, true);
    const auto [ky, kx] = coordinates(outer, false);
    const std::int64_t side = size + outer - 1;
    const std::int64_t shift = size - outer + 1;
    const at::Tensor index = (ky - qy + shift) * side + (kx - qx + shift);
    return at::remainder(index, side * side).reshape({-1}).contiguous();
}

at::Tensor shiftedWindowMask(std::int64_t h, std::int64_t w, int size, int shift,
                             const at::TensorOptions& options) {
    // Regions before the shift: [0, n - size), [n - size, n - shift), [n - shift, n).
    auto regions = [&](std::int64_t n) {
        at::Tensor label = at::zeros({n}, at::kLong);
        label.narrow(0, n - size, size - shift).fill_(1);
        label.narrow(0, n - shift, shift).fill_(2);
        return label;
    };
    const at::Tensor labels = regions(h).view({h, 1}) * 3 + regions(w).view({1, w});
    const at::Tensor windows = splitWindows(labels.view({1, h, w, 1}), size).squeeze(-1);
    const at::Tensor differs = windows.unsqueeze(1) != windows.unsqueeze(2);
    return (differs.to(at::kFloat) * kMaskedOut).to(options);
}

at::Tensor multiHeadAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                              std::int64_t heads, const at::Tensor& bias, const at::Tensor& mask) {
    const std::int64_t n = q.size(0);
    const std::int64_t tq = q.size(1);
    const std::int64_t tk = k.size(1);
    const std::int64_t c = q.size(2);
    const std::int64_t d = c / heads;
    const at::Tensor qh =
        q.reshape({n, tq, heads, d}).transpose(1, 2) * std::pow(static_cast<double>(d), -0.5);
    const at::Tensor kh = k.reshape({n, tk, heads, d}).transpose(1, 2);
    const at::Tensor vh = v.reshape({n, tk, heads, d}).transpose(1, 2);
    at::Tensor scores = at::matmul(qh, kh.transpose(-2, -1)) + bias.unsqueeze(0);
    if (mask.defined()) {
        const std::int64_t windows = mask.size(0);
        scores =
            (scores.view({n / windows, windows, heads, tq, tk}) + mask.unsqueeze(1).unsqueeze(0))
                .view({n, heads, tq, tk});
    }
    return at::matmul(at::softmax(scores, -1), vh).transpose(1, 2).reshape({n, tq, c});
}

at::Tensor gatherBias(const at::Tensor& table, const at::Tensor& index, std::int64_t tq,
                      std::int64_t tk) {
    return table.index_select(0, index.to(table.device()))
        .view({tq, tk, table.size(1)})
        .permute({2, 0, 1});
}

torch::nn::LayerNorm layerNorm(std::int64_t dim) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim}).eps(1e-5));
}

Mlp::Mlp(std::int64_t dim, std::int64_t hidden) {
    m_fc1 = register_module("fc1", torch::nn::Linear(dim, hidden));
    m_fc2 = register_module("fc2", torch::nn::Linear(hidden, dim));
}

at::Tensor Mlp::forward(const at::Tensor& x) {
    return m_fc2->forward(at::gelu(m_fc1->forward(x)));
}

WindowAttention::WindowAttention(std::int64_t dim, int size, std::int64_t heads) : m_heads(heads) {
    const std::int64_t side = 2 * std::int64_t{size} - 1;
    m_table = register_parameter("relative_position_bias_table", at::zeros({side * side, heads}));
    m_qkv = register_module("qkv", torch::nn::Linear(dim, 3 * dim));
    m_proj = register_module("proj", torch::nn::Linear(dim, dim));
}

at::Tensor WindowAttention::forward(const at::Tensor& x, const at::Tensor& mask,
                                    const at::Tensor& index) {
    const auto qkv = m_qkv->forward(x).chunk(3, -1);
    const std::int64_t t = x.size(1);
    return m_proj->forward(multiHeadAttention(qkv[0], qkv[1], qkv[2], m_heads,
                                              gatherBias(m_table, index, t, t), mask));
}

at::Tensor shiftedAttention(WindowAttention& attn, const at::Tensor& tokens, std::int64_t h,
                            std::int64_t w, int size, int shift, const at::Tensor& mask,
                            const at::Tensor& index) {
    const std::int64_t b = tokens.size(0);
    const std::int64_t c = tokens.size(2);
    at::Tensor grid = tokens.view({b, h, w, c});
    if (shift > 0) {
        grid = at::roll(grid, {-shift, -shift}, {1, 2});
    }
    at::Tensor out =
        mergeWindows(attn.forward(splitWindows(grid, size), shift > 0 ? mask : at::Tensor(), index),
                     size, b, h, w);
    if (shift > 0) {
        out = at::roll(out, {shift, shift}, {1, 2});
    }
    return out.reshape({b, h * w, c});
}

ResidualConvs::ResidualConvs(torch::nn::Module& parent, const std::string& name, std::int64_t dim,
                             ResidualConv kind)
    : m_kind(kind) {
    if (kind == ResidualConv::One) {
        m_first = parent.register_module(name, conv(dim, dim, 3));
    } else if (kind == ResidualConv::Three) {
        auto holder = std::make_shared<torch::nn::Module>();
        m_first = holder->register_module("0", conv(dim, dim / 4, 3));
        m_middle = holder->register_module("2", conv(dim / 4, dim / 4, 1));
        m_last = holder->register_module("4", conv(dim / 4, dim, 3));
        parent.register_module(name, holder);
    }
}

at::Tensor ResidualConvs::forward(const at::Tensor& x) {
    switch (m_kind) {
        case ResidualConv::One:
            return m_first->forward(x);
        case ResidualConv::Three: {
            const at::Tensor y = at::leaky_relu(m_first->forward(x), kResidualSlope);
            return m_last->forward(at::leaky_relu(m_middle->forward(y), kResidualSlope));
        }
        case ResidualConv::Identity:
            return x;
    }
    return x;
}

PatchNorm::PatchNorm(std::int64_t dim, bool enabled) {
    if (enabled) {
        m_norm = register_module("norm", layerNorm(dim));
    }
}

at::Tensor PatchNorm::forward(const at::Tensor& tokens) {
    return m_norm ? m_norm->forward(tokens) : tokens;
}

PixelShuffleHead::PixelShuffleHead(torch::nn::Module& parent, std::int64_t embed, std::int64_t feat,
                                   std::int64_t out, int scale)
    : m_scale(scale) {
    auto before = std::make_shared<torch::nn::Module>();
    m_before = before->register_module("0", conv(embed, feat, 3));
    parent.register_module("conv_before_upsample", before);
    auto upsample = std::make_shared<torch::nn::Module>();
    if (scale == 3) {
        m_stages.push_back(upsample->register_module("0", conv(feat, 9 * feat, 3)));
    }
    for (int stage = 0; scale != 3 && (1 << stage) < scale; ++stage) {
        m_stages.push_back(
            upsample->register_module(std::to_string(2 * stage), conv(feat, 4 * feat, 3)));
    }
    parent.register_module("upsample", upsample);
    m_last = parent.register_module("conv_last", conv(feat, out, 3));
}

at::Tensor PixelShuffleHead::forward(const at::Tensor& x) {
    at::Tensor y = at::leaky_relu(m_before->forward(x), kBeforeUpsampleSlope);
    for (auto& stage : m_stages) {
        y = at::pixel_shuffle(stage->forward(y), m_scale == 3 ? 3 : 2);
    }
    return m_last->forward(y);
}

PaddedInput prepareInput(const at::Tensor& input, int channels, int window, double range) {
    PaddedInput in;
    in.height = input.size(2);
    in.width = input.size(3);
    in.mean = (channels == 3 ? at::tensor({detail::kDiv2kRgbMean[0], detail::kDiv2kRgbMean[1],
                                           detail::kDiv2kRgbMean[2]},
                                          at::kFloat)
                             : at::zeros({channels}, at::kFloat))
                  .view({1, -1, 1, 1})
                  .to(input.options());
    in.x = (padToMultiple(input, window) - in.mean) * range;
    in.paddedHeight = in.x.size(2);
    in.paddedWidth = in.x.size(3);
    in.mask =
        shiftedWindowMask(in.paddedHeight, in.paddedWidth, window, window / 2, in.x.options());
    return in;
}

at::Tensor finishOutput(const at::Tensor& out, const PaddedInput& in, double range, int scale) {
    return (out / range + in.mean).narrow(2, 0, in.height * scale).narrow(3, 0, in.width * scale);
}

int windowReach(const WindowTransformerShape& shape, int extraPerGroup) {
    int blocks = 0;
    for (const int d : shape.depths) {
        blocks += d;
    }
    const auto groups = static_cast<int>(shape.depths.size());
    return shape.windowSize * (blocks / 2 + 1) + groups * extraPerGroup + 8;
}

}  // namespace upscale::models::window
