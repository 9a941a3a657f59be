#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the tiny random-weight model fixtures of tests/data/models/.

Run with Debian's python3-torch (1.13): /usr/bin/python3 scripts/make-model-fixtures.py

For each architecture (SRVGGNetCompact; RRDBNet x4, x2 and x1 in BasicSR keys and x4 in the
original ESRGAN keys; SPAN) it saves the same weights as a zip .pth, a legacy .pth and a
.safetensors, wrapped the ways training tools wrap them, plus <name>.io.safetensors holding a small
input image and this reference implementation's output for it (float32, CPU). The C++ networks
must reproduce that output.

The reference implementations below are written from the published architectures with torch.nn
only, so that the fixtures do not depend on any third-party package.
"""

import json
import os
import struct
import sys
import zipfile
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "models")
INPUT_SHAPE = (1, 3, 11, 13)  # odd sides exercise the padding of the pixel-unshuffle variants


class Compact(nn.Module):
    def __init__(self, num_in=3, num_out=3, num_feat=8, num_conv=2, scale=4):
        super().__init__()
        self.scale = scale
        body = [nn.Conv2d(num_in, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        for _ in range(num_conv):
            body += [nn.Conv2d(num_feat, num_feat, 3, 1, 1), nn.PReLU(num_feat)]
        body.append(nn.Conv2d(num_feat, num_out * scale * scale, 3, 1, 1))
        self.body = nn.ModuleList(body)

    def forward(self, x):
        out = x
        for m in self.body:
            out = m(out)
        out = F.pixel_shuffle(out, self.scale)
        return out + F.interpolate(x, scale_factor=self.scale, mode="nearest")


class DenseBlock(nn.Module):
    def __init__(self, f, g):
        super().__init__()
        self.conv1 = nn.Conv2d(f, g, 3, 1, 1)
        self.conv2 = nn.Conv2d(f + g, g, 3, 1, 1)
        self.conv3 = nn.Conv2d(f + 2 * g, g, 3, 1, 1)
        self.conv4 = nn.Conv2d(f + 3 * g, g, 3, 1, 1)
        self.conv5 = nn.Conv2d(f + 4 * g, f, 3, 1, 1)

    def forward(self, x):
        lrelu = lambda t: F.leaky_relu(t, 0.2)
        x1 = lrelu(self.conv1(x))
        x2 = lrelu(self.conv2(torch.cat((x, x1), 1)))
        x3 = lrelu(self.conv3(torch.cat((x, x1, x2), 1)))
        x4 = lrelu(self.conv4(torch.cat((x, x1, x2, x3), 1)))
        x5 = self.conv5(torch.cat((x, x1, x2, x3, x4), 1))
        return x5 * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, f, g):
        super().__init__()
        self.rdb1 = DenseBlock(f, g)
        self.rdb2 = DenseBlock(f, g)
        self.rdb3 = DenseBlock(f, g)

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, num_in=3, num_out=3, scale=4, num_feat=8, num_block=2, num_grow_ch=4):
        super().__init__()
        self.scale = scale
        self.factor = {4: 1, 2: 2, 1: 4}[scale]
        self.conv_first = nn.Conv2d(num_in * self.factor**2, num_feat, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(num_feat, num_grow_ch) for _ in range(num_block)])
        self.conv_body = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up1 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_up2 = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_hr = nn.Conv2d(num_feat, num_feat, 3, 1, 1)
        self.conv_last = nn.Conv2d(num_feat, num_out, 3, 1, 1)

    def forward(self, x):
        h, w = x.shape[2:]
        feat = x
        if self.factor > 1:
            ph, pw = (-h) % self.factor, (-w) % self.factor
            feat = F.pad(feat, (0, pw, 0, ph), mode="reflect")
            feat = F.pixel_unshuffle(feat, self.factor)
        feat = self.conv_first(feat)
        feat = feat + self.conv_body(self.body(feat))
        lrelu = lambda t: F.leaky_relu(t, 0.2)
        feat = lrelu(self.conv_up1(F.interpolate(feat, scale_factor=2, mode="nearest")))
        feat = lrelu(self.conv_up2(F.interpolate(feat, scale_factor=2, mode="nearest")))
        out = self.conv_last(lrelu(self.conv_hr(feat)))
        return out[:, :, : h * self.scale, : w * self.scale]


def old_esrgan_keys(sd, num_block):
    """BasicSR names -> the original ESRGAN repository's names (two upsampling stages)."""
    out = OrderedDict()
    for k, v in sd.items():
        if k.startswith("conv_first."):
            nk = "model.0." + k[len("conv_first.") :]
        elif k.startswith("body."):
            _, b, rdb, conv, p = k.split(".")
            nk = f"model.1.sub.{b}.RDB{rdb[3:]}.{conv}.0.{p}"
        elif k.startswith("conv_body."):
            nk = f"model.1.sub.{num_block}." + k.split(".")[-1]
        else:
            index = {"conv_up1": 3, "conv_up2": 6, "conv_hr": 8, "conv_last": 10}[k.split(".")[0]]
            nk = f"model.{index}." + k.split(".")[-1]
        out[nk] = v
    return out


