#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the tiny random-weight SwinIR and HAT fixtures of tests/data/models/.

Run with Debian's python3-torch (1.13): /usr/bin/python3 scripts/make-transformer-fixtures.py
With --bench DIR it writes instead, as .safetensors in DIR, random-weight models of benchmark
size for bench/compare_reference.sh: SwinIR lightweight x4 at its published size and a narrow HAT.

Each variant is saved as the published releases save it (a .pth holding {"params": ...} or
{"params_ema": ...}, buffers included), some also as .safetensors, plus <name>.io.safetensors
holding a 27x30 crop of tests/data/coffee_crop.png (not a multiple of any window, so the padding
is exercised) and the output of the reference implementation in scripts/reference_archs/ for it
(float32, CPU). The C++ networks must reproduce that output. Two variants also get
<name>.tiled.io.safetensors, the same for a 58x62 crop, which the engine's tests run in
tiles.
"""

import importlib.util
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from reference_archs.hat import HAT  # noqa: E402
from reference_archs.swinir import SwinIR  # noqa: E402
from reference_archs.window_attention import read_png_rgb  # noqa: E402

_spec = importlib.util.spec_from_file_location("fixtures", os.path.join(HERE, "make-model-fixtures.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

OUT = fixtures.OUT
CROP = (slice(17, 44), slice(21, 51))  # 27 rows, 30 columns

# name: (constructor, arguments, wrapper key, also as safetensors)
SWINIR = {
    "swinir-classical-x2": dict(embed=12, depths=(2,), heads=(3,), window=8, scale=2,
                                upsampler="pixelshuffle", train_size=16),
    "swinir-classical-x3": dict(embed=16, depths=(2, 2), heads=(2, 4), window=4, scale=3,
                                upsampler="pixelshuffle", resi="3conv", train_size=8),
    "swinir-classical-x8": dict(embed=12, depths=(2, 1), heads=(2, 2), window=4, scale=8,
                                upsampler="pixelshuffle", train_size=8),
    "swinir-light-x4": dict(embed=12, depths=(2, 2, 2), heads=(2, 2, 3), window=4, scale=4,
                            upsampler="pixelshuffledirect", mlp_ratio=1.5, train_size=8),
    "swinir-real-x4": dict(embed=16, depths=(2, 2), heads=(4, 2), window=4, scale=4,
                           upsampler="nearest+conv", resi="3conv", train_size=8),
    "swinir-real-x2": dict(embed=12, depths=(2,), heads=(2,), window=4, scale=2,
                           upsampler="nearest+conv", train_size=12),
    # JPEG artefact removal: same size, window 7, pixel values scaled to 0..255.
    "swinir-jpeg-x1": dict(embed=12, depths=(2,), heads=(2,), window=7, scale=1, upsampler="",
                           img_range=255.0, train_size=14),
}
HAT_VARIANTS = {
    # HAT (-M) and the real-world HAT: compression 3, squeeze 30 at full width.
    "hat-x4": dict(embed=12, depths=(2, 2), heads=(2, 3), window=4, scale=4, compress_ratio=3,
                   squeeze_factor=4),
    # HAT-S: a strongly compressed convolution branch.
    "hat-s-x2": dict(embed=24, depths=(2,), heads=(3,), window=8, scale=2, compress_ratio=24,
                     squeeze_factor=24),
    # HAT-L: more groups; here also without the convolutions after each group, and with a
    # smaller overlap of the cross-attention windows.
    "hat-l-x3": dict(embed=12, depths=(1,) * 12, heads=(2,) * 12, window=8, scale=3,
                     overlap_ratio=0.25,
                     compress_ratio=3, squeeze_factor=4, resi="identity"),
}
WRAPPER = {"swinir-real-x4": "params_ema", "swinir-real-x2": "params_ema"}
SAFETENSORS = {"swinir-classical-x2", "hat-x4"}
TILED = {"swinir-classical-x2", "hat-s-x2"}


def randomize(model, gain):
    """Random weights scaled by fan-in; the attention bias tables get unit-scale values so that
    the relative positions matter."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("relative_position_bias_table"):
                p.copy_(torch.randn_like(p))
            elif p.dim() == 1 and "norm" in name and name.endswith("weight"):
                p.copy_(1.0 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(torch.randn_like(p) * gain / max(1, p[0].numel()) ** 0.5)
    return model


def write(name, model, image, whole):
    state = model.state_dict()
    with torch.no_grad():
        output = model.eval()(image)
    key = WRAPPER.get(name, "params_ema" if name.startswith("hat") else "params")
    torch.save({key: state}, os.path.join(OUT, f"{name}.pth"))
    if name in SAFETENSORS:
        fixtures.save_safetensors(os.path.join(OUT, f"{name}.safetensors"), state)
    fixtures.save_safetensors(os.path.join(OUT, f"{name}.io.safetensors"),
                              {"input": image, "output": output})
    if name in TILED:
        # 58x62 of the photo, no multiple of any window, for the engine's tiled runs.
        with torch.no_grad():
            fixtures.save_safetensors(os.path.join(OUT, f"{name}.tiled.io.safetensors"),
                                      {"input": whole, "output": model(whole)})
    inside = ((output >= 0) & (output <= 1)).float().mean()
    print(f"{name}: output {tuple(output.shape)}, {inside:.0%} within [0, 1]")


# Benchmark sizes: SwinIR's published lightweight x4; HAT narrowed (48 dim, 2 groups of 2 blocks,
# window 16) so that a 256x256 frame takes seconds, not minutes, on a small CPU.
BENCH = {
    "bench-swinir-light-x4": (SwinIR, dict(embed=60, depths=(6,) * 4, heads=(6,) * 4, window=8,
                                           scale=4, upsampler="pixelshuffledirect", train_size=64)),
    "bench-hat-narrow-x4": (HAT, dict(embed=48, depths=(2, 2), heads=(4, 4), window=16, scale=4,
                                      num_feat=32, compress_ratio=3, squeeze_factor=16)),
}


def write_bench(folder):
    os.makedirs(folder, exist_ok=True)
    for name, (cls, args) in BENCH.items():
        state = randomize(cls(**args), 0.25).state_dict()
        fixtures.save_safetensors(os.path.join(folder, f"{name}.safetensors"), state)
        print(os.path.join(folder, f"{name}.safetensors"))
    return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--bench":
        return write_bench(sys.argv[2])
    torch.manual_seed(1408)
    photo = read_png_rgb(os.path.join(HERE, "..", "tests", "data", "coffee_crop.png"))
    image = photo[..., CROP[0], CROP[1]].contiguous()
    whole = photo[..., :58, :62].contiguous()
    for name, args in SWINIR.items():
        write(name, randomize(SwinIR(**args), 0.25), image, whole)
    for name, args in HAT_VARIANTS.items():
        write(name, randomize(HAT(**args), 0.5), image, whole)
    return 0


if __name__ == "__main__":
    sys.exit(main())
