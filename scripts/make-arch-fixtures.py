#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small random-weight fixtures of the newer architectures to tests/data/models/.

Run with Debian's python3-torch (1.13): /usr/bin/python3 scripts/make-arch-fixtures.py

For each variant it saves the state dict under the published key names as a zip .pth (and some
as .safetensors), plus <name>.io.safetensors holding a crop of a real test photo (the input,
float32 in [0, 1]) and the output of the reference implementation in scripts/reference_archs/
for it (float32, CPU). Crop sides are not multiples of any window, so the padding is exercised.
"""

import importlib.util
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reference_archs import dat, omnisr, realplksr  # noqa: E402

ROOT = os.path.join(HERE, "..")
OUT = os.path.join(ROOT, "tests", "data", "models")

_spec = importlib.util.spec_from_file_location("model_fixtures", os.path.join(HERE, "make-model-fixtures.py"))
model_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(model_fixtures)
save_safetensors = model_fixtures.save_safetensors


def photo_crop(width, height, left=10, top=6, image="coffee_crop.png"):
    """A crop of a real photo as a [1, 3, h, w] float32 tensor of k/255 values."""
    with Image.open(os.path.join(ROOT, "tests", "data", image)) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float32)[top : top + height, left : left + width]
    return torch.from_numpy(rgb.copy()).permute(2, 0, 1).unsqueeze(0) / 255.0


def randomize(model, gain, seed):
    """Random weights of roughly unit gain per layer; normalisation scales stay near 1."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=g)
            if name.endswith("temperature") or (p.dim() == 1 and "norm" in name):
                p.copy_(1.0 + 0.2 * noise if name.endswith("weight") else 0.1 * noise)
            else:
                fan_in = max(1, p[0].numel()) if p.dim() > 1 else 1
                p.copy_(noise * gain / fan_in**0.5)
    return model


def write_tiled_io(name, model, x):
    """<name>.tiled.io.safetensors: a larger crop for runs through the engine in tiles."""
    with torch.no_grad():
        y = model.eval()(x)
    save_safetensors(os.path.join(OUT, f"{name}.tiled.io.safetensors"), {"input": x, "output": y})


def write(name, model, x, formats=("pth",)):
    model.eval()
    with torch.no_grad():
        y = model(x)
    state = OrderedDict((k, v.detach().clone()) for k, v in model.state_dict().items())
    if "pth" in formats:
        torch.save(state, os.path.join(OUT, f"{name}.pth"))
    if "params_ema" in formats:
        torch.save({"params_ema": state}, os.path.join(OUT, f"{name}.pth"))
    if "safetensors" in formats:
        save_safetensors(os.path.join(OUT, f"{name}.safetensors"), state)
    save_safetensors(os.path.join(OUT, f"{name}.io.safetensors"), {"input": x, "output": y})
    inside = ((y >= 0) & (y <= 1)).float().mean().item()
    print(f"{name}: {sum(v.numel() for v in state.values())} values, output {tuple(y.shape)}, "
          f"range {y.min():.3f}..{y.max():.3f}, {100 * inside:.0f}% inside 0..1")


def realplksr_fixtures():
    cases = [
        # name, scale, options
        ("realplksr-x4", 4, dict(kernel=7, use_ea=True), ("pth", "safetensors")),
        ("realplksr-x2-layernorm", 2, dict(kernel=5, use_ea=False, layer_norm=True), ("params_ema",)),
        ("realplksr-x3-dysample", 3, dict(kernel=5, dysample=True), ("pth",)),
        ("realplksr-x4-dysample-layernorm", 4, dict(kernel=7, dysample=True, layer_norm=True), ("pth",)),
        ("realplksr-x1-dysample", 1, dict(kernel=3, dysample=True), ("pth",)),
        ("realplksr-x8", 8, dict(kernel=3, n_blocks=1, dim=8, split_ratio=0.5), ("pth",)),
    ]
    for i, (name, scale, options, formats) in enumerate(cases):
        opts = dict(dim=16, n_blocks=2)
        opts.update(options)
        net = randomize(realplksr.RealPLKSR(scale=scale, **opts), 0.5, 100 + i)
        with torch.no_grad():  # a modest residual keeps the output mostly inside 0..1
            net.feats[-1].weight.mul_(0.05)
            net.feats[-1].bias.mul_(0.05)
            end = getattr(net.to_img, "end_conv", None)
            if end is not None:  # near the mean of each channel's sub-pixel copies, plus noise
                copies = scale * scale
                mean = torch.zeros_like(end.weight)
                for c in range(3):
                    mean[c, c * copies : (c + 1) * copies] = 1.0 / copies
                end.weight.mul_(0.1).add_(mean)
                end.bias.mul_(0.1)
        write(name, net, photo_crop(27, 21), formats)
        if name in ("realplksr-x2-layernorm", "realplksr-x4-dysample-layernorm"):
            side = 61 if scale == 2 else 45
            write_tiled_io(name, net, photo_crop(side, 41, left=2, top=17, image="rocket_crop.png"))
        if name == "realplksr-x4":
            # Broken on purpose: the second block's refinement is 3x3 instead of 1x1.
            wrong = OrderedDict(net.state_dict())
            wrong["feats.2.refine.weight"] = torch.zeros(16, 16, 3, 3)
            torch.save(wrong, os.path.join(OUT, "realplksr-wrong-shape.pth"))


