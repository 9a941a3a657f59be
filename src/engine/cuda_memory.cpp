#include "cuda_memory.hpp"

#include "upscale/engine/tile_plan.hpp"

#ifdef UPSCALE_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>
#endif

namespace upscale::engine {

long long workerMemoryBudget(const c10::Device& device, int workers) {
#ifdef UPSCALE_WITH_CUDA
    if (device.is_cuda()) {
        const c10::DeviceIndex index = device.has_index() ? device.index() : 0;
        c10::cuda::CUDAGuard guard(index);
        std::size_t freeBytes = 0;
        std::size_t totalBytes = 0;
        if (cudaMemGetInfo(&freeBytes, &totalBytes) != cudaSuccess) {
            (void)cudaGetLastError();
            return -1;
        }
        // Element 0 of each statistic is the aggregate over the allocator's pools.
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(index);
        return deviceTileBudget(static_cast<long long>(freeBytes), stats.reserved_bytes[0].current,
                                stats.allocated_bytes[0].current, workers);
    }
#endif
    (void)device;
    (void)workers;
    return -1;
}

}  // namespace upscale::engine
