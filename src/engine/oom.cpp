#include "oom.hpp"

#include <array>
#include <new>
#include <string_view>

#include <c10/util/Exception.h>

namespace upscale::engine {

namespace {

// The names cudnnGetErrorString and cuBLAS's status names give the allocation failures; cuDNN 9
// splits its ALLOC_FAILED into a host and a device status.
constexpr std::array<std::string_view, 4> kAllocationFailedStatuses = {
    "CUDNN_STATUS_ALLOC_FAILED",
    "CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED",
    "CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED",
    "CUBLAS_STATUS_ALLOC_FAILED",
};

}  // namespace

bool isOutOfMemory(const std::exception& e) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&e) != nullptr ||
        dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
        return true;
    }
    const auto* error = dynamic_cast<const c10::Error*>(&e);
    if (error == nullptr) {
        return false;
    }
    const std::string_view message = error->msg();
    for (const std::string_view status : kAllocationFailedStatuses) {
        if (message.find(status) != std::string_view::npos) {
            return true;
        }
    }
    return false;
}

std::string failureMessage(const std::exception& e) {
    if (const auto* error = dynamic_cast<const c10::Error*>(&e)) {
        return error->what_without_backtrace();
    }
    return e.what();
}

}  // namespace upscale::engine
