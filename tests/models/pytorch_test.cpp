// The PyTorch checkpoint reader: zip and legacy files written by torch.save, the wrappers training
// tools put around the weights, and hostile or broken files, each refused with its own message.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "model_test_util.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/pytorch.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;
using namespace std::string_literals;

namespace {

std::vector<std::uint8_t> legacyHeader() {
    // Magic-number pickle, protocol-version pickle, then an empty sys_info dict.
    return {0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50,
            0x19, 0x2E, 0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E, 0x80, 0x02, '}',  '.'};
}

std::vector<std::uint8_t> legacyWithObject(const std::string& pickle) {
    auto bytes = legacyHeader();
    for (const char c : pickle) {
        bytes.push_back(static_cast<std::uint8_t>(c));
    }
    return bytes;
}

void expectSameTensors(const StateDict& a, const StateDict& b) {
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, tensor] : a) {
        const auto it = b.find(name);
        ASSERT_NE(it, b.end()) << name;
        EXPECT_EQ(tensor.shape, it->second.shape) << name;
        EXPECT_EQ(tensor.dtype, it->second.dtype) << name;
        EXPECT_EQ(tensor.data, it->second.data) << name;
    }
}

}  // namespace

TEST(Pytorch, ZipLegacyAndSafetensorsHoldTheSameWeights) {
    for (const std::string name : {"compact-x4", "rrdb-x4", "rrdb-x2", "rrdb-x1", "span-x4"}) {
        SCOPED_TRACE(name);
        const auto zip = readPytorch(test::modelFixture(name + ".pth"));
        const auto legacy = readPytorch(test::modelFixture(name + "-legacy.pth"));
        const auto st = readSafetensors(test::modelFixture(name + ".safetensors"));
        ASSERT_TRUE(zip) << zip.error().message;
        ASSERT_TRUE(legacy) << legacy.error().message;
        ASSERT_TRUE(st) << st.error().message;
        expectSameTensors(canonicalizeKeys(*zip), canonicalizeKeys(st->tensors));
        expectSameTensors(canonicalizeKeys(*legacy), canonicalizeKeys(st->tensors));
    }
}

TEST(Pytorch, PrefersTheEmaWeightsOverTheRawOnes) {
    // compact-x4.pth holds {"params": decoy, "params_ema": weights}; the safetensors holds the
    // weights alone.
    const auto zip = readPytorch(test::modelFixture("compact-x4.pth"));
    const auto st = readSafetensors(test::modelFixture("compact-x4.safetensors"));
    ASSERT_TRUE(zip && st);
    expectSameTensors(*zip, st->tensors);
}

TEST(Pytorch, ReadsZip64Records) {
    const auto zip64 = readPytorch(test::modelFixture("compact-x4-zip64.pth"));
    const auto plain = readPytorch(test::modelFixture("compact-x4.pth"));
    ASSERT_TRUE(zip64) << zip64.error().message;
    ASSERT_TRUE(plain);
    expectSameTensors(*zip64, *plain);
}

TEST(Pytorch, StripsModulePrefixAndUnwrapsStateDict) {
    // {"state_dict": {"module.conv_first.weight": ...}}
    const auto zip = readPytorch(test::modelFixture("rrdb-x2.pth"));
    ASSERT_TRUE(zip) << zip.error().message;
    EXPECT_TRUE(zip->contains("module.conv_first.weight"));
    const StateDict canonical = canonicalizeKeys(*zip);
    EXPECT_TRUE(canonical.contains("conv_first.weight"));
    EXPECT_FALSE(canonical.contains("module.conv_first.weight"));
}

TEST(Pytorch, ReadsParametersPickledThroughRebuildParameter) {
    const auto zip = readPytorch(test::modelFixture("span-x4.pth"));
    ASSERT_TRUE(zip) << zip.error().message;
    EXPECT_EQ(zip->at("conv_1.sk.weight").shape, (std::vector<std::int64_t>{4, 3, 1, 1}));
}

