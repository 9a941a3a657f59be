# SPDX-License-Identifier: GPL-3.0-or-later
"""SwinIR (Liang et al., 2021) for inference, with the module names of the published checkpoints
so that its state_dict() has their key layout.

Variants: upsampler "pixelshuffle" (classical SR), "pixelshuffledirect" (lightweight SR),
"nearest+conv" (real-world SR, 2x or 4x), "" (denoising and JPEG: same size); residual
connection "1conv" or "3conv"; any embedding width, depths, heads, window and MLP ratio.
"""

import torch.nn.functional as F
from torch import nn

from .window_attention import (
    Mlp, PatchNorm, PixelShuffleUpsample, WindowAttention, image_mean, pad_reflect,
    shifted_attention, shifted_window_mask, to_image)


class SwinBlock(nn.Module):
    def __init__(self, dim, heads, size, shift, hidden, train_size):
        super().__init__()
        self.size, self.shift = size, shift
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, size, heads, store_index=True)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, hidden)
        if shift:  # kept in the checkpoints for the training patch size; recomputed per image
            self.register_buffer("attn_mask",
                                 shifted_window_mask(train_size, train_size, size, shift))

    def forward(self, x, h, w):
        index = self.attn.relative_position_index
        x = x + shifted_attention(self.attn, self.norm1(x), h, w, self.size, self.shift, index)
        return x + self.mlp(self.norm2(x))


class BlockList(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x, h, w):
        for block in self.blocks:
            x = block(x, h, w)
        return x


def residual_conv(dim, kind):
    if kind == "1conv":
        return nn.Conv2d(dim, dim, 3, 1, 1)
    return nn.Sequential(nn.Conv2d(dim, dim // 4, 3, 1, 1), nn.LeakyReLU(0.2),
                         nn.Conv2d(dim // 4, dim // 4, 1, 1, 0), nn.LeakyReLU(0.2),
                         nn.Conv2d(dim // 4, dim, 3, 1, 1))


class RSTB(nn.Module):
    """Residual Swin Transformer block: a group of Swin blocks, a convolution, a skip."""

    def __init__(self, dim, depth, heads, size, hidden, resi, train_size):
        super().__init__()
        self.residual_group = BlockList(
            [SwinBlock(dim, heads, size, size // 2 if i % 2 else 0, hidden, train_size)
             for i in range(depth)])
        self.conv = residual_conv(dim, resi)

    def forward(self, x, h, w):
        y = to_image(self.residual_group(x, h, w), h, w)
        return self.conv(y).flatten(2).transpose(1, 2) + x


class SwinIR(nn.Module):
    def __init__(self, in_ch=3, out_ch=3, embed=12, depths=(2, 2), heads=(2, 2), window=4,
                 mlp_ratio=2.0, scale=2, upsampler="pixelshuffle", resi="1conv", num_feat=8,
                 img_range=1.0, train_size=16, patch_norm=True):
        super().__init__()
        self.window, self.scale, self.upsampler, self.img_range = window, scale, upsampler, img_range
        self.register_buffer("mean", image_mean(in_ch), persistent=False)
        self.conv_first = nn.Conv2d(in_ch, embed, 3, 1, 1)
        self.patch_embed = PatchNorm(embed, patch_norm)
        hidden = int(embed * mlp_ratio)
        self.layers = nn.ModuleList(
            [RSTB(embed, d, h, window, hidden, resi, train_size) for d, h in zip(depths, heads)])
        self.norm = nn.LayerNorm(embed)
        self.conv_after_body = residual_conv(embed, resi)
        if upsampler in ("pixelshuffle", "nearest+conv"):
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed, num_feat, 3, 1, 1),
                                                      nn.LeakyReLU())
        if upsampler == "pixelshuffle":
            self.upsample = PixelShuffleUpsample(scale, num_feat)
            self.conv_last = nn.Conv2d(num_feat, out_ch, 3, 1, 1)
        elif upsampler == "pixelshuffledirect":
            self.upsample = nn.Sequential(nn.Conv2d(embed, out_ch * scale * scale, 3, 1, 1),
                                          nn.PixelShuffle(scale))
        elif upsampler == "nearest+conv":
            self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            if scale == 4:
                self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
            self.conv_last = nn.Conv2d(num_feat, out_ch, 3, 1, 1)
        else:
            self.conv_last = nn.Conv2d(embed, out_ch, 3, 1, 1)

    def features(self, x):
        h, w = x.shape[-2:]
        tokens = self.patch_embed(x)
        for layer in self.layers:
            tokens = layer(tokens, h, w)
        return to_image(self.norm(tokens), h, w)

    def forward(self, image):
        h, w = image.shape[-2:]
        x = (pad_reflect(image, self.window) - self.mean) * self.img_range
        first = self.conv_first(x)
        body = self.conv_after_body(self.features(first)) + first
        lrelu = lambda t: F.leaky_relu(t, 0.2)
        if self.upsampler == "pixelshuffle":
            out = self.conv_last(self.upsample(self.conv_before_upsample(body)))
        elif self.upsampler == "pixelshuffledirect":
            out = self.upsample(body)
        elif self.upsampler == "nearest+conv":
            out = self.conv_before_upsample(body)
            out = lrelu(self.conv_up1(F.interpolate(out, scale_factor=2, mode="nearest")))
            if self.scale == 4:
                out = lrelu(self.conv_up2(F.interpolate(out, scale_factor=2, mode="nearest")))
            out = self.conv_last(lrelu(self.conv_hr(out)))
        else:
            out = x + self.conv_last(body)
        out = out / self.img_range + self.mean
        return out[..., :h * self.scale, :w * self.scale]
