#pragma once
// Helpers shared by the models tests: a scratch folder, whole-file I/O and fixture paths.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "common/test_paths.hpp"
#include "upscale/models/architecture.hpp"
#include "upscale/models/state_dict.hpp"

namespace upscale::models::test {

/// A fresh folder under the test binary dir, removed when the object goes away.
class ScratchDir {
public:
    ScratchDir() {
        std::random_device rd;
        m_path = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) /
                 ("scratch-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~ScratchDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return m_path / name;
    }

private:
    std::filesystem::path m_path;
};

inline std::vector<std::uint8_t> readBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& data) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
}

inline void writeText(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

inline std::filesystem::path fixtureParam() {
    return std::filesystem::path(UPSCALE_TEST_DATA_DIR) / "models" /
           "realesr-animevideov3-x4.param";
}

inline std::filesystem::path fixtureBin() {
    return std::filesystem::path(UPSCALE_TEST_DATA_DIR) / "models" / "realesr-animevideov3-x4.bin";
}

/// A file of tests/data/models/ (the fixtures of scripts/make-model-fixtures.py and others).
inline std::filesystem::path modelFixture(const std::string& name) {
    return std::filesystem::path(UPSCALE_TEST_DATA_DIR) / "models" / name;
}

inline std::filesystem::path bundledModels() {
    return std::filesystem::path(UPSCALE_TEST_MODELS_DIR);
}

/// A state dict with every tensor the spec needs, filled with small F32 values.
inline StateDict syntheticWeights(const ArchSpec& spec) {
    StateDict dict;
    for (const auto& [name, shape] : expectedTensors(spec)) {
        Tensor t;
        t.shape = shape;
        std::vector<float> values(static_cast<std::size_t>(t.numel()), 0.25F);
        dict[name] = Tensor::fromFloat32(values, shape, DType::F32);
    }
    return dict;
}

}  // namespace upscale::models::test
