#include <filesystem>
#include <optional>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "context_state.hpp"
#include "device.hpp"
#include "loaded_model.hpp"
#include "oom.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/models/model_file.hpp"

namespace upscale::engine {

namespace {

std::string fileKey(const std::filesystem::path& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    const auto time = std::filesystem::last_write_time(path, ec).time_since_epoch().count();
    return fmt::format("{}|{}|{}", std::filesystem::absolute(path).string(), size, time);
}

models::DType dominantDType(const models::StateDict& weights) {
    for (const auto& [name, tensor] : weights) {
        if (models::isFloating(tensor.dtype)) {
            return tensor.dtype;
        }
    }
    return models::DType::F32;
}

}  // namespace

ModelCache::ModelCache(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ModelCache::~ModelCache() = default;

ModelCache::Stats ModelCache::stats() const {
    std::lock_guard lock(m_impl->mutex);
    Stats s;
    s.loads = m_impl->loads;
    s.hits = m_impl->hits;
    s.entries = static_cast<int>(m_impl->entries.size());
    for (const auto& [key, entry] : m_impl->entries) {
        s.bytes += entry.model->bytes;
    }
    return s;
}

void ModelCache::clear() {
    std::lock_guard lock(m_impl->mutex);
    m_impl->entries.clear();
    m_impl->files.clear();
}

core::Result<std::shared_ptr<const LoadedModel>> ModelCache::Impl::acquire(
    const models::ModelRef& ref, core::Precision precision, const c10::Device& device, int copy,
    detail::JobWarnings& warnings) {
    // One lock over the whole load: two workers asking for the same model at once must not
    // both load it, and loads are rare next to inference.
    std::lock_guard lock(mutex);
    // The file is read only when its identity is not known yet or its network must be built.
    std::optional<models::ModelFile> file;
    const std::string fileKeyText = fileKey(ref.file);
    auto known = files.find(fileKeyText);
    if (known == files.end()) {
        auto loadedFile = models::loadModelFile(ref.file);
        if (!loadedFile) {
            return core::fail(loadedFile.error());
        }
        if (ref.entry && !ref.entry->sha256.empty() &&
            ref.entry->sha256 != loadedFile->contentHash) {
            return core::fail(core::ErrorCode::CorruptFile,
                              fmt::format("The model file '{}' of '{}' is damaged: its checksum "
                                          "does not match the manifest. Reinstall Upscale "
                                          "Studio or restore the file.",
                                          ref.file.string(), ref.name));
        }
        FileInfo fresh{loadedFile->contentHash, dominantDType(loadedFile->weights),
                       loadedFile->spec.arch};
        known = files.emplace(fileKeyText, fresh).first;
        file = std::move(*loadedFile);
    }
    const FileInfo& info = known->second;
    std::string precisionNote;
    const c10::ScalarType dtype =
        resolveDtype(precision, device, info.weightsDType, info.arch, ref.name, &precisionNote);
    const std::string precisionName = dtypeLabel(dtype);
    const std::string key =
        fmt::format("{}|{}|{}|{}", info.identity, c10::toString(dtype), device.str(), copy);
    auto log = core::logger("engine");
    if (!precisionNote.empty() && warnings.first(precisionNote)) {
        log->warn("{}", precisionNote);
    }
    if (auto it = entries.find(key); it != entries.end()) {
        it->second.lastUse = ++clock;
        ++hits;
        log->info("Using cached model: {} ({})", ref.name, precisionName);
        return it->second.model;
    }

    if (!file) {
        auto loadedFile = models::loadModelFile(ref.file);
        if (!loadedFile) {
            return core::fail(loadedFile.error());
        }
        file = std::move(*loadedFile);
    }
    auto network = networks ? networks(*file) : models::buildNetwork(*file);
    if (!network) {
        return core::fail(network.error());
    }
    auto loaded = std::make_shared<LoadedModel>();
    loaded->name = ref.name;
    loaded->identity = info.identity;
    loaded->spec = file->spec;
    loaded->device = device;
    loaded->dtype = dtype;
    try {
        (*network)->to(device, dtype);
        if (device.is_cuda()) {
            // Channels-last weights let cuDNN use its NHWC tensor-core convolutions.
            torch::NoGradGuard noGrad;
            for (auto& p : (*network)->parameters()) {
                if (p.dim() == 4) {
                    p.set_data(p.contiguous(at::MemoryFormat::ChannelsLast));
                }
            }
        }
    } catch (const c10::Error& e) {
        return core::fail(
            isOutOfMemory(e) ? core::ErrorCode::OutOfMemory : core::ErrorCode::Internal,
            fmt::format("Moving model '{}' to {} failed: {}", ref.name, describeDevice(device),
                        failureMessage(e)));
    }
    for (const auto& p : (*network)->parameters()) {
        loaded->bytes += static_cast<std::size_t>(p.numel()) * p.element_size();
    }
    loaded->network = std::move(*network);
    ++loads;
    log->info("{} loaded on {} ({}) - {}x", ref.name, describeDevice(device), precisionName,
              loaded->spec.scale);
    entries[key] = Entry{loaded, ++clock};
    evictLocked();
    return std::shared_ptr<const LoadedModel>(loaded);
}

void ModelCache::Impl::evictLocked() {
    auto total = [this] {
        std::size_t sum = 0;
        for (const auto& [key, entry] : entries) {
            sum += entry.model->bytes;
        }
        return sum;
    };
    // The newest entry always stays, even when it alone exceeds the budget.
    while (entries.size() > 1 && total() > budgetBytes) {
        auto oldest = entries.begin();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            if (it->second.lastUse < oldest->second.lastUse) {
                oldest = it;
            }
        }
        core::logger("engine")->debug("Model cache over budget: dropping {}",
                                      oldest->second.model->name);
        entries.erase(oldest);
    }
}

}  // namespace upscale::engine
