// A farm job's plan: the outputs, the tasks, and plan.json, which carries every setting so that
// a task run on another machine produces what this one would.

#include <fstream>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "item_runner.hpp"
#include "resume.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/sha256.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/media/video.hpp"
#include "upscale/pipeline/farm.hpp"

namespace upscale::pipeline::farm {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using core::ErrorCode;
using core::fail;

constexpr int kPlanVersion = 1;

json settingsToJson(const JobSettings& s) {
    std::vector<std::string> inputs;
    for (const auto& in : s.inputs) {
        inputs.push_back(in.string());
    }
    const auto& e = s.engine;
    std::vector<std::string> devices;
    for (const auto& d : s.devices) {
        devices.push_back(d.toString());
    }
    return {
        {"inputs", inputs},
        {"output", s.output.string()},
        {"model", s.model},
        {"scale", s.scale},
        {"format", s.format},
        {"name_pattern", s.namePattern},
        {"overwrite", s.overwrite},
        {"engine",
         {{"precision", std::string(core::precisionName(e.precision))},
          {"tile", e.tile},
          {"overlap", e.overlap},
          {"batch", e.batch},
          {"workers", e.workers},
          {"device", e.device.toString()},
          {"devices", devices},
          {"cuda_graphs", e.cudaGraphs}}},
        {"image",
         {{"jpeg_quality", s.writeOptions.jpegQuality},
          {"webp_quality", s.writeOptions.webpQuality},
          {"png_compression", s.writeOptions.pngCompression}}},
        {"limits",
         {{"max_pixels", s.readLimits.maxPixels}, {"max_dimension", s.readLimits.maxDimension}}},
        {"video",
         {{"codec", s.video.codec},
          {"crf", s.video.crf},
          {"preset", s.video.preset},
          {"pixel_format", s.video.pixelFormat},
          {"audio", s.video.audio},
          {"other_streams", s.video.otherStreams}}},
        {"segment_seconds", s.segmentSeconds}};
}

core::Result<JobSettings> settingsFromJson(const json& j) {
    JobSettings s;
    for (const auto& in : j.at("inputs")) {
        s.inputs.emplace_back(in.get<std::string>());
    }
    s.output = j.at("output").get<std::string>();
    s.model = j.at("model").get<std::string>();
    s.scale = j.at("scale").get<double>();
    s.format = j.at("format").get<std::string>();
    s.namePattern = j.at("name_pattern").get<std::string>();
    s.overwrite = j.at("overwrite").get<bool>();
    const auto& e = j.at("engine");
    auto precision = core::parsePrecision(e.at("precision").get<std::string>());
    auto device = core::parseDevice(e.at("device").get<std::string>());
    if (!precision || !device) {
        return fail(!precision ? precision.error() : device.error());
    }
    s.engine.precision = *precision;
    s.engine.device = *device;
    for (const auto& d : e.at("devices")) {
        auto parsed = core::parseDevice(d.get<std::string>());
        if (!parsed) {
            return fail(parsed.error());
        }
        s.devices.push_back(*parsed);
    }
    s.engine.tile = e.at("tile").get<int>();
    s.engine.overlap = e.at("overlap").get<int>();
    s.engine.batch = e.at("batch").get<int>();
    s.engine.workers = e.at("workers").get<int>();
    s.engine.cudaGraphs = e.at("cuda_graphs").get<bool>();
    const auto& image = j.at("image");
    s.writeOptions.jpegQuality = image.at("jpeg_quality").get<int>();
    s.writeOptions.webpQuality = image.at("webp_quality").get<int>();
    s.writeOptions.pngCompression = image.at("png_compression").get<int>();
    s.readLimits.maxPixels = j.at("limits").at("max_pixels").get<std::int64_t>();
    s.readLimits.maxDimension = j.at("limits").at("max_dimension").get<int>();
    const auto& v = j.at("video");
    s.video.codec = v.at("codec").get<std::string>();
    s.video.crf = v.at("crf").get<int>();
    s.video.preset = v.at("preset").get<std::string>();
    s.video.pixelFormat = v.at("pixel_format").get<std::string>();
    s.video.audio = v.at("audio").get<bool>();
    s.video.otherStreams = v.at("other_streams").get<bool>();
    s.segmentSeconds = j.at("segment_seconds").get<double>();
    return s;
}

json planToJson(const Plan& plan) {
    json outputs = json::array();
    for (const auto& o : plan.outputs) {
        json out = {{"input", o.input.string()},
                    {"input_identity", o.inputIdentity},
                    {"output", o.output.string()},
                    {"video", o.video}};
        if (o.video) {
            json segments = json::array();
            for (const auto& s : o.segments) {
                segments.push_back({s.firstFrame, s.frames, s.firstPts, s.lastPts});
            }
            out["width"] = o.width;
            out["height"] = o.height;
            out["segments"] = segments;
        }
        outputs.push_back(out);
    }
    json tasks = json::array();
    for (const auto& t : plan.tasks) {
        tasks.push_back(t.video >= 0 ? json{{"video", t.video}, {"segment", t.segment}}
                                     : json{{"images", t.images}});
    }
    return {{"version", kPlanVersion},
            {"settings", settingsToJson(plan.settings)},
            {"model", {{"name", plan.modelName}, {"identity", plan.modelIdentity}}},
            {"scale", plan.scale},
            {"outputs", outputs},
            {"tasks", tasks}};
}

core::Result<Plan> planFromJson(const json& j) {
    if (j.at("version").get<int>() != kPlanVersion) {
        return fail(ErrorCode::UnsupportedFormat,
                    fmt::format("The plan is of version {}; this program reads version {}.",
                                j.at("version").dump(), kPlanVersion));
    }
    auto settings = settingsFromJson(j.at("settings"));
    if (!settings) {
        return fail(settings.error());
    }
    Plan plan;
    plan.settings = std::move(*settings);
    plan.modelName = j.at("model").at("name").get<std::string>();
    plan.modelIdentity = j.at("model").at("identity").get<std::string>();
    plan.scale = j.at("scale").get<double>();
    for (const auto& o : j.at("outputs")) {
        PlannedOutput out;
        out.input = o.at("input").get<std::string>();
        out.inputIdentity = o.at("input_identity").get<std::string>();
        out.output = o.at("output").get<std::string>();
        out.video = o.at("video").get<bool>();
        if (out.video) {
            out.width = o.at("width").get<int>();
            out.height = o.at("height").get<int>();
            for (const auto& s : o.at("segments")) {
                out.segments.push_back({s.at(0).get<std::int64_t>(), s.at(1).get<std::int64_t>(),
                                        s.at(2).get<std::int64_t>(), s.at(3).get<std::int64_t>()});
            }
        }
        plan.outputs.push_back(std::move(out));
    }
    for (const auto& t : j.at("tasks")) {
        PlannedTask task;
        if (t.contains("video")) {
            task.video = t.at("video").get<int>();
            task.segment = t.at("segment").get<int>();
            if (task.video < 0 || task.video >= static_cast<int>(plan.outputs.size()) ||
                task.segment < 0 ||
                task.segment >= static_cast<int>(plan.outputs[task.video].segments.size())) {
                return fail(ErrorCode::CorruptFile, "A task names a video segment out of range.");
            }
        } else {
            task.images = t.at("images").get<std::vector<int>>();
        }
        plan.tasks.push_back(std::move(task));
    }
    return plan;
}

/// Decodes a video once for its frame times and cuts it as the writer will.
core::Result<std::vector<PlannedSegment>> cutVideo(const fs::path& input, const JobSettings& s) {
    auto reader = media::VideoReader::open(input, s.readLimits);
    if (!reader) {
        return fail(reader.error());
    }
    const double unit = (*reader)->probe().timeBase.value();
    std::vector<PlannedSegment> segments;
    for (;;) {
        auto frame = (*reader)->read();
        if (!frame) {
            return fail(frame.error());
        }
        if (!*frame) {
            break;
        }
        const std::int64_t pts = (*frame)->pts;
        if (segments.empty() ||
            static_cast<double>(pts - segments.back().firstPts) * unit >= s.segmentSeconds) {
            segments.push_back({(*frame)->index, 0, pts, pts});
        }
        ++segments.back().frames;
        segments.back().lastPts = pts;
    }
    if (segments.empty()) {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("No frame of '{}' could be decoded. The file may be damaged.",
                                input.string()));
    }
    return segments;
}

