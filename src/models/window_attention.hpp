#pragma once
// The pieces SwinIR and HAT share: window partitioning, the relative-position index tables, the
// shifted-window mask, multi-head window attention, the token MLP, the residual convolutions,
// the pixel-shuffle upsampler and the padding to the window multiple.
//
// Tokens are (batch, height * width, channels); windows are (batch * windows, tokens, channels),
// row-major inside each window and over the windows of the image.

#include <cstdint>
#include <string>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include "layers.hpp"
#include "upscale/models/architecture.hpp"

namespace upscale::models::window {

/// Pads the bottom and right edges by reflection up to a multiple of `multiple`.
[[nodiscard]] at::Tensor padToMultiple(const at::Tensor& x, int multiple);

/// (B, C, H, W) -> (B, H*W, C) and back.
[[nodiscard]] at::Tensor toTokens(const at::Tensor& image);
[[nodiscard]] at::Tensor toImage(const at::Tensor& tokens, std::int64_t h, std::int64_t w);

/// (B, H, W, C) -> (B * windows, size^2, C) and back.
[[nodiscard]] at::Tensor splitWindows(const at::Tensor& x, std::int64_t size);
[[nodiscard]] at::Tensor mergeWindows(const at::Tensor& windows, std::int64_t size, std::int64_t b,
                                      std::int64_t h, std::int64_t w);

/// For each (query, key) pair of one size x size window, the row of the (2 size - 1)^2 bias
/// table for the key's offset from the query. Flattened, int64, on the CPU.
[[nodiscard]] at::Tensor selfAttentionIndex(int size);

/// HAT's overlapping cross-attention: (query of a size x size window, key of the outer x outer
/// window around it) into a (size + outer - 1)^2 table, wrapped into range the way the published
/// network's negative indices wrap. Flattened, int64, on the CPU.
[[nodiscard]] at::Tensor crossAttentionIndex(int size, int outer);

/// (windows, size^2, size^2): 0 between tokens that were in the same region of the image before
/// the cyclic shift by `shift`, -100 between tokens the shift brought together.
[[nodiscard]] at::Tensor shiftedWindowMask(std::int64_t h, std::int64_t w, int size, int shift,
                                           const at::TensorOptions& options);

/// Softmax attention of q (N, Tq, C) over k and v (N, Tk, C) in `heads` heads, plus `bias`
/// (heads, Tq, Tk) and, when defined, `mask` (windows, Tq, Tk) repeated over the batch.
[[nodiscard]] at::Tensor multiHeadAttention(const at::Tensor& q, const at::Tensor& k,
                                            const at::Tensor& v, std::int64_t heads,
                                            const at::Tensor& bias, const at::Tensor& mask);

/// Gathers a bias table's rows for a flattened index into (heads, Tq, Tk).
[[nodiscard]] at::Tensor gatherBias(const at::Tensor& table, const at::Tensor& index,
                                    std::int64_t tq, std::int64_t tk);

[[nodiscard]] torch::nn::LayerNorm layerNorm(std::int64_t dim);
using detail::conv;

/// fc1 -> GELU -> fc2.
class Mlp final : public torch::nn::Module {
public:
    Mlp(std::int64_t dim, std::int64_t hidden);
    [[nodiscard]] at::Tensor forward(const at::Tensor& x);

private:
    torch::nn::Linear m_fc1{nullptr};
    torch::nn::Linear m_fc2{nullptr};
};

/// Self-attention inside each window with a learnt bias per relative offset (keys
/// relative_position_bias_table, qkv, proj).
class WindowAttention final : public torch::nn::Module {
public:
    WindowAttention(std::int64_t dim, int size, std::int64_t heads);
    /// x: windows (N, size^2, C); mask as multiHeadAttention's; index from selfAttentionIndex.
    [[nodiscard]] at::Tensor forward(const at::Tensor& x, const at::Tensor& mask,
                                     const at::Tensor& index);

private:
    std::int64_t m_heads;
    at::Tensor m_table;
    torch::nn::Linear m_qkv{nullptr};
    torch::nn::Linear m_proj{nullptr};
};

/// Runs `attn` over the windows of tokens (B, H*W, C) rolled up-left by `shift` (with `mask`,
/// the shiftedWindowMask for H x W, when shift > 0) and rolls the result back.
[[nodiscard]] at::Tensor shiftedAttention(WindowAttention& attn, const at::Tensor& tokens,
                                          std::int64_t h, std::int64_t w, int size, int shift,
                                          const at::Tensor& mask, const at::Tensor& index);

/// The convolution closing a group or the body, registered on `parent` under `name` with the
/// checkpoints' key layout (name.weight, or name.0/.2/.4 for three convolutions).
class ResidualConvs {
public:
    ResidualConvs(torch::nn::Module& parent, const std::string& name, std::int64_t dim,
                  ResidualConv kind);
    [[nodiscard]] at::Tensor forward(const at::Tensor& x);

private:
    ResidualConv m_kind;
    torch::nn::Conv2d m_first{nullptr};
    torch::nn::Conv2d m_middle{nullptr};
    torch::nn::Conv2d m_last{nullptr};
};

/// A LayerNorm on the embedded tokens (key patch_embed.norm), or nothing.
class PatchNorm final : public torch::nn::Module {
public:
    PatchNorm(std::int64_t dim, bool enabled);
    [[nodiscard]] at::Tensor forward(const at::Tensor& tokens);

private:
    torch::nn::LayerNorm m_norm{nullptr};
};

/// conv_before_upsample (+ LeakyReLU 0.01), upsample.0, .2, ... (4F and a 2x shuffle each, or 9F
/// and one 3x shuffle), conv_last: the classical upsampler of SwinIR and HAT.
class PixelShuffleHead {
public:
    PixelShuffleHead(torch::nn::Module& parent, std::int64_t embed, std::int64_t feat,
                     std::int64_t out, int scale);
    [[nodiscard]] at::Tensor forward(const at::Tensor& x);

private:
    int m_scale;
    torch::nn::Conv2d m_before{nullptr};
    std::vector<torch::nn::Conv2d> m_stages;
    torch::nn::Conv2d m_last{nullptr};
};

/// An input as the transformers' blocks take it: padded by reflection to the window multiple,
/// the RGB mean (DIV2K; zeros for other channel counts) subtracted and scaled by the image range,
/// with the shifted-window mask for its padded size.
struct PaddedInput {
    at::Tensor x;
    at::Tensor mean;  ///< (1, C, 1, 1)
    at::Tensor mask;
    std::int64_t height = 0;  ///< of the input, before padding
    std::int64_t width = 0;
    std::int64_t paddedHeight = 0;
    std::int64_t paddedWidth = 0;
};
[[nodiscard]] PaddedInput prepareInput(const at::Tensor& input, int channels, int window,
                                       double range);

/// The network's output scaled back from the image range, the mean added back, cropped to
/// `scale` times the input's size.
[[nodiscard]] at::Tensor finishOutput(const at::Tensor& out, const PaddedInput& in, double range,
                                      int scale);

/// How far information travels through the groups: a window per pair of shifted blocks, plus
/// `extra` pixels per group, plus the convolutions.
[[nodiscard]] int windowReach(const WindowTransformerShape& shape, int extraPerGroup);

}  // namespace upscale::models::window
