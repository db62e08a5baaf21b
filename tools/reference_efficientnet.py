#!/usr/bin/env python3
"""Independent numpy reference forward pass of EfficientNet-Lite (numpy + Pillow only).

Reads the safetensors file written by tools/convert_lite_weights.py (canonical TF names and
layouts, NHWC activations) and runs inference without any deep-learning framework. It exists
to (1) determine which preprocessing / padding the pretrained weights expect and (2) produce
numeric fixtures for the Java implementation.

Network (EfficientNet-Lite, inference): stem conv3x3/s2 -> BN -> ReLU6; MBConv blocks
[expand 1x1 -> BN -> ReLU6] (if expand != 1) -> depthwise kxk/s -> BN -> ReLU6 -> project 1x1
-> BN (linear) [+ identity skip if stride 1 and Cin == Cout]; head conv1x1 -> BN -> ReLU6 ->
global average pool -> dense (no dropout at inference) -> softmax.
BN: y = (x - moving_mean) / sqrt(moving_variance + eps) * gamma + beta.

Findings on /work/shared/imagenet-sample (100 ImageNet val images; see `evaluate`):
  padding   = TF "same": for stride s, kernel k, input size n:
              out = ceil(n/s), pad_total = max((out-1)*s + k - n, 0),
              pad_before = pad_total // 2, pad_after = pad_total - pad_before
              (i.e. 224 -> stem pads 0 top/left, 1 bottom/right).
  normalize = (x - 127) / 128 on RGB values 0..255 (official Lite MEAN_RGB/STDDEV_RGB).
  resize    = official EfficientNet eval crop: central square of side
              int(res / (res + 32) * min(h, w)), offset ((h - side + 1) // 2, (w - side + 1) // 2),
              resized to res x res with bicubic interpolation.
  BN epsilon = 1e-3 (1e-5 gives NLL 0.618 instead of 0.560 with the settings above).

  lite0, top-1 / top-5 (%) / mean NLL of the true class, 100 images:
    resize                 norm       same               symmetric
    crop_padding (bicubic) lite       89 / 98 / 0.560    81 / 96 / 0.835
    crop_padding (bicubic) half       89 / 98 / 0.560    81 / 96 / 0.835
    crop_padding (bicubic) imagenet   84 / 95 / 1.020    72 / 87 / 1.289
    crop_padding bilinear  lite       90 / 99 / 0.570    84 / 96 / 0.864
    crop_padding bilinear  half       90 / 99 / 0.570    83 / 96 / 0.865
    crop_padding bilinear  imagenet   79 / 95 / 1.044    68 / 89 / 1.332
    resize256 (bilinear)   lite       89 / 99 / 0.571    83 / 96 / 0.862
    resize256 (bilinear)   half       89 / 99 / 0.572    83 / 96 / 0.862
    resize256 (bilinear)   imagenet   78 / 95 / 1.050    72 / 91 / 1.335
  (norm lite = (x-127)/128, half = (x-127.5)/127.5, imagenet = torchvision mean/std * 255;
  lite and half are indistinguishable, lite is the official constant.)

Usage:
    python3 tools/reference_efficientnet.py evaluate --weights lite0.safetensors \
        --images /work/shared/imagenet-sample [--norm lite|half|imagenet] [--padding same|symmetric] \
        [--resize crop_padding|resize256] [--grid]
    python3 tools/reference_efficientnet.py fixture --weights lite0.safetensors \
        --out efficientnet/src/test/resources/fixtures/lite0-synthetic-probs.json

Set OPENBLAS_NUM_THREADS=1 (or similar) to keep it on one core; evaluating 100 images takes
well under a minute per configuration.
"""

import argparse
import json
import math
import os
import struct
import sys

import numpy as np

NORMALIZATIONS = {
    # name: (mean, std) applied to RGB pixel values in 0..255
    "lite": ([127.0, 127.0, 127.0], [128.0, 128.0, 128.0]),
    "half": ([127.5, 127.5, 127.5], [127.5, 127.5, 127.5]),
    "imagenet": ([0.485 * 255, 0.456 * 255, 0.406 * 255], [0.229 * 255, 0.224 * 255, 0.225 * 255]),
}
CROP_PADDING = 32


# ----------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------

