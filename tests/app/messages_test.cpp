// The libraries' messages name no command-line flag: each front end words its own advice from
// an error's remedy. The test reads every string literal of the library sources.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "common/test_paths.hpp"

namespace {

namespace fs = std::filesystem;

/// "file:line: literal" for every string literal of `file` that holds a flag ("--resume",
/// "-o"): a dash or two after a space, a bracket or the literal's start.
std::vector<std::string> flagsIn(const fs::path& file) {
    static const std::regex literal(R"re("((?:[^"\\\n]|\\.)*)")re");
    static const std::regex flag(R"re((^|[\s(])(--[A-Za-z][A-Za-z-]*|-[A-Za-z])($|[\s.,;:)]))re");
    std::vector<std::string> found;
    std::ifstream in(file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line.compare(first, 2, "//") == 0 ||
            line.compare(first, 8, "#include") == 0) {
            continue;
        }
        for (std::sregex_iterator it(line.begin(), line.end(), literal), end; it != end; ++it) {
            const std::string text = (*it)[1];
            if (std::regex_search(text, flag)) {
                found.push_back(file.string() + ":" + std::to_string(number) + ": " + text);
            }
        }
    }
    return found;
}

fs::path sourceRoot() {
    return fs::path(UPSCALE_TEST_MODELS_DIR).parent_path();
}

TEST(LibraryMessages, NameNoCommandLineFlag) {
    std::vector<std::string> found;
    int files = 0;
    for (const char* module : {"core", "models", "engine", "pipeline", "media"}) {
        for (const fs::path& folder :
             {sourceRoot() / "src" / module, sourceRoot() / "include" / "upscale" / module}) {
            for (const auto& entry : fs::recursive_directory_iterator(folder)) {
                const auto ext = entry.path().extension();
                if (ext == ".cpp" || ext == ".hpp") {
                    ++files;
                    for (auto& hit : flagsIn(entry.path())) {
                        found.push_back(std::move(hit));
                    }
                }
            }
        }
    }
    EXPECT_GT(files, 40);
    std::string report;
    for (const auto& hit : found) {
        report += hit + "\n";
    }
    EXPECT_TRUE(found.empty()) << report;
}

TEST(LibraryMessages, TheScanFindsFlagsWhereTheyAre) {
    const fs::path file = fs::path(UPSCALE_TEST_BINARY_DIR) / "flag_scan_sample.cpp";
    std::ofstream(file) << "// Use --overwrite in a comment is fine.\n"
                           "fail(\"The output exists. Use --overwrite to replace it.\");\n"
                           "fail(\"Choose another output with \"\n"
                           "     \"-o.\");\n"
                           "fmt::format(\"{}-{}{}\", stem, n, ext);\n"
                           "log(\"{} -> {}\", a, b);\n"
                           "log(\"real-esrgan x4 on cuda:0\");\n";
    const auto found = flagsIn(file);
    ASSERT_EQ(found.size(), 2U);
    EXPECT_NE(found[0].find(":2: "), std::string::npos) << found[0];
    EXPECT_NE(found[1].find(":4: -o."), std::string::npos) << found[1];
}

}  // namespace
