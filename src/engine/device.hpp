#pragma once
// Device and precision resolution, and device-generic streams. Private to the engine.

#include <string>
#include <string_view>

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <c10/core/Stream.h>

#include "upscale/core/error.hpp"
#include "upscale/core/settings.hpp"
#include "upscale/engine/upscaler.hpp"
#include "upscale/models/architecture.hpp"
#include "upscale/models/state_dict.hpp"

namespace upscale::engine {

/// Resolves auto/cpu/cuda:N to a concrete device; NotFound when the GPU asked for is absent.
[[nodiscard]] core::Result<c10::Device> resolveDevice(const core::DeviceSpec& spec);

/// "CPU" or "cuda:0 (NVIDIA H100 80GB HBM3)".
[[nodiscard]] std::string describeDevice(const c10::Device& device);

/// The dtype the network runs in on this device. FP16 (requested, or the weights' own with None)
/// for an architecture that is not FP16-safe runs in BF16 where the device has it (a GPU of
/// compute capability 8 or later), else in FP32, and `note` (when given) says so, naming the
/// model and its architecture. FP16 where the device cannot run it (the CPU) falls back to FP32,
/// and `note` says so too; None keeps the weights' dtype where the device can run it (FP16 on a
/// GPU, BF16 on both, FP32), else FP32.
[[nodiscard]] c10::ScalarType resolveDtype(core::Precision requested, const c10::Device& device,
                                           models::DType weights, models::Architecture arch,
                                           std::string_view modelName, std::string* note = nullptr);

[[nodiscard]] ResolvedPrecision resolvedPrecision(c10::ScalarType dtype);
/// precisionName(resolvedPrecision(dtype)): how logs name a resolved dtype.
[[nodiscard]] std::string dtypeLabel(c10::ScalarType dtype);

/// A stream for one worker: a fresh one from the pool on CUDA, the default (no-op) stream on
/// the CPU, through the same device-generic interface.
[[nodiscard]] c10::Stream acquireStream(const c10::Device& device);
void synchronize(const c10::Stream& stream);

/// Returns memory the allocator holds but does not use, after an out-of-memory error.
void releaseCachedMemory(const c10::Device& device);

/// The device's fast paths (cuDNN autotuning for the fixed tile shapes on CUDA); logs the
/// device. An engine context calls it once per device (detail::ContextState::setUp).
void configureDevice(const c10::Device& device);

}  // namespace upscale::engine