class Conv3XC(nn.Module):
    """Evaluated as the single 3x3 conv its parts fold into, computed the way the original SPAN
    code does it (with convolutions of the kernels), independently of the C++ (matrix products)."""

    def __init__(self, cin, cout, gain=2):
        super().__init__()
        self.sk = nn.Conv2d(cin, cout, 1)
        self.conv = nn.Sequential(
            nn.Conv2d(cin, cin * gain, 1),
            nn.Conv2d(cin * gain, cout * gain, 3, padding=0),
            nn.Conv2d(cout * gain, cout, 1),
        )
        self.eval_conv = nn.Conv2d(cin, cout, 3, padding=1)

    def fold(self):
        w1, b1 = self.conv[0].weight, self.conv[0].bias
        w2, b2 = self.conv[1].weight, self.conv[1].bias
        w3, b3 = self.conv[2].weight, self.conv[2].bias
        w = F.conv2d(w1.flip(2, 3).permute(1, 0, 2, 3), w2, padding=2).flip(2, 3).permute(1, 0, 2, 3)
        b = (w2 * b1.reshape(1, -1, 1, 1)).sum((1, 2, 3)) + b2
        wc = F.conv2d(w.flip(2, 3).permute(1, 0, 2, 3), w3).flip(2, 3).permute(1, 0, 2, 3)
        bc = (w3 * b.reshape(1, -1, 1, 1)).sum((1, 2, 3)) + b3
        return wc + F.pad(self.sk.weight, [1, 1, 1, 1]), bc + self.sk.bias

    def forward(self, x):
        w, b = self.fold()
        return F.conv2d(x, w, b, padding=1)


class SPAB(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.c1_r = Conv3XC(f, f)
        self.c2_r = Conv3XC(f, f)
        self.c3_r = Conv3XC(f, f)

    def forward(self, x):
        out1 = self.c1_r(x)
        out3 = self.c3_r(F.silu(self.c2_r(F.silu(out1))))
        att = torch.sigmoid(out3) - 0.5
        return (out3 + x) * att, out1


class SPAN(nn.Module):
    def __init__(self, num_in=3, num_out=3, f=4, scale=4):
        super().__init__()
        self.scale = scale
        self.conv_1 = Conv3XC(num_in, f)
        for i in range(1, 7):
            setattr(self, f"block_{i}", SPAB(f))
        self.conv_cat = nn.Conv2d(f * 4, f, 1)
        self.conv_2 = Conv3XC(f, f)
        self.upsampler = nn.Sequential(nn.Conv2d(f, num_out * scale * scale, 3, padding=1))
        self.mean = torch.tensor([0.4488, 0.4371, 0.4040]).view(1, 3, 1, 1)

    def forward(self, x):
        x = (x - self.mean) * 255.0
        feat = self.conv_1(x)
        b1, _ = self.block_1(feat)
        b = b1
        for i in range(2, 6):
            b, _ = getattr(self, f"block_{i}")(b)
        b6, b5_2 = self.block_6(b)
        b6 = self.conv_2(b6)
        out = self.conv_cat(torch.cat([feat, b6, b1, b5_2], 1))
        return F.pixel_shuffle(self.upsampler(out), self.scale)


def randomize(model, gain):
    """Small random weights keep every output near 1, where 1e-4 is a meaningful tolerance."""
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn_like(p) * gain / max(1, p[0].numel()) ** 0.5)
    return model


