// SwinIR and HAT networks against the reference implementations in scripts/reference_archs/
// (fixtures of scripts/make-transformer-fixtures.py): the same weights on a crop of a real photo
// whose sides are no multiple of the window, in FP32 on the CPU.

#include <gtest/gtest.h>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <algorithm>
#include <string>

#include "common/level_difference.hpp"
#include "model_test_util.hpp"
#include "upscale/models/model_file.hpp"
#include "upscale/models/network.hpp"
#include "upscale/models/safetensors.hpp"

using namespace upscale::models;

namespace {

struct TransformerCase {
    std::string reference;  ///< <name>.io.safetensors
    std::string file;
};

class TransformerReference : public testing::TestWithParam<TransformerCase> {};

at::Tensor transformerInput(const Tensor& t) {
    const std::vector<float> values = t.toFloat32();
    return at::tensor(values).view(t.shape);
}

}  // namespace

TEST_P(TransformerReference, MatchesThePythonImplementation) {
    const TransformerCase& param = GetParam();
    const auto io = readSafetensors(test::modelFixture(param.reference + ".io.safetensors"));
    ASSERT_TRUE(io) << io.error().message;
    const auto model = loadModelFile(test::modelFixture(param.file));
    ASSERT_TRUE(model) << model.error().message;
    auto net = buildNetwork(*model);
    ASSERT_TRUE(net) << net.error().message;

    torch::NoGradGuard noGrad;
    const at::Tensor input = transformerInput(io->tensors.at("input"));
    const std::vector<float> expected = io->tensors.at("output").toFloat32();
    const at::Tensor output = (*net)->forward(input).contiguous();
    ASSERT_EQ(output.sizes().vec(), io->tensors.at("output").shape);
    EXPECT_EQ(output.size(3), input.size(3) * (*net)->scale());

    const float* values = output.data_ptr<float>();
    const auto diff = upscale::test::levelDifference(
        expected, [&](std::size_t i) { return upscale::test::toLevel(values[i]); });
    EXPECT_EQ(diff.median, 0) << param.file;
    EXPECT_GE(diff.withinOne, 0.99) << param.file << ": max " << diff.max << " levels";
    // In FP32 the two implementations agree far closer than one level.
    const at::Tensor reference = at::tensor(expected).view(output.sizes());
    const double worst = (output - reference).abs().max().item<double>();
    EXPECT_LE(worst, 1e-3 * std::max(1.0, reference.abs().max().item<double>())) << param.file;
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, TransformerReference,
    testing::Values(TransformerCase{"swinir-classical-x2", "swinir-classical-x2.pth"},
                    TransformerCase{"swinir-classical-x2", "swinir-classical-x2.safetensors"},
                    TransformerCase{"swinir-classical-x3", "swinir-classical-x3.pth"},
                    TransformerCase{"swinir-classical-x8", "swinir-classical-x8.pth"},
                    TransformerCase{"swinir-light-x4", "swinir-light-x4.pth"},
                    TransformerCase{"swinir-real-x4", "swinir-real-x4.pth"},
                    TransformerCase{"swinir-real-x2", "swinir-real-x2.pth"},
                    TransformerCase{"swinir-jpeg-x1", "swinir-jpeg-x1.pth"},
                    TransformerCase{"hat-x4", "hat-x4.pth"},
                    TransformerCase{"hat-x4", "hat-x4.safetensors"},
                    TransformerCase{"hat-s-x2", "hat-s-x2.pth"},
                    TransformerCase{"hat-l-x3", "hat-l-x3.pth"}),
    [](const testing::TestParamInfo<TransformerCase>& info) {
        std::string name = info.param.file;
        std::replace_if(
            name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
        return name;
    });
