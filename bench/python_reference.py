#!/usr/bin/env python3
"""PyTorch-eager reference for upscale-bench: the same network on the same frames, done the way
Python upscalers do it for each frame: uint8 HWC array in, float tensor, the network, clamp,
uint8 HWC array out.

    python_reference.py --model models/realesr-animevideov3.safetensors --frames frames.raw \
        --width 256 --height 256 [--device cpu|cuda] [--precision fp32|fp16] [--compile]

Prints one JSON object: frames, total_s, fps. Reads safetensors with the standard library and
numpy only, and builds SRVGGNetCompact from torch.nn, so it needs nothing but PyTorch. A model
written by bench/make_bench_models.py (RealPLKSR, DAT, OmniSR) is built from the configuration
in its metadata with the implementations in scripts/reference_archs/; SwinIR and HAT are
built from the keys with scripts/reference_archs/ as well.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

DTYPES = {"F16": np.float16, "F32": np.float32, "I64": np.int64, "BF16": None}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = data[base + begin : base + end]
        if info["dtype"] == "BF16":
            words = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            array = words.view(np.float32)
        else:
            array = np.frombuffer(raw, dtype=DTYPES[info["dtype"]])
        tensors[name] = torch.from_numpy(array.astype(np.float32).reshape(info["shape"]))
    return tensors, meta


class SRVGGNetCompact(nn.Module):
    def __init__(self, in_ch, num_feat, num_conv, scale):
        super().__init__()
        self.scale = scale
        body = [nn.Conv2d(in_ch, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        for _ in range(num_conv):
            body += [nn.Conv2d(num_feat, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        body.append(nn.Conv2d(num_feat, in_ch * scale * scale, 3, 1, 1))
        self.body = nn.ModuleList(body)
        self.upsampler = nn.PixelShuffle(scale)

    def forward(self, x):
        out = x
        for m in self.body:
            out = m(out)
        out = self.upsampler(out)
        return out + nn.functional.interpolate(x, scale_factor=self.scale, mode="nearest")


def build_reference(tensors, bench_config):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
    from reference_archs import dat, omnisr, realplksr

    spec = json.loads(bench_config)
    make = {"realplksr": realplksr.RealPLKSR, "dat": dat.DAT, "omnisr": omnisr.OmniSR}[spec["arch"]]
    model = make(**spec["config"])
    model.load_state_dict(tensors, strict=False)  # buffers the file leaves out are derived
    return model.eval()


def build(path):
    tensors, meta = read_safetensors(path)
    if "bench_config" in meta:
        return build_reference(tensors, meta["bench_config"])
    tensors, _ = read_safetensors(path)
    if "layers.0.residual_group.blocks.0.attn.relative_position_bias_table" in tensors:
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
        from reference_archs.detect import build_transformer

        model = build_transformer(tensors)
        model.load_state_dict(tensors, strict=True)
        return model.eval()
    first = tensors["body.0.weight"]
    num_feat, in_ch = first.shape[0], first.shape[1]
    last = max(int(k.split(".")[1]) for k in tensors)
    num_conv = (last - 2) // 2
    scale = int(round((tensors[f"body.{last}.weight"].shape[0] / in_ch) ** 0.5))
    model = SRVGGNetCompact(in_ch, num_feat, num_conv, scale)
    model.load_state_dict(tensors, strict=True)
    return model.eval()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--frames", required=True)
    p.add_argument("--width", type=int, required=True)
    p.add_argument("--height", type=int, required=True)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", default="fp32", choices=["fp32", "fp16"])
    p.add_argument("--compile", action="store_true")
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: PyTorch's default)")
    args = p.parse_args()

    if args.threads > 0:
        torch.set_num_threads(args.threads)
    device = torch.device(args.device)
    dtype = torch.float16 if args.precision == "fp16" else torch.float32
    model = build(args.model).to(device=device, dtype=dtype)
    if args.compile:
        model = torch.compile(model)
    raw = np.fromfile(args.frames, dtype=np.uint8)
    frames = raw.reshape(-1, args.height, args.width, 3)

    def upscale(frame):
        x = torch.from_numpy(frame).to(device).permute(2, 0, 1).unsqueeze(0)
        x = x.to(dtype) / 255.0
        y = model(x).clamp_(0, 1)
        y = (y * 255.0).round().to(torch.uint8).squeeze(0).permute(1, 2, 0)
        return y.cpu().numpy()

    with torch.inference_mode():
        upscale(frames[0])  # warm-up
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for frame in frames:
            upscale(frame)
        if device.type == "cuda":
            torch.cuda.synchronize()
        total = time.perf_counter() - start
    print(json.dumps({"reference": "pytorch-eager" + ("+compile" if args.compile else ""),
                      "torch": torch.__version__, "device": args.device,
                      "precision": args.precision, "threads": torch.get_num_threads(),
                      "frames": int(len(frames)),
                      "total_s": total, "fps": len(frames) / total}))


if __name__ == "__main__":
    main()