def save_safetensors(path, tensors, metadata=None):
    header, offset, blobs = ({"__metadata__": metadata} if metadata else {}), 0, []
    for name, t in tensors.items():
        # Integer buffers (index tables) keep their dtype; everything else is stored as F32.
        kind = "I64" if t.dtype == torch.int64 else "F32"
        data = t.detach().contiguous().to(torch.int64 if kind == "I64" else torch.float32)
        data = data.numpy().tobytes()
        header[name] = {"dtype": kind, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def save_ncnn_rrdb(path_stem, sd, num_block):
    """The ncnn form of an x4 RRDBNet as its exporters write it: convolutions in forward order
    with the LeakyReLU fused (9=2), Concat for the dense connections, Eltwise for the scaled
    residuals, nearest Interp for the upsampling. Weights are tagged raw float32."""
    layers, blobs, weights = [], set(), bytearray()
    counter = [0]

    def blob():
        counter[0] += 1
        name = f"b{counter[0]}"
        blobs.add(name)
        return name

    def layer(kind, name, inputs, params=""):
        out = blob()
        layers.append(f"{kind} {name} {len(inputs)} 1 {' '.join(inputs)} {out} {params}".strip())
        return out

    def conv(key, x, leaky):
        w, b = sd[key + ".weight"], sd[key + ".bias"]
        weights.extend(struct.pack("<I", 0) + w.contiguous().numpy().astype("<f4").tobytes())
        weights.extend(b.numpy().astype("<f4").tobytes())
        act = " 9=2 -23310=1,2.000000e-01" if leaky else ""
        return layer("Convolution", key.replace(".", "_"), [x],
                     f"0={w.shape[0]} 1=3 4=1 5=1 6={w.numel()}{act}")

    blobs.add("data")
    layers.append("Input input 0 1 data")
    first = conv("conv_first", "data", False)
    x = first
    for b in range(num_block):
        block_in = x
        for r in (1, 2, 3):
            feats = [x]
            for c in range(1, 6):
                src = feats[0] if c == 1 else layer("Concat", f"cat_{b}_{r}_{c}", feats)
                out = conv(f"body.{b}.rdb{r}.conv{c}", src, c < 5)
                feats.append(out)
            x = layer("Eltwise", f"rdb_{b}_{r}", [feats[-1], feats[0]],
                      "0=1 -23301=2,2.000000e-01,1.000000e+00")
        x = layer("Eltwise", f"rrdb_{b}", [x, block_in], "0=1 -23301=2,2.000000e-01,1.000000e+00")
    x = layer("BinaryOp", "trunk_add", [first, conv("conv_body", x, False)], "0=0")
    for u in (1, 2):
        x = layer("Interp", f"up{u}", [x], "0=1 1=2.000000e+00 2=2.000000e+00")
        x = conv(f"conv_up{u}", x, True)
    x = conv("conv_last", conv("conv_hr", x, True), False)
    with open(path_stem + ".param", "w") as f:
        f.write(f"7767517\n{len(layers)} {len(blobs)}\n" + "\n".join(layers) + "\n")
    with open(path_stem + ".bin", "wb") as f:
        f.write(bytes(weights))


def rezip_zip64(src, dst):
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 0  # every entry and the directory get ZIP64 records
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, zin.read(info.filename))
    finally:
        zipfile.ZIP64_LIMIT = limit


