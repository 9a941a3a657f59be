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

# Sanitizers, for every target that links upscale::options (all modules, their tests and tools):
# UPSCALE_SANITIZE is a comma-separated list for -fsanitize=, e.g. "address,undefined" or "thread".
# An undefined-behaviour report aborts, so that it fails the test that caused it.
set(UPSCALE_SANITIZE "" CACHE STRING
    "Build with these sanitizers: address,undefined or thread (empty: none)")
if(UPSCALE_SANITIZE)
    string(REPLACE "," ";" _sanitizers "${UPSCALE_SANITIZE}")
    foreach(_sanitizer IN LISTS _sanitizers)
        if(NOT _sanitizer MATCHES "^(address|undefined|thread|leak|fuzzer-no-link)$")
            message(FATAL_ERROR "UPSCALE_SANITIZE: unknown sanitizer '${_sanitizer}'; use "
                                "address, undefined, thread, leak (comma-separated).")
        endif()
    endforeach()
    if("thread" IN_LIST _sanitizers
       AND ("address" IN_LIST _sanitizers OR "leak" IN_LIST _sanitizers))
        message(FATAL_ERROR "UPSCALE_SANITIZE: thread cannot be combined with address or leak.")
    endif()
    target_compile_options(upscale_options INTERFACE
        -fsanitize=${UPSCALE_SANITIZE} -fno-omit-frame-pointer)
    if("undefined" IN_LIST _sanitizers)
        target_compile_options(upscale_options INTERFACE -fno-sanitize-recover=undefined)
    endif()
    list(REMOVE_ITEM _sanitizers fuzzer-no-link)
    string(REPLACE ";" "," _link_sanitizers "${_sanitizers}")
    target_link_options(upscale_options INTERFACE -fsanitize=${_link_sanitizers})
endif()

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
