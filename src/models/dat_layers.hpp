#pragma once
// The building blocks of DAT's LibTorch network (dat.cpp): linear and normalisation layers
// held as plain parameters under their state-dict names, the position-bias MLP, the two
// attentions and the spatial-gate FFN.

#include <memory>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

#include "upscale/models/dat_params.hpp"

namespace upscale::models::dat {

struct Linear {
    at::Tensor weight;
    at::Tensor bias;  ///< undefined when the layer has none
    Linear(torch::nn::Module& owner, const std::string& path, std::int64_t in, std::int64_t out,
           bool bias = true);
    [[nodiscard]] at::Tensor operator()(const at::Tensor& x) const;
};

struct LayerNorm {
    at::Tensor weight;
    at::Tensor bias;
    LayerNorm(torch::nn::Module& owner, const std::string& path, std::int64_t dim);
    [[nodiscard]] at::Tensor operator()(const at::Tensor& x) const;
};

/// The depthwise-convolution branch and the interaction maps both kinds of block have.
class Interaction;

/// [B, H*W, C] tokens of an H x W map.
class SpatialAttention;
class ChannelAttention;

/// norm1 -> attention -> residual, norm2 -> spatial-gate FFN -> residual.
class Block final : public torch::nn::Module {
public:
    Block(std::int64_t dim, int heads, const DatParams& p, int group, int index);
    [[nodiscard]] at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w);

private:
    std::unique_ptr<LayerNorm> m_norm1;
    std::unique_ptr<LayerNorm> m_norm2;
    std::shared_ptr<SpatialAttention> m_spatial;
    std::shared_ptr<ChannelAttention> m_channel;
    std::unique_ptr<Linear> m_fc1;
    std::unique_ptr<LayerNorm> m_gateNorm;
    torch::nn::Conv2d m_gateConv{nullptr};
    std::unique_ptr<Linear> m_fc2;
};

/// One 3x3 convolution, or 3x3 -> 1x1 -> 3x3 through a quarter of the features ("3conv").
struct ResidualConv {
    torch::nn::Conv2d first{nullptr};
    torch::nn::Conv2d middle{nullptr};
    torch::nn::Conv2d last{nullptr};
    ResidualConv(torch::nn::Module& owner, const std::string& path, std::int64_t dim, bool three);
    [[nodiscard]] at::Tensor operator()(const at::Tensor& x);
};

/// A residual group: its blocks, then the residual convolution, plus its input.
class Group final : public torch::nn::Module {
public:
    Group(std::int64_t dim, int depth, int heads, const DatParams& p, int index);
    [[nodiscard]] at::Tensor forward(const at::Tensor& x, std::int64_t h, std::int64_t w);

private:
    std::vector<std::shared_ptr<Block>> m_blocks;
    std::unique_ptr<ResidualConv> m_conv;
};

}  // namespace upscale::models::dat
