#pragma once
// Settings are plain structs with in-class defaults and validate(). They carry no library types,
// so the CLI, the GUI and the tests build them the same way.

#include <optional>
#include <string>
#include <string_view>

#include "upscale/core/error.hpp"

namespace upscale::core {

/// Compute precision. None keeps the weights' own dtype (no cast).
enum class Precision { FP16, FP32, None };

[[nodiscard]] std::string_view precisionName(Precision p);  ///< "FP16", "FP32", "None"
/// Parses "fp16" / "fp32" / "none" (any case).
[[nodiscard]] Result<Precision> parsePrecision(std::string_view text);

/// Which device runs the network. Auto picks the first CUDA GPU when there is one, else the CPU.
struct DeviceSpec {
    enum class Kind { Auto, Cpu, Cuda };
    Kind kind = Kind::Auto;
    int index = 0;  ///< CUDA device index, for Kind::Cuda

    [[nodiscard]] std::string toString() const;  ///< "auto", "cpu", "cuda:0"
};

/// Parses "auto", "cpu", "cuda" or "cuda:N".
[[nodiscard]] Result<DeviceSpec> parseDevice(std::string_view text);

struct EngineSettings {
    Precision precision = Precision::FP16;
    int tile = 0;      ///< tile size in input pixels; 0 = automatic
    int overlap = 16;  ///< context pixels on each side of a tile, blended with its neighbours
    int batch = 2;     ///< 1..8: framesPerSubmission (pipeline), tilesPerForward (engine)
    int workers = 2;   ///< engine workers, each with its own device stream, 1..8
    DeviceSpec device;
    bool cudaGraphs = false;  ///< replay a captured CUDA graph of the forward pass (CUDA only)

    [[nodiscard]] Result<void> validate() const;
};

}  // namespace upscale::core
