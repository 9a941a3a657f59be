#pragma once
// PyTorch checkpoints (.pth, .pt, .ckpt), in both the zip format (PyTorch 1.6 and later) and the
// legacy format before it. The pickles inside are read by a restricted unpickler: only the
// opcodes and globals a state dict needs (OrderedDict, the tensor and parameter rebuilders, the
// storage classes) are understood, nothing a file names is ever imported or run, and any other
// global is refused with an error naming it. Every offset, size and count is checked against
// the file before it is used. LibTorch-free.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "upscale/models/state_dict.hpp"

namespace upscale::models {

/// The file starts like a zip archive or a legacy PyTorch file.
[[nodiscard]] bool looksLikePytorch(std::span<const std::uint8_t> bytes);

/// Reads the state dict of an in-memory checkpoint; `source` names it in errors. Wrappers are
/// unwrapped the way the training tools write them (params_ema before params, then state_dict,
/// model, net; a lone nested dict), and only tensor entries are kept. CorruptFile for truncated
/// or inconsistent files, UnsupportedFormat for anything that is not plain weights.
[[nodiscard]] core::Result<StateDict> parsePytorch(std::span<const std::uint8_t> bytes,
                                                   std::string_view source);
[[nodiscard]] core::Result<StateDict> readPytorch(const std::filesystem::path& path);

}  // namespace upscale::models
