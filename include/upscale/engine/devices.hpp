#pragma once
// The devices the engine can run on, for front ends to offer.

#include <string>
#include <vector>

namespace upscale::engine {

struct DeviceInfo {
    std::string id;    ///< what --device takes: "cpu", "cuda:0", ...
    std::string name;  ///< "CPU", "NVIDIA H100 80GB HBM3 (cuda:0)"
};

/// The CPU, then every CUDA GPU this build and machine can use.
[[nodiscard]] std::vector<DeviceInfo> availableDevices();

}  // namespace upscale::engine
