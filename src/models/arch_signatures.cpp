// Key signatures of architectures the loader cannot run, so that a refusal names what the file
// is. They are consulted only after every supported architecture's detection has failed, so a
// signature of an architecture that becomes supported never decides what a file is.

#include <array>

#include "arch_detail.hpp"

namespace upscale::models::detail {

namespace {

struct Signature {
    std::string_view name;
    std::array<std::string_view, 3> keys;  ///< all present (empty ones are unused)
};

// The more specific signatures come first: HAT, Swin2SR and ATD extend SwinIR's layout, and
// RGT shares DAT's entry layers.
constexpr std::array<Signature, 10> kSignatures = {{
    {"ATD", {"layers.0.residual_group.td", "layers.0.residual_group.layers.0.attn_atd.scale"}},
    {"HAT",
     {"relative_position_index_SA", "layers.0.residual_group.blocks.0.conv_block.cab.0.weight"}},
    {"Swin2SR", {"layers.0.residual_group.blocks.0.attn.logit_scale"}},
    {"SwinIR", {"layers.0.residual_group.blocks.0.attn.relative_position_bias_table"}},
    {"RGT", {"before_RG.1.weight", "layers.0.blocks.0.gamma"}},
    {"DAT", {"before_RG.1.weight", "layers.0.blocks.0.ffn.sg.conv.weight"}},
    {"OmniSR", {"residual_layer.0.residual_layer.0.layer.0.fn.0.weight", "up.0.weight"}},
    {"RealPLKSR", {"feats.0.weight", "feats.1.channel_mixer.0.weight", "feats.1.norm.weight"}},
    {"PLKSR", {"feats.0.weight", "feats.1.channe_mixer.0.weight"}},
    {"SAFMN", {"to_feat.weight", "feats.0.safm.aggr.weight"}},
}};

}  // namespace

std::optional<std::string_view> recognizeUnsupported(const StateDict& weights) {
    for (const Signature& signature : kSignatures) {
        bool all = true;
        for (const std::string_view key : signature.keys) {
            all = all && (key.empty() || weights.contains(key));
        }
        if (all) {
            return signature.name;
        }
    }
    return std::nullopt;
}

}  // namespace upscale::models::detail
