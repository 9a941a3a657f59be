#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the small fixtures of tests/data/models/ that the loader must refuse or explain.

Run with Debian's python3-torch (1.13): /usr/bin/python3 scripts/make-loader-fixtures.py

- torchscript-compact.pt: a real TorchScript archive (torch.jit.trace of a tiny Compact);
- pickled-module.pth: a whole nn.Module saved with torch.save(model);
- compact-x2-namespace.pth: a Compact x2 checkpoint with an argparse.Namespace of training
  options, an epoch number and a string beside the EMA weights (the weights must load);
- compact-3to1-x2.pth: a Compact with 3 input and 1 output channels at 2x;
- compact-rgba.pth: a Compact with 4 input and 4 output channels at 2x;
- compact-zero-out.pth: a three-tensor "Compact" whose last convolution has no output channels.

The large hostile files (megabytes of pickle) are written by scripts/make-hostile-models.py at
test time instead of being checked in.
"""

import argparse
import importlib.util
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "data", "models")

_spec = importlib.util.spec_from_file_location("fixtures", os.path.join(HERE,
                                                                        "make-model-fixtures.py"))
fixtures = importlib.util.module_from_spec(_spec)
sys.modules["fixtures"] = fixtures  # so that a pickled module can name its class
_spec.loader.exec_module(fixtures)


def save(obj, name):
    torch.save(obj, os.path.join(OUT, name))


def main():
    torch.manual_seed(14)
    tiny = fixtures.Compact(num_feat=4, num_conv=1, scale=2).eval()

    torch.jit.trace(tiny, torch.zeros(1, 3, 4, 4)).save(os.path.join(OUT, "torchscript-compact.pt"))
    save(tiny, "pickled-module.pth")

    options = argparse.Namespace(lr=2e-4, batch_size=16, name="compact_x2", gan=True)
    save({"params_ema": tiny.state_dict(), "args": options, "epoch": 3, "optimizer": "adam",
          "loss": [0.5, 0.25]}, "compact-x2-namespace.pth")

    save(fixtures.Compact(num_in=3, num_out=1, num_feat=4, num_conv=1, scale=2).state_dict(),
         "compact-3to1-x2.pth")
    save(fixtures.Compact(num_in=4, num_out=4, num_feat=4, num_conv=1, scale=2).state_dict(),
         "compact-rgba.pth")
    save({"body.0.weight": torch.zeros(4, 3, 3, 3), "body.1.weight": torch.zeros(4),
          "body.2.weight": torch.zeros(0, 4, 3, 3)}, "compact-zero-out.pth")


if __name__ == "__main__":
    main()
