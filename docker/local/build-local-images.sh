#!/usr/bin/env bash
# Builds every image the system tests and docker-compose.yml need on this machine, from Debian's
# packages and Maven Central, without pulling anything from an image registry:
#
#   kvl-local/debian:bookworm      debootstrap --variant=minbase + docker import
#   kvl-local/jre:17               + Debian's OpenJDK 17 JRE (the RUNTIME_IMAGE of the others)
#   kvl-local/maven:3              + Debian's JDK 17 and Maven (the MAVEN_IMAGE of build stages)
#   kvl-local/kafka:4.3.1          docker/kafka.Dockerfile (Kafka's jars from Maven Central)
#   kvl-local/curl:1               the one-shot connector registration of docker-compose.yml
#   kvl-local/rtsp-server:1        GStreamer's RTSP server playing the sample clips
#   kvl-local/toxiproxy:2.12.0     Toxiproxy's server, compiled with the machine's Go
#   kvl/labeler:0.1.0, kvl/connect:0.1.0, kvl/schema-registry:3.0.9   docker/*.Dockerfile
#
# Each image carries a label with the hash of its inputs (Dockerfile, context files, build
# arguments, base image); an image whose label matches is not rebuilt, so a second run takes
# seconds. Usage: build-local-images.sh [--only NAME ...] [--force]. Needs root (debootstrap) and a
# running engine (.ci/docker-engine.sh). Trust anchors added to this machine's CA bundle (an
# intercepting proxy's CA, say) are copied into the base image so that apt and Maven work inside
# builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
repo=$(pwd)

DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
LABEL=io.kvl.inputs
BASE=kvl-local/debian:bookworm
JRE=kvl-local/jre:17
MAVEN=kvl-local/maven:3
FORCE=0
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --force) FORCE=1 ;;
    --only) shift; ONLY+=("$1") ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '%s build-local-images: %s\n' "$(date +%T)" "$*"; }

