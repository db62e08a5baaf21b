#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, for the system tests (system-tests/, *SystemIT):
# installs Debian's docker.io (and docker-compose, v1) when missing and starts dockerd when no
# daemon answers. Needs root for both; prints one line per action. Exit 1 when no engine can run.
set -euo pipefail
DOCKER=/usr/bin/docker
log() { printf '%s docker-engine: %s\n' "$(date +%T)" "$*"; }

missing=()
[ -x /usr/sbin/dockerd ] && [ -x "$DOCKER" ] || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then log "not root: cannot install ${missing[*]}"; exit 1; fi
  log "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if "$DOCKER" info >/dev/null 2>&1; then
  log "engine answers ($("$DOCKER" version -f '{{.Server.Version}}'))"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then log "no engine answers and not root: cannot start dockerd"; exit 1; fi
log "starting dockerd (log: /var/log/kvl-dockerd.log)"
nohup /usr/sbin/dockerd > /var/log/kvl-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if "$DOCKER" info >/dev/null 2>&1; then
    log "engine answers ($("$DOCKER" version -f '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s:"; tail -n 20 /var/log/kvl-dockerd.log >&2
exit 1
