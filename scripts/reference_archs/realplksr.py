# SPDX-License-Identifier: GPL-3.0-or-later
"""RealPLKSR (partial large kernel CNN, arXiv 2404.11848, as trained by neosr and traiNNer-redux):
a 3x3 stem, blocks of doubled channel mixer -> large kernel on the first channels ->
element-wise attention -> 1x1 refinement -> group norm (or a channels-first layer norm in front
of the block), a 3x3 head whose output adds the input repeated per sub-pixel, then pixel shuffle
or DySample. State-dict names follow the published checkpoints."""

import torch
import torch.nn.functional as F
from torch import nn


class ChannelLayerNorm(nn.Module):
    """Layer norm over the channels of an NCHW tensor, eps 1e-6."""

    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        centred = x - x.mean(dim=1, keepdim=True)
        var = (centred * centred).mean(dim=1, keepdim=True)
        return centred / torch.sqrt(var + 1e-6) * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class LargeKernel(nn.Module):
    def __init__(self, pdim, kernel):
        super().__init__()
        self.conv = nn.Conv2d(pdim, pdim, kernel, padding=kernel // 2)
        self.pdim = pdim

    def forward(self, x):
        head = self.conv(x[:, : self.pdim])
        return torch.cat([head, x[:, self.pdim :]], dim=1)


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.f = nn.Sequential(nn.Conv2d(dim, dim, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.f(x) * x


class Block(nn.Module):
    def __init__(self, dim, pdim, kernel, use_ea, layer_norm, groups):
        super().__init__()
        if layer_norm:
            self.layer_norm = ChannelLayerNorm(dim)
        self.channel_mixer = nn.Sequential(
            nn.Conv2d(dim, 2 * dim, 3, padding=1), nn.Mish(), nn.Conv2d(2 * dim, dim, 3, padding=1))
        self.lk = LargeKernel(pdim, kernel)
        if use_ea:
            self.attn = Attention(dim)
        self.refine = nn.Conv2d(dim, dim, 1)
        if not layer_norm:
            self.norm = nn.GroupNorm(groups, dim)
        self.use_ea, self.ln = use_ea, layer_norm

    def forward(self, x):
        y = self.layer_norm(x) if self.ln else x
        y = self.lk(self.channel_mixer(y))
        if self.use_ea:
            y = self.attn(y)
        y = self.refine(y)
        if not self.ln:
            y = self.norm(y)
        return y + x


class DySample(nn.Module):
    """Learned point sampling (arXiv 2308.15085) as RealPLKSR uses it: per group, 2 offsets per
    output sub-pixel predicted by 1x1 convolutions, bilinear sampling with border padding, then a
    1x1 convolution down to the output channels (when the scale is not 1)."""

    def __init__(self, cin, cout, scale, groups):
        super().__init__()
        n = 2 * groups * scale * scale
        self.offset = nn.Conv2d(cin, n, 1)
        self.scope = nn.Conv2d(cin, n, 1, bias=False)
        if scale != 1:
            self.end_conv = nn.Conv2d(cin, cout, 1)
        centres = (torch.arange(scale, dtype=torch.float32) - (scale - 1) / 2) / scale
        # init_pos[0, (axis, group, i, j)] = centre of sub-pixel (i, j) along axis (0: x = j, 1: y = i)
        pos = torch.empty(2, groups, scale, scale)
        pos[0] = centres.view(1, 1, scale)
        pos[1] = centres.view(1, scale, 1)
        self.register_buffer("init_pos", pos.reshape(1, -1, 1, 1))
        self.scale, self.groups = scale, groups

    def forward(self, x):
        b, c, h, w = x.shape
        s, g = self.scale, self.groups
        off = self.offset(x) * torch.sigmoid(self.scope(x)) * 0.5 + self.init_pos
        off = off.view(b, 2, g, s, s, h, w)
        xs = torch.arange(w, dtype=x.dtype) + 0.5
        ys = torch.arange(h, dtype=x.dtype) + 0.5
        px = (xs.view(1, 1, 1, 1, 1, w) + off[:, 0]) * (2.0 / w) - 1  # [b, g, s, s, h, w]
        py = (ys.view(1, 1, 1, 1, h, 1) + off[:, 1]) * (2.0 / h) - 1
        grid = torch.stack([px, py], dim=-1)  # [b, g, i, j, h, w, 2]
        grid = grid.permute(0, 1, 4, 2, 5, 3, 6).reshape(b * g, h * s, w * s, 2)
        out = F.grid_sample(x.reshape(b * g, c // g, h, w), grid, mode="bilinear",
                            padding_mode="border", align_corners=False)
        out = out.reshape(b, c, h * s, w * s)
        return self.end_conv(out) if s != 1 else out


class RealPLKSR(nn.Module):
    def __init__(self, dim=16, n_blocks=2, scale=4, kernel=7, split_ratio=0.25, use_ea=True,
                 layer_norm=False, dysample=False, channels=3, norm_groups=4):
        super().__init__()
        pdim = int(dim * split_ratio)
        self.feats = nn.Sequential(
            nn.Conv2d(channels, dim, 3, padding=1),
            *[Block(dim, pdim, kernel, use_ea, layer_norm, norm_groups) for _ in range(n_blocks)],
            nn.Dropout2d(0.0),
            nn.Conv2d(dim, channels * scale * scale, 3, padding=1))
        self.scale = scale
        if dysample:
            groups = channels if scale % 2 else 4
            self.to_img = DySample(channels * scale * scale, channels, scale, groups)
        else:
            self.to_img = nn.PixelShuffle(scale)

    def forward(self, x):
        y = self.feats(x) + torch.repeat_interleave(x, self.scale * self.scale, dim=1)
        return self.to_img(y)