def load_weights(path):
    """Return (tensors: dict name -> np.ndarray float32, metadata: dict)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError("unsupported dtype %s for %s" % (info["dtype"], name))
        b, e = info["data_offsets"]
        tensors[name] = np.frombuffer(blob, dtype="<f4", count=(e - b) // 4, offset=base + b).reshape(info["shape"])
    return tensors, meta


class Model:
    def __init__(self, tensors, meta, padding="same", bn_eps=None, dtype=np.float32):
        self.t = tensors
        self.meta = meta
        self.padding = padding
        self.eps = float(meta.get("bn_epsilon", 1e-3)) if bn_eps is None else bn_eps
        self.dtype = dtype
        self.resolution = int(meta.get("resolution", 224))
        self.blocks = json.loads(meta["blocks"])
        self.w = {k: v.astype(dtype) for k, v in tensors.items()}

    # -- layers --------------------------------------------------------------------------

    def _pads(self, n, k, s):
        if self.padding == "same":
            out = -(-n // s)
            total = max((out - 1) * s + k - n, 0)
            return total // 2, total - total // 2
        if self.padding == "symmetric":
            return k // 2, k // 2
        raise ValueError(self.padding)

    def _pad(self, x, k, s):
        (pt, pb), (pl, pr) = self._pads(x.shape[1], k, s), self._pads(x.shape[2], k, s)
        xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
        ho = (x.shape[1] + pt + pb - k) // s + 1
        wo = (x.shape[2] + pl + pr - k) // s + 1
        return xp, ho, wo

    def conv(self, x, kernel, stride=1):
        """Full convolution, NHWC x HWIO, via im2col + matmul."""
        k, _, cin, cout = kernel.shape
        if k == 1 and stride == 1:
            return x @ kernel.reshape(cin, cout)
        xp, ho, wo = self._pad(x, k, stride)
        n = x.shape[0]
        cols = np.empty((n, ho, wo, k, k, cin), dtype=x.dtype)
        for dy in range(k):
            for dx in range(k):
                cols[:, :, :, dy, dx, :] = xp[:, dy:dy + stride * (ho - 1) + 1:stride, dx:dx + stride * (wo - 1) + 1:stride, :]
        return cols.reshape(n, ho, wo, k * k * cin) @ kernel.reshape(k * k * cin, cout)

    def depthwise(self, x, kernel, stride):
        """Depthwise convolution, NHWC x [k,k,C,1], as a sum of k*k shifted, strided slices."""
        k = kernel.shape[0]
        xp, ho, wo = self._pad(x, k, stride)
        out = np.zeros((x.shape[0], ho, wo, x.shape[3]), dtype=x.dtype)
        for dy in range(k):
            for dx in range(k):
                out += xp[:, dy:dy + stride * (ho - 1) + 1:stride, dx:dx + stride * (wo - 1) + 1:stride, :] * kernel[dy, dx, :, 0]
        return out

    def bn(self, x, prefix):
        g, b = self.w[prefix + "/gamma"], self.w[prefix + "/beta"]
        m, v = self.w[prefix + "/moving_mean"], self.w[prefix + "/moving_variance"]
        scale = g / np.sqrt(v + self.dtype(self.eps))
        return x * scale + (b - m * scale)

    @staticmethod
    def relu6(x):
        return np.clip(x, 0, 6, out=x)

    # -- network -------------------------------------------------------------------------

    def logits(self, x, trace=None):
        """x: normalized float NHWC -> logits [N,1000]. If `trace` is a list, (name, activation)
        pairs are appended after the stem, each block, the head and the pooling."""
        w = self.w
        rec = (lambda name, a: trace.append((name, a))) if trace is not None else (lambda name, a: None)
        x = self.relu6(self.bn(self.conv(x, w["stem/conv2d/kernel"], 2), "stem/tpu_batch_normalization"))
        rec("stem", x)
        for i, blk in enumerate(self.blocks):
            p = "blocks_%d/" % i
            inp = x
            bn_idx = 0
            if blk["expand"] != 1:
                x = self.relu6(self.bn(self.conv(x, w[p + "conv2d/kernel"]), p + "tpu_batch_normalization"))
                bn_idx = 1
            bn_name = lambda j: p + "tpu_batch_normalization" + ("_%d" % j if j else "")
            x = self.depthwise(x, w[p + "depthwise_conv2d/depthwise_kernel"], blk["stride"])
            x = self.relu6(self.bn(x, bn_name(bn_idx)))
            proj = p + ("conv2d_1/kernel" if blk["expand"] != 1 else "conv2d/kernel")
            x = self.bn(self.conv(x, w[proj]), bn_name(bn_idx + 1))
            if blk["stride"] == 1 and blk["in"] == blk["out"]:
                x = x + inp
            rec("blocks_%d" % i, x)
        x = self.relu6(self.bn(self.conv(x, w["head/conv2d/kernel"]), "head/tpu_batch_normalization"))
        rec("head", x)
        x = x.mean(axis=(1, 2))
        rec("pool", x)
        return x @ w["head/dense/kernel"] + w["head/dense/bias"]

    def forward(self, images_uint8, norm="lite", trace=None):
        """uint8 NHWC RGB batch (already res x res) -> softmax probabilities [N,1000]."""
        mean, std = NORMALIZATIONS[norm] if isinstance(norm, str) else norm
        x = (images_uint8.astype(self.dtype) - np.asarray(mean, self.dtype)) / np.asarray(std, self.dtype)
        z = self.logits(x, trace).astype(np.float64)
        if trace is not None:
            trace.append(("logits", z))
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


# ----------------------------------------------------------------------------------------
# Preprocessing
# ----------------------------------------------------------------------------------------

def preprocess(img, res, mode="crop_padding"):
    """PIL image -> uint8 [res,res,3] RGB.

    crop_padding: official EfficientNet eval (central square of side int(res/(res+32)*min(h,w)),
                  bicubic resize to res).
    resize256:    torchvision-style: shorter side -> round(res*256/224) bilinear, center crop res.
    """
    from PIL import Image
    img = img.convert("RGB")
    w, h = img.size
    if mode in ("crop_padding", "crop_padding_bilinear"):
        side = int(res / (res + CROP_PADDING) * min(h, w))
        top, left = (h - side + 1) // 2, (w - side + 1) // 2
        img = img.crop((left, top, left + side, top + side))
        method = Image.BICUBIC if mode == "crop_padding" else Image.BILINEAR
        img = img.resize((res, res), method)
    elif mode == "resize256":
        short = int(round(res * 256 / 224))
        if w <= h:
            nw, nh = short, int(short * h / w)
        else:
            nw, nh = int(short * w / h), short
        img = img.resize((nw, nh), Image.BILINEAR)
        left, top = int(round((nw - res) / 2.0)), int(round((nh - res) / 2.0))
        img = img.crop((left, top, left + res, top + res))
    else:
        raise ValueError(mode)
    return np.asarray(img, dtype=np.uint8)


# ----------------------------------------------------------------------------------------
# Synthetic fixture image
# ----------------------------------------------------------------------------------------

SYNTHETIC_FORMULA = "pixel[y][x][c] = (x*7 + y*13 + c*71 + (x*y) % 29) % 256, for y,x in 0..223, c in 0..2 (R,G,B)"


def synthetic_image(size=224):
    y, x, c = np.meshgrid(np.arange(size), np.arange(size), np.arange(3), indexing="ij")
    return ((x * 7 + y * 13 + c * 71 + (x * y) % 29) % 256).astype(np.uint8)


# ----------------------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------------------

def read_classes(images_dir, classes=None):
    path = classes or os.path.join(images_dir, "classes.tsv")
    idx = {}
    with open(path) as f:
        for line in f:
            if line.strip():
                i, syn, _ = line.rstrip("\n").split("\t", 2)
                idx[syn] = int(i)
    return idx


def load_dataset(images_dir, res, mode, classes=None):
    from PIL import Image
    syn2idx = read_classes(images_dir, classes)
    files = sorted(f for f in os.listdir(images_dir) if f.upper().endswith((".JPEG", ".JPG")))
    xs, ys = [], []
    for f in files:
        with Image.open(os.path.join(images_dir, f)) as im:
            xs.append(preprocess(im, res, mode))
        ys.append(syn2idx[f.split("_", 1)[0]])
    return np.stack(xs), np.array(ys), files


def accuracy(model, xs, ys, norm, batch=10):
    """-> (top1, top5, mean negative log-likelihood of the true class)."""
    top1 = top5 = 0
    nll = 0.0
    for i in range(0, len(xs), batch):
        p = model.forward(xs[i:i + batch], norm)
        y = ys[i:i + batch]
        order = np.argsort(-p, axis=1)
        top1 += int((order[:, 0] == y).sum())
        top5 += int((order[:, :5] == y[:, None]).any(axis=1).sum())
        nll -= float(np.log(np.maximum(p[np.arange(len(y)), y], 1e-300)).sum())
    return top1 / len(xs), top5 / len(xs), nll / len(xs)


def cmd_evaluate(args):
    tensors, meta = load_weights(args.weights)
    res = int(meta.get("resolution", 224))
    norms = list(NORMALIZATIONS) if args.grid else [args.norm]
    pads = ["same", "symmetric"] if args.grid else [args.padding]
    resizes = args.resize.split(",")
    print("variant=%s resolution=%d bn_epsilon=%s" % (meta.get("variant"), res, meta.get("bn_epsilon")))
    print("%-22s %-10s %-10s %6s %6s %7s" % ("resize", "norm", "padding", "top1", "top5", "nll"))
    for rmode in resizes:
        xs, ys, _ = load_dataset(args.images, res, rmode, args.classes)
        for pad in pads:
            model = Model(tensors, meta, padding=pad, bn_eps=args.bn_eps)
            for norm in norms:
                t1, t5, nll = accuracy(model, xs, ys, norm)
                print("%-22s %-10s %-10s %6.1f %6.1f %7.4f" % (rmode, norm, pad, 100 * t1, 100 * t5, nll), flush=True)


def cmd_fixture(args):
    tensors, meta = load_weights(args.weights)
    res = int(meta.get("resolution", 224))
    if res != 224:
        raise SystemExit("the synthetic fixture is defined for 224x224 (lite0)")
    norm = (json.loads(meta["input_mean"]), json.loads(meta["input_std"]))
    img = synthetic_image(res)[None]
    trace = []
    p64 = Model(tensors, meta, padding=meta["padding"], dtype=np.float64).forward(img, norm, trace)[0]
    logits = dict(trace)["logits"][0]
    p32 = Model(tensors, meta, padding=meta["padding"], dtype=np.float32).forward(img, norm)[0]
    top5 = [int(i) for i in np.argsort(-p64, kind="stable")[:5]]
    doc = {
        "description": "EfficientNet-Lite0 reference output for a synthetic input, computed by "
                       "tools/reference_efficientnet.py (numpy, float64 activations from float32 weights).",
        "weights": {k: meta.get(k) for k in ("variant", "source_package", "source_version", "source_sha256")},
        "weights_file_sha256": sha256_file(args.weights),
        "input": {"shape": [res, res, 3], "layout": "HWC, RGB, uint8", "formula": SYNTHETIC_FORMULA,
                  "sha256_of_raw_bytes": __import__("hashlib").sha256(img.tobytes()).hexdigest()},
        "preprocessing": {"normalize": "x_norm = (x - mean) / std, x = uint8 pixel value as float",
                          "mean": norm[0], "std": norm[1], "resize": "none (input already 224x224)"},
        "padding": meta["padding"] + " (TF SAME: pad_total = max((ceil(n/s)-1)*s + k - n, 0), "
                                     "pad_before = pad_total // 2, remainder after)",
        "bn_epsilon": float(meta["bn_epsilon"]),
        "output": "softmax probabilities over the 1000 ImageNet-1k classes (standard class index order)",
        "top5": top5,
        "top5_probs": [float("%.8g" % p64[i]) for i in top5],
        "max_abs_diff_float32_vs_float64": float("%.3g" % np.abs(p64 - p32).max()),
        "activations": [{"after": name, "shape": list(a.shape[1:]), "mean": float("%.8g" % a.mean()),
                         "mean_abs": float("%.8g" % np.abs(a).mean()), "max": float("%.8g" % a.max())}
                        for name, a in trace if name != "logits"],
        "activations_note": "summary statistics of intermediate NHWC activations (batch of 1) for debugging: "
                            "stem = after stem BN+ReLU6; blocks_i = block output (after skip add); "
                            "head = after head BN+ReLU6; pool = global average",
        "logits": [float("%.8g" % v) for v in logits],
        "probs": [float("%.8g" % v) for v in p64],
    }
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("top5", top5, ["%.6f" % p64[i] for i in top5])
    print("max |p64 - p32| = %.3g" % np.abs(p64 - p32).max())
    print("wrote", args.out)


def sha256_file(path):
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("evaluate", help="top-1/top-5 on a folder of <synset>_<name>.JPEG images")
    e.add_argument("--weights", required=True)
    e.add_argument("--images", required=True)
    e.add_argument("--classes", help="classes.tsv (default: <images>/classes.tsv)")
    e.add_argument("--norm", default="lite", choices=list(NORMALIZATIONS))
    e.add_argument("--padding", default="same", choices=["same", "symmetric"])
    e.add_argument("--resize", default="crop_padding",
                   help="comma list of crop_padding, crop_padding_bilinear, resize256")
    e.add_argument("--grid", action="store_true", help="try all normalizations x paddings")
    e.add_argument("--bn-eps", type=float, help="override the BN epsilon from the weights metadata")
    e.set_defaults(func=cmd_evaluate)
    fx = sub.add_parser("fixture", help="write the synthetic-input fixture JSON")
    fx.add_argument("--weights", required=True)
    fx.add_argument("--out", required=True)
    fx.set_defaults(func=cmd_fixture)
    args = ap.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
