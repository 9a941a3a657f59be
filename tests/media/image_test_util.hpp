#pragma once
// Helpers shared by the image tests: deterministic images, a fresh folder per test, file bytes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <system_error>

#include "common/test_paths.hpp"
#include "upscale/core/image.hpp"

namespace upscale::test {

/// A deterministic image whose samples differ across x, y and channel, so that swapped
/// channels, flipped rows or lost precision all show up.
inline core::Image patternImage(int width, int height, int channels, core::BitDepth depth) {
    core::Image img(width, height, channels, depth);
    const int max = img.maxValue();
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            for (int c = 0; c < channels; ++c) {
                const long v =
                    (static_cast<long>(x) * 7919 + y * 104729 + c * 15485863L) % (max + 1);
                img.set(x, y, c, static_cast<int>(v));
            }
        }
    }
    return img;
}

inline std::set<std::string> listFolder(const std::filesystem::path& dir) {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

inline void writeBytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
}

inline std::string readAll(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fixture with an empty folder of its own, named after the test, removed afterwards.
class FolderTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / "image_io_tmp" /
                (std::string(info->test_suite_name()) + "." + info->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
    }

    void TearDown() override {
        namespace fs = std::filesystem;
        std::error_code ec;
        // A test may have made a folder read-only; make it removable again.
        for (const auto& entry : fs::recursive_directory_iterator(m_dir, ec)) {
            if (entry.is_directory()) {
                fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add, ec);
            }
        }
        fs::remove_all(m_dir, ec);
    }

    [[nodiscard]] const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
};

}  // namespace upscale::test
