# SPDX-License-Identifier: GPL-3.0-or-later
"""HAT, the hybrid attention transformer (Chen et al., 2023), for inference, with the module
names of the published checkpoints so that its state_dict() has their key layout.

Each hybrid attention block adds a channel-attention convolution branch (scaled by conv_scale) to
a Swin block; each group ends with an overlapping cross-attention block whose keys and values come
from a larger window around each query window. HAT-S, HAT (-M) and HAT-L differ in width, depth
and the convolution branch's compression; the real-world models share HAT's layout.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .window_attention import (
    Mlp, PatchNorm, PixelShuffleUpsample, WindowAttention, cross_attention_index, image_mean,
    merge_windows, multi_head_attention, pad_reflect, self_attention_index, shifted_attention,
    split_windows, to_image)


class ChannelAttention(nn.Module):
    def __init__(self, feat, squeezed):
        super().__init__()
        self.attention = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(feat, squeezed, 1),
                                       nn.ReLU(), nn.Conv2d(squeezed, feat, 1), nn.Sigmoid())

    def forward(self, x):
        return x * self.attention(x)


class ConvBranch(nn.Module):
    def __init__(self, feat, compressed, squeezed):
        super().__init__()
        self.cab = nn.Sequential(nn.Conv2d(feat, compressed, 3, 1, 1), nn.GELU(),
                                 nn.Conv2d(compressed, feat, 3, 1, 1),
                                 ChannelAttention(feat, squeezed))

    def forward(self, x):
        return self.cab(x)


class HybridBlock(nn.Module):
    def __init__(self, dim, heads, size, shift, hidden, compressed, squeezed, conv_scale):
        super().__init__()
        self.size, self.shift, self.conv_scale = size, shift, conv_scale
        self.norm1 = nn.LayerNorm(dim)
        self.conv_block = ConvBranch(dim, compressed, squeezed)
        self.attn = WindowAttention(dim, size, heads, store_index=False)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x, h, w, index):
        y = self.norm1(x)
        conv = self.conv_block(to_image(y, h, w)).flatten(2).transpose(1, 2)
        x = x + shifted_attention(self.attn, y, h, w, self.size, self.shift, index)
        x = x + conv * self.conv_scale
        return x + self.mlp(self.norm2(x))


class OverlapCrossAttention(nn.Module):
    def __init__(self, dim, heads, size, outer, hidden):
        super().__init__()
        self.heads, self.size, self.outer = heads, size, outer
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.relative_position_bias_table = nn.Parameter(torch.zeros((size + outer - 1) ** 2, heads))
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, hidden)

    def forward(self, x, h, w, index):
        b, _, c = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, h, w, 3 * c).chunk(3, dim=-1)
        queries = split_windows(q, self.size)
        # Keys and values: outer x outer patches around each window, zero beyond the image.
        pad = (self.outer - self.size) // 2
        kv = torch.cat((k, v), -1).permute(0, 3, 1, 2)
        patches = F.unfold(kv, self.outer, padding=pad, stride=self.size)  # B, 2C*o*o, windows
        patches = patches.view(b, 2, c, self.outer * self.outer, -1).permute(1, 0, 4, 3, 2)
        patches = patches.reshape(2, -1, self.outer * self.outer, c)
        t = self.size * self.size
        bias = self.relative_position_bias_table[index.reshape(-1)]
        bias = bias.view(t, self.outer * self.outer, -1).permute(2, 0, 1)
        out = multi_head_attention(queries, patches[0], patches[1], self.heads, bias, None)
        x = x + self.proj(merge_windows(out, self.size, b, h, w).reshape(b, h * w, c))
        return x + self.mlp(self.norm2(x))


class AttentionGroup(nn.Module):
    def __init__(self, dim, depth, heads, size, outer, hidden, compressed, squeezed, conv_scale):
        super().__init__()
        self.blocks = nn.ModuleList(
            [HybridBlock(dim, heads, size, size // 2 if i % 2 else 0, hidden, compressed,
                         squeezed, conv_scale) for i in range(depth)])
        self.overlap_attn = OverlapCrossAttention(dim, heads, size, outer, hidden)

    def forward(self, x, h, w, sa_index, oca_index):
        for block in self.blocks:
            x = block(x, h, w, sa_index)
        return self.overlap_attn(x, h, w, oca_index)


class RHAG(nn.Module):
    """Residual hybrid attention group."""

    def __init__(self, dim, resi, **group):
        super().__init__()
        self.residual_group = AttentionGroup(dim, **group)
        self.conv = nn.Conv2d(dim, dim, 3, 1, 1) if resi == "1conv" else nn.Identity()

    def forward(self, x, h, w, sa_index, oca_index):
        y = to_image(self.residual_group(x, h, w, sa_index, oca_index), h, w)
        return self.conv(y).flatten(2).transpose(1, 2) + x


class HAT(nn.Module):
    def __init__(self, in_ch=3, embed=12, depths=(2, 2), heads=(2, 2), window=4,
                 overlap_ratio=0.5, mlp_ratio=2.0, compress_ratio=3, squeeze_factor=4,
                 conv_scale=0.01, scale=4, num_feat=8, resi="1conv", img_range=1.0):
        super().__init__()
        self.window, self.scale, self.img_range = window, scale, img_range
        outer = window + int(overlap_ratio * window)
        self.register_buffer("mean", image_mean(in_ch), persistent=False)
        self.register_buffer("relative_position_index_SA", self_attention_index(window))
        self.register_buffer("relative_position_index_OCA", cross_attention_index(window, outer))
        self.conv_first = nn.Conv2d(in_ch, embed, 3, 1, 1)
        self.patch_embed = PatchNorm(embed, True)
        hidden = int(embed * mlp_ratio)
        self.layers = nn.ModuleList(
            [RHAG(embed, resi, depth=d, heads=h, size=window, outer=outer, hidden=hidden,
                  compressed=embed // compress_ratio, squeezed=embed // squeeze_factor,
                  conv_scale=conv_scale) for d, h in zip(depths, heads)])
        self.norm = nn.LayerNorm(embed)
        self.conv_after_body = nn.Conv2d(embed, embed, 3, 1, 1) if resi == "1conv" else nn.Identity()
        self.conv_before_upsample = nn.Sequential(nn.Conv2d(embed, num_feat, 3, 1, 1),
                                                  nn.LeakyReLU())
        self.upsample = PixelShuffleUpsample(scale, num_feat)
        self.conv_last = nn.Conv2d(num_feat, in_ch, 3, 1, 1)

    def forward(self, image):
        h, w = image.shape[-2:]
        x = (pad_reflect(image, self.window) - self.mean) * self.img_range
        ph, pw = x.shape[-2:]
        first = self.conv_first(x)
        tokens = self.patch_embed(first)
        for layer in self.layers:
            tokens = layer(tokens, ph, pw, self.relative_position_index_SA,
                           self.relative_position_index_OCA)
        body = self.conv_after_body(to_image(self.norm(tokens), ph, pw)) + first
        out = self.conv_last(self.upsample(self.conv_before_upsample(body)))
        out = out / self.img_range + self.mean
        return out[..., :h * self.scale, :w * self.scale]
