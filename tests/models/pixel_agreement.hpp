#pragma once
// How closely two renderings of the same image agree once quantised to 8 bits: the median
// absolute difference in levels and the share of samples within one level.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <vector>

#include "common/level_difference.hpp"

namespace upscale::models::test {

/// A float sample in [0, 1] (clamped) as an 8-bit level, rounded as the engine rounds.
using upscale::test::toLevel;

struct PixelAgreement {
    int medianDiff = 0;      ///< median absolute difference, in levels
    double withinOne = 0.0;  ///< share of samples that differ by at most one level
    int maxDiff = 0;         ///< largest absolute difference, in levels
};

/// Both vectors hold 8-bit levels of the same samples in the same order.
inline PixelAgreement compareLevels(const std::vector<int>& a, const std::vector<int>& b) {
    PixelAgreement out;
    if (a.size() != b.size() || a.empty()) {
        out.medianDiff = 255;
        out.maxDiff = 255;
        return out;
    }
    std::vector<int> diff(a.size());
    std::size_t close = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff[i] = std::abs(a[i] - b[i]);
        close += diff[i] <= 1 ? 1 : 0;
        out.maxDiff = std::max(out.maxDiff, diff[i]);
    }
    const auto middle = diff.begin() + static_cast<std::ptrdiff_t>(diff.size() / 2);
    std::nth_element(diff.begin(), middle, diff.end());
    out.medianDiff = *middle;
    out.withinOne = static_cast<double>(close) / static_cast<double>(a.size());
    return out;
}

}  // namespace upscale::models::test
