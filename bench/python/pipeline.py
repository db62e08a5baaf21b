#!/usr/bin/env python3
"""Python streaming labeler, the reference the Java pipeline is compared with on the same chunks
and broker: Kafka VideoChunk records -> PyAV decode -> RGB RxR -> onnxruntime -> JSON labels.

    pipeline.py --bootstrap HOST:PORT --chunks-topic T --labels-topic L --model PATH \
        [--batch 8] --frames N [--all-frames | --fps 2] [--group G] [--timeout 300] \
        [--threads N] [--decode-threads auto|1] [--skip-key-prefix warmup-]

Written the plain way the libraries document it: one thread runs a confluent_kafka poll loop,
decodes each chunk with PyAV, batches frames (across chunks and cameras), runs
InferenceSession.run and produces one label message per frame. Parallelism comes from inside the
libraries: onnxruntime's intra-op threads and (by default) FFmpeg's frame/slice threads in PyAV.

Human lines go to stderr; the last stdout line is one JSON object with frames, seconds,
frames_per_second, decode_seconds, inference_seconds, batch and library versions. The clock runs
from the first record consumed to the end of the final producer flush (all labels delivered).
Records whose key starts with --skip-key-prefix (the Java labeler's warm-up chunks) are skipped;
instead one batch of zeros runs through the session before the clock starts.
Exit 1 if N frames are not labeled within --timeout seconds.
"""
import argparse
import io
import json
import os
import platform
import sys
import time
import uuid

import av
import fastavro
import numpy as np
import onnxruntime as ort
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA_PATH = os.path.join(HERE, "..", "..", "schemas", "src", "main", "avro", "VideoChunk.avsc")
SINGLE_OBJECT_MARKER = b"\xc3\x01"
TOP_K = 5


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ chunk records

class ChunkReader:
    """Decodes Avro single-object encoded VideoChunk records (C3 01 | fingerprint | body)."""

    def __init__(self, schema_path):
        self.schema = fastavro.schema.load_schema(schema_path)
        canonical = fastavro.schema.to_parsing_canonical_form(self.schema)
        # fastavro's hex digest is already the little-endian byte order the header uses.
        self.fingerprint = bytes.fromhex(fastavro.schema.fingerprint(canonical, "CRC-64-AVRO"))

    def read(self, value):
        if len(value) < 10 or value[:2] != SINGLE_OBJECT_MARKER:
            raise ValueError("record is not Avro single-object encoded (no C3 01 marker)")
        if value[2:10] != self.fingerprint:
            raise ValueError(f"record schema fingerprint {value[2:10].hex()} is not VideoChunk's "
                             f"{self.fingerprint.hex()} (schema changed?)")
        return fastavro.schemaless_reader(io.BytesIO(value[10:]), self.schema)


def epoch_millis(ts):
    """startTimestamp is timestamp-millis: fastavro yields an aware datetime (or int if raw)."""
    return ts if isinstance(ts, int) else round(ts.timestamp() * 1000)


class FpsSampler:
    """Same rule as the Java io.kvl.video.FpsSampler: keep a frame when its capture time is at
    least 1/fps away (either direction) from the last kept frame of that camera."""

    def __init__(self, fps):
        self.interval_us = max(1, round(1_000_000 / fps))
        self.last_us = None

    def offer(self, capture_us):
        if self.last_us is not None and abs(capture_us - self.last_us) < self.interval_us:
            return False
        self.last_us = capture_us
        return True


