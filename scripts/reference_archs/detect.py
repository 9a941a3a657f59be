# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds the reference SwinIR or HAT for a state dict, its hyper-parameters read from the
shapes (for bench/python_reference.py, which must run the same network as the engine)."""

import math

from .hat import HAT
from .swinir import SwinIR

BLOCK = "layers.{}.residual_group.blocks.{}."


def _count(sd, pattern):
    n = 0
    while pattern.format(n) in sd:
        n += 1
    return n


def _common(sd):
    embed, in_ch = sd["conv_first.weight"].shape[:2]
    table = sd[BLOCK.format(0, 0) + "attn.relative_position_bias_table"]
    window = (math.isqrt(table.shape[0]) + 1) // 2
    layers = _count(sd, "layers.{}.residual_group.blocks.0.norm1.weight")
    depths = tuple(_count(sd, "layers.%d.residual_group.blocks.{}.norm1.weight" % i)
                   for i in range(layers))
    heads = tuple(sd[BLOCK.format(i, 0) + "attn.relative_position_bias_table"].shape[1]
                  for i in range(layers))
    mlp_ratio = sd[BLOCK.format(0, 0) + "mlp.fc1.weight"].shape[0] / embed
    return dict(embed=embed, depths=depths, heads=heads, window=window, mlp_ratio=mlp_ratio), in_ch


def _pixelshuffle_scale(sd, feat):
    if "upsample.0.weight" in sd and sd["upsample.0.weight"].shape[0] == 9 * feat:
        return 3
    return 2 ** sum(1 for k in sd if k.startswith("upsample.") and k.endswith(".weight"))


def build_transformer(sd):
    args, in_ch = _common(sd)
    if BLOCK.format(0, 0) + "conv_block.cab.0.weight" in sd:
        embed = args["embed"]
        side = math.isqrt(sd["layers.0.residual_group.overlap_attn.relative_position_bias_table"].shape[0])
        outer = side - args["window"] + 1
        feat = sd["conv_before_upsample.0.weight"].shape[0]
        return HAT(in_ch=in_ch, overlap_ratio=(outer - args["window"]) / args["window"],
                   compress_ratio=embed // sd[BLOCK.format(0, 0) + "conv_block.cab.0.weight"].shape[0],
                   squeeze_factor=embed // sd[BLOCK.format(0, 0) + "conv_block.cab.3.attention.1.weight"].shape[0],
                   scale=_pixelshuffle_scale(sd, feat), num_feat=feat,
                   resi="1conv" if "conv_after_body.weight" in sd else "identity", **args)
    resi = "3conv" if "conv_after_body.0.weight" in sd else "1conv"
    mask = sd.get(BLOCK.format(0, 1) + "attn_mask")
    train = math.isqrt(mask.shape[0]) * args["window"] if mask is not None else 64
    common = dict(in_ch=in_ch, resi=resi, train_size=train,
                  img_range=255.0 if args["window"] == 7 else 1.0, **args)
    if "conv_up1.weight" in sd:
        feat = sd["conv_before_upsample.0.weight"].shape[0]
        return SwinIR(out_ch=sd["conv_last.weight"].shape[0], upsampler="nearest+conv", num_feat=feat,
                      scale=4 if "conv_up2.weight" in sd else 2, **common)
    if "conv_before_upsample.0.weight" in sd:
        feat = sd["conv_before_upsample.0.weight"].shape[0]
        return SwinIR(out_ch=sd["conv_last.weight"].shape[0], upsampler="pixelshuffle", num_feat=feat,
                      scale=_pixelshuffle_scale(sd, feat), **common)
    if "upsample.0.weight" in sd:
        out = in_ch
        scale = math.isqrt(sd["upsample.0.weight"].shape[0] // out)
        return SwinIR(out_ch=out, upsampler="pixelshuffledirect", scale=scale, **common)
    return SwinIR(out_ch=sd["conv_last.weight"].shape[0], upsampler="", scale=1, **common)
