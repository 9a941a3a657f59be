# Project-wide build settings, carried by one INTERFACE target instead of global flags.

if(UPSCALE_USE_CCACHE)
    find_program(UPSCALE_CCACHE ccache)
    if(UPSCALE_CCACHE)
        set(CMAKE_CXX_COMPILER_LAUNCHER "${UPSCALE_CCACHE}")
    endif()
endif()

set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

add_library(upscale_options INTERFACE)
add_library(upscale::options ALIAS upscale_options)
target_compile_features(upscale_options INTERFACE cxx_std_20)
target_compile_options(upscale_options INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wno-unused-parameter -Wno-missing-field-initializers>)

# Adds a module library: src/<name> sources, include/ as its public include root.
function(upscale_add_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
    add_library(upscale_${name} ${ARG_SOURCES})
    add_library(upscale::${name} ALIAS upscale_${name})
    target_include_directories(upscale_${name} PUBLIC "${PROJECT_SOURCE_DIR}/include")
    target_link_libraries(upscale_${name} PUBLIC upscale::options)
    set_target_properties(upscale_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# LibTorch's headers dominate compile time; the targets that include them share one
# precompiled header of the narrow ATen/nn headers they use.
function(upscale_torch_pch target)
    if(UPSCALE_USE_PCH)
        target_precompile_headers(${target} PRIVATE
            <ATen/ATen.h>
            <torch/nn/module.h>
            <torch/nn/modules/conv.h>
            <torch/nn/modules/activation.h>
            <torch/nn/modules/container/modulelist.h>)
    endif()
endfunction()
