#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "upscale/media/formats.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"
#include "upscale/pipeline/job.hpp"

namespace upscale::pipeline {

namespace {

std::string scaleText(double scale) {
    if (std::abs(scale - std::round(scale)) < 1e-9) {
        return fmt::format("{}", static_cast<int>(std::round(scale)));
    }
    return fmt::format("{:g}", scale);
}

bool outputIsFile(const JobSettings& settings) {
    if (settings.output.empty() || settings.inputs.size() != 1) {
        return false;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(settings.inputs.front(), ec)) {
        return false;
    }
    if (std::filesystem::is_directory(settings.output, ec)) {
        return false;
    }
    return media::hasImageExtension(settings.output) || media::hasVideoExtension(settings.output) ||
           media::hasAnimationOutputExtension(settings.output);
}

std::vector<std::filesystem::path> imagesIn(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
        std::error_code typeEc;
        if (entry.is_regular_file(typeEc) && media::hasImageExtension(entry.path())) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

core::Result<void> validateNamePattern(const std::string& pattern) {
    if (pattern.empty() || pattern.find('/') != std::string::npos) {
        return core::fail(core::ErrorCode::InvalidArgument,
                          fmt::format("The name pattern '{}' must be a file name (no folder "
                                      "separator), e.g. {{name}}_x{{scale}}.",
                                      pattern));
    }
    for (std::size_t open = pattern.find('{'); open != std::string::npos;
         open = pattern.find('{', open + 1)) {
        const auto close = pattern.find('}', open);
        const std::string key = close == std::string::npos ? pattern.substr(open)
                                                           : pattern.substr(open, close - open + 1);
        if (key != "{name}" && key != "{scale}" && key != "{model}") {
            return core::fail(core::ErrorCode::InvalidArgument,
                              fmt::format("Unknown placeholder '{}' in the name pattern '{}': use "
                                          "{{name}}, {{scale}} and {{model}}.",
                                          key, pattern));
        }
    }
    return {};
}

std::string outputFileName(const std::filesystem::path& input, double scale,
                           const std::string& format, const std::string& namePattern,
                           const std::string& modelName) {
    std::string ext = format.empty() ? input.extension().string() : "." + format;
    if (format.empty() && media::isVideoInput(input) && !media::hasVideoOutputExtension(input)) {
        // GIF, AVI, MPEG-TS...: the upscaled video goes into the most widely played container.
        ext = ".mp4";
    }
    std::string name = namePattern;
    auto replaceAll = [&name](const std::string& key, const std::string& value) {
        for (auto at = name.find(key); at != std::string::npos;
             at = name.find(key, at + value.size())) {
            name.replace(at, key.size(), value);
        }
    };
    replaceAll("{name}", input.stem().string());
    replaceAll("{scale}", scaleText(scale));
    replaceAll("{model}", modelName);
    return name + ext;
}

std::vector<JobItem> planItems(const JobSettings& settings, double scale,
                               const std::string& modelName) {
    std::vector<JobItem> items;
    const bool singleFile = outputIsFile(settings);
    auto place = [&](const std::filesystem::path& input) {
        JobItem item{input, {}, {}};
        if (singleFile) {
            item.output = settings.output;
        } else {
            const auto dir = settings.output.empty() ? input.parent_path() : settings.output;
            // A mixed queue gives its videos a container of their own.
            const std::string& format =
                media::hasVideoExtension(input) && !settings.videoFormat.empty()
                    ? settings.videoFormat
                    : settings.format;
            item.output =
                dir / outputFileName(input, scale, format, settings.namePattern, modelName);
        }
        items.push_back(std::move(item));
    };
    for (const auto& input : settings.inputs) {
        std::error_code ec;
        if (std::filesystem::is_directory(input, ec)) {
            const auto files = imagesIn(input);
            if (files.empty()) {
                items.push_back({input,
                                 {},
                                 fmt::format("Folder '{}' contains no images we can read "
                                             "({}).",
                                             input.string(),
                                             media::namesList(media::filesOf(media::imageFormats()),
                                                              media::FormatUse::Read))});
            }
            for (const auto& f : files) {
                place(f);
            }
        } else {
            place(input);
        }
    }

    // Two inputs must never share an output, and no output may be an input.
    std::set<std::filesystem::path> inputs;
    for (const auto& item : items) {
        std::error_code ec;
        inputs.insert(std::filesystem::weakly_canonical(item.input, ec));
    }
    std::set<std::filesystem::path> taken;
    for (auto& item : items) {
        if (!item.error.empty()) {
            continue;
        }
        std::error_code ec;
        auto canonical = std::filesystem::weakly_canonical(item.output, ec);
        if (inputs.count(canonical) != 0) {
            item.error =
                fmt::format("The output '{}' would overwrite an input.", item.output.string());
            item.remedy = core::Remedy::ChooseOutput;
            continue;
        }
        for (int n = 2; taken.count(canonical) != 0; ++n) {
            auto renamed = item.output;
            renamed.replace_filename(fmt::format("{}-{}{}", item.output.stem().string(), n,
                                                 item.output.extension().string()));
            item.output = renamed;
            canonical = std::filesystem::weakly_canonical(item.output, ec);
        }
        taken.insert(canonical);
    }
    return items;
}

}  // namespace upscale::pipeline
