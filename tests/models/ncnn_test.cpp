#include <gtest/gtest.h>

#include <cstring>

#include <fmt/format.h>

#include "model_test_util.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/ncnn.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;
using upscale::core::ErrorCode;

namespace {

std::string fixtureText() {
    const auto bytes = test::readBytes(test::fixtureParam());
    return {bytes.begin(), bytes.end()};
}

/// Little-endian byte builder for hand-made .bin files.
struct BinBuilder {
    std::vector<std::uint8_t> bytes;
    BinBuilder& u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            bytes.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
        }
        return *this;
    }
    BinBuilder& f32(float v) {
        std::uint32_t u = 0;
        std::memcpy(&u, &v, 4);
        return u32(u);
    }
    BinBuilder& f16(float v) {
        const std::uint16_t h = floatToHalf(v);
        bytes.push_back(static_cast<std::uint8_t>(h));
        bytes.push_back(static_cast<std::uint8_t>(h >> 8));
        return *this;
    }
    BinBuilder& raw(std::initializer_list<std::uint8_t> b) {
        bytes.insert(bytes.end(), b);
        return *this;
    }
};

std::string oneLayer(const std::string& line) {
    return "7767517\n2 2\nInput in 0 1 data\n" + line + "\n";
}

}  // namespace

TEST(Ncnn, ParsesTheAnimeVideoModel) {
    const auto model = readNcnn(test::fixtureParam());
    ASSERT_TRUE(model) << model.error().message;
    ASSERT_EQ(model->layers.size(), 40u);
    std::size_t tensors = 0;
    for (const auto& layer : model->layers) {
        tensors += layer.weights.size();
    }
    EXPECT_EQ(tensors, 53u);
    const NcnnLayer& conv0 = model->layers[2];
    EXPECT_EQ(conv0.type, "Convolution");
    EXPECT_EQ(conv0.name, "Conv_0");
    EXPECT_EQ(conv0.inputs, std::vector<std::string>{"input.1_splitncnn_1"});
    EXPECT_EQ(conv0.outputs, std::vector<std::string>{"54"});
    EXPECT_EQ(conv0.intParam(6, 0), 1728);
    ASSERT_EQ(conv0.weights.size(), 2u);
    EXPECT_EQ(conv0.weights[0].dtype, DType::F16);
    EXPECT_EQ(conv0.weights[0].shape, (std::vector<std::int64_t>{64, 3, 3, 3}));
    EXPECT_EQ(conv0.weights[1].dtype, DType::F32);
    EXPECT_EQ(conv0.weights[1].shape, (std::vector<std::int64_t>{64}));
    const NcnnLayer& prelu = model->layers[3];
    ASSERT_EQ(prelu.weights.size(), 1u);
    EXPECT_EQ(prelu.weights[0].shape, (std::vector<std::int64_t>{64}));
    const NcnnLayer& interp = model->layers[38];
    EXPECT_EQ(std::get<float>(interp.params.at(1)), 4.0F);
}

TEST(Ncnn, MapsTheGraphToCompactNames) {
    const auto model = readNcnn(test::fixtureParam(), test::fixtureBin());
    ASSERT_TRUE(model) << model.error().message;
    const auto dict = ncnnToStateDict(*model, "anime.param");
    ASSERT_TRUE(dict) << dict.error().message;
    EXPECT_EQ(dict->size(), 53u);
    for (int i = 0; i <= 34; ++i) {
        const auto weight = dict->find(fmt::format("body.{}.weight", i));
        ASSERT_NE(weight, dict->end()) << i;
        if (i % 2 == 1) {
            EXPECT_EQ(weight->second.shape, std::vector<std::int64_t>{64});
            EXPECT_FALSE(dict->contains(fmt::format("body.{}.bias", i)));
            continue;
        }
        const std::int64_t out = i == 34 ? 48 : 64;
        const std::int64_t in = i == 0 ? 3 : 64;
        EXPECT_EQ(weight->second.shape, (std::vector<std::int64_t>{out, in, 3, 3})) << i;
        EXPECT_EQ(weight->second.dtype, DType::F16);
        EXPECT_EQ(dict->at(fmt::format("body.{}.bias", i)).shape, std::vector<std::int64_t>{out});
    }
}

