// A farm job's tasks: running one, telling which are done, and joining their files into the
// final outputs.

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "journal.hpp"
#include "resume.hpp"
#include "upscale/core/barrier.hpp"
#include "upscale/core/files.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/sha256.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"
#include "upscale/pipeline/farm.hpp"

namespace upscale::pipeline::farm {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using core::ErrorCode;
using core::fail;

std::string taskName(int index) {
    return fmt::format("{:06d}", index);
}

fs::path taskFolder(const fs::path& dir, int index) {
    return dir / "tasks" / taskName(index);
}

fs::path failedFile(const fs::path& dir, int index) {
    return dir / "failed" / fmt::format("{}.json", taskName(index));
}

/// The name of output `k`'s file in its task's folder: "<k>-<final name>" for an image.
std::string imageFileName(const Plan& plan, int k) {
    return fmt::format("{}-{}", k, plan.outputs[k].output.filename().string());
}

/// The files task `index` leaves in its folder.
std::vector<std::string> taskFiles(const Plan& plan, int index) {
    const PlannedTask& task = plan.tasks[index];
    if (task.video >= 0) {
        return {media::segmentFileName(task.segment)};
    }
    std::vector<std::string> files;
    for (int k : task.images) {
        files.push_back(imageFileName(plan, k));
    }
    return files;
}

core::Result<std::string> readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return fail(ErrorCode::NotFound, fmt::format("'{}' cannot be opened.", file.string()));
    }
    return std::string(std::istreambuf_iterator<char>(in), {});
}

core::Result<void> writeText(const fs::path& file, const std::string& text) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    return core::writeFileAtomically(
        file, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

/// True when `folder` holds the files of task `index` of this plan, as its done.json records.
bool intact(const fs::path& folder, const Plan& plan, int index, bool thorough) {
    auto text = readText(folder / "done.json");
    if (!text) {
        return false;
    }
    const json done = json::parse(*text, nullptr, false);
    if (done.is_discarded() || done.value("plan", "") != plan.digest || !done.contains("files") ||
        !done["files"].is_array()) {
        return false;
    }
    const auto names = taskFiles(plan, index);
    if (done["files"].size() != names.size()) {
        return false;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
        const json& f = done["files"][i];
        const fs::path file = folder / names[i];
        std::error_code ec;
        const auto size = fs::file_size(file, ec);
        if (f.value("name", "") != names[i] || ec ||
            static_cast<std::int64_t>(size) != f.value("bytes", std::int64_t{-1})) {
            return false;
        }
        if (thorough) {
            auto digest = core::sha256File(file);
            if (!digest || *digest != f.value("sha256", "")) {
                return false;
            }
        }
    }
    return true;
}

std::string hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) != 0) {
        return "host";
    }
    return name;
}

/// Removes the work folders this machine's earlier, killed runs of task `index` left.
void removeStaleWork(const fs::path& dir, int index, const std::string& host) {
    const std::string prefix = fmt::format("{}.{}.", taskName(index), host);
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir / "work", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const int pid = std::atoi(name.c_str() + prefix.size());
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
            fs::remove_all(entry.path(), ec);
        }
    }
}

/// InvalidArgument when an input of task `index` is not the file that was planned.
core::Result<void> checkInputs(const Plan& plan, int index) {
    const PlannedTask& task = plan.tasks[index];
    std::vector<int> outputs = task.images;
    if (task.video >= 0) {
        outputs.push_back(task.video);
    }
    for (int k : outputs) {
        const PlannedOutput& out = plan.outputs[k];
        if (inputIdentity(out.input).dump() != out.inputIdentity) {
            return fail(ErrorCode::InvalidArgument,
                        fmt::format("The input '{}' was changed, moved or removed after the job "
                                    "was planned; plan the job again into an empty folder.",
                                    out.input.string()));
        }
    }
    return {};
}

/// The items of a task, written under `work`.
std::vector<JobItem> taskItems(const Plan& plan, int index, const fs::path& work) {
    const PlannedTask& task = plan.tasks[index];
    std::vector<JobItem> items;
    if (task.video >= 0) {
        const PlannedOutput& out = plan.outputs[task.video];
        const PlannedSegment& s = out.segments[task.segment];
        items.push_back({out.input,
                         work / out.output.filename(),
                         {},
                         VideoPart{task.segment, s.firstFrame, s.frames, work}});
        return items;
    }
    for (int k : task.images) {
        items.push_back({plan.outputs[k].input, work / imageFileName(plan, k), {}, {}});
    }
    return items;
}

core::Result<void> recordDone(const fs::path& work, const Plan& plan, int index) {
    json files = json::array();
    for (const auto& name : taskFiles(plan, index)) {
        std::error_code ec;
        const auto size = fs::file_size(work / name, ec);
        auto digest = core::sha256File(work / name);
        if (ec || !digest) {
            return fail(ErrorCode::Internal,
                        fmt::format("Task {} did not write '{}'.", index, (work / name).string()));
        }
        files.push_back({{"name", name}, {"bytes", size}, {"sha256", *digest}});
    }
    return writeText(
        work / "done.json",
        fmt::format("{}\n", json{{"task", index}, {"plan", plan.digest}, {"files", files}}.dump()));
}

