#include "device.hpp"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

#include <c10/core/impl/VirtualGuardImpl.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#ifdef UPSCALE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#endif

#include "upscale/core/logging.hpp"
#include "upscale/engine/devices.hpp"
#include "upscale/models/network.hpp"

namespace upscale::engine {

core::Result<c10::Device> resolveDevice(const core::DeviceSpec& spec) {
    const bool cuda = torch::cuda::is_available();
    switch (spec.kind) {
        case core::DeviceSpec::Kind::Cpu:
            return c10::Device(c10::kCPU);
        case core::DeviceSpec::Kind::Auto:
            return cuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
        case core::DeviceSpec::Kind::Cuda: {
            if (!cuda) {
                return core::fail(core::ErrorCode::NotFound,
                                  "No CUDA GPU is available (or this build has no CUDA support).",
                                  core::Remedy::ChooseDevice);
            }
            const auto count = static_cast<int>(torch::cuda::device_count());
            if (spec.index >= count) {
                return core::fail(core::ErrorCode::NotFound,
                                  fmt::format("GPU cuda:{} does not exist: this machine has {} "
                                              "GPU(s), cuda:0 to cuda:{}.",
                                              spec.index, count, count - 1),
                                  core::Remedy::ChooseDevice);
            }
            return c10::Device(c10::kCUDA, static_cast<c10::DeviceIndex>(spec.index));
        }
    }
    return c10::Device(c10::kCPU);
}

std::vector<DeviceInfo> availableDevices() {
    std::vector<DeviceInfo> devices{{"cpu", "CPU"}};
    if (!torch::cuda::is_available()) {
        return devices;
    }
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i) {
        std::string name = fmt::format("GPU {}", i);
#ifdef UPSCALE_WITH_CUDA
        name = at::cuda::getDeviceProperties(i)->name;
#endif
        devices.push_back({fmt::format("cuda:{}", i), fmt::format("{} (cuda:{})", name, i)});
    }
    return devices;
}

std::string describeDevice(const c10::Device& device) {
    if (device.is_cpu()) {
        return "CPU";
    }
    return device.str();
}

ResolvedPrecision resolvedPrecision(c10::ScalarType dtype) {
    switch (dtype) {
        case c10::kHalf:
            return ResolvedPrecision::FP16;
        case c10::kBFloat16:
            return ResolvedPrecision::BF16;
        default:
            return ResolvedPrecision::FP32;
    }
}

std::string_view precisionName(ResolvedPrecision precision) {
    switch (precision) {
        case ResolvedPrecision::FP16:
            return "FP16";
        case ResolvedPrecision::BF16:
            return "BF16";
        case ResolvedPrecision::FP32:
            return "FP32";
    }
    return "FP32";
}

std::string dtypeLabel(c10::ScalarType dtype) {
    return std::string(precisionName(resolvedPrecision(dtype)));
}

namespace {

bool hasBf16(const c10::Device& device) {
#ifdef UPSCALE_WITH_CUDA
    if (device.is_cuda()) {
        return at::cuda::getDeviceProperties(device.index() < 0 ? 0 : device.index())->major >= 8;
    }
#endif
    (void)device;
    return false;  // the CPU's BF16 kernels are slower than its FP32 ones
}

}  // namespace

c10::ScalarType resolveDtype(core::Precision requested, const c10::Device& device,
                             models::DType weights, models::Architecture arch,
                             std::string_view modelName, std::string* note) {
    c10::ScalarType wanted = c10::kFloat;
    switch (requested) {
        case core::Precision::FP16:
            wanted = c10::kHalf;
            break;
        case core::Precision::FP32:
            wanted = c10::kFloat;
            break;
        case core::Precision::None:
            wanted = models::toScalarType(weights);
            break;
    }
    if (wanted == c10::kHalf && !models::isFp16Safe(arch)) {
        const c10::ScalarType safe = hasBf16(device) ? c10::kBFloat16 : c10::kFloat;
        if (note != nullptr) {
            *note = fmt::format(
                "{}: {} is not FP16-safe (its attention overflows half precision); "
                "running it in {} instead of FP16.",
                modelName, models::architectureName(arch), dtypeLabel(safe));
        }
        return safe;
    }
    if (device.is_cpu() && wanted == c10::kHalf) {
        // The CPU kernels of 3x3 convolutions have no half-precision path (they do have BF16).
        if (note != nullptr) {
            *note = fmt::format(
                "{} is not supported on the CPU; using FP32 instead.",
                requested == core::Precision::None ? "The weights' own precision (FP16)" : "FP16");
        }
        return c10::kFloat;
    }
    if (wanted != c10::kHalf && wanted != c10::kBFloat16 && wanted != c10::kFloat) {
        return c10::kFloat;
    }
    return wanted;
}

c10::Stream acquireStream(const c10::Device& device) {
    c10::impl::VirtualGuardImpl guard(device.type());
    if (device.is_cuda()) {
        return guard.getStreamFromGlobalPool(device, /*isHighPriority=*/false);
    }
    return guard.getStream(device);
}

void synchronize(const c10::Stream& stream) {
    c10::impl::VirtualGuardImpl guard(stream.device_type());
    guard.synchronizeStream(stream);
}

void releaseCachedMemory(const c10::Device& device) {
#ifdef UPSCALE_WITH_CUDA
    if (device.is_cuda()) {
        c10::cuda::CUDACachingAllocator::emptyCache();
    }
#endif
    (void)device;
}

void configureDevice(const c10::Device& device) {
#ifdef UPSCALE_WITH_CUDA
    if (device.is_cuda()) {
        // Tiles have one fixed shape, so the autotuned convolution plan is chosen once.
        at::globalContext().setBenchmarkCuDNN(true);
        const auto* props = at::cuda::getDeviceProperties(device.index());
        core::logger("engine")->info("Using {} ({}, {:.1f} GiB)", device.str(), props->name,
                                     props->totalGlobalMem / double(1ULL << 30));
        return;
    }
#endif
    core::logger("engine")->debug("Using the CPU ({} threads)", at::get_num_threads());
}

}  // namespace upscale::engine