def decode_chunk(chunk, r, sampler, decode_threads):
    """Yields (frameIndex, captureTimeMillis, rgb uint8 [r, r, 3]) for each selected frame.

    Every frame is decoded (H.264 frames depend on each other); only selected ones are converted.
    Conversion matches the Java RgbScaler: swscale bilinear to RGB24 with the shorter side = r
    (aspect kept), then the centred r x r square.
    """
    start_ms = epoch_millis(chunk["startTimestamp"])
    with av.open(io.BytesIO(chunk["data"]), format=chunk["container"]) as container:
        stream = container.streams.video[0]
        if decode_threads == "auto":
            # PyAV docs: thread_type "AUTO" enables frame+slice threading, "can significantly
            # increase decoding speed"; thread_count 0 lets FFmpeg pick one per core.
            stream.thread_type = "AUTO"
            stream.thread_count = 0
        else:
            stream.thread_count = int(decode_threads)
        origin = stream.start_time
        tb = stream.time_base
        rate = chunk["frameRate"]
        for index, frame in enumerate(container.decode(stream)):
            if frame.pts is None:
                pts_us = round(index * 1_000_000 / rate) if rate > 0 else 0
            else:
                if origin is None:
                    origin = frame.pts
                pts_us = round((frame.pts - origin) * tb * 1_000_000)
            if sampler is not None and not sampler.offer(start_ms * 1000 + pts_us):
                continue
            w, h = frame.width, frame.height
            sw = r if w <= h else max(r, round(w * r / h))
            sh = r if h <= w else max(r, round(h * r / w))
            rgb = frame.to_ndarray(width=sw, height=sh, format="rgb24", interpolation="BILINEAR")
            x0, y0 = (sw - r) // 2, (sh - r) // 2
            yield (chunk["firstFrameIndex"] + index, start_ms + pts_us // 1000,
                   rgb[y0:y0 + r, x0:x0 + r])


# ------------------------------------------------------------------------ model