fs::path fullPath(const fs::path& p) {
    std::error_code ec;
    auto abs = fs::absolute(p, ec);
    return ec ? p : abs.lexically_normal();
}

}  // namespace

namespace {

core::Result<Plan> makePlanUnguarded(engine::Context& context, const JobSettings& settings,
                                     int imagesPerTask) {
    if (auto valid = settings.validate(); !valid) {
        return fail(valid.error());
    }
    if (!settings.framesOut.empty()) {
        return fail(ErrorCode::InvalidArgument,
                    "A farm job writes videos, not a folder of frame images: leave the frames "
                    "folder out.");
    }
    if (imagesPerTask < 1) {
        return fail(
            ErrorCode::InvalidArgument,
            fmt::format("{} images per task is out of range: use 1 or more.", imagesPerTask));
    }
    Plan plan;
    plan.settings = settings;
    plan.settings.resume = false;
    for (auto& in : plan.settings.inputs) {
        in = fullPath(in);
    }
    if (!plan.settings.output.empty()) {
        plan.settings.output = fullPath(plan.settings.output);
    }
    auto ref = resolveJobModel(plan.settings);
    if (!ref) {
        return fail(ref.error());
    }
    // The model's name, scale and identity; the tasks choose their own device.
    core::EngineSettings probeEngine = plan.settings.engine;
    probeEngine.device = core::DeviceSpec{core::DeviceSpec::Kind::Cpu, 0};
    probeEngine.workers = 1;
    auto upscaler = engine::Upscaler::create(context, *ref, probeEngine);
    if (!upscaler) {
        return fail(upscaler.error());
    }
    const auto& info = (*upscaler)->info();
    plan.modelName = info.modelName;
    plan.modelIdentity = info.modelIdentity;
    plan.scale = plan.settings.scale > 0.0 ? plan.settings.scale : info.spec.scale;

    PlannedTask images;
    auto closeImages = [&] {
        if (!images.images.empty()) {
            plan.tasks.push_back(std::move(images));
            images = {};
        }
    };
    for (const auto& item : planItems(plan.settings, plan.scale, plan.modelName)) {
        if (!item.error.empty()) {
            return fail(ErrorCode::InvalidArgument, item.error);
        }
        std::error_code ec;
        if (!plan.settings.overwrite && fs::exists(item.output, ec)) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The output '{}' already exists; it is kept. Choose another "
                                    "output, or plan the job to overwrite it.",
                                    item.output.string()));
        }
        PlannedOutput out{item.input, item.output, inputIdentity(item.input).dump()};
        const int index = static_cast<int>(plan.outputs.size());
        if (media::hasVideoExtension(item.input)) {
            if (media::hasImageExtension(item.output)) {
                return fail(ErrorCode::InvalidArgument,
                            fmt::format("'{}' is a video; it cannot be saved as the image '{}'.",
                                        item.input.string(), item.output.string()));
            }
            auto probe = media::probeVideo(item.input, plan.settings.readLimits);
            if (!probe) {
                return fail(probe.error());
            }
            auto segments = cutVideo(item.input, plan.settings);
            if (!segments) {
                return fail(segments.error());
            }
            out.video = true;
            std::tie(out.width, out.height) =
                (*upscaler)->outputSize(probe->width, probe->height, plan.scale);
            out.segments = std::move(*segments);
            closeImages();
            for (int s = 0; s < static_cast<int>(out.segments.size()); ++s) {
                plan.tasks.push_back({{}, index, s});
            }
        } else {
            images.images.push_back(index);
            if (static_cast<int>(images.images.size()) == imagesPerTask) {
                closeImages();
            }
        }
        plan.outputs.push_back(std::move(out));
    }
    closeImages();
    core::logger("pipeline")
        ->info("Planned {} output(s) as {} task(s) with {} ({}x output)", plan.outputs.size(),
               plan.tasks.size(), plan.modelName, plan.scale);
    return plan;
}

}  // namespace

