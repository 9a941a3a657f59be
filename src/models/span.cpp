#include "span.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/csrc/autograd/grad_mode.h>
#include <torch/nn/modules/container/sequential.h>

#include "layers.hpp"

namespace upscale::models {

namespace {

// SPAN normalises RGB input with the DIV2K mean, scaled to 0..255; it does not undo it at the
// output (the network learnt that).
using detail::conv;
using detail::kDiv2kRgbMean;
constexpr double kSpanImageRange = 255.0;

}  // namespace

class Conv3xc final : public torch::nn::Module {
public:
    Conv3xc(std::int64_t cin, std::int64_t cout) {
        m_sk = register_module("sk", conv(cin, cout, 1, {.padding = 0}));
        m_expand = conv(cin, 2 * cin, 1, {.padding = 0});
        m_spatial = conv(2 * cin, 2 * cout, 3, {.padding = 0});
        m_reduce = conv(2 * cout, cout, 1, {.padding = 0});
        register_module("conv", torch::nn::Sequential(m_expand, m_spatial, m_reduce));
        m_eval = register_module("eval_conv", conv(cin, cout, 3, {.padding = 1}));
    }

    at::Tensor forward(const at::Tensor& x) { return m_eval->forward(x); }

    /// eval_conv = conv.2 o conv.1 o conv.0 + sk, all linear, folded in float32.
    void fold() {
        const auto f32 = [](const at::Tensor& t) { return t.to(at::kFloat); };
        const auto w1 = f32(m_expand->weight).flatten(1);  // [m, i]
        const auto b1 = f32(m_expand->bias);
        const auto w2 = f32(m_spatial->weight);  // [o, m, 3, 3]
        const auto b2 = f32(m_spatial->bias);
        const auto w3 = f32(m_reduce->weight).flatten(1);  // [p, o]
        const auto b3 = f32(m_reduce->bias);
        // W12[o, i] = sum_m w2[o, m] w1[m, i]; b12[o] = sum_{m,y,x} w2[o, m, y, x] b1[m] + b2[o]
        const auto w12 = at::matmul(w2.permute({0, 2, 3, 1}), w1).permute({0, 3, 1, 2});
        const auto b12 = (w2 * b1.view({1, -1, 1, 1})).sum({1, 2, 3}) + b2;
        auto weight = at::matmul(w3, w12.flatten(1)).view({w3.size(0), w12.size(1), 3, 3});
        auto bias = at::matmul(w3, b12) + b3;
        weight.select(2, 1).select(2, 1).add_(f32(m_sk->weight).flatten(1));
        bias.add_(f32(m_sk->bias));
        m_eval->weight.set_data(weight.to(m_eval->weight.dtype()));
        m_eval->bias.set_data(bias.to(m_eval->bias.dtype()));
    }

private:
    torch::nn::Conv2d m_sk{nullptr};
    torch::nn::Conv2d m_expand{nullptr};
    torch::nn::Conv2d m_spatial{nullptr};
    torch::nn::Conv2d m_reduce{nullptr};
    torch::nn::Conv2d m_eval{nullptr};
};

/// SPAB: three Conv3XC with SiLU between them and a parameter-free attention on the sum.
class AttentionBlock final : public torch::nn::Module {
public:
    explicit AttentionBlock(std::int64_t feat) {
        m_c1 = register_module("c1_r", std::make_shared<Conv3xc>(feat, feat));
        m_c2 = register_module("c2_r", std::make_shared<Conv3xc>(feat, feat));
        m_c3 = register_module("c3_r", std::make_shared<Conv3xc>(feat, feat));
    }

    /// The block's output and its first layer's (which SPAN reuses for its last block).
    std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& x) {
        at::Tensor first = m_c1->forward(x);
        at::Tensor out = m_c3->forward(at::silu(m_c2->forward(at::silu(first))));
        const at::Tensor attention = at::sigmoid(out) - 0.5;
        return {(out + x) * attention, first};
    }

    void fold() {
        for (const auto& c : {m_c1, m_c2, m_c3}) {
            c->fold();
        }
    }

private:
    std::shared_ptr<Conv3xc> m_c1;
    std::shared_ptr<Conv3xc> m_c2;
    std::shared_ptr<Conv3xc> m_c3;
};

SpanNet::SpanNet(const ArchSpec& spec) : m_spec(spec) {
    const std::int64_t f = spec.numFeat;
    m_conv1 = register_module("conv_1", std::make_shared<Conv3xc>(spec.inChannels, f));
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        m_blocks[b] =
            register_module(fmt::format("block_{}", b + 1), std::make_shared<AttentionBlock>(f));
    }
    m_conv2 = register_module("conv_2", std::make_shared<Conv3xc>(f, f));
    m_convCat = register_module("conv_cat", conv(4 * f, f, 1, {.padding = 0}));
    m_upsampler =
        conv(f, std::int64_t{spec.outChannels} * spec.scale * spec.scale, 3, {.padding = 1});
    register_module("upsampler", torch::nn::Sequential(m_upsampler));
    // A buffer, so that it moves with the module to its device and dtype: forward() then copies
    // nothing from the host (which would block every call, and cannot be captured in a graph).
    const at::Tensor mean =
        spec.inChannels == 3
            ? at::tensor({kDiv2kRgbMean[0], kDiv2kRgbMean[1], kDiv2kRgbMean[2]}, at::kFloat)
            : at::zeros({spec.inChannels}, at::kFloat);
    m_mean = register_buffer("mean", mean.view({1, -1, 1, 1}));
}

void SpanNet::finishLoading() {
    torch::NoGradGuard noGrad;
    m_conv1->fold();
    for (const auto& block : m_blocks) {
        block->fold();
    }
    m_conv2->fold();
}

at::Tensor SpanNet::forward(const at::Tensor& input) {
    at::Tensor x = input;
    if (m_spec.normalize) {
        x = (x - m_mean) * kSpanImageRange;
    }
    const at::Tensor features = m_conv1->forward(x);
    at::Tensor out = features;
    at::Tensor firstBlockOut;
    at::Tensor lastBlockFirst;
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        auto [next, first] = m_blocks[b]->forward(out);
        out = next;
        if (b == 0) {
            firstBlockOut = out;
        }
        lastBlockFirst = first;
    }
    out = m_conv2->forward(out);
    out = m_convCat->forward(at::cat({features, out, firstBlockOut, lastBlockFirst}, 1));
    return at::pixel_shuffle(m_upsampler->forward(out), m_spec.scale);
}

}  // namespace upscale::models
