#pragma once
// Logging set-up: one named spdlog logger per module ("engine", "models", ...). Every logger is
// created with one sink, a fan-out installed once, which passes each line to the console and
// file sinks of setupLogging() and to the sinks front ends and tests subscribe. The loggers' own
// sink lists never change after creation, so threads that log never race with a subscription.
// setupLogging() is called once by an executable; libraries only call logger().
// Until setupLogging() runs, loggers write to stderr at "info".

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

namespace upscale::core {

struct LogOptions {
    spdlog::level::level_enum consoleLevel = spdlog::level::info;
    bool console = true;
    /// Rotating log file; empty for none. Default: <user data dir>/logs/upscale.log.
    std::filesystem::path file = defaultLogFile();
    std::size_t fileMaxBytes = 5 * 1024 * 1024;
    std::size_t fileCount = 3;

    [[nodiscard]] static std::filesystem::path defaultLogFile();
};

/// Replaces the console and file sinks behind every module logger. Safe to call again (tests do)
/// and while other threads log.
void setupLogging(const LogOptions& options);

/// A sink's subscription to every module logger, present and future (the GUI's log panel, tests).
/// Move-only; destroying or reset()ting it unsubscribes, and once that has returned the sink is
/// not called again. The sink must be thread-safe (an `_mt` sink): threads log concurrently. A
/// sink must not log through logger() from inside its own log().
class LogSubscription {
public:
    LogSubscription() = default;
    ~LogSubscription();
    LogSubscription(LogSubscription&& other) noexcept;
    LogSubscription& operator=(LogSubscription&& other) noexcept;
    LogSubscription(const LogSubscription&) = delete;
    LogSubscription& operator=(const LogSubscription&) = delete;

    /// Unsubscribes now; does nothing when already unsubscribed.
    void reset();
    [[nodiscard]] bool active() const { return m_id != 0; }

private:
    friend LogSubscription subscribeToLog(std::shared_ptr<spdlog::sinks::sink> sink);
    explicit LogSubscription(std::uint64_t id) : m_id(id) {}
    std::uint64_t m_id = 0;
};

/// Makes `sink` receive every line that any module logger passes (its own level filters further).
/// Thread-safe.
[[nodiscard]] LogSubscription subscribeToLog(std::shared_ptr<spdlog::sinks::sink> sink);

/// The logger of a module, created on first use with the fan-out sink. Thread-safe.
[[nodiscard]] std::shared_ptr<spdlog::logger> logger(std::string_view module);

}  // namespace upscale::core
