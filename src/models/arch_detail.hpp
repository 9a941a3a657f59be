#pragma once
// Shared by the per-architecture detection files: the error for unrecognised weights and small
// helpers to read shapes.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "upscale/models/architecture.hpp"

namespace upscale::models::detail {

using ShapeMap = std::map<std::string, std::vector<std::int64_t>, std::less<>>;

/// "a, b, c" or "a, b, c, d, e (and 3 more)".
[[nodiscard]] std::string listSome(const std::vector<std::string>& items, std::size_t limit);

/// UnsupportedFormat listing a few keys that identify the file and the supported architectures.
[[nodiscard]] tl::unexpected<core::Error> notSupported(const StateDict& weights,
                                                       std::string_view source);

/// The shape of a tensor when it exists with `rank` dimensions, all of them fitting an int.
[[nodiscard]] std::optional<std::vector<std::int64_t>> shapeOf(const StateDict& weights,
                                                               std::string_view key,
                                                               std::size_t rank);

/// The N of a "<prefix>N.<rest>" key, or -1.
[[nodiscard]] int indexAfter(std::string_view key, std::string_view prefix);

/// Output channels and scale of a pixel-shuffle head with `channels` outputs: the first out_ch
/// of [in_ch, 3, 4, 1] leaving a perfect square s^2. False when none does.
[[nodiscard]] bool splitShuffle(std::int64_t channels, std::int64_t inChannels, int& outChannels,
                                int& scale);

/// Adds a 2-D convolution's weight [out, in, k, k] and bias [out].
inline void addConv(ShapeMap& out, const std::string& name, std::int64_t in, std::int64_t outCh,
                    std::int64_t kernel) {
    out[name + ".weight"] = {outCh, in, kernel, kernel};
    out[name + ".bias"] = {outCh};
}

/// Adds a linear layer's weight [out, in] and, with `bias`, its bias [out].
inline void addLinear(ShapeMap& out, const std::string& name, std::int64_t in, std::int64_t outCh,
                      bool bias = true) {
    out[name + ".weight"] = {outCh, in};
    if (bias) {
        out[name + ".bias"] = {outCh};
    }
}

/// Adds a normalisation layer's weight and bias [dim].
inline void addNorm(ShapeMap& out, const std::string& name, std::int64_t dim) {
    out[name + ".weight"] = {dim};
    out[name + ".bias"] = {dim};
}

/// The name of an architecture this program cannot run, when the keys identify one.
[[nodiscard]] std::optional<std::string_view> recognizeUnsupported(const StateDict& weights);

/// ModelMismatch, naming the architecture, when the inferred sizes are zero or absurd or the
/// keys number more layers than the file has tensors.
[[nodiscard]] core::Result<void> checkSpec(const ArchSpec& spec, const StateDict& weights,
                                           std::string_view source);

/// UnsupportedFormat, naming the model and its channels, unless it takes and gives RGB images:
/// the engine runs RGB models only.
[[nodiscard]] core::Result<void> checkChannels(const ArchSpec& spec, std::string_view source);

/// Strips the prefixes that training tools put before every key ("module.", "netG.", "model.",
/// "_orig_mod.", "generator."), repeatedly, as long as every key has the same one.
[[nodiscard]] StateDict stripKeyPrefixes(StateDict weights);

[[nodiscard]] std::optional<ArchSpec> detectRrdb(const StateDict& weights);
[[nodiscard]] ShapeMap rrdbTensors(const ArchSpec& spec);
[[nodiscard]] StateDict renameEsrganKeys(StateDict weights);

[[nodiscard]] std::optional<ArchSpec> detectSpan(const StateDict& weights);
[[nodiscard]] ShapeMap spanTensors(const ArchSpec& spec);

[[nodiscard]] std::optional<ArchSpec> detectRealPlksr(const StateDict& weights);
[[nodiscard]] ShapeMap realPlksrTensors(const ArchSpec& spec);
[[nodiscard]] double realPlksrFlops(const ArchSpec& spec);

[[nodiscard]] std::optional<ArchSpec> detectDat(const StateDict& weights);
[[nodiscard]] ShapeMap datTensors(const ArchSpec& spec);
[[nodiscard]] double datFlops(const ArchSpec& spec);
/// "DAT", "DAT-S", "DAT-2" or "DAT-light", and the whole description.
[[nodiscard]] std::string datVariant(const ArchSpec& spec);
[[nodiscard]] std::string datDescription(const ArchSpec& spec);

[[nodiscard]] std::optional<ArchSpec> detectOmniSr(const StateDict& weights);
[[nodiscard]] ShapeMap omniSrTensors(const ArchSpec& spec);
[[nodiscard]] double omniSrFlops(const ArchSpec& spec);
/// Channels of each group's ESA attention: a quarter of the features, at least 16.
[[nodiscard]] int omniSrEsaChannels(int features);

[[nodiscard]] std::optional<ArchSpec> detectSwinIR(const StateDict& weights);
[[nodiscard]] ShapeMap swinirTensors(const ArchSpec& spec);
[[nodiscard]] std::optional<ArchSpec> detectHat(const StateDict& weights);
[[nodiscard]] ShapeMap hatTensors(const ArchSpec& spec);
/// describe() of a SwinIR or HAT spec.
[[nodiscard]] std::string describeWindowTransformer(const ArchSpec& spec);
/// flopsPerInputPixel and peakActivationsPerPixel of a SwinIR or HAT spec.
[[nodiscard]] double windowTransformerFlops(const ArchSpec& spec);
[[nodiscard]] std::int64_t windowTransformerActivations(const ArchSpec& spec);

}  // namespace upscale::models::detail
