#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli.hpp"
#include "upscale/engine/devices.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/video_writer.hpp"
#include "upscale/models/model_formats.hpp"

namespace upscale::cli {

namespace {

/// CLI11 validators report their own messages; these turn our parse errors into CLI11's.
template <typename T, typename Parse>
std::function<std::string(const std::string&)> into(T& target, Parse parse) {
    return [&target, parse](const std::string& text) -> std::string {
        auto parsed = parse(text);
        if (!parsed) {
            return parsed.error().message;
        }
        target = *parsed;
        return {};
    };
}

}  // namespace

std::string parseDevices(const std::string& text, pipeline::JobSettings& job) {
    std::vector<core::DeviceSpec> devices;
    if (text == "all") {
        for (const auto& d : engine::availableDevices()) {
            if (d.id != "cpu") {
                devices.push_back(*core::parseDevice(d.id));
            }
        }
        if (devices.empty()) {
            devices.push_back({core::DeviceSpec::Kind::Cpu, 0});
        }
    } else {
        std::size_t start = 0;
        for (;;) {
            const std::size_t comma = text.find(',', start);
            auto one = core::parseDevice(text.substr(start, comma - start));
            if (!one) {
                return one.error().message;
            }
            devices.push_back(*one);
            if (comma == std::string::npos) {
                break;
            }
            start = comma + 1;
        }
    }
    job.engine.device = devices.front();
    job.devices = devices.size() > 1 ? devices : std::vector<core::DeviceSpec>{};
    return {};
}

int parseOptions(int argc, char** argv, Options& options) {
    CLI::App app{"Upscale images with neural networks (Real-ESRGAN and compatible models).",
                 "upscale"};
    app.set_version_flag("--version", std::string("upscale ") + UPSCALE_VERSION);
    app.footer(
        "Examples:\n"
        "  upscale photo.jpg                         -> photo_x4.jpg beside it\n"
        "  upscale -m realesr-general-x4v3 -s 2 photo.jpg -o big.png\n"
        "  upscale --json frames/ -o upscaled/       -> one JSON event per line\n"
        "  upscale clip.mp4 -s 2 --codec h265 --crf 20 -> clip_x2.mp4, audio kept\n"
        "  upscale --resume clip.mp4 -s 2 --codec h265 --crf 20 -> continues after a crash\n"
        "  upscale convert model.param model.safetensors\n"
        "  upscale -d cuda:0,cuda:1 films/ -o out/       -> every GPU takes what it can\n"
        "  upscale farm plan film.mkv -o out/ --farm-dir /shared/job -> tasks for a cluster\n"
        "  upscale farm slurm /shared/job --submit   -> a Slurm job array and a join job\n"
        "Exit status: 0 all items succeeded, 1 some failed (the others are still written), "
        "2 usage error; farm run: 75 for a failure worth retrying.");

    auto& job = options.job;
    std::vector<std::string> inputs;
    std::string output, precision = "fp16", device = "auto";
    app.add_option("inputs", inputs, "Image or video files, or folders of images, to upscale");
    app.add_option("-o,--output", output,
                   "Output file (one input) or folder; default: beside each input as "
                   "<name>_x<scale>.<ext>");
    app.add_option("-m,--model", job.model,
                   "Model id (see --list-models) or path to a model file; default: the "
                   "recommended model");
    app.add_option("-s,--scale", job.scale, "Output scale; default: the model's native scale")
        ->check(CLI::Range(0.0, 16.0));
    app.add_option("-p,--precision", precision, "fp16, fp32 or none (the weights' own)")
        ->check(into(job.engine.precision, core::parsePrecision));
    app.add_option("-t,--tile", job.engine.tile, "Tile size in input pixels; 0 = automatic")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--tile-overlap", job.engine.overlap,
                   "Context pixels around each tile, blended with its neighbours")
        ->check(CLI::Range(0, 128));
    app.add_option("-b,--batch", job.engine.batch, "Frames or tiles per forward pass, 1 to 8")
        ->check(CLI::Range(1, 8));
    app.add_option("-w,--workers", job.engine.workers,
                   "Engine workers, each with its own device stream, 1 to 8")
        ->check(CLI::Range(1, 8));
    app.add_flag("--cuda-graphs", job.engine.cudaGraphs,
                 "Replay a captured CUDA graph of the network (NVIDIA GPUs; fixed tile shapes)");
    auto* deviceOption =
        app.add_option("-d,--device", device,
                       "auto, cpu, cuda or cuda:N; several separated by commas (cuda:0,cuda:1, "
                       "cpu,cpu), or all: each its own workers and model copy")
            ->check([&job](const std::string& text) { return parseDevices(text, job); });
    app.add_option("-f,--format", job.format,
                   fmt::format("Output format: {}; {} for videos; {} for animations",
                               media::extensionChoice(media::filesOf(media::imageFormats()),
                                                      media::FormatUse::Write, false),
                               media::extensionChoice(media::filesOf(media::videoContainers()),
                                                      media::FormatUse::Write, false),
                               media::extensionChoice(media::filesOf(media::animationFormats()),
                                                      media::FormatUse::Write, false)));
    app.add_option("--name", job.namePattern,
                   "Output file name pattern: {name} (the input's), {scale}, {model}")
        ->capture_default_str();
    app.add_flag("--overwrite", job.overwrite, "Replace existing output files (never an input)");
    app.add_flag("--resume", job.resume,
                 "Continue an interrupted run of the same command: skip the outputs it finished, "
                 "continue videos after their last closed segment");
    app.add_option("--segment-seconds", job.segmentSeconds,
                   "Length of the closed segments videos are written in (the most that is redone "
                   "on --resume)")
        ->check(CLI::Range(0.01, 3600.0))
        ->capture_default_str();
    app.add_option("--max-pixels", job.readLimits.maxPixels,
                   "Refuse images and videos with more pixels (width x height) than this, from "
                   "their headers, before decoding them")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    std::string framesOut;
    bool noAudio = false;
    app.add_option("--codec", job.video.codec, "Video codec: h264, h265, av1, ffv1 or prores")
        ->check(CLI::IsMember(media::videoCodecNames()));
    app.add_option("--crf", job.video.crf,
                   "Video quality, lower is better (h264/h265 0-51, av1 0-63)")
        ->check(CLI::Range(0, 63));
    app.add_option("--preset", job.video.preset, "Encoder speed preset, e.g. veryfast, medium");
    app.add_option("--pix-fmt", job.video.pixelFormat,
                   "Video pixel format, e.g. yuv420p or yuv420p10le; default: the source's");
    app.add_option("--frames-out", framesOut,
                   "Write a video's frames as PNG files into this folder instead of a video");
    app.add_flag("--no-audio", noAudio, "Leave the audio of videos out");
    app.add_flag("--list-models", options.listModels, "List the available models and exit");
    app.add_flag("--json", options.json, "Print one JSON object per event on stdout");
    bool quiet = false, verbose = false;
    app.add_flag("-q,--quiet", quiet, "Print warnings and errors only");
    app.add_flag("-v,--verbose", verbose, "Print more (with --list-models: model details)");

