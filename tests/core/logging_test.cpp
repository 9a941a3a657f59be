#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>

#include "common/test_paths.hpp"
#include "upscale/core/logging.hpp"

using namespace upscale::core;

TEST(Logging, ModuleLoggersShareSubscribedSinks) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("[%n] %v");
    auto subscription = subscribeToLog(sink);
    EXPECT_TRUE(subscription.active());
    logger("engine")->info("hello {}", 1);
    logger("models")->warn("careful");
    logger("a module created after the subscription")->info("new module");
    subscription.reset();
    EXPECT_FALSE(subscription.active());
    logger("engine")->info("not seen");
    const std::string text = out.str();
    EXPECT_NE(text.find("[engine] hello 1"), std::string::npos);
    EXPECT_NE(text.find("[models] careful"), std::string::npos);
    EXPECT_NE(text.find("[a module created after the subscription] new module"), std::string::npos);
    EXPECT_EQ(text.find("not seen"), std::string::npos);
}

TEST(Logging, ASubscriptionEndsWithItsHandleAndMovesWithIt) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("%v");
    LogSubscription outer;
    {
        auto inner = subscribeToLog(sink);
        logger("core")->info("one");
        outer = std::move(inner);
        EXPECT_FALSE(inner.active());  // NOLINT(bugprone-use-after-move): moved-from is empty
    }
    logger("core")->info("two");  // the moved handle still holds the subscription
    { const LogSubscription ending = std::move(outer); }
    logger("core")->info("three");
    EXPECT_EQ(out.str(), "one\ntwo\n");
}

TEST(Logging, EachSinkKeepsItsOwnLevel) {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("%v");
    sink->set_level(spdlog::level::warn);
    const auto subscription = subscribeToLog(sink);
    logger("core")->info("quiet");
    logger("core")->warn("loud");
    EXPECT_EQ(out.str(), "loud\n");
}

// Threads log without pause while other threads subscribe and unsubscribe: every line logged
// while a subscription is known to be live reaches it, and none arrives after it ended.
TEST(Logging, SubscriptionsComeAndGoWhileThreadsLog) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> loggers;
    for (int t = 0; t < 3; ++t) {
        loggers.emplace_back([t, &stop] {
            auto log = logger("thread" + std::to_string(t));
            while (!stop.load()) {
                log->debug("line from {}", t);
            }
        });
    }
    std::vector<std::thread> subscribers;
    std::atomic<int> failures{0};
    for (int s = 0; s < 2; ++s) {
        subscribers.emplace_back([&failures] {
            for (int round = 0; round < 20; ++round) {
                std::ostringstream out;
                auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
                sink->set_pattern("%v");
                auto subscription = subscribeToLog(sink);
                logger("subscriber")->debug("marker");
                subscription.reset();
                const std::string seen = out.str();
                // Nothing may be written once reset() has returned.
                std::this_thread::yield();
                if (seen.find("marker") == std::string::npos || out.str() != seen) {
                    failures.fetch_add(1);
                }
            }
        });
    }
    for (auto& thread : subscribers) {
        thread.join();
    }
    stop.store(true);
    for (auto& thread : loggers) {
        thread.join();
    }
    EXPECT_EQ(failures.load(), 0);
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
