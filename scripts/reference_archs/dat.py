# SPDX-License-Identifier: GPL-3.0-or-later
"""DAT, the Dual Aggregation Transformer (Chen et al., ICCV 2023), in its published forms: DAT,
DAT-S, DAT-2 and DAT-light (the same network with other widths, windows, FFN ratios, residual
convolutions and upsamplers). Residual groups alternate spatial-window blocks (two half-width
window attentions, horizontal and vertical rectangles, with dynamic position bias; some shifted)
and channel-attention blocks; each mixes in a depthwise-convolution branch through the adaptive
interaction module and ends with a spatial-gate FFN. State-dict names follow the published
checkpoints (including their BatchNorm statistics and recomputable buffers)."""

import math

import torch
import torch.nn.functional as F
from torch import nn

RGB_MEAN = (0.4488, 0.4371, 0.4040)


def windows(x, wh, ww):
    """[B, C, H, W] -> [B * windows, wh * ww, C], windows in row-major order."""
    b, c, h, w = x.shape
    x = x.reshape(b, c, h // wh, wh, w // ww, ww).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(-1, wh * ww, c)


def unwindows(x, wh, ww, h, w):
    """[B * windows, wh * ww, C] -> [B, H, W, C]."""
    b = x.shape[0] // ((h // wh) * (w // ww))
    x = x.reshape(b, h // wh, w // ww, wh, ww, -1).permute(0, 1, 3, 2, 4, 5)
    return x.reshape(b, h, w, -1)


def shift_mask(h, w, wh, ww, sh, sw):
    """-100 between tokens of one window that come from different regions after the roll."""
    label = torch.zeros(h, w)
    n = 0
    for rows in (slice(0, h - wh), slice(h - wh, h - sh), slice(h - sh, h)):
        for cols in (slice(0, w - ww), slice(w - ww, w - sw), slice(w - sw, w)):
            label[rows, cols] = n
            n += 1
    lw = windows(label.view(1, 1, h, w), wh, ww).squeeze(-1)  # [nW, N]
    diff = lw.unsqueeze(1) - lw.unsqueeze(2)
    return torch.where(diff != 0, torch.full_like(diff, -100.0), torch.zeros_like(diff))


class PosBias(nn.Module):
    """Dynamic relative position bias: an MLP from (dy, dx) to one bias per head."""

    def __init__(self, dim, heads):
        super().__init__()
        d = dim // 4
        self.pos_proj = nn.Linear(2, d)
        self.pos1 = nn.Sequential(nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, d))
        self.pos2 = nn.Sequential(nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, d))
        self.pos3 = nn.Sequential(nn.LayerNorm(d), nn.ReLU(), nn.Linear(d, heads))

    def forward(self, x):
        return self.pos3(self.pos2(self.pos1(self.pos_proj(x))))


