#pragma once
// RealPLKSR (partial large kernel CNN): a 3x3 stem, PLK blocks (doubled channel mixer, a large
// kernel on the leading channels, element-wise attention, 1x1 refinement, group or layer norm),
// a 3x3 head added to the input repeated per sub-pixel, then pixel shuffle or DySample.

#include <memory>
#include <vector>

#include <torch/nn/modules/conv.h>

#include "upscale/models/network.hpp"

namespace upscale::models {

class PlkBlock;
class DySample;

class RealPlksrNet final : public Network {
public:
    explicit RealPlksrNet(const ArchSpec& spec);

    [[nodiscard]] at::Tensor forward(const at::Tensor& input) override;
    [[nodiscard]] int scale() const override { return m_spec.scale; }
    /// Per block: the mixer's two 3x3 convolutions, the large kernel, the attention's 3x3; plus
    /// the stem and the head. Group norm statistics span the whole input, so tiles match the
    /// whole image only approximately in that variant.
    [[nodiscard]] int receptiveRadius() const override;

private:
    ArchSpec m_spec;
    torch::nn::Conv2d m_stem{nullptr};
    std::vector<std::shared_ptr<PlkBlock>> m_blocks;
    torch::nn::Conv2d m_head{nullptr};
    std::shared_ptr<DySample> m_dysample;
};

}  // namespace upscale::models
