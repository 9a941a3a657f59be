#include <gtest/gtest.h>

#include "upscale/core/text.hpp"

using upscale::core::joinList;

TEST(Text, JoinListEndsWithTheLastWord) {
    EXPECT_EQ(joinList({}), "");
    EXPECT_EQ(joinList({"png"}), "png");
    EXPECT_EQ(joinList({"png", "jpg"}), "png or jpg");
    EXPECT_EQ(joinList({"png", "jpg", "webp"}), "png, jpg or webp");
    EXPECT_EQ(joinList({"a", "b", "c"}, "and"), "a, b and c");
}
