// Which failures the engine treats as running out of memory (and answers with smaller tiles):
// by the exception's type, and by cuDNN's and cuBLAS's allocation-failure statuses, not by a
// message that happens to mention memory.

#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include <c10/util/Exception.h>

#include "oom.hpp"

using upscale::engine::failureMessage;
using upscale::engine::isOutOfMemory;

// An exception of c10's class `type` as LibTorch's own checks raise it.
#define RAISED(type, message)                          \
    [] {                                               \
        try {                                          \
            TORCH_CHECK_WITH(type, false, message);    \
        } catch (const c10::type& e) {                 \
            return e;                                  \
        }                                              \
        throw std::logic_error("no " #type " raised"); \
    }()

TEST(OutOfMemory, TheAllocatorsOutOfMemoryErrorIs) {
    EXPECT_TRUE(isOutOfMemory(
        RAISED(OutOfMemoryError,
               "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity)")));
    // By its type, whatever the message.
    EXPECT_TRUE(isOutOfMemory(RAISED(OutOfMemoryError, "allocation refused")));
}

TEST(OutOfMemory, HostAllocationFailureIs) {
    EXPECT_TRUE(isOutOfMemory(std::bad_alloc()));
}

TEST(OutOfMemory, CudnnAndCublasAllocationFailuresAre) {
    // AT_CUDNN_CHECK's and TORCH_CUDABLAS_CHECK's messages, cuDNN 8 and 9.
    EXPECT_TRUE(isOutOfMemory(RAISED(Error, "cuDNN error: CUDNN_STATUS_ALLOC_FAILED")));
    EXPECT_TRUE(isOutOfMemory(
        RAISED(Error, "cuDNN error: CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED")));
    EXPECT_TRUE(isOutOfMemory(
        RAISED(Error, "cuDNN error: CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED")));
    EXPECT_TRUE(isOutOfMemory(RAISED(
        Error, "CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`")));
}

TEST(OutOfMemory, OtherFailuresAreNotWhateverTheirText) {
    // A failed copy to the device whose text mentions memory is not an allocation failure.
    EXPECT_FALSE(isOutOfMemory(RAISED(
        Error, "CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported")));
    EXPECT_FALSE(isOutOfMemory(RAISED(
        Error, "Expected all tensors to be on the same device, but found at least two devices")));
    EXPECT_FALSE(isOutOfMemory(RAISED(Error, "cuDNN error: CUDNN_STATUS_NOT_SUPPORTED")));
    EXPECT_FALSE(isOutOfMemory(RAISED(IndexError, "index 3 is out of bounds")));
    EXPECT_FALSE(isOutOfMemory(std::runtime_error("out of memory")));
}

TEST(OutOfMemory, FailureMessageLeavesTheBacktraceOut) {
    const auto error = RAISED(OutOfMemoryError, "CUDA out of memory.");
    EXPECT_EQ(failureMessage(error), error.what_without_backtrace());
    EXPECT_NE(failureMessage(error).find("CUDA out of memory."), std::string::npos);
    EXPECT_EQ(failureMessage(std::runtime_error("disk full")), "disk full");
}
