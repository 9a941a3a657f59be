// The command line's help and its format errors list every row of the format tables.

#include <gtest/gtest.h>

#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/models/model_formats.hpp"

using namespace upscale;

namespace {

std::string cliOutput(const std::string& args) {
    return test::runCommand(std::string(UPSCALE_CLI_PATH) + " " + args + " 2>&1").output;
}

/// Every extension outputs of these formats are written with, without its dot.
std::vector<std::string> writtenExtensions(const std::vector<media::FileFormat>& formats) {
    std::vector<std::string> out;
    for (const auto& format : formats) {
        if (format.writable) {
            out.emplace_back(format.extensions.front().substr(1));
        }
    }
    return out;
}

}  // namespace

TEST(CliHelp, TheFormatOptionAndItsErrorNameEveryWrittenFormat) {
    const std::string help = cliOutput("--help");
    const std::string refused = cliOutput("--device cpu -f xyz in.png");
    EXPECT_NE(refused.find("Unknown output format 'xyz'"), std::string::npos) << refused;
    auto formats = media::filesOf(media::imageFormats());
    const auto containers = media::filesOf(media::videoContainers());
    formats.insert(formats.end(), containers.begin(), containers.end());
    ASSERT_GT(writtenExtensions(formats).size(), 8U);
    for (const auto& extension : writtenExtensions(formats)) {
        EXPECT_NE(help.find(" " + extension), std::string::npos) << extension << "\n" << help;
        EXPECT_NE(refused.find(" " + extension), std::string::npos) << extension << "\n" << refused;
    }
    // A container only read is never offered for output.
    EXPECT_EQ(help.find("m4v"), std::string::npos);
}

TEST(CliHelp, ConvertNamesEveryModelFormat) {
    const std::string help = cliOutput("convert --help");
    for (const auto& extension : models::modelExtensions()) {
        EXPECT_NE(help.find(extension), std::string::npos) << extension << "\n" << help;
    }
    EXPECT_NE(help.find(models::modelFormatList()), std::string::npos) << help;
}
