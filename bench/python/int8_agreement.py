#!/usr/bin/env python3
"""Top-1 agreement with float32 on the bundled clips' frames: the project's INT8 model against
other post-training quantizers of the same float32 ONNX model.

    python3 -m venv /tmp/q && /tmp/q/bin/pip install -r bench/python/requirements-int8.txt
    /tmp/q/bin/python bench/python/int8_agreement.py --model-dir DIR

DIR holds model.onnx and model-int8.onnx (`bin/kvl quantize` prints it). Frames: both clips at
5 fps (evaluation) and at 2 fps, at most 200 (calibration, as `kvl quantize` does by default),
decoded with PyAV, shorter side resized to 224 and centre-cropped. Quantizers: ONNX Runtime's
quantize_static (QDQ, uint8 activations, int8 weights per channel) with its MinMax, Percentile
and Entropy calibration, and NNCF for OpenVINO (default and MIXED presets). Prints one line each.
"""
import argparse
from pathlib import Path

import av
import numpy as np
import onnxruntime as ort
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CLIPS = [ROOT / "samples/bottle-detection.mp4", ROOT / "samples/car-detection.mp4"]
SIZE = 224


def frames(path, fps):
    out, container = [], av.open(str(path))
    stream = container.streams.video[0]
    stream.thread_count = 1
    due = 0.0
    for frame in container.decode(stream):
        t = float(frame.pts * stream.time_base)
        if t + 1e-6 < due:
            continue
        due += 1.0 / fps
        image = frame.to_image()
        w, h = image.size
        k = SIZE / min(w, h)
        image = image.resize((max(SIZE, round(w * k)), max(SIZE, round(h * k))), Image.BILINEAR)
        w, h = image.size
        left, top = (w - SIZE) // 2, (h - SIZE) // 2
        out.append(np.asarray(image.crop((left, top, left + SIZE, top + SIZE)), dtype=np.uint8))
    container.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model-dir", required=True, type=Path)
    ap.add_argument("--work", default="/tmp/kvl-int8-agreement", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    evaluation = np.stack([f for c in CLIPS for f in frames(c, 5.0)])
    calibration = [f for c in CLIPS for f in frames(c, 2.0)][:200]

    def run(path):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        return np.concatenate([session.run(None, {name: evaluation[i:i + 16]})[0]
                               for i in range(0, len(evaluation), 16)])

    fp32 = run(args.model_dir / "model.onnx")
    top = fp32.argmax(1)
    best2 = np.sort(fp32, 1)[:, -2:]
    ties = int(((best2[:, 1] - best2[:, 0]) < 0.1).sum())
    print(f"{len(evaluation)} frames ({ties} with their two best classes within 0.1),"
          f" {len(calibration)} calibration frames")

    def report(name, probabilities):
        print(f"{name}: top-1 agreement with float32 {100 * (probabilities.argmax(1) == top).mean():.1f}%",
              flush=True)

    report("this project (model-int8.onnx)", run(args.model_dir / "model-int8.onnx"))

    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat,
                                          QuantType, quant_pre_process, quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter([{"images": f[None]} for f in calibration])

        def get_next(self):
            return next(self.it, None)

    pre = args.work / "pre.onnx"
    quant_pre_process(str(args.model_dir / "model.onnx"), str(pre), skip_symbolic_shape=True)
    for method, extra in (("MinMax", {}), ("Percentile", {"CalibPercentile": 99.99}),
                          ("Entropy", {})):
        out = args.work / f"ort-{method}.onnx"
        quantize_static(str(pre), str(out), Reader(), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8,
                        calibrate_method=getattr(CalibrationMethod, method), extra_options=extra)
        report(f"ONNX Runtime quantize_static, {method}", run(out))

    import nncf
    import openvino as ov
    core = ov.Core()
    model = core.read_model(str(args.model_dir / "model.onnx"))
    for name, kw in (("default", {}), ("MIXED", {"preset": nncf.QuantizationPreset.MIXED})):
        quantized = nncf.quantize(model, nncf.Dataset(calibration, lambda f: f[None]),
                                  subset_size=len(calibration), **kw)
        compiled = core.compile_model(quantized, "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
        report(f"NNCF {name} preset (OpenVINO)",
               np.concatenate([compiled(evaluation[i:i + 16])[0]
                               for i in range(0, len(evaluation), 16)]))


if __name__ == "__main__":
    main()