wanted() {  # wanted IMAGE: in --only, or no --only given
  [ ${#ONLY[@]} -eq 0 ] && return 0
  local o; for o in "${ONLY[@]}"; do [[ "$1" == *"$o"* ]] && return 0; done
  return 1
}

current_hash() { "$DOCKER" image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null || true; }
image_id() { "$DOCKER" image inspect -f '{{.Id}}' "$1"; }

up_to_date() {  # up_to_date IMAGE HASH
  [ "$FORCE" = 0 ] && [ "$(current_hash "$1")" = "$2" ]
}

# The machine's own trust anchors: certificates of its CA bundle that no Debian package installed.
local_ca_certs() {
  python3 - "$1" <<'PY'
import glob, re, sys
pem = re.compile(r'-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----', re.S)
packaged = set()
for f in glob.glob('/usr/share/ca-certificates/**/*.crt', recursive=True):
    packaged.update(pem.findall(open(f, errors='replace').read()))
try:
    bundle = pem.findall(open('/etc/ssl/certs/ca-certificates.crt', errors='replace').read())
except FileNotFoundError:
    bundle = []
out = sys.argv[1]
for i, c in enumerate(x for x in bundle if x not in packaged):
    open(f'{out}/kvl-host-{i}.crt', 'w').write(c + '\n')
PY
}

build_base() {
  local mirror suite=bookworm certs hash dir
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/\{0,1\}\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb" && $3 ~ /^bookworm$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  [ -n "$mirror" ] || { echo "no Debian mirror found in /etc/apt" >&2; exit 1; }
  certs=$(mktemp -d)
  local_ca_certs "$certs"
  hash=$( (echo "minbase $suite $mirror"; cat "$certs"/* 2>/dev/null) | sha256sum | cut -c1-16)
  if up_to_date "$BASE" "$hash"; then log "$BASE up to date"; rm -rf "$certs"; return; fi
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
  dir=$(mktemp -d /tmp/kvl-rootfs.XXXXXX)
  log "debootstrap $suite from $mirror"
  debootstrap --variant=minbase "$suite" "$dir/rootfs" "$mirror" > "$dir/debootstrap.log" 2>&1 \
    || { tail -n 20 "$dir/debootstrap.log" >&2; exit 1; }
  mkdir -p "$dir/rootfs/usr/local/share/ca-certificates"
  cp "$certs"/* "$dir/rootfs/usr/local/share/ca-certificates/" 2>/dev/null || true
  rm -rf "$dir/rootfs/var/cache/apt/archives/"*.deb "$dir/rootfs/var/lib/apt/lists/"*
  tar -C "$dir/rootfs" -c . | "$DOCKER" import --change "LABEL $LABEL=$hash" \
    --change 'CMD ["/bin/bash"]' - "$BASE" >/dev/null
  rm -rf "$dir" "$certs"
  log "$BASE imported"
}

# build IMAGE DOCKERFILE CONTEXT FILES_HASH [--build-arg K=V ...]
build() {
  local image=$1 dockerfile=$2 context=$3 files=$4; shift 4
  wanted "$image" || return 0
  local args=("$@") hash bases="" a
  for a in "${args[@]}"; do
    case "$a" in *_IMAGE=*) bases+="$(image_id "${a#*=}" 2>/dev/null || echo "${a#*=}") ";; esac
  done
  hash=$( (cat "$dockerfile"; echo "$files"; printf '%s\n' "${args[@]}"; echo "$bases") | sha256sum | cut -c1-16)
  if up_to_date "$image" "$hash"; then log "$image up to date"; return; fi
  log "building $image ($dockerfile)"
  local start=$SECONDS out
  out=$(mktemp)
  if ! "$DOCKER" build --progress=plain -f "$dockerfile" -t "$image" --label "$LABEL=$hash" "${args[@]}" "$context" > "$out" 2>&1; then
    tail -n 60 "$out" >&2; rm -f "$out"; echo "build of $image failed" >&2; exit 1
  fi
  rm -f "$out"
  log "$image built in $((SECONDS - start)) s"
}

tree_hash() {  # tree_hash DIR [GIT PATHSPEC...]: the files under DIR (tracked or new, not ignored)
  local dir=$1; shift
  (cd "$dir" && if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
     git ls-files -co --exclude-standard -z -- . "$@" | xargs -0 sha256sum 2>/dev/null
   else
     find . -path '*/target' -prune -o -path './.git' -prune -o -type f -print0 | sort -z | xargs -0 sha256sum
   fi) | sha256sum | cut -c1-16
}

"$DOCKER" info >/dev/null 2>&1 || { echo "no Docker engine answers (start it: .ci/docker-engine.sh)" >&2; exit 1; }
start=$SECONDS
wanted "$BASE" && build_base
build "$JRE" docker/local/jre.Dockerfile docker/local "" --build-arg "BASE_IMAGE=$BASE"
build "$MAVEN" docker/local/maven.Dockerfile docker/local "" --build-arg "BASE_IMAGE=$BASE"
build kvl-local/curl:1 docker/local/curl.Dockerfile docker/local "" --build-arg "BASE_IMAGE=$BASE"
build kvl-local/kafka:4.3.1 docker/kafka.Dockerfile . "$(tree_hash docker/kafka)" \
  --build-arg "MAVEN_IMAGE=$MAVEN" --build-arg "RUNTIME_IMAGE=$JRE"
build kvl-local/rtsp-server:1 docker/rtsp-server.Dockerfile . \
  "$(tree_hash docker/rtsp-server)$(sha256sum samples/*.mp4 | sha256sum)" --build-arg "BASE_IMAGE=$BASE"
# Toxiproxy: compiled here (Go module proxy) with the machine's Go, then put on the base image.
TOXIPROXY_VERSION=v2.12.0
if wanted kvl-local/toxiproxy; then
  if command -v go >/dev/null; then
    tp=$(mktemp -d)
    # Go's build cache makes this a second or two when nothing changed.
    GOBIN="$tp" CGO_ENABLED=0 go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION"
    mv "$tp/server" "$tp/toxiproxy-server"
    cp docker/local/toxiproxy.Dockerfile "$tp/"
    build kvl-local/toxiproxy:2.12.0 "$tp/toxiproxy.Dockerfile" "$tp" "$TOXIPROXY_VERSION" \
      --build-arg "BASE_IMAGE=$BASE"
    rm -rf "$tp"
  else
    log "no Go toolchain: kvl-local/toxiproxy not built (the network fault test needs it)"
  fi
fi
# The Maven build inside the labeler and Connect images reads the modules' sources, the poms and
# the samples; documentation, deployment files, other images' files and the system tests do not
# change what they build.
src=$(tree_hash "$repo" ':!docker' ':!deploy' ':!docs' ':!.ci' ':!system-tests' ':!*.md' \
  ':!docker-compose*.yml')$(tree_hash docker/labeler)$(tree_hash docker/connect)
build kvl/labeler:0.1.0 docker/labeler.Dockerfile . "$src" \
  --build-arg "MAVEN_IMAGE=$MAVEN" --build-arg "RUNTIME_IMAGE=$JRE"
build kvl/connect:0.1.0 docker/connect.Dockerfile . "$src" \
  --build-arg "MAVEN_IMAGE=$MAVEN" --build-arg "RUNTIME_IMAGE=$JRE" --build-arg "KAFKA_IMAGE=kvl-local/kafka:4.3.1"
build kvl/schema-registry:3.0.9 docker/schema-registry.Dockerfile . "$(tree_hash docker/schema-registry)" \
  --build-arg "MAVEN_IMAGE=$MAVEN" --build-arg "RUNTIME_IMAGE=$JRE"
log "all images ready in $((SECONDS - start)) s"
