# The CUDA compile check (UPSCALE_CUDA_COMPILE_CHECK, run by scripts/cuda-check.sh): compiles
# every engine source as a CUDA LibTorch build would (UPSCALE_WITH_CUDA), against the LibTorch
# headers found (a CPU package is enough), the CUDA toolkit's headers, and a stub for the one
# header a CPU package lacks. Objects only, nothing is linked, so no CUDA LibTorch is needed:
# a machine without a GPU proves that the CUDA code still compiles.
function(upscale_cuda_compile_check target)
    find_package(CUDAToolkit QUIET)
    if(NOT CUDAToolkit_FOUND)
        message(FATAL_ERROR
                "The CUDA compile check needs the CUDA toolkit's headers (cuda_runtime_api.h, "
                "cublas_v2.h): install the CUDA toolkit and point CUDA_HOME (or "
                "CUDAToolkit_ROOT) at it, e.g. /usr/local/cuda.")
    endif()
    get_target_property(sources ${target} SOURCES)
    set(check ${target}_cuda_check)
    add_library(${check} OBJECT EXCLUDE_FROM_ALL ${sources})
    target_compile_definitions(${check} PRIVATE UPSCALE_WITH_CUDA=1)
    # LibTorch's CUDA headers include the toolkit's; the stub only fills in a missing file, so it
    # comes after LibTorch's own include directories.
    target_include_directories(${check} SYSTEM AFTER PRIVATE ${CUDAToolkit_INCLUDE_DIRS}
                                                              "${PROJECT_SOURCE_DIR}/cmake/cuda-stubs")
    foreach(property INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS)
        get_target_property(value ${target} ${property})
        if(value)
            set_property(TARGET ${check} APPEND PROPERTY ${property} ${value})
        endif()
    endforeach()
    get_target_property(libraries ${target} LINK_LIBRARIES)
    target_link_libraries(${check} PRIVATE ${libraries})
    # Only whether it compiles matters: no optimisation, and LibTorch's headers parsed once, into a
    # precompiled header of the same flags.
    target_compile_options(${check} PRIVATE -O0)
    upscale_torch_pch(${check} OWN)
endfunction()
