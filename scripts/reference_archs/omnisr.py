# SPDX-License-Identifier: GPL-3.0-or-later
"""OmniSR (omni self-attention network, Wang et al., CVPR 2023) as published: the input padded
with zeros to a multiple of the window, a 3x3 stem, residual groups (OSAG) of OSA blocks, a 1x1
convolution and an ESA attention each, a 3x3 convolution plus the stem's output, then pixel
shuffle and a crop. An OSA block: MBConv with squeeze-excitation; window (block) attention with
an optional learnt relative position bias; a gated depthwise FFN; windowed channel attention; an
FFN; grid (dilated) attention; an FFN; grid channel attention; an FFN. Names follow the published
checkpoints."""

import torch
import torch.nn.functional as F
from torch import nn


class ChannelNorm(nn.Module):
    """Layer norm over the channels of an NCHW map, eps 1e-6."""

    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))

    def forward(self, x):
        mu = x.mean(1, keepdim=True)
        var = ((x - mu) ** 2).mean(1, keepdim=True)
        return (x - mu) / torch.sqrt(var + 1e-6) * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class SpatialMean(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


class AsMap(nn.Module):
    def forward(self, x):
        return x[:, :, None, None]


class SqueezeExcite(nn.Module):
    def __init__(self, dim):
        super().__init__()
        hidden = int(dim * 0.25)
        self.gate = nn.Sequential(SpatialMean(), nn.Linear(dim, hidden, bias=False), nn.SiLU(),
                                  nn.Linear(hidden, dim, bias=False), nn.Sigmoid(), AsMap())

    def forward(self, x):
        return x * self.gate(x)


class MBConv(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fn = nn.Sequential(nn.Conv2d(dim, dim, 1), nn.GELU(), nn.Conv2d(dim, dim, 3, padding=1, groups=dim),
                                nn.GELU(), SqueezeExcite(dim), nn.Conv2d(dim, dim, 1))

    def forward(self, x):
        return self.fn(x) + x


class WindowAttention(nn.Module):
    """Attention among the tokens of one window; x: [B, X, Y, w, w, C]."""

    def __init__(self, dim, window, with_pe):
        super().__init__()
        self.heads = dim // (dim // 4)
        self.dim_head = dim // 4
        self.to_qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.to_out = nn.Sequential(nn.Linear(dim, dim, bias=False))
        self.with_pe = with_pe
        if with_pe:
            self.rel_pos_bias = nn.Embedding((2 * window - 1) ** 2, self.heads)
            ys = torch.arange(window).repeat_interleave(window)
            xs = torch.arange(window).repeat(window)
            index = (ys[:, None] - ys[None, :] + window - 1) * (2 * window - 1) + (xs[:, None] - xs[None, :] + window - 1)
            self.register_buffer("rel_pos_indices", index, persistent=False)

    def forward(self, x):
        b, nx, ny, w1, w2, c = x.shape
        t = x.reshape(-1, w1 * w2, c)
        q, k, v = self.to_qkv(t).chunk(3, dim=-1)
        split = lambda u: u.reshape(u.shape[0], u.shape[1], self.heads, -1).transpose(1, 2)
        q, k, v = split(q), split(k), split(v)
        sim = (q * self.dim_head ** -0.5) @ k.transpose(-2, -1)
        if self.with_pe:
            sim = sim + self.rel_pos_bias(self.rel_pos_indices).permute(2, 0, 1)
        out = (sim.softmax(-1) @ v).transpose(1, 2).reshape(-1, w1, w2, c)
        return self.to_out(out).reshape(b, nx, ny, w1, w2, c)


class TokenPreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x)) + x


class MapPreNorm(nn.Module):
    def __init__(self, dim, fn):
        super().__init__()
        self.norm = ChannelNorm(dim)
        self.fn = fn

    def forward(self, x):
        return self.fn(self.norm(x)) + x


