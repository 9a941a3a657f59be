#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <string>

#include "common/test_paths.hpp"
#include "upscale/media/formats.hpp"
#include "upscale/media/image_io.hpp"
#include "upscale/media/video.hpp"
#include "upscale/media/video_writer.hpp"

using namespace upscale::media;

namespace {

// A small table of its own, so that the generators are tried without the real one.
constexpr std::array<ImageFormatRow, 3> kSmall{{
    {{"Alpha", {".alp", ".alpha"}}, ImageFormat::Png, true, true, true, 0},
    {{"Beta", {".bet", ""}, true, false}, ImageFormat::Jpeg},
    {{"Gamma", {".gam", ""}}, ImageFormat::Bmp},
}};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST(FormatTables, GeneratorsListEveryRowForItsUse) {
    const auto files = filesOf(kSmall);
    EXPECT_EQ(namesList(files, FormatUse::Read), "Alpha, Beta, Gamma");
    EXPECT_EQ(namesList(files, FormatUse::Write), "Alpha, Gamma");  // Beta is only read
    EXPECT_EQ(extensionChoice(files, FormatUse::Read, false), "alp, bet or gam");
    EXPECT_EQ(extensionChoice(files, FormatUse::Write, true), ".alp or .gam");
    EXPECT_EQ(filterPatterns(files, FormatUse::Read), "*.alp *.alpha *.bet *.gam");
    EXPECT_EQ(extensionsOf(files, FormatUse::Write),
              (std::vector<std::string>{".alp", ".alpha", ".gam"}));
}

TEST(FormatTables, ARowLeftOutOfTheTableLeavesEveryGeneratedText) {
    const std::array<ImageFormatRow, 2> withoutBeta{kSmall[0], kSmall[2]};
    const auto files = filesOf(withoutBeta);
    for (const auto& text :
         {namesList(files, FormatUse::Read), extensionChoice(files, FormatUse::Read, true),
          filterPatterns(files, FormatUse::Read)}) {
        EXPECT_FALSE(contains(text, "Beta") || contains(text, "bet")) << text;
        EXPECT_TRUE(contains(text, "Gamma") || contains(text, "gam")) << text;
    }
    EXPECT_EQ(findImageFormat("photo.bet", withoutBeta), nullptr);
    ASSERT_NE(findImageFormat("photo.BET", kSmall), nullptr);
    EXPECT_EQ(findImageFormat("photo.BET", kSmall)->file.name, "Beta");
}

TEST(FormatTables, EveryImageRowIsReadWrittenAndNamedInTheMessages) {
    const auto root = std::filesystem::path(UPSCALE_TEST_BINARY_DIR) / "formats_table";
    std::filesystem::create_directories(root);
    const auto unknown =
        writeImage(root / "out.xyz", upscale::core::Image(4, 4, 3, upscale::core::BitDepth::U8));
    ASSERT_FALSE(unknown);
    const auto notImage = root / "notes.txt";
    { std::ofstream(notImage) << "not an image"; }
    const auto unread = readImage(notImage);
    ASSERT_FALSE(unread);
    for (const auto& row : imageFormats()) {
        for (const auto extension : row.file.extensions) {
            if (!extension.empty()) {
                EXPECT_TRUE(hasImageExtension("x" + std::string(extension))) << extension;
            }
        }
        EXPECT_TRUE(contains(unread.error().message, std::string(row.file.name)))
            << unread.error().message;
        EXPECT_TRUE(contains(unknown.error().message, std::string(row.file.extensions.front())))
            << unknown.error().message;
        // Each written format holds a small image whose alpha and depth follow the row.
        upscale::core::Image image(5, 3, 4, upscale::core::BitDepth::U16);
        std::fill(image.bytes().begin(), image.bytes().end(), std::uint8_t{0x80});
        const auto file = root / ("out" + std::string(row.file.extensions.front()));
        ASSERT_TRUE(writeImage(file, image)) << file;
        const auto back = readImage(file);
        ASSERT_TRUE(back) << back.error().message;
        EXPECT_EQ(back->channels(), row.alpha ? 4 : 3) << row.file.name;
        EXPECT_EQ(back->depth(),
                  row.sixteenBit ? upscale::core::BitDepth::U16 : upscale::core::BitDepth::U8)
            << row.file.name;
    }
}

TEST(FormatTables, VideoContainersGiveTheReadAndWrittenExtensions) {
    for (const auto& row : videoContainers()) {
        for (const auto extension : row.file.extensions) {
            if (extension.empty()) {
                continue;
            }
            const std::string name = "clip" + std::string(extension);
            EXPECT_TRUE(hasVideoExtension(name)) << name;
            EXPECT_EQ(hasVideoOutputExtension(name), row.file.writable) << name;
        }
    }
    EXPECT_FALSE(hasVideoExtension("clip.png"));
    EXPECT_FALSE(hasVideoOutputExtension("clip.m4v"));  // read, never written
}
