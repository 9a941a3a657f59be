#include "rrdb.hpp"

#include <array>
#include <string>

#include <ATen/ATen.h>
#include <fmt/format.h>
#include <torch/nn/modules/container/modulelist.h>

#include "layers.hpp"

namespace upscale::models {

namespace {

constexpr double kSlope = 0.2;     // LeakyReLU everywhere in RRDBNet
constexpr double kResidual = 0.2;  // residual scaling of every dense block and RRDB

using detail::conv;

at::Tensor lrelu(const at::Tensor& x) {
    return at::leaky_relu(x, kSlope);
}

/// Five densely connected convolutions: each sees the input and every earlier output.
class DenseBlock final : public torch::nn::Module {
public:
    DenseBlock(std::int64_t feat, std::int64_t grow) {
        for (std::size_t c = 0; c < m_convs.size(); ++c) {
            const std::int64_t in = feat + static_cast<std::int64_t>(c) * grow;
            const std::int64_t out = c + 1 == m_convs.size() ? feat : grow;
            m_convs[c] = register_module(fmt::format("conv{}", c + 1), conv(in, out, 3));
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        std::vector<at::Tensor> features = {x};
        for (std::size_t c = 0; c + 1 < m_convs.size(); ++c) {
            features.push_back(lrelu(m_convs[c]->forward(at::cat(features, 1))));
        }
        return m_convs.back()->forward(at::cat(features, 1)) * kResidual + x;
    }

private:
    std::array<torch::nn::Conv2d, 5> m_convs{nullptr, nullptr, nullptr, nullptr, nullptr};
};

}  // namespace

/// Three dense blocks with a scaled residual around them.
class ResidualDenseBlock final : public torch::nn::Module {
public:
    ResidualDenseBlock(std::int64_t feat, std::int64_t grow) {
        for (std::size_t r = 0; r < m_rdbs.size(); ++r) {
            m_rdbs[r] = register_module(fmt::format("rdb{}", r + 1),
                                        std::make_shared<DenseBlock>(feat, grow));
        }
    }

    at::Tensor forward(const at::Tensor& x) {
        at::Tensor out = x;
        for (const auto& rdb : m_rdbs) {
            out = rdb->forward(out);
        }
        return out * kResidual + x;
    }

private:
    std::array<std::shared_ptr<DenseBlock>, 3> m_rdbs;
};

RrdbNet::RrdbNet(const ArchSpec& spec) : m_spec(spec) {
    // Module names follow BasicSR's RRDBNet ("conv_first", "body.0.rdb1.conv1", ...); the other
    // key styles are renamed to these when the file is loaded.
    const std::int64_t f = spec.numFeat;
    const std::int64_t in = std::int64_t{spec.inChannels} * spec.unshuffle * spec.unshuffle;
    m_convFirst = register_module("conv_first", conv(in, f, 3));
    auto body = register_module("body", torch::nn::ModuleList());
    for (int b = 0; b < spec.numBlock; ++b) {
        m_blocks.push_back(std::make_shared<ResidualDenseBlock>(f, spec.numGrow));
        body->push_back(m_blocks.back());
    }
    m_convBody = register_module("conv_body", conv(f, f, 3));
    for (int u = 1; u <= spec.numUpsample; ++u) {
        m_convUp.push_back(register_module(fmt::format("conv_up{}", u), conv(f, f, 3)));
    }
    m_convHr = register_module("conv_hr", conv(f, f, 3));
    m_convLast = register_module("conv_last", conv(f, spec.outChannels, 3));
}

at::Tensor RrdbNet::forward(const at::Tensor& input) {
    const std::int64_t h = input.size(2);
    const std::int64_t w = input.size(3);
    at::Tensor feat = input;
    const int factor = m_spec.unshuffle;
    if (factor > 1) {
        // Pixel-unshuffle needs sides divisible by the factor: mirror the image out to the next
        // multiple (as the reference implementation does) and crop the result back below.
        const std::int64_t padH = (factor - h % factor) % factor;
        const std::int64_t padW = (factor - w % factor) % factor;
        if (padH > 0 || padW > 0) {
            feat = padH < h && padW < w ? at::reflection_pad2d(feat, {0, padW, 0, padH})
                                        : at::replication_pad2d(feat, {0, padW, 0, padH});
        }
        feat = at::pixel_unshuffle(feat, factor);
    }
    feat = m_convFirst->forward(feat);
    at::Tensor trunk = feat;
    for (const auto& block : m_blocks) {
        trunk = block->forward(trunk);
    }
    feat = feat + m_convBody->forward(trunk);
    for (auto& up : m_convUp) {
        feat =
            lrelu(up->forward(at::upsample_nearest2d(feat, {feat.size(2) * 2, feat.size(3) * 2})));
    }
    at::Tensor out = m_convLast->forward(lrelu(m_convHr->forward(feat)));
    if (factor > 1) {
        out = out.narrow(2, 0, h * m_spec.scale).narrow(3, 0, w * m_spec.scale);
    }
    return out;
}

}  // namespace upscale::models