class WindowAttention(nn.Module):
    """Attention inside wh x ww windows over `dim` channels (half of the block's)."""

    def __init__(self, dim, heads, wh, ww):
        super().__init__()
        self.heads, self.wh, self.ww = heads, wh, ww
        self.pos = PosBias(dim // 4, heads)
        dy = torch.arange(1 - wh, wh)
        dx = torch.arange(1 - ww, ww)
        table = torch.stack([dy.view(-1, 1).expand(-1, dx.numel()), dx.view(1, -1).expand(dy.numel(), -1)])
        self.register_buffer("rpe_biases", table.reshape(2, -1).t().contiguous().float())
        ys, xs = torch.meshgrid(torch.arange(wh), torch.arange(ww), indexing="ij")
        ys, xs = ys.flatten(), xs.flatten()
        index = (ys.view(-1, 1) - ys.view(1, -1) + wh - 1) * (2 * ww - 1) + (xs.view(-1, 1) - xs.view(1, -1) + ww - 1)
        self.register_buffer("relative_position_index", index)

    def forward(self, q, k, v, h, w, mask=None):
        """q, k, v: [B, H*W, C]; returns [B, H, W, C]."""
        b, _, c = q.shape
        n = self.wh * self.ww

        def split(t):
            t = windows(t.transpose(1, 2).reshape(b, c, h, w), self.wh, self.ww)
            return t.reshape(-1, n, self.heads, c // self.heads).permute(0, 2, 1, 3)

        q, k, v = split(q), split(k), split(v)
        attn = (q * (c // self.heads) ** -0.5) @ k.transpose(-2, -1)
        bias = self.pos(self.rpe_biases)[self.relative_position_index.reshape(-1)]
        attn = attn + bias.reshape(n, n, -1).permute(2, 0, 1).unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            attn = (attn.reshape(-1, nw, self.heads, n, n) + mask.view(1, nw, 1, n, n)).reshape(-1, self.heads, n, n)
        out = (attn.softmax(-1) @ v).transpose(1, 2).reshape(-1, n, c)
        return unwindows(out, self.wh, self.ww, h, w)


def interaction(dim):
    """The adaptive interaction module's two maps (channel, spatial) and the conv branch."""
    dwconv = nn.Sequential(nn.Conv2d(dim, dim, 3, padding=1, groups=dim), nn.BatchNorm2d(dim), nn.GELU())
    channel = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dim, dim // 8, 1), nn.BatchNorm2d(dim // 8),
                            nn.GELU(), nn.Conv2d(dim // 8, dim, 1))
    spatial = nn.Sequential(nn.Conv2d(dim, dim // 16, 1), nn.BatchNorm2d(dim // 16), nn.GELU(),
                            nn.Conv2d(dim // 16, 1, 1))
    return dwconv, channel, spatial


class SpatialBlockAttention(nn.Module):
    def __init__(self, dim, heads, split, qkv_bias, shifted, reso):
        super().__init__()
        if shifted:  # the training size's masks, kept in the published checkpoints
            s0, s1 = split[0] // 2, split[1] // 2
            self.register_buffer("attn_mask_0", shift_mask(reso, reso, split[0], split[1], s0, s1))
            self.register_buffer("attn_mask_1", shift_mask(reso, reso, split[1], split[0], s1, s0))
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.split, self.shifted = split, shifted
        self.attns = nn.ModuleList([WindowAttention(dim // 2, heads // 2, split[0], split[1]),
                                    WindowAttention(dim // 2, heads // 2, split[1], split[0])])
        self.dwconv, self.channel_interaction, self.spatial_interaction = interaction(dim)

    def forward(self, x, h, w):
        b, l, c = x.shape
        qkv = self.qkv(x)  # [B, L, 3C]
        v_img = qkv[:, :, 2 * c :].transpose(1, 2).reshape(b, c, h, w)
        m = max(self.split)
        ph, pw = (-h) % m, (-w) % m
        grid = qkv.reshape(b, h, w, 3 * c)
        grid = F.pad(grid, (0, 0, 0, pw, 0, ph))  # zero tokens right and below
        hh, ww = h + ph, w + pw
        s0, s1 = self.split[0] // 2, self.split[1] // 2
        halves = []
        for i, (wh, wwin, sh, sw) in enumerate(((self.split[0], self.split[1], s0, s1),
                                                 (self.split[1], self.split[0], s1, s0))):
            part = torch.cat([grid[..., j * c + i * (c // 2) : j * c + (i + 1) * (c // 2)] for j in range(3)], -1)
            mask = None
            if self.shifted:
                part = torch.roll(part, shifts=(-sh, -sw), dims=(1, 2))
                mask = shift_mask(hh, ww, wh, wwin, sh, sw)
            part = part.reshape(b, hh * ww, 3 * (c // 2))
            q, k, v = part.split(c // 2, dim=-1)
            out = self.attns[i](q, k, v, hh, ww, mask)
            if self.shifted:
                out = torch.roll(out, shifts=(sh, sw), dims=(1, 2))
            halves.append(out[:, :h, :w].reshape(b, l, c // 2))
        attended = torch.cat(halves, -1)
        conv = self.dwconv(v_img)
        channel_map = self.channel_interaction(conv).reshape(b, 1, c)
        spatial_map = self.spatial_interaction(attended.transpose(1, 2).reshape(b, c, h, w))
        attended = attended * torch.sigmoid(channel_map)
        conv = (torch.sigmoid(spatial_map) * conv).flatten(2).transpose(1, 2)
        return self.proj(attended + conv)


class ChannelBlockAttention(nn.Module):
    def __init__(self, dim, heads, qkv_bias):
        super().__init__()
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)
        self.dwconv, self.channel_interaction, self.spatial_interaction = interaction(dim)

    def forward(self, x, h, w):
        b, n, c = x.shape
        d = c // self.heads
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, d).permute(2, 0, 3, 4, 1)  # 3, B, heads, d, N
        q, k, v = qkv[0], qkv[1], qkv[2]
        q = q / q.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        k = k / k.norm(dim=-1, keepdim=True).clamp_min(1e-12)
        attn = ((q @ k.transpose(-2, -1)) * self.temperature).softmax(-1)
        attended = (attn @ v).permute(0, 3, 1, 2).reshape(b, n, c)
        conv = self.dwconv(v.reshape(b, c, h, w))
        channel_map = self.channel_interaction(attended.transpose(1, 2).reshape(b, c, h, w))
        spatial_map = self.spatial_interaction(conv).flatten(2).transpose(1, 2)  # [B, N, 1]
        attended = attended * torch.sigmoid(spatial_map)
        conv = (conv * torch.sigmoid(channel_map)).flatten(2).transpose(1, 2)
        return self.proj(attended + conv)


class SpatialGate(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.conv = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)

    def forward(self, x, h, w):
        a, g = x.chunk(2, dim=-1)
        b, n, c = g.shape
        g = self.conv(self.norm(g).transpose(1, 2).reshape(b, c, h, w)).flatten(2).transpose(1, 2)
        return a * g


class FFN(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.sg = SpatialGate(hidden // 2)
        self.fc2 = nn.Linear(hidden // 2, dim)

    def forward(self, x, h, w):
        return self.fc2(self.sg(F.gelu(self.fc1(x)), h, w))


class Block(nn.Module):
    def __init__(self, dim, heads, split, hidden, qkv_bias, group, index, reso):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)
        if index % 2 == 0:
            shifted = (group % 2 == 0 and index > 0 and (index - 2) % 4 == 0) or (group % 2 == 1 and index % 4 == 0)
            self.attn = SpatialBlockAttention(dim, heads, split, qkv_bias, shifted, reso)
        else:
            self.attn = ChannelBlockAttention(dim, heads, qkv_bias)
        self.ffn = FFN(dim, hidden)

    def forward(self, x, h, w):
        x = x + self.attn(self.norm1(x), h, w)
        return x + self.ffn(self.norm2(x), h, w)


def residual_conv(dim, three):
    if not three:
        return nn.Conv2d(dim, dim, 3, padding=1)
    return nn.Sequential(nn.Conv2d(dim, dim // 4, 3, padding=1), nn.LeakyReLU(0.2),
                         nn.Conv2d(dim // 4, dim // 4, 1), nn.LeakyReLU(0.2),
                         nn.Conv2d(dim // 4, dim, 3, padding=1))


class Group(nn.Module):
    def __init__(self, dim, depth, heads, split, hidden, qkv_bias, three, index, reso):
        super().__init__()
        self.blocks = nn.ModuleList([Block(dim, heads, split, hidden, qkv_bias, index, i, reso)
                                     for i in range(depth)])
        self.conv = residual_conv(dim, three)

    def forward(self, x, h, w):
        y = x
        for block in self.blocks:
            y = block(y, h, w)
        b, n, c = y.shape
        y = self.conv(y.transpose(1, 2).reshape(b, c, h, w)).flatten(2).transpose(1, 2)
        return x + y


class Tokens(nn.Module):
    """before_RG: the feature map as tokens, layer-normed (index 1 holds the norm)."""

    def __init__(self, dim):
        super().__init__()
        self.add_module("1", nn.LayerNorm(dim))

    def forward(self, x):
        return getattr(self, "1")(x.flatten(2).transpose(1, 2))


class DAT(nn.Module):
    def __init__(self, dim=32, depths=(2, 2), heads=(2, 2), split=(2, 4), expansion=4.0, qkv_bias=True,
                 scale=4, three_conv=False, direct=False, channels=3, num_feat=64, reso=16):
        super().__init__()
        self.scale, self.direct = scale, direct
        self.register_buffer("mean", torch.tensor(RGB_MEAN).view(1, 3, 1, 1), persistent=False)
        hidden = int(dim * expansion)
        self.conv_first = nn.Conv2d(channels, dim, 3, padding=1)
        self.before_RG = Tokens(dim)
        self.layers = nn.ModuleList([Group(dim, d, hd, split, hidden, qkv_bias, three_conv, i, reso)
                                     for i, (d, hd) in enumerate(zip(depths, heads))])
        self.norm = nn.LayerNorm(dim)
        self.conv_after_body = residual_conv(dim, three_conv)
        if direct:
            self.upsample = nn.Sequential(nn.Conv2d(dim, channels * scale * scale, 3, padding=1), nn.PixelShuffle(scale))
        else:
            self.conv_before_upsample = nn.Sequential(nn.Conv2d(dim, num_feat, 3, padding=1), nn.LeakyReLU())
            steps = []
            if scale == 3:
                steps = [nn.Conv2d(num_feat, 9 * num_feat, 3, padding=1), nn.PixelShuffle(3)]
            else:
                for _ in range(int(math.log2(scale))):
                    steps += [nn.Conv2d(num_feat, 4 * num_feat, 3, padding=1), nn.PixelShuffle(2)]
            self.upsample = nn.Sequential(*steps)
            self.conv_last = nn.Conv2d(num_feat, channels, 3, padding=1)

    def forward(self, x):
        x = x - self.mean
        h, w = x.shape[2:]
        feat = self.conv_first(x)
        t = self.before_RG(feat)
        for layer in self.layers:
            t = layer(t, h, w)
        t = self.norm(t)
        b, n, c = t.shape
        feat = self.conv_after_body(t.transpose(1, 2).reshape(b, c, h, w)) + feat
        if self.direct:
            out = self.upsample(feat)
        else:
            out = self.conv_last(self.upsample(self.conv_before_upsample(feat)))
        return out + self.mean
