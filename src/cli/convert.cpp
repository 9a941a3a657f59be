#include <iostream>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/models/manifest.hpp"
#include "upscale/models/model_file.hpp"

namespace upscale::cli {

int runListModels(const Options& options) {
    auto manifest = models::loadAvailableModels();
    if (!manifest) {
        core::logger("cli")->error("{}", manifest.error().message);
        return kExitFailed;
    }
    for (const auto& m : manifest->models) {
        std::cout << fmt::format("{:<28} {}{}\n", m.id, m.displayName,
                                 m.user ? " (user model)" : "");
        if (options.verbosity > 0) {
            auto file = models::loadModelFile(m.path);
            if (file) {
                std::int64_t params = 0;
                std::set<std::string> dtypes;
                for (const auto& [name, t] : file->weights) {
                    params += t.numel();
                    dtypes.insert(std::string(models::dtypeName(t.dtype)));
                }
                std::cout << fmt::format(
                    "    architecture: {}\n    scale: {}x\n    parameters: {} ({:.2f} M)\n"
                    "    dtype: {}\n    fp16-safe: {}\n",
                    file->spec.describe(), file->spec.scale, params, params / 1e6,
                    fmt::join(dtypes, ", "), models::isFp16Safe(file->spec.arch) ? "yes" : "no");
            } else {
                std::cout << fmt::format("    cannot be loaded: {}\n", file.error().message);
            }
            std::cout << fmt::format("    file: {}\n", m.path.string());
            if (!m.user) {
                std::cout << fmt::format("    licence: {}\n    {}\n", m.licence, m.description);
            }
        }
    }
    if (options.verbosity > 0) {
        std::cout << fmt::format("\nArchitectures read: {}.\n", models::supportedArchitectures());
    }
    return kExitOk;
}

int runConvert(const Options& options) {
    const auto dtype = options.convertDType == "fp32"   ? models::DType::F32
                       : options.convertDType == "bf16" ? models::DType::BF16
                                                        : models::DType::F16;
    auto converted = models::convertModel(options.convertIn, options.convertOut, dtype);
    auto log = core::logger("cli");
    if (!converted) {
        log->error("{}", converted.error().message);
        return kExitFailed;
    }
    log->info("Converted {} -> {}: {}", options.convertIn, options.convertOut,
              converted->spec.describe());
    std::cout << fmt::format("sha256 {}\n", converted->contentHash);
    return kExitOk;
}

}  // namespace upscale::cli
