#include "compact.hpp"

#include <ATen/ATen.h>

#include "layers.hpp"

namespace upscale::models {

namespace {
using detail::conv;
}  // namespace

CompactNet::CompactNet(const ArchSpec& spec) : m_spec(spec) {
    // Module names follow PyTorch's SRVGGNetCompact exactly ("body.0.weight", "body.1.weight",
    // ...) so that state dicts map one to one.
    m_body = register_module("body", torch::nn::ModuleList());
    auto addConv = [this](int in, int out) {
        m_convs.push_back(conv(in, out, 3));
        m_body->push_back(m_convs.back());
    };
    auto addActivation = [this]() {
        m_activations.push_back(
            torch::nn::PReLU(torch::nn::PReLUOptions().num_parameters(m_spec.numFeat)));
        m_body->push_back(m_activations.back());
    };
    addConv(spec.inChannels, spec.numFeat);
    addActivation();
    for (int i = 0; i < spec.numConv; ++i) {
        addConv(spec.numFeat, spec.numFeat);
        addActivation();
    }
    addConv(spec.numFeat, spec.outChannels * spec.scale * spec.scale);
}

at::Tensor CompactNet::forward(const at::Tensor& input) {
    at::Tensor out = input;
    for (std::size_t i = 0; i < m_convs.size(); ++i) {
        out = m_convs[i]->forward(out);
        if (i < m_activations.size()) {
            out = m_activations[i]->forward(out);
        }
    }
    out = at::pixel_shuffle(out, m_spec.scale);
    // The residual is the nearest-neighbour upscaled input: with an integer scale this is an
    // exact repeat of every pixel.
    const auto h = input.size(2) * m_spec.scale;
    const auto w = input.size(3) * m_spec.scale;
    return out + at::upsample_nearest2d(input, {h, w});
}

}  // namespace upscale::models
