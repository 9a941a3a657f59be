# SPDX-License-Identifier: GPL-3.0-or-later
"""Pieces shared by the window-attention transformers (SwinIR, HAT), written from the Swin
Transformer, SwinIR and HAT papers with torch only.

Tokens are kept as (batch, height * width, channels); windows as (batch * windows, tokens,
channels), row-major inside each window and over the windows of the image.
"""

import struct
import zlib

import torch
import torch.nn.functional as F
from torch import nn

RGB_MEAN = (0.4488, 0.4371, 0.4040)  # DIV2K, subtracted before the network and added back after


def read_png_rgb(path):
    """An 8-bit RGB, non-interlaced PNG as a float tensor (1, 3, H, W) in [0, 1]."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour == 2, "8-bit RGB only"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride, bpp = width * 3, 3
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                line[i] = (line[i] + pred) & 255
        rows.append(bytes(line))
        prev = line
    pixels = torch.tensor(list(b"".join(rows)), dtype=torch.float32)
    return (pixels.view(height, width, 3).permute(2, 0, 1).unsqueeze(0) / 255.0).contiguous()


def pad_reflect(x, multiple):
    """Pads the bottom and right edges by reflection up to a multiple of `multiple`."""
    h, w = x.shape[-2:]
    return F.pad(x, (0, (-w) % multiple, 0, (-h) % multiple), mode="reflect")


def image_mean(channels):
    if channels == 3:
        return torch.tensor(RGB_MEAN).view(1, 3, 1, 1)
    return torch.zeros(1, channels, 1, 1)


def split_windows(x, size):
    """(B, H, W, C) -> (B * windows, size * size, C)."""
    b, h, w, c = x.shape
    x = x.reshape(b, h // size, size, w // size, size, c).transpose(2, 3)
    return x.reshape(-1, size * size, c)


def merge_windows(windows, size, b, h, w):
    """The inverse of split_windows."""
    c = windows.shape[-1]
    x = windows.reshape(b, h // size, w // size, size, size, c).transpose(2, 3)
    return x.reshape(b, h, w, c)


def self_attention_index(size):
    """Index into a (2s-1)^2 bias table of each (query, key) pair of one window: the key's offset
    from the query, both axes shifted to start at 0."""
    ys, xs = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    ys, xs = ys.reshape(-1), xs.reshape(-1)
    dy = ys[:, None] - ys[None, :] + size - 1
    dx = xs[:, None] - xs[None, :] + size - 1
    return dy * (2 * size - 1) + dx


def cross_attention_index(size, outer):
    """HAT's overlapping cross-attention: (query of a size x size window, key of the outer x outer
    window around it) into a (size + outer - 1)^2 table. HAT's published index runs below zero for
    part of the pairs and PyTorch indexing wraps those around the table's end; the same wrapping is
    written out here as a floor modulo."""
    side = size + outer - 1
    qy, qx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    ky, kx = torch.meshgrid(torch.arange(outer), torch.arange(outer), indexing="ij")
    qy, qx, ky, kx = qy.reshape(-1, 1), qx.reshape(-1, 1), ky.reshape(1, -1), kx.reshape(1, -1)
    shift = size - outer + 1
    return ((ky - qy + shift) * side + (kx - qx + shift)) % (side * side)


def shifted_window_mask(h, w, size, shift):
    """(windows, size^2, size^2): 0 where two tokens of a window came from the same region of the
    image before the cyclic shift, -100 where they did not."""
    region = torch.zeros(1, h, w, 1)
    bounds = ((0, h - size, h - shift, h), (0, w - size, w - shift, w))
    label = 0
    for i in range(3):
        for j in range(3):
            region[:, bounds[0][i]:bounds[0][i + 1], bounds[1][j]:bounds[1][j + 1], :] = label
            label += 1
    windows = split_windows(region, size).squeeze(-1)
    differs = windows[:, None, :] != windows[:, :, None]
    return differs.float() * -100.0


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


def multi_head_attention(q, k, v, heads, bias, mask):
    """q: (N, Tq, C), k and v: (N, Tk, C); bias (heads, Tq, Tk); mask (windows, Tq, Tk) or None.
    Returns (N, Tq, C)."""
    n, tq, c = q.shape
    tk = k.shape[1]
    d = c // heads
    q = q.reshape(n, tq, heads, d).transpose(1, 2) * d ** -0.5
    k = k.reshape(n, tk, heads, d).transpose(1, 2)
    v = v.reshape(n, tk, heads, d).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) + bias.unsqueeze(0)
    if mask is not None:
        windows = mask.shape[0]
        scores = scores.view(n // windows, windows, heads, tq, tk) + mask[None, :, None]
        scores = scores.view(n, heads, tq, tk)
    out = scores.softmax(-1) @ v
    return out.transpose(1, 2).reshape(n, tq, c)


class WindowAttention(nn.Module):
    """Multi-head self-attention inside each window, with a learnt bias per relative offset."""

    def __init__(self, dim, size, heads, store_index):
        super().__init__()
        self.heads, self.size = heads, size
        self.relative_position_bias_table = nn.Parameter(torch.zeros((2 * size - 1) ** 2, heads))
        if store_index:  # SwinIR keeps it per block; HAT once for the whole network
            self.register_buffer("relative_position_index", self_attention_index(size))
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask, index):
        n, t, c = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        bias = self.relative_position_bias_table[index.reshape(-1)].view(t, t, -1).permute(2, 0, 1)
        return self.proj(multi_head_attention(q, k, v, self.heads, bias, mask))


def shifted_attention(attn, x, h, w, size, shift, index):
    """Runs `attn` over the windows of (B, H*W, C) tokens rolled up-left by `shift` (masking what
    the roll brought together), and rolls the result back."""
    b, _, c = x.shape
    grid = x.view(b, h, w, c)
    mask = None
    if shift:
        grid = torch.roll(grid, (-shift, -shift), (1, 2))
        mask = shifted_window_mask(h, w, size, shift)
    out = merge_windows(attn(split_windows(grid, size), mask, index), size, b, h, w)
    if shift:
        out = torch.roll(out, (shift, shift), (1, 2))
    return out.reshape(b, h * w, c)


class PixelShuffleUpsample(nn.Sequential):
    """Conv to 4x channels and shuffle, repeated for powers of two; conv to 9x once for 3."""

    def __init__(self, scale, feat):
        layers = []
        if scale == 3:
            layers += [nn.Conv2d(feat, 9 * feat, 3, 1, 1), nn.PixelShuffle(3)]
        else:
            while scale > 1:
                layers += [nn.Conv2d(feat, 4 * feat, 3, 1, 1), nn.PixelShuffle(2)]
                scale //= 2
        super().__init__(*layers)


class PatchNorm(nn.Module):
    """BasicSR's patch_embed with patch size 1: a LayerNorm over channels (key patch_embed.norm)."""

    def __init__(self, dim, enabled):
        super().__init__()
        self.norm = nn.LayerNorm(dim) if enabled else None

    def forward(self, x):
        tokens = x.flatten(2).transpose(1, 2)
        return self.norm(tokens) if self.norm is not None else tokens


def to_image(tokens, h, w):
    b, _, c = tokens.shape
    return tokens.transpose(1, 2).reshape(b, c, h, w)
