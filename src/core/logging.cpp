#include "upscale/core/logging.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "upscale/core/paths.hpp"

namespace upscale::core {

namespace {

struct Registry {
    std::mutex mutex;
    std::vector<spdlog::sink_ptr> baseSinks;   // console / file, from setupLogging()
    std::vector<spdlog::sink_ptr> extraSinks;  // added by front ends and tests
    std::map<std::string, std::shared_ptr<spdlog::logger>, std::less<>> loggers;
    bool configured = false;

    std::vector<spdlog::sink_ptr> allSinks() const {
        std::vector<spdlog::sink_ptr> all = baseSinks;
        all.insert(all.end(), extraSinks.begin(), extraSinks.end());
        return all;
    }

    void refresh() {
        const auto sinks = allSinks();
        for (auto& [name, log] : loggers) {
            log->sinks() = sinks;
        }
    }

    void ensureDefault() {
        if (configured) {
            return;
        }
        auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        console->set_pattern("%^[%l]%$ %v");
        console->set_level(spdlog::level::info);
        baseSinks = {console};
        configured = true;
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
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.baseSinks.clear();
    if (options.console) {
        auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
        console->set_pattern("%^[%l]%$ %v");
        console->set_level(options.consoleLevel);
        r.baseSinks.push_back(console);
    }
    if (!options.file.empty()) {
        // A log file that cannot be created must not stop the job: the console still works.
        try {
            std::filesystem::create_directories(options.file.parent_path());
            auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
                options.file.string(), options.fileMaxBytes, options.fileCount);
            file->set_pattern("%Y-%m-%d %H:%M:%S.%e [%n] [%l] %v");
            file->set_level(spdlog::level::debug);
            r.baseSinks.push_back(file);
        } catch (const std::exception&) {
        }
    }
    r.configured = true;
    r.refresh();
}

void addLogSink(std::shared_ptr<spdlog::sinks::sink> sink) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.ensureDefault();
    r.extraSinks.push_back(std::move(sink));
    r.refresh();
}

void removeLogSink(const std::shared_ptr<spdlog::sinks::sink>& sink) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    std::erase(r.extraSinks, sink);
    r.refresh();
}

std::shared_ptr<spdlog::logger> logger(std::string_view module) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.ensureDefault();
    if (auto it = r.loggers.find(module); it != r.loggers.end()) {
        return it->second;
    }
    const auto sinks = r.allSinks();
    auto log = std::make_shared<spdlog::logger>(std::string(module), sinks.begin(), sinks.end());
    log->set_level(spdlog::level::trace);  // the sinks filter
    log->flush_on(spdlog::level::info);
    r.loggers.emplace(std::string(module), log);
    return log;
}

}  // namespace upscale::core
