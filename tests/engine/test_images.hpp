#pragma once
// Deterministic synthetic test images: smooth gradients with sharp detail, so that seams,
// shifted tiles or swapped channels all show.

#include <cmath>

#include "upscale/core/image.hpp"

namespace upscale::test {

/// `phase` moves the pattern and shifts its green ramp, so that images of one size can differ.
inline core::Image patternImage(int width, int height, int channels = 3,
                                core::BitDepth depth = core::BitDepth::U8, int phase = 0) {
    core::Image img(width, height, channels, depth);
    const int maxValue = img.maxValue();
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const int px = x + 9 * phase;
            const int py = y + 4 * phase;
            const double r = 0.5 + 0.4 * std::sin(px * 0.21) * std::cos(py * 0.13);
            const double g =
                std::fmod(static_cast<double>(x + y) / (width + height) + 0.23 * phase, 1.0);
            const double b = ((px / 7 + py / 5) % 2 == 0) ? 0.8 : 0.2;
            const double v[4] = {r, g, b, (x < width / 2) ? 0.0 : 1.0};
            for (int c = 0; c < channels; ++c) {
                img.set(x, y, c, static_cast<int>(std::lround(v[c] * maxValue)));
            }
        }
    }
    return img;
}

/// Frame `index` of a sequence of RGB frames of one size, each different from the others.
inline core::Image patternFrame(int width, int height, int index) {
    return patternImage(width, height, 3, core::BitDepth::U8, index);
}

/// PSNR in dB between two 8-bit images of the same shape.
inline double psnr(const core::Image& a, const core::Image& b) {
    double sum = 0.0;
    const auto pa = a.bytes();
    const auto pb = b.bytes();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        const double d = static_cast<double>(pa[i]) - pb[i];
        sum += d * d;
    }
    const double mse = sum / static_cast<double>(pa.size());
    return mse == 0.0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

}  // namespace upscale::test