TEST(Pytorch, DetectsEveryArchitectureAndItsHyperParameters) {
    struct Case {
        std::string file;
        Architecture arch;
        int scale;
        int feat;
        int blocks;
        int unshuffle;
    };
    for (const Case& c : {Case{"compact-x4.pth", Architecture::Compact, 4, 8, 0, 1},
                          Case{"rrdb-x4.pth", Architecture::RRDBNet, 4, 8, 2, 1},
                          Case{"rrdb-x2-legacy.pth", Architecture::RRDBNet, 2, 8, 1, 2},
                          Case{"rrdb-x1.safetensors", Architecture::RRDBNet, 1, 8, 1, 4},
                          Case{"esrgan-old-x4.pth", Architecture::RRDBNet, 4, 8, 2, 1},
                          Case{"span-x4-legacy.pth", Architecture::SPAN, 4, 4, 0, 1}}) {
        SCOPED_TRACE(c.file);
        const auto model = loadModelFile(test::modelFixture(c.file));
        ASSERT_TRUE(model) << model.error().message;
        EXPECT_EQ(model->spec.arch, c.arch);
        EXPECT_EQ(model->spec.scale, c.scale);
        EXPECT_EQ(model->spec.numFeat, c.feat);
        if (c.arch == Architecture::RRDBNet) {
            EXPECT_EQ(model->spec.numBlock, c.blocks);
            EXPECT_EQ(model->spec.numGrow, 4);
            EXPECT_EQ(model->spec.unshuffle, c.unshuffle);
        }
    }
}

TEST(Pytorch, OldEsrganKeysAreRenamedToBasicsrNames) {
    const auto oldKeys = readPytorch(test::modelFixture("esrgan-old-x4.pth"));
    const auto newKeys = readPytorch(test::modelFixture("rrdb-x4.pth"));
    ASSERT_TRUE(oldKeys && newKeys);
    EXPECT_TRUE(oldKeys->contains("model.1.sub.0.RDB1.conv1.0.weight"));
    expectSameTensors(canonicalizeKeys(*oldKeys), *newKeys);
}

