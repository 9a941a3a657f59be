#pragma once
// SRVGGNetCompact (Real-ESRGAN's "Compact"): a plain chain of 3x3 convolutions with PReLU,
// a pixel shuffle, and the nearest-upscaled input added back.

#include <vector>

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

class CompactNet final : public Network {
public:
    explicit CompactNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    [[nodiscard]] int receptiveRadius() const override { return m_spec.numConv + 2; }

private:
    ArchSpec m_spec;
    torch::nn::ModuleList m_body;
    std::vector<torch::nn::Conv2d> m_convs;
    std::vector<torch::nn::PReLU> m_activations;
};

}  // namespace upscale::models
