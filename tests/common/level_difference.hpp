#pragma once
// How far an 8-bit result is from a float reference, in 8-bit levels: what the reference-match
// tests of the networks assert (median 0, at least 99 % of samples within one level).

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace upscale::test {

struct LevelDifference {
    int median = 0;
    int max = 0;
    double withinOne = 0.0;  ///< fraction of samples at most one level apart
};

/// A reference value in [0, 1] (clamped) as the 8-bit level the engine would write.
inline int toLevel(float value) {
    return static_cast<int>(std::lround(std::clamp(value, 0.0F, 1.0F) * 255.0F));
}

/// `levels(i)` is the 8-bit result for the reference sample `reference[i]`.
template <typename Levels>
LevelDifference levelDifference(const std::vector<float>& reference, Levels levels) {
    std::vector<int> diffs(reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i) {
        diffs[i] = std::abs(toLevel(reference[i]) - levels(i));
    }
    LevelDifference out;
    if (diffs.empty()) {
        return out;
    }
    out.withinOne = static_cast<double>(std::count_if(diffs.begin(), diffs.end(),
                                                      [](int d) { return d <= 1; })) /
                    static_cast<double>(diffs.size());
    out.max = *std::max_element(diffs.begin(), diffs.end());
    std::nth_element(diffs.begin(), diffs.begin() + static_cast<std::ptrdiff_t>(diffs.size() / 2),
                     diffs.end());
    out.median = diffs[diffs.size() / 2];
    return out;
}

}  // namespace upscale::test
