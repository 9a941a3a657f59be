#include "upscale/core/paths.hpp"

#include <cstdlib>
#include <random>

#include <fmt/format.h>

namespace upscale::core {

std::filesystem::path userDataDir() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::filesystem::path(xdg) / "upscale-studio";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
        return std::filesystem::path(home) / ".local" / "share" / "upscale-studio";
    }
    return std::filesystem::temp_directory_path() / "upscale-studio";
}

std::filesystem::path userModelsDir() {
    return userDataDir() / "models";
}

std::filesystem::path temporarySibling(const std::filesystem::path& target) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const auto tag = fmt::format("{:012x}", rng() & 0xffffffffffffULL);
    const std::string name =
        fmt::format(".{}.{}.tmp{}", target.stem().string(), tag, target.extension().string());
    return target.parent_path() / name;
}

}  // namespace upscale::core