    auto* convert = app.add_subcommand(
        "convert",
        fmt::format("Convert a model file ({}) to .safetensors", models::modelFormatList()));
    convert->add_option("input", options.convertIn, "Model file to convert")->required();
    convert->add_option("output", options.convertOut, "Output .safetensors file")->required();
    convert->add_option("--dtype", options.convertDType, "fp16, bf16 or fp32")
        ->check(CLI::IsMember({"fp16", "bf16", "fp32"}));

    auto& farm = options.farm;
    auto* farmApp = app.add_subcommand(
        "farm", "Cut a job into independent tasks for many machines, run them, join them");
    farmApp->require_subcommand(1);
    farmApp->fallthrough();
    auto* plan = farmApp->add_subcommand(
        "plan", "Write the job into a farm folder and print its number of tasks");
    plan->add_option("inputs", inputs, "Image or video files, or folders of images")->required();
    plan->add_option("--farm-dir", farm.dir, "The farm folder, on storage every node sees")
        ->required();
    plan->add_option("--images-per-task", farm.imagesPerTask, "Images in one task")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    auto* run =
        farmApp->add_subcommand("run", "Do one task (exit 0 done, 75 worth retrying, 1 failed)");
    run->add_option("dir", farm.dir, "The farm folder")->required();
    run->add_option("--task", farm.task, "The task's index, from 0")->required();
    auto* status = farmApp->add_subcommand("status", "Say which tasks are done, failed, missing");
    status->add_option("dir", farm.dir, "The farm folder")->required();
    status->add_flag("--failed", farm.failedOnly,
                     "Print the tasks not done in Slurm's array syntax (0-3,7)");
    auto* join = farmApp->add_subcommand("join", "Check every task and write the final outputs");
    join->add_option("dir", farm.dir, "The farm folder")->required();
    auto* slurm = farmApp->add_subcommand(
        "slurm", "Write sbatch scripts: a job array over the tasks and a join job after it");
    slurm->add_option("dir", farm.dir, "The farm folder")->required();
    slurm->add_option("--partition", farm.partition, "Slurm partition");
    slurm->add_option("--gpus-per-task", farm.gpusPerTask, "GPUs of each task; 0 = CPU only")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    slurm->add_option("--max-parallel", farm.maxParallel, "Tasks running at once; 0 = no limit")
        ->check(CLI::NonNegativeNumber);
    slurm->add_option("--time", farm.time, "Time limit of each task, e.g. 2:00:00");
    auto* tasksOption = slurm->add_option(
        "--tasks", farm.tasks, "Only these tasks, in array syntax (what status --failed prints)");
    slurm->add_flag("--submit", farm.submit, "Submit both jobs with sbatch and print their ids");
    for (auto* sub : {plan, run, status, join, slurm}) {
        sub->fallthrough();
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    options.convert = convert->parsed();
    for (auto* sub : {plan, run, status, join, slurm}) {
        if (sub->parsed()) {
            farm.command = sub->get_name();
        }
    }
    farm.tasksGiven = tasksOption->count() > 0;
    farm.deviceGiven = deviceOption->count() > 0;
    options.verbosity = quiet ? -1 : (verbose ? 1 : 0);
    for (const auto& in : inputs) {
        job.inputs.emplace_back(in);
    }
    job.output = output;
    job.framesOut = framesOut;
    job.video.audio = !noAudio;
    if (!job.format.empty() && job.format.front() == '.') {
        job.format.erase(0, 1);
    }
    if (!options.convert && !options.listModels && job.inputs.empty() &&
        (farm.command.empty() || farm.command == "plan")) {
        std::cerr << "upscale: no input given. Name image or video files, or folders, or see "
                     "'upscale --help'.\n";
        return kExitUsage;
    }
    return -1;
}

}  // namespace upscale::cli
