#include "upscale/core/logging.hpp"

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "upscale/core/paths.hpp"

namespace upscale::core {

namespace {

/// The one sink of every module logger. Lines are passed on and targets changed under its own
/// lock, so a change waits for the line in flight and no target is called after it left.
class FanOutSink final : public spdlog::sinks::sink {
public:
    void log(const spdlog::details::log_msg& msg) override {
        std::lock_guard lock(m_mutex);
        for (const auto& target : m_base) {
            pass(*target, msg);
        }
        for (const auto& [id, target] : m_subscribers) {
            pass(*target, msg);
        }
    }

    void flush() override {
        std::lock_guard lock(m_mutex);
        for (const auto& target : m_base) {
            target->flush();
        }
        for (const auto& [id, target] : m_subscribers) {
            target->flush();
        }
    }

    // Each target keeps its own pattern.
    void set_pattern(const std::string& /*pattern*/) override {}
    void set_formatter(std::unique_ptr<spdlog::formatter> /*formatter*/) override {}

    void setBase(std::vector<spdlog::sink_ptr> sinks) {
        std::lock_guard lock(m_mutex);
        m_base = std::move(sinks);
    }

    std::uint64_t subscribe(spdlog::sink_ptr sink) {
        std::lock_guard lock(m_mutex);
        const std::uint64_t id = ++m_lastId;
        m_subscribers.emplace(id, std::move(sink));
        return id;
    }

    void unsubscribe(std::uint64_t id) {
        std::lock_guard lock(m_mutex);
        m_subscribers.erase(id);
    }

private:
    static void pass(spdlog::sinks::sink& target, const spdlog::details::log_msg& msg) {
        if (target.should_log(msg.level)) {
            target.log(msg);
        }
    }

    std::mutex m_mutex;
    std::vector<spdlog::sink_ptr> m_base;  // console / file, from setupLogging()
    std::map<std::uint64_t, spdlog::sink_ptr> m_subscribers;
    std::uint64_t m_lastId = 0;
};

spdlog::sink_ptr consoleSink(spdlog::level::level_enum level) {
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern("%^[%l]%$ %v");
    console->set_level(level);
    return console;
}

struct Registry {
    std::mutex mutex;  // guards `loggers` and `configured`
    const std::shared_ptr<FanOutSink> fanOut = std::make_shared<FanOutSink>();
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
    bool configured = false;

    void ensureDefault() {
        if (!configured) {
            fanOut->setBase({consoleSink(spdlog::level::info)});
            configured = true;
        }
    }
};

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace

std::filesystem::path LogOptions::defaultLogFile() {
    return userDataDir() / "logs" / "upscale.log";
}

void setupLogging(const LogOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) {
        sinks.push_back(consoleSink(options.consoleLevel));
    }
    if (!options.file.empty()) {
        // A log file that cannot be created must not stop the job: the console still works.
        try {
            std::filesystem::create_directories(options.file.parent_path());
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                options.file.string(), options.fileMaxBytes, options.fileCount);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] [%l] %v");
            file->set_level(spdlog::level::debug);
            sinks.push_back(std::move(file));
        } catch (const std::exception&) {
        }
    }
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.fanOut->setBase(std::move(sinks));
    r.configured = true;
}

LogSubscription::~LogSubscription() {
    reset();
}

LogSubscription::LogSubscription(LogSubscription&& other) noexcept
    : m_id(std::exchange(other.m_id, 0)) {}

LogSubscription& LogSubscription::operator=(LogSubscription&& other) noexcept {
    if (this != &other) {
        reset();
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

void LogSubscription::reset() {
    if (m_id != 0) {
        registry().fanOut->unsubscribe(std::exchange(m_id, 0));
    }
}

LogSubscription subscribeToLog(std::shared_ptr<spdlog::sinks::sink> sink) {
    auto& r = registry();
    {
        std::lock_guard lock(r.mutex);
        r.ensureDefault();
    }
    return LogSubscription(r.fanOut->subscribe(std::move(sink)));
}

std::shared_ptr<spdlog::logger> logger(std::string_view module) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.ensureDefault();
    if (auto it = r.loggers.find(module); it != r.loggers.end()) {
        return it->second;
    }
    auto log = std::make_shared<spdlog::logger>(std::string(module), r.fanOut);
    log->set_level(spdlog::level::trace);  // the sinks filter
    log->flush_on(spdlog::level::info);
    r.loggers.emplace(std::string(module), log);
    return log;
}

}  // namespace upscale::core