/// Moves a finished work folder into place. A copy of the task that finished first wins.
core::Result<void> publish(const fs::path& work, const fs::path& dir, const Plan& plan, int index) {
    const fs::path target = taskFolder(dir, index);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    for (int attempt = 0; attempt < 2; ++attempt) {
        fs::rename(work, target, ec);
        if (!ec) {
            return {};
        }
        if (intact(target, plan, index, true)) {
            fs::remove_all(work, ec);
            return {};
        }
        fs::remove_all(target, ec);
    }
    return fail(core::ioErrorCode(ec.value()),
                fmt::format("Cannot move the finished task {} to '{}': {}.", index, target.string(),
                            ec.message()));
}

}  // namespace

std::vector<TaskStatus> taskStates(const fs::path& dir, const Plan& plan, bool thorough) {
    std::vector<TaskStatus> states;
    for (int i = 0; i < static_cast<int>(plan.tasks.size()); ++i) {
        TaskStatus status{i};
        if (intact(taskFolder(dir, i), plan, i, thorough)) {
            status.state = TaskState::Done;
        } else if (auto failed = readText(failedFile(dir, i))) {
            const json j = json::parse(*failed, nullptr, false);
            status.state = TaskState::Failed;
            if (!j.is_discarded()) {
                status.error = j.value("error", "");
                status.code = j.value("code", "");
            }
        }
        states.push_back(std::move(status));
    }
    return states;
}

namespace {

core::Result<bool> runTaskUnguarded(engine::Context& context, const fs::path& dir, const Plan& plan,
                                    int index, const core::CancelToken& cancel,
                                    const core::EventCallback& onEvent) {
    auto log = core::logger("pipeline");
    if (index < 0 || index >= static_cast<int>(plan.tasks.size())) {
        return fail(ErrorCode::InvalidArgument,
                    fmt::format("Task {} does not exist: the plan in '{}' has tasks 0 to {}.",
                                index, dir.string(), plan.tasks.size() - 1));
    }
    if (intact(taskFolder(dir, index), plan, index, true)) {
        log->info("Task {} is already done: its files in '{}' are intact.", index,
                  taskFolder(dir, index).string());
        return false;
    }
    const std::string host = hostName();
    removeStaleWork(dir, index, host);
    const fs::path work = dir / "work" / fmt::format("{}.{}.{}", taskName(index), host, ::getpid());
    std::error_code ec;
    fs::remove_all(work, ec);
    fs::create_directories(work, ec);
    if (ec) {
        return fail(
            core::ioErrorCode(ec.value()),
            fmt::format("Cannot create the work folder '{}': {}.", work.string(), ec.message()));
    }

    JobSettings settings = plan.settings;
    settings.overwrite = true;
    settings.resume = false;
    settings.output = work;
    auto items = taskItems(plan, index, work);
    settings.inputs.clear();
    for (const auto& item : items) {
        settings.inputs.push_back(item.input);
    }
    std::optional<core::Error> failure;
    JobRunner runner(context, settings, [&](const core::Event& ev) {
        if (const auto* failed = std::get_if<core::ItemFailed>(&ev); failed && !failure) {
            failure = failed->error;
        }
        onEvent(ev);
    });
    runner.setItems(std::move(items));
    core::Result<void> done = checkInputs(plan, index);
    auto summary = done ? runner.run(cancel) : core::Result<JobSummary>(JobSummary{});
    if (done && (!summary || failure || cancel.cancelled())) {
        done = fail(!summary  ? summary.error()
                    : failure ? *failure
                              : core::Error{ErrorCode::Cancelled,
                                            fmt::format("Task {} was cancelled.", index)});
    }
    if (done) {
        done = recordDone(work, plan, index);
    }
    if (done) {
        done = publish(work, dir, plan, index);
    }
    if (!done) {
        fs::remove_all(work, ec);
        const json record = {{"task", index},
                             {"host", host},
                             {"code", std::string(core::errorCodeName(done.error().code))},
                             {"error", done.error().message}};
        if (auto noted = writeText(failedFile(dir, index), fmt::format("{}\n", record.dump()));
            !noted) {
            log->warn("{}", noted.error().message);
        }
        return fail(done.error());
    }
    fs::remove(failedFile(dir, index), ec);
    log->info("Task {} done: {}", index, taskFolder(dir, index).string());
    return true;
}

}  // namespace

core::Result<bool> runTask(engine::Context& context, const fs::path& dir, const Plan& plan,
                           int index, const core::CancelToken& cancel,
                           const core::EventCallback& onEvent) {
    return core::guarded(
        fmt::format("running task {} of the farm job in '{}'", index, dir.string()),
        [&] { return runTaskUnguarded(context, dir, plan, index, cancel, onEvent); });
}

