#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "upscale/engine/tile_plan.hpp"

using namespace upscale::engine;

TEST(TilePlan, ZeroTileIsTheWholeImage) {
    const auto plan = planTiles(300, 200, 0, 16);
    ASSERT_EQ(plan.tiles.size(), 1u);
    EXPECT_TRUE(plan.whole());
    EXPECT_EQ(plan.tiles[0], (TileRect{0, 0, 300, 200}));
}

TEST(TilePlan, CoversImageWithEqualTilesAndOverlap) {
    const int w = 250, h = 130, tile = 64, overlap = 8;
    const auto plan = planTiles(w, h, tile, overlap);
    EXPECT_EQ(plan.tileWidth, tile + 2 * overlap);
    EXPECT_EQ(plan.tileHeight, tile + 2 * overlap);
    std::vector<int> cover(static_cast<std::size_t>(w * h), 0);
    for (const auto& t : plan.tiles) {
        EXPECT_EQ(t.width, plan.tileWidth);
        EXPECT_EQ(t.height, plan.tileHeight);
        EXPECT_GE(t.x, 0);
        EXPECT_GE(t.y, 0);
        EXPECT_LE(t.x + t.width, w);
        EXPECT_LE(t.y + t.height, h);
        for (int y = t.y; y < t.y + t.height; ++y) {
            for (int x = t.x; x < t.x + t.width; ++x) {
                ++cover[static_cast<std::size_t>(y * w + x)];
            }
        }
    }
    for (int v : cover) {
        ASSERT_GE(v, 1);
    }
    // Horizontal neighbours share at least 2 * overlap columns.
    for (std::size_t i = 1; i < plan.tiles.size(); ++i) {
        const auto& a = plan.tiles[i - 1];
        const auto& b = plan.tiles[i];
        if (a.y == b.y) {
            EXPECT_GE(a.x + a.width - b.x, 2 * overlap);
        }
    }
}

TEST(TilePlan, SmallImagesGetOneTileClampedToTheImage) {
    const auto plan = planTiles(40, 30, 64, 8);
    ASSERT_EQ(plan.tiles.size(), 1u);
    EXPECT_EQ(plan.tileWidth, 40);
    EXPECT_EQ(plan.tileHeight, 30);
}

TEST(BlendProfile, IsSymmetricPositiveAndFlatInTheMiddle) {
    const auto w = blendProfile(100, 20);
    ASSERT_EQ(w.size(), 100u);
    for (std::size_t i = 0; i < w.size(); ++i) {
        EXPECT_GT(w[i], 0.0f);
        EXPECT_LE(w[i], 1.0f);
        EXPECT_FLOAT_EQ(w[i], w[w.size() - 1 - i]);
    }
    EXPECT_LT(w[0], 1e-3f);
    EXPECT_FLOAT_EQ(w[50], 1.0f);
    for (std::size_t i = 1; i < 20; ++i) {
        EXPECT_GT(w[i], w[i - 1]);
    }
}

TEST(AutoTileSize, WholeImageWhenItFitsElseAMultipleOf32) {
    EXPECT_EQ(autoTileSize(1LL << 30, 1000, 1, 100, 100), 0);
    const int tile = autoTileSize(100LL * 1000 * 1000, 1000, 2, 4000, 4000);
    EXPECT_GT(tile, 0);
    EXPECT_EQ(tile % 32, 0);
    EXPECT_LE(static_cast<long long>(tile) * tile * 1000 * 2, 100LL * 1000 * 1000);
}

TEST(DeviceTileBudget, SharesFreeMemoryOutBetweenTheWorkersOfTheDevice) {
    constexpr long long kGiB = 1LL << 30;
    // 8 GiB free, an allocator holding nothing unused: three quarters, split between workers.
    EXPECT_EQ(deviceTileBudget(8 * kGiB, 0, 0, 1), 6 * kGiB);
    EXPECT_EQ(deviceTileBudget(8 * kGiB, 0, 0, 2), 3 * kGiB);
    EXPECT_EQ(deviceTileBudget(8 * kGiB, 0, 0, 4), 3 * kGiB / 2);
    // Two workers together never plan for more than one alone.
    EXPECT_EQ(2 * deviceTileBudget(8 * kGiB, 0, 0, 2), deviceTileBudget(8 * kGiB, 0, 0, 1));
}

TEST(DeviceTileBudget, CountsWhatTheAllocatorHoldsUnusedAsFree) {
    constexpr long long kGiB = 1LL << 30;
    // 2 GiB free to the driver; the allocator reserved 10 GiB of which 4 GiB is in use, so 6 GiB
    // more is this process's to use: 8 GiB in all.
    EXPECT_EQ(deviceTileBudget(2 * kGiB, 10 * kGiB, 4 * kGiB, 2), 3 * kGiB);
    // Everything reserved in use: only the free memory counts.
    EXPECT_EQ(deviceTileBudget(2 * kGiB, 4 * kGiB, 4 * kGiB, 1), 3 * kGiB / 2);
}

TEST(DeviceTileBudget, UnknownOrInconsistentAmountsCountAsNothing) {
    constexpr long long kGiB = 1LL << 30;
    EXPECT_EQ(deviceTileBudget(-1, 0, 0, 2), 0);
    EXPECT_EQ(deviceTileBudget(4 * kGiB, 1 * kGiB, 3 * kGiB, 1), 3 * kGiB);  // allocated > reserved
    EXPECT_EQ(deviceTileBudget(4 * kGiB, 0, 0, 0), 3 * kGiB);                // workers as 1
    // The budget then feeds the tile size: half the budget per worker, a smaller tile.
    const long long one = deviceTileBudget(kGiB, 0, 0, 1);
    const long long two = deviceTileBudget(kGiB, 0, 0, 2);
    EXPECT_LT(autoTileSize(two, 20000, 4, 4000, 4000), autoTileSize(one, 20000, 4, 4000, 4000));
}

TEST(TilePlan, AMultipleAlignsEveryTileStartWithTheLastEndingAtTheBorder) {
    // 100 pixels, tiles of 30 plus 7 on each side, for a network with 8-pixel windows.
    const TilePlan plan = planTiles(100, 64, 30, 7, 8);
    EXPECT_EQ(plan.tileWidth, 44);  // 44 = 100 - 56: the last tile starts at 56
    EXPECT_EQ(plan.tileHeight, 40);
    std::set<int> xs;
    for (const TileRect& t : plan.tiles) {
        EXPECT_EQ(t.x % 8, 0) << t.x;
        EXPECT_EQ(t.y % 8, 0) << t.y;
        xs.insert(t.x);
    }
    EXPECT_EQ(xs, (std::set<int>{0, 24, 48, 56}));
    EXPECT_EQ(planTiles(100, 64, 30, 7).tiles, planTiles(100, 64, 30, 7, 1).tiles);
}
