#pragma once
// Registers modules and parameters under dotted state-dict paths ("attn.f.0"), which LibTorch's
// register_* functions refuse: plain holder modules are created for the leading parts.

#include <memory>
#include <string>
#include <string_view>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace upscale::models::detail {

/// The module at the dotted path below `root`, created empty where missing.
inline torch::nn::Module& holderAt(torch::nn::Module& root, std::string_view path) {
    torch::nn::Module* at = &root;
    while (!path.empty()) {
        const auto dot = path.find('.');
        const std::string part(path.substr(0, dot));
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
        // named_children() returns a copy: keep it alive while the found entry is read.
        const auto children = at->named_children();
        if (const auto* found = children.find(part)) {
            at = found->get();
        } else {
            at = at->register_module(part, std::make_shared<torch::nn::Module>()).get();
        }
    }
    return *at;
}

/// Splits "a.b.c" into the holder path "a.b" and the leaf "c".
inline std::pair<std::string_view, std::string> splitLeaf(std::string_view path) {
    const auto dot = path.rfind('.');
    if (dot == std::string_view::npos) {
        return {std::string_view(), std::string(path)};
    }
    return {path.substr(0, dot), std::string(path.substr(dot + 1))};
}

/// Registers `module` at a dotted path and returns it.
template <typename M>
M registerAt(torch::nn::Module& root, std::string_view path, M module) {
    const auto [holder, leaf] = splitLeaf(path);
    return holderAt(root, holder).register_module(leaf, std::move(module));
}

/// Registers a parameter (inference only: no gradient) at a dotted path and returns it.
inline at::Tensor parameterAt(torch::nn::Module& root, std::string_view path, at::Tensor value) {
    const auto [holder, leaf] = splitLeaf(path);
    return holderAt(root, holder).register_parameter(leaf, std::move(value), false);
}

}  // namespace upscale::models::detail