TEST(Ncnn, TruncatedBinNamesTheLayer) {
    auto bin = test::readBytes(test::fixtureBin());
    bin.resize(bin.size() - 6);
    const auto r = parseNcnn(fixtureText(), bin, "anime.param");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("Conv_34"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("needs 192 bytes"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("only 186"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("anime.param"), std::string::npos);
}

TEST(Ncnn, LeftoverBytesAreCorrupt) {
    auto bin = test::readBytes(test::fixtureBin());
    bin.resize(bin.size() + 4, 0);
    const auto r = parseNcnn(fixtureText(), bin, "anime.param");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(r.error().message.find("4 bytes left over"), std::string::npos);
}

TEST(Ncnn, BadMagicIsRejected) {
    const auto r = parseNcnn("7767516\n1 1\nInput in 0 1 data\n", {}, "old.param");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("old.param"), std::string::npos);
}

TEST(Ncnn, MalformedParamTextIsCorrupt) {
    const auto countMismatch = parseNcnn("7767517\n3 2\nInput in 0 1 data\n", {}, "a.param");
    ASSERT_FALSE(countMismatch);
    EXPECT_EQ(countMismatch.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(countMismatch.error().message.find("declares 3 layers"), std::string::npos);
    const auto shortLine = parseNcnn(oneLayer("ReLU r 1 1 data"), {}, "b.param");
    ASSERT_FALSE(shortLine);
    EXPECT_EQ(shortLine.error().code, ErrorCode::CorruptFile);
    EXPECT_NE(shortLine.error().message.find("line 4"), std::string::npos);
    const auto badParam = parseNcnn(oneLayer("ReLU r 1 1 data out 40=1"), {}, "c.param");
    ASSERT_FALSE(badParam);
    EXPECT_NE(badParam.error().message.find("0..31"), std::string::npos);
    const auto badArray = parseNcnn(oneLayer("Crop c 1 1 data out -23309=3,1,2"), {}, "d.param");
    ASSERT_FALSE(badArray);
    EXPECT_NE(badArray.error().message.find("count"), std::string::npos);
}

TEST(Ncnn, ParsesEveryValueStyle) {
    const auto r = parseNcnn(oneLayer("Crop c 1 1 data out -23309=2,1,-2 -23310=2,0.5,3 "
                                      "3=1,2,3 4=1.5e-01 5=-7 6=hello 7=\"q\""),
                             {}, "e.param");
    ASSERT_TRUE(r) << r.error().message;
    const auto& p = r->layers[1].params;
    EXPECT_EQ(std::get<std::vector<int>>(p.at(9)), (std::vector<int>{1, -2}));
    EXPECT_EQ(std::get<std::vector<float>>(p.at(10)), (std::vector<float>{0.5F, 3.0F}));
    EXPECT_EQ(std::get<std::vector<int>>(p.at(3)), (std::vector<int>{1, 2, 3}));
    EXPECT_FLOAT_EQ(std::get<float>(p.at(4)), 0.15F);
    EXPECT_EQ(std::get<int>(p.at(5)), -7);
    EXPECT_EQ(std::get<std::string>(p.at(6)), "hello");
    EXPECT_EQ(std::get<std::string>(p.at(7)), "q");
    EXPECT_EQ(r->layers[1].intParam(5, 0), -7);
    EXPECT_EQ(r->layers[1].intParam(20, 11), 11);
}

TEST(Ncnn, ReadsEveryWeightEncoding) {
    const std::string param = oneLayer("Convolution conv 1 1 data out 0=1 1=1 5=1 6=3");
    // fp16, with two bytes of padding after the 3 values.
    BinBuilder fp16;
    fp16.u32(0x01306B47).f16(1.0F).f16(-2.0F).f16(0.5F).raw({0, 0}).f32(9.0F);
    // Raw fp32 (tag 0) and fp32 "with scaling" (tag 0x0002C056).
    BinBuilder fp32;
    fp32.u32(0).f32(1.0F).f32(-2.0F).f32(0.5F).f32(9.0F);
    BinBuilder scaled;
    scaled.u32(0x0002C056).f32(1.0F).f32(-2.0F).f32(0.5F).f32(9.0F);
    // Legacy LUT: any other non-zero tag, a 256-entry table, then aligned 1-byte indices.
    BinBuilder lut;
    lut.u32(0x00000101);
    for (int i = 0; i < 256; ++i) {
        lut.f32(i == 7 ? 1.0F : i == 8 ? -2.0F : i == 9 ? 0.5F : 0.0F);
    }
    lut.raw({7, 8, 9, 0}).f32(9.0F);
    for (const auto* bin : {&fp16, &fp32, &scaled, &lut}) {
        const auto r = parseNcnn(param, bin->bytes, "w.param");
        ASSERT_TRUE(r) << r.error().message;
        const auto& w = r->layers[1].weights;
        ASSERT_EQ(w.size(), 2u);
        EXPECT_EQ(w[0].shape, (std::vector<std::int64_t>{1, 3, 1, 1}));
        EXPECT_EQ(w[0].toFloat32(), (std::vector<float>{1.0F, -2.0F, 0.5F}));
        EXPECT_EQ(w[1].toFloat32(), std::vector<float>{9.0F});
    }
    EXPECT_EQ(parseNcnn(param, fp16.bytes, "w.param")->layers[1].weights[0].dtype, DType::F16);
}

TEST(Ncnn, DeconvolutionIsTransposedAndInnerProductIsShaped) {
    BinBuilder deconvBin;
    deconvBin.u32(0);
    for (int i = 0; i < 6; ++i) {
        deconvBin.f32(static_cast<float>(i));
    }
    const auto deconv =
        parseNcnn(oneLayer("Deconvolution d 1 1 data out 0=2 1=1 5=0 6=6"), deconvBin.bytes, "d");
    ASSERT_TRUE(deconv) << deconv.error().message;
    const Tensor& w = deconv->layers[1].weights.at(0);
    EXPECT_EQ(w.shape, (std::vector<std::int64_t>{3, 2, 1, 1}));
    EXPECT_EQ(w.toFloat32(), (std::vector<float>{0, 3, 1, 4, 2, 5}));

    const auto dense =
        parseNcnn(oneLayer("InnerProduct fc 1 1 data out 0=2 1=0 2=6"), deconvBin.bytes, "fc");
    ASSERT_TRUE(dense) << dense.error().message;
    EXPECT_EQ(dense->layers[1].weights.at(0).shape, (std::vector<std::int64_t>{2, 3}));
}

TEST(Ncnn, UnknownWeightedLayerIsUnsupported) {
    const auto r = parseNcnn(oneLayer("BatchNorm bn 1 1 data out 0=4"), {}, "bn.param");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("BatchNorm"), std::string::npos);
}

TEST(Ncnn, UnknownGraphListsItsLayers) {
    BinBuilder bin;
    bin.u32(0).f32(1.0F);
    const auto model =
        parseNcnn(oneLayer("Convolution c 1 1 data out 0=1 1=1 6=1"), bin.bytes, "lone.param");
    ASSERT_TRUE(model) << model.error().message;
    const auto dict = ncnnToStateDict(*model, "lone.param");
    ASSERT_FALSE(dict);
    EXPECT_EQ(dict.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(dict.error().message.find("layers: Input, Convolution"), std::string::npos)
        << dict.error().message;
    EXPECT_NE(dict.error().message.find("SRVGGNetCompact"), std::string::npos);
}

TEST(Ncnn, MissingBinIsNotFound) {
    test::ScratchDir dir;
    const auto param = dir / "lonely.param";
    test::writeText(param, fixtureText());
    const auto r = readNcnn(param);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
    EXPECT_NE(r.error().message.find("lonely.bin"), std::string::npos);
}

TEST(Ncnn, RrdbNetGraphMapsToBasicsrNames) {
    // scripts/make-model-fixtures.py writes rrdb-x4 both as safetensors and in ncnn form (fused
    // LeakyReLUs, Concat, Eltwise, Interp): the two must hold the same tensors under one name.
    const auto ncnn = loadModelFile(test::modelFixture("rrdb-x4.param"));
    ASSERT_TRUE(ncnn) << ncnn.error().message;
    EXPECT_EQ(ncnn->spec.describe(), "RRDBNet (8 features, 2 blocks, 4 growth, 4x)");
    const auto reference = readSafetensors(test::modelFixture("rrdb-x4.safetensors"));
    ASSERT_TRUE(reference);
    ASSERT_EQ(ncnn->weights.size(), reference->tensors.size());
    for (const auto& [name, tensor] : reference->tensors) {
        const auto it = ncnn->weights.find(name);
        ASSERT_NE(it, ncnn->weights.end()) << name;
        EXPECT_EQ(it->second.shape, tensor.shape) << name;
        EXPECT_EQ(it->second.data, tensor.data) << name;
    }
}

TEST(Ncnn, RrdbNetGraphWithAStrayLayerIsUnsupported) {
    const auto paramBytes = test::readBytes(test::modelFixture("rrdb-x4.param"));
    std::string text(paramBytes.begin(), paramBytes.end());
    text.replace(text.find("BinaryOp trunk_add"), 8, "Softmax ");
    const auto bin = test::readBytes(test::modelFixture("rrdb-x4.bin"));
    const auto graph = parseNcnn(text, bin, "stray.param");
    ASSERT_TRUE(graph) << graph.error().message;
    const auto r = ncnnToStateDict(*graph, "stray.param");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::UnsupportedFormat);
    EXPECT_NE(r.error().message.find("layer 'trunk_add' has type Softmax"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("Supported: SRVGGNetCompact, RRDBNet"), std::string::npos);
}
