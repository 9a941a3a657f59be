#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "common/test_paths.hpp"
#include "upscale/core/logging.hpp"

using namespace upscale::core;

TEST(Logging, ModuleLoggersShareAddedSinks) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("[%n] %v");
    addLogSink(sink);
    logger("engine")->info("hello {}", 1);
    logger("models")->warn("careful");
    removeLogSink(sink);
    logger("engine")->info("not seen");
    const std::string text = out.str();
    EXPECT_NE(text.find("[engine] hello 1"), std::string::npos);
    EXPECT_NE(text.find("[models] careful"), std::string::npos);
    EXPECT_EQ(text.find("not seen"), std::string::npos);
}

TEST(Logging, WritesTheRotatingFile) {
    const auto dir = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / "logtest";
    std::filesystem::remove_all(dir);
    LogOptions options;
    options.console = false;
    options.file = dir / "upscale.log";
    setupLogging(options);
    logger("cli")->info("file line");
    logger("cli")->flush();
    std::ifstream in(options.file);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(content.find("[cli] [info] file line"), std::string::npos);
    setupLogging(LogOptions{.file = {}});
}
