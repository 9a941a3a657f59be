#pragma once
// RealPLKSR's hyper-parameters beyond the common ones (features, scale, channels).

namespace upscale::models {

struct RealPlksrParams {
    int numBlocks = 28;      ///< PLK blocks between the 3x3 stem and the 3x3 head
    int kernelSize = 17;     ///< side of each block's large-kernel convolution
    int kernelDim = 16;      ///< leading channels the large kernel runs on (features x split ratio)
    int normGroups = 4;      ///< groups of each block's group norm (not stored in files: always 4)
    bool attention = true;   ///< element-wise attention (EA) in every block
    bool layerNorm = false;  ///< a channels-first layer norm before each block, no group norm
    bool dysample = false;   ///< DySample point sampling instead of pixel shuffle at the end
    int dysampleGroups = 4;  ///< DySample's offset groups (4, or the channels at odd scales)

    bool operator==(const RealPlksrParams&) const = default;
};

}  // namespace upscale::models
