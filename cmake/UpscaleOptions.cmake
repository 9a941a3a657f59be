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
# In a unity build GCC sees a class of one source holding a type of another source's anonymous
# namespace, which it only warns about because the sources are included files there.
if(CMAKE_UNITY_BUILD)
    target_compile_options(upscale_options INTERFACE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
endif()

# Sanitizers, for every target that links upscale::options (all modules, their tests and tools):
# UPSCALE_SANITIZE is a comma-separated list for -fsanitize=, e.g. "address,undefined" or "thread".
# An undefined-behaviour report aborts, so that it fails the test that caused it. Instrumented code
# is built at -O1 with line tables and assertions on, whatever the build type.
#
# A target whose UPSCALE_UNINSTRUMENTED property is on (upscale_models: the networks, LibTorch
# arithmetic that no sanitizer test needs instrumented) is built as in a release build instead; with
# UPSCALE_RELEASE_NETWORKS a sanitizer build links the release build's library of them
# (src/models/CMakeLists.txt).
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
    set(_instrument -fsanitize=${UPSCALE_SANITIZE} -fno-omit-frame-pointer)
    if("undefined" IN_LIST _sanitizers)
        list(APPEND _instrument -fno-sanitize-recover=undefined)
    endif()
    if(CMAKE_BUILD_TYPE STREQUAL "Release")
        list(APPEND _instrument -O1 -g1 -UNDEBUG "-fdebug-prefix-map=${PROJECT_SOURCE_DIR}=.")
    endif()
    set(_instrumented "$<NOT:$<BOOL:$<TARGET_PROPERTY:UPSCALE_UNINSTRUMENTED>>>")
    target_compile_options(upscale_options INTERFACE "$<${_instrumented}:${_instrument}>")
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

# LibTorch's headers dominate compile time. The targets that include them share one precompiled
# header of the narrow ATen/nn headers they use: built once, for the first caller, and reused by the
# others, whose flags are the same.
#   upscale_torch_pch(target [OWN])   OWN: a header of the target's own, for a target whose flags
#                                     differ (GCC ignores a header built with other flags): the
#                                     uninstrumented networks under a sanitizer, the CUDA check.
function(upscale_torch_pch target)
    cmake_parse_arguments(ARG "OWN" "" "" ${ARGN})
    if(NOT UPSCALE_USE_PCH)
        return()
    endif()
    get_property(_first GLOBAL PROPERTY UPSCALE_TORCH_PCH_TARGET)
    set_target_properties(${target} PROPERTIES UPSCALE_TORCH_PCH ON)
    if(_first AND NOT ARG_OWN)
        # A precompiled header is only valid where the code model matches: position-independent
        # (the libraries are; an executable is compiled so too).
        get_target_property(_type ${target} TYPE)
        if(_type STREQUAL "EXECUTABLE")
            target_compile_options(${target} PRIVATE -fPIC)
        endif()
        target_precompile_headers(${target} REUSE_FROM ${_first})
        return()
    endif()
    if(NOT _first AND NOT ARG_OWN)
        set_property(GLOBAL PROPERTY UPSCALE_TORCH_PCH_TARGET ${target})
    endif()
    target_precompile_headers(${target} PRIVATE
        <ATen/ATen.h>
        <torch/nn/module.h>
        <torch/nn/modules/conv.h>
        <torch/nn/modules/activation.h>
        <torch/nn/modules/container/modulelist.h>)
endfunction()
