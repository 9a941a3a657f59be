#pragma once
// Hyper-parameters of the window-attention transformers SwinIR and HAT, as detected from their
// weights. ArchSpec holds one SwinIRParams and one HatParams; only the detected architecture's is
// filled in.

#include <vector>

namespace upscale::models {

/// What SwinIR and HAT share: groups of window-attention blocks over the tokens of a convolutional
/// embedding, each group closed by a convolution and a skip connection.
struct WindowTransformerShape {
    int embedDim = 0;         ///< token width (conv_first's output channels)
    std::vector<int> depths;  ///< blocks in each group
    std::vector<int> heads;   ///< attention heads in each group
    int windowSize = 0;       ///< side of the square attention windows; inputs are padded to it
    int mlpHidden = 0;        ///< hidden width of each block's MLP
    bool patchNorm = true;    ///< a LayerNorm on the embedded tokens (patch_embed.norm)
    int upsampleFeat = 0;     ///< channels of the upsampler's convolutions (num_feat); 0 if none
    bool operator==(const WindowTransformerShape&) const = default;
};

/// The convolution closing each group and the body: one 3x3, three (3x3 to a quarter of the
/// channels, 1x1, 3x3 back, LeakyReLU between), or none (HAT's "identity").
enum class ResidualConv { One, Three, Identity };

enum class SwinUpsampler {
    PixelShuffle,        ///< classical SR: conv, pixel-shuffle stages, conv (2x, 3x, 4x, 8x)
    PixelShuffleDirect,  ///< lightweight SR: one conv and one pixel shuffle
    NearestConv,         ///< real-world SR: nearest 2x steps, each followed by a conv (2x, 4x)
    None,                ///< denoising and JPEG artefact removal: same size, residual output
};

struct SwinIRParams {
    WindowTransformerShape shape;
    SwinUpsampler upsampler = SwinUpsampler::PixelShuffle;
    ResidualConv residual = ResidualConv::One;
    /// Side of the training patches the shifted blocks' stored attention masks were made for (the
    /// masks are recomputed for each input); 0 when the file stores none.
    int maskSize = 0;
    /// Pixel values are multiplied by this inside the network: 255 for the JPEG models (the
    /// only ones with window 7), else 1.
    double imageRange = 1.0;
    bool operator==(const SwinIRParams&) const = default;
};

struct HatParams {
    WindowTransformerShape shape;
    int overlapWindow = 0;   ///< side of the key window of the overlapping cross-attention
    int convCompressed = 0;  ///< channels inside each block's convolution branch
    int convSqueezed = 0;    ///< channels inside that branch's channel attention
    ResidualConv residual = ResidualConv::One;  ///< One or Identity
    bool operator==(const HatParams&) const = default;
};

}  // namespace upscale::models