def write(name, model, state, wrap_zip, wrap_legacy, safetensors_keys=lambda sd: sd):
    """state: the state dict as the file should hold it; wrap_*: the object torch.save gets."""
    x = torch.rand(INPUT_SHAPE, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        y = model.eval()(x)
    torch.save(wrap_zip(state), os.path.join(OUT, f"{name}.pth"))
    torch.save(wrap_legacy(state), os.path.join(OUT, f"{name}-legacy.pth"),
               _use_new_zipfile_serialization=False)
    save_safetensors(os.path.join(OUT, f"{name}.safetensors"), safetensors_keys(state))
    save_safetensors(os.path.join(OUT, f"{name}.io.safetensors"), {"input": x, "output": y})
    print(f"{name}: output {tuple(y.shape)}, |y| max {y.abs().max():.3f}")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(2024)

    compact = randomize(Compact(), 1.0)
    decoy = randomize(Compact(), 1.0).state_dict()
    # BasicSR checkpoints hold the EMA weights beside the raw ones; the EMA ones must win.
    write("compact-x4", compact, compact.state_dict(),
          lambda sd: {"params": decoy, "params_ema": sd},
          lambda sd: {"params_ema": sd, "params": decoy})

    for scale in (4, 2, 1):
        # Two blocks at 4x (so the old keys' trunk conv is model.1.sub.2), one elsewhere.
        net = randomize(RRDBNet(scale=scale, num_block=2 if scale == 4 else 1), 1.0)
        sd = net.state_dict()
        if scale == 4:
            wraps = (lambda s: {"params": s}, lambda s: {"params": s})
        elif scale == 2:
            # Multi-GPU training leaves "module." on every key.
            prefixed = lambda s: OrderedDict(("module." + k, v) for k, v in s.items())
            wraps = (lambda s: {"state_dict": prefixed(s)}, lambda s: prefixed(s))
        else:
            wraps = (lambda s: s, lambda s: {"model": s})
        write(f"rrdb-x{scale}", net, sd, *wraps)
        if scale == 4:
            write("esrgan-old-x4", net, old_esrgan_keys(sd, 2), lambda s: s, lambda s: s)
            save_ncnn_rrdb(os.path.join(OUT, "rrdb-x4"), sd, 2)

    span = randomize(SPAN(), 0.5)
    sd = OrderedDict((k, v) for k, v in span.state_dict().items())
    # nn.Parameters (not plain tensors) pickle through torch._utils._rebuild_parameter.
    as_params = lambda s: OrderedDict((k, nn.Parameter(v.clone())) for k, v in s.items())
    write("span-x4", span, sd, lambda s: {"params_ema": as_params(s)}, lambda s: s)

    # Broken on purpose: a tensor missing, a tensor of the wrong shape.
    broken = OrderedDict(compact.state_dict())
    del broken["body.2.bias"]
    torch.save(broken, os.path.join(OUT, "compact-missing-tensor.pth"))
    wrong = OrderedDict(compact.state_dict())
    wrong["body.2.weight"] = torch.zeros(8, 8, 1, 1)
    torch.save(wrong, os.path.join(OUT, "compact-wrong-shape.pth"))
    # The same checkpoint re-zipped with every size and offset in ZIP64 records, as writers do
    # for files past 4 GiB.
    rezip_zip64(os.path.join(OUT, "compact-x4.pth"), os.path.join(OUT, "compact-x4-zip64.pth"))

    # Hostile: unpickling this with Python's pickle would run a shell command. The C++ loader
    # must refuse it by name and run nothing (the test checks that the marker never appears).
    torch.save({"params": {"body.0.weight": Exploit()}}, os.path.join(OUT, "hostile-system.pth"))
    return 0


class Exploit:
    def __reduce__(self):
        return (os.system, ("touch /tmp/upscale-studio-hostile-marker",))


if __name__ == "__main__":
    sys.exit(main())
