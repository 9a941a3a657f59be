#pragma once
// The model file formats the loader reads, in one table: the model picker's dialog and drop
// acceptance, the listing of a user's model folder, the command line's help and the loader's
// messages are generated from it. The generators take the table as an argument (the real one by
// default) so they can be tried on a small one.

#include <array>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace upscale::models {

struct ModelFileFormat {
    /// How messages name it: "PyTorch", "ncnn"; "" when the suffix says it all.
    std::string_view family;
    /// Lower-case extensions of the file a user picks, with the dot; "" marks unused.
    std::array<std::string_view, 3> extensions;
    /// The extension of a file that belongs beside it and may be named instead (ncnn's .bin
    /// weights beside the .param graph); "" for none.
    std::string_view companion;
};

/// .safetensors; PyTorch .pth, .pt, .ckpt; ncnn .param with its .bin.
[[nodiscard]] std::span<const ModelFileFormat> modelFileFormats();

/// The extensions a model file is picked by, companions left out: ".safetensors", ".pth", ...
[[nodiscard]] std::vector<std::string> modelExtensions(
    std::span<const ModelFileFormat> table = modelFileFormats());
/// True when the path's extension (any case) is one of modelExtensions().
[[nodiscard]] bool hasModelExtension(const std::filesystem::path& path,
                                     std::span<const ModelFileFormat> table = modelFileFormats());
/// True when `text` ends in one of the extensions or companions (as typed, case kept).
[[nodiscard]] bool endsWithModelSuffix(std::string_view text,
                                       std::span<const ModelFileFormat> table = modelFileFormats());
/// ".safetensors, PyTorch .pth/.pt/.ckpt, ncnn .param/.bin".
[[nodiscard]] std::string modelFormatList(
    std::span<const ModelFileFormat> table = modelFileFormats());
/// A file dialog's patterns: "*.safetensors *.pth *.pt *.ckpt *.param".
[[nodiscard]] std::string modelFilePatterns(
    std::span<const ModelFileFormat> table = modelFileFormats());

}  // namespace upscale::models
