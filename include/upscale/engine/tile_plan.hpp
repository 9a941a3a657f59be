#pragma once
// How an image is cut into tiles. Every tile of a plan has the same shape (one plan for the
// device, one set of blend weights); neighbouring tiles share at least 2 * overlap pixels, and
// the last tile of a row or column is moved inward rather than padded, so every tile holds real
// pixels only.

#include <vector>

namespace upscale::engine {

struct TileRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool operator==(const TileRect&) const = default;
};

struct TilePlan {
    int tileWidth = 0;  ///< input pixels, context included
    int tileHeight = 0;
    std::vector<TileRect> tiles;

    /// One tile covering the whole image.
    [[nodiscard]] bool whole() const { return tiles.size() == 1; }
};

/// Plans tiles of `tile` input pixels plus `overlap` context on each side. tile == 0 means no
/// tiling (one tile, the whole image). With `multiple` > 1 every tile starts at a multiple of it
/// (the step is rounded down to one, and the tile shortened so that the last, which ends at the
/// border, does too): a network that works in windows then sees the image's own windows.
[[nodiscard]] TilePlan planTiles(int width, int height, int tile, int overlap, int multiple = 1);

/// Blend weights along one axis of a tile `length` output pixels long: 1 in the middle, falling
/// along a Gaussian to about 3e-4 at both ends over `ramp` pixels. Never zero, so a pixel that
/// only one tile covers (at the image border) keeps that tile's value exactly once normalised.
[[nodiscard]] std::vector<float> blendProfile(int length, int ramp);

/// The tile size (input pixels, context included) that keeps one batch of `batch` tiles within
/// `budgetBytes`, given what one input pixel costs the network; 0 when the whole image fits.
[[nodiscard]] int autoTileSize(long long budgetBytes, long long bytesPerInputPixel, int batch,
                               int width, int height);

/// The bytes one worker may plan a batch of tiles for on a GPU: the device's free memory plus
/// what its caching allocator holds unused (reserved minus allocated: free to this process,
/// though not to the driver), less a quarter kept back for convolution workspaces and
/// fragmentation, shared out between the `workers` on that device. Negative (unknown) amounts
/// count as none.
[[nodiscard]] long long deviceTileBudget(long long freeBytes, long long reservedBytes,
                                         long long allocatedBytes, int workers);

}  // namespace upscale::engine
