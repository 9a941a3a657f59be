#include <gtest/gtest.h>

#include "upscale/core/image.hpp"

using namespace upscale::core;

TEST(Image, AllocatesTightlyPackedRows) {
    Image img(5, 3, 4, BitDepth::U16);
    EXPECT_EQ(img.rowBytes(), 5u * 4u * 2u);
    EXPECT_EQ(img.sizeBytes(), 5u * 4u * 2u * 3u);
    EXPECT_EQ(img.maxValue(), 65535);
    EXPECT_TRUE(img.hasAlpha());
}

TEST(Image, SetAndGetSamples) {
    Image img(4, 4, 3, BitDepth::U16);
    img.set(2, 3, 1, 60000);
    EXPECT_EQ(img.at(2, 3, 1), 60000);
    EXPECT_EQ(img.at(2, 3, 0), 0);
    Image small(2, 2, 1, BitDepth::U8);
    small.set(1, 1, 0, 200);
    EXPECT_EQ(small.at(1, 1, 0), 200);
}

TEST(Image, RejectsInvalidShapes) {
    EXPECT_THROW(Image(0, 4, 3, BitDepth::U8), std::invalid_argument);
    EXPECT_THROW(Image(4, 4, 2, BitDepth::U8), std::invalid_argument);
}