namespace {

core::Result<JoinSummary> joinTasksUnguarded(const fs::path& dir, const Plan& plan) {
    auto log = core::logger("pipeline");
    std::vector<int> failed, missing;
    for (const auto& s : taskStates(dir, plan, true)) {
        if (s.state == TaskState::Failed) {
            failed.push_back(s.index);
        } else if (s.state == TaskState::Missing) {
            missing.push_back(s.index);
        }
    }
    if (!failed.empty() || !missing.empty()) {
        return fail(ErrorCode::NotFound,
                    fmt::format("Cannot join '{}': {} of {} task(s) are not done (missing: {}; "
                                "failed: {}). Run them, then join again.",
                                dir.string(), failed.size() + missing.size(), plan.tasks.size(),
                                missing.empty() ? "none" : indexRanges(missing),
                                failed.empty() ? "none" : indexRanges(failed)));
    }
    // Where each output's files are: task of an image, tasks of a video's segments.
    std::map<int, int> imageTask;
    std::map<std::pair<int, int>, int> segmentTask;
    for (int i = 0; i < static_cast<int>(plan.tasks.size()); ++i) {
        for (int k : plan.tasks[i].images) {
            imageTask[k] = i;
        }
        if (plan.tasks[i].video >= 0) {
            segmentTask[{plan.tasks[i].video, plan.tasks[i].segment}] = i;
        }
    }
    auto joined = Journal::open(dir / "joined.jsonl");
    if (!joined) {
        return fail(joined.error());
    }
    JoinSummary summary;
    for (int k = 0; k < static_cast<int>(plan.outputs.size()); ++k) {
        const PlannedOutput& out = plan.outputs[k];
        std::error_code ec;
        const bool exists = fs::exists(out.output, ec);
        if (exists) {
            auto digest = core::sha256File(out.output);
            bool written = false;
            for (const auto& r : joined->records()) {
                written = written || (r.value("output", "") == out.output.string() &&
                                      r.value("plan", "") == plan.digest && digest &&
                                      r.value("sha256", "") == *digest);
            }
            if (written) {
                ++summary.skipped;
                continue;
            }
            if (!plan.settings.overwrite) {
                return fail(ErrorCode::InvalidArgument,
                            fmt::format("The output '{}' already exists; it is kept. Move it "
                                        "away, then join again.",
                                        out.output.string()));
            }
        }
        fs::create_directories(out.output.parent_path(), ec);
        if (!out.video) {
            const fs::path file = taskFolder(dir, imageTask.at(k)) / imageFileName(plan, k);
            auto bytes = readText(file);
            if (!bytes) {
                return fail(bytes.error());
            }
            if (auto ok = core::writeFileAtomically(
                    out.output,
                    {reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()});
                !ok) {
                return fail(ok.error());
            }
        } else {
            auto probe = media::probeVideo(out.input, plan.settings.readLimits);
            if (!probe) {
                return fail(probe.error());
            }
            media::SegmentOptions segments;
            segments.folder = dir / "join" / std::to_string(k);
            segments.seconds = plan.settings.segmentSeconds;
            for (int j = 0; j < static_cast<int>(out.segments.size()); ++j) {
                const PlannedSegment& s = out.segments[j];
                media::SegmentInfo info{
                    j,
                    taskFolder(dir, segmentTask.at({k, j})) / media::segmentFileName(j),
                    s.firstFrame,
                    s.frames,
                    s.firstPts,
                    s.lastPts};
                info.bytes = static_cast<std::int64_t>(fs::file_size(info.file, ec));
                segments.done.push_back(std::move(info));
            }
            auto writer =
                media::VideoWriter::create(out.output, out.input, *probe, out.width, out.height,
                                           plan.settings.video, std::move(segments));
            if (!writer) {
                return fail(writer.error());
            }
            auto finished = (*writer)->finish(true, out.output);
            fs::remove_all(dir / "join", ec);
            if (!finished) {
                return fail(finished.error());
            }
        }
        auto digest = core::sha256File(out.output);
        if (!digest) {
            return fail(digest.error());
        }
        if (auto ok = joined->append(
                {{"output", out.output.string()}, {"plan", plan.digest}, {"sha256", *digest}});
            !ok) {
            return fail(ok.error());
        }
        ++summary.written;
        log->info(
            "Joined {}{}", out.output.string(),
            out.video ? fmt::format(" from {} segment(s)", out.segments.size()) : std::string());
    }
    return summary;
}

}  // namespace

core::Result<JoinSummary> joinTasks(const fs::path& dir, const Plan& plan) {
    return core::guarded(fmt::format("joining the farm tasks in '{}'", dir.string()),
                         [&] { return joinTasksUnguarded(dir, plan); });
}

}  // namespace upscale::pipeline::farm
