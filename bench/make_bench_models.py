#!/usr/bin/env python3
"""Writes random-weight models of the newer architectures for the benchmarks, as safetensors
whose metadata holds the configuration (`bench_config`), so that bench/python_reference.py
builds the same network from scripts/reference_archs/ and upscale-bench reads the same file.

    make_bench_models.py OUT_DIR [--size small|full]

small (the default): RealPLKSR with 32 features and 8 blocks (kernel 17), a DAT-light-shaped DAT
with 2 blocks instead of 18 (60 features, 8x32 windows), OmniSR with 32 features and 2 groups.
full: the published sizes (RealPLKSR 64 features, 28 blocks; DAT-2; OmniSR 64 features, 5
groups), far slower on a CPU.
"""
import argparse
import importlib.util
import json
import os
import sys

import torch

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts")
sys.path.insert(0, SCRIPTS)
from reference_archs import dat, omnisr, realplksr  # noqa: E402

_spec = importlib.util.spec_from_file_location("model_fixtures", os.path.join(SCRIPTS, "make-model-fixtures.py"))
model_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(model_fixtures)

CONFIGS = {
    "small": {
        "realplksr": dict(dim=32, n_blocks=8, kernel=17, scale=4),
        "dat": dict(dim=60, depths=[2], heads=[6], split=[8, 32], expansion=2.0, scale=4,
                    three_conv=True, direct=True, reso=64),
        "omnisr": dict(dim=32, groups=2, blocks=1, window=8, scale=4),
    },
    "full": {
        "realplksr": dict(dim=64, n_blocks=28, kernel=17, scale=4),
        "dat": dict(dim=180, depths=[6] * 6, heads=[6] * 6, split=[8, 32], expansion=2.0, scale=4,
                    reso=64),
        "omnisr": dict(dim=64, groups=5, blocks=1, window=8, scale=4),
    },
}


def build(arch, config):
    if arch == "realplksr":
        return realplksr.RealPLKSR(**config)
    if arch == "dat":
        return dat.DAT(**config)
    return omnisr.OmniSR(**config)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--size", default="small", choices=sorted(CONFIGS))
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(1)
    for arch, config in CONFIGS[args.size].items():
        net = build(arch, config)
        with torch.no_grad():
            for param in net.parameters():
                param.mul_(0.5)
        state = {k: v for k, v in net.state_dict().items() if v.dtype.is_floating_point}
        meta = {"bench_config": json.dumps({"arch": arch, "config": config})}
        model_fixtures.save_safetensors(os.path.join(args.out, f"{arch}.safetensors"), state, meta)
        print(arch, sum(v.numel() for v in state.values()), "values")


if __name__ == "__main__":
    main()
