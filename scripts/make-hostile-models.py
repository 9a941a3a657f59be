#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes hostile model files for the fuzzers' seed corpus: each one crashed the loader or cost it
gigabytes before the loader bounded its work by the file's size.

    scripts/make-hostile-models.py OUT_DIR           the small seeds (checked in under
                                                      tests/fuzz/corpus/)
    scripts/make-hostile-models.py --large OUT_DIR   the full-size files: a 16 MB pickle of
                                                      dict/pop pairs and a 412 KB pickle of
                                                      memoized calls with 100000-dimension shapes

Files go to OUT_DIR/pytorch, OUT_DIR/safetensors and OUT_DIR/ncnn, in the input format of the
fuzz target of that name (ncnn: a u32 length, the .param text, then the .bin). Plain Python: no
package needed. tests/models/hostile_files.hpp makes the same pickles in memory for the tests.
"""

import json
import os
import struct
import sys

LEGACY_HEADER = bytes([0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8,
                       0x50, 0x19, 0x2E, 0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E, 0x80, 0x02, 0x7D,
                       0x2E])


def legacy(pickle):
    """A legacy torch.save file around `pickle`, with an empty list of storages."""
    return LEGACY_HEADER + pickle + b"\x80\x02]."


def dict_pop(size):
    body = b"}0" * ((size - 4) // 2)
    return legacy(b"\x80\x02" + body + b"}.")


def memoized_shapes(dims, calls):
    p = b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nq\x01"
    p += (b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000"
          b"X\x03\x00\x00\x00cpuK\x02NtQq\x02")
    p += b"(" + b"K\x01" * dims + b"tq\x00"
    p += b"h\x01(h\x02K\x00h\x00h\x00\x89NtR0" * calls
    return legacy(p + b"}.")


def safetensors(tensors, claimed_header=None):
    """tensors: name -> shape (F32, zero-filled)."""
    header, offset = {}, 0
    for name, shape in tensors.items():
        size = 4
        for d in shape:
            size *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    length = len(text) if claimed_header is None else claimed_header
    return struct.pack("<Q", length) + text + bytes(offset)


def compact_with_deep_key():
    """A tiny Compact x4 (4 features, 1 conv) plus one key numbering layer 2000000."""
    f, last = 4, 3 * 16
    tensors = {"body.0.weight": [f, 3, 3, 3], "body.0.bias": [f], "body.1.weight": [f],
               "body.2.weight": [f, f, 3, 3], "body.2.bias": [f], "body.3.weight": [f],
               "body.4.weight": [last, f, 3, 3], "body.4.bias": [last],
               "body.2000000.weight": [f]}
    return safetensors(tensors)


def ncnn_input(param, binary=b""):
    text = param.encode()
    return struct.pack("<I", len(text)) + text + binary


OVERFLOWING_CONV = ("7767517\n2 2\nInput data 0 1 data\n"
                    "Convolution conv 1 1 data out 0=1073741824 1=131072 11=131072 5=1 6=1\n")


def write(out, target, name, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    args = sys.argv[1:]
    large = args[:1] == ["--large"]
    if large:
        args = args[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    out = args[0]
    if large:
        write(out, "pytorch", "dict-pop-16m.pth", dict_pop(16 << 20))
        write(out, "pytorch", "memoized-shapes-412k.pth", memoized_shapes(100000, 13300))
        return
    write(out, "pytorch", "dict-pop.pth", dict_pop(4096))
    write(out, "pytorch", "memoized-shapes.pth", memoized_shapes(40, 64))
    write(out, "safetensors", "deep-key-index.safetensors", compact_with_deep_key())
    write(out, "safetensors", "truncated-header.safetensors",
          safetensors({"body.0.weight": [4, 3, 3, 3]}, claimed_header=5000)[:64])
    write(out, "ncnn", "overflowing-conv", ncnn_input(OVERFLOWING_CONV))
    write(out, "ncnn", "blob-count-overflow",
          ncnn_input("7767517\n1 1\nInput data 2147483647 2147483647 data\n"))


if __name__ == "__main__":
    main()