core::Result<Plan> makePlan(engine::Context& context, const JobSettings& settings,
                            int imagesPerTask) {
    return core::guarded("planning the farm job",
                         [&] { return makePlanUnguarded(context, settings, imagesPerTask); });
}

namespace {

core::Result<Plan> savePlanUnguarded(const fs::path& dir, Plan plan) {
    const std::string text = planToJson(plan).dump(1) + "\n";
    plan.digest =
        core::sha256Hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    std::error_code ec;
    if (fs::exists(dir / "plan.json", ec)) {
        auto earlier = loadPlan(dir);
        if (earlier && earlier->digest == plan.digest) {
            return plan;
        }
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("The farm folder '{}' already holds another job's plan. Use an "
                                "empty folder for a new job.",
                                dir.string()));
    }
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(
            core::ioErrorCode(ec.value()),
            fmt::format("Cannot create the farm folder '{}': {}.", dir.string(), ec.message()));
    }
    if (auto ok = core::writeFileAtomically(
            dir / "plan.json", {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
        !ok) {
        return fail(ok.error());
    }
    return plan;
}

}  // namespace

core::Result<Plan> savePlan(const fs::path& dir, Plan plan) {
    return core::guarded(fmt::format("saving the farm plan in '{}'", dir.string()),
                         [&] { return savePlanUnguarded(dir, std::move(plan)); });
}

namespace {

core::Result<Plan> loadPlanUnguarded(const fs::path& dir) {
    const fs::path file = dir / "plan.json";
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
        return fail(ErrorCode::NotFound,
                    fmt::format("'{}' holds no farm plan (plan.json). Plan the job into it "
                                "first.",
                                dir.string()));
    }
    auto digest = core::sha256File(file);
    if (!digest) {
        return fail(digest.error());
    }
    try {
        std::ifstream in(file);
        auto plan = planFromJson(json::parse(in));
        if (plan) {
            plan->digest = *digest;
        }
        return plan;
    } catch (const json::exception& e) {
        return fail(ErrorCode::CorruptFile,
                    fmt::format("The farm plan '{}' cannot be read: {}. Plan the job again into "
                                "an empty folder.",
                                file.string(), e.what()));
    }
}

}  // namespace

core::Result<Plan> loadPlan(const fs::path& dir) {
    return core::guarded(fmt::format("reading the farm plan in '{}'", dir.string()),
                         [&] { return loadPlanUnguarded(dir); });
}

std::string indexRanges(const std::vector<int>& indices) {
    std::string text;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) {
            ++j;
        }
        if (!text.empty()) {
            text += ',';
        }
        text += std::to_string(indices[i]);
        if (j > i) {
            text += '-';
            text += std::to_string(indices[j]);
        }
        i = j + 1;
    }
    return text;
}

}  // namespace upscale::pipeline::farm
