#include <gtest/gtest.h>

#include "upscale/core/settings.hpp"

using namespace upscale::core;

TEST(Settings, DefaultsAreValid) {
    EngineSettings s;
    EXPECT_TRUE(s.validate().has_value());
    EXPECT_EQ(s.batch, 2);
    EXPECT_EQ(s.precision, Precision::FP16);
}

TEST(Settings, RejectsOutOfRangeValuesWithSpecificMessages) {
    EngineSettings s{.batch = 9};
    auto r = s.validate();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
    EXPECT_NE(r.error().message.find("Batch size 9"), std::string::npos);

    EngineSettings t{.tile = 16};
    ASSERT_FALSE(t.validate().has_value());
    EXPECT_NE(t.validate().error().message.find("Tile size 16"), std::string::npos);

    EngineSettings o{.overlap = 200};
    ASSERT_FALSE(o.validate().has_value());
    EXPECT_NE(o.validate().error().message.find("overlap 200"), std::string::npos);
}

TEST(Settings, ParsesPrecisionCaseInsensitively) {
    EXPECT_EQ(parsePrecision("FP16").value(), Precision::FP16);
    EXPECT_EQ(parsePrecision("fp32").value(), Precision::FP32);
    EXPECT_EQ(parsePrecision("None").value(), Precision::None);
    auto bad = parsePrecision("int8");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("'int8'"), std::string::npos);
}

TEST(Settings, ParsesDevices) {
    EXPECT_EQ(parseDevice("cpu").value().kind, DeviceSpec::Kind::Cpu);
    auto cuda1 = parseDevice("cuda:1").value();
    EXPECT_EQ(cuda1.kind, DeviceSpec::Kind::Cuda);
    EXPECT_EQ(cuda1.index, 1);
    EXPECT_EQ(cuda1.toString(), "cuda:1");
    EXPECT_FALSE(parseDevice("cuda:").has_value());
    EXPECT_FALSE(parseDevice("cuda:x").has_value());
    EXPECT_FALSE(parseDevice("tpu").has_value());
}