def open_session(model, threads):
    # Same settings as model_anchor.py (onnxruntime's documented CPU tuning).
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    sess = ort.InferenceSession(model, sess_options=so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    r = inp.shape[1]
    if not isinstance(r, int):
        raise SystemExit(f"model input has no static resolution: {inp.shape}")
    static_batch = inp.shape[0] if isinstance(inp.shape[0], int) else None
    return sess, inp.name, r, static_batch


def top_k(probs, k=TOP_K):
    idx = np.argpartition(probs, -k)[-k:]
    idx = idx[np.argsort(probs[idx])[::-1]]
    return [{"name": str(int(i)), "score": round(float(probs[i]), 6)} for i in idx]


# ------------------------------------------------------------------------- main

def ensure_topic(bootstrap, topic):
    """The project's embedded broker does not auto-create topics; create the labels topic."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    if topic in admin.list_topics(timeout=10).topics:
        return
    fut = admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic]
    try:
        fut.result(timeout=30)
        log(f"created topic {topic}")
    except KafkaException as e:
        if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
            raise


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--chunks-topic", required=True)
    ap.add_argument("--labels-topic", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--frames", type=int, required=True, help="stop after labeling this many frames")
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--all-frames", action="store_true", help="label every decoded frame")
    sel.add_argument("--fps", type=float, default=2.0, help="frames per second of capture time (default 2)")
    ap.add_argument("--group", help="consumer group id (default: a new one, so reading starts at the beginning)")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op threads; 0 = cores")
    ap.add_argument("--decode-threads", default="auto",
                    help="'auto' (PyAV thread_type AUTO, default) or a count; 1 = single-threaded like Java")
    ap.add_argument("--skip-key-prefix", default="",
                    help="skip records whose key starts with this (the labeler's warm-up chunks)")
    args = ap.parse_args()
    if args.frames < 1 or args.batch < 1:
        ap.error("--frames and --batch must be positive")
    threads = args.threads or len(os.sched_getaffinity(0))

    reader = ChunkReader(SCHEMA_PATH)
    sess, input_name, r, static_batch = open_session(args.model, threads)
    if static_batch is not None and static_batch != args.batch:
        ap.error(f"model has static batch {static_batch}; use --batch {static_batch}")
    ensure_topic(args.bootstrap, args.labels_topic)
    # Warm-up: the first run allocates onnxruntime's memory arena and picks kernels.
    sess.run(None, {input_name: np.zeros((args.batch, r, r, 3), dtype=np.uint8)})
    skip = args.skip_key_prefix.encode()
    skipped = 0

    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group or f"kvl-py-bench-{uuid.uuid4()}",
        "auto.offset.reset": "earliest",
    })
    producer = Producer({"bootstrap.servers": args.bootstrap, "linger.ms": 5})
    delivery_errors = []

    def on_delivery(err, _msg):
        if err is not None:
            delivery_errors.append(err)

    samplers = {}  # cameraId -> FpsSampler (only with --fps)
    pending = []   # (cameraId, frameIndex, captureTime, rgb)
    labeled = 0
    decode_s = infer_s = 0.0
    chunks = 0

    def run_batch():
        nonlocal labeled, infer_s
        images = np.stack([p[3] for p in pending])
        t0 = time.perf_counter()
        probs = sess.run(None, {input_name: images})[0]
        infer_s += time.perf_counter() - t0
        for (camera, index, capture, _), p in zip(pending, probs):
            value = json.dumps({"cameraId": camera, "frameIndex": index, "captureTime": capture,
                                "labels": top_k(p)}).encode()
            while True:
                try:
                    producer.produce(args.labels_topic, value=value, key=camera, on_delivery=on_delivery)
                    break
                except BufferError:  # local queue full: serve deliveries, then retry
                    producer.poll(0.1)
        producer.poll(0)  # serve delivery callbacks, as the docs advise after produce()
        labeled += len(pending)
        pending.clear()

    log(f"python {platform.python_version()}, onnxruntime {ort.__version__}, av {av.__version__}; "
        f"R={r}, batch={args.batch}, threads={threads}, decode threads={args.decode_threads}, "
        f"{'all frames' if args.all_frames else f'{args.fps} fps'}")
    consumer.subscribe([args.chunks_topic])
    deadline = time.monotonic() + args.timeout
    first = None
    try:
        while labeled < args.frames:
            if time.monotonic() > deadline:
                log(f"timeout after {args.timeout:.0f} s: {labeled + len(pending)}/{args.frames} "
                    f"frames from {chunks} chunks")
                producer.flush(5)
                return 1
            msg = consumer.poll(0.2)
            if msg is None:
                if pending:  # nothing more right now: don't sit on a partial batch
                    run_batch()
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(msg.error())
            if skip and (msg.key() or b"").startswith(skip):
                skipped += 1
                continue
            if first is None:
                first = time.perf_counter()
            chunk = reader.read(msg.value())
            chunks += 1
            sampler = None
            if not args.all_frames:
                sampler = samplers.setdefault(chunk["cameraId"], FpsSampler(args.fps))
            t0 = time.perf_counter()
            for index, capture, rgb in decode_chunk(chunk, r, sampler, args.decode_threads):
                pending.append((chunk["cameraId"], index, capture, rgb))
                decode_s += time.perf_counter() - t0
                if len(pending) == args.batch or labeled + len(pending) == args.frames:
                    run_batch()
                if labeled + len(pending) >= args.frames:
                    break
                t0 = time.perf_counter()
            else:
                decode_s += time.perf_counter() - t0
        if pending:
            run_batch()
        left = producer.flush(max(1.0, deadline - time.monotonic()))
        end = time.perf_counter()
    finally:
        consumer.close()
    if left or delivery_errors:
        log(f"label delivery failed: {left} undelivered, errors: {delivery_errors[:3]}")
        return 1

    seconds = end - first
    result = {
        "frames": labeled,
        "seconds": round(seconds, 3),
        "frames_per_second": round(labeled / seconds, 2),
        "decode_seconds": round(decode_s, 3),
        "inference_seconds": round(infer_s, 3),
        "batch": args.batch,
        "chunks": chunks,
        "skipped_chunks": skipped,
        "threads": threads,
        "decode_threads": args.decode_threads,
        "sampling": "all-frames" if args.all_frames else f"{args.fps} fps",
        "python": platform.python_version(),
        "onnxruntime": ort.__version__,
        "av": av.__version__,
    }
    log(f"labeled {labeled} frames from {chunks} chunks in {seconds:.2f} s = "
        f"{result['frames_per_second']} frames/s (decode {decode_s:.2f} s, inference {infer_s:.2f} s)")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
