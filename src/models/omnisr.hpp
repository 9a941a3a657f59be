#pragma once
// OmniSR (omni self-attention network): the input padded with zeros to a multiple of the
// window, a 3x3 stem, residual groups of OSA blocks (MBConv; window and grid attention over
// tokens; windowed and grid channel attention; gated depthwise FFNs), each group closed by a 1x1
// convolution and an ESA attention; a 3x3 convolution plus the stem's output; pixel shuffle and
// a crop back to the input's size times the scale.

#include <memory>
#include <vector>

#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

namespace omnisr {
class Group;
}  // namespace omnisr

class OmniSrNet final : public Network {
public:
    explicit OmniSrNet(const ArchSpec& spec);
    ~OmniSrNet() override;

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// Channel attention across windows, squeeze-excitation and ESA's pooling see the whole
    /// input, so no radius makes tiles exact; this is the reach of the windows and convolutions.
    [[nodiscard]] int receptiveRadius() const override;

private:
    ArchSpec m_spec;
    torch::nn::Conv2d m_input{nullptr};
    std::vector<std::shared_ptr<omnisr::Group>> m_groups;
    torch::nn::Conv2d m_output{nullptr};
    torch::nn::Conv2d m_up{nullptr};
};

}  // namespace upscale::models
