#!/bin/sh
# One-shot: registers (or updates) the connectors of docker-compose.yml through the Connect REST API.
# Each /connectors/<name>.json here is PUT to /connectors/<name>/config, so running it again is
# harmless. Then waits until each connector and its tasks report RUNNING.
set -eu

CONNECT="${CONNECT_URL:-http://connect:8083}"
DIR="${CONNECTORS_DIR:-/connectors}"

i=0
until curl -fsS "$CONNECT/connector-plugins" >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -le 90 ] || { echo "Connect at $CONNECT did not come up" >&2; exit 1; }
  echo "waiting for Kafka Connect at $CONNECT ($i)"; sleep 2
done

for f in "$DIR"/*.json; do
  name="kvl-$(basename "$f" .json)"
  echo "PUT $CONNECT/connectors/$name/config"
  curl -fsS -X PUT -H 'Content-Type: application/json' --data @"$f" \
    "$CONNECT/connectors/$name/config"
  echo
done

for f in "$DIR"/*.json; do
  name="kvl-$(basename "$f" .json)"
  i=0
  while :; do
    status="$(curl -fsS "$CONNECT/connectors/$name/status" || true)"
    case "$status" in
      *'"state":"FAILED"'*) echo "$name FAILED: $status" >&2; exit 1 ;;
    esac
    # RUNNING connector and no task in another state.
    if echo "$status" | grep -q '"connector":{"state":"RUNNING"' \
       && echo "$status" | grep -q '"tasks":\[{' \
       && ! echo "$status" | grep -Eq '"state":"(UNASSIGNED|PAUSED|STOPPED|RESTARTING)"'; then
      echo "$name RUNNING: $status"; break
    fi
    i=$((i + 1))
    [ "$i" -le 60 ] || { echo "$name not RUNNING: $status" >&2; exit 1; }
    sleep 2
  done
done
