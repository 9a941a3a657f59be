#pragma once
// OmniSR's hyper-parameters beyond the common ones (features, scale, channels).

namespace upscale::models {

struct OmniSrParams {
    int numGroups = 5;         ///< residual groups (OSAG)
    int numBlocks = 1;         ///< OSA blocks in each group
    int window = 8;            ///< attention window side; the input is padded to a multiple
    bool positionBias = true;  ///< learnt relative position bias in the window attentions
    bool bias = true;          ///< biases on the stem, the groups' 1x1, the output and the head

    bool operator==(const OmniSrParams&) const = default;
};

}  // namespace upscale::models
