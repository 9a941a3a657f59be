#pragma once
// Hostile model files, made in memory: each one crashed the loader or cost it gigabytes before
// the loader bounded its work by the file's size. scripts/make-hostile-models.py writes the same
// files for the fuzzers' seed corpus.

#include <cstdint>
#include <string>
#include <vector>

namespace upscale::models::test {

using namespace std::string_literals;

/// A legacy torch.save file (magic, protocol, empty sys_info) followed by `pickle` and an empty
/// list of storages.
inline std::vector<std::uint8_t> legacyPickle(const std::string& pickle) {
    std::vector<std::uint8_t> bytes = {0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9,
                                       0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E, 0x80, 0x02, 0x4D,
                                       0xE9, 0x03, 0x2E, 0x80, 0x02, '}',  '.'};
    bytes.insert(bytes.end(), pickle.begin(), pickle.end());
    const std::string keys = "\x80\x02].";
    bytes.insert(bytes.end(), keys.begin(), keys.end());
    return bytes;
}

/// About `size` bytes of EMPTY_DICT, POP pairs, then an empty dict as the result.
inline std::vector<std::uint8_t> dictPopPickle(std::size_t size) {
    std::string pickle = "\x80\x02";
    pickle.reserve(size + 4);
    while (pickle.size() + 2 < size) {
        pickle += "}0";
    }
    pickle += "}.";
    return legacyPickle(pickle);
}

/// A memoized shape of `dims` dimensions, then `calls` tensor rebuilds that each use it as both
/// size and stride.
inline std::vector<std::uint8_t> memoizedShapePickle(int dims, int calls) {
    std::string pickle = "\x80\x02";
    pickle += "ctorch._utils\n_rebuild_tensor_v2\nq\x01";
    pickle += "(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"
              "0X\x03\x00\x00\x00"
              "cpuK\x02NtQq\x02"s;
    pickle += "(";
    for (int i = 0; i < dims; ++i) {
        pickle += "K\x01";
    }
    pickle += "tq\x00"s;
    for (int i = 0; i < calls; ++i) {
        pickle += "h\x01(h\x02K\x00h\x00h\x00\x89NtR0"s;
    }
    pickle += "}.";
    return legacyPickle(pickle);
}

/// An ncnn graph whose convolution's sizes multiply past 64 bits (it once divided by zero).
inline std::string overflowingNcnnParam() {
    return "7767517\n2 2\nInput data 0 1 data\n"
           "Convolution conv 1 1 data out 0=1073741824 1=131072 11=131072 5=1 6=1\n";
}

}  // namespace upscale::models::test
