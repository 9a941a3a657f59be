#include "upscale/models/architectures.hpp"

#include <array>

namespace upscale::models {

std::span<const ArchitectureInfo> readableArchitectures() {
    static constexpr std::array<ArchitectureInfo, 8> kAll = {{
        {Architecture::Compact, "Real-ESRGAN Compact: any width and depth, any scale"},
        {Architecture::RRDBNet,
         "ESRGAN and Real-ESRGAN in BasicSR, original ESRGAN and BSRGAN keys: 4x, and 2x and 1x "
         "with pixel-unshuffle"},
        {Architecture::SPAN, "any width and scale, with or without input normalisation"},
        {Architecture::RealPLKSR,
         "group or layer norm, with or without attention, pixel shuffle or DySample, any kernel "
         "and split; 1x to 8x"},
        {Architecture::DAT,
         "DAT, DAT-S, DAT-2 (e.g. 4x-UltraSharpV2), DAT-light; 1x, 2x, 3x, 4x, 8x"},
        {Architecture::OmniSR,
         "any width, groups, blocks and window, with or without position bias; any scale"},
        {Architecture::SwinIR,
         "classical (pixel shuffle), lightweight (direct pixel shuffle), real-world (nearest and "
         "convolution), denoise and JPEG (1x); 1conv or 3conv; any width, depths, heads, window"},
        {Architecture::HAT,
         "HAT-S, HAT, HAT-L and real-world HAT; 1conv or identity; every scale"},
    }};
    return kAll;
}

}  // namespace upscale::models
