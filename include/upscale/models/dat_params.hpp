#pragma once
// DAT's (Dual Aggregation Transformer's) hyper-parameters beyond the common ones (features,
// scale, channels). The published forms: DAT (180 features, 6 groups of 6 blocks, 8x32 windows,
// FFN 4x), DAT-S (8x16 windows, FFN 2x), DAT-2 (8x32 windows, FFN 2x) and DAT-light (60
// features, one group of 18 blocks, three-convolution residuals, a one-step upsampler).

#include <vector>

namespace upscale::models {

struct DatParams {
    std::vector<int> depths;  ///< blocks in each residual group
    std::vector<int> heads;   ///< attention heads in each residual group
    int splitHeight = 8;      ///< window height of the first half's spatial attention
    int splitWidth = 32;      ///< its width (the second half uses the transposed window)
    int ffnHidden = 720;      ///< hidden width of each block's spatial-gate FFN
    bool qkvBias = true;
    bool threeConv = false;  ///< three-convolution residual blocks ("3conv") instead of one
    bool direct = false;     ///< one convolution and pixel shuffle to the output (DAT-light)
    int upsampleFeat = 64;   ///< features of the progressive upsampler (not with `direct`)

    bool operator==(const DatParams&) const = default;
};

}  // namespace upscale::models
