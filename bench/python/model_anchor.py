#!/usr/bin/env python3
"""Model-only CPU throughput of the exported EfficientNet ONNX model, as each runtime's own
documentation recommends running it. Random uint8 NHWC images go in; no video, no Kafka.

    model_anchor.py --model PATH --runtime onnxruntime|openvino \
        [--batches 1,4,8,16] [--seconds 4] [--threads N]

Human-readable lines go to stderr; the last stdout line is one JSON object:
    {"runtime", "version", "model", "threads", "results": [{"batch", "images_per_second",
     "p50_ms", "p99_ms", "mode", ...}]}
If the runtime cannot be imported it prints {"runtime", "skipped": reason} and exits 0.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

WARMUP_CALLS = 3


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def resolution(shape):
    """R from an NHWC input shape [batch, R, R, 3] (dims may be ints or symbolic strings)."""
    r = shape[1]
    if not isinstance(r, int) or r <= 0:
        raise SystemExit(f"model input has no static resolution: {shape}")
    return r


def random_images(batch, r, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (batch, r, r, 3), dtype=np.uint8)


def summary(batch, latencies_s, elapsed_s, calls, mode):
    ms = np.asarray(latencies_s) * 1000.0
    return {
        "batch": batch,
        "images_per_second": round(batch * calls / elapsed_s, 2),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "calls": calls,
        "mode": mode,
    }


# ---------------------------------------------------------------- onnxruntime

def run_onnxruntime(args, threads):
    import onnxruntime as ort

    # Documented CPU tuning: all graph optimizations, intra-op threads = physical cores,
    # sequential execution (the default) since the graph is a single chain.
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    sess = ort.InferenceSession(args.model, sess_options=so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    r = resolution(inp.shape)
    static_batch = inp.shape[0] if isinstance(inp.shape[0], int) else None
    log(f"onnxruntime {ort.__version__}: input {inp.name} {inp.shape} {inp.type}, threads={threads}")

    results = []
    for batch in args.batches:
        if static_batch is not None and batch != static_batch:
            log(f"  batch {batch}: skipped, model has static batch {static_batch}")
            results.append({"batch": batch, "error": f"model has static batch {static_batch}"})
            continue
        feed = {inp.name: random_images(batch, r)}
        for _ in range(WARMUP_CALLS):
            sess.run(None, feed)
        latencies = []
        start = time.perf_counter()
        deadline = start + args.seconds
        while True:
            t0 = time.perf_counter()
            sess.run(None, feed)
            t1 = time.perf_counter()
            latencies.append(t1 - t0)
            if t1 >= deadline:
                break
        res = summary(batch, latencies, t1 - start, len(latencies), "sync")
        log(f"  batch {batch:3d}: {res['images_per_second']:9.1f} images/s  "
            f"p50 {res['p50_ms']:.2f} ms  p99 {res['p99_ms']:.2f} ms  ({res['calls']} calls)")
        results.append(res)
    return ort.__version__, results


# ------------------------------------------------------------------- openvino

def precision_hint(args, hints, ov):
    """OpenVINO's CPU plugin computes in bf16 by default on CPUs with AVX512_BF16 or AMX; 'f32'
    pins float32 so the figure compares with other float32 engines, 'default' leaves it."""
    if args.inference_precision == "default":
        return {}
    return {hints.inference_precision: getattr(ov.Type, args.inference_precision)}


def run_openvino(args, threads):
    import openvino as ov
    import openvino.properties as props
    import openvino.properties.hint as hints

    core = ov.Core()
    model = core.read_model(args.model)  # reads the .onnx directly, no conversion step
    inp = model.input(0)
    shape = inp.get_partial_shape()
    r = shape[1].get_length()
    log(f"openvino {ov.get_version()}: input {inp.get_any_name()} {shape} {inp.get_element_type()}, "
        f"threads={threads}, device {core.get_property('CPU', props.device.full_name)}")

    results = []
    for batch in args.batches:
        model.reshape({inp.get_any_name(): [batch, r, r, 3]})  # static batch per measurement
        images = random_images(batch, r)

        # 1) LATENCY hint + one synchronous infer request.
        compiled = core.compile_model(model, "CPU", {
            hints.performance_mode: hints.PerformanceMode.LATENCY,
            props.inference_num_threads: threads,
            **precision_hint(args, hints, ov),
        })
        request = compiled.create_infer_request()
        for _ in range(WARMUP_CALLS):
            request.infer({0: images}, share_inputs=True)
        latencies = []
        start = time.perf_counter()
        deadline = start + args.seconds
        while True:
            t0 = time.perf_counter()
            request.infer({0: images}, share_inputs=True)
            t1 = time.perf_counter()
            latencies.append(t1 - t0)
            if t1 >= deadline:
                break
        sync = summary(batch, latencies, t1 - start, len(latencies), "latency-sync")
        del request, compiled

        # 2) THROUGHPUT hint + AsyncInferQueue sized to the plugin's optimal request count.
        compiled = core.compile_model(model, "CPU", {
            hints.performance_mode: hints.PerformanceMode.THROUGHPUT,
            props.inference_num_threads: threads,
            **precision_hint(args, hints, ov),
        })
        nreq = compiled.get_property(props.optimal_number_of_infer_requests)
        queue = ov.AsyncInferQueue(compiled, nreq)
        latencies = []
        # Callbacks run on OpenVINO threads; list.append is atomic under the GIL.
        queue.set_callback(lambda _req, t0: latencies.append(time.perf_counter() - t0))
        for _ in range(max(WARMUP_CALLS, nreq)):
            queue.start_async({0: images}, userdata=time.perf_counter(), share_inputs=True)
        queue.wait_all()
        latencies.clear()
        calls = 0
        start = time.perf_counter()
        deadline = start + args.seconds
        while time.perf_counter() < deadline:
            # Wait for a free request first so the latency excludes time spent queued here.
            queue.get_idle_request_id()
            queue.start_async({0: images}, userdata=time.perf_counter(), share_inputs=True)
            calls += 1
        queue.wait_all()
        elapsed = time.perf_counter() - start
        thr = summary(batch, latencies, elapsed, calls, "throughput-async")
        thr["requests"] = nreq
        del queue, compiled

        best = max(sync, thr, key=lambda x: x["images_per_second"])
        res = dict(best)
        res["latency_sync"] = {k: sync[k] for k in ("images_per_second", "p50_ms", "p99_ms", "calls")}
        res["throughput_async"] = {k: thr[k] for k in
                                   ("images_per_second", "p50_ms", "p99_ms", "calls", "requests")}
        log(f"  batch {batch:3d}: sync/LATENCY {sync['images_per_second']:9.1f} images/s "
            f"(p50 {sync['p50_ms']:.2f} ms)  async/THROUGHPUT x{nreq} "
            f"{thr['images_per_second']:9.1f} images/s (p50 {thr['p50_ms']:.2f} ms)  -> {best['mode']}")
        results.append(res)
    return ov.get_version(), results


RUNNERS = {"onnxruntime": run_onnxruntime, "openvino": run_openvino}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--runtime", required=True, choices=sorted(RUNNERS))
    ap.add_argument("--batches", default="1,4,8,16",
                    type=lambda s: [int(b) for b in s.split(",") if b.strip()])
    ap.add_argument("--seconds", type=float, default=4.0, help="measuring time per batch size (and mode)")
    ap.add_argument("--threads", type=int, default=0, help="inference threads; 0 = number of cores")
    ap.add_argument("--inference-precision", default="f32", choices=["f32", "bf16", "default"],
                    help="openvino only: the CPU plugin's inference precision hint (default f32;"
                         " 'default' = the plugin's choice, bf16 on CPUs with AVX512_BF16/AMX)")
    args = ap.parse_args()
    if not os.path.isfile(args.model):
        ap.error(f"no model file at {args.model}")
    threads = args.threads or cores()

    module = {"onnxruntime": "onnxruntime", "openvino": "openvino"}[args.runtime]
    try:
        __import__(module)
    except Exception as e:  # ImportError, or a broken native library
        reason = f"cannot import {module}: {e}"
        log(reason)
        print(json.dumps({"runtime": args.runtime, "skipped": reason}))
        return 0

    version, results = RUNNERS[args.runtime](args, threads)
    print(json.dumps({"runtime": args.runtime, "version": version, "model": os.path.abspath(args.model),
                      "threads": threads, "results": results,
                      "inference_precision": args.inference_precision
                      if args.runtime == "openvino" else "f32"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
