#include "upscale/models/manifest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <new>
#include <set>
#include <system_error>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "file_bytes.hpp"
#include "upscale/core/logging.hpp"
#include "upscale/core/paths.hpp"
#include "upscale/models/model_formats.hpp"

namespace upscale::models {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr std::string_view kReinstall = "The manifest is damaged: reinstall the program.";

tl::unexpected<core::Error> badManifest(const fs::path& manifest, std::string_view what) {
    return core::fail(core::ErrorCode::CorruptFile,
                      fmt::format("'{}' is not a valid model manifest: {}. {}", manifest.string(),
                                  what, kReinstall));
}

bool isSha256(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

/// One "models" entry; `label` names it in errors ("entry 2 ('realesr-x')").
core::Result<ModelEntry> parseEntry(const Json& item, std::size_t index, const fs::path& manifest) {
    std::string label = fmt::format("entry {}", index + 1);
    if (!item.is_object()) {
        return badManifest(manifest, fmt::format("model {} is not an object", label));
    }
    if (const auto id = item.find("id"); id != item.end() && id->is_string()) {
        label = fmt::format("entry {} ('{}')", index + 1, id->get<std::string>());
    }
    ModelEntry entry;
    const auto text = [&](const char* key, std::string& out, bool required) -> bool {
        const auto it = item.find(key);
        if (it == item.end()) {
            return !required;
        }
        if (!it->is_string() || (required && it->get_ref<const std::string&>().empty())) {
            return false;
        }
        out = it->get<std::string>();
        return true;
    };
    for (const auto& [key, out, required] :
         {std::tuple{"id", &entry.id, true}, std::tuple{"display_name", &entry.displayName, true},
          std::tuple{"file", &entry.file, true},
          std::tuple{"architecture", &entry.architecture, true},
          std::tuple{"sha256", &entry.sha256, true}, std::tuple{"licence", &entry.licence, false},
          std::tuple{"source", &entry.source, false},
          std::tuple{"description", &entry.description, false}}) {
        if (!text(key, *out, required)) {
            return badManifest(manifest, fmt::format("model {} needs a{} '{}' string", label,
                                                     required ? " non-empty" : "", key));
        }
    }
    const auto scale = item.find("scale");
    if (scale == item.end() || !scale->is_number_integer() || scale->get<std::int64_t>() < 1 ||
        scale->get<std::int64_t>() > 16) {
        return badManifest(manifest,
                           fmt::format("model {} needs a 'scale' integer from 1 to 16", label));
    }
    entry.scale = scale->get<int>();
    if (!isSha256(entry.sha256)) {
        return badManifest(manifest,
                           fmt::format("model {} has a 'sha256' that is not 64 lower-case hex "
                                       "digits",
                                       label));
    }
    if (const auto rec = item.find("recommended"); rec != item.end()) {
        if (!rec->is_boolean()) {
            return badManifest(manifest,
                               fmt::format("model {} has a 'recommended' that is not true or "
                                           "false",
                                           label));
        }
        entry.recommended = rec->get<bool>();
    }
    entry.path = manifest.parent_path() / entry.file;
    return entry;
}

core::Result<Manifest> parseManifest(const fs::path& manifestJson) {
    auto bytes = detail::readFileBytes(manifestJson, "Model manifest");
    if (!bytes) {
        return tl::unexpected(bytes.error());
    }
    Json root;
    try {
        root = Json::parse(bytes->begin(), bytes->end());
    } catch (const Json::exception& e) {
        return badManifest(manifestJson, fmt::format("it is not valid JSON ({})", e.what()));
    }
    const auto models = root.is_object() ? root.find("models") : root.end();
    if (!root.is_object() || models == root.end() || !models->is_array()) {
        return badManifest(manifestJson, "it has no \"models\" list");
    }
    Manifest manifest;
    manifest.dir = manifestJson.parent_path();
    std::set<std::string, std::less<>> ids;
    for (std::size_t i = 0; i < models->size(); ++i) {
        auto entry = parseEntry((*models)[i], i, manifestJson);
        if (!entry) {
            return tl::unexpected(entry.error());
        }
        if (!ids.insert(entry->id).second) {
            return badManifest(manifestJson,
                               fmt::format("model id '{}' appears more than once", entry->id));
        }
        manifest.models.push_back(std::move(*entry));
    }
    std::stable_partition(manifest.models.begin(), manifest.models.end(),
                          [](const ModelEntry& e) { return e.recommended; });
    return manifest;
}

bool isRegularFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

bool looksLikePath(std::string_view text) {
    return text.find('/') != std::string_view::npos || endsWithModelSuffix(text);
}

}  // namespace

const ModelEntry* Manifest::find(std::string_view id) const {
    const auto it =
        std::find_if(models.begin(), models.end(), [&](const ModelEntry& e) { return e.id == id; });
    return it == models.end() ? nullptr : &*it;
}

const ModelEntry* Manifest::defaultModel() const {
    const auto it = std::find_if(models.begin(), models.end(),
                                 [](const ModelEntry& e) { return e.recommended; });
    if (it != models.end()) {
        return &*it;
    }
    return models.empty() ? nullptr : &models.front();
}

core::Result<Manifest> loadManifest(const std::filesystem::path& manifestJson) {
    try {
        return parseManifest(manifestJson);
    } catch (const std::bad_alloc&) {
        return core::fail(core::ErrorCode::OutOfMemory,
                          fmt::format("'{}' is too large to read.", manifestJson.string()));
    } catch (const Json::exception& e) {
        return badManifest(manifestJson, e.what());
    }
}

void addUserModels(Manifest& manifest, const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (isRegularFile(it->path()) && hasModelExtension(it->path())) {
            files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        const std::string id = file.stem().string();
        if (manifest.find(id) != nullptr) {
            core::logger("models")->warn(
                "The user model '{}' has the same name as another model and is not listed; "
                "rename it, or name it by its path.",
                file.string());
            continue;
        }
        ModelEntry entry;
        entry.id = id;
        entry.displayName = id;
        entry.file = file.filename().string();
        entry.source = "user models folder";
        entry.path = file;
        entry.user = true;
        entry.scale = 0;
        manifest.models.push_back(std::move(entry));
    }
}

core::Result<Manifest> loadAvailableModels() {
    auto manifest = loadManifest(bundledModelsDir() / "manifest.json");
    if (manifest) {
        addUserModels(*manifest, core::userModelsDir());
    }
    return manifest;
}

std::filesystem::path bundledModelsDir() {
    if (const char* env = std::getenv("UPSCALE_MODELS_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed =
            (exe.parent_path() / ".." / "share" / "upscale-studio" / "models").lexically_normal();
        if (isRegularFile(installed / "manifest.json")) {
            return installed;
        }
    }
    const fs::path install = UPSCALE_INSTALL_MODELS_DIR;
    if (isRegularFile(install / "manifest.json")) {
        return install;
    }
    return UPSCALE_SOURCE_MODELS_DIR;
}

core::Result<ModelRef> resolveModel(std::string_view idOrPath, const Manifest& manifest) {
    const fs::path asPath{std::string(idOrPath)};
    if (isRegularFile(asPath) || looksLikePath(idOrPath)) {
        if (!isRegularFile(asPath)) {
            return core::fail(core::ErrorCode::NotFound,
                              fmt::format("Model file '{}' does not exist.", idOrPath));
        }
        ModelRef ref{asPath.stem().string(), asPath, std::nullopt};
        // A path to a bundled file still gets its manifest entry (display name, licence).
        for (const ModelEntry& entry : manifest.models) {
            std::error_code ec;
            if (fs::equivalent(entry.path, asPath, ec)) {
                ref.entry = entry;
                break;
            }
        }
        return ref;
    }
    if (const ModelEntry* entry = manifest.find(idOrPath)) {
        return ModelRef{entry->id, entry->path, *entry};
    }
    std::vector<std::string> ids;
    for (const ModelEntry& entry : manifest.models) {
        ids.push_back(entry.id);
    }
    return core::fail(
        core::ErrorCode::NotFound,
        fmt::format("Unknown model '{}'. Available models: {}.", idOrPath,
                    ids.empty() ? std::string("none") : fmt::format("{}", fmt::join(ids, ", "))),
        core::Remedy::ChooseModel, std::string(idOrPath));
}

}  // namespace upscale::models
