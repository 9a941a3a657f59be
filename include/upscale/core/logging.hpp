#pragma once
// Logging set-up: one named spdlog logger per module ("engine", "models", ...), all sharing the
// same sinks. setupLogging() is called once by an executable; libraries only call logger().
// Until setupLogging() runs, loggers write to stderr at "info".

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

/// Replaces the shared sinks of every module logger. Safe to call again (tests do).
void setupLogging(const LogOptions& options);

/// Adds a sink to every module logger, present and future (the GUI's log panel, tests).
void addLogSink(std::shared_ptr<spdlog::sinks::sink> sink);
void removeLogSink(const std::shared_ptr<spdlog::sinks::sink>& sink);

/// The logger of a module, created on first use with the shared sinks. Thread-safe.
[[nodiscard]] std::shared_ptr<spdlog::logger> logger(std::string_view module);

}  // namespace upscale::core
