#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "upscale/models/state_dict.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

TEST(DType, NamesAndSizesRoundTrip) {
    const std::pair<DType, std::size_t> all[] = {
        {DType::F16, 2}, {DType::BF16, 2}, {DType::F32, 4}, {DType::F64, 8}, {DType::I64, 8},
        {DType::I32, 4}, {DType::I16, 2},  {DType::I8, 1},  {DType::U8, 1},  {DType::Bool, 1}};
    for (const auto& [dtype, size] : all) {
        EXPECT_EQ(dtypeSize(dtype), size);
        const auto back = dtypeFromName(dtypeName(dtype));
        ASSERT_TRUE(back) << dtypeName(dtype);
        EXPECT_EQ(*back, dtype);
    }
    EXPECT_EQ(dtypeName(DType::Bool), "BOOL");
    EXPECT_EQ(dtypeName(DType::BF16), "BF16");
    EXPECT_TRUE(isFloating(DType::BF16));
    EXPECT_FALSE(isFloating(DType::I8));
}

TEST(DType, UnknownNameIsUnsupported) {
    const auto r = dtypeFromName("F8_E4M3");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("F8_E4M3"), std::string::npos);
}

TEST(Tensor, NumelAndShapeText) {
    Tensor t;
    EXPECT_EQ(t.numel(), 1);  // rank 0: a scalar
    t.shape = {64, 3, 3, 3};
    EXPECT_EQ(t.numel(), 1728);
    EXPECT_EQ(shapeToString(t.shape), "[64, 3, 3, 3]");
    t.shape = {4, 0, 2};
    EXPECT_EQ(t.numel(), 0);
    EXPECT_EQ(shapeToString(std::vector<std::int64_t>{}), "[]");
}

TEST(Half, KnownValues) {
    EXPECT_EQ(halfToFloat(0x3c00), 1.0F);
    EXPECT_EQ(halfToFloat(0xc000), -2.0F);
    EXPECT_EQ(halfToFloat(0x7bff), 65504.0F);
    EXPECT_EQ(halfToFloat(0x0400), std::ldexp(1.0F, -14));
    EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0F, -24));
    EXPECT_EQ(halfToFloat(0x03ff), std::ldexp(1023.0F, -24));
    EXPECT_EQ(halfToFloat(0x7c00), std::numeric_limits<float>::infinity());
    EXPECT_EQ(halfToFloat(0xfc00), -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
    EXPECT_TRUE(std::isnan(halfToFloat(0x7c01)));
    EXPECT_TRUE(std::signbit(halfToFloat(0x8000)));
    EXPECT_EQ(floatToHalf(1.0F), 0x3c00);
    EXPECT_EQ(floatToHalf(-0.0F), 0x8000);
    EXPECT_EQ(floatToHalf(0.1F), 0x2e66);
}

TEST(Half, EveryHalfRoundTripsExactly) {
    for (std::uint32_t h = 0; h <= 0xffff; ++h) {
        const auto half = static_cast<std::uint16_t>(h);
        const float f = halfToFloat(half);
        if (std::isnan(f)) {
            EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(f)))) << h;
            continue;
        }
        ASSERT_EQ(floatToHalf(f), half) << h;
    }
}

TEST(Half, MidpointsRoundToNearestEven) {
    // Between two neighbouring finite halves the exact midpoint goes to the even one, and the
    // floats just either side of it go to the nearer one. Covers subnormals and the carry into
    // the exponent.
    for (std::uint16_t h = 0; h < 0x7bff; ++h) {
        const float lo = halfToFloat(h);
        const float hi = halfToFloat(static_cast<std::uint16_t>(h + 1));
        const float mid = (lo + hi) / 2;  // exact: a float has 13 more significand bits
        const std::uint16_t even = (h % 2 == 0) ? h : static_cast<std::uint16_t>(h + 1);
        ASSERT_EQ(floatToHalf(mid), even) << h;
        ASSERT_EQ(floatToHalf(std::nextafter(mid, 0.0F)), h) << h;
        ASSERT_EQ(floatToHalf(std::nextafter(mid, 1e9F)), h + 1) << h;
        ASSERT_EQ(floatToHalf(-mid), even | 0x8000) << h;
    }
}

TEST(Half, OverflowUnderflowAndSpecials) {
    EXPECT_EQ(floatToHalf(65504.0F), 0x7bff);
    EXPECT_EQ(floatToHalf(65519.99F), 0x7bff);
    EXPECT_EQ(floatToHalf(65520.0F), 0x7c00);  // the midpoint to "65536" rounds to inf
    EXPECT_EQ(floatToHalf(1e9F), 0x7c00);
    EXPECT_EQ(floatToHalf(-1e9F), 0xfc00);
    EXPECT_EQ(floatToHalf(std::numeric_limits<float>::infinity()), 0x7c00);
    EXPECT_EQ(floatToHalf(std::ldexp(1.0F, -25)), 0x0000);  // tie with zero: even wins
    EXPECT_EQ(floatToHalf(std::nextafter(std::ldexp(1.0F, -25), 1.0F)), 0x0001);
    EXPECT_EQ(floatToHalf(-1e-10F), 0x8000);
    EXPECT_EQ(floatToHalf(std::numeric_limits<float>::denorm_min()), 0x0000);
    const std::uint16_t nan = floatToHalf(std::numeric_limits<float>::quiet_NaN());
    EXPECT_EQ(nan & 0x7c00, 0x7c00);
    EXPECT_NE(nan & 0x03ff, 0);
    // A NaN whose payload sits only in the low bits must not turn into inf.
    const float lowPayloadNan = std::bit_cast<float>(0x7f800001U);
    EXPECT_NE(floatToHalf(lowPayloadNan) & 0x03ff, 0);
}

TEST(Tensor, Float32ConversionsRoundTrip) {
    const std::vector<float> values = {0.0F, 1.0F, -2.5F, 0.125F, 1024.0F};
    for (const DType dtype : {DType::F16, DType::BF16, DType::F32}) {
        const Tensor t = Tensor::fromFloat32(values, {5}, dtype);
        EXPECT_EQ(t.dtype, dtype);
        EXPECT_EQ(t.data.size(), 5 * dtypeSize(dtype));
        EXPECT_EQ(t.toFloat32(), values) << dtypeName(dtype);
    }
    Tensor f64;
    f64.dtype = DType::F64;
    f64.shape = {2};
    const double doubles[] = {1.5, -3.0};
    f64.data.resize(sizeof doubles);
    std::memcpy(f64.data.data(), doubles, sizeof doubles);
    EXPECT_EQ(f64.toFloat32(), (std::vector<float>{1.5F, -3.0F}));
}

TEST(Tensor, BFloat16RoundsToNearestEven) {
    const float tieDown = 1.0F + std::ldexp(1.0F, -8);    // halfway between 1 and 1+2^-7
    const float tieUp = 1.0F + 3 * std::ldexp(1.0F, -8);  // halfway between 1+2^-7 and 1+2^-6
    const Tensor t = Tensor::fromFloat32(std::vector<float>{tieDown, tieUp}, {2}, DType::BF16);
    const auto back = t.toFloat32();
    EXPECT_EQ(back[0], 1.0F);
    EXPECT_EQ(back[1], 1.0F + std::ldexp(1.0F, -6));
}

TEST(Tensor, IntegerTensorsHaveNoFloatView) {
    Tensor t;
    t.dtype = DType::I32;
    t.shape = {2};
    t.data.resize(8);
    EXPECT_TRUE(t.toFloat32().empty());
}
