#pragma once
// Architectures known to the product, detected from a state dict's keys and shapes, with their
// hyper-parameters inferred. LibTorch-free: the networks themselves live in network.hpp.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/models/dat_params.hpp"
#include "upscale/models/omnisr_params.hpp"
#include "upscale/models/realplksr_params.hpp"
#include "upscale/models/state_dict.hpp"
#include "upscale/models/window_transformer.hpp"

namespace upscale::models {

enum class Architecture { Compact, RRDBNet, SPAN, RealPLKSR, DAT, OmniSR, SwinIR, HAT };

/// "SRVGGNetCompact", "RRDBNet", "SPAN", "RealPLKSR", "DAT", "OmniSR", "SwinIR", "HAT"
[[nodiscard]] std::string_view architectureName(Architecture arch);
[[nodiscard]] core::Result<Architecture> architectureFromName(std::string_view name);

/// The architectures read, each with the variants detected: "SRVGGNetCompact (Real-ESRGAN
/// Compact), RRDBNet (...), ...".
[[nodiscard]] std::string_view supportedArchitectures();

struct ArchSpec {
    Architecture arch = Architecture::Compact;
    int inChannels = 3;
    int outChannels = 3;
    int numFeat = 64;
    int numConv = 16;  ///< Compact: body convolutions between the first and the last
    int scale = 4;
    int numBlock = 0;           ///< RRDBNet: residual-in-residual dense blocks
    int numGrow = 0;            ///< RRDBNet: growth channels of each dense block
    int numUpsample = 2;        ///< RRDBNet: nearest 2x upsampling convolutions (conv_up1, ...)
    int unshuffle = 1;          ///< RRDBNet: pixel-unshuffle factor of the input (1, 2 or 4)
    bool normalize = true;      ///< SPAN: subtract the RGB mean and scale by 255 first
    RealPlksrParams realplksr;  ///< RealPLKSR only
    DatParams dat;              ///< DAT only
    OmniSrParams omnisr;        ///< OmniSR only
    SwinIRParams swinir;        ///< SwinIR only
    HatParams hat;              ///< HAT only

    /// "SRVGGNetCompact (64 features, 16 convs, 4x)", "RRDBNet (64 features, 23 blocks, 32
    /// growth, 4x)", "SPAN (48 features, 4x)"
    [[nodiscard]] std::string describe() const;
    bool operator==(const ArchSpec&) const = default;
};

/// Feature values alive at once at the peak of a forward pass, per input pixel: what a tile of
/// the input costs in activation memory (times the element size). An estimate for tile sizing.
[[nodiscard]] std::int64_t peakActivationsPerPixel(const ArchSpec& spec);

/// Whether the architecture runs in half precision without overflow or visible loss: its
/// activations stay far below FP16's 65504 and it has no normalisation layers that need FP32
/// accumulation. False for the ones with group norms or attention (RealPLKSR, DAT, OmniSR, and
/// the transformers SwinIR and HAT, whose attention scores and MLP activations exceed FP16's
/// range on real images).
[[nodiscard]] bool isFp16Safe(Architecture arch);

/// Puts equivalent spellings of the same weights under one set of names: strips a "module." or
/// "netG." prefix that every key has (left by multi-GPU training and GAN trainers), and renames
/// the original ESRGAN keys ("model.0", "model.1.sub.N.RDB1.conv1.0", ...) and BSRGAN keys
/// ("RRDB_trunk.N", "trunk_conv", ...) to BasicSR's RRDBNet names ("conv_first",
/// "body.N.rdb1.conv1", ...). Drops the buffers networks recompute from their shapes
/// (".relative_position_index", ".attn_mask_0/1", ".num_batches_tracked") and profiler
/// counters (".total_ops", ".total_params").
[[nodiscard]] StateDict canonicalizeKeys(StateDict weights);

/// Detects the architecture; UnsupportedFormat (listing a few keys and the supported
/// architectures) when the keys match none.
[[nodiscard]] core::Result<ArchSpec> detectArchitecture(const StateDict& weights,
                                                        std::string_view source);

/// Floating-point operations of one forward pass per input pixel: two per multiply-add of every
/// convolution, at the resolution it runs at (activations and additions are left out).
[[nodiscard]] double flopsPerInputPixel(const ArchSpec& spec);

/// Every tensor the architecture has, by name, with its shape.
[[nodiscard]] std::map<std::string, std::vector<std::int64_t>, std::less<>> expectedTensors(
    const ArchSpec& spec);

/// ModelMismatch naming the missing, unexpected and wrongly shaped tensors (a few of each).
[[nodiscard]] core::Result<void> checkWeights(const ArchSpec& spec, const StateDict& weights,
                                              std::string_view source);

}  // namespace upscale::models