TEST(Pytorch, RefusesAPickleThatWouldRunACommand) {
    const std::filesystem::path marker = "/tmp/upscale-studio-hostile-marker";
    std::filesystem::remove(marker);
    const auto r = loadModelFile(test::modelFixture("hostile-system.pth"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("'posix.system'"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("nothing in the file was run"), std::string::npos);
    EXPECT_NE(r.error().message.find("hostile-system.pth"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(Pytorch, RefusesForeignGlobalsAndObjectOpcodesInLegacyFiles) {
    const auto global = parsePytorch(legacyWithObject("\x80\x02"
                                                      "cbuiltins\neval\nX\x01\x00\x00\x00"
                                                      "1\x85R."s),
                                     "evil.pth");
    ASSERT_FALSE(global);
    EXPECT_EQ(global.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(global.error().message.find("'builtins.eval'"), std::string::npos);

    // INST builds an object from a class named inline, without a GLOBAL.
    const auto inst = parsePytorch(legacyWithObject("\x80\x02(ios\nsystem\n."s), "inst.pth");
    ASSERT_FALSE(inst);
    EXPECT_NE(inst.error().message.find("pickle opcode 0x69"), std::string::npos)
        << inst.error().message;
}

TEST(Pytorch, TruncatedFilesAreCorruptNotCrashes) {
    for (const std::string name : {"rrdb-x4.pth", "rrdb-x4-legacy.pth"}) {
        const auto bytes = test::readBytes(test::modelFixture(name));
        for (const std::size_t keep : {std::size_t{30}, bytes.size() / 3, bytes.size() / 2,
                                       bytes.size() - 100, bytes.size() - 1}) {
            SCOPED_TRACE(name + " cut to " + std::to_string(keep));
            const std::vector<std::uint8_t> cut(bytes.begin(),
                                                bytes.begin() + static_cast<std::ptrdiff_t>(keep));
            const auto r = parsePytorch(cut, name);
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, ErrorCode::CorruptFile) << r.error().message;
            EXPECT_NE(r.error().message.find(name), std::string::npos);
        }
    }
}

TEST(Pytorch, TruncatedLegacyStorageIsNamed) {
    auto bytes = test::readBytes(test::modelFixture("compact-x4-legacy.pth"));
    bytes.resize(bytes.size() - 4);
    const auto r = parsePytorch(bytes, "cut.pth");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("is cut short or the wrong size"), std::string::npos)
        << r.error().message;
}

TEST(Pytorch, TensorReachingPastItsStorageIsRefused) {
    // A FloatStorage of 2 elements viewed as 4.
    const std::string pickle =
        "\x80\x02}X\x01\x00\x00\x00wctorch._utils\n_rebuild_tensor_v2\n("
        "(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"
        "0X\x03\x00\x00\x00"
        "cpuK\x02NtQK\x00K\x04\x85K\x01\x85\x89NtRs."s;
    auto bytes = legacyWithObject(pickle);
    const std::string keys =
        "\x80\x02]X\x01\x00\x00\x00"
        "0a."s;
    bytes.insert(bytes.end(), keys.begin(), keys.end());
    const std::uint8_t storage[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    bytes.insert(bytes.end(), std::begin(storage), std::end(storage));
    const auto r = parsePytorch(bytes, "view.pth");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("tensor 'w' reaches past the end of its storage"),
              std::string::npos)
        << r.error().message;

    // The same file with a 2-element view is fine.
    std::string fine = pickle;
    fine.replace(fine.find("K\x04\x85"), 3, "K\x02\x85");
    auto good = legacyWithObject(fine);
    good.insert(good.end(), keys.begin(), keys.end());
    good.insert(good.end(), std::begin(storage), std::end(storage));
    const auto ok = parsePytorch(good, "view.pth");
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_EQ(ok->at("w").shape, (std::vector<std::int64_t>{2}));
}

TEST(Pytorch, MissingTensorAndWrongShapeAreMismatches) {
    const auto missing = loadModelFile(test::modelFixture("compact-missing-tensor.pth"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(missing.error().message.find("missing tensors: body.2.bias"), std::string::npos)
        << missing.error().message;

    const auto wrong = loadModelFile(test::modelFixture("compact-wrong-shape.pth"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::ModelMismatch);
    EXPECT_NE(wrong.error().message.find("body.2.weight has shape [8, 8, 1, 1], expected "
                                         "[8, 8, 3, 3]"),
              std::string::npos)
        << wrong.error().message;
}

TEST(Pytorch, UnknownArchitectureListsItsKeysAndTheSupportedOnes) {
    auto bytes = legacyWithObject(
        "\x80\x02}X\x03\x00\x00\x00"
        "fooK\x01s."
        "\x80\x02]."s);
    const auto noWeights = parsePytorch(bytes, "empty.pth");
    ASSERT_FALSE(noWeights);
    EXPECT_NE(noWeights.error().message.find("holds no weights (entries: foo)"), std::string::npos)
        << noWeights.error().message;

    StateDict foreign;
    foreign["encoder.weight"] = Tensor::fromFloat32(std::vector<float>(4), {2, 2}, DType::F32);
    const auto r = detectArchitecture(foreign, "swinir.pth");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "'swinir.pth' has an unsupported architecture (keys: encoder.weight [2, 2]). "
              "Supported: SRVGGNetCompact (Real-ESRGAN Compact), RRDBNet (ESRGAN and "
              "Real-ESRGAN, in BasicSR, original ESRGAN or BSRGAN key style), SPAN, SwinIR "
              "(classical, lightweight, real-world, restoration), HAT (HAT-S, HAT, HAT-L).");
}

TEST(Pytorch, NotAPytorchFile) {
    const std::vector<std::uint8_t> text = {'h', 'e', 'l', 'l', 'o'};
    EXPECT_FALSE(looksLikePytorch(text));
    const auto r = parsePytorch(text, "hello.pth");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
}