def dat_fixtures():
    cases = [
        # name, options (small forms of DAT, DAT-S, DAT-2 and DAT-light), formats
        ("dat-x4", dict(depths=(4, 1), heads=(4, 2), split=(4, 8), expansion=4.0, scale=4), ("pth",)),
        ("dat-s-x2", dict(depths=(2, 2), heads=(2, 2), split=(2, 4), expansion=2.0, scale=2), ("params_ema",)),
        # A group of one block: its head count comes from the position MLP alone.
        ("dat2-x3", dict(depths=(2, 1), heads=(2, 4), split=(2, 8), expansion=2.0, scale=3, qkv_bias=False), ("pth",)),
        ("dat-light-x4", dict(depths=(5,), heads=(2,), split=(4, 8), expansion=2.0, scale=4, three_conv=True,
                              direct=True), ("pth",)),
        ("dat-x8", dict(depths=(2,), heads=(2,), split=(4, 4), expansion=4.0, scale=8), ("pth",)),
        ("dat-x1", dict(depths=(2,), heads=(2,), split=(2, 4), expansion=2.0, scale=1), ("pth", "safetensors")),
    ]
    for i, (name, options, formats) in enumerate(cases):
        net = randomize(dat.DAT(dim=32, reso=8, num_feat=16, **options), 0.5, 200 + i)
        g = torch.Generator().manual_seed(300 + i)
        with torch.no_grad():
            for key, buf in net.named_buffers():  # batch norm statistics as after training
                if key.endswith("running_mean"):
                    buf.copy_(0.1 * torch.randn(buf.shape, generator=g))
                elif key.endswith("running_var"):
                    buf.copy_(0.5 + torch.rand(buf.shape, generator=g))
            last = net.upsample[0] if options.get("direct") else net.conv_last
            last.weight.mul_(0.3)  # outputs around the mean colour, mostly inside 0..1
            last.bias.mul_(0.3)
        write(name, net, photo_crop(27, 21), formats)
        if name == "dat-light-x4":
            write_tiled_io(name, net, photo_crop(45, 41, left=2, top=17, image="rocket_crop.png"))


def omnisr_fixtures():
    cases = [
        ("omnisr-x4", dict(dim=16, groups=2, blocks=1, window=8, scale=4), ("pth", "safetensors")),
        ("omnisr-x2", dict(dim=24, groups=1, blocks=2, window=4, scale=2), ("params_ema",)),
        # Without the position bias the window is not in the file: 8, as published.
        ("omnisr-x3-nobias", dict(dim=16, groups=1, blocks=1, window=8, scale=3, with_pe=False, bias=False), ("pth",)),
        ("omnisr-x8", dict(dim=8, groups=1, blocks=1, window=8, scale=8), ("pth",)),
        ("omnisr-x1", dict(dim=16, groups=1, blocks=1, window=4, scale=1), ("pth",)),
    ]
    for i, (name, options, formats) in enumerate(cases):
        net = randomize(omnisr.OmniSR(**options), 0.5, 400 + i)
        with torch.no_grad():  # outputs around the input's colours, mostly inside 0..1
            net.up[0].weight.mul_(0.2)
            if net.up[0].bias is not None:
                net.up[0].bias.copy_(0.45 + 0.05 * net.up[0].bias)
        write(name, net, photo_crop(27, 21), formats)
        if name == "omnisr-x2":  # the counters a profiler (thop) leaves in some releases
            state = OrderedDict((k, v.detach().clone()) for k, v in net.state_dict().items())
            state["total_ops"] = torch.tensor([1.5e9], dtype=torch.float64)
            state["residual_layer.0.total_params"] = torch.tensor([1234.0], dtype=torch.float64)
            torch.save({"params_ema": state}, os.path.join(OUT, f"{name}.pth"))


def main():
    os.makedirs(OUT, exist_ok=True)
    realplksr_fixtures()
    dat_fixtures()
    omnisr_fixtures()
    return 0


if __name__ == "__main__":
    sys.exit(main())
