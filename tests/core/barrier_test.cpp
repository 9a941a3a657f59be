#include <gtest/gtest.h>

#include <new>
#include <stdexcept>
#include <vector>

#include "upscale/core/barrier.hpp"

using namespace upscale::core;

TEST(Barrier, PassesAResultThrough) {
    const auto value = guarded("adding", [] { return Result<int>(42); });
    ASSERT_TRUE(value);
    EXPECT_EQ(*value, 42);
    const auto failure = guarded("adding", []() -> Result<void> {
        return fail(ErrorCode::NotFound, "'a.png' does not exist.");
    });
    ASSERT_FALSE(failure);
    EXPECT_EQ(failure.error().code, ErrorCode::NotFound);
    EXPECT_EQ(failure.error().message, "'a.png' does not exist.");
}

TEST(Barrier, AStandardExceptionBecomesAnInternalErrorNamingTheAction) {
    const auto result =
        guarded("reading 'photo.png'", []() -> Result<int> { return std::vector<int>{}.at(3); });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Internal);
    EXPECT_EQ(result.error().message.rfind("Unexpected failure while reading 'photo.png': ", 0), 0U)
        << result.error().message;
}

TEST(Barrier, KeepsTheFirstLineOfAMessageWithABacktrace) {
    const auto result = guarded("loading 'x.pth'", []() -> Result<void> {
        throw std::runtime_error("shape mismatch.\nException raised from foo at bar.cpp:12");
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().message, "Unexpected failure while loading 'x.pth': shape mismatch.");
}

TEST(Barrier, OutOfMemoryIsNamedAsSuch) {
    const auto result =
        guarded("decoding 'big.tif'", []() -> Result<void> { throw std::bad_alloc(); });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::OutOfMemory);
    EXPECT_EQ(result.error().message, "Not enough memory while decoding 'big.tif'.");
}

TEST(Barrier, AnExceptionOfAnyTypeIsCaught) {
    const auto result = guarded("running task 3", []() -> Result<void> { throw 7; });
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Internal);
    EXPECT_EQ(result.error().message,
              "Unexpected failure while running task 3: an exception of an unknown type.");
}
