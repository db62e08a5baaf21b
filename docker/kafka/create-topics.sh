#!/bin/bash
# One-shot topic creation for docker-compose.yml (runs in the apache/kafka image). Idempotent.
#
# Partitions bound parallelism: Kafka Streams makes one task per input partition, so at most
# PARTITIONS labeler instances (x num.stream.threads) do useful work. Video chunks are keyed by
# camera, so partitions ~ cameras. Records up to 16 MiB (a few seconds of video).
set -euo pipefail

BOOTSTRAP="${BOOTSTRAP_SERVERS:-kafka:9092}"
PARTITIONS="${PARTITIONS:-3}"
REPLICATION="${REPLICATION_FACTOR:-1}"
MAX_RECORD=16777216
kt=/opt/kafka/bin/kafka-topics.sh

create() {  # create TOPIC [--config k=v ...]
  local topic="$1"; shift
  "$kt" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$topic" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION" "$@"
}

for i in $(seq 1 60); do
  "$kt" --bootstrap-server "$BOOTSTRAP" --list >/dev/null 2>&1 && break
  echo "waiting for Kafka at $BOOTSTRAP ($i)"; sleep 2
done

# Inputs
create kvl.video-chunks --config max.message.bytes=$MAX_RECORD --config retention.ms=3600000
create kvl.frames --config max.message.bytes=$MAX_RECORD --config retention.ms=3600000
# Outputs
create kvl.labeled-frames
create kvl.label-counts
create kvl.alerts
# Dead letters keep the original record bytes, so they are as large as the inputs.
create kvl.dead-letters --config max.message.bytes=$MAX_RECORD

"$kt" --bootstrap-server "$BOOTSTRAP" --describe --topic 'kvl\..*' | grep -E '^Topic:' || true
