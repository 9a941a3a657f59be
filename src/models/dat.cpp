#include "dat.hpp"

#include <ATen/ATen.h>
#include <fmt/format.h>

#include "dat_layers.hpp"
#include "layers.hpp"
#include "module_path.hpp"

namespace upscale::models {

namespace {

using detail::parameterAt;
using detail::registerAt;

// DAT subtracts the DIV2K RGB mean (nothing for other channel counts) and adds it back.
using detail::kDiv2kRgbMean;
constexpr double kDatNormEps = 1e-5;
constexpr double kDatUpsampleSlope = 0.01;  // nn.LeakyReLU's default, before the upsampler

using detail::conv;

}  // namespace

DatNet::DatNet(const ArchSpec& spec) : m_spec(spec) {
    const auto& p = spec.dat;
    const std::int64_t f = spec.numFeat;
    m_first = registerAt(*this, "conv_first", conv(spec.inChannels, f, 3));
    m_tokensNormWeight = parameterAt(*this, "before_RG.1.weight", at::ones({f}));
    m_tokensNormBias = parameterAt(*this, "before_RG.1.bias", at::zeros({f}));
    for (std::size_t g = 0; g < p.depths.size(); ++g) {
        m_layers.push_back(registerAt(
            *this, fmt::format("layers.{}", g),
            std::make_shared<dat::Group>(f, p.depths[g], p.heads[g], p, static_cast<int>(g))));
    }
    m_normWeight = parameterAt(*this, "norm.weight", at::ones({f}));
    m_normBias = parameterAt(*this, "norm.bias", at::zeros({f}));
    m_afterBody = std::make_unique<dat::ResidualConv>(*this, "conv_after_body", f, p.threeConv);
    const std::int64_t s2 = std::int64_t{spec.scale} * spec.scale;
    if (p.direct) {
        m_upsample.push_back(registerAt(*this, "upsample.0", conv(f, spec.outChannels * s2, 3)));
        return;
    }
    const std::int64_t nf = p.upsampleFeat;
    m_beforeUpsample = registerAt(*this, "conv_before_upsample.0", conv(f, nf, 3));
    if (spec.scale == 3) {
        m_upsample.push_back(registerAt(*this, "upsample.0", conv(nf, 9 * nf, 3)));
    } else {
        for (int step = 0; (1 << step) < spec.scale; ++step) {
            m_upsample.push_back(
                registerAt(*this, fmt::format("upsample.{}", 2 * step), conv(nf, 4 * nf, 3)));
        }
    }
    m_last = registerAt(*this, "conv_last", conv(nf, spec.outChannels, 3));
}

DatNet::~DatNet() = default;

int DatNet::receptiveRadius() const {
    // Per block: a window (shifted by half of one) or the depthwise 3x3s; per group the
    // residual convolution; the stem and the upsampler's convolutions.
    const int window = std::max(m_spec.dat.splitHeight, m_spec.dat.splitWidth);
    int radius = 4;
    for (const int depth : m_spec.dat.depths) {
        radius += depth * (window + 2) + 2;
    }
    return radius;
}

at::Tensor DatNet::forward(const at::Tensor& input) {
    at::Tensor mean = m_spec.inChannels == 3
                          ? at::tensor({kDiv2kRgbMean[0], kDiv2kRgbMean[1], kDiv2kRgbMean[2]})
                          : at::zeros({m_spec.inChannels});
    mean = mean.view({1, -1, 1, 1}).to(input.options());
    const std::int64_t h = input.size(2);
    const std::int64_t w = input.size(3);
    const at::Tensor features = m_first->forward(input - mean);
    const std::int64_t f = features.size(1);
    at::Tensor tokens = at::layer_norm(features.flatten(2).transpose(1, 2), {f}, m_tokensNormWeight,
                                       m_tokensNormBias, kDatNormEps);
    for (const auto& group : m_layers) {
        tokens = group->forward(tokens, h, w);
    }
    tokens = at::layer_norm(tokens, {f}, m_normWeight, m_normBias, kDatNormEps);
    at::Tensor x =
        (*m_afterBody)(tokens.transpose(1, 2).reshape({input.size(0), f, h, w})) + features;
    if (m_spec.dat.direct) {
        return at::pixel_shuffle(m_upsample.front()->forward(x), m_spec.scale) + mean;
    }
    x = at::leaky_relu(m_beforeUpsample->forward(x), kDatUpsampleSlope);
    for (auto& step : m_upsample) {
        x = at::pixel_shuffle(step->forward(x), m_spec.scale == 3 ? 3 : 2);
    }
    return m_last->forward(x) + mean;
}

}  // namespace upscale::models