class GatedFFN(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.project_in = nn.Conv2d(dim, 2 * dim, 1, bias=False)
        self.dwconv = nn.Conv2d(2 * dim, 2 * dim, 3, padding=1, groups=2 * dim, bias=False)
        self.project_out = nn.Conv2d(dim, dim, 1, bias=False)

    def forward(self, x):
        a, b = self.dwconv(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(F.gelu(a) * b)


class ChannelAttention(nn.Module):
    """Attention across channels, per head, among the pixels of each window (grid=False) or
    among the pixels at one position of every window (grid=True)."""

    def __init__(self, dim, window, grid, heads=4):
        super().__init__()
        self.heads, self.ps, self.grid = heads, window, grid
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Conv2d(dim, 3 * dim, 1, bias=False)
        self.qkv_dwconv = nn.Conv2d(3 * dim, 3 * dim, 3, padding=1, groups=3 * dim, bias=False)
        self.project_out = nn.Conv2d(dim, dim, 1, bias=False)

    def forward(self, x):
        b, c, h, w = x.shape
        p, hd = self.ps, self.heads
        # [B, heads, d, h/p, p, w/p, p]
        order = (0, 4, 6, 1, 2, 3, 5) if self.grid else (0, 3, 5, 1, 2, 4, 6)
        groups = p * p if self.grid else (h // p) * (w // p)

        def split(t):
            return t.reshape(b, hd, c // hd, h // p, p, w // p, p).permute(*order).reshape(b, groups, hd, c // hd, -1)

        q, k, v = (split(t) for t in self.qkv_dwconv(self.qkv(x)).chunk(3, dim=1))
        q = q / q.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        k = k / k.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        out = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(-1) @ v
        if self.grid:
            out = out.reshape(b, p, p, hd, c // hd, h // p, w // p).permute(0, 3, 4, 5, 1, 6, 2)
        else:
            out = out.reshape(b, h // p, w // p, hd, c // hd, p, p).permute(0, 3, 4, 1, 5, 2, 6)
        return self.project_out(out.reshape(b, c, h, w))


class ToBlocks(nn.Module):
    """[B, C, H, W] -> [B, X, Y, w, w, C]: contiguous windows (grid=False) or pixels w apart."""

    def __init__(self, window, grid):
        super().__init__()
        self.w, self.grid = window, grid

    def forward(self, x):
        b, c, h, wd = x.shape
        if self.grid:
            return x.reshape(b, c, self.w, h // self.w, self.w, wd // self.w).permute(0, 3, 5, 2, 4, 1)
        return x.reshape(b, c, h // self.w, self.w, wd // self.w, self.w).permute(0, 2, 4, 3, 5, 1)


class FromBlocks(nn.Module):
    def __init__(self, grid):
        super().__init__()
        self.grid = grid

    def forward(self, x):
        b, nx, ny, w1, w2, c = x.shape
        if self.grid:
            return x.permute(0, 5, 3, 1, 4, 2).reshape(b, c, w1 * nx, w2 * ny)
        return x.permute(0, 5, 1, 3, 2, 4).reshape(b, c, nx * w1, ny * w2)


class OSABlock(nn.Module):
    def __init__(self, dim, window, with_pe):
        super().__init__()
        self.layer = nn.Sequential(
            MBConv(dim),
            ToBlocks(window, False), TokenPreNorm(dim, WindowAttention(dim, window, with_pe)), FromBlocks(False),
            MapPreNorm(dim, GatedFFN(dim)),
            MapPreNorm(dim, ChannelAttention(dim, window, False)),
            MapPreNorm(dim, GatedFFN(dim)),
            ToBlocks(window, True), TokenPreNorm(dim, WindowAttention(dim, window, with_pe)), FromBlocks(True),
            MapPreNorm(dim, GatedFFN(dim)),
            MapPreNorm(dim, ChannelAttention(dim, window, True)),
            MapPreNorm(dim, GatedFFN(dim)))

    def forward(self, x):
        return self.layer(x)


class ESA(nn.Module):
    def __init__(self, dim):
        super().__init__()
        f = max(dim // 4, 16)
        self.conv1 = nn.Conv2d(dim, f, 1)
        self.conv_f = nn.Conv2d(f, f, 1)
        self.conv2 = nn.Conv2d(f, f, 3, stride=2)
        self.conv3 = nn.Conv2d(f, f, 3, padding=1)
        self.conv4 = nn.Conv2d(f, dim, 1)

    def forward(self, x):
        c1 = self.conv1(x)
        low = self.conv3(F.max_pool2d(self.conv2(c1), kernel_size=7, stride=3))
        low = F.interpolate(low, size=x.shape[2:], mode="bilinear", align_corners=False)
        return x * torch.sigmoid(self.conv4(low + self.conv_f(c1)))


class OSAG(nn.Module):
    def __init__(self, dim, blocks, window, with_pe, bias):
        super().__init__()
        self.residual_layer = nn.Sequential(*[OSABlock(dim, window, with_pe) for _ in range(blocks)],
                                            nn.Conv2d(dim, dim, 1, bias=bias))
        self.esa = ESA(dim)

    def forward(self, x):
        return self.esa(self.residual_layer(x) + x)


class OmniSR(nn.Module):
    def __init__(self, dim=16, groups=1, blocks=1, window=8, with_pe=True, bias=True, scale=4, channels=3):
        super().__init__()
        self.window, self.scale = window, scale
        self.input = nn.Conv2d(channels, dim, 3, padding=1, bias=bias)
        self.residual_layer = nn.Sequential(*[OSAG(dim, blocks, window, with_pe, bias) for _ in range(groups)])
        self.output = nn.Conv2d(dim, dim, 3, padding=1, bias=bias)
        self.up = nn.Sequential(nn.Conv2d(dim, channels * scale * scale, 3, padding=1, bias=bias), nn.PixelShuffle(scale))

    def forward(self, x):
        h, w = x.shape[2:]
        x = F.pad(x, (0, (-w) % self.window, 0, (-h) % self.window))
        feat = self.input(x)
        out = self.up(self.output(self.residual_layer(feat)) + feat)
        return out[:, :, : h * self.scale, : w * self.scale]
