#include "upscale/engine/tile_plan.hpp"

#include <algorithm>
#include <cmath>

namespace upscale::engine {

namespace {

// Start positions of windows of `window` pixels over `length`, stepping by `step`, the last one
// moved inward so that it ends exactly at the border.
std::vector<int> windowStarts(int length, int window, int step) {
    std::vector<int> starts;
    if (window >= length) {
        starts.push_back(0);
        return starts;
    }
    for (int pos = 0;; pos += step) {
        if (pos + window >= length) {
            starts.push_back(length - window);
            break;
        }
        starts.push_back(pos);
    }
    return starts;
}

}  // namespace

namespace {

/// The tile side along an axis of `length`: `window`, shortened so that length - side (the last
/// tile's start) is a multiple of `multiple`, but never below one step.
int alignedSide(int length, int window, int step, int multiple) {
    if (window >= length) {
        return length;
    }
    const int side = window - ((window - length) % multiple + multiple) % multiple;
    return side > step ? side : window;
}

}  // namespace

TilePlan planTiles(int width, int height, int tile, int overlap, int multiple) {
    TilePlan plan;
    if (tile <= 0) {
        plan.tileWidth = width;
        plan.tileHeight = height;
        plan.tiles.push_back({0, 0, width, height});
        return plan;
    }
    const int window = tile + 2 * overlap;
    multiple = std::max(1, multiple);
    const int step = std::max(multiple, tile - tile % multiple);
    plan.tileWidth = alignedSide(width, window, step, multiple);
    plan.tileHeight = alignedSide(height, window, step, multiple);
    const auto xs = windowStarts(width, plan.tileWidth, step);
    const auto ys = windowStarts(height, plan.tileHeight, step);
    for (int y : ys) {
        for (int x : xs) {
            plan.tiles.push_back({x, y, plan.tileWidth, plan.tileHeight});
        }
    }
    return plan;
}

std::vector<float> blendProfile(int length, int ramp) {
    std::vector<float> w(static_cast<std::size_t>(length), 1.0f);
    ramp = std::min(ramp, length / 2);
    if (ramp <= 0) {
        return w;
    }
    // exp(-0.5 * (4 * (ramp - d) / ramp)^2): 1 at d = ramp, exp(-8) ~ 3.4e-4 at the edge, so the
    // pixels next to a tile edge, which saw zero padding instead of their neighbours, count for
    // almost nothing wherever another tile covers them.
    const double sigma = ramp / 4.0;
    for (int d = 0; d < ramp; ++d) {
        const double z = (ramp - (d + 0.5)) / sigma;
        const auto v = static_cast<float>(std::exp(-0.5 * z * z));
        w[static_cast<std::size_t>(d)] = v;
        w[static_cast<std::size_t>(length - 1 - d)] = v;
    }
    return w;
}

int autoTileSize(long long budgetBytes, long long bytesPerInputPixel, int batch, int width,
                 int height) {
    if (bytesPerInputPixel <= 0 || batch <= 0) {
        return 0;
    }
    const long long pixels = budgetBytes / (bytesPerInputPixel * batch);
    if (pixels >= static_cast<long long>(width) * height) {
        return 0;
    }
    // Multiples of 32 keep convolution kernels on their fast paths.
    const int side = static_cast<int>(std::sqrt(static_cast<double>(std::max(pixels, 1LL))));
    return std::max(64, side / 32 * 32);
}

long long deviceTileBudget(long long freeBytes, long long reservedBytes, long long allocatedBytes,
                           int workers) {
    const long long cachedUnused = std::max(0LL, reservedBytes - std::max(0LL, allocatedBytes));
    const long long usable = std::max(0LL, freeBytes) + cachedUnused;
    return usable / 4 * 3 / std::max(1, workers);
}

}  // namespace upscale::engine
