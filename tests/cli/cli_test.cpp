// The `upscale` executable as a user runs it: exit codes, messages and files.

#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_run.hpp"
#include "common/test_paths.hpp"
#include "common/video_clips.hpp"
#include "upscale/media/image_io.hpp"

namespace fs = std::filesystem;
using namespace upscale;
using upscale::test::upscaleCli;

namespace {

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

class Cli : public testing::Test {
protected:
    void SetUp() override {
        m_dir =
            fs::path(UPSCALE_TEST_BINARY_DIR) /
            ("cli_" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        // Keep the log file of the runs inside the test folder.
        setenv("XDG_DATA_HOME", (m_dir / "data").c_str(), 1);
    }
    fs::path sample(const std::string& name, const std::string& from = "rocket_crop.png") {
        fs::copy_file(fs::path(UPSCALE_TEST_DATA_DIR) / from, m_dir / name);
        return m_dir / name;
    }
    fs::path m_dir;
};

}  // namespace

TEST_F(Cli, UpscalesAnImageBesideItAndSaysWhere) {
    const auto in = sample("rocket.png");
    const auto run = upscaleCli(quote(in.string()));
    EXPECT_EQ(run.code, 0) << run.output;
    EXPECT_TRUE(fs::exists(m_dir / "rocket_x4.png"));
    EXPECT_NE(run.output.find("loaded on CPU (FP32) - 4x"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("Batch 1: 1 frame upscaled and saved"), std::string::npos);
    EXPECT_NE(run.output.find("rocket_x4.png"), std::string::npos);
    // The CPU has no FP16: one warning says so.
    EXPECT_NE(run.output.find("FP16 is not supported on the CPU; using FP32"), std::string::npos);
}

TEST_F(Cli, ScaleTwoWithTheFourTimesModelDoublesTheSize) {
    const auto in = sample("rocket.png");
    const auto out = m_dir / "half.png";
    const auto run = upscaleCli("-s 2 " + quote(in.string()) + " -o " + quote(out.string()));
    ASSERT_EQ(run.code, 0) << run.output;
    auto img = media::readImage(out);
    ASSERT_TRUE(img.has_value());
    EXPECT_EQ(img->width(), 128);
    EXPECT_EQ(img->height(), 128);
}

TEST_F(Cli, RgbaPngKeepsItsAlpha) {
    core::Image rgba(40, 30, 4, core::BitDepth::U8);
    for (int y = 0; y < 30; ++y) {
        for (int x = 0; x < 40; ++x) {
            rgba.set(x, y, 0, 200);
            rgba.set(x, y, 1, x * 6);
            rgba.set(x, y, 2, y * 8);
            rgba.set(x, y, 3, x < 20 ? 0 : 255);
        }
    }
    ASSERT_TRUE(media::writeImage(m_dir / "rgba.png", rgba).has_value());
    const auto run = upscaleCli(quote((m_dir / "rgba.png").string()));
    ASSERT_EQ(run.code, 0) << run.output;
    auto out = media::readImage(m_dir / "rgba_x4.png");
    ASSERT_TRUE(out.has_value());
    ASSERT_EQ(out->channels(), 4);
    EXPECT_LE(out->at(20, 60, 3), 5);
    EXPECT_GE(out->at(140, 60, 3), 250);
}

TEST_F(Cli, MissingFileFailsAloneWithExitOneAndTheOthersAreWritten) {
    const auto good = sample("good.png");
    const auto run = upscaleCli(quote((m_dir / "nope.png").string()) + " " + quote(good.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("nope.png' does not exist"), std::string::npos) << run.output;
    EXPECT_TRUE(fs::exists(m_dir / "good_x4.png"));
    EXPECT_NE(run.output.find("1 succeeded, 1 failed"), std::string::npos);
}

TEST_F(Cli, FileThatIsNotAnImageFailsNamingIt) {
    std::ofstream(m_dir / "letter.png") << "Dear reader, this is not a PNG.";
    const auto good = sample("good.png");
    const auto run =
        upscaleCli(quote((m_dir / "letter.png").string()) + " " + quote(good.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("letter.png' looks like a PNG file but could not be decoded: it "
                              "may be truncated or damaged."),
              std::string::npos)
        << run.output;
    EXPECT_TRUE(fs::exists(m_dir / "good_x4.png"));
    EXPECT_FALSE(fs::exists(m_dir / "letter_x4.png"));
}

TEST_F(Cli, UnknownModelIdIsAUsageErrorListingTheModels) {
    const auto in = sample("a.png");
    const auto run = upscaleCli("-m realesr-bogus " + quote(in.string()));
    EXPECT_EQ(run.code, 2) << run.output;
    EXPECT_NE(run.output.find("Unknown model 'realesr-bogus'"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("realesr-general-x4v3"), std::string::npos);
}

TEST_F(Cli, TruncatedModelFileFailsNamingIt) {
    const auto model = fs::path(UPSCALE_TEST_MODELS_DIR) / "realesr-animevideov3.safetensors";
    std::ifstream src(model, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(src)), std::istreambuf_iterator<char>());
    std::ofstream(m_dir / "broken.safetensors", std::ios::binary)
        << bytes.substr(0, bytes.size() / 2);
    const auto in = sample("a.png");
    const auto run = upscaleCli("-m " + quote((m_dir / "broken.safetensors").string()) + " " +
                                quote(in.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("broken.safetensors' is not a valid safetensors file: tensor '"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("point past the end of the file"), std::string::npos);
    EXPECT_NE(run.output.find("The file is damaged or incomplete: download or convert it again."),
              std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "a_x4.png"));
}

TEST_F(Cli, CorruptModelFileFailsNamingIt) {
    // A header length of 5 and a header that is not JSON.
    const std::string garbage("\x05\x00\x00\x00\x00\x00\x00\x00{oops", 13);
    std::ofstream(m_dir / "garbage.safetensors", std::ios::binary) << garbage;
    const auto in = sample("a.png");
    const auto run = upscaleCli("-m " + quote((m_dir / "garbage.safetensors").string()) + " " +
                                quote(in.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("garbage.safetensors' is not a valid safetensors file: its header "
                              "is not valid JSON"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("The file is damaged or incomplete: download or convert it again."),
              std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "a_x4.png"));
}

TEST_F(Cli, UnwritableOutputFolderFailsNamingItAndOtherInputsStillRun) {
    // A file where the folder should be stops root too, unlike permissions.
    const auto a = sample("a.png");
    std::ofstream(m_dir / "blocked") << "a file, not a folder";
    const auto blocked = m_dir / "blocked" / "out";
    auto run = upscaleCli(quote(a.string()) + " -o " + quote(blocked.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("Cannot create the output folder '" + blocked.string() + "': "),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("Choose another output, or a writable folder, with -o."),
              std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "a_x4.png"));

    // Outputs go beside their inputs. The second input is read through /dev/fd/3, a folder that
    // takes no new files, even from root; the first one's folder is writable.
    const auto good = sample("good.png");
    run = upscaleCli("-f png " + quote(good.string()) + " /dev/fd/3 3<" + quote(a.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("Cannot write '/dev/fd/3_x4.png': "), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("No such file or directory. Check that the folder exists."),
              std::string::npos);
    EXPECT_NE(run.output.find("1 succeeded, 1 failed"), std::string::npos);
    auto written = media::readImage(m_dir / "good_x4.png");
    ASSERT_TRUE(written.has_value()) << run.output;
    EXPECT_EQ(written->width(), 256);
}

TEST_F(Cli, BadOptionIsAUsageError) {
    const auto run = upscaleCli("--batch 12 x.png");
    EXPECT_EQ(run.code, 2) << run.output;
    const auto none = upscaleCli("");
    EXPECT_EQ(none.code, 2) << none.output;
}

TEST_F(Cli, ImageOverMaxPixelsFailsAloneWithExitOneNamingTheLimit) {
    const auto big = sample("big.png");  // 64x64
    const auto small = m_dir / "small.png";
    ASSERT_TRUE(media::writeImage(small, core::Image(16, 16, 3, core::BitDepth::U8)));
    const auto run =
        upscaleCli("--max-pixels 1000 " + quote(big.string()) + " " + quote(small.string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("big.png' is 64x64 = 4096 pixels, more than the limit of 1000 "
                              "pixels"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("--max-pixels"), std::string::npos);
    EXPECT_FALSE(fs::exists(m_dir / "big_x4.png"));
    EXPECT_TRUE(fs::exists(m_dir / "small_x4.png"));

    const auto zero = upscaleCli("--max-pixels 0 " + quote(small.string()));
    EXPECT_EQ(zero.code, 2) << zero.output;
}

TEST_F(Cli, FileSizeLimitFailsWithExitOneSayingSoAndLeavesNoPartialFile) {
    const auto in = sample("rocket.png");
    // 32 blocks (16 or 32 KiB, depending on the shell) is far below the 256x256 result.
    const auto result =
        upscale::test::runCommand("ulimit -f 32 && " + std::string(UPSCALE_CLI_PATH) +
                                  " --device cpu " + quote(in.string()) + " 2>&1");
    EXPECT_EQ(result.code, 1) << result.output;
    EXPECT_NE(result.output.find("rocket_x4.png': File too large"), std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("--resume"), std::string::npos) << result.output;
    for (const auto& entry : fs::directory_iterator(m_dir)) {
        EXPECT_EQ(entry.path().filename().string().find("rocket_x4"), std::string::npos)
            << entry.path();
    }
}

TEST_F(Cli, JsonPrintsOneEventPerLine) {
    const auto in = sample("j.png");
    const auto run = upscaleCli("--json -q " + quote(in.string()));
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("{\"event\":\"job-started\",\"items\":1}"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("{\"event\":\"batch\",\"item\":1"), std::string::npos);
    EXPECT_NE(run.output.find("\"event\":\"job-finished\",\"items\":1,\"succeeded\":1"),
              std::string::npos);
}

TEST_F(Cli, ListModelsShowsTheBundledModels) {
    const auto run = upscaleCli("--list-models -v");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("realesr-animevideov3"), std::string::npos);
    EXPECT_NE(run.output.find("realesr-general-x4v3"), std::string::npos);
    EXPECT_NE(run.output.find("SRVGGNetCompact (64 features, 16 convs, 4x)"), std::string::npos)
        << run.output;
    const auto archs = run.output.find("Architectures read from model files:\n");
    ASSERT_NE(archs, std::string::npos) << run.output;
    for (const char* line :
         {"  RealPLKSR        group or layer norm", "  DAT              DAT, DAT-S, DAT-2",
          "DAT-light", "  OmniSR           any width"}) {
        EXPECT_NE(run.output.find(line, archs), std::string::npos) << line << "\n" << run.output;
    }
}

TEST_F(Cli, ConvertTurnsAnNcnnModelIntoSafetensorsThatUpscales) {
    const auto data = fs::path(UPSCALE_TEST_DATA_DIR) / "models";
    const auto out = m_dir / "converted.safetensors";
    auto run = upscaleCli("convert " + quote((data / "realesr-animevideov3-x4.param").string()) +
                          " " + quote(out.string()));
    ASSERT_EQ(run.code, 0) << run.output;
    ASSERT_TRUE(fs::exists(out));
    const auto in = sample("c.png");
    run = upscaleCli("-m " + quote(out.string()) + " " + quote(in.string()));
    EXPECT_EQ(run.code, 0) << run.output;
    EXPECT_TRUE(fs::exists(m_dir / "c_x4.png"));
}

TEST_F(Cli, UserModelsAreListedWithTheirDetailsAndUsableByName) {
    const auto models = m_dir / "data" / "upscale-studio" / "models";
    const auto data = fs::path(UPSCALE_TEST_DATA_DIR) / "models";
    fs::create_directories(models);
    fs::copy_file(data / "rrdb-x2.pth", models / "tiny-esrgan.pth");
    fs::copy_file(data / "span-x4-legacy.pth", models / "tiny-span.pth");
    fs::copy_file(data / "hostile-system.pth", models / "hostile.pth");

    auto run = upscaleCli("--list-models -v");
    ASSERT_EQ(run.code, 0) << run.output;
    // After the bundled models, in name order, marked as the user's.
    const auto bundled = run.output.find("realesr-animevideov3");
    const auto esrgan = run.output.find("tiny-esrgan                  tiny-esrgan (user model)");
    ASSERT_NE(esrgan, std::string::npos) << run.output;
    EXPECT_LT(bundled, esrgan);
    EXPECT_LT(run.output.find("hostile"), esrgan);
    EXPECT_NE(run.output.find("    architecture: RRDBNet (8 features, 1 blocks, 4 growth, 2x)\n"
                              "    scale: 2x\n"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("    architecture: SPAN (4 features, 4x)"), std::string::npos);
    EXPECT_NE(run.output.find("    dtype: F32\n    fp16-safe: yes\n"), std::string::npos);
    EXPECT_NE(run.output.find("cannot be loaded: '" + (models / "hostile.pth").string() +
                              "' asks for the Python object 'posix.system'"),
              std::string::npos)
        << run.output;

    const auto in = sample("rocket.png");
    run = upscaleCli("-m tiny-esrgan " + quote(in.string()));
    ASSERT_EQ(run.code, 0) << run.output;
    auto img = media::readImage(m_dir / "rocket_x2.png");
    ASSERT_TRUE(img.has_value());
    EXPECT_EQ(img->width(), 128);

    // A hostile model fails with its reason; nothing else happens.
    run =
        upscaleCli("-m hostile " + quote(in.string()) + " -o " + quote((m_dir / "h.png").string()));
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("'posix.system'"), std::string::npos) << run.output;
    EXPECT_FALSE(fs::exists(m_dir / "h.png"));
}

TEST_F(Cli, OneWorkerBatchOneAndFourWorkersBatchEightWriteIdenticalFiles) {
    fs::create_directories(m_dir / "in");
    for (int i = 0; i < 5; ++i) {
        fs::copy_file(
            fs::path(UPSCALE_TEST_DATA_DIR) / (i % 2 ? "rocket_crop.png" : "coffee_crop.png"),
            m_dir / "in" / ("frame" + std::to_string(i) + ".png"));
    }
    const std::string in = quote((m_dir / "in").string());
    auto a = upscaleCli("-w 1 -b 1 -t 32 " + in + " -o " + quote((m_dir / "a").string()));
    auto b = upscaleCli("-w 4 -b 8 -t 32 " + in + " -o " + quote((m_dir / "b").string()));
    ASSERT_EQ(a.code, 0) << a.output;
    ASSERT_EQ(b.code, 0) << b.output;
    EXPECT_NE(b.output.find("4 worker(s)"), std::string::npos) << b.output;
    for (int i = 0; i < 5; ++i) {
        const std::string name = "frame" + std::to_string(i) + "_x4.png";
        auto x = media::readImage(m_dir / "a" / name);
        auto y = media::readImage(m_dir / "b" / name);
        ASSERT_TRUE(x && y) << name;
        EXPECT_TRUE(std::equal(x->bytes().begin(), x->bytes().end(), y->bytes().begin())) << name;
    }
}

TEST_F(Cli, HostileModelsInTheUserFolderAreListedAsUnloadableAndNotConverted) {
    const auto models = m_dir / "data" / "upscale-studio" / "models";
    const auto data = fs::path(UPSCALE_TEST_DATA_DIR) / "models";
    fs::create_directories(models);
    // The ncnn line that once stopped the program with SIGFPE, with an empty .bin beside it.
    {
        std::ofstream param(models / "overflow.param");
        param << "7767517\n2 2\nInput data 0 1 data\n"
                 "Convolution conv 1 1 data out 0=1073741824 1=131072 11=131072 5=1 6=1\n";
        std::ofstream bin(models / "overflow.bin");
    }
    fs::copy_file(data / "compact-zero-out.pth", models / "zero-out.pth");
    fs::copy_file(data / "compact-3to1-x2.pth", models / "grey.pth");

    auto run = upscaleCli("--list-models -v");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("layer 'conv' (Convolution) has inconsistent sizes"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("describes an impossible SRVGGNetCompact network"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("for 3 input and 1 output channels (RGB to grey)"), std::string::npos)
        << run.output;

    for (const char* name : {"overflow.param", "zero-out.pth"}) {
        const auto out = m_dir / (std::string(name) + ".safetensors");
        run = upscaleCli("convert " + quote((models / name).string()) + " " + quote(out.string()));
        EXPECT_EQ(run.code, 1) << name << ": " << run.output;
        EXPECT_FALSE(fs::exists(out)) << name;
    }
}

TEST_F(Cli, ListModelsVerboseNamesTheTransformerVariantsAndTheArchitecturesRead) {
    const auto models = m_dir / "data" / "upscale-studio" / "models";
    const auto data = fs::path(UPSCALE_TEST_DATA_DIR) / "models";
    fs::create_directories(models);
    fs::copy_file(data / "swinir-real-x4.pth", models / "tiny-swinir.pth");
    fs::copy_file(data / "hat-s-x2.pth", models / "tiny-hat.pth");

    const auto run = upscaleCli("--list-models -v");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("    architecture: SwinIR (real-world, 16 dim, 2 groups of 2 "
                              "blocks, window 4, 3conv, 4x)\n"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("    architecture: HAT-S (24 dim, 1 group of 2 blocks, window 8, "
                              "2x)\n    scale: 2x\n"),
              std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("    dtype: F32, I64\n    fp16-safe: no\n"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("Architectures read from model files:"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("\n  SwinIR           classical (pixel shuffle)"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("\n  HAT              HAT-S, HAT, HAT-L"), std::string::npos)
        << run.output;
}
