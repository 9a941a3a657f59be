#include "upscale/models/network.hpp"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "compact.hpp"
#include "dat.hpp"
#include "omnisr.hpp"
#include "realplksr.hpp"
#include "hat.hpp"
#include "rrdb.hpp"
#include "span.hpp"
#include "swinir.hpp"

namespace upscale::models {

namespace {

std::shared_ptr<Network> makeNetwork(const ArchSpec& spec) {
    switch (spec.arch) {
        case Architecture::Compact:
            return std::make_shared<CompactNet>(spec);
        case Architecture::RRDBNet:
            return std::make_shared<RrdbNet>(spec);
        case Architecture::SPAN:
            return std::make_shared<SpanNet>(spec);
        case Architecture::RealPLKSR:
            return std::make_shared<RealPlksrNet>(spec);
        case Architecture::DAT:
            return std::make_shared<DatNet>(spec);
        case Architecture::OmniSR:
            return std::make_shared<OmniSrNet>(spec);
        case Architecture::SwinIR:
            return std::make_shared<SwinIRNet>(spec);
        case Architecture::HAT:
            return std::make_shared<HatNet>(spec);
    }
    return nullptr;
}

}  // namespace

c10::ScalarType toScalarType(DType dtype) {
    switch (dtype) {
        case DType::F16:
            return at::kHalf;
        case DType::BF16:
            return at::kBFloat16;
        case DType::F32:
            return at::kFloat;
        case DType::F64:
            return at::kDouble;
        case DType::I64:
            return at::kLong;
        case DType::I32:
            return at::kInt;
        case DType::I16:
            return at::kShort;
        case DType::I8:
            return at::kChar;
        case DType::U8:
            return at::kByte;
        case DType::Bool:
            return at::kBool;
    }
    return at::kFloat;
}

core::Result<std::shared_ptr<Network>> buildNetwork(const ModelFile& model) {
    const std::string source = model.path.string();
    auto net = makeNetwork(model.spec);
    if (!net) {
        return core::fail(core::ErrorCode::UnsupportedFormat,
                          fmt::format("'{}': no network for architecture {}.", source,
                                      architectureName(model.spec.arch)));
    }
    try {
        torch::NoGradGuard noGrad;
        for (auto& item : net->named_parameters(/*recurse=*/true)) {
            const auto it = model.weights.find(item.key());
            if (it == model.weights.end()) {
                return core::fail(core::ErrorCode::ModelMismatch,
                                  fmt::format("'{}' has no tensor '{}' that {} needs.", source,
                                              item.key(), architectureName(model.spec.arch)));
            }
            const Tensor& t = it->second;
            if (t.shape != item.value().sizes().vec()) {
                return core::fail(
                    core::ErrorCode::ModelMismatch,
                    fmt::format("'{}': tensor '{}' has shape {}, expected {}.", source, item.key(),
                                shapeToString(t.shape), shapeToString(item.value().sizes().vec())));
            }
            // from_blob does not own the bytes: clone so the module owns its weights.
            auto value = at::from_blob(const_cast<std::uint8_t*>(t.data.data()), t.shape,
                                       at::TensorOptions().dtype(toScalarType(t.dtype)))
                             .clone();
            item.value().set_data(value);
        }
        net->finishLoading();
    } catch (const c10::Error& e) {
        return core::fail(core::ErrorCode::Internal,
                          fmt::format("'{}': building the network failed: {}", source,
                                      e.what_without_backtrace()));
    }
    net->eval();
    return net;
}

}  // namespace upscale::models
